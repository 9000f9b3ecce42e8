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

    credit_application_double_threshold = fields.Monetary(
        string="Double Approval Above",
        currency_field="currency_id",
        help="A credit application whose approved limit is above this amount needs the approval of "
        "two different Credit Managers. 0: one approval is always enough.",
    )

    @api.constrains("credit_application_double_threshold")
    def _check_credit_application_double_threshold(self):
        if any(company.credit_application_double_threshold < 0 for company in self):
            raise ValidationError(self.env._("The double-approval threshold cannot be negative."))

    credit_legal_contact_id = fields.Many2one(
        "res.users",
        string="Legal Contact",
        help="Receives an activity when a legal action (诉诸法律) is imposed on a customer; should be a "
        "Credit User to open the sanction. Empty: the credit responsible.",
    )

    # Year-end review (年审评价报告), see credit.review.campaign
    credit_review_month = fields.Integer(
        string="Year-End Review Month",
        default=12,
        help="Month (1-12) of the yearly review of the graded customers.",
    )
    credit_review_day = fields.Integer(
        string="Year-End Review Day",
        default=31,
        help="Day of the month (1-31) of the yearly review; a day after the end of the month means its last "
        "day (31 in June: 30 June, 29 February: the 28th in other years).",
    )

    @api.constrains("credit_review_month", "credit_review_day")
    def _check_credit_review_date(self):
        # the settings write the month and the day one after the other: a day past the end of the
        # month is accepted (and means the last day) rather than refused half-way
        for company in self:
            month, day = company.credit_review_month, company.credit_review_day
            if not (1 <= month <= 12 and 1 <= day <= 31):
                raise ValidationError(self.env._(
                    "%(month)s/%(day)s is not a valid date for the year-end review.", month=month, day=day))
