from odoo import fields, models, tools

AGEING_BUCKETS = [
    ("not_due", "Not Due"),
    ("0_30", "0–30 Days"),
    ("31_60", "31–60 Days"),
    ("61_90", "61–90 Days"),
    ("over_90", "Over 90 Days"),
]


class CreditAgeingReport(models.Model):
    """Overdue ageing (逾期账龄): one row per open posted receivable line, in company currency,
    with the days past its due date, its ageing bucket and the customer's grade in the line's
    company. A line is overdue the day after its due date, as in the credit figures of the
    customer (``res.partner._credit_figures``)."""

    _name = "credit.ageing.report"
    _description = "Credit Overdue Ageing"
    _auto = False
    _order = "days_overdue desc, id"
    _rec_name = "move_id"
    _depends = {
        "account.move.line": ["account_id", "parent_state", "reconciled", "partner_id", "company_id",
                              "amount_residual", "date_maturity", "date", "move_id"],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id", "credit_grade_id", "user_id"],
        "res.company": ["currency_id"],
    }

    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    credit_grade_id = fields.Many2one("credit.grade", string="Grade", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGEING_BUCKETS, string="Ageing", readonly=True)
    amount_residual = fields.Monetary(string="Open Amount", readonly=True)
    overdue_amount = fields.Monetary(
        readonly=True,
        help="The open amount of the invoices past their due date (credit notes and payments not "
        "yet matched are left out, as in the customer's overdue amount).",
    )
    nbr = fields.Integer(string="Lines", readonly=True, aggregator="sum")

    def init(self):
        # the open receivable lines are read from account_move_line_credit_open_idx (res.partner)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
            SELECT aml.id, aml.move_id, cp.id AS partner_id, aml.company_id, c.currency_id,
                   (cp.credit_grade_id ->> aml.company_id::text)::integer AS credit_grade_id,
                   cp.user_id, aml.date, d.due AS date_maturity,
                   GREATEST(CURRENT_DATE - d.due, 0) AS days_overdue,
                   CASE WHEN d.due >= CURRENT_DATE THEN 'not_due'
                        WHEN CURRENT_DATE - d.due <= 30 THEN '0_30'
                        WHEN CURRENT_DATE - d.due <= 60 THEN '31_60'
                        WHEN CURRENT_DATE - d.due <= 90 THEN '61_90'
                        ELSE 'over_90'
                   END AS bucket,
                   aml.amount_residual,
                   CASE WHEN d.due < CURRENT_DATE AND aml.amount_residual > 0
                        THEN aml.amount_residual ELSE 0 END AS overdue_amount,
                   1 AS nbr
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company c ON c.id = aml.company_id
             CROSS JOIN LATERAL (SELECT COALESCE(aml.date_maturity, aml.date) AS due) d
             WHERE aml.account_id = ANY(ARRAY(
                       SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
               AND aml.parent_state = 'posted'
               AND aml.reconciled IS NOT TRUE
            )
        """)
