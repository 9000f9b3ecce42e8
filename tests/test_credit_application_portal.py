import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditApplicationPortal(HttpCase, CreditCommon):
    """The customer fills in its credit application and file data on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "门户客户有限公司", "is_company": True, "email": "credit@portal.example.com",
            "user_id": cls.salesman.id,
        })
        cls.contact = cls.env["res.partner"].create({
            "name": "Portal Buyer", "parent_id": cls.customer.id, "email": "buyer@portal.example.com",
        })
        cls.portal_user = new_test_user(
            cls.env, login="credit_app_portal", password="credit_app_portal", name="Portal Buyer",
            groups="base.group_portal", partner_id=cls.contact.id,
        )
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls.other_application = cls.env["credit.application"].with_user(cls.salesman).create({
            "partner_id": cls.other.id, "requested_limit": 7777.0,
        })

    def _form_page(self):
        page = self.url_open("/my/credit")
        self.assertEqual(page.status_code, 200)
        return page

    def _submit(self, **values):
        page = self._form_page()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/my/credit/submit", data={"csrf_token": token, **values})

    def test_customer_applies_on_the_portal(self):
        self.authenticate("credit_app_portal", "credit_app_portal")
        page = self._form_page()
        self.assertIn("credit_application_form", page.text)
        self.assertNotIn("7,777", page.text, "another customer's application is not shown")
        self.assertNotIn("7777", page.text)
        response = self._submit(
            requested_limit="50000", request_note="新开门店", legal_representative="钱八",
            registered_capital="2000000", organization_form="limited", founding_date="2012-04-01",
            employee_count="35",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("credit_application_submitted", response.text)
        application = self.env["credit.application"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(application), 1)
        self.assertEqual(application.state, "draft")
        self.assertTrue(application.supplied_by_customer)
        self.assertEqual(application.requested_limit, 50000.0)
        self.assertEqual(application.user_id, self.salesman, "the customer's salesperson handles it")
        self.assertEqual(application.activity_ids.user_id, self.salesman)
        file = self.env["credit.customer.file"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(file.legal_representative, "钱八")
        self.assertEqual(file.employee_count, 35)
        self.assertEqual(file.basic_source, "customer")
        self.assertTrue(file.basic_to_verify, "data supplied by the customer waits for verification")
        # the page now lists the application, with its state
        page = self._form_page()
        self.assertIn(application.name, page.text)

    def test_bad_input_is_refused_with_a_message(self):
        self.authenticate("credit_app_portal", "credit_app_portal")
        response = self._submit(requested_limit="abc")
        self.assertIn("credit_application_error", response.text)
        self.assertIn("is not a number", response.text)
        response = self._submit(requested_limit="1000", employee_count="-4")
        self.assertIn("cannot be negative", response.text)
        response = self._submit(request_note="no limit")
        self.assertIn("credit limit you request", response.text)
        self.assertFalse(self.env["credit.application"].search([("partner_id", "=", self.customer.id)]))

    def test_portal_user_has_no_direct_access(self):
        Applications = self.env["credit.application"].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Applications.search([]).read(["name"])
        with self.assertRaises(AccessError):
            self.env["credit.customer.file"].with_user(self.portal_user).search([]).read(["name"])

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.url_open("/my/credit", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers.get("Location", ""))

    def test_salesperson_invites_the_customer(self):
        prospect = self.env["res.partner"].create({
            "name": "Invited Co", "is_company": True, "email": "invited@example.com",
        })
        result = prospect.with_user(self.salesman).action_credit_invite_application()
        self.assertEqual(result["params"]["type"], "success")
        user = prospect.with_context(active_test=False).user_ids
        self.assertTrue(user.share, "the customer got a portal account")
        message = prospect.message_ids.filtered(lambda m: "/my/credit" in (m.body or ""))
        self.assertTrue(message, "the invitation with the link is in the chatter")
        emailed = message.notification_ids.filtered(
            lambda n: n.res_partner_id == prospect and n.notification_type == "email")
        self.assertTrue(emailed, "the customer is notified by email")
        # a company without email invites its first contact with one
        no_email = self.env["res.partner"].create({"name": "Quiet Co", "is_company": True})
        with self.assertRaisesRegex(UserError, "no email address"):
            no_email.with_user(self.salesman).action_credit_invite_application()
        contact = self.env["res.partner"].create({
            "name": "Quiet Buyer", "parent_id": no_email.id, "email": "quiet@example.com",
        })
        no_email.with_user(self.salesman).action_credit_invite_application()
        self.assertTrue(contact.user_ids.share)
