from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditHandover(CreditCommon):
    """A salesperson leaves: the handover wizard moves everything of theirs to a successor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Handover Co B"})
        cls.leaver = new_test_user(
            cls.env, login="credit_leaver", name="Leaving Larry", email="larry@example.com",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )
        cls.successor = new_test_user(
            cls.env, login="credit_successor", name="Sophie Successor",
            email="sophie@example.com", phone="+86 21 5555 0101",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        # the leaver's customers: a company with a contact and an email, one without email
        cls.customer = cls._graded_customer(
            "Leaver Trading Co", cls.grade_a, limit=1000000.0,
            user_id=cls.leaver.id, email="buyer@leaver-trading.example",
        )
        cls.contact = cls.env["res.partner"].create({
            "name": "Mr Buyer", "parent_id": cls.customer.id, "user_id": cls.leaver.id,
            "email": "mr.buyer@leaver-trading.example",
        })
        cls.customer_no_email = cls.env["res.partner"].create({
            "name": "Silent Shop", "is_company": True, "user_id": cls.leaver.id,
        })
        # a customer of another salesperson whose file the leaver co-manages
        cls.other_customer = cls.env["res.partner"].create({
            "name": "Other Salesman Customer", "is_company": True, "user_id": cls.salesman.id,
            "email": "other@customer.example",
        })
        File = cls.env["credit.customer.file"]
        cls.file = File.create({
            "partner_id": cls.customer.id, "tier": "key",
            "responsible_user_ids": [Command.set((cls.leaver | cls.salesman).ids)],
        })
        cls.other_file = File.create({
            "partner_id": cls.other_customer.id,
            "responsible_user_ids": [Command.set((cls.leaver | cls.salesman).ids)],
        })
        Report = cls.env["credit.visit.report"]
        cls.draft_report = Report.create({"partner_id": cls.customer.id, "user_id": cls.leaver.id})
        cls.done_report = Report.create({"partner_id": cls.customer.id, "user_id": cls.leaver.id})
        cls.done_report.action_done()
        cls.quotation = cls._order(cls.customer, 100.0, user=cls.leaver).with_env(cls.env)
        cls.confirmed_order = cls._order(cls.customer, 200.0, user=cls.leaver).with_env(cls.env)
        cls.confirmed_order.action_confirm()
        cls.cancelled_order = cls._order(cls.customer, 300.0, user=cls.leaver).with_env(cls.env)
        cls.cancelled_order._action_cancel()
        cls.activities = (
            cls.customer.activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)
            | cls.file.activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)
            | cls.draft_report.activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)
            | cls.quotation.activity_schedule("mail.mail_activity_data_todo", user_id=cls.leaver.id)
        )
        cls.salesman_activity = cls.customer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.salesman.id)
        # the same salesperson in a company the Credit Manager does not work in
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        cls.partner_b = env_b["res.partner"].create({
            "name": "Company B Customer", "is_company": True, "user_id": cls.leaver.id,
            "company_id": cls.company_b.id, "email": "b@customer.example",
        })
        cls.file_b = env_b["credit.customer.file"].create({
            "partner_id": cls.customer.id, "company_id": cls.company_b.id, "user_id": cls.leaver.id,
            "responsible_user_ids": [Command.set(cls.leaver.ids)],
        })
        cls.report_b = env_b["credit.visit.report"].create({
            "partner_id": cls.customer.id, "user_id": cls.leaver.id, "company_id": cls.company_b.id,
        })
        cls.order_b = cls._order(
            cls.customer, 50.0, user=cls.leaver, company_id=cls.company_b.id).with_env(cls.env)
        cls.activity_b = cls.file_b.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaver.id)

    def _wizard(self, user=None, **vals):
        return self.env["credit.handover.wizard"].with_user(user or self.credit_manager).create({
            "from_user_id": self.leaver.id, "to_user_id": self.successor.id, **vals,
        })

    def _handover_mails(self, partners):
        return self.env["mail.mail"].sudo().search([
            ("model", "=", "res.partner"), ("res_id", "in", partners.ids),
        ])

    def _handover_notes(self, partner):
        note = self.env.ref("mail.mt_note")
        return partner.message_ids.filtered(
            lambda m: m.subtype_id == note and "handed over from" in m.body)

    # ------------------------------------------------------------------
    # the handover
    # ------------------------------------------------------------------
    def test_preview_counts(self):
        wizard = Form(self.env["credit.handover.wizard"].with_user(self.credit_manager))
        wizard.from_user_id = self.leaver
        wizard.to_user_id = self.successor
        self.assertEqual(wizard.customer_count, 2, "Leaver Trading Co and Silent Shop")
        self.assertEqual(wizard.contact_count, 1)
        self.assertEqual(wizard.file_count, 2, "the file kept and the file co-managed")
        self.assertEqual(wizard.visit_report_count, 1, "the draft report only")
        self.assertEqual(wizard.order_count, 2, "the quotation and the confirmed order")
        self.assertEqual(wizard.activity_count, 4)
        record = wizard.save()
        self.assertEqual(record.company_ids, self.company, "the companies of the runner")
        record.action_handover()
        self.assertEqual(self.customer.user_id, self.successor)
        record.invalidate_recordset()
        self.assertEqual(record.customer_count, 0, "nothing left to hand over")

    def test_default_leaver_from_user_form(self):
        wizard = self.env["credit.handover.wizard"].with_user(self.credit_manager).with_context(
            active_model="res.users", active_id=self.leaver.id).new({})
        self.assertEqual(wizard.from_user_id, self.leaver)

    def test_handover_moves_everything(self):
        wizard = self._wizard(notify_customers=False, note="Larry moved to the Shanghai office.")
        action = wizard.action_handover()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("Sophie Successor", action["params"]["message"])
        # customers and their contacts
        for partner in (self.customer, self.contact, self.customer_no_email):
            self.assertEqual(partner.user_id, self.successor, partner.name)
        self.assertEqual(self.other_customer.user_id, self.salesman, "not a customer of the leaver")
        # files: salesperson and responsible employees
        self.assertEqual(self.file.user_id, self.successor)
        self.assertEqual(self.file.responsible_user_ids, self.successor | self.salesman)
        self.assertFalse(self.file.key_understaffed)
        self.assertEqual(self.other_file.user_id, self.salesman)
        self.assertEqual(self.other_file.responsible_user_ids, self.successor | self.salesman)
        # visit reports: the draft moves, the closed one is history
        self.assertEqual(self.draft_report.user_id, self.successor)
        self.assertEqual(self.done_report.user_id, self.leaver)
        # open orders move, the cancelled one does not
        self.assertEqual(self.quotation.user_id, self.successor)
        self.assertEqual(self.confirmed_order.user_id, self.successor)
        self.assertEqual(self.cancelled_order.user_id, self.leaver)
        # activities
        self.assertEqual(self.activities.user_id, self.successor)
        self.assertEqual(self.salesman_activity.user_id, self.salesman)
        # a note on each customer, with the note of the wizard
        for customer in (self.customer, self.customer_no_email):
            notes = self._handover_notes(customer)
            self.assertEqual(len(notes), 1, customer.name)
            self.assertIn("from Leaving Larry to Sophie Successor", notes.body)
            self.assertIn("Shanghai office", notes.body)
            self.assertEqual(notes.author_id, self.credit_manager.partner_id)
        self.assertFalse(self._handover_notes(self.contact), "the note goes on the customer")
        # no email when the customers are not to be informed
        self.assertFalse(self._handover_mails(self.customer | self.customer_no_email | self.contact))

    def test_nothing_left_to_the_leaver(self):
        self._wizard().action_handover()
        leaver = self.leaver.id
        scope = [("company_id", "=", self.company.id)]
        self.assertFalse(self.env["res.partner"].with_context(active_test=False).search(
            [("user_id", "=", leaver), ("company_id", "in", [False, self.company.id])]))
        self.assertFalse(self.env["credit.customer.file"].with_context(active_test=False).search(
            scope + ["|", ("user_id", "=", leaver), ("responsible_user_ids", "in", [leaver])]))
        self.assertEqual(
            self.env["credit.visit.report"].search(scope + [("user_id", "=", leaver)]),
            self.done_report, "only the closed report keeps its author")
        self.assertEqual(
            self.env["sale.order"].search(scope + [("user_id", "=", leaver)]),
            self.cancelled_order, "only the cancelled order keeps its salesperson")
        self.assertEqual(
            self.env["mail.activity"].search([("user_id", "=", leaver)]), self.activity_b,
            "only the activity of company B stays")

    def test_notify_customers(self):
        self._wizard(notify_customers=True).action_handover()
        mails = self._handover_mails(self.customer)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.customer)
        self.assertIn("Sophie Successor", mails.body_html)
        self.assertIn("sophie@example.com", mails.body_html)
        self.assertIn("+86 21 5555 0101", mails.body_html)
        self.assertIn("new contact person", mails.subject)
        self.assertFalse(self._handover_mails(self.customer_no_email), "no email address")
        self.assertFalse(self._handover_mails(self.contact), "the customer is informed, not each contact")
        self.assertFalse(self._handover_mails(self.other_customer), "not a customer of the leaver")
        self.assertIn("informed by email", self._handover_notes(self.customer).body)
        self.assertNotIn("informed by email", self._handover_notes(self.customer_no_email).body)

    # ------------------------------------------------------------------
    # refusals
    # ------------------------------------------------------------------
    def test_salesperson_cannot_hand_over(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.salesman)
        wizard = self._wizard()
        with self.assertRefused(AccessError, "Only a Credit Manager"):
            wizard.with_user(self.salesman).action_handover()
        self.assertEqual(self.customer.user_id, self.leaver)
        self.assertEqual(self.file.user_id, self.leaver)

    def test_successor_must_be_someone_else(self):
        with self.assertRefused(UserError, "another person"):
            self._wizard(to_user_id=self.leaver.id)
        portal = new_test_user(self.env, login="credit_portal_user", groups="base.group_portal")
        with self.assertRefused(UserError, "active internal user"):
            self._wizard(to_user_id=portal.id)

    # ------------------------------------------------------------------
    # multi-company
    # ------------------------------------------------------------------
    def test_other_company_not_moved(self):
        self._wizard(notify_customers=True).action_handover()
        self.assertEqual(self.partner_b.user_id, self.leaver)
        self.assertEqual(self.file_b.user_id, self.leaver)
        self.assertEqual(self.file_b.responsible_user_ids, self.leaver)
        self.assertEqual(self.report_b.user_id, self.leaver)
        self.assertEqual(self.order_b.user_id, self.leaver)
        self.assertEqual(self.activity_b.user_id, self.leaver)
        self.assertFalse(self._handover_notes(self.partner_b))
        self.assertFalse(self._handover_mails(self.partner_b))

    def test_other_company_moved_when_runner_works_there(self):
        self.credit_manager.company_ids |= self.company_b
        wizard = self._wizard()
        self.assertEqual(wizard.company_ids, self.company | self.company_b)
        with self.assertRefused(UserError, "Sophie Successor cannot work in Handover Co B"):
            wizard.action_handover()
        self.assertEqual(self.customer.user_id, self.leaver, "nothing moved")
        self.successor.company_ids |= self.company_b
        wizard.action_handover()
        for record in (self.partner_b, self.file_b, self.report_b, self.order_b, self.activity_b):
            self.assertEqual(record.user_id, self.successor, record._name)
        self.assertEqual(self.file_b.responsible_user_ids, self.successor)
