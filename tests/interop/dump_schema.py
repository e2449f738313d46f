"""Print a SQLite database's schema, one JSON array [type, name, tbl_name, sql] per line, in creation order.

Usage: dump_schema.py DB
       dump_schema.py --create-with-optuna DB   (first let Optuna create an empty database at DB)
"""

import json
import sqlite3
import sys


def main() -> None:
    args = sys.argv[1:]
    if args[0] == "--create-with-optuna":
        import optuna

        path = args[1]
        optuna.storages.RDBStorage(f"sqlite:///{path}")
    else:
        path = args[0]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")
    for row in rows:
        print(json.dumps(list(row)))


if __name__ == "__main__":
    main()
