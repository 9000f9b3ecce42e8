from odoo import models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_confirm(self):
        self._credit_check_sanctions()
        return super().button_confirm()

    def button_approve(self, force=False):
        # the second step of a double validation confirms the order too
        self._credit_check_sanctions()
        return super().button_approve(force=force)

    def _credit_check_sanctions(self):
        """Revoked supply qualification (取消供货资格): no purchase order to the partner."""
        messages = []
        for order in self.filtered(lambda o: o.state in ("draft", "sent", "to approve")):
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            message = partner._credit_sanction_refusal(order, partner._credit_sanction_flags(), "purchase")
            if message:
                messages.append(message)
        if messages:
            raise UserError("\n\n".join(messages))
