from odoo import api, fields, models


class CreditFileLoanLendWizard(models.TransientModel):
    """The archivist hands the file to the borrower (借阅时间 / 归还日期)."""

    _name = "credit.file.loan.lend.wizard"
    _description = "Lend a File"

    loan_id = fields.Many2one("credit.file.loan", required=True, readonly=True, ondelete="cascade")
    date_lent = fields.Date(string="Lent On", required=True, default=fields.Date.context_today)
    date_due = fields.Date(
        string="Due On", required=True, compute="_compute_date_due", store=True, readonly=False, precompute=True,
        help="Default: the end of the requested period, else the company's default loan period.",
    )
    condition_lent = fields.Text(string="Condition When Lent", help="State of the file given out: pages, damage.")

    @api.depends("loan_id", "date_lent")
    def _compute_date_due(self):
        for wizard in self:
            wizard.date_due = wizard.loan_id and wizard.loan_id._default_due_date(wizard.date_lent)

    def action_lend(self):
        self.ensure_one()
        self.loan_id._lend(self.date_lent, self.date_due, self.condition_lent)
        return {"type": "ir.actions.act_window_close"}
