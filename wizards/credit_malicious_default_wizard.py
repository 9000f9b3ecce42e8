from odoo import fields, models


class CreditMaliciousDefaultWizard(models.TransientModel):
    _name = "credit.malicious.default.wizard"
    _description = "Record a Malicious Default"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.partner_id.action_credit_malicious_default(self.reason)
        return {"type": "ir.actions.act_window_close"}
