from odoo import api, fields, models


class CreditContractType(models.Model):
    """A kind of contract, with the documents its archive must (or may) hold."""

    _name = "credit.contract.type"
    _description = "Contract Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: the type is used by every company.",
    )
    document_rule_ids = fields.One2many(
        "credit.contract.type.document", "contract_type_id", string="Documents", copy=True,
        help="The checklist of the archives of this type: each document required or optional.",
    )
    required_count = fields.Integer(string="Required Documents", compute="_compute_required_count")

    @api.depends("document_rule_ids.required")
    def _compute_required_count(self):
        for contract_type in self:
            contract_type.required_count = len(contract_type.document_rule_ids.filtered("required"))
