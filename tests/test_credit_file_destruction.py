import base64
import re

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import CreditArchiveCommon

DESTRUCTION_REPORT = "customer_credit_archive.action_report_credit_file_destruction"
APPROVAL_ACTIVITY = "customer_credit_archive.mail_activity_type_destruction_approval"
EXECUTION_ACTIVITY = "customer_credit_archive.mail_activity_type_destruction_execution"
REMINDER_ACTIVITY = "customer_credit_archive.mail_activity_type_inspection_due"
FOLLOW_UP_ACTIVITY = "customer_credit_archive.mail_activity_type_inspection_follow_up"
# the link to the destruction record in an archive's chatter
LINK = re.compile(r"""data-oe-model=["']credit\.file\.destruction["'] data-oe-id=["'](\d+)["']""")


class CreditDestructionCommon(CreditArchiveCommon):
    """Two contract archives with scanned documents: one confidential, one ordinary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._graded_customer("Destruction Trading Co", cls.grade_b)
        cls.archive_secret = cls._receive_all(cls._contract_archive(cls.customer, subject="Secret supply"))
        cls.archive_plain = cls._receive_all(cls._contract_archive(
            cls.customer, subject="Ordinary supply", confidential=False))
        licence = cls.env.ref("customer_credit_archive.contract_document_type_business_licence")
        original = cls.env.ref("customer_credit_archive.contract_document_type_original")
        cls.secret_original = cls.archive_secret.document_ids.filtered(lambda d: d.document_type_id == original)
        cls.plain_licence = cls.archive_plain.document_ids.filtered(lambda d: d.document_type_id == licence)
        cls.plain_original = cls.archive_plain.document_ids.filtered(lambda d: d.document_type_id == original)
        cls.secret_scan = cls._scan(cls.secret_original, "secret_original.pdf")
        cls.licence_scan = cls._scan(cls.plain_licence, "licence.pdf")
        cls.original_scan = cls._scan(cls.plain_original, "original.pdf")
        cls.Destruction = cls.env["credit.file.destruction"]

    @classmethod
    def _scan(cls, document, name):
        """A scan uploaded by the handler on a checklist line (the line takes it over)."""
        attachment = cls.env["ir.attachment"].with_user(cls.salesman).create({
            "name": name, "datas": base64.b64encode(b"%PDF-1.4 scan"),
        })
        document.with_user(cls.salesman).write({"attachment_ids": [Command.link(attachment.id)]})
        return attachment.with_env(cls.env)

    @classmethod
    def _destruction(cls, *lines, method="shredding", user=None, **vals):
        """A draft destruction of ``lines``: contract archives (whole) or checklist documents."""
        line_vals = []
        for record in lines:
            if record._name == "credit.contract.document":
                line_vals.append(Command.create({"archive_id": record.archive_id.id, "document_id": record.id}))
            else:
                line_vals.append(Command.create({"archive_id": record.id}))
        return cls.Destruction.with_user(user or cls.archivist).create({
            "reason": "Retention period over",
            "method": method,
            "line_ids": line_vals,
            **vals,
        }).with_env(cls.env)

    def _approved(self, *lines, **kwargs):
        destruction = self._destruction(*lines, **kwargs)
        destruction.with_user(self.archivist).action_submit()
        destruction.with_user(self.credit_manager).action_approve()
        return destruction

    def _destroy(self, destruction, witness=None):
        destruction.with_user(self.archivist).write({"witness_id": (witness or self.borrower).id})
        destruction.with_user(self.archivist).action_destroy()
        return destruction


class TestCreditFileDestruction(CreditDestructionCommon):
    """File destruction (档案销毁, variant 2) and inspections of the archive room."""

    # ------------------------------------------------------------------
    # destruction
    # ------------------------------------------------------------------
    def test_full_flow_whole_archive(self):
        destruction = self._destruction(self.archive_secret)
        self.assertTrue(destruction.name.startswith("XH-"))
        self.assertEqual(destruction.requested_by_id, self.archivist)
        self.assertTrue(destruction.confidential)
        self.assertEqual(destruction.line_ids.scope, "archive")
        self.assertIn(self.archive_secret.name, destruction.line_ids.description)

        destruction.with_user(self.archivist).action_submit()
        self.assertEqual(destruction.state, "to_approve")
        approval = destruction.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY))
        self.assertEqual(approval.user_id, self.credit_manager)

        destruction.with_user(self.credit_manager).action_approve()
        self.assertEqual(destruction.state, "approved")
        self.assertEqual(destruction.approver_id, self.credit_manager)
        self.assertEqual(destruction.approval_date, self.today)
        self.assertEqual(destruction.activity_ids.activity_type_id, self.env.ref(EXECUTION_ACTIVITY))
        self.assertEqual(destruction.activity_ids.user_id, self.archivist)

        documents = self.archive_secret.document_ids
        self._destroy(destruction)
        self.assertEqual(destruction.state, "done")
        self.assertEqual(destruction.executed_by_id, self.archivist)
        self.assertEqual(destruction.witness_id, self.borrower)
        self.assertEqual(destruction.destruction_date, self.today)
        self.assertFalse(destruction.activity_ids)

        archive = self.archive_secret.with_context(active_test=False)
        self.assertFalse(archive.active)
        self.assertEqual(archive.state, "destroyed")
        self.assertEqual(archive.destruction_date, self.today)
        self.assertFalse(self.env["credit.contract.archive"].search([("id", "=", archive.id)]))
        documents = documents.with_context(active_test=False)
        self.assertEqual(len(documents), len(self.contract_type.document_rule_ids))
        self.assertTrue(all(documents.mapped("destroyed")))
        self.assertFalse(any(documents.mapped("active")))
        self.assertEqual(set(documents.mapped("state")), {"destroyed"})
        # the scan is kept (never unlinked), on the destruction record
        self.assertTrue(self.secret_scan.exists())
        self.assertEqual((self.secret_scan.res_model, self.secret_scan.res_id), (destruction._name, destruction.id))
        self.assertEqual(destruction.destroyed_attachment_count, 1)
        self.assertEqual(self.secret_original.with_context(active_test=False).attachment_ids, self.secret_scan)
        # the archive's chatter links the destruction record
        message = archive.message_ids.filtered(lambda m: LINK.search(m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(LINK.search(message.body).group(1), str(destruction.id))
        self.assertIn("Shredding", message.body)
        # the kept scans: the archivist reaches them from the destruction record, a salesperson no more
        action = destruction.with_user(self.archivist).action_view_kept_files()
        self.assertEqual(self.env["ir.attachment"].with_user(self.archivist).search(action["domain"]),
                         self.secret_scan)
        with self.assertRaises(AccessError):
            self.secret_scan.with_user(self.salesman).read(["name"])

    def test_single_document(self):
        self.assertEqual(self.licence_scan.res_model, "credit.contract.document")
        destruction = self._approved(self.plain_licence, method="tearing")
        self.assertFalse(destruction.confidential)
        self.assertEqual(destruction.line_ids.scope, "document")
        self._destroy(destruction, witness=self.salesman)

        licence = self.plain_licence.with_context(active_test=False)
        self.assertTrue(licence.destroyed)
        self.assertFalse(licence.active)
        self.assertEqual(licence.state, "destroyed")
        self.assertEqual((self.licence_scan.res_model, self.licence_scan.res_id), (destruction._name, destruction.id))
        # the rest of the archive stays as it was
        self.assertTrue(self.archive_plain.active)
        self.assertEqual(self.archive_plain.state, "open")
        self.assertFalse(self.archive_plain.destruction_date)
        self.archive_plain.invalidate_recordset(["document_ids"])
        self.assertNotIn(licence, self.archive_plain.document_ids)
        self.assertTrue(self.plain_original.active)
        self.assertFalse(self.plain_original.destroyed)
        self.assertEqual(self.original_scan.res_model, "credit.contract.document")
        message = self.archive_plain.message_ids.filtered(lambda m: LINK.search(m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(licence.document_type_id.name, message.body)
        self.assertIn("Tearing Up", message.body)
        # a destroyed document is not changed any more
        with self.assertRaises(UserError):
            licence.with_user(self.salesman).write({"note": "Back again"})

    def test_shredding_required_for_confidential(self):
        for record in (self.archive_secret, self.secret_original):
            with self.assertRefused(ValidationError, "shredding only"):
                self._destruction(record, method="tearing")
        # a confidential line added to an ordinary torn-up destruction
        destruction = self._destruction(self.plain_licence, method="other", method_note="Pulping")
        with self.assertRefused(ValidationError, "shredding only"):
            self.env["credit.file.destruction.line"].with_user(self.archivist).create({
                "destruction_id": destruction.id, "archive_id": self.archive_secret.id,
            })
        # the onchange of the form picks shredding as soon as a line is confidential
        with Form(self.Destruction.with_user(self.archivist)) as form:
            form.reason = "Duplicates"
            form.method = "tearing"
            with form.line_ids.new() as line:
                line.archive_id = self.archive_secret
            self.assertEqual(form.method, "shredding")
        # an archive made confidential after the approval is still shredded
        destruction = self._approved(self.archive_plain, method="tearing")
        self.archive_plain.with_user(self.salesman).confidential = True
        destruction.witness_id = self.borrower
        with self.assertRefused(UserError, "shredding only"):
            destruction.with_user(self.archivist).action_destroy()
        self.assertEqual(destruction.state, "approved")
        self.assertTrue(self.archive_plain.active)
        self.assertEqual(self.archive_plain.state, "open")

    def test_refusals(self):
        destruction = self._destruction(self.archive_plain, method="tearing")
        # not approved: draft, then waiting for approval
        destruction.witness_id = self.borrower
        with self.assertRefused(UserError, "not approved"):
            destruction.with_user(self.archivist).action_destroy()
        destruction.with_user(self.archivist).action_submit()
        with self.assertRefused(UserError, "not approved"):
            destruction.with_user(self.archivist).action_destroy()
        # approval by a Credit Manager only, execution by an archivist only
        with self.assertRefused(AccessError):
            destruction.with_user(self.archivist).action_approve()
        destruction.with_user(self.credit_manager).action_approve()
        with self.assertRefused(AccessError):
            destruction.with_user(self.credit_manager).action_destroy()
        # no witness, or the archivist as their own witness
        destruction.witness_id = False
        with self.assertRefused(UserError, "witness"):
            destruction.with_user(self.archivist).action_destroy()
        destruction.with_user(self.archivist).witness_id = self.archivist
        with self.assertRefused(UserError, "witness"):
            destruction.with_user(self.archivist).action_destroy()
        self.assertEqual(destruction.state, "approved")
        self.assertTrue(self.archive_plain.active)
        self.assertFalse(any(self.archive_plain.document_ids.mapped("destroyed")))
        # the workflow fields are the buttons' business
        with self.assertRefused(UserError, "buttons only"):
            destruction.with_user(self.archivist).write({"state": "done"})
        with self.assertRefused(UserError, "draft"):
            destruction.with_user(self.archivist).write({"method": "other"})

        # already destroyed: a second approved destruction of the same archive and of one of its documents
        second = self._approved(self.archive_plain, method="tearing")
        document_only = self._approved(self.plain_original, method="tearing")
        self._destroy(destruction, witness=self.salesman)
        for other in (second, document_only):
            other.witness_id = self.borrower
            with self.assertRefused(UserError, "already destroyed"):
                other.with_user(self.archivist).action_destroy()
            self.assertEqual(other.state, "approved")
        with self.assertRefused(UserError, "already destroyed"):
            self._destruction(self.archive_plain, method="tearing").with_user(self.archivist).action_submit()

    def test_lines_are_consistent(self):
        with self.assertRefused(ValidationError, "twice"):
            self._destruction(self.plain_licence, self.plain_licence, method="tearing")
        with self.assertRefused(ValidationError, "destroyed whole"):
            self._destruction(self.archive_plain, self.plain_licence, method="tearing")
        with self.assertRefused(ValidationError, "not a document of"):
            self.Destruction.with_user(self.archivist).create({
                "reason": "Mixed up", "line_ids": [Command.create({
                    "archive_id": self.archive_secret.id, "document_id": self.plain_licence.id})],
            })
        with self.assertRefused(UserError, "Add the files"):
            self.Destruction.with_user(self.archivist).create({"reason": "Nothing"}).action_submit()
        # once submitted, the files are those approved
        destruction = self._destruction(self.plain_licence, method="tearing")
        destruction.with_user(self.archivist).action_submit()
        with self.assertRefused(UserError, "draft only"):
            self.env["credit.file.destruction.line"].with_user(self.archivist).create({
                "destruction_id": destruction.id, "archive_id": self.archive_plain.id,
                "document_id": self.plain_original.id,
            })
        with self.assertRefused(UserError, "draft only"):
            destruction.line_ids.with_user(self.archivist).unlink()
        destruction.with_user(self.archivist).action_draft()
        destruction.line_ids.with_user(self.archivist).document_id = self.plain_original
        self.assertEqual(destruction.line_ids.document_id, self.plain_original)

    def test_refusal_lent_archive(self):
        """An archive out on loan is not destroyed (when the loan model is installed)."""
        destruction = self._approved(self.archive_plain, method="tearing")
        destruction.witness_id = self.borrower
        Destruction = self.env["credit.file.destruction"]
        if self.env.registry.get("credit.file.loan") is not None:
            self._lend(self.archive_plain)
            self.assertEqual(Destruction._lent_archives(self.archive_plain), self.archive_plain)
            with self.assertRefused(UserError, "lent out"):
                destruction.with_user(self.archivist).action_destroy()
            self.assertEqual(destruction.state, "approved")
            self.assertTrue(self.archive_plain.active)
        else:
            # no loan model: no archive is ever out on loan
            self.assertFalse(Destruction._lent_archives(self.archive_plain))
            self._destroy(destruction)
            self.assertEqual(destruction.state, "done")
        self.assertFalse(Destruction._lent_archives(self.archive_secret))

    def _lend(self, archive):
        """A loan of ``archive`` in state 'lent', whatever the loan model asks for."""
        Loan = self.env["credit.file.loan"]
        vals = {}
        for name, field in Loan._fields.items():
            if field.type in ("many2one", "many2many") and field.comodel_name == "credit.contract.archive":
                vals[name] = archive.id if field.type == "many2one" else [Command.set(archive.ids)]
            elif field.type == "many2one" and field.comodel_name == "credit.contract.document":
                vals.setdefault(name, archive.document_ids[:1].id)
        loan = Loan.with_user(self.borrower).new(vals)
        for name, field in Loan._fields.items():
            if field.required and name not in vals and not field.compute and not loan[name]:
                if field.type == "many2one":
                    comodel = self.env[field.comodel_name]
                    known = {"res.users": self.borrower, "res.partner": archive.partner_id, "res.company": self.company}
                    vals[name] = known.get(field.comodel_name, comodel.search([], limit=1)).id
                elif field.type in ("date", "datetime"):
                    vals[name] = fields.Date.today()
                elif field.type in ("char", "text", "html"):
                    vals[name] = "Loan for the test"
                elif field.type == "selection" and name != "state":
                    vals[name] = field._description_selection(self.env)[0][0]
        loan = Loan.sudo().create(vals)
        # the loan's own workflow is tested by its own tests; here it only has to be out
        self.env.cr.execute("UPDATE credit_file_loan SET state = 'lent' WHERE id = %s", [loan.id])
        loan.invalidate_recordset(["state"])
        return loan

    def test_done_record_is_kept(self):
        destruction = self._destroy(self._approved(self.plain_licence, method="tearing"))
        for user in (self.archivist, self.credit_manager):
            with self.assertRefused(UserError, "cannot be changed"):
                destruction.with_user(user).write({"reason": "Changed my mind"})
            with self.assertRefused(UserError, "cannot be changed"):
                destruction.with_user(user).write({"witness_id": self.salesman.id})
            with self.assertRefused(UserError):
                destruction.with_user(user).unlink()
            with self.assertRefused(UserError):
                destruction.line_ids.with_user(user).write({"description": "Something else"})
            with self.assertRefused(UserError):
                destruction.line_ids.with_user(user).unlink()
            with self.assertRefused(UserError):
                destruction.with_user(user).action_cancel()
            with self.assertRefused(UserError):
                destruction.with_user(user).action_draft()
        self.assertTrue(destruction.exists())
        self.assertEqual(destruction.state, "done")
        self.assertEqual(destruction.reason, "Retention period over")
        # the chatter stays open
        destruction.with_user(self.credit_manager).message_post(body="Checked the shredder bags.")
        # a draft one can go
        draft = self._destruction(self.archive_secret)
        draft.with_user(self.archivist).unlink()
        self.assertFalse(draft.exists())

    def test_access(self):
        destruction = self._destruction(self.archive_plain, method="tearing")
        for user in (self.archivist, self.credit_manager):
            mine = self._destruction(self.plain_original, method="tearing", user=user)
            self.assertEqual(mine.with_user(user).line_ids.document_id, self.plain_original)
            self.assertEqual(self.Destruction.with_user(user).search([("id", "=", destruction.id)]), destruction)
        # credit users (salespeople) and plain employees see no destruction: it holds the destroyed files
        for user in (self.salesman, self.borrower):
            with self.assertRaises(AccessError):
                self.Destruction.with_user(user).search([])
            with self.assertRaises(AccessError):
                destruction.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self._destruction(self.archive_secret, user=user)
        # multi-company: a company the archivist is not in
        other_company = self.env["res.company"].create({"name": "Other Archive Co"})
        other = self.Destruction.sudo().create({
            "company_id": other_company.id, "reason": "Elsewhere", "method": "shredding",
        })
        self.assertFalse(self.Destruction.with_user(self.archivist).search([("id", "=", other.id)]))
        # inspections: archivists record them, Credit Managers read them
        inspection = self.env["credit.archive.inspection"].with_user(self.archivist).create({"room": "Room A"})
        self.assertEqual(inspection.with_user(self.credit_manager).room, "Room A")
        with self.assertRaises(AccessError):
            self.env["credit.archive.inspection"].with_user(self.credit_manager).create({"room": "Room B"})
        with self.assertRaises(AccessError):
            inspection.with_user(self.credit_manager).action_done()
        for user in (self.salesman, self.borrower):
            with self.assertRaises(AccessError):
                inspection.with_user(user).read(["room"])

    def test_views_load_for_each_role(self):
        for user in (self.archivist, self.credit_manager):
            for model in ("credit.file.destruction", "credit.archive.inspection"):
                views = self.env[model].with_user(user).get_views(
                    [(False, "list"), (False, "form"), (False, "search"), (False, "activity")])
                self.assertTrue(views["views"]["form"]["arch"])
        # the Destroy… button of the contract archive form: archivists and Credit Managers only
        for user, shown in ((self.archivist, True), (self.credit_manager, True), (self.salesman, False)):
            arch = self.env["credit.contract.archive"].with_user(user).get_views([(False, "form")])[
                "views"]["form"]["arch"]
            self.assertEqual("credit_destroy_archive_id" in arch, shown, user.name)

    def test_destroy_button_of_the_archive(self):
        context = {"credit_destroy_archive_id": self.archive_secret.id}
        with Form(self.Destruction.with_user(self.archivist).with_context(**context)) as form:
            form.reason = "Contract over for ten years"
            self.assertEqual(len(form.line_ids), 1)
            with form.line_ids.edit(0) as line:
                self.assertEqual(line.archive_id, self.archive_secret)
        destruction = form.record
        self.assertEqual(destruction.line_ids.archive_id, self.archive_secret)
        self.assertEqual(destruction.method, "shredding")

    def test_destruction_record_report(self):
        destruction = self._destroy(self._approved(self.archive_secret, self.plain_licence))
        html, report_type = self.env["ir.actions.report"].with_user(self.archivist)._render_qweb_html(
            DESTRUCTION_REPORT, destruction.ids)
        self.assertEqual(report_type, "html")
        html = html.decode()
        for text in ("Destruction Record", destruction.name, "Retention period over", "Shredding",
                     self.archive_secret.name, self.archive_plain.name, self.plain_licence.document_type_id.name,
                     "Whole archive", self.credit_manager.name, self.archivist.name, self.borrower.name,
                     "Signature", "Witness"):
            self.assertIn(text, html)
        self.assertNotIn("Not destroyed yet", html)

    # ------------------------------------------------------------------
    # inspections
    # ------------------------------------------------------------------
    def _reminders(self):
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "credit.archive.inspection"),
            ("activity_type_id", "=", self.env.ref(REMINDER_ACTIVITY).id),
        ])
        inspections = self.env["credit.archive.inspection"].browse(activities.mapped("res_id"))
        return activities.filtered(lambda a: inspections.browse(a.res_id).company_id == self.company)

    def test_inspection_reminder_cron(self):
        # the scheduled action runs as the superuser
        Inspection = self.env["credit.archive.inspection"].sudo()
        self.company.credit_archive_inspection_days = 90
        with freeze_time("2026-01-10"):
            # never inspected: one reminder, on a draft inspection for the archivist
            Inspection._cron_inspection_reminder()
            reminder = self._reminders()
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.archivist)
            Inspection._cron_inspection_reminder()
            self.assertEqual(self._reminders(), reminder)
            inspection = Inspection.browse(reminder.res_id).with_env(self.env)
            self.assertEqual((inspection.state, inspection.inspector_id), ("draft", self.archivist))

            inspection.with_user(self.archivist).write({
                "room": "Archive room 1", "finding_damp": True, "description": "Damp corner behind cabinet 3",
                "follow_up": "Install a dehumidifier",
            })
            self.assertEqual(inspection.result, "issues")
            inspection.with_user(self.archivist).action_done()
            self.assertEqual(inspection.state, "done")
            self.assertFalse(self._reminders())
            follow_up = inspection.activity_ids
            self.assertEqual(follow_up.activity_type_id, self.env.ref(FOLLOW_UP_ACTIVITY))
            self.assertEqual(follow_up.user_id, self.archivist)
            self.assertEqual(str(follow_up.date_deadline), "2026-01-17")
            # the findings are the record of the inspection
            with self.assertRefused(UserError):
                inspection.with_user(self.archivist).write({"finding_damp": False})
            with self.assertRefused(UserError):
                inspection.with_user(self.archivist).unlink()
            inspection.with_user(self.archivist).action_follow_up_done()
            self.assertFalse(inspection.activity_ids)

        with freeze_time("2026-04-09"):  # 89 days later: not due yet
            Inspection._cron_inspection_reminder()
            self.assertFalse(self._reminders())
        with freeze_time("2026-04-11"):  # 91 days later: due, once
            Inspection._cron_inspection_reminder()
            Inspection._cron_inspection_reminder()
            reminder = self._reminders()
            self.assertEqual(len(reminder), 1)
            # an inspection without issues leaves no follow-up, and answers the reminder
            ok = Inspection.with_user(self.archivist).create({"room": "Archive room 1"})
            ok.with_user(self.archivist).action_done()
            self.assertEqual(ok.result, "ok")
            self.assertFalse(ok.activity_ids)
            self.assertFalse(self._reminders())
            Inspection._cron_inspection_reminder()
            self.assertFalse(self._reminders())

    def test_inspection_refusals(self):
        inspection = self.env["credit.archive.inspection"].with_user(self.archivist).create({
            "room": "Room B", "finding_insects": True,
        })
        with self.assertRefused(UserError, "Describe"):
            inspection.with_user(self.archivist).action_done()
        with self.assertRefused(UserError, "button"):
            inspection.with_user(self.archivist).write({"state": "done"})
        self.assertEqual(inspection.state, "draft")


@tagged("post_install", "-at_install")
class TestCreditFileDestructionPdf(CreditDestructionCommon, HttpCase):
    """The destruction record printed as a PDF (wkhtmltopdf needs the HTTP server of an HttpCase)."""

    def test_destruction_record_pdf(self):
        destruction = self._destroy(self._approved(self.archive_secret))
        report = self.env["ir.actions.report"].with_user(self.archivist).with_context(force_report_rendering=True)
        if report.get_wkhtmltopdf_state() == "install":
            with self.assertRaises(UserError):
                report._render_qweb_pdf(DESTRUCTION_REPORT, destruction.ids)
            return
        pdf, report_type = report._render_qweb_pdf(DESTRUCTION_REPORT, destruction.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
