import base64
import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditArchiveCommon

OVERDUE_ACTIVITY = "customer_credit_archive.mail_activity_type_contract_overdue"


@tagged("post_install", "-at_install")
class TestCreditContractArchive(CreditArchiveCommon):
    """Contract archives (合同档案, policy variants 6 and 9): numbering per department, the document
    checklist, handover → verification → archive room, deadlines and the ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._graded_customer("Archive Customer", cls.grade_b, limit=50000)
        cls.guaranteed = cls.env.ref("customer_credit_archive.contract_type_guaranteed")
        cls.framework = cls.env.ref("customer_credit_archive.contract_type_framework")

    def _activities(self, archive, xmlid=OVERDUE_ACTIVITY):
        return archive.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    # --- numbering ---

    def test_number_per_department(self):
        year = self.today.year
        first = self._contract_archive(self.customer)
        second = self._contract_archive(self.customer)
        self.assertEqual(first.name, f"XS-{year}-0001")
        self.assertEqual(second.name, f"XS-{year}-0002")
        other = self.env["hr.department"].create({"name": "Projects", "company_id": self.company.id})
        third = self._contract_archive(self.customer, department_id=other.id)
        self.assertEqual(third.name, f"D{other.id}-{year}-0001", "a department without prefix numbers by id")
        no_department = self._contract_archive(self.customer, department_id=False)
        self.assertRegex(no_department.name, rf"^CA-{year}-\d{{4}}$")
        # a new prefix applies to the next numbers, the numbers given keep theirs
        other.credit_contract_prefix = "PJ"
        self.assertEqual(self._contract_archive(self.customer, department_id=other.id).name, f"PJ-{year}-0002")
        self.assertEqual(third.name, f"D{other.id}-{year}-0001")
        # every year starts again at 1
        with freeze_time(f"{year + 1}-01-05"):
            self.assertEqual(self._contract_archive(self.customer).name, f"XS-{year + 1}-0001")

    # --- checklist ---

    def test_checklist_from_contract_type(self):
        archive = self._contract_archive(self.customer)
        rules = self.contract_type.document_rule_ids
        self.assertEqual(len(archive.document_ids), 14, "variant 6 lists fourteen kinds of documents")
        self.assertEqual(archive.document_ids.document_type_id, rules.document_type_id)
        self.assertEqual(
            archive.document_ids.filtered("required").document_type_id,
            rules.filtered("required").document_type_id,
        )
        guarantor = self.env.ref("customer_credit_archive.contract_document_type_guarantor")
        self.assertFalse(archive.document_ids.filtered(lambda d: d.document_type_id == guarantor).required)
        self.assertEqual(archive.completeness, 0.0)
        self.assertIn("Contract original", archive.missing_document_names)

        # a document received, then the type changed: the received document is kept, the flags follow
        original = archive.document_ids.filtered(
            lambda d: d.document_type_id == self.env.ref("customer_credit_archive.contract_document_type_original"))
        original.with_user(self.salesman).date_received = self.today
        archive.with_user(self.salesman).contract_type_id = self.guaranteed
        self.assertEqual(len(archive.document_ids), 14)
        self.assertTrue(archive.document_ids.filtered(lambda d: d.document_type_id == guarantor).required)
        self.assertEqual(original.date_received, self.today)
        required = archive.document_ids.filtered("required")
        self.assertAlmostEqual(archive.completeness, 100.0 / len(required))
        self.assertEqual(archive.missing_required_count, len(required) - 1)

    def test_attachment_receives_the_document(self):
        archive = self._contract_archive(self.customer)
        document = archive.document_ids[0]
        attachment = self.env["ir.attachment"].with_user(self.salesman).create({
            "name": "negotiation.pdf", "datas": base64.b64encode(b"%PDF-1.4 minutes"),
        })
        document.with_user(self.salesman).attachment_ids = [Command.link(attachment.id)]
        self.assertEqual(document.date_received, self.today)
        self.assertEqual(document.state, "received")
        self.assertEqual((attachment.res_model, attachment.res_id), ("credit.contract.document", document.id))
        # clearing the date makes it missing again, and forgets the check
        document.with_user(self.credit_manager).action_check()
        self.assertEqual(document.state, "checked")
        document.with_user(self.salesman).date_received = False
        self.assertEqual(document.state, "missing")
        self.assertFalse(document.checked_by_id)
        with self.assertRefused(UserError, "has not been received"):
            document.with_user(self.credit_manager).action_check()

    # --- workflow ---

    def test_workflow_as_its_users(self):
        archive = self._contract_archive(self.customer)
        as_salesman = archive.with_user(self.salesman)
        with self.assertRefused(UserError, "date of the contract's last step"):
            as_salesman.action_hand_over()
        as_salesman.date_completed = self.today
        self.env.cr.precommit.run()  # each step is its own request
        as_salesman.action_hand_over()
        self.env.cr.precommit.run()
        self.assertEqual(archive.state, "handed_over")
        self.assertEqual(archive.date_handed_over, self.today)
        todo = archive.activity_ids.filtered(lambda a: a.user_id == self.credit_manager)
        self.assertTrue(todo, "the credit office is asked to verify")

        # only the credit administrator verifies, and only a complete archive
        with self.assertRefused(AccessError):
            as_salesman.action_verify()
        as_manager = archive.with_user(self.credit_manager)
        with self.assertRefused(UserError, "still misses required documents: .*Contract original"):
            as_manager.action_verify()
        self.assertEqual(archive.state, "handed_over", "nothing changed")
        self._receive_all(archive)
        as_manager.action_verify()
        self.env.cr.precommit.run()
        self.assertEqual(archive.state, "verified")
        self.assertEqual(archive.verified_by_id, self.credit_manager)
        received = archive.document_ids.filtered("date_received")
        self.assertEqual(received.checked_by_id, self.credit_manager, "verification checks the received documents")
        self.assertFalse(archive.document_ids.filtered(lambda d: not d.date_received).checked_by_id)

        # the archivist files it, with its place in the room
        with self.assertRefused(AccessError):
            as_manager.action_file_in_archive()
        as_archivist = archive.with_user(self.archivist)
        with self.assertRefused(UserError, "Enter the archive room"):
            as_archivist.action_file_in_archive()
        with self.assertRefused(AccessError, "Only an archivist"):
            as_manager.room = "R1"
        as_archivist.write({"room": "R1", "cabinet": "C2", "box": "B3"})
        as_archivist.action_file_in_archive()
        self.env.cr.precommit.run()
        self.assertEqual(archive.state, "archived")
        self.assertEqual((archive.date_archived, archive.archived_by_id), (self.today, self.archivist))
        self.assertEqual(archive.location, "R1 / C2 / B3")
        tracked = archive.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(len(tracked), 3, "every step is in the chatter")

    def test_return_to_handler(self):
        archive = self._contract_archive(self.customer, date_completed=self.today)
        archive.with_user(self.salesman).action_hand_over()
        with self.assertRefused(AccessError):
            archive.with_user(self.salesman).action_return_to_handler()
        archive.with_user(self.credit_manager).action_return_to_handler()
        self.assertEqual(archive.state, "open")
        self.assertFalse(archive.date_handed_over)

    def test_archiving_refused_with_a_required_document_missing(self):
        archive = self._receive_all(self._contract_archive(self.customer, date_completed=self.today))
        archive.with_user(self.salesman).action_hand_over()
        archive.with_user(self.credit_manager).action_verify()
        archive.with_user(self.archivist).room = "R1"
        # a required document is taken out of the archive after verification
        document = archive.document_ids.filtered("required")[0]
        document.with_user(self.archivist).date_received = False
        missing = re.escape(document.document_type_id.name)
        with self.assertRefused(UserError, "still misses required documents: " + missing):
            archive.with_user(self.archivist).action_file_in_archive()
        self.assertEqual(archive.state, "verified")
        self.assertFalse(archive.date_archived)

    def test_workflow_fields_only_through_the_buttons(self):
        archive = self._contract_archive(self.customer)
        for vals in ({"state": "archived"}, {"date_verified": self.today}, {"archived_by_id": self.archivist.id}):
            with self.assertRefused(UserError, "set by its buttons only"):
                archive.with_user(self.credit_manager).write(vals)
        with self.assertRefused(UserError, "set by its buttons only"):
            self._contract_archive(self.customer, state="archived")
        # a context a client can send does not open the workflow fields (the buttons' marker is
        # an object, which no RPC call can carry)
        for key in ("credit_workflow", "credit_contract_workflow"):
            with self.assertRefused(UserError, "set by its buttons only"):
                archive.with_user(self.credit_manager).with_context(**{key: True}).write({"state": "archived"})
            with self.assertRefused(UserError, "set by its buttons only"):
                archive.with_user(self.credit_manager).with_context(
                    **{key: ["credit.contract.archive"]}).write({"state": "archived"})
        self.assertEqual(archive.state, "open")

    def test_archive_with_documents_is_never_deleted(self):
        empty = self._contract_archive(self.customer)
        kept = self._contract_archive(self.customer)
        kept.document_ids[0].with_user(self.salesman).date_received = self.today
        with self.assertRefused(UserError, "never deleted"):
            kept.with_user(self.credit_manager).unlink()
        with self.assertRefused(AccessError):
            empty.with_user(self.salesman).unlink()
        empty.with_user(self.credit_manager).unlink()
        self.assertFalse(empty.exists())
        self.assertTrue(kept.exists())

    # --- deadlines ---

    def test_deadlines_follow_the_settings(self):
        archive = self._contract_archive(self.customer, date_completed=self.today)
        self.assertEqual(archive.handover_deadline, self.today + relativedelta(months=1))
        self.company.credit_contract_handover_months = 2
        self.assertEqual(archive.handover_deadline, self.today + relativedelta(months=2))
        with self.assertRefused(ValidationError, "at least one month"):
            self.company.credit_contract_archive_months = 0
        with self.assertRefused(ValidationError, "day of the month"):
            self.company.credit_contract_stat_due_day = 32

    def test_overdue_cron(self):
        late = self._contract_archive(self.customer, date_completed=self.today - timedelta(days=40))
        on_time = self._contract_archive(self.customer, date_completed=self.today - timedelta(days=10))
        Archive = self.env["credit.contract.archive"].with_user(self.credit_manager)
        overdue = Archive.search([("is_overdue", "=", True), ("partner_id", "=", self.customer.id)])
        self.assertEqual(overdue, late)
        self.assertEqual(Archive.search([("is_overdue", "=", False), ("id", "in", (late | on_time).ids)]), on_time)

        Archive._cron_contract_deadlines()
        Archive._cron_contract_deadlines()
        activity = self._activities(late)
        self.assertEqual(len(activity), 1, "one activity, not one per run")
        self.assertEqual(activity.user_id, self.salesman, "the handler is asked to hand it over")
        self.assertFalse(self._activities(on_time))

        # handed over: the activity is done; verified a month and more ago: the archivists are asked
        self._receive_all(late).with_user(self.salesman).action_hand_over()
        self.assertFalse(self._activities(late))
        with freeze_time(self.today - timedelta(days=45)):
            late.with_user(self.credit_manager).action_verify()
        self.assertTrue(late.with_user(self.credit_manager).is_overdue)
        Archive._cron_contract_deadlines()
        activity = self._activities(late)
        self.assertEqual(activity.user_id, self.archivist)
        self.assertIn("archive room", activity.summary)
        late.with_user(self.archivist).room = "R1"
        late.with_user(self.archivist).action_file_in_archive()
        self.assertFalse(self._activities(late))
        self.assertFalse(late.is_overdue)

    # --- access, companies, ledger ---

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other Archive Company"})
        foreign = self.env["credit.contract.archive"].create({
            "partner_id": self.customer.id, "company_id": other_company.id,
            "contract_type_id": self.contract_type.id,
        })
        own = self._contract_archive(self.customer)
        visible = self.env["credit.contract.archive"].with_user(self.credit_manager).search(
            [("partner_id", "=", self.customer.id)])
        self.assertEqual(visible, own)
        self.assertEqual(foreign.document_ids.company_id, other_company)
        with self.assertRefused(AccessError):
            foreign.with_user(self.credit_manager).read(["name"])

    def test_plain_employee_has_no_access(self):
        archive = self._contract_archive(self.customer)
        with self.assertRefused(AccessError):
            archive.with_user(self.borrower).read(["amount"])

    def test_ledger_views(self):
        archive = self._contract_archive(self.customer, amount=300.0)
        self._contract_archive(self.customer, amount=700.0, department_id=False)
        action = self.env.ref("customer_credit_archive.credit_contract_archive_action_ledger")
        Archive = self.env["credit.contract.archive"].with_user(self.credit_manager)
        views = Archive.get_views([(view.view_id.id, view.view_mode) for view in action.view_ids])
        self.assertIn("date_handed_over", views["views"]["list"]["arch"])
        self.assertIn("pivot", views["views"])
        groups = dict(Archive._read_group(
            [("partner_id", "=", self.customer.id)], ["department_id"], ["amount:sum"]))
        self.assertEqual(groups[archive.department_id], 300.0)
        self.assertEqual(groups[self.env["hr.department"]], 700.0)
