# shellcheck shell=bash
# A private PostgreSQL (+ PostGIS) cluster for development and tests.
# Source this file; it defines:
#
#   pg_cluster_start DIR [DBNAME]
#       Creates (initdb) DIR/pgdata on first use and starts the server if it is
#       not running. The server listens on no TCP port, only on a Unix socket
#       in DIR/run; it logs to DIR/postgres.log. Creates database DBNAME
#       (default: semnal) if missing and exports
#           DATABASE_URL=postgres:///DBNAME?host=DIR/run&port=5432&user=postgres
#       (understood by libpq/psql and by sqlx). Sets PG_CLUSTER_STARTED=1 if
#       this call started the server, 0 if it was already running.
#       With PG_TEST_MODE=1 the server runs with fsync, synchronous_commit and
#       full_page_writes off: fast, and unsafe for anything but tests.
#
#   pg_cluster_stop DIR
#       Fast shutdown; quiet if the cluster is not running or does not exist.
#
#   pg_cluster_url DIR DBNAME
#       Prints the connection URL for database DBNAME of the cluster in DIR.
#
#   pg_psql DIR [psql args...]
#       Runs psql (as the cluster owner) against the cluster in DIR.
#
# Binaries are taken from /usr/lib/postgresql/<MAJOR>/bin for the newest
# installed major that also has PostGIS installed (PG_MAJOR and PG_BIN are set).
# PostgreSQL refuses to run as root: when run as root, DIR/pgdata and DIR/run
# are owned by the `postgres` system user and every PostgreSQL binary runs
# through `runuser -u postgres --`.

PG_CLUSTER_PORT=${PG_CLUSTER_PORT:-5432}

_pg_log() { printf '==> %s\n' "$*" >&2; }
_pg_err() { printf 'error: %s\n' "$*" >&2; }

_pg_is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as the cluster owner (postgres when we are root).
_pg_as_owner() {
    if _pg_is_root; then
        # cd / so that postgres is not left in a directory it cannot read.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Chooses PG_MAJOR / PG_BIN: the newest installed server major with PostGIS.
pg_select_binaries() {
    local bin major best="" best_any=""
    for bin in /usr/lib/postgresql/*/bin/postgres; do
        [[ -x $bin ]] || continue
        major=${bin#/usr/lib/postgresql/}
        major=${major%%/*}
        [[ $major =~ ^[0-9]+$ ]] || continue
        if [[ -z $best_any ]] || ((major > best_any)); then
            best_any=$major
        fi
        if [[ -f /usr/share/postgresql/$major/extension/postgis.control ]]; then
            if [[ -z $best ]] || ((major > best)); then
                best=$major
            fi
        fi
    done
    if [[ -z $best_any ]]; then
        _pg_err "no PostgreSQL server found (/usr/lib/postgresql/*/bin/postgres)."
        _pg_err "run ensure_system_packages (scripts/lib/deps.sh) or: apt-get install postgresql postgresql-<MAJOR>-postgis-3"
        return 1
    fi
    if [[ -z $best ]]; then
        _pg_err "PostgreSQL $best_any is installed but PostGIS is not: apt-get install postgresql-$best_any-postgis-3"
        return 1
    fi
    PG_MAJOR=$best
    PG_BIN=/usr/lib/postgresql/$best/bin
    export PG_MAJOR PG_BIN
}

# Absolute path of DIR (which may not exist yet) without resolving symlinks.
_pg_abs() {
    case $1 in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$PWD" "${1#./}" ;;
    esac
}

# Percent-encodes a string for use as a URL query value.
_pg_urlencode() {
    local LC_ALL=C s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            [A-Za-z0-9/._~-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s\n' "$out"
}

pg_cluster_url() {
    local run
    run=$(_pg_abs "$1")/run
    printf 'postgres:///%s?host=%s&port=%s&user=postgres\n' \
        "$(_pg_urlencode "$2")" "$(_pg_urlencode "$run")" "$PG_CLUSTER_PORT"
}

pg_psql() {
    local dir=$1
    shift
    [[ -n ${PG_BIN:-} ]] || pg_select_binaries || return 1
    dir=$(_pg_abs "$dir")
    _pg_as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$dir/run" -p "$PG_CLUSTER_PORT" -U postgres "$@"
}

# True if DIR/pgdata/postmaster.pid names a live postmaster of this data dir.
_pg_postmaster_alive() {
    local pgdata=$1 pid cmdline
    [[ -f $pgdata/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$pgdata/postmaster.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    if [[ -r /proc/$pid/cmdline ]]; then
        cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
        # pg_ctl starts the postmaster as `postgres -D <abs pgdata>`.
        [[ $cmdline == *postgres* && $cmdline == *"$pgdata"* ]]
    else
        # No /proc (or the process is gone): ask pg_ctl.
        _pg_as_owner "$PG_BIN/pg_ctl" status -D "$pgdata" >/dev/null 2>&1
    fi
}

# Fails with a clear message if the postgres user cannot reach DIR.
_pg_check_traversable() {
    local dir=$1 p
    _pg_is_root || return 0
    if runuser -u postgres -- test -x "$dir" 2>/dev/null; then
        return 0
    fi
    p=$dir
    while [[ $p != / && -n $p ]]; do
        p=$(dirname "$p")
        if ! runuser -u postgres -- test -x "$p" 2>/dev/null; then
            _pg_err "the 'postgres' user cannot enter $p (mode $(stat -c %A "$p"), owner $(stat -c %U "$p"))."
            _pg_err "PostgreSQL runs as 'postgres' when started as root, so every parent directory of"
            _pg_err "$dir must be traversable by it (e.g. chmod o+x $p), or use another location."
            return 1
        fi
    done
    _pg_err "the 'postgres' user cannot enter $dir"
    return 1
}

_pg_write_conf() {
    local pgdata=$1 run=$2 durable=on
    if [[ ${PG_TEST_MODE:-0} == 1 ]]; then
        durable=off
    fi
    local conf="$pgdata/semnal.conf"
    {
        echo "# Written by scripts/lib/pg.sh on every start; edits are lost."
        echo "listen_addresses = ''"
        echo "port = $PG_CLUSTER_PORT"
        echo "unix_socket_directories = '${run//\'/\'\'}'"
        echo "max_connections = 200"
        echo "shared_buffers = '256MB'"
        echo "jit = off"
        echo "fsync = $durable"
        echo "synchronous_commit = $durable"
        echo "full_page_writes = $durable"
    } >"$conf.tmp"
    mv -f "$conf.tmp" "$conf"
    if _pg_is_root; then
        chown postgres:postgres "$conf"
    fi
    chmod 600 "$conf"
    if ! grep -qs "^include_if_exists = 'semnal.conf'" "$pgdata/postgresql.conf"; then
        printf "\n# Settings managed by semnal's scripts/lib/pg.sh\ninclude_if_exists = 'semnal.conf'\n" \
            >>"$pgdata/postgresql.conf"
    fi
}

_pg_initdb() {
    local pgdata=$1 locale=C
    if locale -a 2>/dev/null | grep -Eqix 'c\.utf-?8'; then
        locale=C.UTF-8
    fi
    _pg_log "initializing PostgreSQL $PG_MAJOR cluster in $pgdata (locale $locale)"
    if ! _pg_as_owner "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust \
        --encoding=UTF8 --locale="$locale" >"$pgdata.initdb.log" 2>&1; then
        cat "$pgdata.initdb.log" >&2
        _pg_err "initdb failed (log above; also in $pgdata.initdb.log)"
        return 1
    fi
    rm -f "$pgdata.initdb.log"
}

pg_cluster_start() {
    local dir=${1:?usage: pg_cluster_start DIR [DBNAME]} db=${2:-semnal}
    local pgdata run log
    pg_select_binaries || return 1

    dir=$(_pg_abs "$dir")
    pgdata=$dir/pgdata
    run=$dir/run
    log=$dir/postgres.log
    PG_CLUSTER_STARTED=0
    export PG_CLUSTER_STARTED

    # sun_path is 108 bytes including the socket file name and a NUL.
    if ((${#run} + ${#PG_CLUSTER_PORT} + 11 > 107)); then
        _pg_err "socket directory path is too long for a Unix socket: $run"
        _pg_err "move the checkout to a shorter path, or set DATABASE_URL to an existing database."
        return 1
    fi
    if _pg_is_root && ! id -u postgres >/dev/null 2>&1; then
        _pg_err "running as root but there is no 'postgres' user to run PostgreSQL as."
        return 1
    fi

    # Directories we create must be enterable by postgres, whatever the umask.
    (umask 022 && mkdir -p "$dir")
    _pg_check_traversable "$dir" || return 1

    if [[ -e $pgdata && ! -O $pgdata ]] && ! _pg_is_root; then
        _pg_err "$pgdata is owned by $(stat -c %U "$pgdata"), not $(id -un)."
        _pg_err "it was probably created by a run as root; run as root again or delete $dir"
        return 1
    fi

    local fresh=0
    if [[ ! -f $pgdata/PG_VERSION ]]; then
        fresh=1
        if [[ -d $pgdata ]] && [[ -n $(ls -A "$pgdata") ]]; then
            _pg_err "$pgdata exists, is not empty and is not a PostgreSQL data directory; remove it"
            return 1
        fi
        mkdir -p "$pgdata"
    else
        local have
        have=$(cat "$pgdata/PG_VERSION")
        if [[ $have != "$PG_MAJOR" ]]; then
            _pg_err "$pgdata was created by PostgreSQL $have but PostgreSQL $PG_MAJOR (with PostGIS) is selected."
            _pg_err "delete $dir to start over (its data is lost), or install postgresql-$have-postgis-3."
            return 1
        fi
    fi
    mkdir -p "$run"
    touch "$log"
    if _pg_is_root; then
        if [[ $(stat -c %U "$pgdata") != postgres ]] && ((!fresh)); then
            _pg_log "giving $pgdata to the postgres user (it runs PostgreSQL when we are root)"
            chown -R postgres:postgres "$pgdata"
        fi
        chown postgres:postgres "$pgdata" "$run" "$log"
    fi
    chmod 700 "$pgdata" "$run"

    if ((fresh)); then
        _pg_initdb "$pgdata" || return 1
    fi
    _pg_write_conf "$pgdata" "$run"

    if _pg_postmaster_alive "$pgdata"; then
        # Already running (another shell, or an earlier run that was killed):
        # reuse it, picking up the settings we just wrote where possible.
        _pg_as_owner "$PG_BIN/pg_ctl" reload -D "$pgdata" -s >/dev/null 2>&1 || true
    else
        if [[ -f $pgdata/postmaster.pid ]]; then
            _pg_log "removing stale $pgdata/postmaster.pid (server was not shut down cleanly)"
            rm -f "$pgdata/postmaster.pid" "$run/.s.PGSQL.$PG_CLUSTER_PORT" "$run/.s.PGSQL.$PG_CLUSTER_PORT.lock"
        fi
        if ! _pg_as_owner "$PG_BIN/pg_ctl" start -w -t 120 -s -D "$pgdata" -l "$log" >/dev/null; then
            _pg_err "PostgreSQL failed to start; last lines of $log:"
            tail -n 30 "$log" >&2
            return 1
        fi
        PG_CLUSTER_STARTED=1
    fi

    # Wait until it accepts connections (pg_ctl -w does, but not when reused).
    local i
    for ((i = 0; i < 120; i++)); do
        if _pg_as_owner "$PG_BIN/pg_isready" -q -h "$run" -p "$PG_CLUSTER_PORT" -U postgres -d postgres; then
            break
        fi
        sleep 0.5
    done
    if ((i == 120)); then
        _pg_err "PostgreSQL in $pgdata is not accepting connections; see $log"
        return 1
    fi

    if [[ $db != postgres ]]; then
        local exists
        exists=$(pg_psql "$dir" -d postgres -tAc \
            "select 1 from pg_database where datname = '${db//\'/\'\'}'") || return 1
        if [[ $exists != 1 ]]; then
            _pg_as_owner "$PG_BIN/createdb" -h "$run" -p "$PG_CLUSTER_PORT" -U postgres "$db" || return 1
        fi
    fi

    DATABASE_URL=$(pg_cluster_url "$dir" "$db")
    export DATABASE_URL
}

pg_cluster_stop() {
    local dir=${1:?usage: pg_cluster_stop DIR} pgdata
    dir=$(_pg_abs "$dir")
    pgdata=$dir/pgdata
    [[ -f $pgdata/PG_VERSION ]] || return 0
    [[ -n ${PG_BIN:-} ]] || pg_select_binaries >/dev/null 2>&1 || return 0
    _pg_postmaster_alive "$pgdata" || return 0
    _pg_as_owner "$PG_BIN/pg_ctl" stop -m fast -w -t 120 -s -D "$pgdata" >/dev/null 2>&1 || {
        _pg_err "could not stop PostgreSQL in $pgdata; see $dir/postgres.log"
        return 1
    }
}
