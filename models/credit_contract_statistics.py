import io
from datetime import date

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
ARCHIVIST_GROUP = "customer_credit_archive.group_credit_archivist"
REMINDER_ACTIVITY = "customer_credit_archive.mail_activity_type_contract_statistics"
STATISTICS_REPORT = "customer_credit_archive.action_report_credit_contract_statistics"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# the figures of a line, in the order of the report; the counts come from one SQL query
COUNT_FIGURES = (
    "signed_count", "completed_count", "handed_over_count", "handed_over_late_count", "archived_count",
    "open_count", "missing_documents_count",
)
FIGURES = ("signed_count", "signed_amount", *COUNT_FIGURES[1:])
# written by the buttons only (after their checks), never by a form or an RPC call
WORKFLOW_FIELDS = (
    "state", "date_generated", "generated_by_id", "date_submitted", "submitted_by_id", "xlsx_attachment_id",
    "pdf_attachment_id",
)


class CreditContractStatistics(models.Model):
    """The half-year contract statistics (合同统计报表), policy variant 6.

    Each company reports before 10 January on the whole previous year and before 10 July on the
    first half of the current year to the group's credit management office. Generating computes a
    line per department, attaches the report as XLSX and PDF; submitting records who and when.
    """

    _name = "credit.contract.statistics"
    _description = "Contract Statistics"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.workflow.mixin"]
    _order = "date_to desc, company_id, id desc"
    _check_company_auto = True
    _workflow_fields = WORKFLOW_FIELDS

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_kind = fields.Selection(
        [("year", "Previous Year (January report)"), ("half_year", "First Half (July report)")],
        string="Period", required=True, tracking=True,
        default=lambda self: self._next_period(self.env.company, fields.Date.context_today(self))[0],
        help="The January report covers the whole previous year, the July report the first half of the "
        "current year.",
    )
    year = fields.Integer(
        required=True, tracking=True,
        default=lambda self: self._next_period(self.env.company, fields.Date.context_today(self))[1],
        help="The year the report covers.",
    )
    date_from = fields.Date(compute="_compute_dates", store=True, string="From")
    date_to = fields.Date(compute="_compute_dates", store=True, string="To")
    date_due = fields.Date(
        compute="_compute_dates", store=True, string="Due Date", tracking=True,
        help="The report reaches the group's credit management office before this date (the due day is "
        "set on the company).",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("generated", "Generated"), ("submitted", "Submitted")],
        default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    line_ids = fields.One2many("credit.contract.statistics.line", "statistics_id", string="Lines", copy=False)
    date_generated = fields.Datetime(string="Generated On", readonly=True, copy=False)
    generated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False, tracking=True)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="XLSX Report", readonly=True, copy=False)
    xlsx_file = fields.Binary(related="xlsx_attachment_id.datas", string="XLSX File")
    xlsx_filename = fields.Char(related="xlsx_attachment_id.name", string="XLSX File Name")
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF Report", readonly=True, copy=False)
    pdf_file = fields.Binary(related="pdf_attachment_id.datas", string="PDF File")
    pdf_filename = fields.Char(related="pdf_attachment_id.name", string="PDF File Name")
    total_signed_count = fields.Integer(string="Signed", compute="_compute_totals")
    total_signed_amount = fields.Monetary(string="Signed Amount", compute="_compute_totals")
    total_completed_count = fields.Integer(string="Completed", compute="_compute_totals")
    total_handed_over_count = fields.Integer(string="Handed Over", compute="_compute_totals")
    total_handed_over_late_count = fields.Integer(string="Handed Over Late", compute="_compute_totals")
    total_archived_count = fields.Integer(string="Archived", compute="_compute_totals")
    total_open_count = fields.Integer(string="Open at End", compute="_compute_totals")
    total_missing_documents_count = fields.Integer(string="Missing Documents", compute="_compute_totals")

    _sql_constraints = [
        ("period_company_unique", "unique (company_id, period_kind, year)",
         "A company reports its contract statistics once per period."),
    ]

    # --- periods ---

    @api.model
    def _period_dates(self, period_kind, year, company):
        """(first day, last day, due date) of the report of ``period_kind`` on ``year``."""
        day = company.credit_contract_stat_due_day or 10  # January and July have 31 days
        if period_kind == "year":
            return date(year, 1, 1), date(year, 12, 31), date(year + 1, 1, day)
        return date(year, 1, 1), date(year, 6, 30), date(year, 7, day)

    @api.model
    def _next_period(self, company, today):
        """(period kind, year, due date) of the next report of ``company`` due on or after ``today``."""
        day = company.credit_contract_stat_due_day or 10
        for due in (date(today.year, 1, day), date(today.year, 7, day), date(today.year + 1, 1, day)):
            if due >= today:
                return ("year", due.year - 1, due) if due.month == 1 else ("half_year", due.year, due)
        raise AssertionError("unreachable: the next January is always ahead")

    @api.depends("period_kind", "year", "company_id.credit_contract_stat_due_day")
    def _compute_dates(self):
        for stats in self:
            if not (stats.period_kind and stats.year and stats.company_id):
                stats.date_from = stats.date_to = stats.date_due = False
                continue
            stats.date_from, stats.date_to, stats.date_due = self._period_dates(
                stats.period_kind, stats.year, stats.company_id)

    @api.depends("period_kind", "year")
    def _compute_name(self):
        for stats in self:
            if stats.period_kind == "half_year":
                stats.name = self.env._("Contract Statistics %(year)s, First Half", year=stats.year)
            else:
                stats.name = self.env._("Contract Statistics %(year)s", year=stats.year)

    @api.depends(*(f"line_ids.{fname}" for fname in FIGURES))
    def _compute_totals(self):
        for stats in self:
            for fname in FIGURES:
                stats[f"total_{fname}"] = sum(stats.line_ids.mapped(fname))

    @api.constrains("year")
    def _check_year(self):
        for stats in self:
            if not 1900 < stats.year < 3000:
                raise ValidationError(self.env._("%(year)s is not a year of contract statistics.", year=stats.year))

    # --- CRUD ---

    def write(self, vals):
        if {"company_id", "period_kind", "year"} & set(vals) and self.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("The period of contract statistics already generated cannot change."))
        return super().write(vals)

    def _workflow_error(self):
        return self.env._(
            "The state, the reports and the submission of contract statistics are set by their buttons only.")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if self.filtered(lambda s: s.state == "submitted"):
            raise UserError(self.env._("Contract statistics submitted to the group are kept."))

    # --- figures ---

    def _compute_figures(self):
        """{department id or None: {figure: value}} of the period, for the whole company, set-based:
        one SQL query for the counts, one ``_read_group`` for the amounts signed."""
        self.ensure_one()
        company, date_from, date_to = self.company_id, self.date_from, self.date_to
        # sudo: the report counts every contract archive of the company, whatever part of them the
        # user who generates it may read; the company is filtered explicitly
        Archive = self.env["credit.contract.archive"].sudo().with_context(active_test=False)
        Archive.flush_model([
            "company_id", "department_id", "state", "date_signed", "date_completed", "date_handed_over",
            "date_archived", "handover_deadline", "missing_required_count",
        ])

        def in_period(column):
            return SQL("%s BETWEEN %s AND %s", SQL.identifier(column), date_from, date_to)

        rows = self.env.execute_query(SQL(
            """
            SELECT department_id,
                   COUNT(*) FILTER (WHERE %(signed)s),
                   COUNT(*) FILTER (WHERE %(completed)s),
                   COUNT(*) FILTER (WHERE %(handed_over)s),
                   COUNT(*) FILTER (WHERE %(handed_over)s AND date_handed_over > handover_deadline),
                   COUNT(*) FILTER (WHERE %(archived)s),
                   COUNT(*) FILTER (WHERE COALESCE(date_signed, create_date::date) <= %(date_to)s
                                      AND state != 'destroyed'
                                      AND (date_handed_over IS NULL OR date_handed_over > %(date_to)s)),
                   COUNT(*) FILTER (WHERE %(signed)s AND missing_required_count > 0)
              FROM credit_contract_archive
             WHERE company_id = %(company_id)s
          GROUP BY department_id
            """,
            signed=in_period("date_signed"), completed=in_period("date_completed"),
            handed_over=in_period("date_handed_over"), archived=in_period("date_archived"),
            date_to=date_to, company_id=company.id,
        ))
        figures = {
            department_id: {"signed_amount": 0.0, **dict(zip(COUNT_FIGURES, counts, strict=True))}
            for department_id, *counts in rows
        }
        # amounts in the company's currency at the signing date: one conversion per currency and day
        groups = Archive._read_group(
            [("company_id", "=", company.id), ("date_signed", ">=", date_from), ("date_signed", "<=", date_to)],
            ["department_id", "currency_id", "date_signed:day"], ["amount:sum"],
        )
        for department, currency, day, amount in groups:
            figures[department.id or None]["signed_amount"] += currency._convert(
                amount, company.currency_id, company, day)
        return {
            department_id: values for department_id, values in figures.items()
            if any(values.values())
        }

    def _check_can_generate(self):
        if not (self.env.user.has_group(MANAGER_GROUP) or self.env.user.has_group(ARCHIVIST_GROUP)):
            raise AccessError(self.env._("Only a Credit Manager or an archivist generates the contract statistics."))
        if self.filtered(lambda s: s.state == "submitted"):
            raise UserError(self.env._("Contract statistics submitted to the group cannot be generated again."))

    def action_generate(self):
        """Compute the lines per department and attach the report as XLSX and PDF."""
        self._check_can_generate()
        Line = self.env["credit.contract.statistics.line"]
        for stats in self:
            figures = stats._compute_figures()
            departments = self.env["hr.department"].browse([d for d in figures if d]).sorted(
                lambda d: (d.complete_name or d.name or "").lower())
            keys = [*departments.ids, *([None] if None in figures else [])]
            stats.line_ids.unlink()
            Line.create([{
                "statistics_id": stats.id, "sequence": sequence, "department_id": key or False, **figures[key],
            } for sequence, key in enumerate(keys, start=1)])
            stats._workflow().write({
                "state": "generated", "date_generated": fields.Datetime.now(), "generated_by_id": self.env.uid,
            })
            stats._attach_reports()
        return True

    def _attach_reports(self):
        """Attach the XLSX and the PDF of the report; the earlier ones stay in the chatter."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"]
        base_name = f"{self.name} - {self.company_id.name}"
        xlsx = Attachment.create({
            "name": f"{base_name}.xlsx", "raw": self._build_xlsx(), "mimetype": XLSX_MIMETYPE,
            "res_model": self._name, "res_id": self.id,
        })
        content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(STATISTICS_REPORT, self.ids)
        pdf = Attachment.create({
            "name": f"{base_name}.pdf", "raw": content, "res_model": self._name, "res_id": self.id,
        })
        self._workflow().write({"xlsx_attachment_id": xlsx.id, "pdf_attachment_id": pdf.id})
        self.message_post(
            body=self.env._("Contract statistics generated."), attachment_ids=(xlsx | pdf).ids,
        )

    def _xlsx_columns(self):
        """(header, field name, kind) of the columns of the report, in the language of the user."""
        fields_ = self.env["credit.contract.statistics.line"]._fields
        return [
            (fields_["department_id"]._description_string(self.env), "department_name", "text"),
            *((fields_[fname]._description_string(self.env), fname,
               "amount" if fname == "signed_amount" else "integer") for fname in FIGURES),
        ]

    def _build_xlsx(self):
        """The report as the bytes of an xlsx workbook (xlsxwriter)."""
        self.ensure_one()
        columns = self._xlsx_columns()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Contract Statistics")[:31])
        bold = workbook.add_format({"bold": True})
        header_format = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
        formats = {
            "text": workbook.add_format({}), "integer": workbook.add_format({"num_format": "0"}),
            "amount": workbook.add_format({"num_format": "#,##0.00"}),
        }
        total_formats = {kind: workbook.add_format({**props, "bold": True, "top": 1})
                         for kind, props in (("text", {}), ("integer", {"num_format": "0"}),
                                             ("amount", {"num_format": "#,##0.00"}))}
        sheet.write_string(0, 0, f"{self.name} - {self.company_id.name}", bold)
        for row, (label, value) in enumerate(
                ((self.env._("From"), self.date_from), (self.env._("To"), self.date_to),
                 (self.env._("Due Date"), self.date_due)), start=1):
            sheet.write_string(row, 0, label)
            sheet.write_datetime(row, 1, fields.Datetime.to_datetime(value), date_format)
        sheet.write_string(4, 0, self.env._("Currency"))
        sheet.write_string(4, 1, self.currency_id.name)
        header_row = 6
        for col, (header, _fname, _kind) in enumerate(columns):
            sheet.write_string(header_row, col, header, header_format)
            sheet.set_column(col, col, 30 if col == 0 else 14)
        for row, line in enumerate(self.line_ids, start=header_row + 1):
            for col, (_header, fname, kind) in enumerate(columns):
                if kind == "text":
                    sheet.write_string(row, col, line[fname] or "", formats[kind])
                else:
                    sheet.write_number(row, col, line[fname], formats[kind])
        total_row = header_row + 1 + len(self.line_ids)
        sheet.write_string(total_row, 0, self.env._("Total"), total_formats["text"])
        for col, (_header, fname, kind) in enumerate(columns[1:], start=1):
            sheet.write_number(total_row, col, self[f"total_{fname}"], total_formats[kind])
        sheet.freeze_panes(header_row + 1, 1)
        workbook.close()
        return output.getvalue()

    # --- submission ---

    def action_submit(self, send=False):
        """The credit office submits the report to the group (报送集团公司信用管理机构)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager submits the contract statistics."))
        if self.filtered(lambda s: s.state != "generated"):
            raise UserError(self.env._("Generate the contract statistics before submitting them."))
        self._workflow().write({
            "state": "submitted", "date_submitted": fields.Datetime.now(), "submitted_by_id": self.env.uid,
        })
        self.activity_feedback([REMINDER_ACTIVITY])
        if send:
            for stats in self:
                stats._send_to_group_office()
        return True

    def action_submit_and_send(self):
        return self.action_submit(send=True)

    def _send_to_group_office(self):
        """Mail the reports to the credit office of the group (the root company), through the chatter."""
        self.ensure_one()
        recipients = self.env["res.partner"]._credit_responsible_users(self.company_id.root_id).partner_id
        if not recipients:
            raise UserError(self.env._("The group has no credit office to send the contract statistics to."))
        self.message_post(
            body=self.env._("%(name)s of %(company)s, due %(date)s.", name=self.name, company=self.company_id.name,
                            date=format_date(self.env, self.date_due)),
            subject=self.name, partner_ids=recipients.ids, message_type="comment",
            subtype_xmlid="mail.mt_comment", attachment_ids=(self.xlsx_attachment_id | self.pdf_attachment_id).ids,
        )

    # --- reminder ---

    @api.model
    def _cron_contract_statistics_reminder(self):
        """Create the statistics of the next period and give the credit office one activity to prepare
        them, ``credit_contract_stat_reminder_days`` before the due date."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all  # few companies
            period_kind, year, due = self._next_period(company, today)
            if (due - today).days > company.credit_contract_stat_reminder_days:
                continue
            if self.search_count([("company_id", "=", company.id), ("period_kind", "=", period_kind),
                                  ("year", "=", year)], limit=1):
                continue  # already prepared, or reminded on an earlier run
            stats = self.with_company(company).create({
                "company_id": company.id, "period_kind": period_kind, "year": year,
            })
            for user in self.env["res.partner"]._credit_responsible_users(company):
                lang_env = stats.with_context(lang=user.lang).env
                stats.activity_schedule(
                    REMINDER_ACTIVITY, date_deadline=due, user_id=user.id,
                    summary=lang_env._("Prepare the contract statistics due %(date)s",
                                       date=format_date(lang_env, due)),
                )
