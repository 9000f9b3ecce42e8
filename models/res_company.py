from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # confidentiality of customer files (variant 10): see credit_customer_file_confidential.py
    credit_marketing_director_id = fields.Many2one(
        "res.users", string="Marketing Director", domain="[('share', '=', False)]",
        help="Keeps the company files (公司级档案) and approves the first level of their access "
        "requests.",
    )
    credit_access_max_days = fields.Integer(
        string="Longest File Access", default=7,
        help="Longest period, in days, an access request to a customer file may ask for.",
    )
    credit_access_violation_fine = fields.Monetary(
        string="Fine for an Unauthorized Read",
        currency_field="currency_id",
        default=50.0,
        help="Amount of the violation logged when a user tries to read a confidential customer "
        "file he has no right to.",
    )

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

    # Contract archives, loans, destruction (policy variants 2, 6 and 9)
    credit_contract_handover_months = fields.Integer(
        string="Contract Handover Delay (months)",
        default=1,
        help="The contract handler hands the contract archive to the credit administrator within this many "
        "months of the contract's last step (signing, amendment, performance or termination).",
    )
    credit_contract_archive_months = fields.Integer(
        string="Contract Archiving Delay (months)",
        default=1,
        help="The credit administrator files a verified contract archive in the archive room within this "
        "many months of its verification.",
    )
    credit_contract_stat_due_day = fields.Integer(
        string="Contract Statistics Due Day",
        default=10,
        help="The half-year contract statistics are due before this day of January (previous year) and "
        "of July (first half of the year).",
    )
    credit_contract_stat_reminder_days = fields.Integer(
        string="Contract Statistics Reminder (days before)",
        default=15,
        help="The credit office gets an activity to prepare the half-year contract statistics this many "
        "days before they are due.",
    )
    credit_loan_days = fields.Integer(
        string="Default Loan Period (days)",
        default=14,
        help="A file lent out is due back after this many days unless the request says otherwise.",
    )
    credit_loan_escalation_days = fields.Integer(
        string="Loan Escalation Delay (days)",
        default=7,
        help="A loan overdue for this many days is escalated to the borrower's manager.",
    )
    credit_archive_inspection_days = fields.Integer(
        string="Archive Inspection Interval (days)",
        default=90,
        help="The archivists are reminded to inspect the archive room (damp, insects, damage) when the "
        "last inspection is older than this.",
    )

    @api.constrains(
        "credit_contract_handover_months", "credit_contract_archive_months", "credit_contract_stat_due_day",
        "credit_contract_stat_reminder_days", "credit_loan_days", "credit_loan_escalation_days",
        "credit_archive_inspection_days",
    )
    def _check_credit_archive_settings(self):
        for company in self:
            if company.credit_contract_handover_months < 1 or company.credit_contract_archive_months < 1:
                raise ValidationError(self.env._(
                    "The contract handover and archiving delays are at least one month."))
            if not 1 <= company.credit_contract_stat_due_day <= 31:
                raise ValidationError(self.env._(
                    "The due day of the contract statistics is a day of the month (1-31)."))
            if company.credit_contract_stat_reminder_days < 0:
                raise ValidationError(self.env._("The reminder of the contract statistics cannot be negative."))
            if company.credit_loan_days < 1 or company.credit_loan_escalation_days < 0:
                raise ValidationError(self.env._(
                    "The loan period is at least one day and the escalation delay cannot be negative."))
            if company.credit_archive_inspection_days < 1:
                raise ValidationError(self.env._("The archive inspection interval is at least one day."))

    # customer satisfaction survey (variant 5, 5.3): target and corrective actions
    credit_satisfaction_target = fields.Float(
        string="Satisfaction Target", default=3.5, digits=(16, 2),
        help="Target score (1 to 5) of the customer satisfaction survey: a dimension or a customer "
        "scoring below it gets a corrective action proposal.",
    )
    credit_satisfaction_action_days = fields.Integer(
        string="Corrective Action Delay (days)", default=30,
        help="Days given to the owner of a proposed corrective action to carry it out.",
    )
    credit_satisfaction_action_owner_id = fields.Many2one(
        "res.users", string="Corrective Action Owner", domain="[('share', '=', False)]",
        help="Owner of the corrective actions on a dimension (the office, 办公室). Empty: the "
        "responsible of the campaign. Actions on one customer go to its salesperson.",
    )

    @api.constrains("credit_satisfaction_target", "credit_satisfaction_action_days")
    def _check_credit_satisfaction_settings(self):
        for company in self:
            if not 1 <= company.credit_satisfaction_target <= 5:
                raise ValidationError(self.env._("The satisfaction target is a score from 1 to 5."))
            if company.credit_satisfaction_action_days < 1:
                raise ValidationError(self.env._("The corrective action delay is at least one day."))

    # customer complaints (客户投诉, variant 5, 7): route per kind and deadlines per severity
    credit_complaint_sales_department_id = fields.Many2one(
        "hr.department", string="Complaint Receiving Department",
        help="The business department that receives quality and service complaints (相关业务部门); its "
        "manager handles them.",
    )
    credit_complaint_production_department_id = fields.Many2one(
        "hr.department", string="Complaint Production Department",
        help="Handles the complaints about quality below standard together with the receiving department (生产处).",
    )
    credit_complaint_service_department_id = fields.Many2one(
        "hr.department", string="After-Sales Department",
        help="Receives the repair requests; its manager handles them.",
    )
    credit_complaint_days_low = fields.Integer(string="Deadline of a Low Complaint (days)", default=10)
    credit_complaint_days_normal = fields.Integer(string="Deadline of a Normal Complaint (days)", default=5)
    credit_complaint_days_high = fields.Integer(string="Deadline of a High Complaint (days)", default=2)
    credit_complaint_days_critical = fields.Integer(string="Deadline of a Critical Complaint (days)", default=1)

    @api.constrains("credit_complaint_days_low", "credit_complaint_days_normal", "credit_complaint_days_high",
                    "credit_complaint_days_critical")
    def _check_credit_complaint_days(self):
        for company in self:
            days = (company.credit_complaint_days_low, company.credit_complaint_days_normal,
                    company.credit_complaint_days_high, company.credit_complaint_days_critical)
            if min(days) < 0:
                raise ValidationError(self.env._("The deadline of a complaint cannot be negative."))
