#!/usr/bin/env python3
"""Benchmark: confirming a sale order for a customer with many posted open invoices.

Compares, in one run, Odoo's plain sale flow (database with only the addon's
dependencies) with the same flow in a database where customer_credit_archive is
installed. See benchmarks/README.md.

    python3 benchmarks/bench_confirm.py [--invoices 2000] [--orders 30] [--keep]

Exit status: 0 when every target is met, 1 when one is missed, 2 on error.
"""
import argparse
import ast
import os
import re
import statistics
import time
from collections import Counter
from contextlib import nullcontext
from datetime import date, timedelta

from _common import (
    MODULE,
    REPO_DIR,
    Measure,
    QueryTrace,
    Workspace,
    add_db_args,
    analyze,
    ensure_chart,
    ensure_user,
    explain,
    exposure_query,
    fresh_databases,
    log,
    open_env,
    p90,
    run_main,
)

# the plain database gets exactly the addon's dependencies, read from its manifest
with open(os.path.join(REPO_DIR, "__manifest__.py"), encoding="utf-8") as manifest:
    DEPENDENCIES = ",".join(ast.literal_eval(manifest.read())["depends"])
POST_BATCH = 100
WARMUP = 3
SMALL_INVOICES = 20

TARGET_TIME_RATIO = 1.30
TARGET_EXTRA_QUERIES = 5
TARGET_POST_RATIO = 1.05


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=2000,
                        help="posted open invoices of the measured customer (default 2000)")
    parser.add_argument("--orders", type=int, default=30,
                        help="measured confirmations per database (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    parser.add_argument("--prefix", default="ccbench",
                        help="database names: PREFIX_plain, PREFIX_credit (default ccbench)")
    add_db_args(parser)
    parser.add_argument("--show-queries", action="store_true",
                        help="print every query of one traced confirmation in both databases")
    return parser.parse_args()


# ----------------------------------------------------------------------------
# Query tracing
# ----------------------------------------------------------------------------
def addon_frames(stack):
    """Frames of the addon's own code, innermost first, as 'models/x.py:12 method'."""
    result = []
    for frame in reversed(stack or ()):
        path = os.path.realpath(frame.filename)
        if path.startswith(REPO_DIR + os.sep) and not path.startswith(os.path.join(REPO_DIR, "benchmarks")):
            result.append(f"{os.path.relpath(path, REPO_DIR)}:{frame.lineno} {frame.name}")
    return result


def short_sql(query, width=150):
    text = re.sub(r"\s+", " ", query).strip()
    return text if len(text) <= width else text[: width - 3] + "..."


def category(query):
    from odoo.sql_db import categorize_query
    kind, table = categorize_query(query)
    if kind == "other":
        return ("other", short_sql(query, 40))
    return (kind, table)


def query_key(query):
    """What identifies a query across the two databases.

    The column lists differ (the addon adds columns to sale_order, res_partner...),
    so a SELECT is keyed by its table and what follows its main FROM clause.
    """
    text = re.sub(r"\s+", " ", query).strip()
    kind, table = category(query)
    if kind == "from":
        m = re.search(rf'\bFROM "?{re.escape(table)}"?(?![\w])(.*)$', text)
        if m:
            return (kind, table, m.group(1))
    elif kind == "into":
        return (kind, table, text.split(" VALUES")[0])
    return (kind, table, text)


ORM_FILES = ("odoo/models.py", "odoo/fields.py", "odoo/api.py", "odoo/sql_db.py", "odoo/tools/",
             "odoo/osv/", "odoo/modules/", "<decorator-gen")


def origin(stack):
    """The addon's frames (innermost first), else the innermost non-ORM frame of Odoo."""
    frames = addon_frames(stack)
    if frames:
        return " <- ".join(frames[:3])
    for frame in reversed(stack or ()):
        if not any(part in frame.filename for part in ORM_FILES) and "benchmarks" not in frame.filename:
            path = frame.filename.split("/addons/")[-1]
            return f"odoo: {path}:{frame.lineno} {frame.name}"
    return "odoo ORM"


def diff_queries(plain, credit):
    """Queries of one database that the other has not: (only_in_credit, only_in_plain).

    Queries are matched by ``query_key`` as multisets, in order of execution: when
    credit runs a kind of query k times and plain j < k times, the last k - j
    occurrences are reported (the addon often reads earlier what Odoo reads later).
    """
    def unmatched(mine, theirs):
        budget = Counter(query_key(q) for q, *_ in theirs)
        result = []
        for entry in mine:
            key = query_key(entry[0])
            if budget[key]:
                budget[key] -= 1
            else:
                result.append(entry)
        return result
    return unmatched(credit, plain), unmatched(plain, credit)


class MethodTimer:
    """Time the top-level calls of some model methods (patched on the registry's classes)."""

    def __init__(self, env, targets):
        self.env = env
        self.targets = targets  # [(model, method)]
        self.times = {f"{m}.{f}": [] for m, f in targets}
        self.current = {}
        self.saved = []

    def __enter__(self):
        for model, method in self.targets:
            cls = type(self.env[model])
            own = cls.__dict__.get(method)
            orig = getattr(cls, method)
            name = f"{model}.{method}"
            setattr(cls, method, self._wrap(name, orig))
            self.saved.append((cls, method, own))
        return self

    def _wrap(self, name, orig):
        timer = self

        def wrapper(*args, **kwargs):
            depth = timer.current.get(name, 0)
            timer.current[name] = depth + 1
            t0 = time.perf_counter()
            try:
                return orig(*args, **kwargs)
            finally:
                timer.current[name] = depth
                if depth == 0:
                    timer.pending[name] = timer.pending.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    def start(self):
        self.pending = {}

    def stop(self):
        for name in self.times:
            self.times[name].append(self.pending.get(name, 0.0))

    def __exit__(self, *exc):
        for cls, method, own in self.saved:
            if own is None:
                delattr(cls, method)
            else:
                setattr(cls, method, own)


# ----------------------------------------------------------------------------
# One database
# ----------------------------------------------------------------------------
class Side:
    def __init__(self, name, dbname, credit):
        self.name = name
        self.dbname = dbname
        self.credit = credit
        self.post_times = []
        self.create_times = []
        self.confirm = {}  # customer key -> list of (seconds, queries)

    def open(self):
        self.env = open_env(self.dbname)
        self.cr = self.env.cr

    def close(self):
        self.cr.rollback()
        self.cr.close()

    def commit(self):
        self.cr.commit()

    def setup(self, invoices):
        from odoo import Command
        env = self.env
        ensure_chart(env)
        self.commit()
        groups = env.ref("base.group_user") | env.ref("base.group_partner_manager") \
            | env.ref("sales_team.group_sale_salesman")
        self.salesman = ensure_user(env, "ccbench_salesman", "Bench Salesman", groups)
        self.product = env["product.product"].create({
            "name": "Bench product",
            "lst_price": 100.0,
            "taxes_id": [Command.clear()],
            "invoice_policy": "order",
        })
        term = env.ref("account.account_payment_term_45days")
        self.customers = {}
        for key, count in (("big", invoices), ("small", SMALL_INVOICES)):
            partner = env["res.partner"].create({
                "name": f"Bench Customer {count} invoices",
                "is_company": True,
                "property_payment_term_id": term.id,
            })
            if self.credit:
                partner.write({
                    "credit_grade_id": env.ref(f"{MODULE}.credit_grade_a").id,
                    "credit_limit": 1e12,
                })
            self.customers[key] = partner
        self.commit()

    # --- invoices -------------------------------------------------------------
    def invoice_vals(self, partner, index):
        from odoo import Command
        today = date.today()
        invoice_date = today - timedelta(days=index % 120)
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            # due between 60 days ago and 60 days ahead
            "invoice_date_due": invoice_date + timedelta(days=60),
            "invoice_payment_term_id": False,
            "invoice_line_ids": [Command.create({
                "product_id": self.product.id,
                "name": "Goods",
                "quantity": 1,
                "price_unit": 10.0 + index % 50,
                "tax_ids": [Command.clear()],
            })],
        }

    def create_invoice_batch(self, key, start, count):
        partner = self.customers[key]
        vals = [self.invoice_vals(partner, i) for i in range(start, start + count)]
        t0 = time.perf_counter()
        moves = self.env["account.move"].create(vals)
        self.cr.flush()
        elapsed = time.perf_counter() - t0
        self.commit()
        return moves.ids, elapsed

    def post_batch(self, ids):
        moves = self.env["account.move"].browse(ids)
        t0 = time.perf_counter()
        moves.action_post()
        self.cr.flush()
        elapsed = time.perf_counter() - t0
        self.commit()
        return elapsed

    # --- orders -----------------------------------------------------------------
    def create_orders(self, key, count):
        from odoo import Command
        partner = self.customers[key]
        orders = self.env["sale.order"].with_user(self.salesman).create([{
            "partner_id": partner.id,
            "order_line": [Command.create({
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "price_unit": 50.0,
            })],
        } for _ in range(count)])
        self.commit()
        return list(orders.ids)

    def confirm_one(self, order_id, trace=None):
        """Confirm one order as the salesman; returns (seconds, queries)."""
        order = self.env(user=self.salesman.id)["sale.order"].browse(order_id)
        cr = self.cr
        with trace if trace is not None else nullcontext(), Measure(cr) as confirm:
            order.action_confirm()
            cr.flush()  # pending ORM writes and precommit hooks (tracking)
        state = order.state
        self.commit()
        if state != "sale":
            raise RuntimeError(f"{self.name}: order {order_id} not confirmed (state {state})")
        return confirm.seconds, confirm.queries

    def explain_exposure(self, key):
        figures, _elapsed, query, params = exposure_query(self.customers[key], overdue=False)
        plan = explain(self.cr, query, params)
        self.commit()
        return figures, plan


# ----------------------------------------------------------------------------
# Statistics
# ----------------------------------------------------------------------------
median = statistics.median


def interleave(sides, index):
    """Alternate which database goes first, so neither gets a systematic edge."""
    return sides if index % 2 == 0 else sides[::-1]


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------
def run(args, plain, credit):
    sides = [plain, credit]
    n = args.invoices

    log("\n== setup (superuser): chart of accounts, salesman, customers, product")
    for side in sides:
        side.open()
        side.setup(n)

    log(f"== creating {n} + {SMALL_INVOICES} draft invoices per database (batches of {POST_BATCH})")
    drafts = {side.name: {"big": [], "small": []} for side in sides}
    batches = [("big", start, min(POST_BATCH, n - start)) for start in range(0, n, POST_BATCH)]
    batches.append(("small", 0, SMALL_INVOICES))
    for i, (key, start, count) in enumerate(batches):
        for side in interleave(sides, i):
            ids, elapsed = side.create_invoice_batch(key, start, count)
            drafts[side.name][key].append(ids)
            if key == "big":
                side.create_times.append(elapsed)

    log(f"== posting (action_post + flush, batches of {POST_BATCH}, interleaved)")
    t_start = time.perf_counter()
    for i, ids_pair in enumerate(zip(drafts["plain"]["big"], drafts["credit"]["big"], strict=True)):
        for side in interleave(sides, i):
            ids = ids_pair[0] if side is plain else ids_pair[1]
            side.post_times.append(side.post_batch(ids))
        if (i + 1) % 5 == 0:
            log(f"   {min(n, (i + 1) * POST_BATCH)}/{n} posted in both "
                f"({time.perf_counter() - t_start:.0f} s)")
    for side in sides:
        for ids in drafts[side.name]["small"]:
            side.post_batch(ids)
        analyze(side.cr)  # fresh planner statistics in both databases, as autovacuum would give

    n_small = max(10, args.orders // 3)
    log(f"== creating quotations as the salesman: {WARMUP}+{args.orders} (big customer), "
        f"{WARMUP}+{n_small} (small customer), +1 traced, per database")
    order_ids = {}
    for side in sides:
        order_ids[side.name] = {
            "big": side.create_orders("big", WARMUP + args.orders),
            "small": side.create_orders("small", WARMUP + n_small),
            "trace": side.create_orders("big", 1),
        }
    diag_ids = credit.create_orders("big", n_small)

    log("== confirming as the salesman (action_confirm + flush), interleaved")
    for key, count in (("big", args.orders), ("small", n_small)):
        for side in sides:
            side.confirm[key] = []
        for i in range(WARMUP + count):
            for side in interleave(sides, i):
                result = side.confirm_one(order_ids[side.name][key][i])
                if i >= WARMUP:
                    side.confirm[key].append(result)

    log("== tracing the queries of one more confirmation in each database")
    traces = {}
    for side in sides:
        trace = QueryTrace(stacks=True)
        side.confirm_one(order_ids[side.name]["trace"][0], trace=trace)
        traces[side.name] = trace.queries

    log(f"== timing the addon's methods during {n_small} more confirmations (credit database)")
    timer = MethodTimer(credit.env, [
        ("sale.order", "_credit_problems"),
        ("sale.order", "_credit_check_values"),
        ("res.partner", "_credit_figures"),
        ("sale.order", "_credit_amount_needed"),
        ("sale.order", "_credit_valid_release"),
        ("sale.order", "_credit_flag_problem"),
        ("sale.order", "_credit_evaluate"),
    ])
    totals = []
    with timer:
        for order_id in diag_ids:
            timer.start()
            totals.append(credit.confirm_one(order_id)[0])
            timer.stop()
    method_times = {"total": totals, **timer.times}

    exposure = credit.explain_exposure("big")
    return n_small, traces, exposure, method_times


def report(args, plain, credit, n_small, traces, exposure, method_times):
    n = args.invoices
    ok_all = True

    def verdict(ok):
        nonlocal ok_all
        ok_all &= ok
        return "OK" if ok else "MISSED"

    log("\n== details")
    for side in (plain, credit):
        for key, label in (("big", f"{n} invoices"), ("small", f"{SMALL_INVOICES} invoices")):
            times = [t * 1000 for t, _ in side.confirm[key]]
            queries = [q for _, q in side.confirm[key]]
            log(f"{side.name:6} confirm, customer with {label:>14}: n={len(times):3}  "
                f"median {median(times):7.1f} ms  p90 {p90(times):7.1f} ms  "
                f"min {min(times):7.1f} ms  queries median {median(queries):g} "
                f"(min {min(queries)}, max {max(queries)})")
    for side in (plain, credit):
        log(f"{side.name:6} invoices: create {sum(side.create_times):6.1f} s, post {sum(side.post_times):6.1f} s "
            f"(per batch of {POST_BATCH}: median {median(side.post_times):.2f} s, "
            f"min {min(side.post_times):.2f} s, max {max(side.post_times):.2f} s)")

    figures, plan = exposure
    log(f"\n== exposure query of the customer with {n} invoices (credit database)")
    log(f"figures: {figures}")
    log("EXPLAIN (ANALYZE, BUFFERS):")
    for line in plan:
        log("  " + line)

    # --- queries of one confirmation -------------------------------------------
    qp, qc = traces["plain"], traces["credit"]
    log(f"\n== queries of one traced confirmation: plain {len(qp)}, credit {len(qc)}")
    cp = Counter(category(q) for q, *_ in qp)
    cc = Counter(category(q) for q, *_ in qc)
    diff = {k: cc[k] - cp[k] for k in set(cp) | set(cc) if cc[k] != cp[k]}
    if diff:
        log("by (kind, table), credit minus plain:")
        for k, v in sorted(diff.items(), key=lambda kv: (-kv[1], kv[0])):
            log(f"  {v:+d}  {k[0]} {k[1]}")
    extra, missing = diff_queries(qp, qc)
    log(f"queries only in the credit database ({len(extra)}); "
        f"origin = innermost frames of {MODULE} (or Odoo when none):")
    for i, (q, _, d, s) in enumerate(extra, 1):
        log(f"  {i:2}. [{d * 1000:6.2f} ms] {origin(s)}")
        log(f"      {short_sql(q, 220)}")
    log(f"queries only in the plain database ({len(missing)}):")
    for i, (q, _, d, s) in enumerate(missing, 1):
        log(f"  {i:2}. [{d * 1000:6.2f} ms] {origin(s)}")
        log(f"      {short_sql(q, 220)}")

    log(f"\n== time inside the addon's methods, credit database ({len(method_times['total'])} more "
        f"confirmations, top-level calls, median ms)")
    for name, values in method_times.items():
        log(f"  {name:40} {median(values) * 1000:7.2f}")
    if args.show_queries:
        for name, queries in traces.items():
            log(f"\n-- all queries, {name} database")
            for i, (q, _, d, s) in enumerate(queries, 1):
                log(f"{i:3} [{d * 1000:6.2f} ms] {short_sql(q, 200)}\n      from {origin(s)}")

    # --- summary -------------------------------------------------------------------
    post_p, post_c = sum(plain.post_times), sum(credit.post_times)
    post_ratio = post_c / post_p
    t_p = median([t for t, _ in plain.confirm["big"]]) * 1000
    t_c = median([t for t, _ in credit.confirm["big"]]) * 1000
    t_ratio = t_c / t_p
    q_p = median([q for _, q in plain.confirm["big"]])
    q_c = median([q for _, q in credit.confirm["big"]])
    q_small = median([q for _, q in credit.confirm["small"]])
    log("\n== summary")
    log(f"invoices per customer: {n}")
    log(f"posting {n} invoices: plain {post_p:.1f} s, credit {post_c:.1f} s, ratio {post_ratio:.2f} "
        f"(target <= {TARGET_POST_RATIO:.2f})  {verdict(post_ratio <= TARGET_POST_RATIO)}")
    log(f"confirmation median: plain {t_p:.1f} ms, credit {t_c:.1f} ms, ratio {t_ratio:.2f} "
        f"(target <= {TARGET_TIME_RATIO:.2f})  {verdict(t_ratio <= TARGET_TIME_RATIO)}")
    log(f"queries per confirmation (median): plain {q_p:g}, credit {q_c:g}, {q_c - q_p:+g} "
        f"(target <= +{TARGET_EXTRA_QUERIES})  {verdict(q_c - q_p <= TARGET_EXTRA_QUERIES)}")
    log(f"queries with {SMALL_INVOICES} vs {n} invoices: {q_small:g} vs {q_c:g} (must not grow)  "
        f"{verdict(q_c <= q_small)}")
    return ok_all


def main():
    args = parse_args()
    started = time.perf_counter()
    workspace = Workspace("ccbench_")
    db_plain, db_credit = f"{args.prefix}_plain", f"{args.prefix}_credit"
    log(f"databases {db_plain} ({DEPENDENCIES}) and {db_credit} ({MODULE}), without demo data")
    log(f"addon: {REPO_DIR}; temp dir: {workspace.tmp}")
    ok = False
    with fresh_databases(args, [(db_plain, DEPENDENCIES), (db_credit, MODULE)], workspace,
                         installed="installed both in"):
        plain = Side("plain", db_plain, credit=False)
        credit = Side("credit", db_credit, credit=True)
        try:
            n_small, traces, exposure, method_times = run(args, plain, credit)
        finally:
            for side in (plain, credit):
                if getattr(side, "cr", None) is not None:
                    side.close()
        ok = report(args, plain, credit, n_small, traces, exposure, method_times)
    log(f"run time {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
