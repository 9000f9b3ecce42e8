from odoo import fields, models


class CreditVisitRoute(models.Model):
    _name = "credit.visit.route"
    _description = "Visit Route"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson", domain="[('share', '=', False)]")
    weekday = fields.Selection(
        [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
         ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday")],
        string="Visit Day",
    )
    file_ids = fields.One2many("credit.customer.file", "route_id", string="Customers")
