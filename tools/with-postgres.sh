#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server (Debian's package) on a loopback port, in a temporary data
# folder, runs the given command with CENSUSQA_TEST_POSTGRES set to its address, then stops the
# server and removes the folder. Used by ctest for the history store's PostgreSQL tests and by hand:
#   bash tools/with-postgres.sh build/bin/test_store
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: with-postgres.sh COMMAND [ARGS...]" >&2; exit 2; }
bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin=$d; done
if [ -z "$bin" ]; then
  echo "with-postgres.sh: no PostgreSQL server found (install Debian's postgresql package: bash tools/setup.sh)" >&2
  exit 2
fi
dir=$(mktemp -d /tmp/censusqa-pg.XXXXXX)
as_server=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_server=(runuser -u postgres --)
fi
# A free loopback port: ask the kernel for one.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The server commands run from the data folder's parent: as 'postgres' the caller's folder may be unreadable.
server() { (cd "$dir" && "${as_server[@]}" "$@"); }
cleanup() {
  server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 2; }
server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 2; }
export CENSUSQA_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
