from odoo import api, fields, models


class CreditFileViolation(models.Model):
    """The violation log of the file rules (variant 10: fines)."""

    _name = "credit.file.violation"
    _description = "Customer File Violation"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "date desc, id desc"

    file_id = fields.Many2one(
        "credit.customer.file", string="Customer File", ondelete="cascade", index=True, check_company=True,
    )
    partner_id = fields.Many2one(related="file_id.partner_id", store=True, string="Customer")
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, readonly=False, precompute=True,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Employee", index=True, tracking=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    kind = fields.Selection(
        [("missed_update", "File Not Updated"), ("unauthorized_access", "Unauthorized Viewing")],
        required=True, tracking=True,
    )
    amount = fields.Monetary(string="Fine", currency_field="currency_id", tracking=True)
    note = fields.Text()
    state = fields.Selection(
        [("open", "Open"), ("settled", "Settled"), ("waived", "Waived")],
        default="open", required=True, tracking=True,
    )

    @api.depends("file_id")
    def _compute_company_id(self):
        for violation in self:
            if violation.file_id:
                violation.company_id = violation.file_id.company_id
            elif not violation.company_id:
                violation.company_id = self.env.company

    def action_settle(self):
        self.write({"state": "settled"})

    def action_waive(self):
        self.write({"state": "waived"})
