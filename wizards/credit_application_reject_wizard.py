from odoo import fields, models


class CreditApplicationRejectWizard(models.TransientModel):
    _name = "credit.application.reject.wizard"
    _description = "Reject a Credit Application"

    application_id = fields.Many2one("credit.application", string="Credit Application", required=True, readonly=True)
    partner_id = fields.Many2one(related="application_id.partner_id")
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.application_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
