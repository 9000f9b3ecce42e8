from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditViews(CreditCommon):
    """The screens each role uses load and behave as the UI does."""

    def test_views_load_for_each_role(self):
        models = ("res.partner", "sale.order", "credit.grade", "credit.release", "credit.grade.history")
        for user in (self.salesman, self.credit_manager):
            for model in models:
                views = self.env[model].with_user(user).get_views([(False, "list"), (False, "form"), (False, "search")])
                self.assertTrue(views["views"]["form"]["arch"])
        for xmlid in ("res_partner_credit_action", "credit_grade_action", "credit_release_action",
                      "credit_grade_history_action", "sale_order_credit_hold_action"):
            action = self.env.ref(f"customer_credit_archive.{xmlid}")
            records = self.env[action.res_model].with_user(self.salesman).search_read(
                [], ["display_name"], limit=5)
            self.assertIsInstance(records, list)

    def test_credit_files_list_as_salesman(self):
        partner = self._graded_customer("List Co", self.grade_c, limit=1000)
        self._invoice(partner, 400, due_days_ago=10)
        rows = self.env["res.partner"].with_user(self.salesman).search_read(
            [("id", "=", partner.id)],
            ["credit_grade_id", "credit_limit_effective", "credit_exposure", "credit_available",
             "credit_overdue_amount", "credit_overdue_days"],
        )
        self.assertEqual(rows[0]["credit_exposure"], 400)
        self.assertEqual(rows[0]["credit_available"], 600)
        self.assertEqual(rows[0]["credit_overdue_days"], 10)
        groups = self.env["res.partner"].with_user(self.salesman).read_group(
            [("id", "=", partner.id)], ["credit_grade_id"], ["credit_grade_id"])
        self.assertEqual(groups[0]["credit_grade_id"][0], self.grade_c.id)

    def test_salesman_order_form(self):
        partner = self._graded_customer("Form Order Co", self.grade_c, limit=1000)
        self._invoice(partner, 900)
        with Form(self.env["sale.order"].with_user(self.salesman)) as form:
            form.partner_id = partner
            with form.order_line.new() as line:
                line.product_id = self.product
                line.price_unit = 500
        order = form.record
        self.assertEqual(order.credit_exposure, 900)
        self.assertIn("exceeds the limit by", order.credit_check_message)
        with self.assertRaisesRegex(UserError, "Form Order Co"):
            order.with_user(self.salesman).action_confirm()

    def test_partner_form_readonly_for_salesman(self):
        partner = self._graded_customer("Readonly Co", self.grade_b)
        form = Form(partner.with_user(self.salesman))
        self.assertFalse(form.credit_is_manager)
        for fname in ("credit_grade_id", "credit_limit", "credit_blacklisted"):
            self.assertTrue(form._get_modifier(fname, "readonly"), fname)
        form = Form(partner.with_user(self.credit_manager))
        self.assertFalse(form._get_modifier("credit_grade_id", "readonly"))
        form.credit_grade_id = self.grade_c
        self.assertEqual(form.credit_limit, self.grade_c.credit_limit)
        form.save()
        self.assertEqual(partner.credit_grade_id, self.grade_c)

    def test_settings(self):
        settings = self.env["res.config.settings"].create({
            "credit_ungraded_policy": "limit",
            "credit_ungraded_limit": 2500,
            "credit_include_draft_invoices": False,
        })
        settings.execute()
        self.assertEqual(self.company.credit_ungraded_policy, "limit")
        self.assertEqual(self.company.credit_ungraded_limit, 2500)
        self.assertFalse(self.company.credit_include_draft_invoices)
