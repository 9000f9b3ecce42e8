from odoo import fields, models


class CreditContractTypeDocument(models.Model):
    """One document of a contract type's checklist, required or optional."""

    _name = "credit.contract.type.document"
    _description = "Contract Type Document"
    _order = "sequence, id"

    contract_type_id = fields.Many2one("credit.contract.type", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_type_id.company_id", store=True, index=True)
    document_type_id = fields.Many2one("credit.contract.document.type", required=True, ondelete="restrict")
    sequence = fields.Integer(related="document_type_id.sequence", store=True)
    required = fields.Boolean(default=True, help="An archive cannot be filed while a required document is missing.")

    _sql_constraints = [
        ("document_unique", "unique (contract_type_id, document_type_id)",
         "A document appears once in the checklist of a contract type."),
    ]
