from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        self._credit_check_sanctions()
        return super().button_validate()

    def _credit_check_sanctions(self):
        """Stop supply (停止供货): no delivery to a customer under a supply sanction.

        The customer is the commercial partner of the delivery address and of the sale order.
        """
        messages = []
        for picking in self.filtered(lambda p: p.picking_type_code == "outgoing"):
            # sudo: a warehouse user may not read sale orders; only the customer is taken from it
            ordering = picking.sudo().sale_id.partner_id.sudo(False)
            customers = (picking.partner_id | ordering).commercial_partner_id
            for customer in customers.with_company(picking.company_id):
                message = customer._credit_sanction_refusal(picking, customer._credit_sanction_flags(), "delivery")
                if message:
                    messages.append(message)
                    break
        if messages:
            raise UserError("\n\n".join(messages))
