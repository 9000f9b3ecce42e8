from odoo import fields, models, tools

USAGE_BANDS = [
    ("normal", "Under 80 %"),
    ("warning", "80–100 %"),
    ("over", "Over 100 %"),
    ("unchecked", "Not Checked"),
]


class CreditLimitUsageReport(models.Model):
    """Limit use (信用额度使用率): one row per customer (commercial partner) and company that has a
    credit grade there or an exposure, with its effective limit, its exposure as the order check
    computes it (open receivables + confirmed orders not invoiced + draft invoices when the
    company counts them, in company currency) and the share of the limit it uses.

    Everything is grouped in PostgreSQL: the view reads the open receivable lines and the
    order lines left to invoice from the partial covering indexes of the credit figures
    (``res.partner.init``), and
    every customer once; never a line per record in Python.
    """

    _name = "credit.limit.usage.report"
    _description = "Credit Limit Use"
    _auto = False
    _order = "usage desc, id"
    _rec_name = "partner_id"
    # flushed before the view is read (Odoo flushes these fields, transitively, before a search)
    _depends = {
        "account.move.line": ["account_id", "parent_state", "reconciled", "partner_id", "company_id",
                              "amount_residual", "date_maturity"],
        "account.account": ["account_type"],
        "sale.order.line": ["order_id", "state", "display_type", "product_uom_qty", "qty_invoiced",
                            "price_total"],
        "sale.order": ["state", "partner_invoice_id", "company_id", "currency_rate"],
        "account.move": ["state", "move_type", "commercial_partner_id", "company_id", "amount_total_signed"],
        "res.company": ["credit_include_draft_invoices", "credit_ungraded_policy", "credit_ungraded_limit",
                        "currency_id"],
        "res.partner": ["commercial_partner_id", "credit_grade_id", "credit_limit", "user_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    credit_grade_id = fields.Many2one("credit.grade", string="Grade", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    credit_limit = fields.Monetary(readonly=True)
    receivable = fields.Monetary(string="Open Receivables", readonly=True)
    orders = fields.Monetary(string="Orders Not Invoiced", readonly=True)
    drafts = fields.Monetary(string="Draft Invoices", readonly=True)
    exposure = fields.Monetary(readonly=True)
    available = fields.Monetary(string="Available Credit", readonly=True)
    overdue = fields.Monetary(readonly=True)
    usage = fields.Float(
        string="Limit Use (%)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Exposure / effective credit limit. Empty when the limit is 0 or the customer "
        "is not checked.",
    )
    band = fields.Selection(USAGE_BANDS, string="Limit Use", readonly=True)
    over_80 = fields.Boolean(string="At 80 % or More", readonly=True)
    over_100 = fields.Boolean(string="Over the Limit", readonly=True)
    nbr = fields.Integer(string="Customers", readonly=True, aggregator="sum")

    def _search(self, *args, **kwargs):
        tune_for_customer_aggregates(self.env.cr)
        return super()._search(*args, **kwargs)

    def init(self):
        # the open lines are read from the partial covering indexes of res.partner's init()
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
            WITH receivables AS (
                -- index-only scan of the open receivable lines (res.partner.init)
                SELECT aml.partner_id, aml.company_id,
                       SUM(aml.amount_residual) AS receivable,
                       SUM(CASE WHEN aml.date_maturity < CURRENT_DATE AND aml.amount_residual > 0
                                THEN aml.amount_residual ELSE 0 END) AS overdue
                  FROM account_move_line aml
                 WHERE aml.account_id = ANY(ARRAY(
                           SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
                   AND aml.parent_state = 'posted'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.partner_id IS NOT NULL
              GROUP BY aml.partner_id, aml.company_id
            ), order_amounts AS (
                -- index-only scan of the confirmed lines left to invoice, summed per order first
                SELECT sol.order_id,
                       SUM(sol.price_total * (sol.product_uom_qty - sol.qty_invoiced) / sol.product_uom_qty) AS amount
                  FROM sale_order_line sol
                 WHERE sol.state = 'sale'
                   AND sol.display_type IS NULL
                   AND sol.product_uom_qty > sol.qty_invoiced
              GROUP BY sol.order_id
            ), orders AS (
                SELECT so.partner_invoice_id AS partner_id, so.company_id,
                       SUM(l.amount / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS orders
                  FROM order_amounts l
                  JOIN sale_order so ON so.id = l.order_id
                 WHERE so.state = 'sale'
              GROUP BY so.partner_invoice_id, so.company_id
            ), drafts AS (
                SELECT am.commercial_partner_id AS partner_id, am.company_id,
                       SUM(am.amount_total_signed) AS drafts
                  FROM account_move am
                  JOIN res_company dc ON dc.id = am.company_id AND dc.credit_include_draft_invoices
                 WHERE am.state = 'draft'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.commercial_partner_id IS NOT NULL
              GROUP BY am.commercial_partner_id, am.company_id
            ), booked AS (
                SELECT partner_id, company_id, receivable, 0 AS orders, 0 AS drafts, overdue
                  FROM receivables
                UNION ALL
                SELECT partner_id, company_id, 0, orders, 0, 0 FROM orders
                UNION ALL
                SELECT partner_id, company_id, 0, 0, drafts, 0 FROM drafts
            ), contacts AS (
                -- the partners whose figures count on another one (their commercial partner):
                -- few, so the mapping below is a small hash, not a join of every partner
                SELECT id, commercial_partner_id FROM res_partner WHERE id <> commercial_partner_id
            ), exposures AS (
                -- rounded to the company's currency as the customer's own figures are
                SELECT COALESCE(k.commercial_partner_id, b.partner_id) AS partner_id, b.company_id,
                       ROUND(SUM(b.receivable)::numeric, MIN(cur.decimal_places)) AS receivable,
                       ROUND(SUM(b.orders)::numeric, MIN(cur.decimal_places)) AS orders,
                       ROUND(SUM(b.drafts)::numeric, MIN(cur.decimal_places)) AS drafts,
                       ROUND(SUM(b.overdue)::numeric, MIN(cur.decimal_places)) AS overdue
                  FROM booked b
                  JOIN res_company bc ON bc.id = b.company_id
                  JOIN res_currency cur ON cur.id = bc.currency_id
                  LEFT JOIN contacts k ON k.id = b.partner_id
              GROUP BY COALESCE(k.commercial_partner_id, b.partner_id), b.company_id
            ), figures AS MATERIALIZED (
                -- every commercial partner graded in a company or with an exposure there, read
                -- once with its grade, limit and salesperson; MATERIALIZED: computed once per
                -- row, not once per use of its columns in the bands below
                SELECT p.id AS partner_id, c.id AS company_id, c.currency_id, p.user_id,
                       (p.credit_grade_id ->> c.id::text)::integer AS grade_id,
                       -- res.partner._credit_limit_rule: a graded customer's own limit, else the
                       -- company's limit for ungraded customers, else not checked (NULL)
                       CASE WHEN (p.credit_grade_id ->> c.id::text) IS NOT NULL
                                THEN COALESCE((p.credit_limit ->> c.id::text)::numeric, 0)
                            WHEN c.credit_ungraded_policy = 'limit' THEN COALESCE(c.credit_ungraded_limit, 0)
                       END AS credit_limit,
                       COALESCE(e.receivable, 0) AS receivable, COALESCE(e.orders, 0) AS orders,
                       COALESCE(e.drafts, 0) AS drafts, COALESCE(e.overdue, 0) AS overdue,
                       COALESCE(e.receivable, 0) + COALESCE(e.orders, 0) + COALESCE(e.drafts, 0) AS exposure
                  FROM res_partner p
                  JOIN res_company c ON TRUE
                  LEFT JOIN exposures e ON e.partner_id = p.id AND e.company_id = c.id
                 WHERE p.id = p.commercial_partner_id
                   AND ((p.credit_grade_id ->> c.id::text) IS NOT NULL OR e.partner_id IS NOT NULL)
            )
            SELECT f.partner_id::bigint * 100000 + f.company_id AS id,
                   f.partner_id, f.company_id, f.currency_id,
                   f.grade_id AS credit_grade_id,
                   f.user_id,
                   f.credit_limit,
                   f.receivable, f.orders, f.drafts,
                   f.exposure,
                   f.credit_limit - f.exposure AS available,
                   f.overdue,
                   CASE WHEN f.credit_limit > 0 THEN ROUND(f.exposure * 100 / f.credit_limit, 1) END AS usage,
                   CASE WHEN f.credit_limit IS NULL THEN 'unchecked'
                        WHEN f.exposure > f.credit_limit THEN 'over'
                        WHEN f.exposure >= f.credit_limit * 0.8 AND f.credit_limit > 0 THEN 'warning'
                        ELSE 'normal'
                   END AS band,
                   f.credit_limit IS NOT NULL AND f.exposure >= f.credit_limit * 0.8
                       AND (f.credit_limit > 0 OR f.exposure > 0) AS over_80,
                   COALESCE(f.exposure > f.credit_limit, FALSE) AS over_100,
                   1 AS nbr
              FROM figures f
             WHERE f.grade_id IS NOT NULL OR f.exposure <> 0
            )
        """)


def tune_for_customer_aggregates(cr):
    """Settings of this transaction for the views that compute every customer's figures (limit
    use, dashboard): JIT compilation of such a plan costs a tenth of a second and saves nothing
    at this size, and their sorts and hashes of 100,000 customers spill to disk with the default
    4 MB of work memory. ``SET LOCAL`` ends with the transaction (the request)."""
    cr.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
