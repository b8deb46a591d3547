"""Running the app on one machine: the embedded AWS stand-in, provisioning, seeding, the server."""
