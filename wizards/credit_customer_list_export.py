import base64
import io

import xlsxwriter

from odoo import api, fields, models

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# selection fields of the file shown in the customer list (客户一览表) with their labels
SELECTION_COLUMNS = (
    "card_type", "nature", "ownership", "channel_type", "location_type", "tier", "lifecycle",
    "trade_period",
)


def _tier_selection(wizard):
    """The tiers of the customer file, with their labels in the user's language."""
    return wizard.env["credit.customer.file"]._fields["tier"]._description_selection(wizard.env)


class CreditCustomerListExport(models.TransientModel):
    _name = "credit.customer.list.export"
    _description = "Customer List Export"

    file_ids = fields.Many2many(
        "credit.customer.file", string="Customer Files",
        default=lambda self: self._default_file_ids(),
        help="The files selected in the list; leave empty to export all the files you can see.",
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", domain="[('share', '=', False)]",
        help="Export only the files of this salesperson.",
    )
    tier = fields.Selection(
        _tier_selection, help="Export only the files of this tier.",
    )
    export_file = fields.Binary(string="Customer List", attachment=False, readonly=True)
    export_filename = fields.Char(string="File Name", readonly=True)

    @api.model
    def _default_file_ids(self):
        if self.env.context.get("active_model") == "credit.customer.file":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return []

    def _get_files(self):
        """The files to export: the selected ones, or all the files the user can see."""
        self.ensure_one()
        domain = []
        if self.file_ids:
            domain.append(("id", "in", self.file_ids.ids))
        if self.user_id:
            domain.append(("user_id", "=", self.user_id.id))
        if self.tier:
            domain.append(("tier", "=", self.tier))
        # archived files are exported only when they were selected
        files = self.env["credit.customer.file"].with_context(active_test=not self.file_ids)
        return files.search(domain)

    def _columns(self):
        """(header, width, kind, value of a file) of each column, in order.

        The kind is "text", "integer", "number" or "datetime"; headers and selection labels
        are in the language of the user.
        """
        files = self.env["credit.customer.file"]
        labels = {
            fname: dict(files._fields[fname]._description_selection(self.env))
            for fname in SELECTION_COLUMNS
        }

        def label(fname):
            return lambda file: labels[fname].get(file[fname], "")

        def local_time(file):
            if not file.last_update_date:
                return None
            # xlsx dates have no time zone: write the user's local time
            return fields.Datetime.context_timestamp(self, file.last_update_date).replace(tzinfo=None)

        return [
            (self.env._("Customer"), 30, "text", lambda file: file.partner_id.name),
            (self.env._("Reference"), 12, "text", lambda file: file.partner_id.ref),
            (self.env._("Salesperson"), 20, "text", lambda file: file.user_id.name),
            (self.env._("Credit Grade"), 14, "text", lambda file: file.partner_id.credit_grade_id.name),
            (self.env._("Card Type"), 14, "text", label("card_type")),
            (self.env._("Customer Nature"), 16, "text", label("nature")),
            (self.env._("Ownership"), 16, "text", label("ownership")),
            (self.env._("Channel Type"), 16, "text", label("channel_type")),
            (self.env._("Location Type"), 18, "text", label("location_type")),
            (self.env._("Tier"), 18, "text", label("tier")),
            (self.env._("Lifecycle Stage"), 18, "text", label("lifecycle")),
            (self.env._("Trade Period"), 14, "text", label("trade_period")),
            (self.env._("Visit Route"), 18, "text", lambda file: file.route_id.name),
            (self.env._("Sequence in Route"), 10, "integer",
             lambda file: file.route_sequence if file.route_id else None),
            (self.env._("City"), 16, "text", lambda file: file.partner_id.city),
            (self.env._("Phone"), 16, "text", lambda file: file.partner_id.phone),
            (self.env._("Completeness (%)"), 12, "number", lambda file: file.completeness),
            (self.env._("Last Update"), 18, "datetime", local_time),
        ]

    def _build_xlsx(self, files):
        """The customer list of ``files`` as the bytes of an xlsx workbook (xlsxwriter)."""
        columns = self._columns()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Customer List")[:31])
        header_format = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        formats = {
            "text": None,
            "integer": workbook.add_format({"num_format": "0"}),
            "number": workbook.add_format({"num_format": "0.0"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        writers = {"text": sheet.write_string, "integer": sheet.write_number,
                   "number": sheet.write_number, "datetime": sheet.write_datetime}
        for col, (header, width, _kind, _getter) in enumerate(columns):
            sheet.write_string(0, col, header, header_format)
            sheet.set_column(col, col, width)
        for row, file in enumerate(files, start=1):
            # the credit grade is company dependent: read it in the company of the file
            file = file.with_company(file.company_id)
            for col, (_header, _width, kind, getter) in enumerate(columns):
                value = getter(file)
                if value is None or value is False or value == "":
                    continue  # an empty cell, not "False"
                writers[kind](row, col, value, formats[kind])
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(len(files), 1), len(columns) - 1)
        workbook.close()
        return output.getvalue()

    def action_export(self):
        self.ensure_one()
        files = self._get_files()
        today = fields.Date.context_today(self)
        self.write({
            "export_file": base64.b64encode(self._build_xlsx(files)),
            "export_filename": f"customer_list_{today.strftime('%Y%m%d')}.xlsx",
        })
        # served by the /web/content route of Odoo (ir.binary); the mimetype is given as it
        # cannot be guessed from the head of a zip file
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=export_file"
            f"&filename_field=export_filename&mimetype={XLSX_MIMETYPE}&download=true",
        }
