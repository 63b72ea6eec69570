"""Running the API: uvicorn on a socket bound here, in one process or several (pre-fork).

The socket is bound before uvicorn starts so that port 0 works (the OS picks a free port,
printed on stderr as ``scraper: serving on http://127.0.0.1:PORT``: tests and benchmarks read
it). With ``workers > 1`` every worker process serves the same socket, each with its own
fetcher, extraction pool, limits and metrics (the limits are per process).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import threading
from types import FrameType
from typing import Final

import uvicorn

from scraper.config import Config
from scraper.serve.app import create_app

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "bind", "serve"]

DEFAULT_HOST: Final = "127.0.0.1"  # loopback: reachable from other machines only when asked
DEFAULT_PORT: Final = 8000
_BACKLOG: Final = 2048  # pending connections, as uvicorn's default
_GRACE: Final = 10.0  # seconds workers get to finish their requests after SIGTERM
_SIGNAL_REACH: Final = 1.0  # seconds before workers still running are sent SIGTERM


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(_BACKLOG)
    sock.set_inheritable(True)
    return sock


def serve(
    config: Config, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, workers: int = 1
) -> None:
    """Serve the API until SIGINT or SIGTERM.

    Args:
        config: the whole configuration ([serve] and [fetch] are used).
        host: the address to listen on.
        port: the port; 0 lets the OS choose (the chosen one is printed).
        workers: server processes sharing the socket.

    Raises:
        OSError: the address cannot be bound (in use, not ours).

    Example:
        >>> serve(load_config(None), port=8000)  # doctest: +SKIP
    """
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"scraper: serving on http://{shown}:{bound_port}", file=sys.stderr, flush=True)
    if workers == 1:
        _run(config, sock)
    else:
        _supervise(config, sock, workers)


def _run(config: Config, sock: socket.socket) -> None:
    """One server process: uvicorn with our app on the socket, until a signal."""
    server_config = uvicorn.Config(
        create_app(config),
        log_level="warning",
        timeout_graceful_shutdown=int(_GRACE),
        server_header=False,
    )
    uvicorn.Server(server_config).run(sockets=[sock])


def _supervise(config: Config, sock: socket.socket, workers: int) -> None:
    """Start ``workers`` processes on the socket; pass SIGINT/SIGTERM on and wait for them."""
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_run, args=(config, sock)) for _ in range(workers)]
    for process in processes:
        process.start()
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not stop.is_set() and all(p.is_alive() for p in processes):
        stop.wait(0.5)
    for process in processes:  # a Ctrl-C reached the workers too: give them a moment first
        process.join(_SIGNAL_REACH)
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_GRACE)
