#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a unix socket, in a directory you choose.
#
#   scripts/pg-local.sh start DIR    initdb (first time) and start; prints the env
#   scripts/pg-local.sh stop DIR     stop immediately (data is kept)
#   scripts/pg-local.sh destroy DIR  stop and remove DIR
#   scripts/pg-local.sh env DIR      print PGHOST=... lines and TRADEPLANE_PG_CONNINFO
#   scripts/pg-local.sh status DIR   exit 0 when the server accepts connections
#
# The server listens on no TCP port, only on DIR/.s.PGSQL.5432, with trust
# authentication and fsync off: for tests and the demo, never for real money.
# As root, the server runs as the unprivileged `postgres` user (PostgreSQL
# refuses to run as root) and DIR is handed to that user.
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"
user=tradeplane
db=tradeplane
port=5432

if [[ -z "${PG_BIN:-}" ]]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/pg_ctl" ]]; then
  echo "pg-local: PostgreSQL server binaries not found (run scripts/bootstrap.sh)" >&2
  exit 1
fi
# The socket path must fit in sun_path (107 bytes).
if [[ ${#dir} -gt 80 ]]; then
  echo "pg-local: '$dir' is too long for a unix socket path; use a shorter directory" >&2
  exit 1
fi

as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

print_env() {
  echo "PGHOST=$dir"
  echo "PGPORT=$port"
  echo "PGUSER=$user"
  echo "PGDATABASE=$db"
  echo "TRADEPLANE_PG_CONNINFO='host=$dir port=$port user=$user dbname=$db'"
}

running() { as_server "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case "$cmd" in
  start)
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
      as_server "$PG_BIN/initdb" -D "$data" -U "$user" --auth=trust --no-sync -E UTF8 \
        --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! running; then
      as_server "$PG_BIN/pg_ctl" -D "$data" -w -t 30 -l "$dir/server.log" \
        -o "-k $dir -c listen_addresses='' -p $port -c fsync=off -c synchronous_commit=on -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    if ! "$PG_BIN/psql" -h "$dir" -p "$port" -U "$user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      "$PG_BIN/createdb" -h "$dir" -p "$port" -U "$user" "$db"
    fi
    print_env
    ;;
  stop)
    if [[ -f "$data/PG_VERSION" ]] && running; then
      as_server "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
    fi
    ;;
  destroy)
    if [[ -f "$data/PG_VERSION" ]] && running; then
      as_server "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
    fi
    rm -rf "$dir"
    ;;
  env)
    print_env
    ;;
  status)
    "$PG_BIN/pg_isready" -q -h "$dir" -p "$port"
    ;;
  *)
    usage
    ;;
esac
