import base64
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval

from .common import CreditCommon

CARD_REPORT = "customer_credit_archive.action_report_credit_customer_file_card"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LIST_HEADERS = [
    "Customer", "Reference", "Salesperson", "Credit Grade", "Card Type", "Customer Nature",
    "Ownership", "Channel Type", "Location Type", "Tier", "Lifecycle Stage", "Trade Period",
    "Visit Route", "Sequence in Route", "City", "Phone", "Completeness (%)", "Last Update",
]


def action_url(wizard):
    return (f"/web/content/?model=credit.customer.list.export&id={wizard.id}&field=export_file"
            f"&filename_field=export_filename&mimetype={XLSX_MIMETYPE}&download=true")


@tagged("post_install", "-at_install")
class TestCustomerFileReports(CreditCommon, HttpCase):
    """The customer file card (客户档案卡, PDF) and the customer list (客户一览表, xlsx).

    An HttpCase: wkhtmltopdf loads the report assets from Odoo's HTTP server, which serves
    requests during the tests only in the registry test mode of an HttpCase.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        File = cls.env["credit.customer.file"]
        cls.route = cls.env["credit.visit.route"].create({
            "name": "North Route", "user_id": cls.salesman.id,
        })
        cls.dealer = cls._graded_customer(
            "Dealer Trading Co", cls.grade_a, ref="D-001", city="Shanghai", phone="021-5555 0101",
            user_id=cls.salesman.id,
        )
        cls.env["res.partner.bank"].create({
            "partner_id": cls.dealer.id, "acc_number": "6222 0200 0000 0001",
        })
        cls.dealer_file = File.create({
            "partner_id": cls.dealer.id,
            "card_type": "dealer",
            "nature": "company",
            "ownership": "private",
            "channel_type": "wholesaler",
            "location_type": "commercial",
            "tier": "key",
            "lifecycle": "existing",
            "trade_period": "current",
            "route_id": cls.route.id,
            "route_sequence": 3,
            "legal_representative": "Zhang Wei",
            "founding_date": date(2010, 5, 1),
            "registered_capital": 1000000.0,
            "service_area": "East China Region",
            "sales_capacity": "Forty trucks a week",
            "competitor_relations": "Also sells Brand X",
            "key_person_ids": [Command.create({"name": "Li Ming", "role": "owner", "age": 45})],
            "sales_result_ids": [Command.create({"year": 2023, "amount": 500000.0, "growth": 12.5})],
        })
        cls.end_customer = cls._graded_customer(
            "华联超市", cls.grade_c, city="北京", user_id=cls.salesman.id,
        )
        cls.end_file = File.create({
            "partner_id": cls.end_customer.id,
            "card_type": "end",
            "nature": "individual",
            "tier": "regular",
            "lifecycle": "new",
            "owner_name": "王芳",
            "service_area": "Dealer-only text",
            "key_person_ids": [Command.create({"name": "王芳", "role": "owner"})],
        })
        cls.files = cls.dealer_file | cls.end_file

    def _card_html(self, user, files):
        html, report_type = self.env["ir.actions.report"].with_user(user)._render_qweb_html(
            CARD_REPORT, files.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    # ------------------------------------------------------------------
    # customer file card (PDF)
    # ------------------------------------------------------------------
    def test_card_action(self):
        report = self.env.ref(CARD_REPORT)
        self.assertEqual(report.model, "credit.customer.file")
        self.assertEqual(report.report_type, "qweb-pdf")
        self.assertEqual(report.binding_model_id.model, "credit.customer.file")
        # the name of the printed file, as the report controller evaluates it
        self.assertEqual(safe_eval(report.print_report_name, {"object": self.dealer_file}),
                         "Customer File Card - Dealer Trading Co")
        # the Print menu and the Action menu of the files, as the web client gets them
        bindings = self.env["ir.actions.actions"].with_user(self.salesman)._get_bindings(
            "credit.customer.file")
        self.assertIn(report.id, [action["id"] for action in bindings["report"]])
        export = self.env.ref("customer_credit_archive.credit_customer_list_export_action")
        self.assertIn(export.id, [action["id"] for action in bindings["action"]])

    def test_card_layouts(self):
        for user in (self.salesman, self.credit_manager):
            dealer_html = self._card_html(user, self.dealer_file)
            for text in ("Dealer File Card", "Dealer Trading Co", "Li Ming", self.grade_a.name,
                         "Sales User", "Key Customer", "Customer Nature", "Ordinary Company",
                         "Wholesaler", "North Route", "Zhang Wei", "East China Region",
                         "Forty trucks a week", "Also sells Brand X", "2023",
                         "6222 0200 0000 0001", "Collection Records"):
                self.assertIn(text, dealer_html, f"{text!r} on the dealer card of {user.name}")
            self.assertNotIn("End Customer File Card", dealer_html)

            end_html = self._card_html(user, self.end_file)
            for text in ("End Customer File Card", "华联超市", "王芳", "北京", self.grade_c.name,
                         "Regular Customer", "Individual", "New Customer", "Customer Nature"):
                self.assertIn(text, end_html, f"{text!r} on the end-customer card of {user.name}")
            # the shorter layout: no dealer-only parts
            for text in ("Dealer File Card", "Dealer-only text", "Service Area", "Sales Capacity",
                         "Relations with Competitors", "Collection Records"):
                self.assertNotIn(text, end_html, f"{text!r} on the end-customer card")

        both = self._card_html(self.salesman, self.files)
        self.assertIn("Dealer File Card", both)
        self.assertIn("End Customer File Card", both)

    def test_card_pdf(self):
        report = self.env["ir.actions.report"].with_user(self.salesman).with_context(
            force_report_rendering=True)
        if report.get_wkhtmltopdf_state() == "install":
            with self.assertRaises(UserError):
                report._render_qweb_pdf(CARD_REPORT, self.dealer_file.ids)
            return
        # one file per call: a wkhtmltopdf built without Odoo's patched Qt cannot print several
        # documents with headers and footers in one go (Odoo's own reports neither)
        for user in (self.salesman, self.credit_manager):
            for file in self.files:
                pdf, report_type = report.with_user(user)._render_qweb_pdf(CARD_REPORT, file.ids)
                self.assertEqual(report_type, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"), f"{file.name} printed by {user.name}")
        # the Chinese text is printed with a CJK font (fonts-noto-cjk)
        text = "".join(page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages)
        self.assertIn("华联超市", text)
        self.assertIn("王芳", text)

    def test_card_in_the_users_language(self):
        """The card is printed in the language of the user who prints it, not of the customer."""
        # activating a language only flags it active; the terms are written here as the
        # zh_CN translation of the module provides them
        self.env["res.lang"]._activate_lang("zh_CN")
        view = self.env.ref("customer_credit_archive.report_credit_customer_file_card_document")
        view.update_field_translations("arch_db", {"zh_CN": {"Dealer File Card": "经销商档案卡"}})
        tier_key = self.env["ir.model.fields.selection"].search([
            ("field_id.model", "=", "credit.customer.file"), ("field_id.name", "=", "tier"),
            ("value", "=", "key"),
        ])
        tier_key.with_context(lang="zh_CN").name = "重点客户"
        self.dealer.lang = "zh_CN"
        self.salesman.lang = "zh_CN"
        html = self._card_html(self.salesman, self.dealer_file)
        self.assertIn("经销商档案卡", html)
        self.assertIn("重点客户", html)
        self.assertIn("2010年05月01日", html, "dates in the format of the user's language")
        self.assertNotIn("Dealer File Card", html)
        self.assertNotIn("Key Customer", html)
        # the Credit Manager reads the card of this Chinese-speaking customer in English
        html = self._card_html(self.credit_manager, self.dealer_file)
        self.assertIn("Dealer File Card", html)
        self.assertIn("Key Customer", html)

    # ------------------------------------------------------------------
    # customer list (xlsx)
    # ------------------------------------------------------------------
    def _export(self, user, context=None, **vals):
        wizard = self.env["credit.customer.list.export"].with_user(user).with_context(
            **(context or {})).create(vals)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], action_url(wizard))
        self.assertRegex(wizard.export_filename, r"^customer_list_\d{8}\.xlsx$")
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.export_file))).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        return wizard, sheet, rows

    def test_list_all_files(self):
        wizard, sheet, rows = self._export(self.salesman)
        self.assertEqual(rows[0], LIST_HEADERS)
        self.assertTrue(sheet["A1"].font.b, "bold header")
        self.assertEqual(sheet.freeze_panes, "B2")
        self.assertEqual(sheet.auto_filter.ref, f"A1:R{len(rows)}")
        self.assertGreater(sheet.column_dimensions["A"].width, 20)
        visible = self.env["credit.customer.file"].with_user(self.salesman).search([])
        self.assertEqual(len(rows) - 1, len(visible), "one row per file the user can see")
        by_name = {row[0]: row for row in rows[1:]}
        dealer = by_name["Dealer Trading Co"]
        self.assertEqual(dealer[:16], [
            "Dealer Trading Co", "D-001", "Sales User", self.grade_a.name, "Dealer", "Ordinary Company",
            "Private", "Wholesaler", "Commercial District", "Key Customer", "Existing Customer",
            "Current Trade", "North Route", 3, "Shanghai", "021-5555 0101",
        ])
        self.assertGreater(self.dealer_file.completeness, 0)
        self.assertAlmostEqual(dealer[16], self.dealer_file.completeness)
        self.assertTrue(dealer[17], "last update")
        end = by_name["华联超市"]
        self.assertEqual(end[:6], ["华联超市", None, "Sales User", self.grade_c.name, "End Customer",
                                   "Individual"])
        self.assertEqual(end[9], "Regular Customer")
        self.assertIsNone(end[13], "no sequence without a route")
        self.assertAlmostEqual(end[16], self.end_file.completeness)

        # the download, as the browser follows the action
        self.authenticate("credit_salesman", "credit_salesman")
        response = self.url_open(action_url(wizard))
        self.assertEqual(response.status_code, 200)
        self.assertIn(wizard.export_filename, response.headers["Content-Disposition"])
        self.assertTrue(response.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertEqual(response.content, base64.b64decode(wizard.export_file))

    def test_list_selected_files(self):
        context = {"active_model": "credit.customer.file", "active_ids": self.end_file.ids}
        wizard, _sheet, rows = self._export(self.salesman, context=context)
        self.assertEqual(wizard.file_ids, self.end_file)
        self.assertEqual([row[0] for row in rows[1:]], ["华联超市"])

    def test_list_filters(self):
        _wizard, _sheet, rows = self._export(self.credit_manager, tier="key")
        expected = self.env["credit.customer.file"].search([("tier", "=", "key")])
        self.assertEqual(len(rows) - 1, len(expected))
        self.assertIn("Dealer Trading Co", [row[0] for row in rows[1:]])
        self.assertTrue(all(row[9] == "Key Customer" for row in rows[1:]))
        _wizard, _sheet, rows = self._export(
            self.salesman, user_id=self.salesman.id, tier="regular")
        self.assertEqual([row[0] for row in rows[1:]], ["华联超市"])
        _wizard, _sheet, rows = self._export(self.salesman, user_id=self.credit_manager.id)
        self.assertNotIn("Dealer Trading Co", [row[0] for row in rows[1:]])
        self.assertNotIn("华联超市", [row[0] for row in rows[1:]])

    def test_list_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        tier_key = self.env["ir.model.fields.selection"].search([
            ("field_id.model", "=", "credit.customer.file"), ("field_id.name", "=", "tier"),
            ("value", "=", "key"),
        ])
        tier_key.with_context(lang="zh_CN").name = "重点客户"
        self.salesman.lang = "zh_CN"
        _wizard, _sheet, rows = self._export(
            self.salesman, context={"lang": "zh_CN"}, user_id=self.salesman.id, tier="key")
        self.assertEqual([row[9] for row in rows[1:]], ["重点客户"])
