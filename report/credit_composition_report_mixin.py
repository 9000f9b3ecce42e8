import hashlib

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.credit_customer_file_confidential import CONFIDENTIAL_TIERS

REFRESHED_PARAM = "customer_credit_archive.composition_refreshed_at"


class CreditCompositionReportMixin(models.AbstractModel):
    """What the three composition analyses (销售构成 / 商品构成 / 地区构成) share: the dimensions
    of a sale, its two measures and the SQL that gives them.

    The analyses are materialized views (PostgreSQL computes them once, the pivots read
    the result): a whole-table aggregation of a million order lines joined to their customer
    cannot answer in two seconds. They are refreshed by a scheduled action (hourly), by
    *Refresh Figures* in the Analysis menu and, on request, before an export.

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
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", readonly=True)
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
                   -- double precision: summed by the million in every pivot, much faster than numeric
                   d.ordered_amount::double precision AS ordered_amount,
                   d.invoiced_amount::double precision AS invoiced_amount %(extra_columns)s
              FROM (%(base)s) d
              JOIN res_company c ON c.id = d.company_id
              JOIN res_partner cp ON cp.id = d.partner_id
              LEFT JOIN credit_customer_file f ON f.partner_id = d.partner_id AND f.company_id = d.company_id
              %(extra_joins)s
        """, base=base, extra_columns=extra_columns or SQL(), extra_joins=extra_joins or SQL())

    @api.model
    def _composition_query(self):
        raise NotImplementedError()

    # ------------------------------------------------------------------
    # The materialized views
    # ------------------------------------------------------------------
    def init(self):
        if self._abstract:
            return
        cr = self.env.cr
        # the bases of every analysis: confirmed orders and posted customer invoices per company
        cr.execute("""
            CREATE INDEX IF NOT EXISTS sale_order_credit_composition_idx
                ON sale_order (company_id, date_order) WHERE state = 'sale';
            CREATE INDEX IF NOT EXISTS account_move_credit_composition_idx
                ON account_move (company_id, invoice_date)
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund');
        """)
        query = SQL("(%s)", self._composition_query())
        # an upgrade recomputes the view only when its definition changed: at scale the
        # computation takes a while, and the scheduled refresh keeps the figures current
        signature = f"{self._module}:{hashlib.sha1(query.code.encode()).hexdigest()}"
        cr.execute(SQL("""
            SELECT obj_description(c.oid, 'pg_class') FROM pg_class c
             WHERE c.relname = %s AND c.relkind = 'm' AND c.relnamespace = current_schema()::regnamespace
        """, self._table))
        row = cr.fetchone()
        if row and row[0] == signature:
            return
        table = SQL.identifier(self._table)
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(SQL("CREATE MATERIALIZED VIEW %s AS %s", table, query))
        # unique: needed to refresh without locking the readers out (CONCURRENTLY)
        cr.execute(SQL("CREATE UNIQUE INDEX %s ON %s (id)", SQL.identifier(f"{self._table}_id_uniq"), table))
        cr.execute(SQL("CREATE INDEX %s ON %s (company_id, date)",
                       SQL.identifier(f"{self._table}_company_date_idx"), table))
        cr.execute(SQL("COMMENT ON MATERIALIZED VIEW %s IS %s", table, signature))
        cr.execute(SQL("ANALYZE %s", table))

    @api.model
    def _composition_models(self):
        """The concrete composition analyses (every model built on this one)."""
        names = self.pool.descendants(["credit.composition.report.mixin"], "_inherit")
        return [self.env[name] for name in sorted(names) if not self.env[name]._abstract]

    @api.model
    def _refresh_composition(self):
        """Recompute the composition analyses from the orders and invoices of now (the
        scheduled action). Readers are not blocked while it runs (CONCURRENTLY)."""
        self.env.flush_all()
        for model in self._composition_models():
            table = SQL.identifier(model._table)
            self.env.cr.execute(SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", table))
            # the planner's statistics of the new content (parallel scans of the big ones)
            self.env.cr.execute(SQL("ANALYZE %s", table))
            model.invalidate_model()
        self.env["ir.config_parameter"].sudo().set_param(REFRESHED_PARAM, fields.Datetime.to_string(
            fields.Datetime.now()))

    @api.model
    def _composition_refreshed_at(self):
        """When the figures were last computed (``False`` before the first refresh)."""
        value = self.env["ir.config_parameter"].sudo().get_param(REFRESHED_PARAM)
        return fields.Datetime.to_datetime(value) if value else False

    @api.model
    def action_refresh_composition(self):
        """*Refresh Figures*: recompute now and reload the analysis on screen."""
        self.check_access("read")
        self._refresh_composition()
        refreshed = fields.Datetime.context_timestamp(self, self._composition_refreshed_at())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The composition analyses are up to date (%s).",
                                      refreshed.strftime("%Y-%m-%d %H:%M")),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
