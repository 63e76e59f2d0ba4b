#!/usr/bin/env bash
# Create .venv and install Assay with its development tools, again only when pyproject.toml changed.
set -euo pipefail
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
stamp="$VENV/.assay-installed"

if [[ ! -x "$VENV/bin/python" ]]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  touch "$stamp"
fi
