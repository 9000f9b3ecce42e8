from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditApplicationLetters(CreditCommon):
    """Reply letters (回复客户的标准函), approval form (客户信用审批表), credit sheet (客户信用表单)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_application_double_threshold = 0.0
        cls.customer = cls._graded_customer(
            "Letter Co", cls.grade_c, email="letters@example.com", user_id=cls.salesman.id)

    def _decided(self, approve=True):
        application = self.env["credit.application"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "requested_grade_id": self.grade_b.id,
            "investigator_id": self.salesman.id, "revenue": 900000.0,
        })
        application.with_user(self.credit_manager).action_start_investigation()
        application.write({"score": 82, "investigation_conclusion": "Pays on time."})
        application.action_submit()
        manager_view = application.with_user(self.credit_manager)
        if approve:
            manager_view.action_approve()
        else:
            manager_view.action_reject("Too little trading history.")
        return application

    def _html(self, xmlid, records):
        html, _ = self.env["ir.actions.report"].with_user(self.salesman)._render_qweb_html(xmlid, records.ids)
        return html.decode()

    def test_approval_letter_sent_and_logged(self):
        application = self._decided()
        self.assertEqual(application.state, "approved")
        application.action_send_letter()  # as the salesperson who applied
        self.assertTrue(application.letter_sent_date)
        message = application.message_ids.filtered(lambda m: m.subject and "is approved" in m.subject)
        self.assertEqual(len(message), 1, "the mail is logged in the chatter")
        self.assertIn(self.customer, message.partner_ids)
        # a PDF in production; Odoo renders reports as HTML while tests run
        self.assertTrue(message.attachment_ids.name.startswith(f"Credit Letter - {application.name}."))
        self.assertIn(self.grade_b.display_name, message.body)
        html = self._html("customer_credit_archive.action_report_credit_application_letter", application)
        self.assertIn("has been approved", html)
        self.assertIn(self.grade_b.display_name, html)
        self.assertIn('id="letter_terms"', html)

    def test_rejection_letter_gives_the_reason(self):
        application = self._decided(approve=False)
        application.action_send_letter()
        message = application.message_ids.filtered(lambda m: m.subject == f"Your credit application {application.name}")
        self.assertEqual(len(message), 1)
        html = self._html("customer_credit_archive.action_report_credit_application_letter", application)
        self.assertIn("Too little trading history.", html)
        self.assertNotIn('id="letter_terms"', html)

    def test_no_letter_before_the_decision_or_without_email(self):
        application = self.env["credit.application"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "requested_grade_id": self.grade_b.id,
        })
        with self.assertRaisesRegex(UserError, "no decision yet"):
            application.action_send_letter()
        with self.assertRaises(AccessError):
            application.write({"letter_sent_date": "2026-01-01 00:00:00"})
        decided = self._decided()
        self.customer.email = False
        with self.assertRaisesRegex(UserError, "no email address"):
            decided.action_send_letter()

    def test_letter_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        application = self._decided()
        html = self._html("customer_credit_archive.action_report_credit_application_letter", application)
        self.assertIn('data-oe-lang="zh_CN"', html)

    def test_approval_form(self):
        application = self._decided()
        html = self._html("customer_credit_archive.action_report_credit_application_approval_form", application)
        for text in (application.name, "Letter Co", self.credit_manager.name, "Pays on time.", "82"):
            self.assertIn(text, html)
        rejected = self._decided(approve=False)
        html = self._html("customer_credit_archive.action_report_credit_application_approval_form", rejected)
        self.assertIn("Too little trading history.", html)

    def test_customer_credit_sheet(self):
        self._invoice(self.customer, 400.0, due_days_ago=10)
        self.customer.with_user(self.salesman).credit_file_payment_habits = "月底付款"
        contact = self.env["res.partner"].create({"name": "Sheet Contact", "parent_id": self.customer.id})
        html = self._html("customer_credit_archive.action_report_customer_credit_sheet", contact)
        self.assertIn("Customer Credit Sheet", html)
        self.assertIn("Letter Co", html, "a contact prints its company's sheet")
        self.assertIn(self.grade_c.display_name, html)
        self.assertIn("月底付款", html)
        self.assertIn("400.00", html)
        report = self.env.ref("customer_credit_archive.action_report_customer_credit_sheet")
        self.assertIn(self.env.ref("customer_credit_archive.group_credit_user"), report.groups_id)
