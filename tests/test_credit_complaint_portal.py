import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_credit_complaint import DEADLINE, CreditComplaintCommon


@tagged("post_install", "-at_install")
class TestCreditComplaintPortal(HttpCase, CreditComplaintCommon):
    """The customer files a complaint on the portal and follows it there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="complaint_portal", password="complaint_portal", name="Buyer Wang",
            groups="base.group_portal", partner_id=cls.contact.id,
        )
        cls.order = cls._order(cls.customer, 800)
        cls.order.action_confirm()
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls.other_order = cls._order(cls.other, 300)
        cls.other_order.action_confirm()
        cls.other_complaint = cls.env["credit.complaint"].with_user(cls.salesman).create({
            "partner_id": cls.other.id, "description": "Secret complaint of another customer",
        })

    def _post_new(self, **values):
        page = self.url_open("/my/complaints/new")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/my/complaints/new", data={"csrf_token": token, **values})

    def test_customer_files_and_follows_a_complaint(self):
        self.authenticate("complaint_portal", "complaint_portal")
        page = self.url_open("/my/complaints/new")
        self.assertIn(self.order.name, page.text, "the customer's orders are offered")
        self.assertNotIn(self.other_order.name, page.text)
        response = self._post_new(kind="quality", description="板材厚度不合格", sale_order_id=str(self.order.id))
        self.assertEqual(response.status_code, 200)
        complaint = self.env["credit.complaint"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(complaint, [{
            "channel": "portal", "kind": "quality", "description": "板材厚度不合格", "contact_id": self.contact.id,
            "sale_order_id": self.order.id, "state": "received", "department_id": self.department.id,
            "handler_id": self.sales_manager.id,
        }])
        self.assertTrue(response.url.endswith(f"/my/complaints/{complaint.id}?created=1"))
        self.assertIn("credit_complaint_created", response.text)
        self.assertIn(complaint.name, response.text)
        self.assertIn(self.contact, complaint.message_partner_ids,
                      "the customer follows its complaint")
        self.assertIn(self.sales_manager, complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(DEADLINE)).user_id)

        # the list and the home counter show it, not the other customer's
        listing = self.url_open("/my/complaints")
        self.assertIn(complaint.name, listing.text)
        self.assertNotIn(self.other_complaint.name, listing.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["credit_complaint_count"]})
        self.assertEqual(counters["credit_complaint_count"], 1)

        # the customer answers in the portal chatter
        page = self.url_open(f"/my/complaints/{complaint.id}")
        token = re.search(r'data-token="([^"]+)"', page.text).group(1)
        self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "credit.complaint", "thread_id": complaint.id, "token": token,
            "post_data": {"body": "Photos of the plates follow.", "message_type": "comment"},
        })
        self.assertTrue(complaint.message_ids.filtered(
            lambda m: m.author_id == self.contact and "Photos of the plates" in (m.body or "")))

        # handled, approved and fed back: the customer reads the answer on the portal
        mine = complaint.with_user(self.sales_manager)
        mine.write({"resolution": "The plates are replaced free of charge."})
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertNotIn("replaced free of charge", page.text, "not before the approval and feedback")
        mine.action_submit()
        complaint.with_user(self.general_manager).action_approve()
        complaint.with_user(self.credit_manager)._mark_fed_back()
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertIn("credit_complaint_resolution", page.text)
        self.assertIn("replaced free of charge", page.text)

    def test_other_customers_complaints_are_hidden(self):
        self.authenticate("complaint_portal", "complaint_portal")
        response = self.url_open(f"/my/complaints/{self.other_complaint.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn(f"/my/complaints/{self.other_complaint.id}", response.headers.get("Location", ""))
        Complaint = self.env["credit.complaint"].with_user(self.portal_user)
        self.assertFalse(Complaint.search([("id", "=", self.other_complaint.id)]))
        with self.assertRaises(AccessError):
            self.other_complaint.with_user(self.portal_user).read(["description"])
        with self.assertRaises(AccessError):
            Complaint.create({"partner_id": self.customer.id, "description": "direct"})

    def test_bad_input_is_refused_with_a_message(self):
        self.authenticate("complaint_portal", "complaint_portal")
        response = self._post_new(kind="quality", description="x", sale_order_id=str(self.other_order.id))
        self.assertIn("credit_complaint_error", response.text)
        self.assertIn("Unknown order", response.text)
        response = self._post_new(kind="quality", description="  ")
        self.assertIn("Describe your complaint", response.text)
        response = self._post_new(kind="lawsuit", description="x")
        self.assertIn("Choose what your complaint is about", response.text)
        self.assertFalse(self.env["credit.complaint"].search([("partner_id", "=", self.customer.id)]))

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.url_open("/my/complaints", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers.get("Location", ""))
