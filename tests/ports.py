"""Free loopback ports for the servers that tests and benchmarks start (uvicorn, Streamlit,
`chroma run`). A range keeps concurrent users of one machine apart; failing that, any port."""

from __future__ import annotations

import socket


def free_port(first: int | None = None, last: int | None = None) -> int:
    """A free port on 127.0.0.1, the first free one in first..last when a range is given."""
    if first is not None and last is not None:
        for port in range(first, last + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
