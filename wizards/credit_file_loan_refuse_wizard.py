from odoo import fields, models


class CreditFileLoanRefuseWizard(models.TransientModel):
    """An approver refuses a loan request and says why."""

    _name = "credit.file.loan.refuse.wizard"
    _description = "Refuse a File Loan"

    loan_id = fields.Many2one("credit.file.loan", required=True, readonly=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.loan_id.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
