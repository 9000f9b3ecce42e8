from odoo import api, fields, models


class CreditFileLineMixin(models.AbstractModel):
    """Lines of a part of the customer file (key persons, sales results, collections).

    A change of a line updates the date of its part of the file and is logged in the
    file's chatter, as the tracked fields of the file are.
    """

    _name = "credit.file.line.mixin"
    _description = "Customer File Line"
    _inherit = ["credit.confidential.mixin"]
    _file_part = None

    file_id = fields.Many2one(
        "credit.customer.file", string="Customer File", required=True, ondelete="cascade", index=True,
    )
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)

    # a line is as confidential as its file
    @api.model
    def _confidential_file_depends(self):
        return ("file_id",)

    def _compute_confidential_file_id(self):
        for line in self:
            line.confidential_file_id = line.file_id

    def _file_log(self, verb):
        what = self.env["ir.model"]._get(self._name).name
        for file, lines in self.grouped("file_id").items():
            names = ", ".join(lines.mapped("display_name"))
            file.message_post(body=self.env._(
                "%(what)s %(verb)s: %(names)s", what=what, verb=verb, names=names))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.file_id._touch_parts(records._file_fields())
        records._file_log(self.env._("added"))
        return records

    def write(self, vals):
        res = super().write(vals)
        self.file_id._touch_parts(self._file_fields())
        self._file_log(self.env._("changed"))
        return res

    def unlink(self):
        files = self.file_id
        fnames = self._file_fields()
        self._file_log(self.env._("removed"))
        res = super().unlink()
        files.exists()._touch_parts(fnames)
        return res

    def _file_fields(self):
        """The fields of the file that hold these lines."""
        return [name for name, field in self.env["credit.customer.file"]._fields.items()
                if field.type == "one2many" and field.comodel_name == self._name]
