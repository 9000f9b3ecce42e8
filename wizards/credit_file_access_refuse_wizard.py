from odoo import fields, models


class CreditFileAccessRefuseWizard(models.TransientModel):
    _name = "credit.file.access.refuse.wizard"
    _description = "Refuse a File Access Request"

    request_ids = fields.Many2many(
        "credit.file.access.request", string="Requests",
        default=lambda self: self.env.context.get("active_ids"),
    )
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.request_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
