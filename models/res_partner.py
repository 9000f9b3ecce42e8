from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
USER_GROUP = "customer_credit_archive.group_credit_user"
# the fields of the credit profile that only a Credit Manager may change
CREDIT_PROFILE_FIELDS = (
    "credit_grade_id",
    "credit_limit",
    "credit_immediate_settlement",
    "credit_blacklisted",
    "credit_blacklist_reason",
    "credit_blacklist_date",
    "credit_supply_stopped",
    "credit_supply_revoked",
    "credit_legal_action",
)
# the fields whose changes are written to the grade history
CREDIT_HISTORY_FIELDS = (
    "credit_grade_id",
    "credit_limit",
    "credit_immediate_settlement",
    "credit_blacklisted",
    "credit_supply_stopped",
    "credit_supply_revoked",
    "credit_legal_action",
)


# the fields the order check reads are fetched together, apart from the other
# company-dependent fields of the partner (pricelist, accounts, ...)
CHECK_PREFETCH = "customer_credit_archive_check"
# the partner shows the customer file of the current company
FILE_CONTEXT = ("company", "uid")
CHANNEL_KEY = "credit_profile_read_channel"

# The credit profile kept on the customer (company dependent values and figures) is a part of
# the customer's confidential file (variant 10, 第三章 保密规定): a user reads it when he reads
# the customer's file of the current company. The history, releases and sanctions are records
# of their own, guarded by the record rules of the confidential mixin.
PROFILE_FIELDS = frozenset({
    "credit_grade_id",
    "credit_limit",
    "credit_discount",
    "credit_immediate_settlement",
    "credit_blacklisted",
    "credit_blacklist_reason",
    "credit_blacklist_date",
    "credit_last_downgrade_date",
    "credit_limit_effective",
    "credit_exposure",
    "credit_available",
    "credit_overdue_amount",
    "credit_overdue_days",
    "credit_supply_stopped",
    "credit_supply_revoked",
    "credit_legal_action",
})


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Odoo's own limit (company dependent): readable by every Credit User too,
    # tracked in the chatter; only Credit Managers may change it (see write).
    credit_limit = fields.Float(
        groups="account.group_account_invoice,account.group_account_readonly,"
        "customer_credit_archive.group_credit_user",
        tracking=True,
        prefetch=CHECK_PREFETCH,
    )
    credit_grade_id = fields.Many2one(
        "credit.grade",
        prefetch=CHECK_PREFETCH,
        company_dependent=True,
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', current_company_id)]",
        help="The customer's credit grade (信用等级) in the current company. Changing it "
        "sets the credit limit and the payment term of the grade.",
    )
    credit_discount = fields.Float(
        related="credit_grade_id.discount", string="Credit Discount (%)", tracking=False,
    )
    credit_immediate_settlement = fields.Boolean(
        prefetch=CHECK_PREFETCH,
        string="Immediate Settlement",
        company_dependent=True,
        tracking=True,
        help="No credit sales: orders are confirmed only when fully paid (即时清结).",
    )
    credit_blacklisted = fields.Boolean(
        prefetch=CHECK_PREFETCH,
        string="Blacklisted",
        company_dependent=True,
        tracking=True,
        help="Orders of a blacklisted customer are refused (黑名单).",
    )
    credit_blacklist_reason = fields.Char(
        string="Blacklist Reason", company_dependent=True, tracking=True,
    )
    credit_blacklist_date = fields.Date(string="Blacklisted On", company_dependent=True)
    credit_last_downgrade_date = fields.Date(
        string="Last Automatic Downgrade", company_dependent=True, readonly=True,
    )
    credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_credit_figures",
    )
    credit_checked = fields.Boolean(
        compute="_compute_credit_figures",
        help="Whether the orders of this customer are checked against a credit limit.",
    )
    credit_limit_effective = fields.Monetary(
        compute="_compute_credit_figures", currency_field="credit_currency_id",
        string="Effective Credit Limit",
    )
    credit_exposure = fields.Monetary(
        compute="_compute_credit_figures", currency_field="credit_currency_id",
        help="Open receivables + confirmed orders not yet invoiced + draft invoices when the "
        "company counts them (信用占用), in company currency.",
    )
    credit_available = fields.Monetary(
        compute="_compute_credit_figures", currency_field="credit_currency_id",
        string="Available Credit",
    )
    credit_overdue_amount = fields.Monetary(
        compute="_compute_credit_figures", currency_field="credit_currency_id",
        string="Overdue Amount",
    )
    credit_overdue_days = fields.Integer(
        compute="_compute_credit_figures", string="Oldest Overdue (days)",
    )
    credit_is_manager = fields.Boolean(
        compute="_compute_credit_is_manager", string="Is Credit Manager",
        default=lambda self: self.env.user.has_group(MANAGER_GROUP),
    )
    credit_grade_history_ids = fields.One2many(
        "credit.grade.history", "partner_id", string="Credit History",
    )
    credit_release_ids = fields.One2many(
        "credit.release", "partner_id", string="Credit Releases",
    )

    # ------------------------------------------------------------------
    # The customer file of the current company, shown as pages of the partner form
    # ------------------------------------------------------------------
    credit_file_ids = fields.One2many("credit.customer.file", "partner_id", string="Customer Files")
    credit_team_id = fields.Many2one(
        "crm.team", string="Sales Department", index=True,
        help="The sales team (department) in charge of the customer: its leader manages the "
        "customer's file when the customer has no salesperson (部门级档案).",
    )
    credit_file_id = fields.Many2one(
        "credit.customer.file", compute="_compute_credit_file_id", string="Customer File",
        search="_search_credit_file_id",
    )
    # basic
    credit_file_legal_representative = fields.Char(
        depends_context=FILE_CONTEXT, related="credit_file_id.legal_representative", readonly=False,
    )
    credit_file_owner_name = fields.Char(
        depends_context=FILE_CONTEXT, related="credit_file_id.owner_name", readonly=False,
    )
    credit_file_registered_capital = fields.Monetary(
        depends_context=FILE_CONTEXT,
        related="credit_file_id.registered_capital",
        readonly=False,
        currency_field="currency_id",
    )
    credit_file_founding_date = fields.Date(
        depends_context=FILE_CONTEXT, related="credit_file_id.founding_date", readonly=False,
    )
    credit_file_first_trade_date = fields.Date(
        depends_context=FILE_CONTEXT, related="credit_file_id.first_trade_date", readonly=False,
    )
    credit_file_organization_form = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.organization_form", readonly=False,
    )
    credit_file_total_assets = fields.Monetary(
        depends_context=FILE_CONTEXT,
        related="credit_file_id.total_assets",
        readonly=False,
        currency_field="currency_id",
    )
    credit_file_employee_count = fields.Integer(
        string="Number of Employees",
        depends_context=FILE_CONTEXT, related="credit_file_id.employee_count", readonly=False,
    )
    credit_file_annual_sales = fields.Monetary(
        depends_context=FILE_CONTEXT,
        related="credit_file_id.annual_sales",
        readonly=False,
        currency_field="currency_id",
    )
    credit_file_key_person_ids = fields.One2many(
        depends_context=FILE_CONTEXT, related="credit_file_id.key_person_ids", readonly=False,
    )
    # character
    credit_file_service_area = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.service_area", readonly=False,
    )
    credit_file_sales_capacity = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.sales_capacity", readonly=False,
    )
    credit_file_development_potential = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.development_potential", readonly=False,
    )
    credit_file_business_philosophy = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.business_philosophy", readonly=False,
    )
    credit_file_management_style = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.management_style", readonly=False,
    )
    # business
    credit_file_sales_result_ids = fields.One2many(
        depends_context=FILE_CONTEXT, related="credit_file_id.sales_result_ids", readonly=False,
    )
    credit_file_staff_quality = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.staff_quality", readonly=False,
    )
    credit_file_competitor_relations = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.competitor_relations", readonly=False,
    )
    credit_file_cooperation_attitude = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.cooperation_attitude", readonly=False,
    )
    # trading
    credit_file_current_problems = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.current_problems", readonly=False,
    )
    credit_file_strengths = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.strengths", readonly=False,
    )
    credit_file_outlook = fields.Text(depends_context=FILE_CONTEXT, related="credit_file_id.outlook", readonly=False)
    credit_file_reputation = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.reputation", readonly=False,
    )
    credit_file_trading_conditions = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.trading_conditions", readonly=False,
    )
    credit_file_past_credit_problems = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.past_credit_problems", readonly=False,
    )
    credit_file_payment_habits = fields.Text(
        depends_context=FILE_CONTEXT, related="credit_file_id.payment_habits", readonly=False,
    )
    credit_file_collection_record_ids = fields.One2many(
        depends_context=FILE_CONTEXT, related="credit_file_id.collection_record_ids", readonly=False,
    )
    # class
    credit_file_nature = fields.Selection(depends_context=FILE_CONTEXT, related="credit_file_id.nature", readonly=False)
    credit_file_ownership = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.ownership", readonly=False,
    )
    credit_file_channel_type = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.channel_type", readonly=False,
    )
    credit_file_location_type = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.location_type", readonly=False,
    )
    credit_file_tier = fields.Selection(depends_context=FILE_CONTEXT, related="credit_file_id.tier", readonly=False)
    credit_file_lifecycle = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.lifecycle", readonly=False,
    )
    credit_file_trade_period = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.trade_period", readonly=False,
    )
    credit_file_card_type = fields.Selection(
        depends_context=FILE_CONTEXT, related="credit_file_id.card_type", readonly=False,
    )
    credit_file_route_id = fields.Many2one(
        depends_context=FILE_CONTEXT, related="credit_file_id.route_id", readonly=False,
    )
    credit_file_route_sequence = fields.Integer(
        depends_context=FILE_CONTEXT, related="credit_file_id.route_sequence", readonly=False,
    )
    credit_file_responsible_user_ids = fields.Many2many(
        depends_context=FILE_CONTEXT, related="credit_file_id.responsible_user_ids", readonly=False,
    )
    # status
    credit_file_completeness = fields.Float(depends_context=FILE_CONTEXT, related="credit_file_id.completeness")
    credit_file_last_update_date = fields.Datetime(
        depends_context=FILE_CONTEXT, related="credit_file_id.last_update_date",
    )
    credit_file_stale = fields.Boolean(depends_context=FILE_CONTEXT, related="credit_file_id.stale")
    credit_file_key_understaffed = fields.Boolean(
        depends_context=FILE_CONTEXT, related="credit_file_id.key_understaffed",
    )
    credit_file_to_verify = fields.Boolean(depends_context=FILE_CONTEXT, related="credit_file_id.to_verify")

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def init(self):
        res = super().init()
        # The partial covering indexes of the credit figures (this order check, the limit use,
        # the ageing, the dashboard): few of the millions of lines are open, and these reads
        # take them from the index alone (no visit of the table once autovacuum has been there).
        # Named <table>_credit_<what>_idx: the uninstall hook drops them.
        self.env.cr.execute("""
            -- the open receivable lines, with what the figures read of them
            CREATE INDEX IF NOT EXISTS account_move_line_credit_open_idx
                ON account_move_line (account_id, partner_id)
                   INCLUDE (company_id, amount_residual, date_maturity, date, move_id, id)
             WHERE reconciled IS NOT TRUE AND parent_state = 'posted';
            -- the confirmed orders, with what the exposure reads of them
            CREATE INDEX IF NOT EXISTS sale_order_credit_open_idx
                ON sale_order (id) INCLUDE (partner_invoice_id, company_id, currency_rate)
             WHERE state = 'sale';
            -- the confirmed order lines left to invoice, with their amounts
            CREATE INDEX IF NOT EXISTS sale_order_line_credit_open_idx
                ON sale_order_line (order_id) INCLUDE (price_total, product_uom_qty, qty_invoiced)
             WHERE state = 'sale' AND display_type IS NULL AND product_uom_qty > qty_invoiced;
            -- its earlier form, without the amounts
            DROP INDEX IF EXISTS sale_order_line_credit_to_invoice_idx;
        """)
        return res

    def _credit_figures(self, company=None, overdue=True):
        """Credit figures of the commercial partners of ``self`` in ``company``.

        One SQL query, whatever the number of partners and invoices. Returns
        ``{commercial_partner_id: {receivable, orders, drafts, exposure, overdue,
        oldest_due, overdue_days}}`` in company currency. ``overdue=False`` leaves the
        overdue figures out (0 and None): the order check needs only the exposure.
        """
        company = company or self.env.company
        partner_ids = list({pid for pid in self.commercial_partner_id.ids if isinstance(pid, int)})
        if not partner_ids:
            return {}
        self.env["account.move.line"].flush_model(
            ["partner_id", "amount_residual", "reconciled", "parent_state", "date_maturity",
             "company_id", "account_id"])
        self.env["account.move"].flush_model(
            ["state", "move_type", "amount_total_signed", "commercial_partner_id", "company_id"])
        self.env["sale.order.line"].flush_model(
            ["price_total", "product_uom_qty", "qty_invoiced", "display_type", "order_id", "state"])
        self.env["sale.order"].flush_model(
            ["state", "company_id", "partner_invoice_id", "currency_rate"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        today = fields.Date.context_today(self) if overdue else None
        if overdue:
            overdue_columns = SQL(
                """SUM(CASE WHEN aml.date_maturity < %(today)s AND aml.amount_residual > 0
                            THEN aml.amount_residual ELSE 0 END) AS overdue,
                   MIN(CASE WHEN aml.date_maturity < %(today)s AND aml.amount_residual > 0
                            THEN aml.date_maturity END) AS oldest_due""",
                today=today,
            )
        else:
            overdue_columns = SQL("0 AS overdue, NULL::date AS oldest_due")
        drafts = SQL("")
        if company.credit_include_draft_invoices:
            drafts = SQL(
                """
                UNION ALL
                SELECT am.commercial_partner_id, 0, 0, SUM(am.amount_total_signed), 0, NULL
                  FROM account_move am
                 WHERE am.commercial_partner_id = ANY(%(partners)s)
                   AND am.company_id = %(company)s
                   AND am.state = 'draft'
                   AND am.move_type IN ('out_invoice', 'out_refund')
              GROUP BY am.commercial_partner_id
                """,
                partners=partner_ids, company=company.id,
            )
        # sums per partner (contacts included) first, mapped to their commercial partner
        # after: the join then sees a few rows, not one per invoice. The ARRAY() filters
        # let PostgreSQL use the index of open receivable lines (account, partner).
        query = SQL(
            """
            WITH receivables AS (
                SELECT aml.partner_id, SUM(aml.amount_residual) AS receivable, %(overdue_columns)s
                  FROM account_move_line aml
                 WHERE aml.partner_id = ANY(ARRAY(
                           SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%(partners)s)))
                   AND aml.account_id = ANY(ARRAY(
                           SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
                   AND aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.reconciled IS NOT TRUE
              GROUP BY aml.partner_id
            ), orders AS (
                SELECT so.partner_invoice_id AS partner_id,
                       SUM(sol.price_total * (sol.product_uom_qty - sol.qty_invoiced) / sol.product_uom_qty
                           / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS orders
                  FROM sale_order so
                  JOIN sale_order_line sol ON sol.order_id = so.id
                 WHERE so.partner_invoice_id = ANY(ARRAY(
                           SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%(partners)s)))
                   AND so.company_id = %(company)s
                   AND so.state = 'sale'
                   -- only the lines left to invoice (sale_order_line_credit_open_idx), not every
                   -- line a big customer ever ordered
                   AND sol.state = 'sale'
                   AND sol.display_type IS NULL
                   AND sol.product_uom_qty > sol.qty_invoiced
              GROUP BY so.partner_invoice_id
            )
            SELECT p.commercial_partner_id, SUM(f.receivable), SUM(f.orders), SUM(f.drafts),
                   SUM(f.overdue), MIN(f.oldest_due)
              FROM (
                SELECT partner_id, receivable, 0 AS orders, 0 AS drafts, overdue, oldest_due
                  FROM receivables
                UNION ALL
                SELECT partner_id, 0, orders, 0, 0, NULL FROM orders
                %(drafts)s
              ) f
              JOIN res_partner p ON p.id = f.partner_id
          GROUP BY p.commercial_partner_id
            """,
            partners=partner_ids, company=company.id, drafts=drafts, overdue_columns=overdue_columns,
        )
        self.env.cr.execute(query)
        rounding = company.currency_id.round
        result = {}
        for partner, receivable, orders, draft, overdue_amount, oldest in self.env.cr.fetchall():
            receivable, orders, draft = (rounding(v or 0.0) for v in (receivable, orders, draft))
            result[partner] = {
                "receivable": receivable,
                "orders": orders,
                "drafts": draft,
                "exposure": rounding(receivable + orders + draft),
                "overdue": rounding(overdue_amount or 0.0),
                "oldest_due": oldest,
                "overdue_days": (today - oldest).days if oldest else 0,
            }
        return result

    def _credit_effective_limit(self, company=None):
        """The limit that applies to this commercial partner, or None when not checked."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id
        if partner.env.company != company:
            partner = partner.with_company(company)
        # sudo: the limit belongs to accounting fields a salesperson may not read
        limit = partner.sudo().credit_limit if partner.credit_grade_id else 0.0
        return self._credit_limit_rule(company, bool(partner.credit_grade_id), limit)

    @api.model
    def _credit_limit_rule(self, company, graded, limit):
        """The limit that applies: a graded customer's own limit, else the company's policy
        for ungraded customers; None when the customer is not checked."""
        if graded:
            return limit or 0.0
        if company.credit_ungraded_policy == "limit":
            return company.credit_ungraded_limit
        return None

    @api.depends_context("company")
    @api.depends("credit_grade_id", "commercial_partner_id")
    def _compute_credit_figures(self):
        company = self.env.company
        figures = self._credit_figures(company)
        for partner in self:
            figure = figures.get(partner.commercial_partner_id.id, {})
            limit = partner._credit_effective_limit(company) if partner.commercial_partner_id else None
            exposure = figure.get("exposure", 0.0)
            partner.credit_currency_id = company.currency_id
            partner.credit_checked = limit is not None
            partner.credit_limit_effective = limit or 0.0
            partner.credit_exposure = exposure
            partner.credit_available = (limit - exposure) if limit is not None else 0.0
            partner.credit_overdue_amount = figure.get("overdue", 0.0)
            partner.credit_overdue_days = figure.get("overdue_days", 0)

    @api.depends_context("company", "uid")
    @api.depends("credit_file_ids.company_id", "commercial_partner_id")
    def _compute_credit_file_id(self):
        company = self.env.company
        # as the user even in sudo (the credit_file_* related fields read as sudo): the
        # confidentiality tier of the file decides who sees it on the customer; the system
        # (scheduled actions) sees every file, a user in sudo any company he belongs to
        File = self.env["credit.customer.file"]
        readable = bool(self.commercial_partner_id.ids)
        if self.env.su and not self.env.user._is_superuser():
            user_companies = self.env.user.company_ids
            readable = readable and company in user_companies
            File = File.with_env(self.env(su=False)).with_context(
                allowed_company_ids=(company | user_companies).ids)
        files = File.search([
            ("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", company.id),
        ]) if readable and File.has_access("read") else File
        by_partner = {file.partner_id.id: file for file in files}
        for partner in self:
            partner.credit_file_id = by_partner.get(partner.commercial_partner_id.id, False)

    def _search_credit_file_id(self, operator, value):
        files = self.env["credit.customer.file"]._search([
            ("id", operator, value), ("company_id", "=", self.env.company.id)])
        return [("commercial_partner_id.credit_file_ids", "in", files)]

    @api.model
    def _credit_file_keys(self, vals):
        return [fname for fname in vals
                if fname.startswith("credit_file_") and fname not in ("credit_file_ids", "credit_file_id")]

    def _credit_file_ensure(self, vals):
        """Create the file of the current company before values are written to it.

        Returns the values to write: the card type cannot be emptied (a file has one), and
        empty values (as the form sends for every field) create no file.
        """
        keys = self._credit_file_keys(vals)
        if not keys:
            return vals
        if "credit_file_card_type" in vals and not vals["credit_file_card_type"]:
            vals = {k: v for k, v in vals.items() if k != "credit_file_card_type"}
            keys.remove("credit_file_card_type")
        if any(vals[k] for k in keys):
            missing = self.filtered(lambda p: not p.credit_file_id)
            if missing:
                self.env["credit.customer.file"]._file_for(missing)
                self.invalidate_recordset(["credit_file_id"])
                # a file the user may not read (confidentiality tier) is not written blindly
                hidden = missing.filtered(lambda p: not p.credit_file_id)
                if hidden and not self.env.su:
                    raise AccessError(self.env._(
                        "The customer file of %(customer)s is confidential: ask for access to it "
                        "(File Access Request) or to be its salesperson.",
                        customer=hidden[0].commercial_partner_id.display_name))
        return vals

    @api.depends_context("uid")
    def _compute_credit_is_manager(self):
        self.credit_is_manager = self.env.user.has_group(MANAGER_GROUP)

    # ------------------------------------------------------------------
    # Changes of the credit profile
    # ------------------------------------------------------------------
    @api.onchange("credit_grade_id")
    def _onchange_credit_grade_id(self):
        grade = self.credit_grade_id
        if grade:
            for fname, value in grade._credit_partner_defaults({}).items():
                self[fname] = value

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for partner in self:
            if partner.sudo().credit_limit < 0:
                raise ValidationError(
                    self.env._("The credit limit of %(partner)s cannot be negative.",
                               partner=partner.display_name)
                )

    def _credit_check_can_edit(self, vals):
        """Only Credit Managers change a customer's credit profile.

        Child contacts carry copies of their company's values (Odoo syncs them),
        so the rule applies to commercial partners; a value written unchanged is
        not a change.
        """
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        for partner in self.sudo():
            if partner.parent_id and partner.commercial_partner_id != partner:
                continue
            for fname in CREDIT_PROFILE_FIELDS:
                if fname not in vals:
                    continue
                field = partner._fields[fname]
                current = field.convert_to_write(partner[fname], partner)
                new = field.convert_to_write(field.convert_to_cache(vals[fname], partner), partner)
                if field.type == "float":
                    changed = abs((current or 0.0) - (new or 0.0)) > 0.005
                else:
                    changed = (current or False) != (new or False)
                if changed:
                    raise AccessError(self.env._(
                        "Only a Credit Manager can change the %(field)s of %(partner)s.",
                        field=field._description_string(self.env),
                        partner=partner.display_name,
                    ))

    def _credit_snapshot(self):
        return {
            partner.id: {fname: partner[fname] for fname in CREDIT_HISTORY_FIELDS}
            for partner in self.sudo()
        }

    def _credit_log_history(self, before):
        """Write a history line for each commercial partner whose profile changed."""
        reason = self.env.context.get("credit_change_reason")
        automatic = bool(self.env.context.get("credit_change_automatic"))
        yes, no = self.env._("Yes"), self.env._("No")
        vals_list = []
        for partner in self.sudo():
            old = before.get(partner.id)
            if not old or partner.commercial_partner_id != partner:
                continue
            changes = []
            for fname in CREDIT_HISTORY_FIELDS:
                old_value, new_value = old[fname], partner[fname]
                if fname == "credit_grade_id":
                    old_value, new_value = old_value.code or "-", new_value.code or "-"
                elif fname == "credit_limit":
                    currency = self.env.company.currency_id
                    if currency.is_zero(old_value - new_value):
                        continue
                    old_value, new_value = currency.format(old_value), currency.format(new_value)
                else:
                    old_value, new_value = (yes if old_value else no), (yes if new_value else no)
                if old_value != new_value:
                    label = partner._fields[fname]._description_string(self.env)
                    changes.append(f"{label}: {old_value} → {new_value}")
            if changes:
                vals_list.append({
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "user_id": self.env.user.id,
                    "old_grade_id": old["credit_grade_id"].id,
                    "new_grade_id": partner.credit_grade_id.id,
                    "old_limit": old["credit_limit"],
                    "new_limit": partner.credit_limit,
                    "change": "; ".join(changes),
                    "reason": reason,
                    "automatic": automatic,
                })
        if vals_list:
            # sudo: history lines are written by the system, nobody edits them
            self.env["credit.grade.history"].sudo().create(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            for vals in vals_list:
                if not vals.get("parent_id") and any(vals.get(f) for f in CREDIT_PROFILE_FIELDS):
                    raise AccessError(self.env._(
                        "Only a Credit Manager can set the credit profile of a new customer."))
        for vals in vals_list:
            grade = vals.get("credit_grade_id") and self.env["credit.grade"].browse(vals["credit_grade_id"])
            if grade:
                vals.update(grade._credit_partner_defaults(vals))
        file_vals = [
            {fname: vals.pop(fname) for fname in self._credit_file_keys(vals)} for vals in vals_list
        ]
        partners = super().create(vals_list)
        for partner, values in zip(partners, file_vals, strict=True):
            if any(values.values()):
                partner.write(values)
        if any(vals.get("credit_grade_id") or vals.get("credit_blacklisted") for vals in vals_list):
            empty = dict.fromkeys(CREDIT_HISTORY_FIELDS, False)
            empty.update(credit_grade_id=self.env["credit.grade"], credit_limit=0.0)
            partners._credit_log_history({p.id: empty for p in partners})
        return partners

    def write(self, vals):
        vals = self._credit_file_ensure(vals)
        if not any(fname in vals for fname in CREDIT_PROFILE_FIELDS):
            return super().write(vals)
        self._credit_check_can_edit(vals)
        if vals.get("credit_grade_id"):
            grade = self.env["credit.grade"].browse(vals["credit_grade_id"])
            changing = self.filtered(lambda p: p.credit_grade_id != grade)
            if changing and changing != self:
                # only the partners that change grade get the grade's defaults
                return super(ResPartner, self - changing).write(vals) and changing.write(vals)
            if changing:
                vals = dict(vals, **grade._credit_partner_defaults(vals))
        if vals.get("credit_blacklisted") and "credit_blacklist_date" not in vals:
            vals = dict(vals, credit_blacklist_date=fields.Date.context_today(self))
        before = self._credit_snapshot()
        res = super().write(vals)
        self._credit_log_history(before)
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _credit_check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager can do this."))

    def action_credit_malicious_default(self, reason):
        """Malicious default (恶意拖欠): blacklist, limit 0, immediate settlement."""
        self._credit_check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the malicious default."))
        partners = self.commercial_partner_id
        partners.with_context(credit_change_reason=reason).write({
            "credit_blacklisted": True,
            "credit_blacklist_reason": reason,
            "credit_blacklist_date": fields.Date.context_today(self),
            "credit_limit": 0.0,
            "credit_immediate_settlement": True,
        })
        for partner in partners:
            partner.message_post(body=self.env._(
                "Malicious default: blacklisted, credit limit set to 0 and immediate "
                "settlement required. Reason: %(reason)s", reason=reason))
        return True

    def action_credit_remove_blacklist(self):
        self._credit_check_manager()
        self.commercial_partner_id.write({
            "credit_blacklisted": False,
            "credit_blacklist_reason": False,
            "credit_blacklist_date": False,
        })
        return True

    def action_credit_invite_application(self):
        """Give the customer portal access and email it the link to its credit application form."""
        self.ensure_one()
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(self.env._("Only Credit Users can invite a customer to apply for credit."))
        customer = self.commercial_partner_id
        invitee = customer if customer.email else customer.child_ids.filtered("email")[:1]
        if not invitee:
            raise UserError(self.env._(
                "%(customer)s has no email address: add one to the customer or to one of its contacts "
                "before inviting it.", customer=customer.display_name))
        # sudo: granting portal access is done for the salesperson, as the portal wizard does
        invitee_sudo = invitee.sudo()
        user = invitee_sudo.with_context(active_test=False).user_ids[:1]
        if user and not user.share:
            raise UserError(self.env._(
                "%(contact)s is one of our internal users, not a customer contact.", contact=invitee.display_name))
        if not user or not user.active:
            wizard = self.env["portal.wizard"].sudo().with_context(active_ids=invitee.ids).create({})
            wizard.user_ids.filtered(lambda u: u.partner_id == invitee).action_grant_access()
        template = self.env.ref("customer_credit_archive.mail_template_credit_application_invite")
        invitee.message_post_with_source(template, subtype_xmlid="mail.mt_comment", partner_ids=invitee.ids)
        if invitee != customer:
            customer.message_post(body=self.env._(
                "Invitation to apply for credit sent to %(contact)s.", contact=invitee.display_name))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Invitation sent to %(email)s.", email=invitee.email),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_credit_file(self):
        """Open the customer file of the current company, created when missing."""
        self.ensure_one()
        file = self.env["credit.customer.file"]._file_for(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer File"),
            "res_model": "credit.customer.file",
            "res_id": file.id,
            "view_mode": "form",
        }

    def action_open_credit_malicious_default(self):
        self.ensure_one()
        self._credit_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Malicious Default"),
            "res_model": "credit.malicious.default.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    # ------------------------------------------------------------------
    # Daily downgrade
    # ------------------------------------------------------------------
    def _credit_responsible_users(self, company):
        if company.credit_responsible_id:
            return company.credit_responsible_id
        managers = self.env.ref(MANAGER_GROUP).users.filtered(
            lambda u: company in u.company_ids and not u.share and u.active
        ).sorted("id")
        return managers[:1]

    @api.model
    def _cron_credit_downgrade(self):
        """Move late payers down one grade (policy variant 9, 二.5)."""
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all  # few companies
            self.with_company(company)._credit_downgrade_company(company)

    def _credit_downgrade_company(self, company):
        partners = self.search([("credit_grade_id", "!=", False)]).filtered(
            lambda p: p.commercial_partner_id == p
        )
        if not partners:
            return
        figures = partners._credit_figures(company)
        today = fields.Date.context_today(self)
        responsible = self._credit_responsible_users(company)
        for partner in partners:
            figure = figures.get(partner.id)
            grade = partner.credit_grade_id
            if not figure or figure["overdue_days"] <= grade.overdue_tolerance_days:
                continue
            last = partner.credit_last_downgrade_date
            if last and last > today - timedelta(days=grade.overdue_tolerance_days):
                continue  # already downgraded: give the new grade its tolerance first
            lower = grade.with_company(company)._next_lower()
            if not lower:
                continue
            reason = self.env._(
                "Automatic downgrade from %(old)s to %(new)s: the oldest overdue receivable "
                "(due %(due)s, %(amount)s overdue) is %(days)s days late, over the %(tolerance)s "
                "days tolerated for grade %(old)s.",
                old=grade.code, new=lower.code, due=figure["oldest_due"],
                amount=company.currency_id.format(figure["overdue"]),
                days=figure["overdue_days"], tolerance=grade.overdue_tolerance_days,
            )
            partner.with_context(
                credit_change_reason=reason, credit_change_automatic=True,
            ).write({"credit_grade_id": lower.id, "credit_last_downgrade_date": today})
            partner.message_post(body=reason)
            for user in responsible:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Customer downgraded to %(grade)s", grade=lower.code),
                    note=reason,
                )

    # ------------------------------------------------------------------
    # Sanctions (policy variant 9, 三): flags kept by credit.sanction, read by the checks
    # ------------------------------------------------------------------
    credit_supply_stopped = fields.Boolean(
        prefetch=CHECK_PREFETCH,
        string="Supply Stopped",
        company_dependent=True,
        readonly=True,
        tracking=True,
        help="Set by an active Stop Supply or Revoke Supply Qualification sanction (停止供货): "
        "sale orders and deliveries of this customer are refused.",
    )
    credit_supply_revoked = fields.Boolean(
        prefetch=CHECK_PREFETCH,
        string="Supply Qualification Revoked",
        company_dependent=True,
        readonly=True,
        tracking=True,
        help="Set by an active Revoke Supply Qualification sanction (取消供货资格): purchase orders "
        "to this partner are refused too.",
    )
    credit_legal_action = fields.Boolean(
        prefetch=CHECK_PREFETCH,
        string="Under Legal Action",
        company_dependent=True,
        readonly=True,
        tracking=True,
        help="Set by an active Legal Action sanction (诉诸法律): sale orders are refused.",
    )
    credit_sanction_ids = fields.One2many(
        "credit.sanction", "partner_id", string="Sanctions", groups=USER_GROUP,
    )
    credit_sanction_count = fields.Integer(
        compute="_compute_credit_sanction_count", string="Active Sanctions", groups=USER_GROUP,
    )
    credit_own_failure_ids = fields.One2many(
        "credit.own.failure", "partner_id", string="Our Failures", groups=USER_GROUP,
    )
    credit_own_failure_count = fields.Integer(
        compute="_compute_credit_sanction_count", string="Open Failures", groups=USER_GROUP,
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_credit_sanction_count(self):
        partner_ids = [pid for pid in self.commercial_partner_id.ids if isinstance(pid, int)]
        domain = [("partner_id", "in", partner_ids), ("company_id", "=", self.env.company.id)]
        sanctions = dict(self.env["credit.sanction"]._read_group(
            domain + [("state", "=", "active")], ["partner_id"], ["__count"]))
        failures = dict(self.env["credit.own.failure"]._read_group(
            domain + [("state", "=", "open")], ["partner_id"], ["__count"]))
        for partner in self:
            partner.credit_sanction_count = sanctions.get(partner.commercial_partner_id, 0)
            partner.credit_own_failure_count = failures.get(partner.commercial_partner_id, 0)

    def _credit_apply_sanction_flags(self, values, message):
        """Set the sanction flags ``values`` of this commercial partner in the current company.

        Called by ``credit.sanction`` once it checked that the user is a Credit Manager. The
        change is written with ``message`` as reason to the grade history, also when no flag
        changes (another sanction already holds it), and posted in the chatter.
        """
        self.ensure_one()
        if values.get("credit_immediate_settlement") is False and (
            self.credit_blacklisted or self.credit_grade_id.immediate_settlement
        ):
            # the blacklist or the grade require immediate settlement on their own
            values = dict(values, credit_immediate_settlement=True)
        # sudo: a Credit Manager may lack the right to edit contacts; the history line and the
        # message still name the user (sudo keeps it)
        partner = self.sudo()
        changed = {fname: value for fname, value in values.items() if partner[fname] != value}
        if changed:
            partner.with_context(credit_change_reason=message).write(changed)
        else:
            self.env["credit.grade.history"].sudo().create({
                "partner_id": partner.id,
                "company_id": self.env.company.id,
                "user_id": self.env.user.id,
                "old_grade_id": partner.credit_grade_id.id,
                "new_grade_id": partner.credit_grade_id.id,
                "old_limit": partner.credit_limit,
                "new_limit": partner.credit_limit,
                "change": self.env._("No change of the credit profile"),
                "reason": message,
            })
        partner.message_post(body=message)

    def _credit_sanction_flags(self):
        """The sanction flags of this partner in the current company, as the checks read them."""
        self.ensure_one()
        return {
            "supply_stopped": self.credit_supply_stopped,
            "supply_revoked": self.credit_supply_revoked,
            "legal_action": self.credit_legal_action,
        }

    def _credit_sanction_refusal(self, document, flags, operation):
        """Why a sanction against this commercial partner refuses ``document``, or False.

        ``operation``: "sale" (order confirmation), "delivery" (validation of an outgoing
        transfer) or "purchase" (purchase order confirmation). ``flags``: the partner's sanction
        flags in the document's company; nothing is read unless one of them is set, so the
        check of a customer without sanction costs no query.
        """
        self.ensure_one()
        blocks = (  # most severe first
            ("supply_revoked", "revoke_supply", ("sale", "delivery", "purchase")),
            ("supply_stopped", "stop_supply", ("sale", "delivery")),
            ("legal_action", "legal_action", ("sale",)),
        )
        kind = next((kind for key, kind, operations in blocks if flags.get(key) and operation in operations), None)
        if not kind:
            return False
        # sudo: the confirmations of portal customers are checked too, and they cannot read sanctions
        sanction = self.env["credit.sanction"].sudo().search([
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", document.company_id.id),
            ("state", "=", "active"),
            ("kind", "=", kind),
        ], limit=1)
        values = {
            "document": document.display_name,
            "customer": self.commercial_partner_id.display_name,
            "reason": sanction.reason or self.env._("no reason given"),
        }
        if operation == "sale":
            refused = self.env._("%(document)s cannot be confirmed", **values)
        elif operation == "delivery":
            refused = self.env._("Delivery %(document)s cannot be validated", **values)
        else:
            refused = self.env._("Purchase order %(document)s cannot be confirmed", **values)
        if kind == "revoke_supply":
            why = self.env._(
                "the supply qualification of %(customer)s is revoked by a sanction (%(reason)s): "
                "nothing may be sold or delivered to it, nor bought from it.", **values)
        elif kind == "stop_supply":
            why = self.env._(
                "supply to %(customer)s is stopped by a sanction (%(reason)s): its orders are not "
                "confirmed and nothing is delivered to it.", **values)
        else:
            why = self.env._("%(customer)s is under legal action (%(reason)s): sales to it are suspended.", **values)
        todo = self.env._(
            "Settle the matter with the partner, then ask a Credit Manager to lift the sanction "
            "(Credit Files > Sanctions).")
        return f"{refused}: {why} {todo}"

    def action_open_credit_sanction_wizard(self):
        self.ensure_one()
        self._credit_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Impose Sanction"),
            "res_model": "credit.sanction.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_view_credit_sanctions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit_archive.credit_sanction_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id, "search_default_active": 1}
        return action

    def action_view_credit_own_failures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit_archive.credit_own_failure_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Credit applications (客户信用申请表), see credit.application
    # ------------------------------------------------------------------
    credit_application_ids = fields.One2many(
        "credit.application", "partner_id", string="Credit Applications", groups=USER_GROUP,
    )
    credit_application_count = fields.Integer(
        compute="_compute_credit_application_count", groups=USER_GROUP,
    )

    @api.depends("commercial_partner_id")
    def _compute_credit_application_count(self):
        partner_ids = [pid for pid in self.commercial_partner_id.ids if isinstance(pid, int)]
        counts = dict(self.env["credit.application"]._read_group(
            [("partner_id", "in", partner_ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.credit_application_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_credit_applications(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit_archive.credit_application_action")
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    # ------------------------------------------------------------------
    # Payment score of the last twelve months and year-end reviews (年审评价报告), see credit.review
    # ------------------------------------------------------------------
    credit_payment_score = fields.Integer(
        compute="_compute_credit_payment_score", string="Payment Score", groups=USER_GROUP,
        help="1-100 from the invoices paid in the last twelve months, in the manner of Dun & Bradstreet's "
        "PAYDEX: 80 when paid on the due date, up to 100 when paid 30 days early, 50 when paid 30 days late, "
        "20 at 120 days late or more; weighted by the invoice amounts. 0: no payment history.",
    )
    credit_payment_score_count = fields.Integer(
        compute="_compute_credit_payment_score", string="Paid Invoices (12 months)", groups=USER_GROUP,
    )
    credit_payment_score_details = fields.Html(
        compute="_compute_credit_payment_score_details", string="Payment Score Details", sanitize=False,
        groups=USER_GROUP,
    )
    credit_review_ids = fields.One2many(
        "credit.review", "partner_id", string="Year-End Reviews", groups=USER_GROUP,
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_credit_payment_score(self):
        lines = self.env["credit.review.payment.line"]
        partner_ids = [pid for pid in self.commercial_partner_id.ids if isinstance(pid, int)]
        experiences = lines._payment_experiences(partner_ids, self.env.company, *lines._payment_period())
        for partner in self:
            paid = experiences.get(partner.commercial_partner_id.id, [])
            partner.credit_payment_score = lines._payment_score(paid) or 0
            partner.credit_payment_score_count = len(paid)

    @api.depends_context("company", "lang")
    @api.depends("commercial_partner_id")
    def _compute_credit_payment_score_details(self):
        lines = self.env["credit.review.payment.line"]
        partner_ids = [pid for pid in self.commercial_partner_id.ids if isinstance(pid, int)]
        experiences = lines._payment_experiences(partner_ids, self.env.company, *lines._payment_period())
        for partner in self:
            partner.credit_payment_score_details = self.env["ir.qweb"]._render(
                "customer_credit_archive.credit_payment_score_details",
                {"lines": experiences.get(partner.commercial_partner_id.id, []),
                 "currency": self.env.company.currency_id},
            )

    def _credit_payment_explanation(self):
        """The paid invoices that make this customer's payment score, as dicts: invoice_id, invoice_name,
        amount (company currency), invoice_date, due_date, paid_date, days_beyond_terms, points, weight (%)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if not isinstance(partner.id, int):
            return []
        lines = self.env["credit.review.payment.line"]
        experiences = lines._payment_experiences(partner.ids, self.env.company, *lines._payment_period())
        return experiences.get(partner.id, [])

    def action_view_credit_reviews(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit_archive.credit_review_action")
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {}
        return action

    # --- file loans (credit.file.loan): the customer's archives and the files out ---
    credit_contract_archive_ids = fields.One2many(
        "credit.contract.archive", "partner_id", string="Contract Archives",
        groups="customer_credit_archive.group_credit_user")
    credit_loan_out_ids = fields.Many2many(
        "credit.file.loan", string="Files Out", compute="_compute_credit_loan_out",
        groups="customer_credit_archive.group_credit_user")
    credit_loan_out_count = fields.Integer(
        string="Files Out Count", compute="_compute_credit_loan_out",
        groups="customer_credit_archive.group_credit_user")

    def _compute_credit_loan_out(self):
        self.env["credit.file.loan"]._set_partner_loans_out(self)

    # --- relationship care (credit.care.record) ---
    credit_care_record_count = fields.Integer(
        string="Care Records", compute="_compute_credit_care_record_count",
        groups="customer_credit_archive.group_credit_user")

    def _compute_credit_care_record_count(self):
        partners = self.commercial_partner_id
        counts = self.env["credit.care.record"]._count_per(partners._origin, "partner_id")
        for partner in self:
            partner.credit_care_record_count = counts.get(partner.commercial_partner_id._origin, 0)

    def action_view_credit_care_records(self):
        self.ensure_one()
        return self.env["credit.care.record"]._action_for(self.commercial_partner_id)

    # --- customer complaints (credit.complaint) ---
    credit_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_credit_complaint_count",
        groups="customer_credit_archive.group_credit_user")

    def _compute_credit_complaint_count(self):
        counts = self.env["credit.complaint"]._count_per_partner(self._origin)
        for partner in self:
            partner.credit_complaint_count = counts.get(partner._origin.commercial_partner_id.id, 0)

    def action_view_credit_complaints(self):
        self.ensure_one()
        return self.env["credit.complaint"]._action_for_partner(self)

    # --- customer satisfaction (credit.satisfaction.response, credit.corrective.action) ---
    credit_satisfaction_response_count = fields.Integer(
        string="Satisfaction Answers", compute="_compute_credit_satisfaction_counts",
        groups="customer_credit_archive.group_credit_user")
    credit_corrective_action_count = fields.Integer(
        string="Corrective Actions", compute="_compute_credit_satisfaction_counts",
        groups="customer_credit_archive.group_credit_user")

    def _compute_credit_satisfaction_counts(self):
        self.env["credit.corrective.action"]._compute_partner_counts(self)

    def action_view_credit_satisfaction_responses(self):
        self.ensure_one()
        return self.env["credit.corrective.action"]._action_partner_responses(self)

    def action_view_credit_corrective_actions(self):
        self.ensure_one()
        return self.env["credit.corrective.action"]._action_partner_actions(self)

    # ------------------------------------------------------------------
    # The credit profile guard
    # The credit profile on the customer is served to users who read the customer's file.
    #
    # Only what leaves the server is guarded: ``read`` (form, list, RPC) returns empty values for
    # the customers whose file the user may not read, ``export_data`` refuses them, and each read
    # of a profile that is served is written to the access log. Server code (the credit check of
    # orders, Odoo's own flows) reads the fields as before, so quotations, invoices and deliveries
    # keep working for every employee, and the sales user still gets the reason of a refusal.
    # ------------------------------------------------------------------
    credit_profile_hidden = fields.Boolean(
        compute="_compute_credit_profile_hidden", string="Credit Profile Confidential",
        help="The customer's file of the current company is confidential to you: ask for access.",
    )

    @api.depends_context("uid", "company")
    def _compute_credit_profile_hidden(self):
        hidden = set(self._credit_profile_files()[1])
        for partner in self:
            partner.credit_profile_hidden = partner.id in hidden

    def _credit_profile_files(self):
        """({partner id: file id} of the readable files, {partner id: file id} of the hidden ones)
        for the customer files of the current company of the partners of ``self``."""
        ids = [pid for pid in self._ids if pid]
        if not ids or self.env.su:
            return {}, {}
        partners = self.browse(ids).sudo()
        files = self.env["credit.customer.file"].sudo().with_context(active_test=False).search_fetch(
            [("partner_id", "in", partners.commercial_partner_id.ids),
             ("company_id", "=", self.env.company.id)], ["partner_id"])
        if not files:
            return {}, {}
        by_commercial = {file.partner_id.id: file.id for file in files}
        if self.env.user.has_group(MANAGER_GROUP):
            readable = set(files.ids)
        else:
            readable = set(files.with_env(self.env)._filtered_access("read").ids)
        shown, hidden = {}, {}
        for partner in partners:
            file_id = by_commercial.get(partner.commercial_partner_id.id)
            if file_id:
                (shown if file_id in readable else hidden)[partner.id] = file_id
        return shown, hidden

    @api.model
    def _credit_profile_empty(self, fname):
        field = self._fields[fname]
        if field.type in ("one2many", "many2many"):
            return []
        if field.type in ("integer", "float", "monetary"):
            return 0
        return False

    def web_read(self, specification):
        records = self
        if PROFILE_FIELDS & set(specification) and not self.env.context.get(CHANNEL_KEY):
            records = self.with_context(**{CHANNEL_KEY: "form"})
        return super(ResPartner, records).web_read(specification)

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None,
                        count_limit=None):
        model = self
        if PROFILE_FIELDS & set(specification) and not self.env.context.get(CHANNEL_KEY):
            model = self.with_context(**{CHANNEL_KEY: "list"})
        return super(ResPartner, model).web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit)

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load=load)
        if self.env.su or not result:
            return result
        guarded = PROFILE_FIELDS & set(result[0])
        if not guarded:
            return result
        shown, hidden = self._credit_profile_files()
        for values in result:
            if values["id"] in hidden:
                for fname in guarded:
                    values[fname] = self._credit_profile_empty(fname)
        self._credit_profile_log(shown, self.env.context.get(CHANNEL_KEY) or "rpc")
        return result

    def export_data(self, fields_to_export):
        guarded = {path.split("/")[0] for path in fields_to_export} & PROFILE_FIELDS
        if not guarded or self.env.su:
            return super().export_data(fields_to_export)
        shown, hidden = self._credit_profile_files()
        if hidden:
            names = ", ".join(self.browse(list(hidden)[:5]).mapped("display_name"))
            raise AccessError(self.env._(
                "The credit profile of %(customers)s is confidential: ask for access to their "
                "customer files before exporting it.", customers=names))
        result = super().export_data(fields_to_export)
        self._credit_profile_log(shown, "export")
        return result

    def _credit_profile_log(self, shown, channel):
        """Log the read of the profiles served, ``shown`` = {partner id: file id}."""
        by_file = {}
        for partner_id, file_id in shown.items():
            by_file.setdefault(file_id, []).append(partner_id)
        self.env["credit.file.access.log"]._log_access_by_file(self._name, by_file, channel)

    def action_credit_request_access(self):
        """Open a new access request to the customer's file of the current company."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Access"),
            "res_model": "credit.file.access.request",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": partner.id, "default_company_id": self.env.company.id},
        }
