from odoo import fields, models


class CreditComplaintRefuseWizard(models.TransientModel):
    """The General Manager's reason for sending a complaint's result back to its handler."""

    _name = "credit.complaint.refuse.wizard"
    _description = "Refuse Complaint Result"

    complaint_ids = fields.Many2many("credit.complaint", string="Complaints", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.complaint_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
