import base64
import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditComposition(CreditCommon):
    """The three composition analyses against totals computed by hand.

    Company A (the test company), this year:
    - customer 1 (grade A at confirmation, company file, route R1, state S1 / Shanghai):
      order 1 of 1000 (category 1), invoiced 1000, credit note of 200 (category 1);
      then downgraded to B;
    - customer 2 (grade B, no file, state S2 / Hangzhou): order 2 of 500 (category 2) and
      order 3 of 800 EUR at 2 EUR per company unit = 400 (category 2), not invoiced.
    Company B: an order of 300 of customer 1, not visible in company A.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        cls.categ_1 = cls.env["product.category"].create({"name": "Category 1"})
        cls.categ_2 = cls.env["product.category"].create({"name": "Category 2"})
        cls.product_1 = cls._create_product(name="Product 1", categ_id=cls.categ_1.id, taxes_id=[Command.clear()])
        cls.product_2 = cls._create_product(name="Product 2", categ_id=cls.categ_2.id, taxes_id=[Command.clear()])
        country = cls.env.ref("base.cn")
        cls.state_1 = cls.env["res.country.state"].create({"name": "S1 Test", "code": "S1T", "country_id": country.id})
        cls.state_2 = cls.env["res.country.state"].create({"name": "S2 Test", "code": "S2T", "country_id": country.id})
        cls.customer_1 = cls._graded_customer(
            "Customer One", cls.grade_a, limit=100000, country_id=country.id, state_id=cls.state_1.id, city="Shanghai")
        cls.customer_2 = cls._graded_customer(
            "Customer Two", cls.grade_b, limit=100000, country_id=country.id, state_id=cls.state_2.id, city="Hangzhou")
        cls.route = cls.env["credit.visit.route"].create({"name": "R1", "company_id": cls.company.id})
        cls.file_1 = cls.env["credit.customer.file"].create({
            "partner_id": cls.customer_1.id, "route_id": cls.route.id, "channel_type": "wholesaler"})
        cls.file_1.write({"confidential_tier": "company"})
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": cls.eur.id, "company_id": cls.company.id})

        cls.order_1 = cls._composition_order(cls.customer_1, cls.product_1, 1000)
        cls.order_2 = cls._composition_order(cls.customer_2, cls.product_2, 500)
        cls.order_3 = cls._composition_order(cls.customer_2, cls.product_2, 800, pricelist_id=cls.pricelist_eur.id)
        (cls.order_1 | cls.order_2 | cls.order_3).with_user(cls.credit_manager).action_confirm()
        cls.invoice = cls.order_1._create_invoices()
        cls.invoice.action_post()
        cls.refund = cls.env["account.move"].create({
            "move_type": "out_refund",
            "partner_id": cls.customer_1.id,
            "invoice_date": cls.today,
            "reversed_entry_id": cls.invoice.id,
            "invoice_line_ids": [Command.create(
                {"product_id": cls.product_1.id, "quantity": 1, "price_unit": 200, "discount": 0,
                 "tax_ids": [Command.clear()]})],
        })
        cls.refund.action_post()
        # the customer is downgraded after the sale: the figures at confirmation stay
        cls.customer_1.with_user(cls.credit_manager).credit_grade_id = cls.grade_b

        cls.company_b = cls.setup_other_company(name="Composition B")["company"]
        cls.order_b = cls.env["sale.order"].with_company(cls.company_b).create({
            "partner_id": cls.customer_1.id,
            "company_id": cls.company_b.id,
            "order_line": [Command.create({"product_id": cls.product_1.id, "product_uom_qty": 1,
                                           "price_unit": 300, "discount": 0,
                                           "tax_id": [Command.clear()]})],
        })
        cls.order_b.with_company(cls.company_b).action_confirm()
        cls.customers = cls.customer_1 | cls.customer_2
        # the analyses are materialized: the scheduled action computes them
        cls.env.ref("customer_credit_archive.ir_cron_credit_composition_refresh").method_direct_trigger()

    @classmethod
    def _composition_order(cls, partner, product, amount, **vals):
        return cls.env["sale.order"].with_user(cls.credit_manager).create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1,
                                           "price_unit": amount, "discount": 0,
                                           "tax_id": [Command.clear()]})],
            **vals,
        })

    def _totals(self, model, groupby, aggregates=("ordered_amount:sum", "invoiced_amount:sum"), user=None):
        Report = self.env[model].with_user(user or self.credit_manager)
        result = {}
        for group, *values in Report._read_group(
                [("partner_id", "in", self.customers.ids)], [groupby], list(aggregates)):
            key = group.display_name if hasattr(group, "_name") else group
            result[key] = tuple(round(value, 2) for value in values)
        return result

    def test_snapshot_on_order_and_invoice(self):
        self.assertEqual(self.order_1.credit_grade_at_confirm_id, self.grade_a)
        self.assertEqual(self.order_1.credit_tier_at_confirm, "company")
        self.assertEqual(self.order_2.credit_grade_at_confirm_id, self.grade_b)
        self.assertFalse(self.order_2.credit_tier_at_confirm, "no customer file")
        self.assertEqual(self.invoice.credit_grade_at_confirm_id, self.grade_a, "the order's grade")
        self.assertEqual(self.refund.credit_grade_at_confirm_id, self.grade_a, "the reversed invoice's grade")
        self.assertFalse(self.order_1.copy().credit_grade_at_confirm_id)
        self.assertAlmostEqual(self.order_3.currency_rate, 2.0)

    def test_sales_composition(self):
        model = "credit.sales.composition.report"
        self.assertEqual(self._totals(model, "grade_id"), {
            self.grade_a.display_name: (1000.0, 800.0),
            self.grade_b.display_name: (900.0, 0.0),
        })
        # the switch: today's grade of customer 1 is B
        self.assertEqual(self._totals(model, "current_grade_id"), {self.grade_b.display_name: (1900.0, 800.0)})
        self.assertEqual(self._totals(model, "tier"), {"company": (1000.0, 800.0), False: (900.0, 0.0)})
        self.assertEqual(self._totals(model, "source"), {"ordered": (1900.0, 0.0), "invoiced": (0.0, 800.0)})
        shares = self._totals(model, "grade_id", ("ordered_share:sum", "invoiced_share:sum"))
        self.assertEqual(shares, {self.grade_a.display_name: (52.63, 100.0), self.grade_b.display_name: (47.37, 0.0)})
        self.assertEqual(self._totals(model, "channel_type"), {"wholesaler": (1000.0, 800.0), False: (900.0, 0.0)})

    def test_product_composition(self):
        model = "credit.product.composition.report"
        aggregates = ("ordered_amount:sum", "invoiced_amount:sum", "quantity:sum")
        self.assertEqual(self._totals(model, "categ_id", aggregates), {
            self.categ_1.display_name: (1000.0, 800.0, 1.0),  # ordered 1, invoiced 1, credited 1
            self.categ_2.display_name: (900.0, 0.0, 2.0),
        })
        Report = self.env[model].with_user(self.credit_manager)
        groups = Report._read_group([("partner_id", "in", self.customers.ids)], ["categ_id", "grade_id"],
                                    ["ordered_amount:sum"])
        self.assertEqual({(c.id, g.id): round(a, 2) for c, g, a in groups}, {
            (self.categ_1.id, self.grade_a.id): 1000.0, (self.categ_2.id, self.grade_b.id): 900.0})
        invoiced = Report._read_group([("partner_id", "in", self.customers.ids), ("source", "=", "invoiced")],
                                      [], ["quantity:sum"])
        self.assertEqual(invoiced[0][0], 0.0, "the credit note's quantity is negative")

    def test_regional_composition(self):
        model = "credit.regional.composition.report"
        self.assertEqual(self._totals(model, "state_id"), {
            self.state_1.display_name: (1000.0, 800.0), self.state_2.display_name: (900.0, 0.0)})
        self.assertEqual(self._totals(model, "city"), {"Shanghai": (1000.0, 800.0), "Hangzhou": (900.0, 0.0)})
        self.assertEqual(self._totals(model, "route_id"), {"R1": (1000.0, 800.0), False: (900.0, 0.0)})

    def test_multi_company(self):
        for model in ("credit.sales.composition.report", "credit.product.composition.report",
                      "credit.regional.composition.report"):
            rows = self.env[model].sudo().search([("partner_id", "=", self.customer_1.id)])
            self.assertIn(self.company_b, rows.company_id, "company B's order is in the view")
            mine = self.env[model].with_user(self.credit_manager).search([("partner_id", "=", self.customer_1.id)])
            self.assertEqual(mine.company_id, self.company, f"{model}: a user of company A sees only A's rows")
        self.credit_manager.company_ids = [Command.link(self.company_b.id)]
        totals = self.env["credit.sales.composition.report"].with_user(self.credit_manager).with_context(
            allowed_company_ids=self.company_b.ids)._read_group(
            [("partner_id", "=", self.customer_1.id)], ["company_id"], ["ordered_amount:sum"])
        self.assertEqual([(company, round(amount, 2)) for company, amount in totals], [(self.company_b, 300.0)])
        # the grade of customer 1 in company B (none) is not the one of company A
        self.assertFalse(self.order_b.credit_grade_at_confirm_id)

    def test_refresh(self):
        """The figures are those of the last refresh: an order confirmed after it is counted at
        the next one (the hourly scheduled action, or Refresh Figures of a Credit Manager)."""
        model = "credit.sales.composition.report"
        before = self._totals(model, "source")
        order = self._composition_order(self.customer_2, self.product_2, 250)
        order.with_user(self.credit_manager).action_confirm()
        self.assertEqual(self._totals(model, "source"), before, "not counted before the refresh")
        with self.assertRaises(AccessError):
            self.env[model].with_user(self.salesman).action_refresh_composition()
        action = self.env[model].with_user(self.credit_manager).action_refresh_composition()
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertEqual(self._totals(model, "source")["ordered"], (2150.0, 0.0))
        self.assertEqual(self._totals("credit.product.composition.report", "categ_id")[self.categ_2.display_name],
                         (1150.0, 0.0))
        refreshed = self.env["credit.composition.report.mixin"]._composition_refreshed_at()
        wizard = self.env["credit.composition.export"].with_user(self.credit_manager).create({})
        self.assertEqual(wizard.refreshed_at, refreshed)
        # the export can refresh first
        order = self._composition_order(self.customer_2, self.product_2, 50)
        order.with_user(self.credit_manager).action_confirm()
        sheet = self._export(kind="sales", refresh=True)
        self.assertEqual(list(sheet.iter_rows(values_only=True))[-1][3:5], (2200.0, 800.0))
        # the menu entry runs the same refresh
        server_action = self.env.ref("customer_credit_archive.credit_composition_refresh_action")
        self.assertEqual(server_action.model_id.model, model)
        self.assertEqual(server_action.with_user(self.credit_manager).run()["tag"], "display_notification")
        with self.assertRaises(AccessError):
            server_action.with_user(self.salesman).run()

    def test_access(self):
        for model in ("credit.sales.composition.report", "credit.product.composition.report",
                      "credit.regional.composition.report", "credit.composition.export"):
            self.assertFalse(self.env[model].with_user(self.salesman).has_access("read"), model)
            self.assertTrue(self.env[model].with_user(self.credit_manager).has_access("read"), model)

    def _export(self, lang=None, **vals):
        # the web client sends the user's language in the context of every call
        wizard = self.env["credit.composition.export"].with_user(self.credit_manager).with_context(
            lang=lang or self.credit_manager.lang).create(
            {"date_from": self.today.replace(month=1, day=1), "date_to": self.today, **vals})
        action = wizard.action_export()
        self.assertIn("download=true", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.export_file)), data_only=True)
        return workbook.active

    def test_export_sales_xlsx(self):
        sheet = self._export(kind="sales")
        rows = list(sheet.iter_rows(values_only=True))
        currency = self.company.currency_id.name
        self.assertEqual(rows[2], ("Grade at Confirmation", "File Tier", "Customer", f"Ordered ({currency})",
                                   f"Invoiced ({currency})", "Share of Ordered (%)", "Share of Invoiced (%)"))
        self.assertEqual(sheet.freeze_panes, "D4")
        self.assertEqual(sheet.auto_filter.ref, "A3:G5")
        self.assertEqual(len(rows), 6, "title, blank, header, two customers, totals")
        data = {row[:3]: tuple(round(value, 2) for value in row[3:]) for row in rows[3:5]}
        self.assertEqual(data, {
            (self.grade_a.name, "Company File", "Customer One"): (1000.0, 800.0, 52.63, 100.0),
            (self.grade_b.name, "None", "Customer Two"): (900.0, 0.0, 47.37, 0.0),
        })
        self.assertEqual(rows[5][0], "Total")
        self.assertEqual(rows[5][3:], (1900.0, 800.0, 100.0, 100.0))

    def test_export_in_chinese(self):
        """A Chinese-speaking Credit Manager gets the workbook's headers, tiers and totals in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_credit_archive"], ["zh_CN"], overwrite=True)
        sheet = self._export(kind="sales", lang="zh_CN")
        rows = list(sheet.iter_rows(values_only=True))
        currency = self.company.currency_id.name
        self.assertEqual(rows[2], ("确认时等级", "档案级别", "客户", f"已订购 ({currency})", f"已开票 ({currency})",
                                   "已订购占比（%）", "已开票占比（%）"))
        self.assertEqual({row[1] for row in rows[3:5]}, {"公司级档案", "无"})
        self.assertEqual(rows[5][0], "总计")

    def test_export_filters_and_kinds(self):
        sheet = self._export(kind="sales", grade_ids=[Command.set(self.grade_b.ids)])
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[3][:5], (self.grade_b.name, "None", "Customer Two", 900.0, 0.0))
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][3:5], (900.0, 0.0))
        sheet = self._export(kind="product")
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[2][:3], ("Product Category", "Grade at Confirmation", "State"))
        self.assertEqual({row[0]: row[3:5] for row in rows[3:-1]},
                         {self.categ_1.complete_name: (1000.0, 800.0), self.categ_2.complete_name: (900.0, 0.0)})
        sheet = self._export(kind="regional", tier="company")
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[3][:6], ("China", self.state_1.name, "Shanghai", "R1", 1000.0, 800.0))
        self.assertEqual(rows[-1][4:6], (1000.0, 800.0))

    def test_views_and_first_screen(self):
        """The actions' views load for a Credit Manager and the pivot's first grouped read works."""
        for model, xmlid in (
            ("credit.sales.composition.report", "credit_sales_composition_report_action"),
            ("credit.product.composition.report", "credit_product_composition_report_action"),
            ("credit.regional.composition.report", "credit_regional_composition_report_action"),
        ):
            action = self.env.ref(f"customer_credit_archive.{xmlid}")
            Report = self.env[model].with_user(self.credit_manager)
            views = Report.get_views([(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")])
            self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
            self.assertEqual(action.view_mode, "pivot,graph,list")
            groups = Report.read_group(
                [("partner_id", "in", self.customers.ids)], ["ordered_amount:sum", "invoiced_amount:sum"],
                ["grade_id"], lazy=False)
            self.assertEqual(round(sum(group["ordered_amount"] for group in groups), 2), 1900.0)
            self.assertEqual(round(sum(group["invoiced_amount"] for group in groups), 2), 800.0)
