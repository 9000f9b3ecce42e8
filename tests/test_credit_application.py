from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCommon

APPROVAL_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_approval"
INVESTIGATION_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_investigation"


@tagged("post_install", "-at_install")
class TestCreditApplication(CreditCommon):
    """Credit application (客户信用申请表), investigation (客户调查表) and approval (客户信用审批表)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = new_test_user(
            cls.env, login="credit_manager_2", name="Second Credit Manager",
            groups="base.group_partner_manager,sales_team.group_sale_salesman_all_leads,"
            "customer_credit_archive.group_credit_manager",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.salesman_2 = new_test_user(
            cls.env, login="credit_salesman_2", name="Other Sales User",
            groups="base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer = cls._graded_customer("Applicant Co", cls.grade_c)
        cls.agency = cls.env["res.partner"].create({"name": "Credit Agency Ltd", "is_company": True})
        cls.company.credit_application_double_threshold = 0.0

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _application(self, grade=None, user=None, **vals):
        return self.env["credit.application"].with_user(user or self.salesman).create({
            "partner_id": self.customer.id,
            "requested_grade_id": (grade or self.grade_b).id,
            "investigator_id": self.salesman.id,
            **vals,
        })

    def _submitted(self, grade=None, **vals):
        """An application investigated by the salesman and submitted, as the salesman's record."""
        application = self._application(grade)
        application.with_user(self.credit_manager).action_start_investigation()
        application.write({"score": 75, "investigation_conclusion": "Sound customer.", **vals})
        application.action_submit()
        self.assertEqual(application.state, "submitted")
        return application

    def _activity_users(self, application, xmlid):
        activity_type = self.env.ref(xmlid)
        return application.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id

    # ------------------------------------------------------------------
    # request
    # ------------------------------------------------------------------
    def test_request_defaults(self):
        with Form(self.env["credit.application"].with_user(self.salesman)) as form:
            form.partner_id = self.customer
            self.assertEqual(form.current_grade_id, self.grade_c)
            self.assertEqual(form.current_limit, self.grade_c.credit_limit)
            self.assertEqual(form.current_payment_term_id, self.grade_c.payment_term_id)
            form.requested_grade_id = self.grade_b
            self.assertEqual(form.requested_limit, self.grade_b.credit_limit)
            self.assertEqual(form.requested_payment_term_id, self.grade_b.payment_term_id)
            # the request can be adjusted; the approval starts from it
            form.requested_limit = 150000
            self.assertEqual(form.approved_grade_id, self.grade_b)
            self.assertEqual(form.approved_limit, 150000)
            self.assertEqual(form.approved_payment_term_id, self.grade_b.payment_term_id)
            # only Credit Managers decide
            self.assertTrue(form._get_modifier("approved_limit", "readonly"))
        application = form.record
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.user_id, self.salesman)
        self.assertEqual(application.company_id, self.company)
        self.assertTrue(application.name.startswith(f"CA/{fields.Date.today().year}/"), application.name)
        self.assertEqual(application.requested_limit, 150000)
        form = Form(application.with_user(self.credit_manager))
        self.assertFalse(form._get_modifier("approved_limit", "readonly"))

    def test_request_checks(self):
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": self.customer.id})
        with self.assertRefused(ValidationError, "not for its contact"):
            self._application(partner_id=contact.id)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._application(requested_limit=-1)
        # a salesperson cannot preset the decision nor the workflow
        with self.assertRefused(AccessError, "Only a Credit Manager can set the Approved Limit"):
            self._application(approved_limit=900000)
        with self.assertRefused(AccessError, "set by its buttons"):
            self._application(state="approved")
        application = self._application()
        with self.assertRefused(AccessError, "Only a Credit Manager can set the Approved Grade"):
            application.write({"approved_grade_id": self.grade_a.id})
        with self.assertRefused(AccessError, "set by its buttons"):
            application.write({"first_approver_id": self.credit_manager.id})
        with self.assertRefused(AccessError, "set by its buttons"):
            application.write({"state": "submitted"})
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.approved_grade_id, self.grade_b)

    # ------------------------------------------------------------------
    # investigation and submission
    # ------------------------------------------------------------------
    def test_start_investigation_rights(self):
        application = self._application(investigator_id=False)
        with self.assertRefused(AccessError, "Only a Credit Manager"):
            application.action_start_investigation()
        self.assertEqual(application.state, "draft")
        application.with_user(self.credit_manager).action_start_investigation()
        self.assertEqual(application.state, "investigation")
        self.assertTrue(application.investigation_date)
        self.assertEqual(application.investigator_id, self.credit_manager, "the credit office investigates itself")
        with self.assertRefused(UserError, "not a draft"):
            application.with_user(self.credit_manager).action_start_investigation()

    def test_investigator_gets_activity(self):
        application = self._application()
        application.with_user(self.credit_manager).action_start_investigation()
        self.assertEqual(self._activity_users(application, INVESTIGATION_ACTIVITY), self.salesman)

    def test_submit_rights_and_requirements(self):
        application = self._application()
        with self.assertRefused(UserError, "not under investigation"):
            application.action_submit()
        application.with_user(self.credit_manager).action_start_investigation()
        with self.assertRefused(UserError, "credit score"):
            application.action_submit()
        with self.assertRefused(ValidationError, "between 0 and 100"):
            application.score = 101
        application.score = 80
        with self.assertRefused(UserError, "conclusion"):
            application.action_submit()
        application.investigation_conclusion = "Pays on time, growing business."
        # another salesperson is not the investigator
        with self.assertRefused(AccessError, "Only the investigator"):
            application.with_user(self.salesman_2).action_submit()
        application.action_submit()
        self.assertEqual(application.state, "submitted")
        self.assertTrue(application.submission_date)
        # the investigation is done; the credit responsible has to approve
        self.assertFalse(self._activity_users(application, INVESTIGATION_ACTIVITY))
        self.assertEqual(self._activity_users(application, APPROVAL_ACTIVITY), self.credit_manager)
        # submitted: request and investigation are frozen
        with self.assertRefused(UserError, "can no longer be changed"):
            application.write({"requested_limit": 999999})
        with self.assertRefused(UserError, "can no longer be changed"):
            application.write({"score": 100})

    def test_manager_submits_for_investigator(self):
        application = self._application()
        application.with_user(self.credit_manager).action_start_investigation()
        application.write({"score": 60, "investigation_conclusion": "Acceptable."})
        application.with_user(self.manager_2).action_submit()
        self.assertEqual(application.state, "submitted")

    def test_investigation_figures(self):
        application = self._application()
        application.with_user(self.credit_manager).action_start_investigation()
        application.write({
            "revenue": 2000000,
            "net_profit": -50000,
            "total_assets": 1000000,
            "total_liabilities": 400000,
            "agency_report_ids": [
                Command.create({"agency_id": self.agency.id, "cost": 1200, "conclusion": "No default"}),
                Command.create({"agency_id": self.agency.id, "cost": 800, "conclusion": "Good payer"}),
            ],
        })
        self.assertAlmostEqual(application.debt_ratio, 40.0)
        self.assertEqual(application.agency_cost_total, 2000)
        self.assertEqual(application.agency_report_ids.company_id, self.company)
        application.total_assets = 0
        self.assertEqual(application.debt_ratio, 0.0)
        with self.assertRefused(ValidationError, "cannot be negative"):
            application.agency_report_ids[:1].cost = -5
        with self.assertRefused(ValidationError, "cannot be negative"):
            application.total_liabilities = -1
        # visit reports of this customer only (the salesman's customers: he writes in their files)
        (self.customer | self.agency).user_id = self.salesman
        visit = self.env["credit.visit.report"].with_user(self.salesman).create({"partner_id": self.customer.id})
        other = self.env["credit.visit.report"].with_user(self.salesman).create({
            "partner_id": self.agency.id,
        })
        with self.assertRefused(ValidationError, "must be reports on"):
            application.visit_report_ids = [Command.link(other.id)]
        attachment = self.env["ir.attachment"].with_user(self.salesman).create({
            "name": "balance_sheet.pdf", "raw": b"%PDF-1.4", "res_model": application._name, "res_id": application.id,
        })
        application.write({
            "visit_report_ids": [Command.link(visit.id)], "attachment_ids": [Command.link(attachment.id)],
        })
        self.assertEqual(application.visit_report_ids, visit)
        self.assertEqual(application.attachment_ids, attachment)
        # frozen once submitted; a salesperson never deletes a line
        with self.assertRefused(AccessError):
            application.agency_report_ids[:1].unlink()
        application.write({"score": 70, "investigation_conclusion": "Fine."})
        application.action_submit()
        with self.assertRefused(UserError, "can no longer be changed"):
            application.write({"agency_report_ids": [Command.create({"agency_id": self.agency.id, "cost": 10})]})
        with self.assertRefused(UserError, "can no longer be changed"):
            application.agency_report_ids[:1].cost = 10
        self.assertEqual(application.agency_cost_total, 2000)

    # ------------------------------------------------------------------
    # approval
    # ------------------------------------------------------------------
    def test_approval_applies_profile(self):
        application = self._submitted()
        with self.assertRefused(AccessError, "Only a Credit Manager can approve"):
            application.action_approve()
        as_manager = application.with_user(self.credit_manager)
        as_manager.write({"approved_limit": 150000, "approval_note": "Start below the grade's limit."})
        as_manager.action_approve()
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.first_approver_id, self.credit_manager)
        self.assertTrue(application.first_approval_date)
        self.assertFalse(application.second_approver_id)
        self.assertEqual(application.previous_grade_id, self.grade_c)
        self.assertEqual(application.previous_limit, self.grade_c.credit_limit)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_grade_id, self.grade_b)
        self.assertEqual(self.customer.credit_limit, 150000)
        self.assertEqual(self.customer.property_payment_term_id, self.grade_b.payment_term_id)
        self.assertEqual(self.customer.credit_discount, self.grade_b.discount, "the discount follows the grade")
        history = self._last_history(self.customer)
        self.assertEqual(history.reason, f"Credit application {application.name}")
        self.assertEqual(history.old_grade_id, self.grade_c)
        self.assertEqual(history.new_grade_id, self.grade_b)
        self.assertEqual(history.new_limit, 150000)
        self.assertEqual(history.user_id, self.credit_manager)
        self.assertEqual(history.company_id, self.company)
        self.assertTrue(application.message_ids.filtered(lambda m: "Approved by Credit Manager" in m.body))
        self.assertTrue(self.customer.message_ids.filtered(lambda m: application.name in m.body))
        self.assertFalse(self._activity_users(application, APPROVAL_ACTIVITY), "the approval is done")
        # decided: frozen
        with self.assertRefused(UserError, "can no longer be changed"):
            as_manager.write({"approved_limit": 1})
        with self.assertRefused(UserError, "not submitted"):
            as_manager.action_approve()
        with self.assertRefused(UserError, "cannot be deleted"):
            as_manager.unlink()

    def test_approval_other_grade(self):
        application = self._submitted()
        as_manager = application.with_user(self.credit_manager)
        as_manager.approved_grade_id = self.grade_d
        self.assertEqual(application.approved_limit, 0, "another grade brings its own limit")
        self.assertEqual(application.approved_payment_term_id, self.grade_d.payment_term_id)
        as_manager.action_approve()
        self.assertEqual(self.customer.credit_grade_id, self.grade_d)
        self.assertEqual(self.customer.credit_limit, 0)
        self.assertTrue(self.customer.credit_immediate_settlement, "grade D buys for cash only")

    def test_reject_needs_reason(self):
        application = self._submitted()
        with self.assertRefused(AccessError, "Only a Credit Manager can reject"):
            application.action_open_reject_wizard()
        with self.assertRefused(AccessError, "Only a Credit Manager can reject"):
            application.action_reject("No")
        as_manager = application.with_user(self.credit_manager)
        for reason in (None, "", "   "):
            with self.assertRefused(UserError, "reason"):
                as_manager.action_reject(reason)
        action = as_manager.action_open_reject_wizard()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"]))
        with self.assertRaises(AssertionError):
            wizard_form.save()  # the reason is required
        wizard_form.reason = "Liabilities above the assets."
        wizard_form.save().action_reject()
        self.assertEqual(application.state, "rejected")
        self.assertEqual(application.rejection_reason, "Liabilities above the assets.")
        self.assertTrue(application.message_ids.filtered(lambda m: "Liabilities above the assets." in m.body))
        self.assertFalse(self._activity_users(application, APPROVAL_ACTIVITY))
        self.assertEqual(self.customer.credit_grade_id, self.grade_c, "a rejection changes nothing")
        # back to draft: Credit Managers only
        with self.assertRefused(AccessError, "Only a Credit Manager"):
            application.action_reset_to_draft()
        as_manager.action_reset_to_draft()
        self.assertEqual(application.state, "draft")
        self.assertFalse(application.rejection_reason)
        self.assertFalse(application.first_approver_id)
        with self.assertRefused(AccessError):
            application.unlink()
        as_manager.unlink()
        self.assertFalse(application.exists())

    def test_double_approval(self):
        self.company.credit_application_double_threshold = 100000
        application = self._submitted()  # grade B: 200000, above the threshold
        self.assertTrue(application.needs_double_approval)
        application.with_user(self.credit_manager).action_approve()
        self.assertEqual(application.state, "submitted", "a first approval is not enough")
        self.assertEqual(application.first_approver_id, self.credit_manager)
        self.assertEqual(self.customer.credit_grade_id, self.grade_c, "nothing applied yet")
        self.assertIn(self.manager_2, self._activity_users(application, APPROVAL_ACTIVITY))
        self.assertNotIn(self.credit_manager, self._activity_users(application, APPROVAL_ACTIVITY))
        with self.assertRefused(UserError, "second, different Credit Manager"):
            application.with_user(self.credit_manager).action_approve()
        self.assertEqual(application.state, "submitted")
        application.with_user(self.manager_2).action_approve()
        self.assertEqual(application.state, "approved")
        self.assertEqual(application.second_approver_id, self.manager_2)
        self.assertTrue(application.second_approval_date)
        self.assertEqual(self.customer.credit_grade_id, self.grade_b)
        self.assertEqual(self.customer.credit_limit, self.grade_b.credit_limit)
        history = self.env["credit.grade.history"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(history), 2, "the grading at creation, then the application")
        self.assertEqual(history[0].reason, f"Credit application {application.name}")
        self.assertEqual(history[0].user_id, self.manager_2)
        self.assertFalse(self._activity_users(application, APPROVAL_ACTIVITY))

    def test_double_approval_withdrawn_when_values_change(self):
        self.company.credit_application_double_threshold = 100000
        application = self._submitted()
        application.with_user(self.credit_manager).action_approve()
        application.with_user(self.manager_2).approved_limit = 180000
        self.assertFalse(application.first_approver_id, "the first approval covered other values")
        application.with_user(self.manager_2).action_approve()
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.first_approver_id, self.manager_2)
        application.with_user(self.credit_manager).action_approve()
        self.assertEqual(application.state, "approved")
        self.assertEqual(self.customer.credit_limit, 180000)

    def test_single_approval_below_threshold(self):
        self.company.credit_application_double_threshold = self.grade_b.credit_limit  # not above: one is enough
        application = self._submitted()
        self.assertFalse(application.needs_double_approval)
        application.with_user(self.credit_manager).action_approve()
        self.assertEqual(application.state, "approved")
        self.assertFalse(application.second_approver_id)
        self.assertEqual(self.customer.credit_grade_id, self.grade_b)

    # ------------------------------------------------------------------
    # multi-company, tracking, screens
    # ------------------------------------------------------------------
    def test_multi_company(self):
        company_b = self.setup_other_company(name="Credit Co B")["company"]
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=[company_b.id]))
        self.customer.with_company(company_b).credit_grade_id = self.grade_d
        application = env_b["credit.application"].create({
            "partner_id": self.customer.id,
            "requested_grade_id": self.grade_a.id,
            "investigator_id": self.env.user.id,
        })
        self.assertEqual(application.company_id, company_b)
        self.assertEqual(application.current_grade_id, self.grade_d, "the profile in the application's company")
        # invisible to the people of company A
        Application = self.env["credit.application"].with_user(self.salesman)
        self.assertFalse(Application.search([("id", "=", application.id)]))
        with self.assertRaises(AccessError):
            application.with_user(self.salesman).read(["name"])
        self.assertEqual(self.customer.with_user(self.salesman).credit_application_count, 0)
        # approved in company B, applied in company B only
        application.action_start_investigation()
        application.write({"score": 90, "investigation_conclusion": "Excellent."})
        application.action_submit()
        application.action_approve()
        self.assertEqual(application.state, "approved")
        self.assertEqual(self.customer.with_company(company_b).credit_grade_id, self.grade_a)
        self.assertEqual(self.customer.with_company(company_b).credit_limit, self.grade_a.credit_limit)
        self.assertEqual(self.customer.credit_grade_id, self.grade_c, "company A keeps its grade")
        history = self.env["credit.grade.history"].search([
            ("partner_id", "=", self.customer.id), ("reason", "=", f"Credit application {application.name}"),
        ])
        self.assertEqual(history.company_id, company_b)

    def test_state_tracking(self):
        application = self._application()
        # a record is not tracked in the transaction that creates it: end that transaction first
        self.env.flush_all()
        self.env.cr.precommit.run()
        application.with_user(self.credit_manager).action_start_investigation()
        self.env.flush_all()
        self.env.cr.precommit.run()  # mail.thread writes its tracking values at commit
        application.invalidate_recordset(["message_ids"])
        # sudo: tracking values are for administrators only
        tracking = application.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.old_value_char, "Draft")
        self.assertEqual(tracking.new_value_char, "Under Investigation")
        self.assertEqual(tracking.mail_message_id.author_id, self.credit_manager.partner_id)

    def test_views_and_partner_button(self):
        for user in (self.salesman, self.credit_manager):
            views = self.env["credit.application"].with_user(user).get_views(
                [(False, "list"), (False, "form"), (False, "search"), (False, "pivot"), (False, "graph")])
            self.assertIn("action_submit", views["views"]["form"]["arch"])
        application = self._application()
        partner = self.customer.with_user(self.salesman)
        self.assertEqual(partner.credit_application_count, 1)
        action = partner.action_view_credit_applications()
        self.assertEqual(self.env["credit.application"].search(action["domain"]), application)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        menu = self.env.ref("customer_credit_archive.menu_credit_applications")
        self.assertEqual(menu.action, self.env.ref("customer_credit_archive.credit_application_action"))

    def test_settings(self):
        settings = self.env["res.config.settings"].create({"credit_application_double_threshold": 250000})
        settings.execute()
        self.assertEqual(self.company.credit_application_double_threshold, 250000)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.company.credit_application_double_threshold = -1
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("credit_application_double_threshold", arch)
