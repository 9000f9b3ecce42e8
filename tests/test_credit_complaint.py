from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditArchiveCommon

DEADLINE = "customer_credit_archive.mail_activity_type_credit_complaint_deadline"
APPROVAL = "customer_credit_archive.mail_activity_type_credit_complaint_approval"
FEEDBACK = "customer_credit_archive.mail_activity_type_credit_complaint_feedback"
ESCALATION = "customer_credit_archive.mail_activity_type_credit_complaint_escalation"


class CreditComplaintCommon(CreditArchiveCommon):
    """The complaint route of the company: the sales department (its manager is the borrower's
    manager of CreditArchiveCommon), production and after-sales, each with a plain-employee manager;
    a General Manager; a customer with a contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]
        cls.general_manager = new_test_user(
            cls.env, login="complaint_gm", name="General Manager", email="gm@example.com",
            groups="base.group_user,customer_credit_archive.group_credit_general_manager",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.production_manager = new_test_user(
            cls.env, login="complaint_production", name="Production Manager", groups="base.group_user",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.aftersales_manager = new_test_user(
            cls.env, login="complaint_aftersales", name="After-Sales Manager", groups="base.group_user",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.outsider = new_test_user(
            cls.env, login="complaint_outsider", name="Outsider", groups="base.group_user",
            company_id=cls.company.id, company_ids=company_ids,
        )
        Department = cls.env["hr.department"]
        Employee = cls.env["hr.employee"]
        cls.production = Department.create({
            "name": "Production", "company_id": cls.company.id,
            "manager_id": Employee.create({"name": "Production Manager", "user_id": cls.production_manager.id}).id,
        })
        cls.aftersales = Department.create({
            "name": "After-Sales", "company_id": cls.company.id,
            "manager_id": Employee.create({"name": "After-Sales Manager", "user_id": cls.aftersales_manager.id}).id,
        })
        cls.company.write({
            "credit_complaint_sales_department_id": cls.department.id,
            "credit_complaint_production_department_id": cls.production.id,
            "credit_complaint_service_department_id": cls.aftersales.id,
        })
        cls.sales_manager = cls.borrower_manager
        cls.customer = cls._graded_customer("Complaining Co", cls.grade_b, user_id=cls.salesman.id,
                                            email="co@example.com")
        cls.contact = cls.env["res.partner"].create({
            "name": "Buyer Wang", "parent_id": cls.customer.id, "email": "wang@example.com",
        })

    def _complaint(self, user=None, **vals):
        return self.env["credit.complaint"].with_user(user or self.salesman).create({
            "partner_id": self.customer.id,
            "contact_id": self.contact.id,
            "kind": "service",
            "description": "The goods arrived late.",
            **vals,
        })

    def _activities(self, complaint, xmlid):
        return complaint.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))


@tagged("post_install", "-at_install")
class TestCreditComplaint(CreditComplaintCommon):

    def test_route_per_kind(self):
        quality = self._complaint(kind="quality", severity="high")
        self.assertEqual(quality.name[:9], f"CMP/{self.today.year}/")
        self.assertEqual(quality.received_by_id, self.salesman)
        self.assertEqual(quality.department_id, self.department, "received by the business department")
        self.assertEqual(quality.production_department_id, self.production, "production helps (7.2)")
        self.assertEqual(quality.handler_id, self.sales_manager)
        self.assertEqual(self._activities(quality, DEADLINE).user_id, self.sales_manager | self.production_manager)
        self.assertEqual(set(self._activities(quality, DEADLINE).mapped("date_deadline")), {self.today + timedelta(2)})

        service = self._complaint(kind="service")
        self.assertEqual(service.department_id, self.department)
        self.assertFalse(service.production_department_id, "the department alone handles service (7.3)")
        self.assertEqual(service.handler_id, self.sales_manager)
        self.assertEqual(self._activities(service, DEADLINE).user_id, self.sales_manager)

        repair = self._complaint(kind="repair")
        self.assertEqual(repair.department_id, self.aftersales)
        self.assertEqual(repair.handler_id, self.aftersales_manager)

        other = self._complaint(kind="other")
        self.assertFalse(other.department_id)
        self.assertEqual(other.handler_id, self.credit_manager, "the credit office")

        # without a department manager, the customer's salesperson handles it
        self.company.credit_complaint_sales_department_id = False
        self.assertEqual(self._complaint(kind="service").handler_id, self.salesman)

        # the route follows a change of kind made in the form
        with Form(self.env["credit.complaint"].with_user(self.salesman)) as form:
            form.partner_id = self.customer
            form.description = "Broken"
            form.kind = "repair"
            self.assertEqual(form.department_id, self.aftersales)
            self.assertEqual(form.handler_id, self.aftersales_manager)
            form.kind = "quality"
            self.assertEqual(form.production_department_id, self.production)

    def test_full_flow_as_real_users(self):
        complaint = self._complaint(channel="phone", severity="normal")
        handler = self.sales_manager  # a plain employee: he works the complaints he handles
        mine = complaint.with_user(handler)
        with self.assertRaisesRegex(UserError, "result of the handling"):
            mine.action_submit()
        with self.assertRaises(AccessError):
            complaint.with_user(self.outsider).read(["name"])
        mine.action_start()
        self.env.cr.precommit.run()  # mail.thread writes its tracking values at commit
        self.assertEqual(complaint.state, "in_progress")
        mine.write({"root_cause": "Carrier changed the route", "resolution": "Freight credited; deliveries confirmed."})
        mine.action_submit()
        self.env.cr.precommit.run()
        self.assertEqual(complaint.state, "to_approve")
        self.assertFalse(self._activities(complaint, DEADLINE), "the handler's activity is done")
        self.assertIn(self.general_manager, self._activities(complaint, APPROVAL).user_id)

        for user in (handler, self.salesman, self.credit_manager):
            with self.assertRefused(AccessError, "Only the General Manager"):
                complaint.with_user(user).action_approve()
        complaint.with_user(self.general_manager).action_approve()
        self.env.cr.precommit.run()
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.approved_by_id, self.general_manager)
        self.assertFalse(self._activities(complaint, APPROVAL))
        self.assertEqual(self._activities(complaint, FEEDBACK).user_id, self.credit_manager, "the office feeds back")

        # the office feeds the result back by email, from the template, in the customer's language
        action = complaint.with_user(self.credit_manager).action_send_feedback()
        composer = Form(self.env["mail.compose.message"].with_user(self.credit_manager).with_context(
            **action["context"])).save()
        self.assertIn("our answer", composer.subject)
        self.assertIn("Freight credited", composer.body)
        self.assertEqual(composer.partner_ids, self.contact)
        composer._action_send_mail()
        self.env.cr.precommit.run()
        self.assertEqual(complaint.state, "fed_back")
        self.assertEqual(complaint.fed_back_by_id, self.credit_manager)
        message = complaint.message_ids.filtered(lambda m: m.subject and "our answer" in m.subject)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.contact)
        self.assertFalse(self._activities(complaint, FEEDBACK))

        mine.action_close()
        self.env.cr.precommit.run()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.closed_date, self.today)
        tracked = complaint.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(len(tracked), 5, "every step is in the chatter")

    def test_feedback_template_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.contact.lang = "fr_FR"
        complaint = self._complaint()
        template = self.env.ref("customer_credit_archive.mail_template_credit_complaint_feedback")
        self.assertEqual(template._render_lang(complaint.ids), {complaint.id: "fr_FR"})
        complaint.contact_id = False
        self.customer.lang = "en_US"
        self.assertEqual(template._render_lang(complaint.ids), {complaint.id: "en_US"})

    def test_refusal_sends_back_with_reason(self):
        complaint = self._complaint()
        mine = complaint.with_user(self.sales_manager)
        mine.write({"resolution": "Apologies."})
        mine.action_submit()
        with self.assertRefused(AccessError):
            complaint.with_user(self.credit_manager).action_open_refuse_wizard()
        with self.assertRefused(AccessError):
            complaint.with_user(self.sales_manager).action_refuse("No")
        with self.assertRefused(UserError, "reason"):
            complaint.with_user(self.general_manager).action_refuse(" ")
        action = complaint.with_user(self.general_manager).action_open_refuse_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.general_manager).with_context(**action["context"]))
        wizard.reason = "Offer a replacement, not only apologies."
        wizard.save().action_refuse()
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.refuse_reason, "Offer a replacement, not only apologies.")
        self.assertFalse(self._activities(complaint, APPROVAL))
        self.assertEqual(self._activities(complaint, DEADLINE).user_id, self.sales_manager, "back to the handler")
        with self.assertRefused(UserError, "cannot be approved"):
            complaint.with_user(self.general_manager).action_approve()

    def test_workflow_fields_set_by_buttons_only(self):
        complaint = self._complaint()
        with self.assertRefused(UserError, "set by its buttons"):
            complaint.with_user(self.credit_manager).write({"state": "closed"})
        with self.assertRefused(UserError, "set by its buttons"):
            self._complaint(user=self.credit_manager, approved_by_id=self.credit_manager.id)
        with self.assertRefused(AccessError, "handler"):
            complaint.with_user(self.salesman).action_start()
        with self.assertRefused(ValidationError, "company"):
            self._complaint(partner_id=self.contact.id)
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        with self.assertRefused(ValidationError, "belong to"):
            self._complaint(sale_order_id=self._order(other, 100).id)

    def test_deadlines_per_severity_and_escalation(self):
        self.company.write({"credit_complaint_days_low": 10, "credit_complaint_days_critical": 1})
        with freeze_time("2026-03-02"):
            complaint = self._complaint(severity="critical", date=date(2026, 3, 2))
            self.assertEqual(complaint.date_deadline, date(2026, 3, 3))
            complaint.with_user(self.salesman).severity = "low"
            self.assertEqual(complaint.date_deadline, date(2026, 3, 12))
            activity = self._activities(complaint, DEADLINE).filtered(lambda a: a.user_id == self.sales_manager)
            self.assertEqual(activity.date_deadline, date(2026, 3, 12), "the activity follows the deadline")
            complaint.with_user(self.credit_manager).handler_id = self.salesman
            self.assertEqual(self._activities(complaint, DEADLINE).user_id, self.salesman)
            done = self._complaint(kind="repair", severity="critical", date=date(2026, 3, 2))
            done.with_user(self.aftersales_manager).action_cancel()
        with freeze_time("2026-03-12"):
            self.env["credit.complaint"]._cron_overdue_complaints()
            self.assertFalse(complaint.is_overdue)
            self.assertFalse(complaint.escalation_date)
        with freeze_time("2026-03-13"):
            complaint.invalidate_recordset(["is_overdue"])  # not stored: computed again for the new day
            self.assertTrue(complaint.is_overdue)
            Complaint = self.env["credit.complaint"].with_user(self.credit_manager)
            self.assertIn(complaint, Complaint.search([("is_overdue", "=", True)]))
            self.assertNotIn(done, Complaint.search([("is_overdue", "=", True)]), "cancelled: not overdue")
            self.env["credit.complaint"]._cron_overdue_complaints()
            self.assertEqual(complaint.escalation_date, date(2026, 3, 13))
            self.assertEqual(complaint.escalated_to_id, self.sales_manager, "the receiving department's manager")
            self.assertEqual(self._activities(complaint, ESCALATION).user_id, self.sales_manager)
            self.assertFalse(done.escalation_date)
        with freeze_time("2026-03-14"):
            self.env["credit.complaint"]._cron_overdue_complaints()
            self.assertEqual(len(self._activities(complaint, ESCALATION)), 1, "escalated once")
            self.assertEqual(complaint.escalation_date, date(2026, 3, 13))

    def test_escalation_without_department_goes_to_the_office(self):
        complaint = self._complaint(kind="other", date=self.today - timedelta(days=30))
        self.env["credit.complaint"]._cron_overdue_complaints()
        self.assertEqual(complaint.escalated_to_id, self.credit_manager)

    def test_counted_in_year_end_review(self):
        self._complaint(date=self.today)
        self._complaint(kind="quality", date=self.today)
        self._complaint(date=date(self.today.year - 2, 1, 1))  # before the review period
        campaign = self.env["credit.review.campaign"].with_user(self.credit_manager).create({"date": self.today})
        campaign._run()
        review = campaign.review_ids.filtered(lambda r: r.partner_id == self.customer)
        self.assertTrue(review.complaints_counted)
        self.assertEqual(review.complaint_count, 2)

    def test_counts_on_customer_and_file(self):
        self._complaint()
        self._complaint(kind="repair")
        customer = self.customer.with_user(self.salesman)
        self.assertEqual(customer.credit_complaint_count, 2)
        action = customer.action_view_credit_complaints()
        self.assertEqual(len(self.env["credit.complaint"].with_user(self.salesman).search(action["domain"])), 2)
        file = self.env["credit.customer.file"]._file_for(self.customer, self.company)
        self.assertEqual(file.with_user(self.salesman).complaint_count, 2)
        self.assertEqual(file.with_user(self.salesman).action_view_complaints()["context"]["default_partner_id"],
                         self.customer.id)


@tagged("post_install", "-at_install", "security")
class TestCreditComplaintAccess(CreditComplaintCommon):

    def test_access_per_group(self):
        complaint = self._complaint()
        # a credit user files and reads, does not delete
        self.assertEqual(complaint.with_user(self.salesman).read(["state"])[0]["state"], "received")
        with self.assertRefused(AccessError):
            complaint.with_user(self.salesman).unlink()
        # a plain employee reads only the complaints he handles or manages
        with self.assertRefused(AccessError):
            self.env["credit.complaint"].with_user(self.outsider).create({
                "partner_id": self.customer.id, "description": "x"})
        self.assertFalse(self.env["credit.complaint"].with_user(self.outsider).search([]))
        self.assertEqual(self.env["credit.complaint"].with_user(self.sales_manager).search([]), complaint)
        quality = self._complaint(kind="quality")
        self.assertIn(quality, self.env["credit.complaint"].with_user(self.production_manager).search([]),
                      "production reads the quality complaints it helps with")
        self.assertNotIn(complaint, self.env["credit.complaint"].with_user(self.production_manager).search([]))
        # the credit manager deletes only a cancelled complaint
        with self.assertRefused(UserError, "cancel"):
            complaint.with_user(self.credit_manager).unlink()
        complaint.with_user(self.credit_manager).action_cancel()
        complaint.with_user(self.credit_manager).unlink()
        self.assertFalse(complaint.exists())

    def test_confidential_file_hides_complaints_from_other_salespeople(self):
        other_salesman = new_test_user(
            self.env, login="complaint_other_salesman", groups="sales_team.group_sale_salesman",
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)],
        )
        other = self._graded_customer("No File Co", self.grade_b, user_id=self.salesman.id)
        without_file = self._complaint(partner_id=other.id, contact_id=False)
        self.assertTrue(without_file.with_user(other_salesman).has_access("read"), "no file: every credit user reads")
        # the customer's file is a personal file (个人级) of its salesperson
        file = self.env["credit.customer.file"]._file_for(self.customer, self.company)
        self.assertEqual((file.confidential_tier, file.confidential_owner_id), ("personal", self.salesman))
        complaint = self._complaint()
        self.assertEqual(complaint.confidential_file_id, file)
        self.assertFalse(complaint.with_user(other_salesman).has_access("read"))
        self.assertTrue(complaint.with_user(self.salesman).has_access("read"))
        self.assertTrue(complaint.with_user(self.general_manager).has_access("read"))

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Complaint Company B"})
        complaint_b = self.env["credit.complaint"].with_company(company_b).create({
            "partner_id": self.customer.id, "description": "Other company", "company_id": company_b.id,
        })
        self.assertNotIn(complaint_b, self.env["credit.complaint"].with_user(self.credit_manager).search([]))
        with self.assertRefused(AccessError):
            complaint_b.with_user(self.credit_manager).read(["name"])
        order_a = self._order(self.customer, 100)
        with self.assertRefused(UserError):
            self.env["credit.complaint"].with_company(company_b).create({
                "partner_id": self.customer.id, "description": "x", "company_id": company_b.id,
                "sale_order_id": order_a.id,
            })
