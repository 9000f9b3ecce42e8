import base64
import io

import xlsxwriter
from xlsxwriter.utility import xl_range

from odoo import api, fields, models

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the states a ledger shows unless told otherwise: destroyed contracts only on request
STATE_FILTERS = {
    "include_open": "open",
    "include_handed_over": "handed_over",
    "include_verified": "verified",
    "include_archived": "archived",
    "include_destroyed": "destroyed",
}


class CreditContractLedgerExport(models.TransientModel):
    """The contract ledger (合同管理台帐) as an xlsx workbook, one row per contract archive."""

    _name = "credit.contract.ledger.export"
    _description = "Contract Ledger Export"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    archive_ids = fields.Many2many(
        "credit.contract.archive", string="Contract Archives", check_company=True,
        context={"active_test": False},  # destroyed archives are inactive
        default=lambda self: self._default_archive_ids(),
        help="The archives selected in the ledger; leave empty to export all the archives matching the filters.",
    )
    date_from = fields.Date(string="Signed From")
    date_to = fields.Date(string="Signed To")
    department_ids = fields.Many2many("hr.department", string="Departments", check_company=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", check_company=True, domain="[('parent_id', '=', False)]",
    )
    include_open = fields.Boolean(string="Open", default=True)
    include_handed_over = fields.Boolean(string="Handed Over", default=True)
    include_verified = fields.Boolean(string="Verified", default=True)
    include_archived = fields.Boolean(string="Archived", default=True)
    include_destroyed = fields.Boolean(
        string="Destroyed", default=lambda self: bool(self._default_archive_ids()),
    )
    export_file = fields.Binary(string="Contract Ledger", attachment=False, readonly=True)
    export_filename = fields.Char(string="File Name", readonly=True)

    @api.model
    def _default_archive_ids(self):
        if self.env.context.get("active_model") == "credit.contract.archive":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return []

    def _get_archives(self):
        """The archives to export, as the user can read them."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "in", [state for fname, state in STATE_FILTERS.items() if self[fname]]),
        ]
        if self.archive_ids:
            domain.append(("id", "in", self.archive_ids.ids))
        if self.date_from:
            domain.append(("date_signed", ">=", self.date_from))
        if self.date_to:
            domain.append(("date_signed", "<=", self.date_to))
        if self.department_ids:
            domain.append(("department_id", "in", self.department_ids.ids))
        if self.partner_id:
            domain.append(("partner_id", "=", self.partner_id.id))
        # destroyed archives are inactive
        Archive = self.env["credit.contract.archive"].with_context(active_test=False)
        return Archive.search(domain, order="department_id, name, id")

    def _company_amount_getter(self):
        """A function giving the amount of an archive in the company's currency at its signing date
        (today when unsigned); one rate lookup per currency and day."""
        company = self.company_id
        today = fields.Date.context_today(self)
        rates = {}

        def company_amount(archive):
            if archive.currency_id == company.currency_id:
                return archive.amount
            key = (archive.currency_id, archive.date_signed or today)
            if key not in rates:
                rates[key] = self.env["res.currency"]._get_conversion_rate(
                    archive.currency_id, company.currency_id, company, key[1])
            return company.currency_id.round(archive.amount * rates[key])

        return company_amount

    def _columns(self, company_amount):
        """(header, width, kind, value of an archive) of each column, in order; headers and
        state labels in the language of the user. Kinds: text, amount, percent, date.
        ``company_amount`` gives the amount of an archive in the company's currency."""
        states = dict(self.env["credit.contract.archive"]._fields["state"]._description_selection(self.env))
        return [
            (self.env._("Number"), 18, "text", lambda a: a.name),
            (self.env._("Department"), 20, "text", lambda a: a.department_id.name),
            (self.env._("Customer"), 28, "text", lambda a: a.partner_id.name),
            (self.env._("Subject"), 28, "text", lambda a: a.subject),
            (self.env._("Contract Type"), 20, "text", lambda a: a.contract_type_id.name),
            (self.env._("Contract Handler"), 20, "text", lambda a: a.handler_id.name),
            (self.env._("Amount"), 14, "amount", lambda a: a.amount),
            (self.env._("Currency"), 9, "text", lambda a: a.currency_id.name),
            (self.env._("Amount in Company Currency"), 16, "amount", company_amount),
            (self.env._("Signed On"), 12, "date", lambda a: a.date_signed),
            (self.env._("Last Step On"), 12, "date", lambda a: a.date_completed),
            (self.env._("Handed Over On"), 12, "date", lambda a: a.date_handed_over),
            (self.env._("Verified On"), 12, "date", lambda a: a.date_verified),
            (self.env._("Archived On"), 12, "date", lambda a: a.date_archived),
            (self.env._("Handover Deadline"), 12, "date", lambda a: a.handover_deadline),
            (self.env._("Archiving Deadline"), 12, "date", lambda a: a.archive_deadline),
            (self.env._("Completeness (%)"), 12, "percent", lambda a: a.completeness),
            (self.env._("Location"), 22, "text", lambda a: a.location),
            (self.env._("Status"), 14, "text", lambda a: states.get(a.state, "")),
        ]

    def _build_xlsx(self, archives):
        """The ledger of ``archives`` as the bytes of an xlsx workbook (xlsxwriter)."""
        company_amount = self._company_amount_getter()
        columns = self._columns(company_amount)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Contract Ledger")[:31])
        header_format = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
        formats = {
            "text": None,
            "amount": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        }
        writers = {"text": sheet.write_string, "amount": sheet.write_number,
                   "percent": sheet.write_number, "date": sheet.write_datetime}
        for col, (header, width, _kind, _getter) in enumerate(columns):
            sheet.write_string(0, col, header, header_format)
            sheet.set_column(col, col, width)
        amount_col = next(col for col, column in enumerate(columns) if column[3] is company_amount)
        total = 0.0
        for row, archive in enumerate(archives, start=1):
            for col, (_header, _width, kind, getter) in enumerate(columns):
                value = getter(archive)
                if col == amount_col:
                    total += value
                if value is None or value is False or value == "":
                    continue  # an empty cell, not "False"
                if kind == "date":
                    value = fields.Datetime.to_datetime(value)  # a real Excel date
                writers[kind](row, col, value, formats[kind])
        # the totals, in the company's currency; SUBTOTAL follows the autofilter
        total_row = len(archives) + 1
        total_format = workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"})
        sheet.write_string(total_row, 0, self.env._("Total (%(currency)s)", currency=self.company_id.currency_id.name),
                           workbook.add_format({"bold": True, "top": 1}))
        cell_range = xl_range(1, amount_col, max(total_row - 1, 1), amount_col)
        sheet.write_formula(total_row, amount_col, f"=SUBTOTAL(9,{cell_range})", total_format,
                            self.company_id.currency_id.round(total))
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(len(archives), 1), len(columns) - 1)
        workbook.close()
        return output.getvalue()

    def action_export(self):
        self.ensure_one()
        archives = self._get_archives()
        today = fields.Date.context_today(self)
        self.write({
            "export_file": base64.b64encode(self._build_xlsx(archives)),
            "export_filename": f"contract_ledger_{today.strftime('%Y%m%d')}.xlsx",
        })
        # served by the /web/content route of Odoo (ir.binary), as the customer list export
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=export_file"
            f"&filename_field=export_filename&mimetype={XLSX_MIMETYPE}&download=true",
        }
