"""People who may sign in, with their role."""
