#!/usr/bin/env python3
"""Large data set for the scale benchmark (issue 8): customers, sale order lines, posted invoices.

Fills an existing database where customer_credit_archive is installed (no demo data needed):

- a few records through the ORM: the generic chart of accounts when the company has none,
  ~50 sales users (Credit Users), 5 sales teams, ~20 product categories with 10 products each,
  visit routes;
- the mass in plain SQL, a few ``INSERT ... SELECT generate_series(...)`` statements:
  customers (companies with a country, state and city, a salesperson and a sales team, a
  company-dependent credit grade A-D and limit in the jsonb columns), customer files for 40 %
  of them (classification tier, visit route, channel, confidentiality tier), confirmed sale
  orders over two years (4 lines each on average, the grade at confirmation when the column
  exists), posted customer invoices and credit notes (a receivable and an income line each;
  old ones mostly paid, recent ones open or partially paid, some overdue), some orders on credit
  hold with releases, and credit grade history rows;
- ``VACUUM ANALYZE`` (what autovacuum does to a live database: statistics, and the visibility
  map that lets the credit figures read the open lines from their covering indexes alone);
- the refresh of the composition analyses (materialized views), as their hourly scheduled
  action does.

    python3 benchmarks/gen_scale_data.py -d DB [--customers 100000] [--lines 1000000]
                                               [--invoices 300000] [--small]

Every generated record is named ``SCALE ...`` (partners, orders ``SSO/``, invoices ``SINV/``);
running it twice adds a second set. Exit status 0, or 2 on error.
"""
import argparse
import tempfile
import time

from _common import MODULE, add_db_args, configure, link_addon, log, run_main, superuser_env

DEFAULTS = {"customers": 100_000, "lines": 1_000_000, "invoices": 300_000}
SMALL = {"customers": 2_000, "lines": 20_000, "invoices": 6_000}
SALES_USERS = 50
TEAMS = 5
CATEGORIES = 20
PRODUCTS_PER_CATEGORY = 10
ROUTES = 100
LINES_PER_ORDER = 4
FILE_SHARE = 0.4  # customers with a customer file
CITIES = ["Central", "North", "South", "East", "West", "Harbour", "New District", "Old Town"]


class Steps:
    """Prints the time of each step."""

    def __init__(self):
        self.start = time.perf_counter()
        self.times = []

    def __call__(self, label, func, *args):
        t0 = time.perf_counter()
        result = func(*args)
        elapsed = time.perf_counter() - t0
        self.times.append((label, elapsed))
        log(f"  {label:<48} {elapsed:8.1f} s")
        return result

    def total(self):
        return time.perf_counter() - self.start


# ----------------------------------------------------------------------------
# SQL helpers
# ----------------------------------------------------------------------------
def table_columns(cr, table):
    cr.execute("""SELECT column_name, is_nullable = 'NO' AND column_default IS NULL
                    FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = %s""", [table])
    return dict(cr.fetchall())


def insert_select(cr, table, values, source, params=None, optional=()):
    """``INSERT INTO table (cols) SELECT exprs FROM source``; returns the number of rows.

    ``values``: {column: SQL expression}. Columns missing from the table are left out when
    listed in ``optional`` (columns of other modules or of other engineers' work), an error
    otherwise; every NOT NULL column without default must be given. create/write uid and date
    are added.
    """
    columns = table_columns(cr, table)
    values = dict(values)
    for name, expr in (("create_uid", "1"), ("write_uid", "1"),
                       ("create_date", "now() AT TIME ZONE 'UTC'"),
                       ("write_date", "now() AT TIME ZONE 'UTC'")):
        if name in columns:
            values.setdefault(name, expr)
    unknown = [name for name in values if name not in columns]
    if set(unknown) - set(optional):
        raise RuntimeError(f"{table}: no column {sorted(set(unknown) - set(optional))}")
    for name in unknown:
        del values[name]
    if unknown:
        log(f"    ({table}: no column {', '.join(sorted(unknown))}: left out)")
    missing = [name for name, required in columns.items() if required and name not in values]
    if missing:
        raise RuntimeError(f"{table}: NOT NULL columns not set: {missing}")
    query = (f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} "
             f"FROM {source}")
    cr.execute(query, params or {})
    return cr.rowcount


def id_range(cr, table, where, params=None):
    cr.execute(f"SELECT min(id), max(id), count(*) FROM {table} WHERE {where}", params or {})
    low, high, count = cr.fetchone()
    if count and high - low + 1 != count:
        raise RuntimeError(f"{table}: generated ids are not contiguous ({low}..{high}, {count})")
    return low, count


def sql_array(values, cast):
    return f"ARRAY[{', '.join(str(v) for v in values)}]::{cast}[]"


# ----------------------------------------------------------------------------
# ORM setup: the few records the mass refers to
# ----------------------------------------------------------------------------
def setup(env):
    from odoo import Command
    company = env.company
    Account = env["account.account"]
    receivable = env["account.account"].search([
        ("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1)
    if not receivable:
        log("  loading the generic chart of accounts ...")
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        env.invalidate_all()
        receivable = Account.search([
            ("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1)
    income = Account.search([("account_type", "=", "income"), ("company_ids", "in", company.id)], limit=1)
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    if not (receivable and income and journal):
        raise RuntimeError("no receivable / income account or sale journal in the company")
    receivable_ids = Account.search([
        ("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]).ids
    prefer = company.partner_id.with_company(company).property_account_receivable_id
    if prefer and prefer.id in receivable_ids:
        receivable = prefer

    groups = (env.ref(f"{MODULE}.group_credit_user") | env.ref("sales_team.group_sale_salesman")
              | env.ref("base.group_partner_manager"))
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True,
                                          mail_create_nosubscribe=True, tracking_disable=True)
    users = Users.search([("login", "=like", "scale_sales_%")], order="login")
    if len(users) < SALES_USERS:
        users |= Users.create([{
            "login": f"scale_sales_{index:02d}", "name": f"SCALE Salesperson {index:02d}",
            "groups_id": [Command.set(groups.ids)], "company_ids": [Command.set(company.ids)],
            "company_id": company.id,
        } for index in range(len(users), SALES_USERS)])
    Teams = env["crm.team"].with_context(tracking_disable=True)
    teams = Teams.search([("name", "=like", "SCALE Team %")], order="name")
    if len(teams) < TEAMS:
        teams |= Teams.create([{
            "name": f"SCALE Team {index}", "user_id": users[index].id, "company_id": company.id,
        } for index in range(len(teams), TEAMS)])
    Categ = env["product.category"]
    categories = Categ.search([("name", "=like", "SCALE Category %")], order="name")
    if len(categories) < CATEGORIES:
        categories |= Categ.create([{"name": f"SCALE Category {index:02d}"}
                                    for index in range(len(categories), CATEGORIES)])
    Product = env["product.product"].with_context(tracking_disable=True)
    products = Product.search([("default_code", "=like", "SCALE-%")], order="default_code")
    if not products:
        products = Product.create([{
            "name": f"SCALE Product {c:02d}-{p:02d}", "default_code": f"SCALE-{c:02d}-{p:02d}",
            "categ_id": categ.id, "type": "consu", "list_price": 5 + (c * 37 + p * 13) % 500,
            "taxes_id": [Command.clear()],
        } for c, categ in enumerate(categories) for p in range(PRODUCTS_PER_CATEGORY)])
    Route = env["credit.visit.route"].with_context(tracking_disable=True)
    routes = Route.search([("name", "=like", "SCALE Route %")], order="name")
    if len(routes) < ROUTES:
        weekdays = [key for key, _label in Route._fields["weekday"].selection] \
            if "weekday" in Route._fields else []
        routes |= Route.create([{
            "name": f"SCALE Route {index:03d}", "user_id": users[index % len(users)].id,
            "company_id": company.id,
            **({"weekday": weekdays[index % len(weekdays)]} if weekdays else {}),
        } for index in range(len(routes), ROUTES)])
    country = env.ref("base.cn")
    states = env["res.country.state"].search([("country_id", "=", country.id)])
    grades = env["credit.grade"].search([
        ("code", "in", ["A", "B", "C", "D"]), "|", ("company_id", "=", False), ("company_id", "=", company.id)],
        order="sequence")
    if len(grades) < 4:
        raise RuntimeError("credit grades A-D not found")
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    env.flush_all()
    env.cr.commit()
    return {
        "company": company.id, "currency": company.currency_id.id, "country": country.id,
        "states": states.ids, "state_names": states.mapped("name"),
        "receivable": receivable.id, "income": income.id, "journal": journal.id,
        "users": users.ids, "teams": teams.ids, "team_of_user": {u: teams[i % len(teams)].id
                                                                  for i, u in enumerate(users.ids)},
        "products": products.ids, "prices": [p.list_price for p in products],
        "uom": products[0].uom_id.id, "routes": routes.ids,
        "grades": grades.ids, "limits": [g.credit_limit or 10000.0 * (4 - i) for i, g in enumerate(grades)],
        "warehouse": warehouse.id,
        "pricelist": env["product.pricelist"].search([("company_id", "in", [company.id, False])], limit=1).id,
    }


# ----------------------------------------------------------------------------
# The mass, in SQL
# ----------------------------------------------------------------------------
def pick(array, rnd="random()"):
    """A random element of a SQL array literal."""
    return f"({array})[1 + floor({rnd} * array_length({array}, 1))::int]"


def gen_partners(cr, ctx, customers):
    users = sql_array(ctx["users"], "int")
    teams = sql_array([ctx["team_of_user"][u] for u in ctx["users"]], "int")
    states = sql_array(ctx["states"], "int")
    cities = "ARRAY[" + ", ".join(f"'{c}'" for c in CITIES) + "]::varchar[]"
    grades = sql_array(ctx["grades"], "int")
    limits = sql_array(ctx["limits"], "numeric")
    company = str(ctx["company"])
    source = f"""(SELECT g, nextval('res_partner_id_seq') AS pid,
                         1 + floor(random() * {len(ctx['users'])})::int AS uidx,
                         1 + floor(random() * {len(ctx['states'])})::int AS sidx,
                         1 + floor(random() * 4)::int AS gidx
                    FROM generate_series(1, %(n)s) g) s"""
    name = "'SCALE Customer ' || lpad(g::text, 6, '0')"
    count = insert_select(cr, "res_partner", {
        "id": "pid", "name": name, "complete_name": name, "commercial_partner_id": "pid",
        "is_company": "true", "active": "true", "type": "'contact'", "lang": "'en_US'",
        "company_id": "NULL", "country_id": str(ctx["country"]), "state_id": f"({states})[sidx]",
        "city": f"{pick(cities)} || ' ' || (g %% 40)", "street": "'No. ' || g || ' Scale Road'",
        "zip": "lpad((100000 + g %% 800000)::text, 6, '0')",
        "user_id": f"({users})[uidx]", "credit_team_id": f"({teams})[uidx]", "team_id": f"({teams})[uidx]",
        "customer_rank": "1", "supplier_rank": "0", "autopost_bills": "'ask'",
        "email": "'scale' || g || '@example.com'", "ref": "'SC' || g",
        "credit_grade_id": f"jsonb_build_object('{company}', ({grades})[gidx])",
        "credit_limit": f"jsonb_build_object('{company}', ({limits})[gidx] * (1 + floor(random() * 5)))",
        "commercial_company_name": name, "partner_share": "true",
    }, source, {"n": customers}, optional=("team_id", "credit_team_id", "commercial_company_name",
                                           "partner_share", "complete_name"))
    return id_range(cr, "res_partner", "name LIKE 'SCALE Customer %%' AND id >= %(low)s",
                    {"low": _seq_low(cr, "res_partner", count)})


def _seq_low(cr, table, count):
    cr.execute(f"SELECT max(id) - %s + 1 FROM {table}", [count])
    return cr.fetchone()[0]


def gen_files(cr, ctx, p0, customers):
    routes = sql_array(ctx["routes"], "int")
    users = sql_array(ctx["users"], "int")
    teams = sql_array([ctx["team_of_user"][u] for u in ctx["users"]], "int")
    company = ctx["company"]
    source = """(SELECT p.id AS pid, p.name AS pname, p.user_id AS puser, p.credit_team_id AS pteam,
                         random() AS r1, random() AS r2, random() AS r3, random() AS r4
                    FROM res_partner p
                   WHERE p.id BETWEEN %(p0)s AND %(p1)s AND random() < %(share)s) s"""
    return insert_select(cr, "credit_customer_file", {
        "name": "pname", "partner_id": "pid", "company_id": str(company), "active": "true",
        "user_id": "puser", "card_type": "CASE WHEN r1 < 0.8 THEN 'dealer' ELSE 'end' END",
        "tier": "(ARRAY['key', 'regular', 'regular', 'occasional', 'occasional'])[1 + floor(r2 * 5)::int]",
        "channel_type": "(ARRAY['wholesaler', 'retailer', 'agent', 'dealer', 'chain', 'specialty'])"
                        "[1 + floor(r3 * 6)::int]",
        "location_type": "(ARRAY['commercial', 'residential', 'industrial', 'suburban', 'rural'])"
                         "[1 + floor(r4 * 5)::int]",
        "nature": "'company'", "ownership": "'private'", "lifecycle": "'existing'",
        "trade_period": "'current'",
        "route_id": f"CASE WHEN r4 < 0.7 THEN {pick(routes, 'r1')} END",
        "route_sequence": "10",
        "confidential_tier": "(ARRAY['company', 'department', 'personal', 'personal'])[1 + floor(r1 * 4)::int]",
        "confidential_owner_id": "puser", "confidential_team_id": "pteam",
        "confidential_manual": "false",
        "first_trade_date": "(now() - (r2 * 3000) * interval '1 day')::date",
        "last_update_date": "now() AT TIME ZONE 'UTC' - (r3 * 400) * interval '1 day'",
        "completeness": "round((50 + r1 * 50)::numeric, 1)",
    }, source, {"p0": p0, "p1": p0 + customers - 1, "share": FILE_SHARE},
        optional=("tier", "channel_type", "location_type", "nature", "ownership", "lifecycle",
                  "trade_period", "route_id", "route_sequence", "confidential_tier",
                  "confidential_owner_id", "confidential_team_id", "confidential_manual",
                  "first_trade_date", "last_update_date", "completeness", "card_type", "user_id"))
    # users, teams unused here but kept for symmetry with the partners
    del users, teams


def grade_at_confirm(ctx, company):
    """The grade of the customer at confirmation: its grade now, an older one for 15 %."""
    grades = sql_array(ctx["grades"], "int")
    return f"CASE WHEN random() < 0.15 THEN {pick(grades)} ELSE (p.credit_grade_id ->> '{company}')::int END"


def gen_orders(cr, ctx, p0, customers, orders):
    company = str(ctx["company"])
    have = table_columns(cr, "sale_order")
    values = {
        "name": "'SSO/' || lpad(g::text, 7, '0')", "partner_id": "p.id", "partner_invoice_id": "p.id",
        "partner_shipping_id": "p.id", "company_id": company, "currency_id": str(ctx["currency"]),
        "pricelist_id": str(ctx["pricelist"]) if ctx["pricelist"] else "NULL",
        "date_order": "d", "create_date": "d", "state": "'sale'", "user_id": "p.user_id",
        "team_id": "p.credit_team_id", "currency_rate": "1.0", "picking_policy": "'direct'",
        "warehouse_id": str(ctx["warehouse"]) if ctx["warehouse"] else "NULL",
        "invoice_status": "CASE WHEN d < now() - interval '60 days' THEN 'invoiced' ELSE 'to invoice' END",
        "amount_untaxed": "0", "amount_tax": "0", "amount_total": "0", "amount_to_invoice": "0",
        "amount_invoiced": "0", "require_signature": "false", "require_payment": "false",
        "prepayment_percent": "1.0", "locked": "false", "credit_hold": "false",
        "validity_date": "(d + interval '30 days')::date", "origin": "NULL",
        "delivery_status": "CASE WHEN d < now() - interval '30 days' THEN 'full' ELSE 'pending' END",
    }
    if "credit_grade_at_confirm_id" in have:
        values["credit_grade_at_confirm_id"] = grade_at_confirm(ctx, company)
    if "credit_tier_at_confirm" in have:
        # the confidentiality tier of the customer's file at confirmation
        values["credit_tier_at_confirm"] = "f.confidential_tier"
    source = f"""(SELECT g, {p0} + floor({customers} * random() ^ 2)::int AS pid,
                         (now() AT TIME ZONE 'UTC') - random() * interval '730 days' AS d
                    FROM generate_series(1, %(n)s) g) s
                 JOIN res_partner p ON p.id = s.pid
                 LEFT JOIN credit_customer_file f ON f.partner_id = p.id AND f.company_id = {company}"""
    count = insert_select(cr, "sale_order", values, source, {"n": orders},
                          optional=tuple(values))
    return id_range(cr, "sale_order", "name LIKE 'SSO/%%' AND id >= %(low)s",
                    {"low": _seq_low(cr, "sale_order", count)})


def gen_lines(cr, ctx, o0, orders, lines):
    products = sql_array(ctx["products"], "int")
    prices = sql_array(ctx["prices"], "numeric")
    source = f"""(SELECT g, {o0} + (g - 1) %% {orders} AS oid,
                         1 + floor(random() * {len(ctx['products'])})::int AS pidx,
                         1 + floor(random() * 20)::int AS qty
                    FROM generate_series(1, %(n)s) g) s
                 JOIN sale_order so ON so.id = s.oid"""
    price = f"({prices})[pidx]"
    invoiced = "so.invoice_status = 'invoiced'"
    values = {
        "order_id": "so.id", "name": "'SCALE line ' || g", "sequence": "10 + g / %(orders)s",
        "product_id": f"({products})[pidx]", "product_uom": str(ctx["uom"]),
        "product_uom_qty": "qty", "price_unit": price, "discount": "0", "customer_lead": "0",
        "price_subtotal": f"qty * {price}", "price_total": f"qty * {price}", "price_tax": "0",
        "price_reduce_taxexcl": price, "price_reduce_taxinc": price,
        "qty_invoiced": f"CASE WHEN {invoiced} THEN qty ELSE 0 END",
        "qty_to_invoice": f"CASE WHEN {invoiced} THEN 0 ELSE qty END",
        "qty_delivered": "CASE WHEN so.delivery_status = 'full' THEN qty ELSE 0 END",
        "qty_delivered_method": "'stock_move'",
        "untaxed_amount_invoiced": f"CASE WHEN {invoiced} THEN qty * {price} ELSE 0 END",
        "untaxed_amount_to_invoice": f"CASE WHEN {invoiced} THEN 0 ELSE qty * {price} END",
        "invoice_status": "so.invoice_status", "state": "so.state", "company_id": "so.company_id",
        "currency_id": "so.currency_id", "order_partner_id": "so.partner_id",
        "salesman_id": "so.user_id", "is_downpayment": "false", "is_expense": "false",
        "create_date": "so.date_order", "technical_price_unit": price,
    }
    insert_select(cr, "sale_order_line", values, source, {"n": lines, "orders": orders},
                  optional=tuple(values))
    # the order totals from their lines
    cr.execute("""
        UPDATE sale_order so
           SET amount_untaxed = t.total, amount_total = t.total,
               amount_to_invoice = CASE WHEN so.invoice_status = 'invoiced' THEN 0 ELSE t.total END,
               amount_invoiced = CASE WHEN so.invoice_status = 'invoiced' THEN t.total ELSE 0 END
          FROM (SELECT order_id, sum(price_total) AS total FROM sale_order_line
                 WHERE order_id BETWEEN %(o0)s AND %(o1)s GROUP BY order_id) t
         WHERE so.id = t.order_id
    """ if "amount_to_invoice" in table_columns(cr, "sale_order") else """
        UPDATE sale_order so SET amount_untaxed = t.total, amount_total = t.total
          FROM (SELECT order_id, sum(price_total) AS total FROM sale_order_line
                 WHERE order_id BETWEEN %(o0)s AND %(o1)s GROUP BY order_id) t
         WHERE so.id = t.order_id
    """, {"o0": o0, "o1": o0 + orders - 1})


def gen_invoices(cr, ctx, p0, customers, invoices):
    """Posted invoices (95 %) and credit notes (5 %) over two years, one income line each."""
    company = ctx["company"]
    # r: kind of payment; old invoices are mostly paid, recent ones open or partial
    source = f"""(SELECT g, {p0} + floor({customers} * random() ^ 2)::int AS pid,
                         ((now() AT TIME ZONE 'UTC') - random() * interval '730 days')::date AS d,
                         random() < 0.05 AS refund,
                         round((50 + random() * 20000)::numeric, 2) AS amount,
                         random() AS r,
                         (ARRAY[15, 30, 45, 60, 90])[1 + floor(random() * 5)::int] AS term
                    FROM generate_series(1, %(n)s) g) s
                 JOIN res_partner p ON p.id = s.pid
                 CROSS JOIN LATERAL (SELECT CASE
                    WHEN refund THEN CASE WHEN r < 0.8 THEN 0 ELSE amount END
                    WHEN d + term < current_date - 120 THEN CASE WHEN r < 0.96 THEN 0
                                                                WHEN r < 0.98 THEN round(amount / 2, 2)
                                                                ELSE amount END
                    WHEN r < 0.45 THEN 0 WHEN r < 0.6 THEN round(amount / 3, 2) ELSE amount END AS residual
                 ) res"""
    sign = "CASE WHEN refund THEN -1 ELSE 1 END"
    values = {
        "name": "CASE WHEN refund THEN 'SRINV/' ELSE 'SINV/' END || lpad(g::text, 7, '0')",
        "move_type": "CASE WHEN refund THEN 'out_refund' ELSE 'out_invoice' END",
        "state": "'posted'", "date": "d", "invoice_date": "d", "invoice_date_due": "d + term",
        "journal_id": str(ctx["journal"]), "company_id": str(company), "currency_id": str(ctx["currency"]),
        "partner_id": "p.id", "commercial_partner_id": "p.id", "partner_shipping_id": "p.id",
        "invoice_user_id": "p.user_id", "team_id": "p.credit_team_id", "auto_post": "'no'",
        "amount_untaxed": "amount", "amount_tax": "0", "amount_total": "amount",
        "amount_residual": "residual", "amount_untaxed_signed": f"{sign} * amount",
        "amount_untaxed_in_currency_signed": f"{sign} * amount",
        "amount_tax_signed": "0", "amount_total_signed": f"{sign} * amount",
        "amount_total_in_currency_signed": f"{sign} * amount",
        "amount_residual_signed": f"{sign} * residual",
        "payment_state": "CASE WHEN residual = 0 THEN 'paid' WHEN residual < amount THEN 'partial' "
                         "ELSE 'not_paid' END",
        "sequence_prefix": "CASE WHEN refund THEN 'SRINV/' ELSE 'SINV/' END", "sequence_number": "g",
        "posted_before": "true", "is_move_sent": "true", "checked": "true", "made_sequence_gap": "false",
        "is_storno": "false", "always_tax_exigible": "false", "invoice_currency_rate": "1.0",
        "create_date": "d", "invoice_partner_display_name": "p.name", "ref": "NULL",
        "invoice_origin": "NULL", "quick_edit_total_amount": "0",
    }
    have = table_columns(cr, "account_move")
    if "credit_grade_at_confirm_id" in have:
        values["credit_grade_at_confirm_id"] = grade_at_confirm(ctx, company)
    if "credit_tier_at_confirm" in have:
        values["credit_tier_at_confirm"] = "f.confidential_tier"
        source += f""" LEFT JOIN credit_customer_file f ON f.partner_id = p.id AND f.company_id = {company}"""
    count = insert_select(cr, "account_move", values, source, {"n": invoices}, optional=tuple(values))
    m0, count = id_range(cr, "account_move", "name LIKE 'S%%INV/%%' AND id >= %(low)s",
                         {"low": _seq_low(cr, "account_move", count)})
    products = sql_array(ctx["products"], "int")
    common = {
        "move_id": "m.id", "move_name": "m.name", "date": "m.date", "invoice_date": "m.invoice_date",
        "parent_state": "'posted'", "journal_id": "m.journal_id", "company_id": "m.company_id",
        "company_currency_id": "m.currency_id", "currency_id": "m.currency_id",
        "partner_id": "m.partner_id", "ref": "NULL", "create_date": "m.create_date",
        "reconciled": "false", "blocked": "false", "tax_tag_invert": "false", "no_followup": "false",
        "amount_residual": "0", "amount_residual_currency": "0",
    }
    src = "account_move m WHERE m.id BETWEEN %(m0)s AND %(m1)s"
    params = {"m0": m0, "m1": m0 + count - 1}
    sign = "CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END"
    residual = f"{sign} * m.amount_residual"
    receivable = dict(common, **{
        "account_id": str(ctx["receivable"]), "display_type": "'payment_term'", "name": "m.name",
        "debit": f"CASE WHEN {sign} > 0 THEN m.amount_total ELSE 0 END",
        "credit": f"CASE WHEN {sign} < 0 THEN m.amount_total ELSE 0 END",
        "balance": f"{sign} * m.amount_total", "amount_currency": f"{sign} * m.amount_total",
        "amount_residual": residual, "amount_residual_currency": residual,
        "reconciled": "m.amount_residual = 0", "date_maturity": "m.invoice_date_due",
        "sequence": "10", "quantity": "1", "price_unit": f"{sign} * m.amount_total",
        "price_subtotal": f"{sign} * m.amount_total", "price_total": f"{sign} * m.amount_total",
        "discount": "0",
    })
    income = dict(common, **{
        "account_id": str(ctx["income"]), "display_type": "'product'", "name": "'SCALE goods'",
        "debit": f"CASE WHEN {sign} < 0 THEN m.amount_total ELSE 0 END",
        "credit": f"CASE WHEN {sign} > 0 THEN m.amount_total ELSE 0 END",
        "balance": f"-{sign} * m.amount_total", "amount_currency": f"-{sign} * m.amount_total",
        "sequence": "1", "quantity": "1", "price_unit": "m.amount_total",
        "price_subtotal": "m.amount_total", "price_total": "m.amount_total", "discount": "0",
        "product_id": f"{pick(products)}", "product_uom_id": str(ctx["uom"]),
        "date_maturity": "NULL",
    })
    insert_select(cr, "account_move_line", receivable, src, params, optional=tuple(receivable))
    insert_select(cr, "account_move_line", income, src, params, optional=tuple(income))
    return m0, count


def gen_holds(cr, ctx, o0, orders, p0, customers):
    """1 % of the orders are quotations on credit hold; 0.5 % of the confirmed ones were released."""
    company = ctx["company"]
    users = sql_array(ctx["users"], "int")
    cr.execute("""UPDATE sale_order SET state = 'draft', credit_hold = true,
                         credit_hold_reason = 'SCALE: over the credit limit', invoice_status = 'no'
                   WHERE id BETWEEN %(o0)s AND %(o1)s AND id %% 100 = 7""",
               {"o0": o0, "o1": o0 + orders - 1})
    cr.execute("""UPDATE sale_order_line SET state = 'draft', qty_invoiced = 0, invoice_status = 'no'
                   WHERE order_id BETWEEN %(o0)s AND %(o1)s AND order_id %% 100 = 7""",
               {"o0": o0, "o1": o0 + orders - 1}) if "state" in table_columns(cr, "sale_order_line") \
        else None
    holds = orders // 100
    releases = insert_select(cr, "credit_release", {
        "order_id": "so.id", "partner_id": "so.partner_id", "company_id": str(company),
        "user_id": f"{pick(users)}", "date": "so.date_order", "amount": "so.amount_total",
        "reason": "'SCALE: long-standing customer, payment promised'", "state": "'approved'",
        "confidential_file_id": "f.id", "create_date": "so.date_order",
    }, """sale_order so LEFT JOIN credit_customer_file f
                  ON f.partner_id = so.partner_id AND f.company_id = so.company_id
           WHERE so.id BETWEEN %(o0)s AND %(o1)s AND so.id %% 200 = 3""",
        {"o0": o0, "o1": o0 + orders - 1}, optional=("state", "confidential_file_id", "date"))
    grades = sql_array(ctx["grades"], "int")
    limits = sql_array(ctx["limits"], "numeric")
    history = insert_select(cr, "credit_grade_history", {
        "partner_id": "p.id", "company_id": str(company), "date": "d", "user_id": f"{pick(users)}",
        "old_grade_id": f"({grades})[gidx]", "new_grade_id": f"(p.credit_grade_id ->> '{company}')::int",
        "old_limit": f"({limits})[gidx]", "new_limit": f"(p.credit_limit ->> '{company}')::numeric",
        "change": "'Credit Grade, Credit Limit'", "reason": "'SCALE: year-end review'",
        "automatic": "random() < 0.3", "confidential_file_id": "f.id", "create_date": "d",
    }, f"""(SELECT p.*, 1 + floor(random() * 4)::int AS gidx,
                   (now() AT TIME ZONE 'UTC') - random() * interval '730 days' AS d
              FROM res_partner p WHERE p.id BETWEEN %(p0)s AND %(p1)s AND p.id %% 2 = 0) p
         LEFT JOIN credit_customer_file f ON f.partner_id = p.id AND f.company_id = {company}""",
        {"p0": p0, "p1": p0 + customers - 1}, optional=("confidential_file_id", "automatic", "reason"))
    return holds, releases, history


def generate(env, customers=DEFAULTS["customers"], lines=DEFAULTS["lines"],
             invoices=DEFAULTS["invoices"]):
    """Generate the data set in ``env``'s database and commit; returns the step times."""
    cr = env.cr
    steps = Steps()
    orders = max(1, lines // LINES_PER_ORDER)
    log(f"generating {customers:,} customers, {lines:,} order lines in {orders:,} orders, "
        f"{invoices:,} invoices")
    ctx = steps("setup (ORM: users, products, routes, chart)", setup, env)
    cr.execute("SELECT setseed(0.42)")
    # bulk load: no per-row foreign key triggers (the data refers to existing rows by
    # construction), no WAL flush per commit; both for this session only
    cr.execute("SET session_replication_role = replica")
    cr.execute("SET synchronous_commit = off")
    p0, customers = steps(f"customers ({customers:,})", gen_partners, cr, ctx, customers)
    steps("customer files", gen_files, cr, ctx, p0, customers)
    cr.commit()
    o0, orders = steps(f"sale orders ({orders:,})", gen_orders, cr, ctx, p0, customers, orders)
    steps(f"sale order lines ({lines:,}) + order totals", gen_lines, cr, ctx, o0, orders, lines)
    cr.commit()
    steps(f"invoices ({invoices:,}) + 2 lines each", gen_invoices, cr, ctx, p0, customers, invoices)
    cr.commit()
    steps("credit holds, releases, grade history", gen_holds, cr, ctx, o0, orders, p0, customers)
    cr.commit()
    cr.execute("RESET session_replication_role")
    cr.execute("RESET synchronous_commit")
    steps("VACUUM ANALYZE", analyze, cr)
    steps("refresh of the composition analyses (the hourly scheduled action)", refresh, env)
    env.invalidate_all()
    env.registry.clear_cache()
    log(f"  {'total':<48} {steps.total():8.1f} s")
    return steps.times


def analyze(cr):
    """``VACUUM ANALYZE`` of the generated tables, on a connection of its own (VACUUM does not
    run inside a transaction)."""
    import psycopg2
    cr.commit()
    dsn = cr._cnx.dsn  # the connection parameters of the Odoo cursor (password masked: trust auth)
    tables = ("res_partner", "credit_customer_file", "sale_order", "sale_order_line",
              "account_move", "account_move_line", "credit_release", "credit_grade_history")
    try:
        cnx = psycopg2.connect(dsn)
    except psycopg2.OperationalError as error:  # e.g. a password the dsn does not show
        log(f"    (no second connection for VACUUM: {error}; ANALYZE only)")
        for table in tables:
            cr.execute(f"ANALYZE {table}")
        cr.commit()
        return
    try:
        cnx.autocommit = True
        with cnx.cursor() as vacuum:
            for table in tables:
                vacuum.execute(f"VACUUM ANALYZE {table}")
    finally:
        cnx.close()


def refresh(env):
    env["credit.composition.report.mixin"]._refresh_composition()
    env.cr.commit()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--db", required=True, help="database with the addon installed")
    parser.add_argument("--customers", type=int)
    parser.add_argument("--lines", type=int, help="sale order lines (4 per order)")
    parser.add_argument("--invoices", type=int)
    parser.add_argument("--small", action="store_true",
                        help=f"quick check: {SMALL['customers']:,} customers, {SMALL['lines']:,} lines, "
                        f"{SMALL['invoices']:,} invoices (unless given)")
    add_db_args(parser)
    parser.add_argument("--addons-path", help="default: Odoo's addons and a temp dir linking this repository")
    return parser.parse_args()


def sizes(args):
    base = SMALL if args.small else DEFAULTS
    return {key: getattr(args, key) or base[key] for key in base}


def main():
    args = parse_args()
    configure(args, args.addons_path or link_addon(tempfile.mkdtemp(prefix="gen_scale_")))
    with superuser_env(args.db) as env:
        generate(env, **sizes(args))
    return 0


if __name__ == "__main__":
    run_main(main)
