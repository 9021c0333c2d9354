#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests and benchmarks of the
# PostgreSQL store: initdb in a folder, a Unix socket in it (no TCP port),
# pg_ctl to start and stop it.
#
#   scripts/pg_cluster.sh start DIR   # prints the URI of its postgres database
#   scripts/pg_cluster.sh stop DIR    # stops it and removes DIR
#
# initdb and the server refuse to run as root, so as root (CI) the cluster
# runs as the `postgres` user Debian's package creates. Point the tests at
# it with CASELINK_TEST_PG="$(scripts/pg_cluster.sh start DIR)"; point
# caselink at a database of it with --store 'postgresql:///DB?host=DIR'
# after `createdb` (or at any existing database the same way).
set -euo pipefail

action=${1:?usage: pg_cluster.sh start|stop DIR}
dir=${2:?usage: pg_cluster.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg_cluster: no PostgreSQL server installed (apt install postgresql-15; scripts/setup.sh does)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" --username=caselink --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # Sized for tests and benchmarks on a small machine; durability as a
    # real server's (fsync on), since the benchmarks time it.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=100 \
          -c shared_buffers=256MB -c max_wal_size=4GB -c maintenance_work_mem=256MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&user=caselink"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
