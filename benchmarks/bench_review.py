#!/usr/bin/env python3
"""Benchmark: the year-end review campaign over many graded customers with invoices.

Creates its own database with customer_credit_archive, N graded customers with a year of invoices
and payments, then runs the campaign through the module's scheduled action, batch by batch, and
prints customers per second and the memory of the process after each batch. See benchmarks/README.md.

    python3 benchmarks/bench_review.py [--customers 50000] [--keep]

Exit status: 0 when the target (customers per second) is met and every check passes, 1 otherwise,
2 when the install fails.
"""
import argparse
import statistics
import time
from datetime import date, timedelta

from _common import (
    MODULE,
    Workspace,
    add_db_args,
    analyze,
    ensure_chart,
    fresh_databases,
    log,
    peak_rss_mb,
    rss_mb,
    run_main,
    superuser_env,
)

TARGET_RATE = 500  # customers per second

# The template customers: (name, grade code, invoices). An invoice is (amount, days from its
# date to its due date, due days before today, days paid beyond terms or None when still open).
TEMPLATES = (
    ("Prompt", "B", [(1200, 30, 300, 0), (800, 30, 200, -5), (1500, 30, 100, 0), (600, 30, -20, None)]),
    ("Early", "A", [(5000, 45, 250, -30), (4000, 45, 150, -20), (3000, 45, 60, -15), (2000, 45, -30, None)]),
    ("Slow", "B", [(900, 30, 280, 25), (1100, 30, 180, 40), (700, 30, 90, 35), (1300, 30, 20, None)]),
    ("Late", "C", [(400, 15, 330, 70), (600, 15, 240, 95), (500, 15, 130, None), (300, 15, 40, None)]),
    ("Newcomer", "C", [(1000, 30, -10, None)]),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=50000, help="graded customers (default 50000)")
    parser.add_argument("--batch-size", type=int, default=500, help="customers per batch (default 500)")
    parser.add_argument("--db", default="ccbench_review", help="database name (default ccbench_review)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--no-export", action="store_true", help="skip the timing of the xlsx export")
    add_db_args(parser)
    args = parser.parse_args()
    if args.customers < len(TEMPLATES):
        parser.error(f"--customers must be at least {len(TEMPLATES)}")
    return args


# ----------------------------------------------------------------------------
# Data: a few template customers through the ORM, cloned with set-based SQL
# ----------------------------------------------------------------------------
def setup_templates(env):
    """The template customers, their invoices and payments, created and posted through the ORM."""
    from odoo import Command
    ensure_chart(env)
    today = date.today()
    grades = {grade.code: grade for grade in env["credit.grade"].search([])}
    partners = []
    for name, code, invoices in TEMPLATES:
        partner = env["res.partner"].create({"name": f"Bench {name}", "is_company": True,
                                             "credit_grade_id": grades[code].id})
        for amount, term, due_days_ago, late in invoices:
            due = today - timedelta(days=due_days_ago)
            move = env["account.move"].create({
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=term),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [Command.create({
                    "name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
                })],
            })
            move.action_post()
            if late is not None:
                env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids,
                ).create({"payment_date": due + timedelta(days=late)})._create_payments()
        partners.append(partner)
    env.cr.commit()
    return partners


def columns(cr, table):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position""", [table])
    return [name for name, in cr.fetchall()]


def foreign_keys(cr, table):
    """{column: referenced table} of ``table``."""
    cr.execute("""
        SELECT kcu.column_name, ccu.table_name
          FROM information_schema.table_constraints tc
          JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
          JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = %s""", [table])
    return dict(cr.fetchall())


class Cloner:
    """Copies the rows of a template customer ``copies`` times with INSERT ... SELECT, one statement per table.

    Copy j (0-based) of a row of table T gets the id ``id - lo + base + j * span``, where [lo, lo + span)
    holds the template rows of T; references to copied rows are mapped the same way, references to
    payments, statements and full reconciliations are emptied.
    """

    NULLED = ("account_payment", "account_full_reconcile", "account_bank_statement_line", "account_move")

    def __init__(self, cr, copies):
        self.cr = cr
        self.copies = copies
        self.maps = {}  # table -> (ids, lo, base, span)

    def allocate(self, table, ids):
        lo, span = min(ids), max(ids) - min(ids) + 1
        self.cr.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        base = self.cr.fetchone()[0]
        self.maps[table] = (sorted(ids), lo, base, span)

    def mapped(self, table, column):
        ids, lo, base, span = self.maps[table]
        return (f"CASE WHEN t.{column} = ANY(ARRAY{ids}::int[]) "
                f"THEN t.{column} - {lo} + {base} + j * {span} ELSE t.{column} END")

    def clone(self, table, overrides=None):
        overrides = dict(overrides or {})
        ids, lo, base, span = self.maps[table]
        overrides["id"] = f"t.id - {lo} + {base} + j * {span}"
        for column, target in foreign_keys(self.cr, table).items():
            if column in overrides:
                continue
            if target in self.maps:
                overrides[column] = self.mapped(target, column)
            elif target in self.NULLED:
                overrides[column] = "NULL"
        cols = columns(self.cr, table)
        select = ", ".join(overrides.get(col, f"t.{col}") for col in cols)
        self.cr.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {table} t "
            f"CROSS JOIN generate_series(0, {self.copies - 1}) j WHERE t.id = ANY(%s)", [ids])
        self.cr.execute(f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")


def clone_customers(cr, partner, copies):
    """``copies`` copies of the template customer ``partner`` with all its journal entries."""
    if copies <= 0:
        return
    cloner = Cloner(cr, copies)
    cloner.allocate("res_partner", [partner.id])
    cr.execute("SELECT id FROM account_move WHERE commercial_partner_id = %s", [partner.id])
    move_ids = [row[0] for row in cr.fetchall()]
    cloner.allocate("account_move", move_ids)
    cr.execute("SELECT id FROM account_move_line WHERE move_id = ANY(%s)", [move_ids])
    line_ids = [row[0] for row in cr.fetchall()]
    cloner.allocate("account_move_line", line_ids)
    cr.execute("SELECT id FROM account_partial_reconcile WHERE debit_move_id = ANY(%s) OR credit_move_id = ANY(%s)",
               [line_ids, line_ids])
    partial_ids = [row[0] for row in cr.fetchall()]
    suffix = "'/' || (j + 1)"
    cloner.clone("res_partner", {
        "name": "t.name || ' ' || (j + 1)",
        "complete_name": "t.complete_name || ' ' || (j + 1)",
        "commercial_partner_id": cloner.mapped("res_partner", "commercial_partner_id"),
    })
    cloner.clone("account_move", {"name": f"t.name || {suffix}"})
    cloner.clone("account_move_line", {"move_name": f"t.move_name || {suffix}", "matching_number": "NULL"})
    if partial_ids:
        cloner.allocate("account_partial_reconcile", partial_ids)
        cloner.clone("account_partial_reconcile")


# ----------------------------------------------------------------------------
# Measure
# ----------------------------------------------------------------------------
class BatchProbe:
    """Wraps credit.review.campaign._process_batch: duration, customers and memory after each batch."""

    def __init__(self, env):
        self.cls = type(env["credit.review.campaign"])
        self.samples = []  # (seconds, customers, rss MB, peak MB)

    def __enter__(self):
        probe, original = self, self.cls._process_batch

        def _process_batch(campaign):
            t0 = time.perf_counter()
            done = original(campaign)
            campaign.env.cr.flush()
            if done:
                probe.samples.append((time.perf_counter() - t0, done, rss_mb(), peak_rss_mb()))
            return done
        self.original = original
        self.cls._process_batch = _process_batch
        return self

    def __exit__(self, *exc):
        self.cls._process_batch = self.original


def run(args, env):
    cr = env.cr
    log("== template customers through the ORM (invoices posted, payments registered)")
    templates = setup_templates(env)
    copies = args.customers - len(templates)
    log(f"== {copies} copies of the {len(templates)} templates with set-based SQL")
    t0 = time.perf_counter()
    for i, partner in enumerate(templates):
        clone_customers(cr, partner, copies // len(templates) + (1 if i < copies % len(templates) else 0))
        cr.commit()
    analyze(cr)  # fresh planner statistics, as autovacuum would give
    env.invalidate_all()
    cr.execute("SELECT COUNT(*) FROM account_move")
    moves = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM account_move_line")
    lines = cr.fetchone()[0]
    log(f"   {args.customers} customers, {moves} journal entries, {lines} journal items "
        f"({time.perf_counter() - t0:.0f} s)")

    log(f"== year-end review: campaign of {args.customers} customers run by the scheduled action, batches of "
        f"{args.batch_size}, committed one by one")
    campaign_model = env["credit.review.campaign"]
    calls = 0
    with BatchProbe(env) as probe:
        t0 = time.perf_counter()
        # as a Credit Manager starts it (the scheduled action creates it the same way on the review date)
        campaign = campaign_model.create({"date": date.today(), "batch_size": args.batch_size})
        cr.commit()
        while campaign.state != "done":
            calls += 1
            campaign_model._cron_year_end_review()  # as Odoo's cron runner calls it again while work remains
            cr.commit()
            if calls > args.customers:  # never: a call reviews at least one batch
                raise RuntimeError("the campaign does not progress")
        elapsed = time.perf_counter() - t0
    return campaign, elapsed, calls, probe.samples, templates


def check(env, campaign, templates, args):
    """The campaign reviewed each customer once, and the copies have their template's figures."""
    problems = []
    cr = env.cr
    cr.execute("SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM credit_review WHERE campaign_id = %s", [campaign.id])
    count, distinct = cr.fetchone()
    if count != args.customers or distinct != count:
        problems.append(f"{count} reviews of {distinct} customers for {args.customers} customers")
    fields = ("sales_amount", "payment_amount", "payment_score", "overdue_count", "overdue_amount", "overdue_days",
              "suggested_grade_id", "paid_invoice_count")
    for partner in templates:
        reference = env["credit.review"].search([("campaign_id", "=", campaign.id), ("partner_id", "=", partner.id)])
        cr.execute(f"""SELECT COUNT(*) FROM credit_review r JOIN res_partner p ON p.id = r.partner_id
                        WHERE r.campaign_id = %s AND p.name LIKE %s
                          AND ({' OR '.join(f'r.{f} IS DISTINCT FROM %s' for f in fields)})""",
                   [campaign.id, partner.name + " %"] + [reference[f].id if f.endswith("_id") else reference[f]
                                                        for f in fields])
        different = cr.fetchone()[0]
        if different:
            problems.append(f"{different} copies of {partner.name} reviewed differently from it")
    return problems


def report(args, campaign, elapsed, calls, samples, templates, env, export):
    times = [s[0] for s in samples]
    rss = [s[2] for s in samples]
    log("\n== memory and time per batch (every 10th batch, and the last)")
    log(f"{'batch':>6} {'customers':>10} {'seconds':>8} {'RSS MB':>8} {'peak MB':>8}")
    reviewed = 0
    for i, (seconds, done, rss_now, peak) in enumerate(samples, 1):
        reviewed += done
        if i == 1 or i % 10 == 0 or i == len(samples):
            log(f"{i:>6} {reviewed:>10} {seconds:>8.2f} {rss_now:>8.0f} {peak:>8.0f}")
    log("\n== suggestions")
    domain = [("campaign_id", "=", campaign.id)]
    changes = dict(env["credit.review"]._read_group(domain, ["grade_change"], ["__count"]))
    log(f"grade changes: {changes}")
    for rule, count in sorted(env["credit.review"]._read_group(domain, ["rule_id"], ["__count"]),
                              key=lambda item: -item[1]):
        log(f"  {count:>7}  {rule.name or '(no rule: kept)'}")
    rate = args.customers / elapsed
    first = rss[: max(1, len(rss) // 10)]
    last = rss[-max(1, len(rss) // 10):]
    log("\n== summary")
    log(f"customers: {args.customers}, batches: {len(samples)} of {args.batch_size}, scheduled action calls: {calls}")
    log(f"campaign time: {elapsed:.1f} s, {rate:.0f} customers/s (target >= {TARGET_RATE})  "
        f"{'OK' if rate >= TARGET_RATE else 'MISSED'}")
    log(f"batch time: median {statistics.median(times):.2f} s, max {max(times):.2f} s, first tenth "
        f"{statistics.mean(times[:len(first)]):.2f} s, last tenth {statistics.mean(times[-len(last):]):.2f} s")
    log(f"RSS after a batch: first tenth {statistics.mean(first):.0f} MB, last tenth {statistics.mean(last):.0f} MB, "
        f"max {max(rss):.0f} MB; peak RSS of the process at the end of the campaign {samples[-1][3]:.0f} MB")
    if export:
        log(f"xlsx export of the campaign: {export[0]:.1f} s, {export[1] / 2**20:.1f} MB; peak RSS of the process "
            f"after it {export[2]:.0f} MB")
    return rate >= TARGET_RATE


def main():
    args = parse_args()
    started = time.perf_counter()
    workspace = Workspace("ccbench_review_")
    log(f"database {args.db} ({MODULE}, without demo data); temp dir: {workspace.tmp}")
    ok = False
    with fresh_databases(args, [(args.db, MODULE)], workspace), superuser_env(args.db) as env:
        cr = env.cr
        campaign, elapsed, calls, samples, templates = run(args, env)
        problems = check(env, campaign, templates, args)
        export = None
        if not args.no_export:
            t0 = time.perf_counter()
            content = campaign._build_xlsx()
            export = (time.perf_counter() - t0, len(content), peak_rss_mb())
        ok = report(args, campaign, elapsed, calls, samples, templates, env, export)
        for problem in problems:
            log(f"CHECK FAILED: {problem}")
        if not problems:
            log(f"checks: {args.customers} customers reviewed once each, copies reviewed as their templates")
        ok = ok and not problems
        cr.commit()
    log(f"run time {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
