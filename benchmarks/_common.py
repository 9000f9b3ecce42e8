"""What the benchmarks share: connection options, temp addons path, fresh databases, Odoo
environment, timing, query counting and tracing, memory. Not a benchmark itself.

The scripts import it as ``_common`` (``python3 benchmarks/<script>.py`` puts this folder first on
``sys.path``).
"""
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "customer_credit_archive"


def log(msg=""):
    print(msg, flush=True)


def run_main(main):
    """``sys.exit(main())``; an unexpected error prints its traceback and exits 2."""
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001 - a benchmark reports its error and exits 2
        traceback.print_exc()
        sys.exit(2)


# ----------------------------------------------------------------------------
# Command line and connection
# ----------------------------------------------------------------------------
def add_db_args(parser):
    """--db-host/--db-port/--db-user, by default $PGHOST/$PGPORT/$PGUSER or 127.0.0.1:5432, root."""
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))


def add_db_name_args(parser, default):
    """--db (an existing database, neither created nor dropped) and --name (the one it creates)."""
    parser.add_argument("--db", help="an existing database with the addon installed")
    parser.add_argument("--name", default=default,
                        help=f"without --db: name of the database it creates (default {default})")


def odoo_args(args):
    """Odoo's command-line options for the connection of ``args``."""
    return ["--db_host", args.db_host, "--db_port", str(args.db_port), "--db_user", args.db_user]


def drop_db(args, name, force=True):
    """``DROP DATABASE IF EXISTS``; ``force`` ends the sessions still connected to it."""
    import psycopg2
    cnx = psycopg2.connect(dbname="postgres", host=args.db_host, port=args.db_port, user=args.db_user)
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}"' + (" WITH (FORCE)" if force else ""))
    finally:
        cnx.close()


# ----------------------------------------------------------------------------
# Temp dir: the repository linked as an addon, an empty ODOO_RC
# ----------------------------------------------------------------------------
def odoo_addons_path():
    """Odoo's own addons folders (what its default addons path holds)."""
    import odoo
    base = os.path.dirname(os.path.dirname(odoo.__file__))
    return [os.path.join(base, "odoo", "addons"), os.path.join(base, "addons")]


def link_addon(addons_dir):
    """The repository linked as ``addons_dir/customer_credit_archive``; the full addons path."""
    link = os.path.join(addons_dir, MODULE)
    if not os.path.exists(link):
        os.symlink(REPO_DIR, link)
    return ",".join([*odoo_addons_path(), addons_dir])


class Workspace:
    """A temp dir with ``addons/`` (the repository linked under the module's name), ``data/`` (the
    filestore, when ``data_dir``) and an empty ``odoo.rc`` set as ``ODOO_RC`` (never ~/.odoorc)."""

    def __init__(self, prefix, data_dir=True):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        addons_dir = os.path.join(self.tmp, "addons")
        os.makedirs(addons_dir)
        self.addons_path = link_addon(addons_dir)
        self.data_dir = os.path.join(self.tmp, "data") if data_dir else None
        rc_file = os.path.join(self.tmp, "odoo.rc")
        open(rc_file, "w").close()
        os.environ["ODOO_RC"] = rc_file

    def options(self):
        """--addons-path (and --data-dir) for Odoo."""
        return ["--addons-path", self.addons_path] + (["--data-dir", self.data_dir] if self.data_dir else [])

    def remove(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def odoo_command():
    exe = shutil.which("odoo")
    return [exe] if exe else [sys.executable, "-m", "odoo"]


def create_dbs(args, dbs, workspace, force=True):
    """Drop then create each database of ``dbs`` ([(name, modules)]) with ``odoo -i modules
    --without-demo=all --stop-after-init``, all at once (installs are not measured). Each install
    logs into the temp dir; when one fails (status or ERROR line) the end of its log is printed
    and the script exits 2."""
    for db, _modules in dbs:
        drop_db(args, db, force=force)
    procs = {}
    for db, modules in dbs:
        logfile = os.path.join(workspace.tmp, f"install_{db}.log")
        cmd = odoo_command() + [
            "-d", db, "-i", modules, "--without-demo=all", "--stop-after-init",
            "--no-http", "--max-cron-threads=0", "--workers=0", "--log-level=warn",
            *odoo_args(args), *workspace.options(),
        ]
        fh = open(logfile, "w")
        procs[db] = (subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
                     fh, logfile)
    failed = []
    for db, (proc, fh, logfile) in procs.items():
        rc = proc.wait()
        fh.close()
        with open(logfile) as f:
            text = f.read()
        if rc or re.search(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", text, re.M):
            failed.append(db)
            log(f"install of {db} failed (rc={rc}); end of its log:")
            log("\n".join(text.splitlines()[-40:]))
    if failed:
        raise SystemExit(2)


# ----------------------------------------------------------------------------
# Odoo in this process
# ----------------------------------------------------------------------------
def configure(args, addons_path, data_dir=None):
    """Odoo's configuration of this process: connection, addons path, warnings only."""
    import odoo
    odoo.tools.config.parse_config([
        *odoo_args(args), "--addons-path", addons_path, *(["--data-dir", data_dir] if data_dir else []),
        "--log-level", "warn", "--without-demo=all", "--max-cron-threads=0",
    ], setup_logging=True)


@contextmanager
def given_or_fresh_env(args, prefix, installed=""):
    """A superuser environment of --db (an existing database) or, without it, of a fresh database
    named --name with the addon (see ``fresh_databases``; dropped at the end unless --keep)."""
    workspace = Workspace(prefix, data_dir=False)
    dbname = args.db or args.name
    if not args.db:
        log(f"installing {MODULE} in {dbname} ...")
    dbs = [] if args.db else [(dbname, MODULE)]
    with (fresh_databases(args, dbs, workspace, force=False, installed=installed),
          superuser_env(dbname) as env):
        yield env


def open_env(dbname):
    """A superuser environment on a new cursor of ``dbname`` (the caller closes ``env.cr``)."""
    import odoo
    from odoo.modules.registry import Registry
    return odoo.api.Environment(Registry(dbname).cursor(), odoo.SUPERUSER_ID, {})


@contextmanager
def superuser_env(dbname):
    """A superuser environment of ``dbname`` for the block (its cursor commits at a normal exit)."""
    import odoo
    from odoo.modules.registry import Registry
    with Registry(dbname).cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def release_dbs(dbnames):
    """Forget the registries and close the connections of ``dbnames`` (before a drop)."""
    try:
        import odoo.sql_db
        from odoo.modules.registry import Registry
        for db in dbnames:
            Registry.delete(db)
        odoo.sql_db.close_all()
    except Exception:  # noqa: BLE001
        pass


def drop_dbs(args, dbnames, force=True):
    for db in dbnames:
        try:
            drop_db(args, db, force=force)
        except Exception as e:  # noqa: BLE001
            log(f"warning: could not drop {db}: {e}")


@contextmanager
def fresh_databases(args, dbs, workspace, force=True, installed="installed in"):
    """For the block: the databases ``dbs`` ([(name, modules)], maybe none) created by ``create_dbs``
    (then "<installed> N s" printed, unless ``installed`` is empty) and Odoo configured in this
    process; at the end, their connections closed and, unless ``args.keep``, the databases dropped
    and the temp dir removed."""
    names = [db for db, _modules in dbs]
    try:
        if dbs:
            t0 = time.perf_counter()
            create_dbs(args, dbs, workspace, force=force)
            if installed:
                log(f"{installed} {time.perf_counter() - t0:.0f} s")
        configure(args, workspace.addons_path, workspace.data_dir)
        yield
    finally:
        release_dbs(names)
        if names and args.keep:
            log(f"--keep: kept database{'s' if len(names) > 1 else ''} {', '.join(names)}"
                + (f" (filestore in {workspace.data_dir})" if workspace.data_dir else ""))
        else:
            drop_dbs(args, names, force=force)
            workspace.remove()


def analyze(cr):
    """Commit, then ``ANALYZE`` the whole database (fresh planner statistics, as autovacuum gives)."""
    cr.commit()
    cr._cnx.autocommit = True
    try:
        cr._obj.execute("ANALYZE")
    finally:
        cr._cnx.autocommit = False


def ensure_chart(env):
    """The generic chart of accounts when the company has none."""
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)


def ensure_user(env, login, name, groups):
    """The user ``login`` with ``groups`` (a recordset), created when missing, in the current company."""
    from odoo import Command
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        user = env["res.users"].with_context(no_reset_password=True).create({
            "login": login, "name": name, "groups_id": [Command.set(groups.ids)],
            "company_id": env.company.id, "company_ids": [Command.set(env.company.ids)],
        })
    return user


def view_spec(Model, view_type, view_id=False):
    """The fields of a view as the web client asks for them (many2one: with their display_name)."""
    from lxml import etree
    arch = Model.get_views([(view_id, view_type)])["views"][view_type]["arch"]
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        if name in Model._fields:
            spec[name] = {"fields": {"display_name": {}}} if Model._fields[name].type == "many2one" else {}
    return spec


# ----------------------------------------------------------------------------
# Timing and query counting
# ----------------------------------------------------------------------------
class Measure:
    """Wall time (``seconds``) and SQL queries (``queries``, the ``cr.sql_log_count`` delta) of a block."""

    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.count = self.cr.sql_log_count
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.queries = self.cr.sql_log_count - self.count


def median_in_savepoints(cr, once, runs, warmup):
    """Median time and median queries of ``runs`` calls of ``once()`` -> (seconds, queries), each in a
    savepoint rolled back afterwards; the ``warmup`` first calls count for the queries only."""
    times, queries = [], []
    for index in range(runs + warmup):
        with cr.savepoint(flush=False) as savepoint:
            seconds, count = once()
            queries.append(count)
            savepoint.rollback()
        if index >= warmup:
            times.append(seconds)
    return statistics.median(times), statistics.median(queries)


def p90(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]


class QueryTrace:
    """Record the queries run in this thread (Odoo's ``query_hooks``): (query, params, seconds, stack);
    the Python stack only with ``stacks``."""

    def __init__(self, stacks=False):
        self.stacks = stacks
        self.queries = []

    def __call__(self, cr, query, params, start, delay):
        if isinstance(query, bytes):
            query = query.decode()
        stack = traceback.extract_stack()[:-2] if self.stacks else None
        self.queries.append((query, params, delay, stack))

    def __enter__(self):
        thread = threading.current_thread()
        thread.query_hooks = [*getattr(thread, "query_hooks", ()), self]
        return self

    def __exit__(self, *exc):
        thread = threading.current_thread()
        thread.query_hooks = [h for h in thread.query_hooks if h is not self]


def explain(cr, query, params, lines=None, width=None):
    """``EXPLAIN (ANALYZE, BUFFERS)`` of a query: its lines, cut at ``width`` characters and after
    ``lines`` lines when given."""
    cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
    plan = [row[0] if not width or len(row[0]) <= width else row[0][:width] + " ..." for row in cr.fetchall()]
    if lines and len(plan) > lines:
        plan = plan[:lines] + [f"... ({len(plan) - lines} more lines)"]
    return plan


def exposure_query(partner, overdue):
    """``_credit_figures`` of ``partner`` with its query on the journal items: (figures, seconds, query,
    params)."""
    with QueryTrace() as trace:
        t0 = time.perf_counter()
        figures = partner._credit_figures(partner.env.company, overdue=overdue)
        elapsed = time.perf_counter() - t0
    query, params, _delay, _stack = next(q for q in trace.queries if "account_move_line" in q[0])
    return figures.get(partner.id, {}), elapsed, query, params


# ----------------------------------------------------------------------------
# Memory of this process
# ----------------------------------------------------------------------------
def rss_mb():
    """Current RSS of this process in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
