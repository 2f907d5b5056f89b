"""The listening side of ``kg serve``: the socket (loopback unless the user says ``public``),
which ``Host`` headers name this server (against DNS rebinding), and uvicorn's h11 protocol with
a time limit on the request head.

What this module does not do: answer requests (``kg.outputs.serve``).
"""
from __future__ import annotations

import ipaddress
import socket


class ServeError(Exception):
    """The server cannot start as asked (address, port); one line for the user."""


class HostCheck:
    """Which ``Host`` headers name this server: its loopback names with the port; when bound
    beyond loopback also IP literals and this machine's names (a DNS name an attacker controls,
    as in DNS rebinding, is none of these)."""

    def __init__(self, port: int, public: bool):
        names = ["127.0.0.1", "localhost", "[::1]"]
        if public:
            names += [socket.gethostname().lower(), socket.getfqdn().lower()]
        self.allowed = {f"{n}:{port}" for n in names} | (set(names) if port == 80 else set())
        self.port, self.public = port, public

    def __call__(self, host: str) -> bool:
        host = host.strip().lower()
        if host in self.allowed:
            return True
        if not self.public:
            return False
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if port and port != str(self.port):
            return False
        try:
            ipaddress.ip_address((name or host).strip("[]"))
            return True
        except ValueError:
            return False


def bind(host: str, port: int, public: bool, backlog: int = 1024) -> socket.socket:
    """A listening socket on ``host:port``; ``ServeError`` for an address beyond loopback
    without ``public`` (``""``, ``0.0.0.0``, ``::`` or a LAN address), a port in use, a bad name."""
    try:
        family, _, proto, _, addr = socket.getaddrinfo(host or None, port, 0, socket.SOCK_STREAM,
                                                       socket.IPPROTO_TCP, socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"--host {host!r}: not an address this machine has ({exc})") from None
    if not ipaddress.ip_address(addr[0].split("%")[0]).is_loopback and not public:
        raise ServeError(f"--host {host!r} would listen on {addr[0]}, reachable from other machines; "
                         "add --public to mean it (no authentication)")
    sock = socket.socket(family, socket.SOCK_STREAM, proto)   # IPPROTO_TCP: asyncio then sets TCP_NODELAY
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {url(addr[0], port)}: {exc.strerror or exc}") from None
    return sock


def url(ip: str, port: int) -> str:
    """``http://ip:port``, with brackets around an IPv6 address."""
    return f"http://[{ip}]:{port}" if ":" in ip else f"http://{ip}:{port}"


def protocol():
    """uvicorn's h11 protocol, with a time limit on the request head as well: uvicorn closes a
    connection idle *after* a response, this also one that sends nothing or a partial head."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _head_timer = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._busy():                 # a whole head came: the request is under way
                self._disarm()
            elif self._head_timer is None:   # a partial head: never extended byte by byte
                self._arm()

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _busy(self) -> bool:
            return self.cycle is not None and not self.cycle.response_complete

        def _arm(self) -> None:
            self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._expired)

        def _expired(self) -> None:
            self._head_timer = None
            if not self._busy():
                self.timeout_keep_alive_handler()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return Protocol
