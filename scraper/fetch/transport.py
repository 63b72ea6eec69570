"""An httpx transport whose every new connection goes through the address guard.

httpx's own ``AsyncHTTPTransport`` does not let us choose httpcore's network backend, and the
backend is the one place that sees each TCP connect. So this module builds the httpcore
connection pool itself with a ``GuardedBackend`` and adapts it to httpx's transport contract
(requests in, responses out, httpcore errors re-raised as the matching httpx errors) using
public httpx and httpcore APIs only. Pooling, keep-alive, HTTP/1.1 and HTTP/2 are httpcore's.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import typing
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

import httpcore
import httpx

from scraper.fetch.guard import AddressGuard

__all__ = ["GuardedBackend", "GuardedTransport"]

# A name may resolve to many addresses; trying a few covers dual-stack hosts without
# letting one request spend (addresses x connect timeout) seconds.
_MAX_ADDRESSES_TRIED = 3

# Seconds an idle pooled connection is kept open for reuse.
_KEEPALIVE_EXPIRY = 5.0

# httpcore error -> the httpx error a transport must raise instead (httpx's own mapping).
_ERROR_MAP: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that connects only to addresses the guard has checked.

    Args:
        guard: resolves and checks the host of each new connection.
        inner: the backend that opens the socket (default: httpcore's anyio backend).
    """

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None):
        self._guard = guard
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve and check ``host``, then connect to the first checked address that answers."""
        addresses = await self._resolve(host, port, timeout)
        error: Exception = httpcore.ConnectError(f"{host} resolved to no address")
        for address in addresses[:_MAX_ADDRESSES_TRIED]:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Never used: the fetcher only speaks TCP, and a socket path would skip the guard."""
        raise httpcore.ConnectError(f"unix socket {path} refused: the fetcher only uses TCP")

    async def sleep(self, seconds: float) -> None:
        """Sleep as the inner backend does."""
        await self._inner.sleep(seconds)

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """The guard's checked addresses, with DNS failures and hangs as connect errors."""
        try:
            async with asyncio.timeout(timeout):
                return await self._guard.resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took over {timeout} s") from exc
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc


class GuardedTransport(httpx.AsyncBaseTransport):
    """httpx transport over an httpcore pool that uses ``GuardedBackend``.

    Args:
        guard: the address guard for every new connection.
        max_connections: pool size (the global concurrency).
        http2: negotiate HTTP/2 over TLS when the server offers it.
        ssl_context: TLS settings; default verifies certificates with certifi.
    """

    def __init__(
        self,
        guard: AddressGuard,
        *,
        max_connections: int,
        http2: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=_KEEPALIVE_EXPIRY,
            http1=True,
            http2=http2,
            network_backend=GuardedBackend(guard),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the pool; the body is left to stream."""
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=typing.cast(AsyncIterable[bytes], request.stream),
            extensions=request.extensions,
        )
        with _mapped_errors():
            response = await self._pool.handle_async_request(core_request)
        stream = typing.cast(AsyncIterable[bytes], response.stream)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._pool.aclose()


class _ResponseStream(httpx.AsyncByteStream):
    """An httpcore response body as an httpx stream, with errors mapped."""

    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """The body's chunks as they arrive."""
        with _mapped_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        """Release the connection back to the pool (or close it)."""
        closer = getattr(self._stream, "aclose", None)
        if closer is not None:
            with _mapped_errors():
                await closer()


@contextlib.contextmanager
def _mapped_errors() -> Iterator[None]:
    """Re-raise httpcore errors as the matching httpx errors, as httpx transports must."""
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _ERROR_MAP:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc) or type(exc).__name__) from exc
        raise
