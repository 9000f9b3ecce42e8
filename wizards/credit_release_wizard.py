from odoo import api, fields, models


class CreditReleaseWizard(models.TransientModel):
    _name = "credit.release.wizard"
    _description = "Release an Order Refused by the Credit Check"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id")
    currency_id = fields.Many2one(related="order_id.credit_currency_id")
    amount = fields.Monetary(
        related="order_id.credit_order_amount", string="Amount on Credit",
    )
    check_message = fields.Text(compute="_compute_check_message", string="Credit Check")
    reason = fields.Text(required=True)
    confirm_order = fields.Boolean(
        string="Confirm the Order", default=True,
        help="Confirm the quotation right after the release.",
    )

    @api.depends("order_id")
    def _compute_check_message(self):
        for wizard in self:
            order = wizard.order_id
            wizard.check_message = (
                order.credit_hold_reason or order.credit_check_message or False
            )

    def action_release(self):
        self.ensure_one()
        order = self.order_id
        self.env["credit.release"].create({
            "order_id": order.id,
            "reason": self.reason,
            "refusal": self.check_message,
        })
        if self.confirm_order and order.state in ("draft", "sent"):
            order.action_confirm()
        return {"type": "ir.actions.act_window_close"}
