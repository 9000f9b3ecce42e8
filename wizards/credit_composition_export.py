import base64
import os
import tempfile

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.credit_customer_file_confidential import CONFIDENTIAL_TIERS
from .credit_contract_ledger_export import XLSX_MIMETYPE

# analysis -> report model and the dimensions of an exported row (fields of the report model)
KINDS = {
    "sales": ("credit.sales.composition.report", ("grade_id", "tier", "partner_id")),
    "product": ("credit.product.composition.report", ("categ_id", "grade_id", "state_id")),
    "regional": ("credit.regional.composition.report", ("country_id", "state_id", "city", "route_id")),
}
BATCH_SIZE = 2000


class CreditCompositionExport(models.TransientModel):
    """A composition analysis as an xlsx workbook: one row per group of the analysis (e.g. grade,
    tier and customer for the sales composition) with its ordered and invoiced sales and their
    shares, a totals row. Rows are read from SQL in batches (a server-side cursor) and written
    with a constant-memory workbook: 100,000 customers take no more memory than ten."""

    _name = "credit.composition.export"
    _description = "Composition Analysis Export"
    _check_company_auto = True

    kind = fields.Selection(
        [("sales", "Sales Composition"), ("product", "Product Composition"), ("regional", "Regional Composition")],
        string="Analysis", required=True, default="sales",
    )
    date_from = fields.Date(
        string="From", default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(string="To", default=lambda self: fields.Date.context_today(self))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_ids = fields.Many2many("res.users", string="Salespersons", domain="[('share', '=', False)]")
    grade_ids = fields.Many2many("credit.grade", string="Grades at Confirmation")
    tier = fields.Selection(CONFIDENTIAL_TIERS, string="File Tier")
    refresh = fields.Boolean(
        string="Refresh the Figures First",
        help="The analyses are recomputed every hour; tick to include the orders and invoices of "
        "the last minutes (takes longer on a large database).",
    )
    refreshed_at = fields.Datetime(string="Figures As Of", compute="_compute_refreshed_at")
    export_file = fields.Binary(string="Workbook", attachment=False, readonly=True)
    export_filename = fields.Char(string="File Name", readonly=True)

    def _compute_refreshed_at(self):
        refreshed = self.env["credit.composition.report.mixin"]._composition_refreshed_at()
        for wizard in self:
            wizard.refreshed_at = refreshed

    def _domain(self):
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.date_from:
            domain.append(("date", ">=", self.date_from))
        if self.date_to:
            domain.append(("date", "<=", self.date_to))
        if self.user_ids:
            domain.append(("user_id", "in", self.user_ids.ids))
        if self.grade_ids:
            domain.append(("grade_id", "in", self.grade_ids.ids))
        if self.tier:
            domain.append(("tier", "=", self.tier))
        return domain

    def _query(self):
        """The SQL of the exported rows: the report model's rows the user may read (record rules
        applied by ``_search``), summed per dimension, with the labels of the relations."""
        model_name, dimensions = KINDS[self.kind]
        Report = self.env[model_name]
        query = Report._search(self._domain())
        table = SQL.identifier(query.table)
        lang = self.env.lang or "en_US"
        columns, joins, order = [], [], []
        for fname in dimensions:
            field = Report._fields[fname]
            if field.type == "many2one":
                comodel = self.env[field.comodel_name]
                alias = SQL.identifier(f"j_{fname}")
                name_field = comodel._fields[comodel._rec_name or "name"]
                name = SQL("%s.%s", alias, SQL.identifier(name_field.name))
                if name_field.translate:
                    name = SQL("COALESCE(%s->>%s, %s->>'en_US')", name, lang, name)
                if field.comodel_name == "product.category":
                    name = SQL("%s.complete_name", alias)
                joins.append(SQL("LEFT JOIN %s %s ON %s.id = %s.%s", SQL.identifier(comodel._table), alias,
                                 alias, table, SQL.identifier(fname)))
                columns.append(name)
            else:
                columns.append(SQL("%s.%s", table, SQL.identifier(fname)))
            order.append(columns[-1])
        group = SQL(", ").join(columns)
        return SQL("""
            SELECT %(group)s, SUM(%(table)s.ordered_amount), SUM(%(table)s.invoiced_amount)
              FROM %(from)s %(joins)s
             WHERE %(where)s
          GROUP BY %(group)s
          ORDER BY %(order)s
        """, group=group, table=table, joins=SQL(" ").join(joins),
                   where=query.where_clause or SQL("TRUE"), order=SQL(", ").join(
                       SQL("%s NULLS LAST", column) for column in order),
                   **{"from": query.from_clause})

    def _totals(self):
        """(ordered, invoiced) of all the exported rows, for the shares."""
        Report = self.env[KINDS[self.kind][0]]
        query = Report._search(self._domain())
        table = SQL.identifier(query.table)
        self.env.cr.execute(SQL(
            "SELECT COALESCE(SUM(%s.ordered_amount), 0), COALESCE(SUM(%s.invoiced_amount), 0) FROM %s WHERE %s",
            table, table, query.from_clause, query.where_clause or SQL("TRUE")))
        return self.env.cr.fetchone()

    @api.model
    def _fetch_batches(self, query):
        """The rows of ``query`` in batches, through a server-side cursor of the transaction."""
        cr = self.env.cr
        cr.execute(SQL("DECLARE credit_composition_export NO SCROLL CURSOR FOR %s", query))
        try:
            while True:
                cr.execute("FETCH FORWARD %s FROM credit_composition_export", [BATCH_SIZE])
                rows = cr.fetchall()
                if not rows:
                    break
                yield rows
        finally:
            cr.execute("CLOSE credit_composition_export")

    def _headers(self):
        """Column headers in the user's language: the report fields' labels."""
        Report = self.env[KINDS[self.kind][0]]
        headers = [Report._fields[fname]._description_string(self.env) for fname in KINDS[self.kind][1]]
        currency = self.company_id.currency_id.name
        for fname in ("ordered_amount", "invoiced_amount"):
            headers.append(f"{Report._fields[fname]._description_string(self.env)} ({currency})")
        headers += [self.env._("Share of Ordered (%)"), self.env._("Share of Invoiced (%)")]
        return headers

    def _write_workbook(self, path):
        """Write the analysis to the xlsx file ``path``; returns the number of data rows."""
        self.ensure_one()
        Report = self.env[KINDS[self.kind][0]]
        Report.flush_model()
        self.env["sale.order"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        dimensions = KINDS[self.kind][1]
        selections = {
            index: dict(Report._fields[fname]._description_selection(self.env))
            for index, fname in enumerate(dimensions) if Report._fields[fname].type == "selection"
        }
        total_ordered, total_invoiced = self._totals()
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        title = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        sheet = workbook.add_worksheet(title[:31])
        title_format = workbook.add_format({"bold": True, "font_size": 14})
        header_format = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
        amount_format = workbook.add_format({"num_format": "#,##0.00"})
        share_format = workbook.add_format({"num_format": "0.00"})
        total_label = workbook.add_format({"bold": True, "top": 1})
        total_amount = workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"})
        total_share = workbook.add_format({"bold": True, "top": 1, "num_format": "0.00"})
        headers = self._headers()
        ndim = len(dimensions)
        for col in range(len(headers)):
            sheet.set_column(col, col, 28 if col < ndim else 16)
        # constant_memory: rows are written in order, each row once
        period = " – ".join(str(date) for date in (self.date_from, self.date_to) if date)
        sheet.write_string(0, 0, f"{title} — {self.company_id.name} {period}".strip(), title_format)
        header_row = 2
        for col, header in enumerate(headers):
            sheet.write_string(header_row, col, header, header_format)
        row = header_row
        none_label = self.env._("None")
        for rows in self._fetch_batches(self._query()):
            for values in rows:
                row += 1
                for col in range(ndim):
                    value = values[col]
                    if col in selections:
                        value = selections[col].get(value, value)
                    sheet.write_string(row, col, str(value) if value not in (None, False, "") else none_label)
                ordered, invoiced = float(values[ndim] or 0.0), float(values[ndim + 1] or 0.0)
                sheet.write_number(row, ndim, ordered, amount_format)
                sheet.write_number(row, ndim + 1, invoiced, amount_format)
                sheet.write_number(row, ndim + 2, 100.0 * ordered / total_ordered if total_ordered else 0.0,
                                   share_format)
                sheet.write_number(row, ndim + 3, 100.0 * invoiced / total_invoiced if total_invoiced else 0.0,
                                   share_format)
        count = row - header_row
        total_row = row + 1
        sheet.write_string(total_row, 0, self.env._("Total"), total_label)
        for col in range(1, ndim):
            sheet.write_blank(total_row, col, None, total_label)
        for col, (value, fmt) in enumerate(
                ((total_ordered, total_amount), (total_invoiced, total_amount),
                 (100.0 if total_ordered else 0.0, total_share), (100.0 if total_invoiced else 0.0, total_share)),
                start=ndim):
            first, last = xl_rowcol_to_cell(header_row + 1, col), xl_rowcol_to_cell(max(row, header_row + 1), col)
            # SUBTOTAL follows the autofilter; the cached value is the total of all the rows
            sheet.write_formula(total_row, col, f"=SUBTOTAL(9,{first}:{last})", fmt, float(value))
        sheet.freeze_panes(header_row + 1, ndim)
        sheet.autofilter(header_row, 0, max(row, header_row + 1), len(headers) - 1)
        workbook.close()
        return count

    def _build_xlsx(self):
        """The workbook's bytes; the workbook is written to a temporary file, not to memory."""
        fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="credit_composition_")
        os.close(fd)
        try:
            self._write_workbook(path)
            with open(path, "rb") as file:
                return file.read()
        finally:
            os.unlink(path)

    def action_export(self):
        self.ensure_one()
        if self.refresh:
            self.env[KINDS[self.kind][0]].action_refresh_composition()
        today = fields.Date.context_today(self)
        self.write({
            "export_file": base64.b64encode(self._build_xlsx()),
            "export_filename": f"{self.kind}_composition_{today.strftime('%Y%m%d')}.xlsx",
        })
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=export_file"
            f"&filename_field=export_filename&mimetype={XLSX_MIMETYPE}&download=true",
        }
