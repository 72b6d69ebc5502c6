#!/usr/bin/env bash
# Runs a command with the test services ready: Chromium and a throwaway PostgreSQL cluster.
# Missing Debian packages are installed when we are root; otherwise the exact command is printed
# and only the tests that need them are skipped (with CI=true, pytest turns such skips into failures).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "services: installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "services: missing ${need[*]}; install with: sudo apt-get install -y ${need[*]}"
    echo "services: the tests that need them will be skipped"
  fi
fi

cleanup() { :; }
if PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1) && [ -n "$PGBIN" ] \
   && [ -z "${QI_TEST_DATABASE_URL:-}" ]; then
  PGDATA=$(mktemp -d /tmp/qiskills-pg.XXXXXX)
  PGPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDATA"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -s \
    -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start
  cleanup() { "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -s stop || true; rm -rf "$PGDATA"; }
  trap cleanup EXIT
  "${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres qiskills_test
  export QI_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/qiskills_test"
  echo "services: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
fi

"$@"
