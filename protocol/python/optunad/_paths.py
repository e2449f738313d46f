"""Where the daemon's socket is, by the same rules as the daemon (protocol/README.md, "Transport")."""

from __future__ import annotations

import os
from typing import Mapping

SYSTEM_SOCKET = "/run/optunad/optunad.sock"


def default_socket_path(environ: Mapping[str, str] | None = None, uid: int | None = None) -> str:
    """The daemon's default socket path for an environment and user id.

    ``$OPTUNAD_SOCKET``, else ``$RUNTIME_DIRECTORY/optunad.sock`` (under systemd; the first of a
    colon-separated list), else ``/run/optunad/optunad.sock`` for root, else
    ``$XDG_RUNTIME_DIR/optunad/optunad.sock``, else ``/tmp/optunad-$UID/optunad.sock``.
    """
    env = os.environ if environ is None else environ
    user = os.geteuid() if uid is None else uid
    if env.get("OPTUNAD_SOCKET"):
        return env["OPTUNAD_SOCKET"]
    if env.get("RUNTIME_DIRECTORY"):
        return env["RUNTIME_DIRECTORY"].split(":", 1)[0] + "/optunad.sock"
    if user == 0:
        return SYSTEM_SOCKET
    if env.get("XDG_RUNTIME_DIR"):
        return env["XDG_RUNTIME_DIR"] + "/optunad/optunad.sock"
    return f"/tmp/optunad-{user}/optunad.sock"


def resolve_socket_path(explicit: str | os.PathLike[str] | None = None,
                        environ: Mapping[str, str] | None = None, uid: int | None = None) -> str:
    """The socket to connect to: ``explicit`` if given, else :func:`default_socket_path`.

    One addition to the daemon's rules, for users in the ``optunad`` group talking to the system
    daemon: when neither an explicit path nor ``$OPTUNAD_SOCKET`` is given, the per-user default does
    not exist and the system socket does, the system socket is used.
    """
    if explicit is not None:
        return os.fspath(explicit)
    env = os.environ if environ is None else environ
    path = default_socket_path(env, uid)
    if not env.get("OPTUNAD_SOCKET") and not os.path.exists(path) and os.path.exists(SYSTEM_SOCKET):
        return SYSTEM_SOCKET
    return path
