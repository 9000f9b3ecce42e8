from odoo import fields, models


class CreditContractStatisticsLine(models.Model):
    """The figures of one department in a half-year contract statistics report.

    Written by ``credit.contract.statistics.action_generate`` only; a line without department
    holds the contract archives numbered by the company itself.
    """

    _name = "credit.contract.statistics.line"
    _description = "Contract Statistics Line"
    _order = "statistics_id, sequence, id"
    _check_company_auto = True

    statistics_id = fields.Many2one(
        "credit.contract.statistics", required=True, ondelete="cascade", index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="statistics_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="statistics_id.currency_id")
    department_id = fields.Many2one("hr.department", check_company=True)
    department_name = fields.Char(
        compute="_compute_department_name",
        help="The department, or the company's own numbering for the archives without department.",
    )
    signed_count = fields.Integer(string="Signed", help="Contracts signed in the period.")
    signed_amount = fields.Monetary(
        currency_field="currency_id",
        help="Amount of the contracts signed in the period, in the company's currency at the signing date.",
    )
    completed_count = fields.Integer(
        string="Completed", help="Contracts whose last step (performance, termination...) falls in the period.",
    )
    handed_over_count = fields.Integer(
        string="Handed Over", help="Contract archives handed over to the credit administrator in the period.",
    )
    handed_over_late_count = fields.Integer(
        string="Handed Over Late", help="Contract archives handed over in the period after their handover deadline.",
    )
    archived_count = fields.Integer(
        string="Archived", help="Contract archives filed in the archive room in the period.",
    )
    open_count = fields.Integer(
        string="Open at End", help="Contract archives not yet handed over on the last day of the period.",
    )
    missing_documents_count = fields.Integer(
        string="Missing Documents",
        help="Contracts signed in the period that still miss required documents when the report is generated.",
    )

    def _compute_department_name(self):
        for line in self:
            line.department_name = line.department_id.name or self.env._("No department (company numbering)")
