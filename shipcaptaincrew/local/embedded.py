"""The embedded AWS stand-in: a moto server in this process, reached over HTTP like real AWS."""

from __future__ import annotations

import logging
import os
import socket

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def start() -> tuple[object, str]:
    """Start moto's server on a free loopback port; return (server, endpoint URL).

    boto3 needs some credentials even for moto; fake ones are set only when none are present,
    so this can never pick up (or leak) a real account's keys into requests to moto.
    """
    from moto.server import ThreadedMotoServer  # dev dependency: imported only when used

    for name, value in FAKE_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per AWS call is noise here
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"
