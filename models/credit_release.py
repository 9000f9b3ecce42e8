from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CreditRelease(models.Model):
    """A Credit Manager's release of one sale order that breaks the credit rules.

    The confirmation of the order checks this record on the server: it is only
    valid when made by a Credit Manager, for the same company, for at least the
    amount the order needs on credit.
    """

    _name = "credit.release"
    _description = "Credit Release"
    _inherit = ["mail.thread", "credit.confidential.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", string="Sale Order", required=True, index=True,
        ondelete="cascade", check_company=True, readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Released By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    amount = fields.Monetary(
        string="Released Amount", currency_field="currency_id", readonly=True,
        help="Amount of the order (in company currency) that the release covers. "
        "If the order grows beyond it, it needs a new release.",
    )
    reason = fields.Text(required=True)
    refusal = fields.Text(
        string="Refusal Overridden", readonly=True,
        help="What the credit check said when the order was released.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group("customer_credit_archive.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can release an order."))
        for vals in vals_list:
            order = self.env["sale.order"].browse(vals["order_id"])
            if not (vals.get("reason") or "").strip():
                raise UserError(self.env._("Give the reason for the credit release."))
            # the releasing user and the amount are set here, never taken from the caller
            vals.update(
                user_id=self.env.user.id,
                date=fields.Datetime.now(),
                partner_id=order.partner_invoice_id.commercial_partner_id.id,
                company_id=order.company_id.id,
                amount=order._credit_amount_needed(),
            )
        releases = super().create(vals_list)
        for release in releases:
            release.order_id.message_post(body=self.env._(
                "Credit release by %(user)s for %(amount)s: %(reason)s",
                user=release.user_id.name,
                amount=release.currency_id.format(release.amount),
                reason=release.reason,
            ))
        return releases

    def write(self, vals):
        if set(vals) - {"message_main_attachment_id"}:
            raise UserError(self.env._("A credit release cannot be changed; make a new one."))
        return super().write(vals)

    def _is_valid_for(self, order, amount):
        """Whether this release lets ``order`` be confirmed for ``amount`` (company currency)."""
        self.ensure_one()
        return (
            self.order_id == order
            and self.company_id == order.company_id
            and self.currency_id.compare_amounts(self.amount, amount) >= 0
            # checked again at confirmation: the user may have lost the group since
            and self.user_id.sudo().has_group("customer_credit_archive.group_credit_manager")
        )
