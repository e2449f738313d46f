#!/usr/bin/env python3
"""A minimal optunad client for the end-to-end test (standard library only, so it runs with the system Python
inside the test container): `rpc.py SOCKET METHOD [PARAMS-JSON]` prints the result as JSON.

Exit status: 0 success, 1 the daemon answered with an error, 69 the socket could not be reached."""

import json
import socket
import sys


def main() -> int:
    path, method = sys.argv[1], sys.argv[2]
    params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(30)
        connection.connect(path)
    except OSError as error:
        print(f"rpc.py: cannot connect to {path}: {error}", file=sys.stderr)
        return 69
    request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    connection.sendall(json.dumps(request).encode() + b"\n")
    buffer = b""
    while b"\n" not in buffer:
        chunk = connection.recv(65536)
        if not chunk:
            print("rpc.py: the daemon closed the connection", file=sys.stderr)
            return 69
        buffer += chunk
    answer = json.loads(buffer.split(b"\n", 1)[0])
    if "error" in answer:
        print(f"rpc.py: {answer['error']}", file=sys.stderr)
        return 1
    print(json.dumps(answer["result"], sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
