"""Runs a SQL script against an in-memory SQLite database inside the sandbox and prints result rows.

Executed by /usr/bin/python3 in the sandbox as ``sqlite_driver.py SCRIPT.sql`` (never the sqlite3
command-line shell): each statement runs in order; rows of statements that return rows are printed
one per line, columns separated by ``|``, NULL as ``NULL``. An error stops the script with status 1.
"""

from __future__ import annotations

import sqlite3
import sys


def statements(script: str) -> list[str]:
    """Split a script at the semicolons that end complete statements (not those inside strings)."""
    found: list[str] = []
    current = ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\r\n;"):
                found.append(current)
            current = ""
    if current.strip(" \t\r\n;"):
        found.append(current.rstrip(";"))
    return found


def render(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        script = handle.read()
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statement in statements(script):
            cursor = connection.execute(statement)
            if cursor.description is not None:
                for row in cursor:
                    sys.stdout.write("|".join(render(value) for value in row) + "\n")
    except sqlite3.Error as error:
        sys.stderr.write(f"Error: {error}\n")
        return 1
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
