from odoo import fields, models


class CreditContractDocumentType(models.Model):
    """A kind of document a complete contract archive holds (policy variant 6, 建立完整的合同档案)."""

    _name = "credit.contract.document.type"
    _description = "Contract Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="What the archive room expects for this document.")
    active = fields.Boolean(default=True)
