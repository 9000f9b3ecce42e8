from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_ungraded_policy = fields.Selection(
        [("none", "Not checked"), ("limit", "Checked against a default limit")],
        string="Customers Without Grade",
        default="none",
        required=True,
        help="How orders of customers that have no credit grade are checked. "
        "Blacklist and immediate settlement are always enforced.",
    )
    credit_ungraded_limit = fields.Monetary(
        string="Default Limit for Ungraded Customers",
        currency_field="currency_id",
    )
    credit_include_draft_invoices = fields.Boolean(
        string="Count Draft Invoices in Exposure",
        default=True,
        help="Draft customer invoices count in the credit exposure. Odoo counts a "
        "draft invoice as invoiced on its sale order, so leaving this on keeps "
        "those amounts in the exposure.",
    )
    credit_responsible_id = fields.Many2one(
        "res.users",
        string="Credit Responsible",
        help="Receives the activities of the credit checks (orders on credit hold, "
        "automatic downgrades). Empty: the first Credit Manager of the company.",
    )
    credit_file_stale_days = fields.Integer(
        string="Customer File Freshness (days)",
        default=30,
        help="A customer file not updated for longer than this is stale: its salesperson "
        "gets an activity and a violation is logged (variant 10: update at least monthly).",
    )
    credit_file_fine_amount = fields.Monetary(
        string="Fine for a Stale File",
        currency_field="currency_id",
        default=20.0,
        help="Amount of the violation logged for each freshness period a file stays stale.",
    )

    @api.constrains("credit_file_stale_days", "credit_file_fine_amount")
    def _check_credit_file_settings(self):
        for company in self:
            if company.credit_file_stale_days <= 0:
                raise ValidationError(self.env._(
                    "The freshness period of customer files must be at least one day."))
            if company.credit_file_fine_amount < 0:
                raise ValidationError(self.env._("The fine for a stale file cannot be negative."))
