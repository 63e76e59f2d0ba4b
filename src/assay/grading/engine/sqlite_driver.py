"""The SQLite grading driver: runs INSIDE the sandbox under /usr/bin/python3, never imported.

For each dataset it loads schema + data into a fresh in-memory database, switches it to
query_only, runs one query (the reference's, then the candidate's, each on its own copy) under a
deadline, and writes all result sets as one JSON document to fd 3.
"""

import json
import os
import sqlite3
import sys
import time
from typing import Any


def main() -> None:
    with open("config.json", encoding="utf-8") as f:
        config = json.load(f)
    schema = _read("schema.sql")
    results: dict[str, dict[str, Any]] = {}
    for name in config["datasets"]:
        data = _read(f"datasets/{name}.sql")
        results[name] = {
            role: _run(schema, data, _read(f"queries/{role}.sql"), config)
            for role in ("reference", "candidate")
        }
    payload = json.dumps(results).encode()
    view = memoryview(payload)
    while view:
        view = view[os.write(3, view) :]


def _run(schema: str, data: str, query: str, config: dict[str, Any]) -> dict[str, Any]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        connection.executescript(schema)
        connection.executescript(data)
    except sqlite3.Error as exc:
        return {"error": f"loading the dataset failed: {exc}", "kind": "dataset"}
    connection.execute("PRAGMA query_only = ON")
    deadline = time.monotonic() + float(config["time_limit_seconds"])
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        cursor = connection.execute(query)
        if cursor.description is None:
            return {"error": "the statement returns no rows (is it a SELECT?)", "kind": "runtime"}
        rows = cursor.fetchmany(int(config["max_rows"]) + 1)
    except sqlite3.Error as exc:
        return {"error": str(exc), "kind": _kind(str(exc))}
    finally:
        connection.set_progress_handler(None, 0)
    if len(rows) > int(config["max_rows"]):
        return {"error": f"more than {config['max_rows']} rows", "kind": "too_many_rows"}
    columns = [column[0] for column in cursor.description]
    return {"columns": columns, "rows": [[_value(v) for v in row] for row in rows]}


def _kind(message: str) -> str:
    if message == "interrupted":
        return "timeout"
    lowered = message.lower()
    if "syntax error" in lowered or "incomplete input" in lowered or "one statement" in lowered:
        return "syntax"
    return "runtime"


def _value(value: object) -> object:
    if isinstance(value, bytes):
        return "x'" + value.hex() + "'"
    return value


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


if __name__ == "__main__":
    main()
    sys.exit(0)
