from odoo import fields, models, tools
from odoo.tools.sql import create_index

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

    Everything is grouped in PostgreSQL: the view reads the open receivable lines through
    Odoo's index of unreconciled lines and the order lines left to invoice through the partial
    index made in ``init()``, never a line per record in Python.
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
    credit_limit = fields.Monetary(string="Credit Limit", readonly=True)
    receivable = fields.Monetary(string="Open Receivables", readonly=True)
    orders = fields.Monetary(string="Orders Not Invoiced", readonly=True)
    drafts = fields.Monetary(string="Draft Invoices", readonly=True)
    exposure = fields.Monetary(string="Exposure", readonly=True)
    available = fields.Monetary(string="Available Credit", readonly=True)
    overdue = fields.Monetary(string="Overdue", readonly=True)
    usage = fields.Float(
        string="Limit Use (%)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Exposure / effective credit limit. Empty when the limit is 0 or the customer "
        "is not checked.",
    )
    band = fields.Selection(USAGE_BANDS, string="Limit Use", readonly=True)
    over_80 = fields.Boolean(string="At 80 % or More", readonly=True)
    over_100 = fields.Boolean(string="Over the Limit", readonly=True)
    nbr = fields.Integer(string="Customers", readonly=True, aggregator="sum")

    def init(self):
        # the confirmed order lines left to invoice: a few among the millions of lines
        create_index(
            self.env.cr, "sale_order_line_credit_to_invoice_idx", "sale_order_line", ["order_id"],
            where="state = 'sale' AND display_type IS NULL AND product_uom_qty > qty_invoiced",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
            WITH receivables AS (
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
            ), orders AS (
                SELECT so.partner_invoice_id AS partner_id, so.company_id,
                       SUM(sol.price_total * (sol.product_uom_qty - sol.qty_invoiced)
                           / sol.product_uom_qty / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS orders
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE sol.state = 'sale'
                   AND sol.display_type IS NULL
                   AND sol.product_uom_qty > sol.qty_invoiced
                   AND so.state = 'sale'
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
            ), exposures AS (
                SELECT p.commercial_partner_id AS partner_id, f.company_id,
                       SUM(f.receivable) AS receivable, SUM(f.orders) AS orders,
                       SUM(f.drafts) AS drafts, SUM(f.overdue) AS overdue
                  FROM (
                    SELECT partner_id, company_id, receivable, 0 AS orders, 0 AS drafts, overdue
                      FROM receivables
                    UNION ALL
                    SELECT partner_id, company_id, 0, orders, 0, 0 FROM orders
                    UNION ALL
                    SELECT partner_id, company_id, 0, 0, drafts, 0 FROM drafts
                  ) f
                  JOIN res_partner p ON p.id = f.partner_id
              GROUP BY p.commercial_partner_id, f.company_id
            ), graded AS (
                SELECT p.id AS partner_id, c.id AS company_id,
                       (p.credit_grade_id ->> c.id::text)::integer AS grade_id,
                       COALESCE((p.credit_limit ->> c.id::text)::numeric, 0) AS credit_limit
                  FROM res_partner p
                  JOIN res_company c ON (p.credit_grade_id ->> c.id::text) IS NOT NULL
                 WHERE p.credit_grade_id IS NOT NULL
                   AND p.id = p.commercial_partner_id
            ), customers AS (
                SELECT COALESCE(g.partner_id, e.partner_id) AS partner_id,
                       COALESCE(g.company_id, e.company_id) AS company_id,
                       g.grade_id, g.credit_limit,
                       COALESCE(e.receivable, 0) AS receivable, COALESCE(e.orders, 0) AS orders,
                       COALESCE(e.drafts, 0) AS drafts, COALESCE(e.overdue, 0) AS overdue
                  FROM graded g
                  FULL JOIN exposures e ON e.partner_id = g.partner_id AND e.company_id = g.company_id
            ), figures AS (
                SELECT k.partner_id, k.company_id, k.grade_id, c.currency_id,
                       -- res.partner._credit_limit_rule: a graded customer's own limit, else the
                       -- company's limit for ungraded customers, else not checked (NULL)
                       CASE WHEN k.grade_id IS NOT NULL THEN k.credit_limit
                            WHEN c.credit_ungraded_policy = 'limit' THEN COALESCE(c.credit_ungraded_limit, 0)
                       END AS credit_limit,
                       ROUND(k.receivable::numeric, cur.decimal_places) AS receivable,
                       ROUND(k.orders::numeric, cur.decimal_places) AS orders,
                       ROUND(k.drafts::numeric, cur.decimal_places) AS drafts,
                       ROUND(k.overdue::numeric, cur.decimal_places) AS overdue
                  FROM customers k
                  JOIN res_company c ON c.id = k.company_id
                  JOIN res_currency cur ON cur.id = c.currency_id
            )
            SELECT f.partner_id::bigint * 100000 + f.company_id AS id,
                   f.partner_id, f.company_id, f.currency_id,
                   f.grade_id AS credit_grade_id,
                   p.user_id,
                   f.credit_limit,
                   f.receivable, f.orders, f.drafts,
                   x.exposure,
                   f.credit_limit - x.exposure AS available,
                   f.overdue,
                   CASE WHEN f.credit_limit > 0 THEN ROUND(x.exposure * 100 / f.credit_limit, 1) END AS usage,
                   CASE WHEN f.credit_limit IS NULL THEN 'unchecked'
                        WHEN x.exposure > f.credit_limit THEN 'over'
                        WHEN x.exposure >= f.credit_limit * 0.8 AND f.credit_limit > 0 THEN 'warning'
                        ELSE 'normal'
                   END AS band,
                   f.credit_limit IS NOT NULL AND x.exposure >= f.credit_limit * 0.8
                       AND (f.credit_limit > 0 OR x.exposure > 0) AS over_80,
                   COALESCE(x.exposure > f.credit_limit, FALSE) AS over_100,
                   1 AS nbr
              FROM figures f
              JOIN res_partner p ON p.id = f.partner_id
             CROSS JOIN LATERAL (SELECT f.receivable + f.orders + f.drafts AS exposure) x
             WHERE f.grade_id IS NOT NULL OR x.exposure <> 0
            )
        """)
