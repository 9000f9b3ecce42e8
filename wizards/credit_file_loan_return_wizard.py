from odoo import fields, models


class CreditFileLoanReturnWizard(models.TransientModel):
    """The archivist takes the file back and checks it (归还)."""

    _name = "credit.file.loan.return.wizard"
    _description = "Register the Return of a File"

    loan_id = fields.Many2one("credit.file.loan", required=True, readonly=True, ondelete="cascade")
    date_lent = fields.Date(related="loan_id.date_lent")
    date_returned = fields.Date(string="Returned On", required=True, default=fields.Date.context_today)
    condition_returned = fields.Text(string="Condition When Returned")
    missing_pages = fields.Text(help="Pages or documents not given back: the credit office is told.")

    def action_return(self):
        self.ensure_one()
        self.loan_id._register_return(self.date_returned, self.condition_returned, self.missing_pages)
        return {"type": "ir.actions.act_window_close"}
