from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.credit_customer_file_confidential import CONFIDENTIAL_TIERS


class CreditCompositionReportMixin(models.AbstractModel):
    """What the three composition analyses (销售构成 / 商品构成 / 地区构成) share: the dimensions
    of a sale, its two measures and the SQL that gives them.

    A row is either *ordered* (confirmed sale orders, untaxed, converted to the company's currency
    with the order's rate) or *invoiced* (posted customer invoices, untaxed, in the company's
    currency; credit notes negative), so the two measures never add up twice. The grade and
    tier are those at confirmation (stored on the order, and on the invoice when it is posted);
    ``current_grade_id`` is today's grade of the customer in the company.
    """

    _name = "credit.composition.report.mixin"
    _description = "Customer Composition Analysis (common part)"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id desc"

    source = fields.Selection([("ordered", "Ordered"), ("invoiced", "Invoiced")], readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    grade_id = fields.Many2one("credit.grade", string="Grade at Confirmation", readonly=True)
    current_grade_id = fields.Many2one("credit.grade", string="Today's Grade", readonly=True)
    tier = fields.Selection(CONFIDENTIAL_TIERS, string="File Tier", readonly=True)
    channel_type = fields.Selection(selection="_selection_channel_type", string="Channel", readonly=True)
    route_id = fields.Many2one("credit.visit.route", string="Visit Route", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="State", readonly=True)
    city = fields.Char(readonly=True)
    ordered_amount = fields.Monetary(string="Ordered", readonly=True, currency_field="currency_id")
    invoiced_amount = fields.Monetary(string="Invoiced", readonly=True, currency_field="currency_id")

    @api.model
    def _selection_channel_type(self):
        return self.env["credit.customer.file"]._fields["channel_type"]._description_selection(self.env)

    # ------------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------------
    @api.model
    def _composition_documents_sql(self):
        """One row per confirmed order and per posted customer invoice / credit note."""
        return SQL("""
            SELECT so.id * 2 AS id, 'ordered' AS source, so.date_order::date AS date, so.company_id,
                   p.commercial_partner_id AS partner_id, so.user_id, so.team_id,
                   so.credit_grade_at_confirm_id AS grade_id, so.credit_tier_at_confirm AS tier,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS ordered_amount,
                   0::numeric AS invoiced_amount
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale'
            UNION ALL
            SELECT am.id * 2 + 1, 'invoiced', am.invoice_date, am.company_id,
                   am.commercial_partner_id, am.invoice_user_id, am.team_id,
                   am.credit_grade_at_confirm_id, am.credit_tier_at_confirm,
                   0::numeric, am.amount_untaxed_signed
              FROM account_move am
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
        """)

    @api.model
    def _composition_lines_sql(self):
        """One row per product line of a confirmed order and of a posted customer invoice."""
        return SQL("""
            SELECT sol.id * 2 AS id, 'ordered' AS source, so.date_order::date AS date, so.company_id,
                   p.commercial_partner_id AS partner_id, so.user_id, so.team_id,
                   so.credit_grade_at_confirm_id AS grade_id, so.credit_tier_at_confirm AS tier,
                   sol.product_id, sol.product_uom_qty AS quantity,
                   sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS ordered_amount,
                   0::numeric AS invoiced_amount
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND sol.display_type IS NULL
            UNION ALL
            SELECT aml.id * 2 + 1, 'invoiced', am.invoice_date, am.company_id,
                   am.commercial_partner_id, am.invoice_user_id, am.team_id,
                   am.credit_grade_at_confirm_id, am.credit_tier_at_confirm,
                   aml.product_id,
                   CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END,
                   0::numeric, -aml.balance
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product'
        """)

    @api.model
    def _composition_dimensions_sql(self, base, extra_columns=None, extra_joins=None):
        """The rows of ``base`` (``_composition_documents_sql`` or ``_composition_lines_sql``) with
        the customer's today's grade (the company-dependent jsonb column), region and file."""
        return SQL("""
            SELECT d.id, d.source, d.date, d.company_id, c.currency_id, d.partner_id, d.user_id,
                   d.team_id, d.grade_id,
                   (cp.credit_grade_id ->> d.company_id::text)::integer AS current_grade_id,
                   d.tier, f.channel_type, f.route_id,
                   cp.country_id, cp.state_id, cp.city,
                   d.ordered_amount, d.invoiced_amount %(extra_columns)s
              FROM (%(base)s) d
              JOIN res_company c ON c.id = d.company_id
              JOIN res_partner cp ON cp.id = d.partner_id
              LEFT JOIN credit_customer_file f ON f.partner_id = d.partner_id AND f.company_id = d.company_id
              %(extra_joins)s
        """, base=base, extra_columns=extra_columns or SQL(), extra_joins=extra_joins or SQL())

    @api.model
    def _composition_query(self):
        raise NotImplementedError()

    def init(self):
        if self._abstract:
            return
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        # the bases of every analysis: confirmed orders and posted customer invoices per company
        cr.execute("""
            CREATE INDEX IF NOT EXISTS sale_order_credit_composition_idx
                ON sale_order (company_id, date_order) WHERE state = 'sale';
            CREATE INDEX IF NOT EXISTS account_move_credit_composition_idx
                ON account_move (company_id, invoice_date)
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund');
        """)
        cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._composition_query()))
