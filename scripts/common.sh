# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts sourcing this file
# Shared setup for scripts/run and scripts/test. Source it, do not execute it.
#
# After sourcing, these are available:
#   REPO_DIR          repository root (the addon itself)
#   MODULE            technical name of the addon (customer_credit_archive)
#   LOCAL_DIR         $REPO_DIR/.local (ignored by git)
#   ADDONS_PATH       addons path handed to Odoo (temp dir with the symlink first)
#   ODOO_DATA_DIR     Odoo's data dir (filestores live in $ODOO_DATA_DIR/filestore/<db>)
#   ODOO_CMD[@]       command running Odoo with the same python3 that was checked
#   ODOO_COMMON_ARGS[@] addons path + database connection options for Odoo
#   PGHOST/PGPORT/PGUSER exported for the PostgreSQL server in use
#   cca_pg DBNAME SQL helper running SQL (autocommit) and printing the rows
#
# Environment knobs:
#   ADDON_DIR   directory linked as the addon (default: REPO_DIR); lets the
#               scripts run against another checkout of the addon
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   standard libpq variables
#   ODOO_RC     ignored on purpose: a stray ~/.odoorc must not leak in; pass
#               -c FILE to the scripts if you really want a config file

MODULE=customer_credit_archive
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCAL_DIR="$REPO_DIR/.local"

cca_die() {
    echo "error: $*" >&2
    exit 1
}

if ! python3 -c 'import odoo.release as r; assert r.serie == "18.0"' >/dev/null 2>&1; then
    echo "error: Odoo 18.0 is required (python3 cannot import odoo); install Odoo 18.0 first, see README.md" >&2
    exit 1
fi

mkdir -p "$LOCAL_DIR"

# --- Odoo configuration -----------------------------------------------------
# An empty config file so that ~/.odoorc (or an inherited ODOO_RC) is never read.
export ODOO_RC="$LOCAL_DIR/odoo.rc"
: >"$ODOO_RC"

# --- temp addons dir: <dir>/customer_credit_archive -> the addon ------------
ADDON_DIR="$(cd "${ADDON_DIR:-$REPO_DIR}" && pwd -P)"
[[ -f "$ADDON_DIR/__manifest__.py" ]] || cca_die "no __manifest__.py in $ADDON_DIR"
# Outside the checkout: a link inside it would loop back into the addon, and Odoo's
# file scans (translation export) follow links. One dir per checkout, so runs do not clash.
CCA_ADDONS_DIR="${TMPDIR:-/tmp}/customer_credit_archive-addons-$(id -u)-$(printf '%s' "$ADDON_DIR" | cksum | cut -d' ' -f1)"
mkdir -p "$CCA_ADDONS_DIR"
ln -sfn "$ADDON_DIR" "$CCA_ADDONS_DIR/$MODULE"

# Ask Odoo for its default addons path and data dir (ODOO_RC is empty here).
{
    read -r CCA_DEFAULT_ADDONS_PATH
    read -r ODOO_DATA_DIR
} < <(python3 -c '
from odoo.tools import config
config._parse_config([])
print(config["addons_path"])
print(config["data_dir"])
')
[[ -n "${CCA_DEFAULT_ADDONS_PATH:-}" ]] || cca_die "could not compute the Odoo addons path"
ADDONS_PATH="$CCA_ADDONS_DIR,$CCA_DEFAULT_ADDONS_PATH"
ODOO_CMD=(python3 -m odoo)

# --- PostgreSQL ---------------------------------------------------------------
# cca_pg DBNAME SQL: run SQL in autocommit using the libpq environment, print
# the first column of each returned row. Non-zero exit when it cannot connect.
cca_pg() {
    python3 - "$1" "$2" <<'PY'
import sys
import psycopg2
try:
    cnx = psycopg2.connect(dbname=sys.argv[1], connect_timeout=5)
except psycopg2.Error as e:
    print(str(e).strip().splitlines()[0] if str(e).strip() else "connection failed", file=sys.stderr)
    sys.exit(2)
cnx.autocommit = True
with cnx.cursor() as cr:
    cr.execute(sys.argv[2])
    if cr.description:
        for row in cr.fetchall():
            print(row[0])
cnx.close()
PY
}

cca_pg_reachable() {
    cca_pg postgres 'select 1' >/dev/null 2>&1
}

# Try to use a running server reachable through the libpq variables.
cca_find_server() {
    local users=() u
    if [[ -n "${PGUSER:-}" ]]; then
        users=("$PGUSER")
    else
        users=("$(id -un)")
        [[ "${users[0]}" == root ]] || users+=(root)
    fi
    if [[ -n "${PGHOST:-}" ]]; then
        for u in "${users[@]}"; do
            if PGUSER="$u" cca_pg_reachable; then export PGUSER="$u"; return 0; fi
        done
        return 1
    fi
    # PGHOST unset: TCP on 127.0.0.1 first, then the default local socket.
    for u in "${users[@]}"; do
        if PGHOST=127.0.0.1 PGPORT="${PGPORT:-5432}" PGUSER="$u" cca_pg_reachable; then
            export PGHOST=127.0.0.1 PGPORT="${PGPORT:-5432}" PGUSER="$u"
            return 0
        fi
    done
    for u in "${users[@]}"; do
        if PGUSER="$u" cca_pg_reachable; then export PGUSER="$u"; return 0; fi
    done
    return 1
}

cca_free_port() {  # cca_free_port [START]: first free TCP port on 127.0.0.1 (>= START, else any)
    python3 - "${1:-0}" <<'PY'
import socket, sys
start = int(sys.argv[1])
for port in (range(start, start + 200) if start else [0]):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(s.getsockname()[1])
        sys.exit(0)
    except OSError:
        pass
    finally:
        s.close()
sys.exit(1)
PY
}

# Private cluster under .local/pgdata (initdb on first use, pg_ctl start).
cca_private_cluster() {
    local bindir="" d
    for d in $(compgen -G "/usr/lib/postgresql/*/bin" | sort -V -r) /usr/local/pgsql/bin; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then bindir="$d"; break; fi
    done
    if [[ -z "$bindir" ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        bindir="$(dirname "$(command -v initdb)")"
    fi
    if [[ -z "$bindir" ]]; then
        echo "error: PostgreSQL is required: no server reachable (PGHOST=${PGHOST:-<unset>} PGPORT=${PGPORT:-<unset>}) and no initdb/pg_ctl found (install the 'postgresql' package)" >&2
        exit 1
    fi

    local pgdata="$LOCAL_DIR/pgdata" runas=()
    if [[ "$(id -u)" == 0 ]]; then
        # initdb refuses to run as root: run the cluster as the postgres user
        id postgres >/dev/null 2>&1 || cca_die "running as root and there is no 'postgres' system user to own the private PostgreSQL cluster"
        runas=(runuser -u postgres --)
        if ! "${runas[@]}" test -x "$LOCAL_DIR" 2>/dev/null; then
            # the postgres user cannot traverse the repo path (e.g. under /root)
            pgdata="/var/tmp/${MODULE}-pgdata-$(printf '%s' "$REPO_DIR" | cksum | cut -d' ' -f1)"
            echo "note: user postgres cannot access $LOCAL_DIR, using $pgdata for the private cluster" >&2
        fi
    fi
    export CCA_PGDATA="$pgdata"
    CCA_PG_CTL=("${runas[@]}" "$bindir/pg_ctl")

    (
        # serialize concurrent initdb/start
        exec 9>"$LOCAL_DIR/pgdata.lock"
        command -v flock >/dev/null 2>&1 && flock 9
        if [[ ! -s "$pgdata/PG_VERSION" ]]; then
            echo "Creating a private PostgreSQL cluster in $pgdata ..." >&2
            mkdir -p "$pgdata"
            chmod 700 "$pgdata"
            [[ ${#runas[@]} -eq 0 ]] || chown postgres: "$pgdata"
            local loc=(--locale=C.UTF-8)
            locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || loc=(--no-locale)
            "${runas[@]}" "$bindir/initdb" -D "$pgdata" -U odoo --auth=trust -E UTF8 "${loc[@]}" >"$LOCAL_DIR/initdb.log" 2>&1 \
                || { cat "$LOCAL_DIR/initdb.log" >&2; cca_die "initdb failed"; }
            cat >>"$pgdata/postgresql.conf" <<'CONF'
# --- private development cluster (scripts/common.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
        fi
        if ! "${CCA_PG_CTL[@]}" status -D "$pgdata" >/dev/null 2>&1; then
            local port
            port="$(cca_free_port 54329)" || cca_die "no free port for PostgreSQL"
            echo "Starting the private PostgreSQL cluster on 127.0.0.1:$port ..." >&2
            # started through python so that no inherited file descriptor (the
            # lock above, a CI log pipe...) stays open in the postgres daemon
            python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))' \
                "${CCA_PG_CTL[@]}" start -D "$pgdata" -w -t 60 -l "$pgdata/postgresql.log" -o "-p $port" \
                || { tail -n 20 "$pgdata/postgresql.log" >&2 || true; cca_die "could not start PostgreSQL (log: $pgdata/postgresql.log)"; }
        fi
    ) || exit 1
    local port
    port="$(sed -n 4p "$pgdata/postmaster.pid" 2>/dev/null)"
    [[ -n "$port" ]] || cca_die "cannot read the port of the private cluster from $pgdata/postmaster.pid"
    export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=odoo
    cca_pg_reachable || cca_die "private PostgreSQL cluster on 127.0.0.1:$port is not reachable"
}

if cca_find_server; then
    CCA_PG_MODE=server
else
    CCA_PG_MODE=private-cluster
    cca_private_cluster
fi

# PGPASSWORD (if any) stays in the environment: libpq reads it, so it is not
# put on Odoo's command line where `ps` would show it.
ODOO_DB_ARGS=()
[[ -z "${PGHOST:-}" ]] || ODOO_DB_ARGS+=(--db_host "$PGHOST")
[[ -z "${PGPORT:-}" ]] || ODOO_DB_ARGS+=(--db_port "$PGPORT")
[[ -z "${PGUSER:-}" ]] || ODOO_DB_ARGS+=(--db_user "$PGUSER")
ODOO_COMMON_ARGS=(--addons-path "$ADDONS_PATH" "${ODOO_DB_ARGS[@]}")

# cca_drop_db NAME: drop a database (if it exists) and its filestore.
cca_drop_db() {
    local name="$1" q
    q="\"${name//\"/\"\"}\""
    cca_pg postgres "DROP DATABASE IF EXISTS $q WITH (FORCE)" >/dev/null 2>&1 \
        || cca_pg postgres "DROP DATABASE IF EXISTS $q" >/dev/null
    if [[ -n "${ODOO_DATA_DIR:-}" && -n "$name" && -d "$ODOO_DATA_DIR/filestore/$name" ]]; then
        rm -rf -- "${ODOO_DATA_DIR:?}/filestore/$name"
    fi
}

cca_db_exists() {
    [[ "$(cca_pg postgres "SELECT 1 FROM pg_database WHERE datname = '${1//\'/\'\'}'")" == 1 ]]
}
