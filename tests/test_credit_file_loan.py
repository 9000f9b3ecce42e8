import io
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .common import CreditArchiveCommon

SLIP_REPORT = "customer_credit_archive.action_report_credit_file_loan_slip"
OVERDUE_REPORT = "customer_credit_archive.action_report_credit_file_loan_overdue"
APPROVAL = "customer_credit_archive.mail_activity_type_credit_loan_approval"
LEND = "customer_credit_archive.mail_activity_type_credit_loan_lend"
OVERDUE = "customer_credit_archive.mail_activity_type_credit_loan_overdue"
ESCALATION = "customer_credit_archive.mail_activity_type_credit_loan_escalation"


class CreditFileLoanCommon(CreditArchiveCommon):
    """A customer with its customer file, two contract archives in the archive room (one
    confidential) and one still open; a second plain employee who has nothing to do with them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_employee = new_test_user(
            cls.env, login="credit_other_employee", name="Other Employee", groups="base.group_user",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer = cls._graded_customer("Loan Customer Ltd", cls.grade_b, user_id=cls.salesman.id)
        cls.customer_file = cls.env["credit.customer.file"].create({"partner_id": cls.customer.id})
        cls.archive = cls._archive_in_room(cls.customer, confidential=False)
        cls.confidential_archive = cls._archive_in_room(cls.customer, confidential=True)
        cls.open_archive = cls._contract_archive(cls.customer, confidential=False)
        cls.Loan = cls.env["credit.file.loan"]

    @classmethod
    def _archive_in_room(cls, partner, confidential):
        archive = cls._contract_archive(partner, confidential=confidential, date_completed=cls.today)
        cls._receive_all(archive)
        archive.with_user(cls.salesman).action_hand_over()
        archive.with_user(cls.credit_manager).action_verify()
        archive.with_user(cls.archivist).write({"room": "Room 1", "cabinet": "C2", "box": "B3"})
        archive.with_user(cls.archivist).action_file_in_archive()
        return archive

    def _request(self, user=None, **vals):
        loan = self.Loan.with_user(user or self.borrower).create({
            "partner_id": self.customer.id, "purpose": "Check the payment terms", **vals,
        })
        loan.action_request()
        return loan

    def _approved(self, **vals):
        loan = self._request(**vals)
        loan.with_user(self.archivist).action_approve()
        if loan.state == "to_manager":
            loan.with_user(loan.manager_approver_id).action_approve()
        return loan

    def _lend(self, loan, **values):
        wizard = Form(self.env["credit.file.loan.lend.wizard"].with_user(self.archivist).with_context(
            default_loan_id=loan.id))
        for name, value in values.items():
            setattr(wizard, name, value)
        wizard.save().action_lend()
        return loan

    def _return(self, loan, **values):
        wizard = Form(self.env["credit.file.loan.return.wizard"].with_user(self.archivist).with_context(
            default_loan_id=loan.id))
        for name, value in values.items():
            setattr(wizard, name, value)
        wizard.save().action_return()
        return loan

    def _activities(self, loan, xmlid):
        return loan.sudo().activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))


@tagged("post_install", "-at_install")
class TestCreditFileLoan(CreditFileLoanCommon):
    """File loans (借阅 / 归还), policy variants 2, 6 and 9."""

    # --- request and approval ---

    def test_non_confidential_contract_one_level(self):
        # a plain employee fills the request as the form does, without access to contract archives
        form = Form(self.Loan.with_user(self.borrower))
        form.partner_id = self.customer
        form.contract_archive_id = self.archive
        form.purpose = "Check the delivery clause"
        loan = form.save()
        self.assertEqual(loan.borrower_id, self.borrower)
        self.assertTrue(loan.name.startswith("JY-"))
        self.assertFalse(loan.confidential)
        loan.action_request()
        self.assertEqual(loan.state, "requested")
        self.assertFalse(loan.manager_approver_id)
        self.assertEqual(self._activities(loan, APPROVAL).user_id, self.archivist)
        with self.assertRaises(AccessError):
            loan.action_approve()  # nobody approves his own loan
        loan.with_user(self.archivist).action_approve()
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.archivist_approved_by_id, self.archivist)
        self.assertFalse(self._activities(loan, APPROVAL))
        self.assertEqual(self._activities(loan, LEND).user_id, self.archivist)

    def test_confidential_customer_file_two_levels(self):
        loan = self._request(include_customer_file=True)
        self.assertTrue(loan.confidential)
        self.assertEqual(loan.sudo().customer_file_id, self.customer_file)
        # the customer's salesperson owns the file; his hr manager approves
        self.assertEqual(loan.owner_id, self.salesman)
        self.assertEqual(loan.manager_approver_id, self.borrower_manager)
        loan.with_user(self.archivist).action_approve()
        self.assertEqual(loan.state, "to_manager")
        self.assertEqual(self._activities(loan, APPROVAL).user_id, self.borrower_manager)
        with self.assertRaises(AccessError):
            loan.with_user(self.archivist).action_approve()
        loan.with_user(self.borrower_manager).action_approve()
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.manager_approved_by_id, self.borrower_manager)
        self.assertFalse(self._activities(loan, APPROVAL))

    def test_confidential_archive_manager_fallbacks(self):
        loan = self._request(contract_archive_id=self.confidential_archive.id)
        self.assertTrue(loan.confidential)
        self.assertEqual(loan.owner_id, self.salesman)  # the contract handler
        self.assertEqual(loan.manager_approver_id, self.borrower_manager)
        # no hr manager: the department's manager; no employee at all: the credit office
        self.env["hr.employee"].create({
            "name": "Other Employee", "user_id": self.other_employee.id, "department_id": self.department.id,
        })
        self.assertEqual(self.Loan._manager_of(self.other_employee, self.company), self.borrower_manager)
        self.assertEqual(self.Loan._manager_of(self.archivist, self.company), self.credit_manager)

    def test_refusal_with_reason(self):
        loan = self._request(contract_archive_id=self.archive.id)
        with self.assertRaises(AccessError):
            loan.action_refuse("I do not like it")
        wizard = Form(self.env["credit.file.loan.refuse.wizard"].with_user(self.archivist).with_context(
            default_loan_id=loan.id))
        wizard.reason = "The purpose does not need the original"
        wizard.save().action_refuse()
        self.assertEqual(loan.state, "refused")
        self.assertEqual(loan.refused_by_id, self.archivist)
        self.assertEqual(loan.refuse_reason, "The purpose does not need the original")
        self.assertFalse(self._activities(loan, APPROVAL))
        self.assertTrue(loan.message_ids.filtered(lambda m: "does not need the original" in (m.body or "")))
        loan.action_draft()
        self.assertEqual(loan.state, "draft")
        self.assertFalse(loan.refuse_reason)

    def test_workflow_fields_protected(self):
        with self.assertRaises(UserError):
            self.Loan.with_user(self.borrower).create({
                "partner_id": self.customer.id, "purpose": "x", "contract_archive_id": self.archive.id,
                "state": "lent",
            })
        loan = self._request(contract_archive_id=self.archive.id)
        with self.assertRaises(UserError):
            loan.write({"state": "approved"})
        with self.assertRaises(UserError):
            loan.write({"purpose": "Something else"})
        with self.assertRaises(UserError):
            self.Loan.with_user(self.borrower).create({"partner_id": self.customer.id, "purpose": "x"}).action_request()
        with self.assertRaises(AccessError):
            loan.action_open_lend_wizard()

    # --- lending and return ---

    def test_lend_and_return(self):
        loan = self._approved(contract_archive_id=self.archive.id, include_customer_file=True)
        wizard = Form(self.env["credit.file.loan.lend.wizard"].with_user(self.archivist).with_context(
            default_loan_id=loan.id))
        self.assertEqual(wizard.date_lent, self.today)
        self.assertEqual(wizard.date_due, self.today + timedelta(days=14))
        wizard.condition_lent = "Complete, 42 pages"
        wizard.save().action_lend()
        self.assertEqual(loan.state, "lent")
        self.assertEqual((loan.date_lent, loan.lent_by_id), (self.today, self.archivist))
        self.assertEqual(loan.condition_lent, "Complete, 42 pages")
        self.assertFalse(self._activities(loan, LEND))
        # where the files are, for the credit users
        archive = self.archive.with_user(self.salesman)
        self.assertEqual(archive.current_loan_id, loan)
        self.assertIn("Lent to Borrower", archive.whereabouts)
        self.assertEqual(self.customer_file.current_loan_id, loan)
        self.assertIn("Lent to Borrower", self.customer_file.whereabouts)
        customer = self.customer.with_user(self.salesman)
        self.assertEqual(customer.credit_loan_out_ids, loan)
        self.assertEqual(customer.credit_loan_out_ids.date_due, self.today + timedelta(days=14))
        self.assertIn(self.archive, customer.credit_contract_archive_ids)

        self._return(loan, condition_returned="As lent")
        self.assertEqual(loan.state, "returned")
        self.assertEqual((loan.date_returned, loan.returned_to_id), (self.today, self.archivist))
        self.assertFalse(loan.missing_pages)
        self.archive.invalidate_recordset(["whereabouts", "current_loan_id"])
        self.assertEqual(self.archive.whereabouts, "In the archive room at Room 1 / C2 / B3")
        self.assertFalse(self.archive.current_loan_id)
        self.assertEqual(self.open_archive.whereabouts, "Not in the archive room yet (Open)")

    def test_due_date_from_request(self):
        loan = self._approved(contract_archive_id=self.archive.id, date_to=self.today + timedelta(days=3))
        self._lend(loan)
        self.assertEqual(loan.date_due, self.today + timedelta(days=3))

    def test_double_lend_refused(self):
        first = self._lend(self._approved(include_customer_file=True))
        second = self._approved(contract_archive_id=self.archive.id)
        third = self._approved(contract_archive_id=self.archive.id, include_customer_file=True)
        self._lend(second)
        with self.assertRefused(UserError, "already out"):
            self._lend(third)
        self.assertEqual(third.state, "approved")
        self.assertFalse(third.date_lent)
        self._return(first)
        with self.assertRefused(UserError, f"lent to Borrower by loan {second.name}"):
            self._lend(third)

    def test_destroyed_or_unfiled_archive_refused(self):
        loan = self._approved(contract_archive_id=self.archive.id)
        unfiled = self._approved(contract_archive_id=self.open_archive.id)
        with self.assertRefused(UserError, "not in the archive room yet"):
            self._lend(unfiled)
        self.archive.sudo().write({"state": "destroyed", "active": False})
        with self.assertRefused(UserError, "has been destroyed"):
            self._lend(loan)
        self.assertEqual(loan.state, "approved")
        with self.assertRefused(UserError, "has been destroyed"):
            self._request(contract_archive_id=self.archive.id)

    def test_return_before_lend_refused(self):
        loan = self._lend(self._approved(contract_archive_id=self.archive.id))
        with self.assertRefused(UserError, "cannot be before the day it was lent"):
            self._return(loan, date_returned=self.today - timedelta(days=1), missing_pages="p. 3")
        self.assertEqual(loan.state, "lent")
        self.assertFalse(loan.date_returned)
        self.assertFalse(loan.missing_pages)

    def test_return_with_missing_pages(self):
        loan = self._lend(self._approved(contract_archive_id=self.archive.id))
        self._return(loan, condition_returned="Torn cover", missing_pages="Pages 3 and 4 of the original")
        self.assertEqual(loan.state, "returned")
        self.assertEqual(loan.missing_pages, "Pages 3 and 4 of the original")
        self.assertTrue(loan.message_ids.filtered(lambda m: "Pages 3 and 4 of the original" in (m.body or "")))
        todo = loan.sudo().activity_ids.filtered(lambda a: a.user_id == self.credit_manager)
        self.assertEqual(len(todo), 1)
        self.assertIn("Missing pages", todo.summary)

    # --- overdue loans ---

    def test_overdue_reminder_and_escalation(self):
        loan = self._lend(self._approved(contract_archive_id=self.archive.id))
        due = loan.date_due
        with freeze_time(due + timedelta(days=1)):
            self.assertEqual(self.Loan.with_user(self.archivist).search([("is_overdue", "=", True)]), loan)
            for _run in range(2):
                self.Loan._cron_overdue_loans()
                reminder = self._activities(loan, OVERDUE)
                self.assertEqual(len(reminder), 1)
                self.assertEqual(reminder.user_id, self.borrower)
                self.assertFalse(self._activities(loan, ESCALATION))
        with freeze_time(due + timedelta(days=self.company.credit_loan_escalation_days)):
            for _run in range(2):
                self.Loan._cron_overdue_loans()
                self.assertEqual(len(self._activities(loan, OVERDUE)), 1)
                escalation = self._activities(loan, ESCALATION)
                self.assertEqual(len(escalation), 1)
                self.assertEqual(escalation.user_id, self.borrower_manager)
            self.assertEqual(loan.escalated_to_id, self.borrower_manager)
            self.assertEqual(len(loan.message_ids.filtered(lambda m: "escalated to" in (m.body or ""))), 1)
            # the manager sees the loan he has to chase
            self.assertEqual(self.Loan.with_user(self.borrower_manager).search([]), loan)
            self._return(loan)
        self.assertFalse(self._activities(loan, OVERDUE) | self._activities(loan, ESCALATION))

    # --- access ---

    def test_record_rules(self):
        own = self._request(include_customer_file=True)
        salesman_loan = self._request(user=self.salesman, contract_archive_id=self.archive.id)
        self.assertEqual(self.Loan.with_user(self.borrower).search([]), own)
        self.assertFalse(self.Loan.with_user(self.other_employee).search([]))
        with self.assertRaises(AccessError):
            own.with_user(self.other_employee).read(["purpose"])
        with self.assertRaises(AccessError):
            own.with_user(self.other_employee).action_cancel()
        # the manager who approves sees the loan; archivists and Credit Managers see all
        self.assertEqual(self.Loan.with_user(self.borrower_manager).search([]), own)
        for user in (self.archivist, self.credit_manager):
            self.assertEqual(self.Loan.with_user(user).search([]), own | salesman_loan)
        self.assertEqual(self.Loan.with_user(self.archivist).search([("can_approve", "=", True)]),
                         own | salesman_loan)
        own.with_user(self.archivist).action_approve()
        self.assertEqual(self.Loan.with_user(self.borrower_manager).search([("can_approve", "=", True)]), own)
        self.assertEqual(self.Loan.with_user(self.archivist).search([("can_approve", "=", True)]), salesman_loan)

    def test_plain_employee_picks_archive(self):
        archives = self.env["credit.contract.archive"].with_user(self.borrower)
        with self.assertRaises(AccessError):
            archives.search([])
        with self.assertRaises(AccessError):
            archives.name_search("")
        found = archives.with_context(credit_loan_partner_id=self.customer.id).name_search("")
        self.assertEqual({archive_id for archive_id, _name in found},
                         {self.archive.id, self.confidential_archive.id})  # not the open one
        self.assertIn("Loan Customer Ltd", dict(found)[self.archive.id])
        other = self._graded_customer("Other Customer Ltd", self.grade_b)
        self.assertFalse(archives.with_context(credit_loan_partner_id=other.id).name_search(""))
        # the borrower reads his loan as the web client does
        loan = self._request(contract_archive_id=self.archive.id, include_customer_file=True)
        [values] = loan.web_read({
            "contract_archive_id": {"fields": {"display_name": {}}},
            "customer_file_id": {"fields": {"display_name": {}}},
            "items_description": {},
        })
        self.assertEqual(values["contract_archive_id"]["display_name"], self.archive.display_name)
        self.assertEqual(values["customer_file_id"]["display_name"], "Loan Customer Ltd")
        self.assertIn(self.archive.name, values["items_description"])

    def test_cancel(self):
        loan = self._request(contract_archive_id=self.archive.id)
        loan.action_cancel()
        self.assertEqual(loan.state, "cancelled")
        self.assertFalse(self._activities(loan, APPROVAL))
        loan.unlink()
        self.assertFalse(loan.exists())
        lent = self._lend(self._approved(contract_archive_id=self.archive.id))
        with self.assertRaises(UserError):
            lent.with_user(self.archivist).action_cancel()
        with self.assertRaises(UserError):
            lent.with_user(self.archivist).unlink()

    # --- reports ---

    def test_loan_slip_and_overdue_report(self):
        loan = self._lend(self._approved(contract_archive_id=self.archive.id), condition_lent="Complete")
        html, report_type = self.env["ir.actions.report"].with_user(self.borrower)._render_qweb_html(
            SLIP_REPORT, loan.ids)
        self.assertEqual(report_type, "html")
        html = html.decode()
        for text in ("Loan Slip", loan.name, "Borrower", "Loan Customer Ltd", self.archive.name,
                     "Check the payment terms", "Complete", "Archivist"):
            self.assertIn(text, html)
        other = self._approved(include_customer_file=True)
        with freeze_time(loan.date_due + timedelta(days=2)):
            html = self.env["ir.actions.report"].with_user(self.archivist)._render_qweb_html(
                OVERDUE_REPORT, (loan | other).ids)[0].decode()
        self.assertIn("Overdue Loans", html)
        self.assertIn(loan.name, html)
        self.assertNotIn(other.name, html)
        self.assertIn("1 selected loan(s) not overdue are left out", html)


@tagged("post_install", "-at_install")
class TestCreditFileLoanPdf(CreditFileLoanCommon, HttpCase):
    """The loan slip as a real PDF: wkhtmltopdf loads the assets from the test HTTP server."""

    def test_loan_slip_pdf(self):
        loan = self._approved(contract_archive_id=self.archive.id, purpose="核对付款条款")
        report = self.env["ir.actions.report"].with_user(self.borrower).with_context(force_report_rendering=True)
        if report.get_wkhtmltopdf_state() == "install":
            with self.assertRaises(UserError):
                report._render_qweb_pdf(SLIP_REPORT, loan.ids)
            return
        pdf, report_type = report._render_qweb_pdf(SLIP_REPORT, loan.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # the Chinese text is printed with a CJK font (fonts-noto-cjk); without Odoo's patched Qt,
        # wkhtmltopdf draws the Latin web fonts as paths, which hold no text to extract
        text = "".join(page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages)
        self.assertIn("核对付款条款", text)
