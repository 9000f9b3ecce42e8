from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditCareRecord(CreditCommon):
    """Relationship care (variant 5: holiday and event visits, product-use feedback, gifts),
    filed on the customer file (variants 2 and 3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesman = new_test_user(
            cls.env, login="care_other_salesman", name="Other Sales User",
            groups="base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        (cls.salesman | cls.other_salesman | cls.credit_manager).write({"tz": "Asia/Shanghai"})
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Care Customer", "is_company": True, "user_id": cls.salesman.id})
        cls.contact = Partner.create({"name": "Mrs Wang", "parent_id": cls.customer.id})
        cls.other_customer = Partner.create({
            "name": "Other Care Customer", "is_company": True, "user_id": cls.other_salesman.id,
        })
        cls.Care = cls.env["credit.care.record"]
        # noon in Shanghai, three days from now
        cls.planned = datetime.combine(cls.today + timedelta(days=3), datetime.min.time()) + timedelta(hours=4)

    def _care(self, user=None, **vals):
        user = user or self.salesman
        return self.Care.with_user(user).create({
            "partner_id": self.customer.id,
            "kind": "holiday_visit",
            "occasion": "spring_festival",
            "date_planned": self.planned,
            **vals,
        })

    def _care_activities(self, record):
        return self.env["mail.activity"].search([
            ("res_model", "=", "credit.care.record"), ("res_id", "=", record.id),
        ])

    # ------------------------------------------------------------------
    # Planning and the activity of the responsible
    # ------------------------------------------------------------------
    def test_plan_holiday_visit_schedules_activity(self):
        care = self._care(contact_id=self.contact.id)
        self.assertEqual(care.state, "planned")
        self.assertEqual(care.user_id, self.salesman, "the responsible defaults to the current user")
        self.assertIn("Spring Festival", care.name)
        self.assertIn("Care Customer", care.name)
        activity = self._care_activities(care)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=3))
        file = self.env["credit.customer.file"]._file_for(self.customer)
        self.assertEqual(care.confidential_file_id, file, "the record is filed on the customer file")

        # moved and handed over: the one activity follows
        care.with_user(self.salesman).write({
            "date_planned": self.planned + timedelta(days=2), "user_id": self.credit_manager.id,
        })
        activity = self._care_activities(care)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.credit_manager)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=5))

    def test_planned_date_in_responsible_time_zone(self):
        # 20:00 UTC is already the next day in Shanghai
        late = datetime.combine(self.today, datetime.min.time()) + timedelta(hours=20)
        care = self._care(date_planned=late)
        self.assertEqual(self._care_activities(care).date_deadline, self.today + timedelta(days=1))

    def test_form_defaults(self):
        form = Form(self.Care.with_user(self.salesman))
        form.partner_id = self.customer
        form.kind = "feedback"
        self.assertEqual(form.user_id, self.salesman)
        self.assertEqual(form.company_id, self.company)
        self.assertIn("Product-Use Feedback", form.name)
        care = form.save()
        self.assertEqual(care.state, "planned")

    def test_contact_of_the_customer_only(self):
        stranger = self.env["res.partner"].create({"name": "Stranger", "parent_id": self.other_customer.id})
        with self.assertRefused(ValidationError, "is not a contact of"):
            self._care(contact_id=stranger.id)
        with self.assertRefused(ValidationError, "customer company"):
            self._care(partner_id=self.contact.id)

    # ------------------------------------------------------------------
    # Mark as done
    # ------------------------------------------------------------------
    def test_mark_done_requires_outcome(self):
        care = self._care()
        with self.assertRefused(UserError, "cannot be marked as done: Write down the outcome first"):
            care.action_done()
        self.assertEqual(care.state, "planned")
        care.outcome = "Brought the new year greetings; they plan a bigger order in March."
        care.action_done()
        self.assertEqual(care.state, "done")
        self.assertEqual(care.date_done, fields.Date.context_today(care))
        self.assertFalse(self._care_activities(care), "the activity is done with the visit")
        self.assertTrue(care.message_ids.filtered(lambda m: "Brought the new year" in (m.body or "")),
                        "the done activity is logged with the outcome")
        with self.assertRefused(UserError, "already done or cancelled"):
            care.action_done()

    def test_cancel_and_plan_again(self):
        care = self._care().with_user(self.salesman)
        care.action_cancel()
        self.assertEqual(care.state, "cancel")
        self.assertFalse(self._care_activities(care))
        care.action_plan_again()
        self.assertEqual(care.state, "planned")
        self.assertEqual(len(self._care_activities(care)), 1)

    def test_product_use_feedback_with_rating(self):
        care = self._care(kind="feedback", occasion=False, product_ids=[Command.set(self.product.ids)])
        care.outcome = "Visited the workshop."
        with self.assertRefused(UserError, "feedback on the products"):
            care.action_done()
        care.feedback = "Works well, the packaging is too weak."
        with self.assertRefused(UserError, r"Rate the customer's satisfaction \(1 to 5\)"):
            care.action_done()
        care.satisfaction = "4"
        care.action_done()
        self.assertEqual(care.state, "done")
        self.assertEqual(care.satisfaction_score, 4)
        self.assertEqual(care.product_ids, self.product)
        self._care(kind="feedback", satisfaction="2")
        groups = self.Care.with_user(self.salesman)._read_group(
            [("kind", "=", "feedback"), ("partner_id", "=", self.customer.id)], [], ["satisfaction_score:avg"])
        self.assertEqual(groups[0][0], 3.0)

    def test_gift_with_value(self):
        care = self._care(kind="gift", occasion="mid_autumn", gift_value=880.0)
        self.assertEqual(care.currency_id, self.company.currency_id)
        care.outcome = "Delivered to the purchasing department."
        with self.assertRefused(UserError, "Describe the gift first"):
            care.action_done()
        care.gift_description = "Mooncake boxes"
        care.action_done()
        self._care(kind="gift", gift_value=120.0)
        self._care(kind="routine_visit")
        groups = dict(self.Care.with_user(self.salesman)._read_group(
            [("partner_id", "=", self.customer.id)], ["kind"], ["gift_value:sum"]))
        self.assertEqual(groups["gift"], 1000.0)
        self.assertEqual(groups["routine_visit"], 0.0)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._care(kind="gift", gift_value=-5.0)

    # ------------------------------------------------------------------
    # The customer file and the partner
    # ------------------------------------------------------------------
    def test_shown_on_file_and_partner(self):
        visit = self._care(outcome="Greetings brought.")
        visit.action_done()
        gift = self._care(kind="gift", gift_value=100.0)
        self._care(kind="routine_visit")  # planned, not done: not a visit of the year yet
        file = self.env["credit.customer.file"]._file_for(self.customer).with_user(self.salesman)
        self.assertEqual(len(file.care_record_ids), 3)
        self.assertIn(visit, file.care_record_ids)
        self.assertIn(gift, file.care_record_ids)
        self.assertEqual(file.care_record_count, 3)
        self.assertEqual(file.care_visit_count_year, 1)
        partner = self.customer.with_user(self.salesman)
        self.assertEqual(partner.credit_care_record_count, 3)
        self.assertEqual(self.contact.with_user(self.salesman).credit_care_record_count, 3,
                         "a contact shows the records of its company")
        action = file.action_view_care_records()
        self.assertEqual(self.Care.with_user(self.salesman).search(action["domain"]), file.care_record_ids)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        action = partner.action_view_credit_care_records()
        self.assertEqual(self.Care.with_user(self.salesman).search_count(action["domain"]), 3)
        self.assertEqual(self.other_customer.with_user(self.salesman).credit_care_record_count, 0)

    def test_views_for_salesman(self):
        care = self._care()
        views = self.Care.with_user(self.salesman).get_views(
            [(False, mode) for mode in ("list", "form", "kanban", "calendar", "pivot", "graph", "search")])
        self.assertEqual(views["views"]["calendar"]["arch"].count('date_start="date_planned"'), 1)
        file = care.confidential_file_id.with_user(self.salesman)
        arch = file.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_view_care_records", arch)
        self.assertIn('name="care_record_ids"', arch)
        arch = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_view_credit_care_records", arch)
        with Form(file) as form:
            self.assertEqual(form.care_record_count, 1)

    # ------------------------------------------------------------------
    # Who reads what
    # ------------------------------------------------------------------
    def test_other_salesman_cannot_read(self):
        care = self._care()
        stranger = care.with_user(self.other_salesman)
        with self.assertRaises(AccessError):
            stranger.read(["name"])
        self.assertFalse(self.Care.with_user(self.other_salesman).search([("id", "=", care.id)]))
        self.assertEqual(self.customer.with_user(self.other_salesman).credit_care_record_count, 0)
        with self.assertRefused(AccessError):
            self._care(user=self.other_salesman)
        # the other salesman cares for his own customer, the salesman does not see it
        own = self._care(user=self.other_salesman, partner_id=self.other_customer.id)
        self.assertEqual(own.confidential_file_id.partner_id, self.other_customer)
        with self.assertRaises(AccessError):
            own.with_user(self.salesman).read(["name"])

    def test_credit_manager_reads_all(self):
        mine = self._care()
        theirs = self._care(user=self.other_salesman, partner_id=self.other_customer.id)
        found = self.Care.with_user(self.credit_manager).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(found, mine | theirs)
        self.assertEqual(self.other_customer.with_user(self.credit_manager).credit_care_record_count, 1)
        theirs.with_user(self.credit_manager).unlink()
        with self.assertRefused(AccessError):
            mine.with_user(self.salesman).unlink()

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Care Company B"})
        self.credit_manager.write({"company_ids": [Command.link(company_b.id)]})
        foreign = self.Care.with_user(self.credit_manager).with_company(company_b).create({
            "partner_id": self.customer.id, "kind": "gift", "date_planned": self.planned,
            "gift_value": 50.0,
        })
        self.assertEqual(foreign.company_id, company_b)
        self.assertEqual(foreign.confidential_file_id.company_id, company_b,
                         "the record is filed on the customer file of its company")
        with self.assertRaises(AccessError):
            foreign.with_user(self.salesman).read(["name"])
        self.assertEqual(self.customer.with_user(self.salesman).credit_care_record_count, 0)
        # a customer of company B only cannot be cared for in company A
        customer_b = self.env["res.partner"].create({
            "name": "Company B Customer", "is_company": True, "company_id": company_b.id,
        })
        with self.assertRefused(UserError, "[Cc]ompan"):
            self.Care.with_user(self.credit_manager).create({
                "partner_id": customer_b.id, "kind": "routine_visit", "date_planned": self.planned,
            })
