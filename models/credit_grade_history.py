from odoo import fields, models


class CreditGradeHistory(models.Model):
    """One line per change of a customer's credit profile (grade, limit, flags).

    Lines are written by the partner's ``write`` and are not editable: they are
    the audit trail asked by the policy (variant 9, 二.4-5).
    """

    _name = "credit.grade.history"
    _description = "Credit Profile History"
    _inherit = ["credit.confidential.mixin"]
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Changed By", required=True, default=lambda self: self.env.user,
    )
    old_grade_id = fields.Many2one("credit.grade", ondelete="set null")
    new_grade_id = fields.Many2one("credit.grade", ondelete="set null")
    old_limit = fields.Monetary(currency_field="currency_id")
    new_limit = fields.Monetary(currency_field="currency_id")
    change = fields.Char(string="Changes", required=True)
    reason = fields.Char()
    automatic = fields.Boolean(
        help="Set when the change was made by the daily overdue check.",
    )
