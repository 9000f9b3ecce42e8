from odoo import fields, models


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
