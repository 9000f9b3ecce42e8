from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_ungraded_policy = fields.Selection(
        related="company_id.credit_ungraded_policy", readonly=False,
    )
    credit_ungraded_limit = fields.Monetary(
        related="company_id.credit_ungraded_limit", readonly=False,
    )
    credit_include_draft_invoices = fields.Boolean(
        related="company_id.credit_include_draft_invoices", readonly=False,
    )
    credit_responsible_id = fields.Many2one(
        related="company_id.credit_responsible_id", readonly=False,
    )
    credit_file_stale_days = fields.Integer(
        related="company_id.credit_file_stale_days", readonly=False,
    )
    credit_file_fine_amount = fields.Monetary(
        related="company_id.credit_file_fine_amount", readonly=False,
    )
    credit_application_double_threshold = fields.Monetary(
        related="company_id.credit_application_double_threshold", readonly=False,
    )
    credit_legal_contact_id = fields.Many2one(
        related="company_id.credit_legal_contact_id", readonly=False,
    )
    credit_review_month = fields.Integer(
        related="company_id.credit_review_month", readonly=False,
    )
    credit_review_day = fields.Integer(
        related="company_id.credit_review_day", readonly=False,
    )

    credit_contract_handover_months = fields.Integer(
        related="company_id.credit_contract_handover_months", readonly=False,
    )
    credit_contract_archive_months = fields.Integer(
        related="company_id.credit_contract_archive_months", readonly=False,
    )
    credit_contract_stat_due_day = fields.Integer(
        related="company_id.credit_contract_stat_due_day", readonly=False,
    )
    credit_contract_stat_reminder_days = fields.Integer(
        related="company_id.credit_contract_stat_reminder_days", readonly=False,
    )
    credit_loan_days = fields.Integer(related="company_id.credit_loan_days", readonly=False)
    credit_loan_escalation_days = fields.Integer(
        related="company_id.credit_loan_escalation_days", readonly=False,
    )
    credit_archive_inspection_days = fields.Integer(
        related="company_id.credit_archive_inspection_days", readonly=False,
    )
