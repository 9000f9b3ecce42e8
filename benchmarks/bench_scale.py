#!/usr/bin/env python3
"""Benchmark: the analysis views, the dashboard, the XLSX export and the credit check at scale (issue 8).

Creates a database with the addon installed (no demo data), fills it with
``gen_scale_data.py`` (by default 100,000 customers, 1,000,000 sale order lines, 300,000
invoices), then measures as a Credit Manager:

- every analysis model found in the registry (``credit.*.report``, transient and abstract ones
  excepted): the pivot's first screen, i.e. the ``read_group(lazy=False)`` calls the web client's
  pivot makes on opening (every prefix of the default row group-bys crossed with every prefix of
  the default column group-bys, with the view's measures), summed, best of 3; no search filter
  (the worst case: the whole table); target 2 s;
- ``credit.dashboard``: the kanban's ``web_search_read`` with the fields of its kanban view; 3 s;
- ``credit.composition.export``: the XLSX export of the sales composition through the wizard
  (its primary button), time and RSS growth of the process (sampled every 20 ms); 30 s, 200 MB;
- the credit check of issue 1: confirming a one-line quotation of the customer with the most open
  invoices, with the check and with ``_credit_problems`` replaced by a no-op (this process only),
  in savepoints rolled back: time ratio <= 1.30, at most 5 more queries, and no more queries than
  for a customer with few invoices;
- ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest SQL query of each view's first screen and of the
  exposure query of the credit check.

Models that are not installed yet are skipped with a line saying so.

    python3 benchmarks/bench_scale.py [--small] [--db NAME | --name NAME] [--customers N] [--lines N]
                                      [--invoices N] [--no-generate] [--keep]

Without --db, ``ccbench_scale`` (or the --name given) is created and dropped at the end (unless
--keep). With --db, the data is generated unless the database already holds it. Exit status: 0 when
every target is met, 1 when one is missed, 2 on error.
"""
import argparse
import statistics
import threading
import time
from unittest.mock import patch

import gen_scale_data
from _common import (
    MODULE,
    Measure,
    QueryTrace,
    add_db_args,
    add_db_name_args,
    ensure_user,
    explain,
    exposure_query,
    given_or_fresh_env,
    log,
    median_in_savepoints,
    rss_mb,
    run_main,
    view_spec,
)

TARGET_PIVOT = 2.0
TARGET_DASHBOARD = 3.0
TARGET_EXPORT = 30.0
TARGET_EXPORT_MB = 200.0
TARGET_CHECK_RATIO = 1.30
TARGET_CHECK_QUERIES = 5
TARGET_REFRESH = 300.0  # ours, not the issue's: a small part of the hourly interval
EXPORT_WIZARD = "credit.composition.export"
DASHBOARD = "credit.dashboard"
COMPOSITION_MIXIN = "credit.composition.report.mixin"
RUNS = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_db_name_args(parser, "ccbench_scale")
    parser.add_argument("--small", action="store_true", help="quick check with the generator's --small sizes")
    parser.add_argument("--customers", type=int)
    parser.add_argument("--lines", type=int)
    parser.add_argument("--invoices", type=int)
    parser.add_argument("--no-generate", action="store_true", help="measure the database as it is")
    parser.add_argument("--keep", action="store_true", help="keep the database it creates")
    parser.add_argument("--explain-lines", type=int, default=60, help="lines of each plan printed")
    parser.add_argument("--checks", type=int, default=10, help="measured confirmations per side")
    add_db_args(parser)
    return parser.parse_args()


# ----------------------------------------------------------------------------
# Measuring tools
# ----------------------------------------------------------------------------
class RssSampler:
    """Peak RSS growth of this process while the block runs (sampled every 20 ms)."""

    def __init__(self):
        self.base = self.peak = rss_mb()
        self._stop = threading.Event()

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()
        self.peak = max(self.peak, rss_mb())

    @property
    def growth(self):
        return self.peak - self.base


# ----------------------------------------------------------------------------
# Setup
# ----------------------------------------------------------------------------
def credit_manager(env):
    groups = env.ref(f"{MODULE}.group_credit_manager") | env.ref("sales_team.group_sale_salesman_all_leads")
    if env.ref("account.group_account_invoice", raise_if_not_found=False):
        groups |= env.ref("account.group_account_invoice")
    user = ensure_user(env, "scale_credit_manager", "SCALE Credit Manager", groups)
    env.cr.commit()
    return user


def unusable_indexes(env):
    """Indexes this transaction's snapshot cannot use (``indcheckxmin`` newer than its xmin)."""
    env.cr.execute("""
        SELECT i.indexrelid::regclass::text
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indrelid
         WHERE i.indcheckxmin AND c.relname IN ('res_partner', 'sale_order', 'sale_order_line',
                                                'account_move', 'account_move_line', 'credit_customer_file')
           AND age(i.xmin) < age(txid_snapshot_xmin(txid_current_snapshot())::text::xid)""")
    return [row[0] for row in env.cr.fetchall()]


def has_data(env):
    env.cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'SCALE Customer %%'")
    return env.cr.fetchone()[0]


def data_sizes(env):
    cr = env.cr
    sizes = {}
    for label, query in (
        ("customers", "SELECT count(*) FROM res_partner WHERE name LIKE 'SCALE Customer %%'"),
        ("customer files", "SELECT count(*) FROM credit_customer_file"),
        ("sale orders", "SELECT count(*) FROM sale_order"),
        ("sale order lines", "SELECT count(*) FROM sale_order_line"),
        ("posted customer invoices", "SELECT count(*) FROM account_move WHERE state = 'posted' "
                                     "AND move_type IN ('out_invoice', 'out_refund')"),
        ("journal items", "SELECT count(*) FROM account_move_line"),
    ):
        cr.execute(query)
        sizes[label] = cr.fetchone()[0]
    return sizes


# ----------------------------------------------------------------------------
# Analysis views: the pivot's first screen
# ----------------------------------------------------------------------------
def analysis_models(env):
    found = []
    for name in sorted(env.registry):
        model = env.registry[name]
        if not name.startswith("credit.") or model._abstract or model._transient:
            continue
        if name.endswith(".report"):
            found.append(name)
    return found


def pivot_first_screen(env, model):
    """(row groupbys, col groupbys, measure specs) of the default pivot view of ``model``."""
    from lxml import etree
    Model = env[model]
    try:
        arch = Model.get_views([(False, "pivot")])["views"]["pivot"]["arch"]
    except Exception:  # noqa: BLE001 - no pivot view: the list's total only
        arch = "<pivot/>"
    rows, cols, measures = [], [], []
    for node in etree.fromstring(arch).iter("field"):
        name, kind = node.get("name"), node.get("type")
        if node.get("invisible") in ("1", "True", "true"):
            continue
        spec = name + (f":{node.get('interval')}" if node.get("interval") else "")
        if kind == "row":
            rows.append(spec)
        elif kind == "col":
            cols.append(spec)
        elif kind == "measure" and name in Model._fields:
            field = Model._fields[name]
            aggregator = getattr(field, "aggregator", None) or "sum"
            measures.append(f"{name}:{aggregator}")
    # the action's context may set them too (pivot_row_groupby, ...)
    action = env["ir.actions.act_window"].search([("res_model", "=", model),
                                                  ("view_mode", "ilike", "pivot")], limit=1)
    if action and action.context:
        from odoo.tools.safe_eval import safe_eval
        try:
            context = safe_eval(action.context, {"uid": env.uid, "context_today": lambda: None,
                                                 "active_id": False, "allowed_company_ids": env.companies.ids})
        except Exception:  # noqa: BLE001 - a context we cannot evaluate is ignored
            context = {}
        rows = context.get("pivot_row_groupby", rows)
        cols = context.get("pivot_column_groupby", cols)
        if context.get("pivot_measures"):
            measures = [f"{m}:{getattr(Model._fields[m], 'aggregator', None) or 'sum'}"
                        for m in context["pivot_measures"] if m in Model._fields]
    if not measures:
        measures = []
    return rows, cols, measures


def measure_pivot(env, user, model, explain_lines):
    rows, cols, measures = pivot_first_screen(env, model)
    Model = env[model].with_user(user)
    groupbys = [rows[:i] + cols[:j] for i in range(len(rows) + 1) for j in range(len(cols) + 1)]
    totals = []
    slowest = (0.0, None, None)
    groups = 0
    for _run in range(RUNS):
        env.invalidate_all()
        total = 0.0
        with QueryTrace() as trace:
            for groupby in groupbys:
                t0 = time.perf_counter()
                result = Model.read_group([], measures, groupby, lazy=False)
                total += time.perf_counter() - t0
                groups = max(groups, len(result))
        totals.append(total)
        for query, params, delay, _stack in trace.queries:
            # the grouped query on the view, not the access rule look-ups around it
            if delay > slowest[0] and f'"{Model._table}"' in query \
                    and query.lstrip().upper().startswith("SELECT"):
                slowest = (delay, query, params)
    best = min(totals)
    plan = explain(env.cr, slowest[1], slowest[2], explain_lines, width=400) if slowest[1] else []
    return {"rows": rows, "cols": cols, "measures": measures, "calls": len(groupbys),
            "best": best, "median": statistics.median(totals), "groups": groups, "plan": plan,
            "query": slowest[1]}


# ----------------------------------------------------------------------------
# Dashboard
# ----------------------------------------------------------------------------
def measure_dashboard(env, user):
    Model = env[DASHBOARD]
    spec = view_spec(Model, "kanban")
    times, length = [], 0
    for _run in range(RUNS):
        env.invalidate_all()
        t0 = time.perf_counter()
        result = Model.with_user(user).web_search_read([], spec, limit=80)
        times.append(time.perf_counter() - t0)
        length = result["length"]
    return {"best": min(times), "fields": len(spec), "records": length}


# ----------------------------------------------------------------------------
# XLSX export
# ----------------------------------------------------------------------------
def measure_export(env, user):
    from datetime import timedelta

    from lxml import etree

    from odoo import fields
    Wizard = env[EXPORT_WIZARD].with_user(user)
    arch = Wizard.get_views([(False, "form")])["views"]["form"]["arch"]
    buttons = [node for node in etree.fromstring(arch).iter("button") if node.get("type") == "object"]
    primary = [b for b in buttons if "btn-primary" in (b.get("class") or "")] or buttons
    if not primary:
        raise RuntimeError(f"{EXPORT_WIZARD}: no object button in its form view")
    method = primary[0].get("name")
    env.invalidate_all()
    with RssSampler() as rss:
        t0 = time.perf_counter()
        # the sales composition of the whole generated period (two years)
        today = fields.Date.context_today(Wizard)
        values = {"kind": "sales", "date_from": today - timedelta(days=731), "date_to": today}
        wizard = Wizard.create({k: v for k, v in values.items() if k in Wizard._fields})
        action = getattr(wizard, method)()
        env.flush_all()
        elapsed = time.perf_counter() - t0
    size = 0
    for name, field in wizard._fields.items():
        if field.type == "binary" and wizard[name]:
            size = max(size, len(wizard[name]) * 3 // 4)
    if not size:
        attachments = env["ir.attachment"].search([("res_model", "=", EXPORT_WIZARD),
                                                   ("res_id", "=", wizard.id)])
        size = sum(attachments.mapped("file_size"))
    return {"method": method, "time": elapsed, "rss": rss.growth, "size": size,
            "action": (action or {}).get("type") if isinstance(action, dict) else None}


# ----------------------------------------------------------------------------
# Credit check (issue 1)
# ----------------------------------------------------------------------------
def check_customers(env):
    """The customer with the most open invoices and one with a few."""
    env.cr.execute("""
        SELECT am.commercial_partner_id, count(*)
          FROM account_move am
         WHERE am.state = 'posted' AND am.move_type = 'out_invoice' AND am.amount_residual > 0
           AND am.commercial_partner_id IN (SELECT id FROM res_partner WHERE name LIKE 'SCALE Customer %%')
      GROUP BY am.commercial_partner_id
      ORDER BY count(*) DESC""")
    rows = env.cr.fetchall()
    return rows[0], rows[-1]


def measure_check(env, user, partner_id, runs, without_check):
    """Median time and queries of ``action_confirm`` + flush of a new one-line quotation."""
    Order = env["sale.order"].with_user(user)
    product = env["product.product"].search([("default_code", "=like", "SCALE-%")], limit=1)

    def once():
        # far from the limit: the confirmation passes and the whole check runs
        env.cr.execute("""UPDATE res_partner SET credit_limit = jsonb_build_object(%s, 1e12)
                           WHERE id = %s""", [str(env.company.id), partner_id])
        order = Order.create({"partner_id": partner_id, "order_line": [
            (0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 100.0})]})
        env.flush_all()
        env.invalidate_all()
        order = Order.browse(order.id)
        with Measure(env.cr) as confirm:
            if without_check:
                with patch.object(type(env["sale.order"]), "_credit_problems", lambda self, *a, **kw: {}):
                    order.action_confirm()
                    env.flush_all()
            else:
                order.action_confirm()
                env.flush_all()
        assert order.state == "sale", order.state
        return confirm.seconds, confirm.queries

    return median_in_savepoints(env.cr, once, runs, warmup=2)


def explain_exposure(env, partner_id, lines):
    figures, elapsed, query, params = exposure_query(env["res.partner"].browse(partner_id), overdue=True)
    return figures, elapsed, explain(env.cr, query, params, lines, width=400)


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------
def verdict(ok):
    return "OK" if ok else "MISSED"


def run(env, args):
    results = []  # (label, figure, target, ok)
    user = credit_manager(env)
    log("")
    log("data: " + ", ".join(f"{count:,} {label}" for label, count in data_sizes(env).items()))
    log(f"measured as {user.login} (Credit Manager), best of {RUNS}, no search filter")
    unusable = unusable_indexes(env)
    if unusable:
        log(f"WARNING: {len(unusable)} indexes (e.g. {', '.join(unusable[:3])}) are not usable yet by this "
            "transaction: they were built with indcheckxmin and a transaction of the cluster older than "
            "them is still running (another session, maybe in another database); plans and times "
            "that need them are pessimistic. Re-run with --db ... --no-generate once it is over.")

    log("")
    log(f"== refresh of the composition analyses, the hourly scheduled action (target < {TARGET_REFRESH:.0f} s) ==")
    if COMPOSITION_MIXIN in env.registry:
        start = time.perf_counter()
        env[COMPOSITION_MIXIN]._refresh_composition()
        elapsed = time.perf_counter() - start
        ok = elapsed < TARGET_REFRESH
        log(f"  {COMPOSITION_MIXIN}._refresh_composition(): {elapsed:.1f} s  {verdict(ok)}")
        results.append(("refresh of the composition analyses", f"{elapsed:.1f} s", f"< {TARGET_REFRESH:.0f} s", ok))
    else:
        log(f"  {COMPOSITION_MIXIN}: not installed, skipped")

    log("")
    log(f"== analysis views: the pivot's first screen (target < {TARGET_PIVOT:.0f} s) ==")
    models = analysis_models(env)
    if not models:
        log("  no credit.*.report model installed")
    plans = []
    for model in models:
        try:
            res = measure_pivot(env, user, model, args.explain_lines)
        except Exception as exc:  # noqa: BLE001 - one broken view does not stop the others
            env.cr.rollback()
            log(f"  {model}: ERROR {type(exc).__name__}: {exc}")
            results.append((f"{model} pivot", "error", f"< {TARGET_PIVOT:.0f} s", False))
            continue
        ok = res["best"] < TARGET_PIVOT
        log(f"  {model}: {res['calls']} read_group (rows {res['rows'] or '-'}, cols {res['cols'] or '-'}, "
            f"measures {[m.split(':')[0] for m in res['measures']] or ['__count']}), "
            f"{res['groups']} groups: best {res['best']:.3f} s, median {res['median']:.3f} s  "
            f"{verdict(ok)}")
        results.append((f"{model} pivot", f"{res['best']:.3f} s", f"< {TARGET_PIVOT:.0f} s", ok))
        plans.append((model, res))
    for model in ("credit.sales.composition.report", "credit.product.composition.report",
                  "credit.regional.composition.report", "credit.limit.usage.report",
                  "credit.ageing.report", "credit.order.block.report"):
        if model not in env.registry:
            log(f"  {model}: not installed, skipped")

    log("")
    log(f"== dashboard (target < {TARGET_DASHBOARD:.0f} s) ==")
    if DASHBOARD in env.registry:
        try:
            res = measure_dashboard(env, user)
            ok = res["best"] < TARGET_DASHBOARD
            log(f"  {DASHBOARD} kanban web_search_read: {res['records']} cards, {res['fields']} fields: "
                f"best {res['best']:.3f} s  {verdict(ok)}")
            results.append((f"{DASHBOARD} kanban", f"{res['best']:.3f} s", f"< {TARGET_DASHBOARD:.0f} s", ok))
        except Exception as exc:  # noqa: BLE001
            env.cr.rollback()
            log(f"  {DASHBOARD}: ERROR {type(exc).__name__}: {exc}")
            results.append((f"{DASHBOARD} kanban", "error", f"< {TARGET_DASHBOARD:.0f} s", False))
    else:
        log(f"  {DASHBOARD}: not installed, skipped")

    log("")
    log(f"== XLSX export of the sales composition (target < {TARGET_EXPORT:.0f} s, "
        f"RSS growth < {TARGET_EXPORT_MB:.0f} MB) ==")
    if EXPORT_WIZARD in env.registry:
        try:
            with env.cr.savepoint():
                res = measure_export(env, user)
            ok_time, ok_mem = res["time"] < TARGET_EXPORT, res["rss"] < TARGET_EXPORT_MB
            log(f"  {EXPORT_WIZARD}.{res['method']}(): {res['time']:.2f} s, RSS +{res['rss']:.0f} MB, "
                f"file {res['size'] / 1024:.0f} KiB  {verdict(ok_time and ok_mem)}")
            results.append(("XLSX export time", f"{res['time']:.2f} s", f"< {TARGET_EXPORT:.0f} s", ok_time))
            results.append(("XLSX export RSS growth", f"{res['rss']:.0f} MB", f"< {TARGET_EXPORT_MB:.0f} MB",
                            ok_mem))
        except Exception as exc:  # noqa: BLE001
            env.cr.rollback()
            log(f"  {EXPORT_WIZARD}: ERROR {type(exc).__name__}: {exc}")
            results.append(("XLSX export", "error", f"< {TARGET_EXPORT:.0f} s", False))
    else:
        log(f"  {EXPORT_WIZARD}: not installed, skipped")

    log("")
    log("== credit check of an order confirmation (issue 1 targets) ==")
    (big, big_open), (few, few_open) = check_customers(env)
    with_check, q_check = measure_check(env, user, big, args.checks, without_check=False)
    without, q_plain = measure_check(env, user, big, args.checks, without_check=True)
    _few_time, q_few = measure_check(env, user, few, args.checks, without_check=False)
    ratio = with_check / without
    log(f"  customer {big} with {big_open:,} open invoices, median of {args.checks}:")
    log(f"    without the check {without * 1000:7.1f} ms, {q_plain:.0f} queries")
    log(f"    with the check    {with_check * 1000:7.1f} ms, {q_check:.0f} queries")
    log(f"  customer {few} with {few_open:,} open invoices: {q_few:.0f} queries")
    results.append(("credit check time ratio", f"{ratio:.2f}", f"<= {TARGET_CHECK_RATIO:.2f}",
                    ratio <= TARGET_CHECK_RATIO))
    results.append(("credit check extra queries", f"+{q_check - q_plain:.0f}", f"<= +{TARGET_CHECK_QUERIES}",
                    q_check - q_plain <= TARGET_CHECK_QUERIES))
    results.append((f"queries, {big_open:,} vs {few_open:,} open invoices", f"{q_check:.0f} vs {q_few:.0f}",
                    "no growth", q_check <= q_few))
    figures, elapsed, plan = explain_exposure(env, big, args.explain_lines)
    log(f"  _credit_figures of customer {big}: {elapsed * 1000:.1f} ms, exposure "
        f"{figures.get('exposure', 0):,.2f}, overdue {figures.get('overdue', 0):,.2f}")

    log("")
    log("== EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each first screen ==")
    for model, res in plans:
        log("")
        log(f"-- {model} ({res['best']:.3f} s for the first screen)")
        log("   " + " ".join(res["query"].split())[:600] if res["query"] else "   (no query)")
        for line in res["plan"]:
            log("   " + line)
    log("")
    log("-- exposure query of the credit check (_credit_figures)")
    for line in plan:
        log("   " + line)

    log("")
    log("== summary ==")
    width = max(len(r[0]) for r in results) + 2
    log(f"  {'figure':<{width}} {'value':>16} {'target':>12}  verdict")
    for label, value, target, ok in results:
        log(f"  {label:<{width}} {value:>16} {target:>12}  {verdict(ok)}")
    env.cr.rollback()
    return 0 if all(r[3] for r in results) else 1


def main():
    args = parse_args()
    with given_or_fresh_env(args, "bench_scale_", installed="  installed in") as env:
        if args.no_generate:
            log("generation skipped (--no-generate)")
        elif has_data(env):
            log(f"{env.cr.dbname} already holds the generated data: generation skipped")
        else:
            gen_scale_data.generate(env, **gen_scale_data.sizes(args))
        return run(env, args)


if __name__ == "__main__":
    run_main(main)
