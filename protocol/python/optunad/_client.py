"""The connection to optunad: JSON-RPC 2.0 over newline-delimited JSON on a Unix socket.

A :class:`Client` keeps a small pool of connections.  Each call takes an idle connection (or opens
one), sends one request line, reads the answer and gives the connection back, so any number of
threads can share one client: a thread never waits for another thread's request, and the daemon runs
each connection's requests in order.  The pool is dropped after ``fork()`` so a child process never
shares a socket with its parent.
"""

from __future__ import annotations

import atexit
import itertools
import os
import select
import socket as _socket
import threading
from typing import Any, Iterable

from . import _json
from ._paths import resolve_socket_path
from .exceptions import DaemonUnreachable, OptunadError, ProtocolError, from_error_object

# Requests written ahead of their answers in a pipeline; the daemon stops reading a connection at 128.
_PIPELINE_WINDOW = 64


class _Connection:
    """One socket; used by one thread at a time (the pool guarantees it)."""

    def __init__(self, path: str, timeout: float | None) -> None:
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError as e:
            sock.close()
            raise DaemonUnreachable(f"cannot connect to optunad at {path}: {e.strerror or e}") from e
        self.sock = sock
        self.reader = sock.makefile("rb")

    def is_stale(self) -> bool:
        # The daemon never writes unprompted, so an idle socket that is readable has been closed.
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> Any:
        line = self.reader.readline()
        if not line:
            raise DaemonUnreachable("optunad closed the connection")
        try:
            return _json.decode(line)
        except ValueError as e:
            raise ProtocolError(f"optunad sent a line that is not JSON: {line[:200]!r}") from e

    def close(self) -> None:
        for closer in (self.reader.close, self.sock.close):
            try:
                closer()
            except OSError:
                pass


class Client:
    """A thread-safe connection to one optunad.

    Args:
        socket: the socket path; default: ``$OPTUNAD_SOCKET``, then the daemon's default paths.
        timeout: seconds to wait for the daemon on each socket operation (None: wait as long as it takes).
    """

    def __init__(self, socket: str | os.PathLike[str] | None = None, *, timeout: float | None = None) -> None:
        self.socket_path = resolve_socket_path(socket)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._idle: list[_Connection] = []
        self._ids = itertools.count(1)
        self._pid = os.getpid()
        self._methods: frozenset[str] | None = None

    # -- connections ---------------------------------------------------------------------------------

    def _acquire(self) -> _Connection:
        with self._lock:
            if self._pid != os.getpid():
                # After fork() the parent's sockets are not ours to use (nor to close: the parent still does).
                self._idle = []
                self._pid = os.getpid()
            while self._idle:
                conn = self._idle.pop()
                if not conn.is_stale():
                    return conn
                conn.close()
        return _Connection(self.socket_path, self.timeout)

    def _release(self, conn: _Connection) -> None:
        with self._lock:
            if self._pid == os.getpid():
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Closes the idle connections (calls in flight finish on theirs, which are then closed)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------------------

    def _request(self, method: str, params: dict[str, Any] | None) -> tuple[int, bytes]:
        with self._lock:
            request_id = next(self._ids)
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params:
            message["params"] = params
        return request_id, _json.encode(message)

    @staticmethod
    def _outcome(request_id: int, response: Any) -> Any:
        if not isinstance(response, dict) or response.get("id") != request_id:
            if isinstance(response, dict) and response.get("id") is None and "error" in response:
                raise from_error_object(response["error"])
            raise ProtocolError(f"unexpected answer to request {request_id}: {response!r}"[:500])
        if "error" in response:
            raise from_error_object(response["error"])
        if "result" not in response:
            raise ProtocolError(f"answer to request {request_id} has neither result nor error")
        return response["result"]

    def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Calls one method and returns its ``result``.

        Raises:
            OptunadError: the subclass for the error's kind when the daemon answers with an error;
                :class:`~optunad.exceptions.DaemonUnreachable` when the socket fails.
        """
        request_id, line = self._request(method, params)
        conn = self._acquire()
        try:
            conn.send(line)
            response = conn.receive()
        except OSError as e:
            conn.close()
            if isinstance(e, DaemonUnreachable):
                raise
            raise DaemonUnreachable(f"lost the connection to optunad at {self.socket_path}: {e}") from e
        except BaseException:
            # An interrupted exchange leaves the stream mid-answer: the connection cannot be reused.
            conn.close()
            raise
        self._release(conn)
        return self._outcome(request_id, response)

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        """Sends a notification (a request without id): executed by the daemon, never answered."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params:
            message["params"] = params
        conn = self._acquire()
        try:
            conn.send(_json.encode(message))
        except OSError as e:
            conn.close()
            raise DaemonUnreachable(f"lost the connection to optunad at {self.socket_path}: {e}") from e
        self._release(conn)

    def pipeline(self, calls: Iterable[tuple[str, dict[str, Any] | None]]) -> list[Any]:
        """Sends many requests on one connection without waiting for each answer.

        Returns one entry per call, in order: the result, or the :class:`OptunadError` the daemon
        answered (returned, not raised, so one failing call does not hide the others' results).
        """
        pending = [self._request(method, params) for method, params in calls]
        out: list[Any] = []
        conn = self._acquire()
        try:
            for start in range(0, len(pending), _PIPELINE_WINDOW):
                window = pending[start:start + _PIPELINE_WINDOW]
                conn.send(b"".join(line for _, line in window))
                for request_id, _ in window:
                    response = conn.receive()
                    try:
                        out.append(self._outcome(request_id, response))
                    except (ProtocolError, DaemonUnreachable):
                        raise
                    except OptunadError as e:
                        out.append(e)
        except BaseException as e:
            conn.close()
            if isinstance(e, OSError) and not isinstance(e, OptunadError):
                raise DaemonUnreachable(f"lost the connection to optunad at {self.socket_path}: {e}") from e
            raise
        self._release(conn)
        return out

    # -- conveniences --------------------------------------------------------------------------------

    def hello(self) -> dict[str, Any]:
        """The daemon's ``hello``: server, version, protocol, storage, samplers, pruners, methods."""
        result = self.call("hello")
        with self._lock:
            self._methods = frozenset(result.get("methods", ()))
        return result

    def has_method(self, method: str) -> bool:
        """Whether the daemon lists ``method`` in ``hello`` (asked once, then remembered)."""
        if self._methods is None:
            self.hello()
        assert self._methods is not None
        return method in self._methods


_shared: dict[str, Client] = {}
_shared_lock = threading.Lock()


@atexit.register
def _close_shared() -> None:
    with _shared_lock:
        clients = list(_shared.values())
    for client in clients:
        client.close()


def shared_client(socket: str | os.PathLike[str] | Client | None = None) -> Client:
    """The process-wide client for a socket path (studies on one daemon share its connection pool)."""
    if isinstance(socket, Client):
        return socket
    path = resolve_socket_path(socket)
    with _shared_lock:
        client = _shared.get(path)
        if client is None:
            client = _shared[path] = Client(path)
        return client
