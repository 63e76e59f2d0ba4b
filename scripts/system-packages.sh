#!/usr/bin/env bash
# Install the Debian packages Assay needs, where the machine lacks them.
#   scripts/system-packages.sh run    what `make run` needs (the sandbox and its language runtimes)
#   scripts/system-packages.sh test   plus PostgreSQL, Redis and Chromium for the test suite
# As root it runs apt-get; otherwise it uses sudo when that works without a password, and
# failing that prints the one command to run.
set -euo pipefail

RUN_PACKAGES=(
  python3 python3-venv python3-dev gcc make git
  bubblewrap python3-seccomp libseccomp2
  python3-pytest python3-pytest-timeout nodejs default-jdk-headless junit5
  libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
)
TEST_PACKAGES=(postgresql redis-server chromium npm poppler-utils)

packages=("${RUN_PACKAGES[@]}")
[[ "${1:-run}" == "test" ]] && packages+=("${TEST_PACKAGES[@]}")

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# A Node.js from another source (with its own npm) satisfies both; Debian's npm would conflict.
command -v node >/dev/null 2>&1 && missing=("${missing[@]/nodejs}")
command -v npm >/dev/null 2>&1 && missing=("${missing[@]/npm}")
read -r -a missing <<<"${missing[*]}"
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "Assay needs these Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
