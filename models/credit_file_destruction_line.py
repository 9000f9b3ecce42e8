from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditFileDestructionLine(models.Model):
    """One file of a destruction record: a whole contract archive, or one checklist document of it."""

    _name = "credit.file.destruction.line"
    _description = "File Destruction Line"
    _order = "destruction_id, sequence, id"
    _check_company_auto = True

    destruction_id = fields.Many2one(
        "credit.file.destruction", required=True, ondelete="cascade", index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="destruction_id.company_id", store=True, index=True)
    archive_id = fields.Many2one(
        "credit.contract.archive", string="Contract Archive", required=True, index=True, check_company=True,
    )
    document_id = fields.Many2one(
        "credit.contract.document", index=True, check_company=True,
        domain="[('archive_id', '=', archive_id), ('destroyed', '=', False)]",
        help="Empty: the whole contract archive with all its documents is destroyed.",
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", string="Customer")
    scope = fields.Selection(
        [("archive", "Whole Archive"), ("document", "One Document")], compute="_compute_scope",
    )
    confidential = fields.Boolean(
        related="archive_id.confidential", store=True,
        help="The contract archive (or the archive of the document) is confidential: shredding only.",
    )
    description = fields.Char(
        compute="_compute_description", store=True, readonly=False,
        help="What is destroyed, as printed on the destruction record.",
    )

    @api.depends("document_id")
    def _compute_scope(self):
        for line in self:
            line.scope = "document" if line.document_id else "archive"

    @api.depends("archive_id", "document_id")
    def _compute_description(self):
        for line in self:
            archive = line.archive_id
            if not archive:
                line.description = False
                continue
            parts = [archive.name, archive.partner_id.name, archive.subject]
            if line.document_id:
                parts.append(line.document_id.document_type_id.name)
            line.description = " - ".join(part for part in parts if part)

    @api.onchange("archive_id")
    def _onchange_archive_id(self):
        if self.document_id and self.document_id.archive_id != self.archive_id:
            self.document_id = False

    @api.constrains("archive_id", "document_id")
    def _check_document_archive(self):
        for line in self:
            if line.document_id and line.document_id.archive_id != line.archive_id:
                raise ValidationError(self.env._(
                    "%(document)s is not a document of contract archive %(archive)s.",
                    document=line.document_id.document_type_id.name, archive=line.archive_id.name))
        for destruction in self.destruction_id:
            seen = set()
            for line in destruction.line_ids:
                key = (line.archive_id.id, line.document_id.id)
                if key in seen:
                    raise ValidationError(self.env._(
                        "%(what)s appears twice on %(number)s.", what=line.description, number=destruction.name))
                seen.add(key)
            whole = destruction.line_ids.filtered(lambda line: not line.document_id).archive_id
            covered = destruction.line_ids.filtered(
                lambda line, whole=whole: line.document_id and line.archive_id in whole)
            if covered:
                raise ValidationError(self.env._(
                    "Contract archive %(archive)s is destroyed whole on %(number)s: remove its single documents.",
                    archive=covered[0].archive_id.name, number=destruction.name))
        # the shredding rule of the record, also when a line is added on its own
        self.destruction_id._check_method()

    # --- guards: the lines follow their record ---

    @api.model_create_multi
    def create(self, vals_list):
        destructions = self.env["credit.file.destruction"].browse(
            [vals["destruction_id"] for vals in vals_list if vals.get("destruction_id")])
        destructions._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.destruction_id._check_lines_editable()
        if "destruction_id" in vals:
            self.env["credit.file.destruction"].browse(vals["destruction_id"])._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self.destruction_id._check_lines_editable()

