#!/usr/bin/env bash
# Start PostgreSQL (127.0.0.1:5432, trust auth, database "test") and Redis (127.0.0.1:6379)
# for the test suite, if they are not already answering.
set -euo pipefail

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif sudo -n true 2>/dev/null; then sudo -n "$@"; else
    echo "Need root to run: $*" >&2; return 1; fi
}
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! pg_ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 0.5; done
fi
pg_ready || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1; then
  # A fresh Debian cluster asks for passwords over TCP; the test cluster trusts loopback.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  sleep 1
fi
if [[ -z $(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname='test'") ]]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database test"
fi

if ! (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do
    (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break
    sleep 0.25
  done
fi
echo "PostgreSQL and Redis are up."
