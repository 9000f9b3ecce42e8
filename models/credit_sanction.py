from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
# the partner flags each kind of sanction turns on while it is active
SANCTION_FLAGS = {
    "cancel_credit": ("credit_immediate_settlement",),
    "stop_supply": ("credit_supply_stopped",),
    "revoke_supply": ("credit_supply_stopped", "credit_supply_revoked"),
    "legal_action": ("credit_legal_action",),
}
# where a sanction keeps the value each flag had before it, to restore it when lifted
PREVIOUS_FIELDS = {
    "credit_immediate_settlement": "previous_immediate_settlement",
    "credit_supply_stopped": "previous_supply_stopped",
    "credit_supply_revoked": "previous_supply_revoked",
    "credit_legal_action": "previous_legal_action",
}
# fields only the impose and lift methods write
PROTECTED_FIELDS = {
    "partner_id", "company_id", "kind", "state", "user_id", "lifted_on", "lifted_by_id", "lift_reason",
    *PREVIOUS_FIELDS.values(),
}
INTERNAL_WRITE = "credit_sanction_internal_write"


class CreditSanction(models.Model):
    """A sanction against a customer's dishonest conduct (失信违法行为, policy variant 9, 三.1).

    Creating a sanction imposes it: its effects are flags of the customer's credit profile in
    the sanction's company, read by the credit check of sale orders, deliveries and purchase
    orders. Lifting it restores the flags as they were before, unless another active sanction
    of the customer still requires them.
    """

    _name = "credit.sanction"
    _description = "Credit Sanction"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True,
        tracking=True, domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    kind = fields.Selection(
        [
            ("cancel_credit", "Cancel Credit Sales"),
            ("stop_supply", "Stop Supply"),
            ("revoke_supply", "Revoke Supply Qualification"),
            ("legal_action", "Legal Action"),
        ],
        required=True, tracking=True,
        help="Cancel credit sales (取消赊销): cash or prepayment only.\n"
        "Stop supply (停止供货): sale orders and deliveries are refused.\n"
        "Revoke supply qualification (取消供货资格): as stop supply, and purchase orders to the "
        "partner are refused too.\n"
        "Legal action (诉诸法律): sale orders are refused and the legal contact gets an activity.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    reason = fields.Text(required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Imposed By", required=True, readonly=True, default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [("active", "Active"), ("lifted", "Lifted")],
        required=True, default="active", readonly=True, tracking=True, index=True,
    )
    lifted_on = fields.Date(readonly=True, copy=False)
    lifted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    lift_reason = fields.Text(readonly=True, copy=False)
    previous_immediate_settlement = fields.Boolean(readonly=True, copy=False)
    previous_supply_stopped = fields.Boolean(readonly=True, copy=False)
    previous_supply_revoked = fields.Boolean(readonly=True, copy=False)
    previous_legal_action = fields.Boolean(readonly=True, copy=False)

    @api.depends("kind", "partner_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for sanction in self:
            sanction.display_name = " - ".join(
                filter(None, [kinds.get(sanction.kind), sanction.partner_id.display_name])
            )

    # ------------------------------------------------------------------
    # Impose
    # ------------------------------------------------------------------
    def _credit_check_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only a Credit Manager can impose or lift a sanction."))

    @api.model_create_multi
    def create(self, vals_list):
        self._credit_check_manager()
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if not (vals.get("reason") or "").strip():
                raise UserError(self.env._("Give the reason for the sanction."))
            if vals.get("partner_id"):
                vals["partner_id"] = Partner.browse(vals["partner_id"]).commercial_partner_id.id
            # a new sanction is in force; who imposed it is never taken from the caller
            for fname in PROTECTED_FIELDS - {"partner_id", "company_id", "kind"}:
                vals.pop(fname, None)
            vals["user_id"] = self.env.user.id
        sanctions = super().create(vals_list)
        sanctions._credit_impose()
        return sanctions

    def _credit_other_active(self, excluded):
        """The active sanctions of the same customer and company, except ``excluded``."""
        self.ensure_one()
        return self.search([
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("state", "=", "active"),
            ("id", "not in", excluded.ids),
        ])

    def _credit_impose(self):
        pending = self
        for sanction in self:
            pending -= sanction
            partner = sanction.partner_id.with_company(sanction.company_id)
            others = sanction._credit_other_active(pending | sanction)
            previous = {}
            for fname in SANCTION_FLAGS[sanction.kind]:
                holder = others.filtered(lambda s, f=fname: f in SANCTION_FLAGS[s.kind])[:1]
                # under another sanction, the value to restore is the one it keeps
                previous[PREVIOUS_FIELDS[fname]] = holder[PREVIOUS_FIELDS[fname]] if holder else partner[fname]
            sanction.with_context(**{INTERNAL_WRITE: True}).write(previous)
            partner._credit_apply_sanction_flags(
                dict.fromkeys(SANCTION_FLAGS[sanction.kind], True),
                self.env._("Sanction imposed (%(kind)s): %(reason)s",
                           kind=sanction._credit_kind_label(), reason=sanction.reason),
            )
            if sanction.kind == "legal_action":
                sanction._credit_notify_legal_contact()

    def _credit_kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _credit_notify_legal_contact(self):
        """An activity for the company's legal contact (fallback: the credit responsible)."""
        self.ensure_one()
        company = self.company_id
        users = company.credit_legal_contact_id or self.env["res.partner"]._credit_responsible_users(company)
        for user in users:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Legal action against %(partner)s", partner=self.partner_id.display_name),
                note=self.reason,
            )

    # ------------------------------------------------------------------
    # Lift
    # ------------------------------------------------------------------
    def action_lift(self, reason):
        """Lift the sanctions of ``self``; each flag returns to its value before the sanction
        unless another active sanction of the customer still requires it."""
        self._credit_check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for lifting the sanction."))
        if self.filtered(lambda s: s.state != "active"):
            raise UserError(self.env._("Only an active sanction can be lifted."))
        today = fields.Date.context_today(self)
        for sanction in self:
            sanction.with_context(**{INTERNAL_WRITE: True}).write({
                "state": "lifted",
                "lifted_on": today,
                "lifted_by_id": self.env.user.id,
                "lift_reason": reason,
            })
            partner = sanction.partner_id.with_company(sanction.company_id)
            others = sanction._credit_other_active(sanction)
            values = {}
            for fname in SANCTION_FLAGS[sanction.kind]:
                if not others.filtered(lambda s, f=fname: f in SANCTION_FLAGS[s.kind]):
                    values[fname] = sanction[PREVIOUS_FIELDS[fname]]
            partner._credit_apply_sanction_flags(
                values,
                self.env._("Sanction lifted (%(kind)s): %(reason)s", kind=sanction._credit_kind_label(), reason=reason),
            )
            if sanction.activity_ids:
                sanction.activity_ids.action_feedback(feedback=self.env._("Sanction lifted: %(reason)s", reason=reason))
        return True

    def action_open_lift_wizard(self):
        self.ensure_one()
        self._credit_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lift Sanction"),
            "res_model": "credit.sanction.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sanction_id": self.id, "default_partner_id": self.partner_id.id},
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active(self):
        if self.filtered(lambda s: s.state == "active"):
            raise UserError(self.env._("An active sanction cannot be deleted: lift it first."))

    def write(self, vals):
        if PROTECTED_FIELDS & set(vals) and not self.env.context.get(INTERNAL_WRITE):
            raise UserError(self.env._(
                "The customer, company, kind and state of a sanction cannot be edited: lift the "
                "sanction and impose a new one."))
        return super().write(vals)
