import contextlib
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditCommon

SECRET = "Zhang Distinctive-Representative"
REPORT = "customer_credit_archive.action_report_credit_customer_file_card"


class AccessLogCommon(CreditCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman.groups_id |= cls.env.ref("base.group_allow_export")
        cls.other_salesman = new_test_user(
            cls.env, login="log_other_salesman", name="Other Salesman",
            groups="base.group_partner_manager,sales_team.group_sale_salesman,base.group_allow_export",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer = cls.env["res.partner"].create({
            "name": "Logged Customer", "is_company": True, "user_id": cls.salesman.id,
        })
        cls.file = cls.env["credit.customer.file"]._file_for(cls.customer)
        cls.file.write({"legal_representative": SECRET,
                        "key_person_ids": [Command.create({"name": "Boss", "role": "owner"})]})
        cls.Log = cls.env["credit.file.access.log"]

    def _new_logs(self, before):
        return self.Log.search([("id", ">", before)], order="id")

    def _last_id(self):
        return self.Log.search([], limit=1, order="id desc").id or 0

    def assertNoValue(self, logs):
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM credit_file_access_log WHERE id = ANY(%s)", [logs.ids])
        for row in self.env.cr.fetchall():
            self.assertNotIn("Zhang", repr(row))


@tagged("post_install", "-at_install", "security")
class TestCreditAccessLog(AccessLogCommon):
    """Issue 6 items 4 and 5: the access log of the confidential files."""

    def _read_once(self, channel, call):
        before = self._last_id()
        result = call(self.file.with_user(self.salesman))
        logs = self._new_logs(before)
        self.assertEqual(len(logs), 1, channel)
        self.assertRecordValues(logs, [{
            "channel": channel, "part": "file", "file_id": self.file.id,
            "user_id": self.salesman.id, "record_ids": str(self.file.id), "record_count": 1,
            "res_model": "credit.customer.file", "violation": False, "fine": 0.0,
            "request_id": False, "company_id": self.company.id,
        }])
        self.assertNoValue(logs)
        return result

    def test_form_read(self):
        values = self._read_once("form", lambda file: file.web_read(
            {"legal_representative": {}, "partner_id": {"fields": {"display_name": {}}}}))
        self.assertEqual(values[0]["legal_representative"], SECRET)

    def test_list_read(self):
        File = self.env["credit.customer.file"].with_user(self.salesman)
        before = self._last_id()
        result = File.web_search_read([("id", "=", self.file.id)], {"legal_representative": {}})
        self.assertEqual(result["records"][0]["legal_representative"], SECRET)
        logs = self._new_logs(before)
        self.assertRecordValues(logs, [{"channel": "list", "file_id": self.file.id,
                                        "record_ids": str(self.file.id)}])

    def test_list_of_files_one_row(self):
        """A list of files read without a request is one row (the record ids are the file ids),
        so that logging a list of 80 customers costs one small INSERT."""
        second = self.env["credit.customer.file"]._file_for(self.env["res.partner"].create({
            "name": "Second Logged Customer", "is_company": True, "user_id": self.salesman.id,
        }))
        File = self.env["credit.customer.file"].with_user(self.salesman)
        before = self._last_id()
        File.web_search_read([("id", "in", (self.file | second).ids)], {"legal_representative": {}})
        logs = self._new_logs(before)
        ids = sorted((self.file | second).ids)
        self.assertRecordValues(logs, [{"channel": "list", "file_id": False, "record_count": 2,
                                        "record_ids": ",".join(map(str, ids))}])

    def test_rpc_read(self):
        self._read_once("rpc", lambda file: file.read(["legal_representative"]))

    def test_export(self):
        result = self._read_once("export", lambda file: file.export_data(
            ["legal_representative"]))
        self.assertEqual(result["datas"], [[SECRET]])

    def test_report(self):
        self._read_once("report", lambda file: self.env["ir.actions.report"].with_user(
            self.salesman)._render_qweb_pdf(REPORT, file.ids))

    def test_key_person_part(self):
        persons = self.file.key_person_ids
        before = self._last_id()
        persons.with_user(self.salesman).read(["name"])
        self.assertRecordValues(self._new_logs(before), [{
            "part": "key_person", "file_id": self.file.id, "channel": "rpc",
            "res_model": "credit.key.person", "record_ids": ",".join(map(str, persons.ids))}])

    def test_labels_and_superuser_not_logged(self):
        before = self._last_id()
        self.file.with_user(self.salesman).web_read({"display_name": {}})
        self.file.with_user(SUPERUSER_ID).read(["legal_representative"])
        self.file.with_user(self.salesman).sudo().read(["legal_representative"])
        self.assertFalse(self._new_logs(before))

    def test_read_through_request(self):
        today = fields.Date.context_today(self.salesman)
        request = self.env["credit.file.access.request"].with_user(self.other_salesman).create({
            "partner_id": self.customer.id, "purpose": "Visit",
            "date_from": today, "date_to": today + timedelta(days=1),
        })
        request.with_user(self.other_salesman).action_submit()
        request.with_user(self.credit_manager).action_approve()
        before = self._last_id()
        self.file.with_user(self.other_salesman).web_read({"legal_representative": {}})
        self.assertRecordValues(self._new_logs(before), [{
            "user_id": self.other_salesman.id, "request_id": request.id, "violation": False}])

    def _assert_violation(self, channel, call):
        before = self._last_id()
        violations = self.env["credit.file.violation"].search([])
        # not assertRaises: it rolls back to a savepoint, and in tests the violation is written
        # in the test's cursor (in production: a cursor of its own, committed)
        with contextlib.suppress(AccessError):
            call(self.file.with_user(self.other_salesman))
            self.fail("read not refused")
        logs = self._new_logs(before)
        self.assertRecordValues(logs, [{
            "channel": channel, "violation": True, "fine": 50.0, "file_id": self.file.id,
            "user_id": self.other_salesman.id, "record_ids": str(self.file.id)}])
        self.assertNoValue(logs)
        violation = self.env["credit.file.violation"].search([]) - violations
        self.assertRecordValues(violation, [{
            "kind": "unauthorized_access", "amount": 50.0, "user_id": self.other_salesman.id,
            "file_id": self.file.id}])

    def test_refused_reads_are_violations(self):
        self._assert_violation("form", lambda file: file.web_read({"legal_representative": {}}))
        self._assert_violation("rpc", lambda file: file.read(["legal_representative"]))

    def test_refused_export_and_print(self):
        """Item 5: exporting or printing a file needs the right to read it."""
        self._assert_violation("export", lambda file: file.export_data(["legal_representative"]))
        self._assert_violation("report", lambda file: self.env["ir.actions.report"].with_user(
            self.other_salesman)._render_qweb_pdf(REPORT, file.ids))

    def test_violation_fine_setting(self):
        self.company.credit_access_violation_fine = 80
        with contextlib.suppress(AccessError):
            self.file.with_user(self.other_salesman).read(["legal_representative"])
            self.fail("read not refused")
        self.assertEqual(self.Log.search([], limit=1, order="id desc").fine, 80.0)

    def test_log_is_immutable(self):
        self.file.with_user(self.salesman).read(["legal_representative"])
        log = self.Log.search([], limit=1, order="id desc")
        as_manager = log.with_user(self.credit_manager)
        self.assertTrue(as_manager.read(["channel"]), "Credit Managers read the log")
        with self.assertRaises(AccessError):
            as_manager.write({"record_count": 5})
        with self.assertRaises(AccessError):
            as_manager.unlink()
        with self.assertRaises(AccessError):
            self.Log.with_user(self.credit_manager).create({
                "date": fields.Datetime.now(), "res_model": "x", "part": "file",
                "channel": "rpc", "company_id": self.company.id})
        with self.assertRaises(AccessError):
            log.with_user(self.salesman).read(["channel"])
        # sudo() is not enough: the trigger refuses
        for alter in (lambda: log.with_user(self.credit_manager).sudo().write({"record_count": 5}),
                      lambda: log.with_user(self.credit_manager).sudo().unlink()):
            with self.assertRaises(psycopg2.errors.InsufficientPrivilege), \
                    mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                alter()
                self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(log.record_count, 1)
        with self.assertRaises(AccessError):
            self.Log.with_user(self.credit_manager).sudo()._purge_access_log(
                fields.Datetime.now() + timedelta(days=1))
        # the maintenance of the superuser only
        self.assertGreaterEqual(
            self.Log.with_user(SUPERUSER_ID)._purge_access_log(fields.Datetime.now() + timedelta(days=1)), 1)
        self.assertFalse(log.exists())

    def test_deleted_file_keeps_its_log(self):
        self.file.with_user(self.salesman).read(["legal_representative"])
        log = self.Log.search([], limit=1, order="id desc")
        self.file.key_person_ids.unlink()
        self.file.unlink()
        self.env.invalidate_all()
        self.assertTrue(log.exists())
        self.assertFalse(log.file_id)
        self.assertEqual(log.record_ids, str(self.file.id))


@tagged("post_install", "-at_install", "security")
class TestCreditAccessLogHttp(AccessLogCommon, HttpCase):
    """The web client's list read goes through call_kw, which serves the reads of methods
    marked ``@api.readonly`` on a read-only cursor (a read-only TestCursor here)."""

    def test_list_read_over_rpc_is_logged(self):
        before = self._last_id()
        self.authenticate(self.salesman.login, self.salesman.login)
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/credit.customer.file/web_search_read", {
                "model": "credit.customer.file", "method": "web_search_read", "args": [],
                "kwargs": {"domain": [("id", "=", self.file.id)],
                           "specification": {"legal_representative": {}}},
            })
        self.assertEqual(result["records"][0]["legal_representative"], SECRET)
        logs = self._new_logs(before)
        self.assertRecordValues(logs, [{
            "channel": "list", "file_id": self.file.id, "user_id": self.salesman.id}])
        self.assertNoValue(logs)
        # a method still marked read-only is served on a read-only cursor: the log's guard
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/credit.customer.file/web_read", {
                "model": "credit.customer.file", "method": "web_read", "args": [[self.file.id]],
                "kwargs": {"specification": {"legal_representative": {}}},
            })
        self.assertRecordValues(self._new_logs(before)[1:], [{"channel": "form"}])
