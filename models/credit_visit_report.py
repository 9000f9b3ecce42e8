from odoo import api, fields, models
from odoo.exceptions import UserError

# what a visit report can bring into the file, in one step: report field -> file field
VISIT_UPDATES = {
    "new_sales_capacity": "sales_capacity",
    "new_development_potential": "development_potential",
    "new_cooperation_attitude": "cooperation_attitude",
    "new_competitor_relations": "competitor_relations",
    "new_current_problems": "current_problems",
    "new_outlook": "outlook",
    "new_payment_habits": "payment_habits",
    "new_trading_conditions": "trading_conditions",
}


class CreditVisitReport(models.Model):
    """客户访问日报: what the salesperson found at the customer's, and what it changes in the file."""

    _name = "credit.visit.report"
    _description = "Customer Visit Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, default=lambda self: self.env.user,
        tracking=True, index=True, domain="[('share', '=', False)]",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner", string="Met", domain="[('commercial_partner_id', '=', partner_id)]",
    )
    file_id = fields.Many2one(
        "credit.customer.file", string="Customer File", readonly=True, index=True, copy=False, check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    kind = fields.Selection(
        [("daily", "Daily"), ("urgent", "Urgent"), ("periodic", "Periodic")],
        required=True, default="daily", tracking=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft", required=True, tracking=True, copy=False,
    )
    findings = fields.Html()
    next_step = fields.Char()
    duration = fields.Float(string="Duration (hours)")
    # the file values seen at the visit (empty: unchanged)
    new_sales_capacity = fields.Text(string="Sales Capacity (new)")
    new_development_potential = fields.Selection(
        [("high", "High"), ("medium", "Medium"), ("low", "Low")], string="Development Potential (new)",
    )
    new_cooperation_attitude = fields.Selection(
        [("good", "Cooperative"), ("fair", "Neutral"), ("poor", "Reluctant")],
        string="Cooperation Attitude (new)",
    )
    new_competitor_relations = fields.Text(string="Relations with Competitors (new)")
    new_current_problems = fields.Text(string="Current Problems (new)")
    new_outlook = fields.Text(string="Outlook (new)")
    new_payment_habits = fields.Text(string="Payment Habits (new)")
    new_trading_conditions = fields.Text(string="Trading Conditions (new)")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.visit.report") or "/"
        reports = super().create(vals_list)
        reports._link_file()
        return reports

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals or "company_id" in vals:
            self.filtered(lambda r: r.state == "draft")._link_file()
        return res

    def _link_file(self):
        """Each report belongs to the file of its customer, created when missing."""
        File = self.env["credit.customer.file"]
        for report in self:
            file = File.with_company(report.company_id)._file_for(report.partner_id, report.company_id)
            if report.file_id != file:
                report.file_id = file

    @api.constrains("partner_id", "duration")
    def _check_values(self):
        for report in self:
            if report.partner_id.parent_id:
                raise UserError(self.env._(
                    "A visit report is filed on the customer company %(company)s, not on its "
                    "contact %(contact)s (choose the contact under Met).",
                    company=report.partner_id.commercial_partner_id.display_name,
                    contact=report.partner_id.display_name))
            if report.duration < 0:
                raise UserError(self.env._("The duration of a visit cannot be negative."))

    def action_done(self):
        """Close the report: its new values go into the file, which counts as updated."""
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._(
                    "%(report)s is not a draft: it was already closed or cancelled.",
                    report=report.name))
            report._link_file()
            file = report.file_id
            values = {
                file_field: report[report_field]
                for report_field, file_field in VISIT_UPDATES.items() if report[report_field]
            }
            if values:
                file.with_context(credit_file_source="visit").write(values)
            file.with_context(credit_file_verifying=True).write({"last_visit_date": report.date})
            report.write({"state": "done"})
            file.message_post(body=self.env._(
                "Visit report %(report)s by %(user)s: the file is up to date.",
                report=report.name, user=report.user_id.name))
        return True

    def action_cancel(self):
        self.filtered(lambda r: r.state == "draft").write({"state": "cancel"})
        return True

    def action_draft(self):
        self.filtered(lambda r: r.state == "cancel").write({"state": "draft"})
        return True
