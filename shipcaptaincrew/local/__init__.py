"""Running the app on one machine: the embedded AWS stand-in, provisioning, seeding, the server."""

from .bootstrap import on_account, stand_in

__all__ = ["on_account", "stand_in"]
