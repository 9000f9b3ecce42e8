from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        # an online payment confirms the order without a person at the back office:
        # a credit refusal puts the order on hold instead of failing the payment
        confirmed = super(
            PaymentTransaction, self.with_context(credit_hold_on_refusal=True)
        )._check_amount_and_confirm_order()
        return confirmed.filtered(lambda order: order.state == "sale")
