from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditKeyPerson(models.Model):
    _name = "credit.key.person"
    _description = "Key Person"
    _inherit = ["credit.file.line.mixin"]
    _check_company_auto = True
    _order = "file_id, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    role = fields.Selection(
        [
            ("owner", "Owner"),
            ("manager", "Manager"),
            ("legal", "Legal Representative"),
            ("purchaser", "Purchaser"),
            ("finance", "Finance"),
            ("other", "Other"),
        ],
        required=True, default="manager",
    )
    contact_id = fields.Many2one("res.partner", check_company=True)
    personality = fields.Text()
    hobbies = fields.Text()
    family = fields.Text()
    education = fields.Char()
    age = fields.Integer()
    abilities = fields.Text()

    @api.constrains("age")
    def _check_age(self):
        for person in self:
            if not 0 <= person.age <= 130:
                raise ValidationError(self.env._(
                    "The age of %(name)s must be between 0 and 130.", name=person.name))
