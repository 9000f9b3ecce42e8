from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditSalesResult(models.Model):
    _name = "credit.sales.result"
    _description = "Sales Result"
    _inherit = ["credit.file.line.mixin"]
    _order = "file_id, year desc, id"

    year = fields.Integer(required=True, default=lambda self: self.env.context.get(
        "default_year") or self._default_year())
    currency_id = fields.Many2one(related="file_id.currency_id")
    amount = fields.Monetary(string="Sales", currency_field="currency_id")
    growth = fields.Float(string="Growth (%)", help="Against the previous year.")
    note = fields.Char()

    _sql_constraints = [
        ("file_year_uniq", "unique(file_id, year)", "One sales result per year and file."),
    ]

    @api.model
    def _default_year(self):
        return fields.Date.context_today(self).year

    @api.depends("year")
    def _compute_display_name(self):
        for result in self:
            result.display_name = str(result.year)

    @api.constrains("year", "amount")
    def _check_values(self):
        for result in self:
            if not 1900 <= result.year <= 2200:
                raise ValidationError(self.env._("%(year)s is not a valid year.", year=result.year))
            if result.amount < 0:
                raise ValidationError(self.env._("Sales of %(year)s cannot be negative.", year=result.year))
