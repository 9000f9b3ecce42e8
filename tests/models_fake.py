from odoo import fields, models


class CreditConfidentialFake(models.Model):
    """A record of a customer, to test credit.confidential.mixin apart from the real models."""

    _name = "credit.confidential.fake"
    _description = "Confidential Test Record"
    _inherit = ["credit.confidential.mixin"]

    name = fields.Char()
    partner_id = fields.Many2one("res.partner")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
