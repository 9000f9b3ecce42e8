from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_marketing_director_id = fields.Many2one(
        related="company_id.credit_marketing_director_id", readonly=False,
    )
    credit_access_max_days = fields.Integer(related="company_id.credit_access_max_days", readonly=False)
    credit_access_violation_fine = fields.Monetary(
        related="company_id.credit_access_violation_fine", readonly=False,
    )

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

    # Monthly backup of the credit files (每月备份, variant 10): system-wide, the backup is per database
    credit_backup_directory = fields.Char(
        string="Backup Directory", config_parameter="customer_credit_archive.backup_directory",
        help="Where the backups are written. Empty: <data_dir>/credit_backups/<database>.",
    )
    credit_backup_day = fields.Integer(
        string="Backup Day of the Month", config_parameter="customer_credit_archive.backup_day", default=1,
    )
    credit_backup_keep = fields.Integer(
        string="Backups Kept", config_parameter="customer_credit_archive.backup_keep", default=12,
        help="After a successful backup, the older archives beyond this number are deleted.",
    )

    @api.constrains("credit_backup_day", "credit_backup_keep")
    def _check_credit_backup_settings(self):
        for settings in self:
            if not 1 <= settings.credit_backup_day <= 28:
                raise ValidationError(self.env._("The backup day is a day of the month from 1 to 28."))
            if settings.credit_backup_keep < 1:
                raise ValidationError(self.env._("At least one backup is kept."))

    # customer satisfaction survey (variant 5)
    credit_satisfaction_target = fields.Float(related="company_id.credit_satisfaction_target", readonly=False)
    credit_satisfaction_action_days = fields.Integer(
        related="company_id.credit_satisfaction_action_days", readonly=False,
    )
    credit_satisfaction_action_owner_id = fields.Many2one(
        related="company_id.credit_satisfaction_action_owner_id", readonly=False,
    )

    # customer complaints (variant 5, 7)
    credit_complaint_sales_department_id = fields.Many2one(
        related="company_id.credit_complaint_sales_department_id", readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    credit_complaint_production_department_id = fields.Many2one(
        related="company_id.credit_complaint_production_department_id", readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    credit_complaint_service_department_id = fields.Many2one(
        related="company_id.credit_complaint_service_department_id", readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    credit_complaint_days_low = fields.Integer(related="company_id.credit_complaint_days_low", readonly=False)
    credit_complaint_days_normal = fields.Integer(related="company_id.credit_complaint_days_normal", readonly=False)
    credit_complaint_days_high = fields.Integer(related="company_id.credit_complaint_days_high", readonly=False)
    credit_complaint_days_critical = fields.Integer(
        related="company_id.credit_complaint_days_critical", readonly=False,
    )
