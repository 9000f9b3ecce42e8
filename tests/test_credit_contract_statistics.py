import base64
import io
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_date, mute_logger
from odoo.tools.pdf import PdfFileReader
from odoo.tools.translate import code_translations

from .common import CreditArchiveCommon

STATISTICS_REPORT = "customer_credit_archive.action_report_credit_contract_statistics"
REMINDER_ACTIVITY = "customer_credit_archive.mail_activity_type_contract_statistics"
LEDGER_HEADERS = [
    "Number", "Department", "Customer", "Subject", "Contract Type", "Contract Handler", "Amount", "Currency",
    "Amount in Company Currency", "Signed On", "Last Step On", "Handed Over On", "Verified On", "Archived On",
    "Handover Deadline", "Archiving Deadline", "Completeness (%)", "Location", "Status",
]
FIGURES = (
    "signed_count", "signed_amount", "completed_count", "handed_over_count", "handed_over_late_count",
    "archived_count", "open_count", "missing_documents_count",
)


def figures(*values):
    return dict(zip(FIGURES, values, strict=True))


@tagged("post_install", "-at_install")
class TestCreditContractStatistics(CreditArchiveCommon, HttpCase):
    """The contract ledger export (合同管理台帐) and the half-year contract statistics (合同统计报表).

    An HttpCase for the one real PDF: wkhtmltopdf loads the report assets from Odoo's server.
    The hand-computed figures are those of the archives below, on the first half of 2025 (due
    10 July 2025) and on the year 2024 (due 10 January 2025).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2024-01-01", 2.0), ("2025-05-01", 4.0)])
        cls.purchase_department = cls.env["hr.department"].create({
            "name": "Purchase Department", "credit_contract_prefix": "CG", "company_id": cls.company.id,
        })
        cls.customer = cls._graded_customer("Ledger Customer", cls.grade_a)
        cls.other_customer = cls._graded_customer("Other Ledger Customer", cls.grade_b)
        sales, purchase = cls.department.id, cls.purchase_department.id

        def archive(name, department, signed, amount, completed=False, currency=None, complete=False,
                    workflow=None, partner=None, location=None):
            record = cls._contract_archive(
                partner or cls.customer, department_id=department, date_signed=signed, amount=amount,
                date_completed=completed, currency_id=(currency or cls.currency).id, subject=name,
            )
            if complete:
                cls._receive_all(record)
            if location:
                record.with_user(cls.archivist).write(location)
            if workflow:
                record._workflow().write(workflow)
            return record

        # the Sales Department
        cls.a1 = archive("A1", sales, date(2025, 2, 10), 10000.0, date(2025, 3, 1), complete=True, workflow={
            "state": "archived", "date_handed_over": date(2025, 3, 20), "date_verified": date(2025, 3, 25),
            "date_archived": date(2025, 4, 5),
        }, location={"room": "Room 1", "cabinet": "C2", "box": "B3"})
        # handed over late (deadline 10 June), in euros at the May rate (4.0): 250.00
        cls.a2 = archive("A2", sales, date(2025, 5, 5), 1000.0, date(2025, 5, 10), currency=cls.eur, workflow={
            "state": "handed_over", "date_handed_over": date(2025, 6, 20),
        })
        # signed before the period, completed in it, still open
        cls.a3 = archive("A3", sales, date(2024, 12, 15), 5000.0, date(2025, 1, 10))
        # signed after the period
        cls.a4 = archive("A4", sales, date(2025, 7, 5), 7000.0)
        # handed over after the period: open at its end
        cls.a5 = archive("A5", sales, date(2025, 3, 1), 500.0, date(2025, 6, 1), workflow={
            "state": "handed_over", "date_handed_over": date(2025, 7, 2),
        })
        # destroyed in 2024 (inactive)
        cls.d1 = archive("D1", sales, date(2024, 6, 1), 400.0, date(2024, 6, 15), complete=True, workflow={
            "state": "destroyed", "date_handed_over": date(2024, 7, 1), "date_verified": date(2024, 7, 2),
            "date_archived": date(2024, 7, 10), "destruction_date": date(2024, 12, 1), "active": False,
        })
        # the Purchase Department: the last day of the period; euros at the January rate (2.0): 500.00
        cls.b1 = archive("B1", purchase, date(2025, 6, 30), 2000.0, partner=cls.other_customer)
        cls.b2 = archive("B2", purchase, date(2024, 11, 1), 800.0, date(2024, 11, 15), complete=True, workflow={
            "state": "handed_over", "date_handed_over": date(2024, 12, 1),
        })
        cls.b3 = archive("B3", purchase, date(2025, 2, 1), 1000.0, currency=cls.eur, complete=True)
        # no department: the company's own numbering; the first day of the period
        cls.c1 = archive("C1", False, date(2025, 1, 1), 300.0, complete=True)

        # a second company: never counted nor exported from the first
        cls.company_2 = cls.env["res.company"].sudo().create({"name": "Credit Second Company"})
        cls.department_2 = cls.env["hr.department"].sudo().create({
            "name": "Second Sales", "company_id": cls.company_2.id,
        })
        cls.other_company_archive = cls.env["credit.contract.archive"].sudo().create({
            "company_id": cls.company_2.id, "partner_id": cls.customer.id, "department_id": cls.department_2.id,
            "contract_type_id": cls.contract_type.id, "handler_id": cls.credit_manager.id,
            "amount": 99999.0, "date_signed": date(2025, 3, 3), "subject": "Second company contract",
            "currency_id": cls.company_2.currency_id.id,
        })
        cls.Statistics = cls.env["credit.contract.statistics"]

    def _statistics(self, period_kind="half_year", year=2025, user=None, company=None):
        return self.Statistics.with_user(user or self.credit_manager).create({
            "company_id": (company or self.company).id, "period_kind": period_kind, "year": year,
        })

    def _lines(self, stats):
        return {line.department_id: {fname: line[fname] for fname in FIGURES} for line in stats.line_ids}

    # ------------------------------------------------------------------
    # periods and due dates
    # ------------------------------------------------------------------
    def test_periods_and_due_dates(self):
        Statistics = self.Statistics
        cases = [
            # today, (period kind, year, due date)
            (date(2025, 1, 1), ("year", 2024, date(2025, 1, 10))),
            (date(2025, 1, 10), ("year", 2024, date(2025, 1, 10))),
            (date(2025, 1, 11), ("half_year", 2025, date(2025, 7, 10))),
            (date(2025, 7, 10), ("half_year", 2025, date(2025, 7, 10))),
            (date(2025, 7, 11), ("year", 2025, date(2026, 1, 10))),
            (date(2025, 12, 31), ("year", 2025, date(2026, 1, 10))),
        ]
        for today, expected in cases:
            self.assertEqual(Statistics._next_period(self.company, today), expected, today)
        self.assertEqual(Statistics._period_dates("year", 2024, self.company),
                         (date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 10)))
        self.assertEqual(Statistics._period_dates("half_year", 2025, self.company),
                         (date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 10)))

        # the July report, created from the menu in June: its defaults
        with freeze_time("2025-06-20"):
            july = Statistics.with_user(self.credit_manager).create({})
        self.assertEqual((july.period_kind, july.year), ("half_year", 2025))
        self.assertEqual((july.date_from, july.date_to, july.date_due),
                         (date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 10)))
        self.assertEqual(july.name, "Contract Statistics 2025, First Half")
        self.assertEqual(july.state, "draft")
        # the January report, created in December
        with freeze_time("2025-12-28"):
            january = Statistics.with_user(self.credit_manager).create({})
        self.assertEqual((january.period_kind, january.year), ("year", 2025))
        self.assertEqual((january.date_from, january.date_to, january.date_due),
                         (date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 10)))
        self.assertEqual(january.name, "Contract Statistics 2025")

        # the due day is the company's
        self.company.credit_contract_stat_due_day = 5
        self.assertEqual(july.date_due, date(2025, 7, 5))
        self.assertEqual(january.date_due, date(2026, 1, 5))
        self.assertEqual(Statistics._next_period(self.company, date(2025, 7, 6)), ("year", 2025, date(2026, 1, 5)))

        # once per company and period
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._statistics()

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------
    def test_half_year_figures(self):
        stats = self._statistics()
        stats.with_user(self.archivist).action_generate()
        self.assertEqual(stats.state, "generated")
        self.assertEqual(stats.generated_by_id, self.archivist)
        self.assertEqual(self._lines(stats), {
            # signed, amount, completed, handed over, late, archived, open at end, missing documents
            self.department: figures(3, 10750.0, 4, 2, 1, 1, 2, 2),
            self.purchase_department: figures(2, 2500.0, 0, 0, 0, 0, 2, 1),
            self.env["hr.department"]: figures(1, 300.0, 0, 0, 0, 0, 1, 0),
        })
        self.assertEqual(stats.line_ids.mapped("department_name"), [
            "Purchase Department", "Sales Department", "No department (company numbering)"])
        self.assertEqual(
            [stats[f"total_{fname}"] for fname in FIGURES], [6, 13550.0, 4, 2, 1, 1, 5, 3])
        self.assertNotIn(self.department_2, stats.line_ids.department_id, "another company's department")

        # the XLSX attached, read back
        self.assertEqual(stats.xlsx_attachment_id.res_id, stats.id)
        self.assertEqual(stats.xlsx_filename, f"Contract Statistics 2025, First Half - {self.company.name}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(stats.xlsx_attachment_id.raw)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[1][:2], ["From", datetime(2025, 1, 1)])
        self.assertEqual(rows[3][:2], ["Due Date", datetime(2025, 7, 10)])
        self.assertEqual(rows[6], ["Department", "Signed", "Signed Amount", "Completed", "Handed Over",
                                   "Handed Over Late", "Archived", "Open at End", "Missing Documents"])
        self.assertEqual(rows[8], ["Sales Department", 3, 10750, 4, 2, 1, 1, 2, 2])
        self.assertEqual(rows[10], ["Total", 6, 13550, 4, 2, 1, 1, 5, 3])
        self.assertEqual(sheet.freeze_panes, "B8")
        # the PDF (the report's HTML in a test run without force_report_rendering) and the chatter
        self.assertTrue(stats.pdf_attachment_id.name.endswith(".pdf"))
        self.assertIn(b"Sales Department", stats.pdf_attachment_id.raw)
        message = stats.message_ids.filtered("attachment_ids")[:1]
        self.assertEqual(message.attachment_ids, stats.xlsx_attachment_id | stats.pdf_attachment_id)

        # generated again: the same figures, the new reports in their fields, the old ones in the chatter
        old_xlsx = stats.xlsx_attachment_id
        stats.with_user(self.credit_manager).action_generate()
        self.assertEqual(len(stats.line_ids), 3)
        self.assertNotEqual(stats.xlsx_attachment_id, old_xlsx)
        self.assertTrue(old_xlsx.exists())

    def test_figures_set_based(self):
        """The figures cost the same queries for 10 archives or 20: no query per archive."""
        stats = self._statistics()

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            result = stats._compute_figures()
            return self.cr.sql_log_count - before, result[self.department.id]

        queries()  # warm the caches up
        count, sales = queries()
        for index in range(10):
            self._contract_archive(self.customer, date_signed=date(2025, 2, 10 + index), amount=100.0)
        more_count, more_sales = queries()
        self.assertEqual(more_count, count)
        self.assertEqual(more_sales["signed_count"], sales["signed_count"] + 10)
        self.assertEqual(more_sales["signed_amount"], 10750.0 + 1000.0)

    def test_full_year_figures(self):
        stats = self._statistics("year", 2024)
        stats.with_user(self.credit_manager).action_generate()
        self.assertEqual((stats.date_from, stats.date_to, stats.date_due),
                         (date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 10)))
        self.assertEqual(self._lines(stats), {
            # A3 (open at the end of 2024, documents missing) and D1 (destroyed since)
            self.department: figures(2, 5400.0, 1, 1, 0, 1, 1, 1),
            # B2: handed over on time
            self.purchase_department: figures(1, 800.0, 1, 1, 0, 0, 0, 0),
        })

    def test_other_company(self):
        stats = self.Statistics.sudo().create({"company_id": self.company_2.id, "period_kind": "half_year",
                                               "year": 2025})
        self.assertFalse(self.Statistics.with_user(self.credit_manager).search([("id", "=", stats.id)]),
                         "another company's statistics are not visible")
        stats.sudo().action_generate()
        self.assertEqual(self._lines(stats), {self.department_2: figures(1, 99999.0, 0, 0, 0, 0, 1, 1)})

    # ------------------------------------------------------------------
    # rights and workflow
    # ------------------------------------------------------------------
    def test_rights_and_submission(self):
        stats = self._statistics()
        # a salesman reads the statistics, no more
        self.assertEqual(stats.with_user(self.salesman).read(["name"])[0]["name"], stats.name)
        with self.assertRefused(AccessError):
            stats.with_user(self.salesman).action_generate()
        with self.assertRefused(AccessError):
            self._statistics("year", 2024, user=self.salesman)
        # an archivist generates, neither creates nor submits
        with self.assertRefused(AccessError):
            self._statistics("year", 2024, user=self.archivist)
        with self.assertRefused(UserError, "Generate the contract statistics"):
            stats.with_user(self.credit_manager).action_submit()
        stats.with_user(self.archivist).action_generate()
        with self.assertRefused(AccessError):
            stats.with_user(self.archivist).action_submit()
        # the workflow fields are the buttons' business
        with self.assertRefused(UserError, "by their buttons only"):
            stats.with_user(self.credit_manager).write({"state": "submitted"})
        with self.assertRefused(UserError, "cannot change"):
            stats.with_user(self.credit_manager).write({"year": 2024})

        stats.with_user(self.credit_manager).action_submit()
        self.assertEqual(stats.state, "submitted")
        self.assertEqual(stats.submitted_by_id, self.credit_manager)
        self.assertTrue(stats.date_submitted)
        with self.assertRefused(UserError, "cannot be generated again"):
            stats.with_user(self.credit_manager).action_generate()
        with self.assertRefused(UserError, "are kept"):
            stats.with_user(self.credit_manager).unlink()

    def test_submit_and_send(self):
        stats = self._statistics()
        stats.with_user(self.credit_manager).action_generate()
        stats.with_user(self.credit_manager).action_submit_and_send()
        self.assertEqual(stats.state, "submitted")
        message = stats.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertEqual(message.partner_ids, self.credit_manager.partner_id, "the group's credit office")
        self.assertEqual(message.attachment_ids, stats.xlsx_attachment_id | stats.pdf_attachment_id)
        self.assertIn("due 07/10/2025", message.body)

    # ------------------------------------------------------------------
    # reminder
    # ------------------------------------------------------------------
    def _company_statistics(self):
        return self.Statistics.sudo().search([("company_id", "=", self.company.id)])

    def _reminders(self, stats):
        return self.env["mail.activity"].sudo().search([
            ("res_model", "=", "credit.contract.statistics"), ("res_id", "in", stats.ids),
            ("activity_type_id", "=", self.env.ref(REMINDER_ACTIVITY).id),
        ])

    def test_reminder_cron(self):
        cron = self.Statistics.sudo()._cron_contract_statistics_reminder  # as the scheduler runs it
        with freeze_time("2025-06-20"):  # 20 days before 10 July: too early
            cron()
        self.assertFalse(self._company_statistics())
        for today in ("2025-06-25", "2025-06-26", "2025-07-10"):  # 15 days before, the day after, the due day
            with freeze_time(today):
                cron()
        stats = self._company_statistics()
        self.assertEqual(len(stats), 1)
        self.assertEqual((stats.period_kind, stats.year, stats.state), ("half_year", 2025, "draft"))
        activity = self._reminders(stats)
        self.assertEqual(len(activity), 1, "no duplicate on the next runs")
        self.assertEqual(activity.user_id, self.credit_manager)
        self.assertEqual(activity.date_deadline, date(2025, 7, 10))
        self.assertEqual(activity.summary,
                         f"Prepare the contract statistics due {format_date(self.env, date(2025, 7, 10))}")
        # submitting closes it
        stats.with_user(self.credit_manager).action_generate()
        stats.with_user(self.credit_manager).action_submit()
        self.assertFalse(self._reminders(stats))

        # the January report: created beforehand by hand, no reminder then
        with freeze_time("2025-12-20"):
            january = self._statistics("year", 2025)
        with freeze_time("2025-12-30"):
            cron()
        self.assertEqual(self._company_statistics(), stats | january)
        self.assertFalse(self._reminders(january))

    # ------------------------------------------------------------------
    # report
    # ------------------------------------------------------------------
    def test_report_html(self):
        stats = self._statistics()
        stats.with_user(self.credit_manager).action_generate()
        html, report_type = self.env["ir.actions.report"].with_user(self.archivist)._render_qweb_html(
            STATISTICS_REPORT, stats.ids)
        self.assertEqual(report_type, "html")
        html = html.decode()
        for text in ("Contract Statistics 2025, First Half", "Sales Department", "Purchase Department",
                     "No department (company numbering)", "Handed Over Late", "Total", "10,750.00",
                     "13,550.00", "07/10/2025"):
            self.assertIn(text, html)
        self.assertNotIn("Second Sales", html)

    def test_real_pdf(self):
        """Generating attaches a real PDF (wkhtmltopdf through Odoo's HTTP server)."""
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        stats = self._statistics().with_context(force_report_rendering=True)
        if report.get_wkhtmltopdf_state() == "install":
            with self.assertRaises(UserError):
                stats.with_user(self.credit_manager).action_generate()
            return
        # the Latin text of the layout's web font is drawn as paths by an unpatched wkhtmltopdf; the
        # Chinese text is printed with a CJK system font (fonts-noto-cjk) and can be read back
        self.purchase_department.name = "采购部"
        stats.with_user(self.credit_manager).action_generate()
        pdf = stats.pdf_attachment_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(stats.pdf_attachment_id.mimetype, "application/pdf")
        text = "".join(page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages)
        self.assertIn("采购部", text)

    # ------------------------------------------------------------------
    # contract ledger export
    # ------------------------------------------------------------------
    def _export(self, user, context=None, **vals):
        wizard = self.env["credit.contract.ledger.export"].with_user(user).with_context(**(context or {})).create(vals)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertRegex(wizard.export_filename, r"^contract_ledger_\d{8}\.xlsx$")
        content = base64.b64decode(wizard.export_file)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
        return wizard, sheet, [list(row) for row in values.iter_rows(values_only=True)]

    def test_ledger_export(self):
        wizard, sheet, rows = self._export(
            self.credit_manager, date_from=date(2025, 1, 1), date_to=date(2025, 6, 30))
        self.assertEqual(wizard.company_id, self.company)
        self.assertEqual(rows[0], LEDGER_HEADERS)
        self.assertTrue(sheet["A1"].font.b, "bold header")
        self.assertEqual(sheet.freeze_panes, "B2")
        self.assertEqual(sheet.auto_filter.ref, "A1:S7")
        archives = self.a1 | self.a2 | self.a5 | self.b1 | self.b3 | self.c1
        by_subject = {row[3]: row for row in rows[1:-1]}
        self.assertEqual(set(by_subject), set(archives.mapped("subject")))
        a1 = by_subject["A1"]
        self.assertEqual(a1, [
            self.a1.name, "Sales Department", "Ledger Customer", "A1", self.contract_type.name, "Sales User",
            10000, self.currency.name, 10000, datetime(2025, 2, 10), datetime(2025, 3, 1), datetime(2025, 3, 20),
            datetime(2025, 3, 25), datetime(2025, 4, 5), datetime(2025, 4, 1), datetime(2025, 4, 25), 100,
            "Room 1 / C2 / B3", "Archived",
        ])
        self.assertEqual(by_subject["A2"][6:9], [1000, "EUR", 250])
        self.assertEqual(by_subject["A2"][18], "Handed Over")
        self.assertEqual(by_subject["B3"][6:9], [1000, "EUR", 500])
        self.assertIsNone(by_subject["C1"][1], "no department")
        self.assertIsNone(by_subject["C1"][11], "not handed over: an empty cell")
        # the totals row, in the company's currency, following the autofilter
        self.assertEqual(rows[-1][0], f"Total ({self.currency.name})")
        self.assertEqual(rows[-1][8], 13550)
        self.assertEqual(sheet["I8"].value, "=SUBTOTAL(9,I2:I7)")

    def test_ledger_filters(self):
        def subjects(rows):
            return sorted(row[3] for row in rows[1:-1])

        _wizard, _sheet, rows = self._export(self.archivist)
        self.assertEqual(subjects(rows), ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "C1"],
                         "the company's archives, without the destroyed ones nor the other company's")
        _wizard, _sheet, rows = self._export(self.archivist, include_destroyed=True, include_open=False)
        self.assertEqual(subjects(rows), ["A1", "A2", "A5", "B2", "D1"])
        _wizard, _sheet, rows = self._export(
            self.archivist, department_ids=[Command.set(self.purchase_department.ids)])
        self.assertEqual(subjects(rows), ["B1", "B2", "B3"])
        _wizard, _sheet, rows = self._export(self.archivist, partner_id=self.other_customer.id)
        self.assertEqual(subjects(rows), ["B1"])
        # the archives selected in the ledger list
        context = {"active_model": "credit.contract.archive", "active_ids": (self.a3 | self.d1).ids}
        wizard, _sheet, rows = self._export(self.credit_manager, context=context)
        self.assertEqual(wizard.archive_ids, self.a3 | self.d1)
        self.assertTrue(wizard.include_destroyed, "a destroyed archive selected is exported")
        self.assertEqual(subjects(rows), ["A3", "D1"])
        self.assertEqual(rows[-1][8], 5400)

    def test_ledger_access_and_binding(self):
        with self.assertRefused(AccessError):
            self.env["credit.contract.ledger.export"].with_user(self.salesman).create({})
        action = self.env.ref("customer_credit_archive.credit_contract_ledger_export_action")
        self.assertEqual(action.binding_model_id.model, "credit.contract.archive")
        self.assertEqual(action.binding_view_types, "list")
        for user, bound in ((self.credit_manager, True), (self.archivist, True), (self.salesman, False)):
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("credit.contract.archive")
            self.assertEqual(action.id in [a["id"] for a in bindings.get("action", [])], bound, user.name)
        menu = self.env.ref("customer_credit_archive.menu_credit_contract_ledger_export")
        self.assertEqual(menu.parent_id, self.env.ref("customer_credit_archive.menu_credit_archives"))
        self.assertEqual(menu.action, action)
        statistics_menu = self.env.ref("customer_credit_archive.menu_credit_contract_statistics")
        self.assertEqual(statistics_menu.parent_id, menu.parent_id)

    def test_ledger_in_the_users_language(self):
        """Headers and state labels in the user's language, through Odoo's translation machinery: the
        module's zh_CN terms are stood in for here, as the translation file may not hold them yet."""
        self.env["res.lang"]._activate_lang("zh_CN")
        key = ("customer_credit_archive", "zh_CN")
        terms = {**code_translations.get_python_translations(*key),
                 "Number": "编号", "Contract Ledger": "合同管理台帐", "Total (%(currency)s)": "合计 (%(currency)s)"}
        self.env["ir.model.fields.selection"].search([
            ("field_id.model", "=", "credit.contract.archive"), ("field_id.name", "=", "state"),
            ("value", "=", "archived"),
        ]).with_context(lang="zh_CN").name = "已归档"
        self.credit_manager.lang = "zh_CN"
        with patch.dict(code_translations.python_translations, {key: terms}):
            _wizard, sheet, rows = self._export(
                self.credit_manager, context={"lang": "zh_CN"}, partner_id=self.customer.id,
                date_from=date(2025, 2, 10), date_to=date(2025, 2, 10))
        self.assertEqual(sheet.title, "合同管理台帐")
        self.assertEqual(rows[0][0], "编号")
        self.assertEqual(rows[1][18], "已归档")
        self.assertEqual(rows[-1][0], f"合计 ({self.currency.name})")
