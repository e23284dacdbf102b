# Sourced by scripts/test.sh and the benchmarks: start and stop a throwaway PostgreSQL on a free loopback
# port, from the binaries on PATH or in /usr/lib/postgresql/*/bin, as the postgres user when run as root.
# After pg_start: PG_BIN, PG_DIR, PG_PORT and PG_CONNECTION (an Npgsql connection string) are set.
# pg_server_stop and pg_server_start stop and start that same server (same port, same data) in between.

pg_find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
  fi
}

pg_as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start [extra server options...]
pg_start() {
  PG_BIN=$(pg_find_bin)
  if [[ -z "$PG_BIN" ]]; then
    cat >&2 <<'MSG'
PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin.
Install the server first:
  Debian/Ubuntu:  sudo apt-get install -y postgresql
  Fedora/RHEL:    sudo dnf install -y postgresql-server
  macOS:          brew install postgresql@15
MSG
    return 1
  fi

  PG_DIR=$(mktemp -d -t orleans-sessions-pg-XXXXXX)
  if [[ "$(id -u)" == "0" ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
  fi

  PG_PORT=$((15000 + RANDOM % 17000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done

  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # Where it listens goes into its settings file, so that pg_server_start finds the same server again.
  printf "port = %d\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nmax_connections = 200\n" \
    "$PG_PORT" "$PG_DIR" >>"$PG_DIR/data/postgresql.conf"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "$*" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

# pg_server_stop: a fast shutdown (connections are cut, data is kept). Needs PG_BIN and PG_DIR.
pg_server_stop() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null
}

# pg_server_start: the stopped server again, on its port. Needs PG_BIN and PG_DIR.
pg_server_start() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
}

pg_stop() {
  if [[ -n "${PG_DIR:-}" ]]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
