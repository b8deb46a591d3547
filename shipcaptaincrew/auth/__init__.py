"""Magic-link sign-in and JWT sessions."""
