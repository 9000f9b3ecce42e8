#!/usr/bin/env python3
"""Benchmark: the access log on a list of 80 customers (issue 6: at most 1.2x).

A salesman reads two lists of his 80 customers (``web_search_read`` with the fields of the list
views): the *Customer Files* list (``credit.customer.file``) and the *Customers* list of the credit
menu (``res.partner`` with the credit profile columns, served and logged because he keeps the
files), once with the access log and once with ``_log_access_by_file`` replaced by a no-op
(patched in this process only; the module has no switch to turn the log off). Every read runs in
a savepoint that is rolled back, so both sides read the same data.

    python3 benchmarks/bench_access_log.py [--db NAME | --name NAME] [--runs 40] [--keep]

Without --db a fresh database (``ccbench_access_log``, or the --name given) is created with the
addon installed (no demo data) and dropped at the end. Exit status: 0 when the target is met, 1 when
missed, 2 on error.
"""
import argparse
from unittest.mock import patch

from _common import (
    MODULE,
    Measure,
    add_db_args,
    add_db_name_args,
    ensure_user,
    given_or_fresh_env,
    median_in_savepoints,
    run_main,
    view_spec,
)

CUSTOMERS = 80
TARGET_RATIO = 1.20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_db_name_args(parser, "ccbench_access_log")
    parser.add_argument("--runs", type=int, default=40, help="measured reads per side (default 40)")
    parser.add_argument("--keep", action="store_true", help="keep the database it creates")
    add_db_args(parser)
    return parser.parse_args()


def setup(env):
    """80 companies whose salesperson is the benchmark's salesman: his personal files."""
    groups = env.ref("base.group_partner_manager") | env.ref("sales_team.group_sale_salesman")
    salesman = ensure_user(env, "bench_log_salesman", "Bench Salesman", groups)
    partners = env["res.partner"].search([("name", "=like", "Bench Log Customer %")])
    if len(partners) < CUSTOMERS:
        partners |= env["res.partner"].create([{
            "name": f"Bench Log Customer {index:03d}", "is_company": True, "user_id": salesman.id,
        } for index in range(len(partners), CUSTOMERS)])
    env["credit.customer.file"]._file_for(partners)
    env.cr.commit()
    return salesman


def measure(env, user, model, domain, spec, runs):
    Model = env[model].with_user(user)

    def once():
        env.invalidate_all()
        with Measure(env.cr) as read:
            result = Model.web_search_read(domain, spec, limit=CUSTOMERS)
        assert result["length"] == CUSTOMERS, result["length"]
        return read.seconds, read.queries

    seconds, queries = median_in_savepoints(env.cr, once, runs, warmup=3)
    return seconds * 1000, queries


def main():
    args = parse_args()
    status = 0
    with given_or_fresh_env(args, "bench_log_") as env:
        cr = env.cr
        user = setup(env)
        cases = [
            ("customer files", "credit.customer.file", [], view_spec(env["credit.customer.file"], "list")),
            ("customers with their credit profile", "res.partner",
             [("name", "=like", "Bench Log Customer %")],
             view_spec(env["res.partner"], "list", env.ref(f"{MODULE}.res_partner_view_list_credit").id)),
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
    return status


if __name__ == "__main__":
    run_main(main)
