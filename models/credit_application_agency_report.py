from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CreditApplicationAgencyReport(models.Model):
    """A report bought from a credit investigation agency for a credit application."""

    _name = "credit.application.agency.report"
    _description = "Credit Agency Report"
    _inherit = ["credit.confidential.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    application_id = fields.Many2one(
        "credit.application", string="Credit Application", required=True, index=True, ondelete="cascade",
    )
    company_id = fields.Many2one(related="application_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="application_id.currency_id")
    agency_id = fields.Many2one(
        "res.partner", required=True, check_company=True,
        help="The professional credit investigation agency that supplied the report.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    cost = fields.Monetary(currency_field="currency_id")
    conclusion = fields.Text()
    report_file = fields.Binary(string="Report", attachment=True)
    report_filename = fields.Char(string="Report File Name")

    @api.model
    def _confidential_rules(self):
        rules = super()._confidential_rules()
        # besides the readers of the customer's file: the applicant and the investigator
        rules["applicant"] = (
            "customer_credit_archive.group_credit_user",
            "['|', ('application_id.user_id', '=', user.id), ('application_id.investigator_id', '=', user.id)]",
        )
        return rules

    # as confidential as the credit application it belongs to
    @api.model
    def _confidential_file_depends(self):
        return ("application_id.confidential_file_id",)

    def _compute_confidential_file_id(self):
        for record in self:
            record.confidential_file_id = record.application_id.confidential_file_id

    @api.constrains("cost")
    def _check_cost(self):
        for report in self:
            if report.cost < 0:
                raise ValidationError(self.env._("The cost of an agency report cannot be negative."))

    def _check_application_open(self):
        """Agency reports belong to the investigation: frozen once the application is submitted."""
        if self.env.su:
            return
        for application in self.application_id:
            if application.state not in ("draft", "investigation"):
                raise UserError(self.env._(
                    "The agency reports of %(application)s can no longer be changed: it has been submitted.",
                    application=application.name))

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._check_application_open()
        return reports

    def write(self, vals):
        self._check_application_open()
        res = super().write(vals)
        if "application_id" in vals:
            self._check_application_open()
        return res

    def unlink(self):
        self._check_application_open()
        return super().unlink()
