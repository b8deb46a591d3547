"""Email: build each message once with the standard library, send exactly those bytes."""
