from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditContractDocument(models.Model):
    """One line of a contract archive's document checklist: the document, its attachments, when it
    was received and who checked it."""

    _name = "credit.contract.document"
    _description = "Contract Archive Document"
    _inherit = ["credit.confidential.mixin"]
    _order = "archive_id, sequence, id"
    _check_company_auto = True

    archive_id = fields.Many2one(
        "credit.contract.archive", string="Contract Archive", required=True, ondelete="cascade", index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="archive_id.partner_id", store=True, string="Customer")
    document_type_id = fields.Many2one(
        "credit.contract.document.type", string="Document", required=True, ondelete="restrict",
    )
    sequence = fields.Integer(related="document_type_id.sequence", store=True)
    required = fields.Boolean(help="The archive cannot be verified nor filed while this document is missing.")
    attachment_ids = fields.Many2many(
        "ir.attachment", "credit_contract_document_attachment_rel", "document_id", "attachment_id",
        string="Attachments", help="Scans or files of the document; the paper original stays in the archive room.",
    )
    date_received = fields.Date(
        string="Received On", help="Empty: the document is missing. Attaching a file fills it with today.",
    )
    checked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    checked_date = fields.Date(string="Checked On", readonly=True, copy=False)
    note = fields.Char()
    active = fields.Boolean(default=True)
    destroyed = fields.Boolean(readonly=True, copy=False, help="Destroyed by a destruction record.")
    state = fields.Selection(
        [("missing", "Missing"), ("received", "Received"), ("checked", "Checked"), ("destroyed", "Destroyed")],
        compute="_compute_state", store=True,
    )

    _sql_constraints = [
        ("document_unique", "unique (archive_id, document_type_id)",
         "A document appears once in the checklist of a contract archive."),
    ]

    @api.model
    def _confidential_rules(self):
        rules = super()._confidential_rules()
        # as the archive: its handler and the archivists read it too
        rules["handler"] = ("customer_credit_archive.group_credit_user", "[('archive_id.handler_id', '=', user.id)]")
        rules["archivist"] = ("customer_credit_archive.group_credit_archivist", "[(1, '=', 1)]")
        return rules

    # as confidential as the contract archive it belongs to
    @api.model
    def _confidential_file_depends(self):
        return ("archive_id.confidential_file_id",)

    def _compute_confidential_file_id(self):
        for record in self:
            record.confidential_file_id = record.archive_id.confidential_file_id

    @api.depends("date_received", "checked_by_id", "destroyed")
    def _compute_state(self):
        for document in self:
            if document.destroyed:
                document.state = "destroyed"
            elif document.checked_by_id:
                document.state = "checked"
            elif document.date_received:
                document.state = "received"
            else:
                document.state = "missing"

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("attachment_ids") and not vals.get("date_received"):
                vals["date_received"] = today
        documents = super().create(vals_list)
        documents._attach_own_files()
        return documents

    def write(self, vals):
        if self.filtered("destroyed") and not self.env.context.get("credit_destruction"):
            raise UserError(self.env._("A destroyed document cannot be changed."))
        if vals.get("attachment_ids") and "date_received" not in vals:
            today = fields.Date.context_today(self)
            for document in self.filtered(lambda d: not d.date_received):
                super(CreditContractDocument, document).write({"date_received": today})
        if "date_received" in vals and not vals["date_received"]:
            vals = {**vals, "checked_by_id": False, "checked_date": False}
        result = super().write(vals)
        if "attachment_ids" in vals:
            self._attach_own_files()
        return result

    def _attach_own_files(self):
        """Uploaded files belong to their checklist line, so that they follow its access rights."""
        for document in self:
            unlinked = document.attachment_ids.filtered(
                lambda a: not a.res_id or a.res_model in (False, "credit.contract.document", "credit.contract.archive"))
            unlinked = unlinked.filtered(lambda a, d=document: (a.res_model, a.res_id) != (d._name, d.id))
            if unlinked:
                unlinked.write({"res_model": document._name, "res_id": document.id})

    def action_check(self):
        """Mark received documents as checked by the current user."""
        today = fields.Date.context_today(self)
        for document in self:
            if not document.date_received:
                raise UserError(self.env._(
                    "%(document)s of %(number)s has not been received: it cannot be checked.",
                    document=document.document_type_id.name, number=document.archive_id.name))
        self.write({"checked_by_id": self.env.user.id, "checked_date": today})
        return True
