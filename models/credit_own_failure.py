from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
# fields only the close and reopen buttons write
CLOSING_FIELDS = {"state", "corrected_on", "corrected_by_id"}
INTERNAL_WRITE = "credit_own_failure_internal_write"


class CreditOwnFailure(models.Model):
    """A dishonest conduct of our own company towards a partner (policy variant 9, 三.2).

    Credit Users record the failure and what is done about it (written notice to the partner,
    compensation, measures against the employee at fault); a Credit Manager closes it once
    corrected.
    """

    _name = "credit.own.failure"
    _description = "Own Credit Failure"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, check_company=True, tracking=True,
        domain="[('parent_id', '=', False)]", help="The partner our company failed.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [
            ("unauthorized_contract", "Contract Signed Without Authority"),
            ("quality", "Quality Below Standard"),
            ("late_payment", "Late Payment by Us"),
            ("other", "Other"),
        ],
        required=True, tracking=True,
        help="Contract signed without authority: a person signed in the company's name on their own "
        "and broke it or obtained money or goods (个人擅自以企业名义对外签订合同).\n"
        "Quality below standard: the product pass rate missed its target (产品合格率未达标).\n"
        "Late payment by us: we owe the partner overdue payments (拖欠货款).",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    description = fields.Text(required=True)
    responsible_id = fields.Many2one(
        "res.users", string="Responsible Employee", tracking=True,
        help="The employee at fault.",
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", required=True, readonly=True, default=lambda self: self.env.user,
    )
    partner_notified = fields.Boolean(
        string="Partner Notified in Writing", tracking=True,
        help="The partner was told in writing what happened and why (及时书面告知对方，说明原由).",
    )
    notified_on = fields.Date()
    compensation_amount = fields.Monetary(
        string="Compensation", currency_field="currency_id", tracking=True,
        help="What we pay the partner for its loss (依法赔偿对方损失).",
    )
    disciplinary_action = fields.Selection(
        [
            ("none", "None"),
            ("removal", "Removal from Post"),
            ("dismissal", "Dismissal"),
            ("prosecution", "Legal Prosecution"),
        ],
        string="Measure Against the Employee", default="none", required=True, tracking=True,
        help="撤消过错当事人的职务、开除直至依法追究其法律责任",
    )
    corrective_action = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("corrected", "Corrected")],
        default="open", required=True, readonly=True, tracking=True, index=True,
    )
    corrected_on = fields.Date(readonly=True, copy=False)
    corrected_by_id = fields.Many2one("res.users", string="Closed By", readonly=True, copy=False)

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for failure in self:
            failure.display_name = " - ".join(
                filter(None, [kinds.get(failure.kind), failure.partner_id.display_name])
            )

    @api.onchange("partner_notified")
    def _onchange_partner_notified(self):
        if self.partner_notified and not self.notified_on:
            self.notified_on = fields.Date.context_today(self)

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = Partner.browse(vals["partner_id"]).commercial_partner_id.id
            # a new failure is open, recorded by the current user
            for fname in CLOSING_FIELDS:
                vals.pop(fname, None)
            vals["user_id"] = self.env.user.id
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get(INTERNAL_WRITE):
            if CLOSING_FIELDS & set(vals):
                raise UserError(self.env._("Use the Close and Reopen buttons to change the state of a failure."))
            if self.filtered(lambda f: f.state == "corrected") and not self._credit_is_manager():
                raise AccessError(self.env._("Only a Credit Manager can change a corrected failure."))
        return super().write(vals)

    def _credit_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def action_close(self):
        """Corrected (纠正): only a Credit Manager closes a failure, once its correction is written."""
        if not self._credit_is_manager():
            raise AccessError(self.env._("Only a Credit Manager can close a failure."))
        for failure in self:
            if failure.state != "open":
                raise UserError(self.env._("%(failure)s is already closed.", failure=failure.display_name))
            if not (failure.corrective_action or "").strip():
                raise UserError(self.env._(
                    "Describe the corrective action of %(failure)s before closing it.",
                    failure=failure.display_name))
        self.with_context(**{INTERNAL_WRITE: True}).write({
            "state": "corrected",
            "corrected_on": fields.Date.context_today(self),
            "corrected_by_id": self.env.user.id,
        })
        return True

    def action_reopen(self):
        if not self._credit_is_manager():
            raise AccessError(self.env._("Only a Credit Manager can reopen a failure."))
        self.with_context(**{INTERNAL_WRITE: True}).write({
            "state": "open", "corrected_on": False, "corrected_by_id": False,
        })
        return True
