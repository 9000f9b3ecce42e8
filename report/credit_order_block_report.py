from odoo import fields, models, tools

BLOCK_KINDS = [
    ("hold", "Put on Credit Hold"),
    ("release", "Released"),
]


class CreditOrderBlockReport(models.Model):
    """Blocked and released orders (信用冻结/放行): one row per event, in the order's company.

    - ``hold``: the credit check refused the confirmation of a portal / API order and put it on
      credit hold (the tracked change of ``sale.order.credit_hold`` to set, dated by its chatter
      message; an order on hold whose change was not tracked is dated by its last change);
    - ``release``: a Credit Manager released an order the credit rules refused (``credit.release``).
    A refusal at the back office leaves no trace unless the order is released.
    """

    _name = "credit.order.block.report"
    _description = "Blocked and Released Orders"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "order_id"
    _depends = {
        "mail.tracking.value": ["field_id", "new_value_integer", "mail_message_id"],
        "mail.message": ["model", "res_id", "date"],
        "sale.order": ["credit_hold", "amount_total", "currency_rate", "partner_id", "partner_invoice_id",
                       "company_id", "user_id"],
        "credit.release": ["date", "order_id", "partner_id", "company_id", "amount"],
        "res.partner": ["commercial_partner_id", "credit_grade_id"],
        "res.company": ["currency_id"],
    }

    kind = fields.Selection(BLOCK_KINDS, string="Event", readonly=True)
    date = fields.Datetime(readonly=True)
    order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    credit_grade_id = fields.Many2one("credit.grade", string="Grade", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    amount = fields.Monetary(
        readonly=True,
        help="On hold: the order total; released: the amount the release covers (company currency).",
    )
    nbr = fields.Integer(string="Orders", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
            WITH hold_field AS (
                SELECT id FROM ir_model_fields WHERE model = 'sale.order' AND name = 'credit_hold'
            ), holds AS (
                SELECT tv.id * 3 AS id, mm.date, mm.res_id AS order_id
                  FROM mail_tracking_value tv
                  JOIN mail_message mm ON mm.id = tv.mail_message_id AND mm.model = 'sale.order'
                 WHERE tv.field_id = (SELECT id FROM hold_field)
                   AND tv.new_value_integer = 1
                UNION ALL
                SELECT so.id * 3 + 1, so.write_date, so.id
                  FROM sale_order so
                 WHERE so.credit_hold
                   AND NOT EXISTS (
                       SELECT 1
                         FROM mail_message mm
                         JOIN mail_tracking_value tv ON tv.mail_message_id = mm.id
                        WHERE mm.model = 'sale.order' AND mm.res_id = so.id
                          AND tv.field_id = (SELECT id FROM hold_field))
            )
            SELECT h.id::bigint AS id, 'hold' AS kind, h.date, so.id AS order_id,
                   p.commercial_partner_id AS partner_id, so.company_id, c.currency_id,
                   (cp.credit_grade_id ->> so.company_id::text)::integer AS credit_grade_id,
                   so.user_id,
                   ROUND((so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1))::numeric,
                         cur.decimal_places) AS amount,
                   1 AS nbr
              FROM holds h
              JOIN sale_order so ON so.id = h.order_id
              JOIN res_partner p ON p.id = COALESCE(so.partner_invoice_id, so.partner_id)
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company c ON c.id = so.company_id
              JOIN res_currency cur ON cur.id = c.currency_id
            UNION ALL
            SELECT r.id::bigint * 3 + 2, 'release', r.date, r.order_id, r.partner_id, r.company_id,
                   c.currency_id,
                   (cp.credit_grade_id ->> r.company_id::text)::integer,
                   so.user_id, r.amount, 1
              FROM credit_release r
              JOIN sale_order so ON so.id = r.order_id
              JOIN res_partner cp ON cp.id = r.partner_id
              JOIN res_company c ON c.id = r.company_id
            )
        """)
