#!/usr/bin/env python3
"""Benchmark: the access log on a list of 80 customers (issue 6: at most 1.2x).

A salesman reads two lists of his 80 customers (``web_search_read`` with the fields of the list
views): the *Customer Files* list (``credit.customer.file``) and the *Customers* list of the credit
menu (``res.partner`` with the credit profile columns, served and logged because he keeps the
files), once with the access log and once with ``_log_access_by_file`` replaced by a no-op
(patched in this process only; the module has no switch to turn the log off). Every read runs in
a savepoint that is rolled back, so both sides read the same data.

    python3 benchmarks/bench_access_log.py [--db NAME] [--runs 40] [--keep]

Without --db a fresh database is created with the addon installed (no demo data) and dropped at
the end. Exit status: 0 when the target is met, 1 when missed, 2 on error.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from unittest.mock import patch

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "customer_credit_archive"
CUSTOMERS = 80
TARGET_RATIO = 1.20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing database with the addon installed")
    parser.add_argument("--runs", type=int, default=40, help="measured reads per side (default 40)")
    parser.add_argument("--keep", action="store_true", help="keep the database it creates")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    return parser.parse_args()


def odoo_args(args):
    return ["--db_host", args.db_host, "--db_port", str(args.db_port), "--db_user", args.db_user]


def addons_path(tmp):
    import odoo
    link = os.path.join(tmp, MODULE)
    os.symlink(REPO_DIR, link)
    base = os.path.dirname(os.path.dirname(odoo.__file__))
    return ",".join([os.path.join(base, "odoo", "addons"), os.path.join(base, "addons"), tmp])


def create_db(args, name, path):
    print(f"installing {MODULE} in {name} ...", flush=True)
    subprocess.run(["dropdb", "-h", args.db_host, "-p", str(args.db_port), "-U", args.db_user,
                    "--if-exists", name], check=True)
    subprocess.run([sys.executable, "-m", "odoo", "-d", name, *odoo_args(args), "--addons-path", path,
                    "-i", MODULE, "--without-demo=all", "--stop-after-init", "--workers=0",
                    "--log-level=warn", "--http-port", "0"], check=True)


def setup(env):
    """80 companies whose salesperson is the benchmark's salesman: his personal files."""
    from odoo import Command
    salesman = env["res.users"].search([("login", "=", "bench_log_salesman")])
    if not salesman:
        groups = env.ref("base.group_partner_manager") | env.ref("sales_team.group_sale_salesman")
        salesman = env["res.users"].with_context(no_reset_password=True).create({
            "login": "bench_log_salesman", "name": "Bench Salesman",
            "groups_id": [Command.set(groups.ids)], "company_ids": [Command.set(env.company.ids)],
        })
    partners = env["res.partner"].search([("name", "=like", "Bench Log Customer %")])
    if len(partners) < CUSTOMERS:
        partners |= env["res.partner"].create([{
            "name": f"Bench Log Customer {index:03d}", "is_company": True, "user_id": salesman.id,
        } for index in range(len(partners), CUSTOMERS)])
    env["credit.customer.file"]._file_for(partners)
    env.cr.commit()
    return salesman


def list_spec(env, model, view=None):
    """The fields of a list view, as the web client asks for them."""
    Model = env[model]
    arch = Model.get_views([(view and env.ref(view).id, "list")])["views"]["list"]["arch"]
    from lxml import etree
    names = {node.get("name") for node in etree.fromstring(arch).iter("field")}
    return {name: ({"fields": {"display_name": {}}} if Model._fields[name].type == "many2one" else {})
            for name in names if name in Model._fields}


def measure(env, user, model, domain, spec, runs):
    Model = env[model].with_user(user)
    times, queries = [], []
    for index in range(runs + 3):
        with env.cr.savepoint(flush=False) as savepoint:
            env.invalidate_all()
            count = env.cr.sql_log_count
            start = time.perf_counter()
            result = Model.web_search_read(domain, spec, limit=CUSTOMERS)
            elapsed = time.perf_counter() - start
            queries.append(env.cr.sql_log_count - count)
            savepoint.rollback()
        assert result["length"] == CUSTOMERS, result["length"]
        if index >= 3:  # warm-up
            times.append(elapsed)
    return statistics.median(times) * 1000, statistics.median(queries)


def main():
    args = parse_args()
    import odoo
    from odoo.tools import config
    tmp = tempfile.mkdtemp(prefix="bench_log_")
    path = addons_path(tmp)
    dbname = args.db or "ccbench_access_log"
    if not args.db:
        create_db(args, dbname, path)
    config.parse_config(["--addons-path", path, *odoo_args(args)])
    registry = odoo.modules.registry.Registry(dbname)
    status = 0
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            user = setup(env)
            cases = [
                ("customer files", "credit.customer.file", [], list_spec(env, "credit.customer.file")),
                ("customers with their credit profile", "res.partner",
                 [("name", "=like", "Bench Log Customer %")],
                 list_spec(env, "res.partner", f"{MODULE}.res_partner_view_list_credit")),
            ]
            Log = env["credit.file.access.log"]
            for label, model, domain, spec in cases:
                # alternate the two sides, keep the best median of each (the machine's noise)
                logged, plain = [], []
                for _round in range(3):
                    logged.append(measure(env, user, model, domain, spec, args.runs))
                    with patch.object(type(Log), "_log_access_by_file", lambda self, *a, **kw: None):
                        plain.append(measure(env, user, model, domain, spec, args.runs))
                logged_ms, logged_q = min(logged)
                plain_ms, plain_q = min(plain)
                ratio = logged_ms / plain_ms
                ok = ratio <= TARGET_RATIO
                print(f"list of {CUSTOMERS} {label} as a salesman ({model}), {len(spec)} fields, "
                      f"best of 3 medians of {args.runs}")
                print(f"  without the log: {plain_ms:7.2f} ms, {plain_q:.0f} queries")
                print(f"  with the log:    {logged_ms:7.2f} ms, {logged_q:.0f} queries "
                      f"(+{logged_q - plain_q:.0f})")
                print(f"  ratio {ratio:.3f} (target <= {TARGET_RATIO}) {'OK' if ok else 'MISSED'}")
                status = status or (0 if ok else 1)
            cr.rollback()
    finally:
        if not args.db and not args.keep:
            odoo.sql_db.close_db(dbname)
            subprocess.run(["dropdb", "-h", args.db_host, "-p", str(args.db_port), "-U", args.db_user,
                            "--if-exists", dbname], check=False)
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # noqa: BLE001 - a benchmark reports its error and exits 2
        import traceback
        traceback.print_exc()
        sys.exit(2)
