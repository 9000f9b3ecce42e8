import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.customer_credit_archive.models.credit_backup import CreditBackup

from .common import CreditArchiveCommon


@tagged("post_install", "-at_install")
class TestCreditBackup(CreditArchiveCommon):
    """The monthly backup of the credit files (policy variant 10): archive, checks, retention, cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param("customer_credit_archive.backup_keep", "12")
        cls.params.set_param("customer_credit_archive.backup_day", "1")
        cls.admin = new_test_user(
            cls.env, login="credit_backup_admin", name="Backup Admin", groups="base.group_user,base.group_system",
            company_id=cls.company.id,
        )
        cls.Backup = cls.env["credit.backup"].with_user(cls.admin)
        cls.customer = cls._graded_customer("上海联华", cls.grade_a, limit=50000)
        cls.old_customer = cls._graded_customer("旧客户", cls.grade_b)
        cls.file = cls._customer_file(cls.customer, legal_representative="张三")
        cls.old_file = cls._customer_file(cls.old_customer)
        cls.old_file.active = False  # archived files are backed up too
        cls.archive = cls._contract_archive(cls.customer)
        cls.pdf = b"%PDF-1.4 contract scan \x00\xff"
        cls.attachment = cls.env["ir.attachment"].create({
            "name": "contract scan.pdf", "raw": cls.pdf,
            "res_model": "credit.contract.archive", "res_id": cls.archive.id,
        })

    def setUp(self):
        super().setUp()
        # a directory of its own per test: the files outlive the rolled-back log rows
        self.backup_dir = tempfile.mkdtemp(prefix="credit_backup_test_")
        self.addCleanup(shutil.rmtree, self.backup_dir, ignore_errors=True)
        self.params.set_param("customer_credit_archive.backup_directory", self.backup_dir)

    @classmethod
    def _customer_file(cls, partner, **vals):
        File = cls.env["credit.customer.file"].with_context(active_test=False)
        file = File.search([("partner_id", "=", partner.id), ("company_id", "=", cls.company.id)])
        if not file:
            file = File.create({"partner_id": partner.id})
        if vals:
            file.write(vals)
        return file

    def _zips(self, directory=None):
        directory = directory or self.backup_dir
        return sorted(name for name in os.listdir(directory) if name.endswith(".zip"))

    @staticmethod
    def _model_rows(archive, model):
        return {row["id"]: row for row in json.loads(archive.read(f"models/{model}.json"))}

    def _live_count(self, model):
        return self.env[model].sudo().with_context(active_test=False).search_count([])

    # ------------------------------------------------------------------
    # the archive
    # ------------------------------------------------------------------
    def test_backup_archive_content(self):
        backup = self.Backup.browse(self.Backup.action_backup_now()["res_id"])
        self.assertEqual(backup.state, "verified", backup.error_message)
        self.assertTrue(backup.file_path.startswith(self.backup_dir))
        self.assertEqual(backup.file_size, os.path.getsize(backup.file_path))
        # the .sha256 beside the zip, in sha256sum's format
        with open(f"{backup.file_path}.sha256", encoding="utf-8") as stream:
            checksum, name = stream.read().split()
        with open(backup.file_path, "rb") as stream:
            self.assertEqual(checksum, hashlib.sha256(stream.read()).hexdigest())
        self.assertEqual(checksum, backup.checksum)
        self.assertEqual(name, os.path.basename(backup.file_path))
        self.assertFalse([name for name in os.listdir(self.backup_dir) if name.endswith(".part")])

        with zipfile.ZipFile(backup.file_path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            self.assertEqual(manifest["database"], self.env.cr.dbname)
            self.assertTrue(manifest["module_version"])
            # every concrete model of the addon, none of its wizards, mixins or SQL views
            self.assertIn("credit.contract.archive", manifest["models"])
            self.assertIn("credit.grade.history", manifest["models"])
            self.assertNotIn("credit.file.line.mixin", manifest["models"])
            self.assertNotIn("credit.release.wizard", manifest["models"])
            self.assertNotIn("credit.backup", manifest["models"])
            for model in ("credit.customer.file", "credit.contract.archive", "credit.grade", "res.partner"):
                self.assertEqual(manifest["models"][model], self._live_count(model), model)
            self.assertIn(f"res.partner: {manifest['models']['res.partner']}", backup.record_counts)
            # every file of the archive has its sha256 in the manifest
            self.assertEqual(set(manifest["files"]), set(archive.namelist()) - {"manifest.json"})
            for member, digest in manifest["files"].items():
                self.assertEqual(hashlib.sha256(archive.read(member)).hexdigest(), digest, member)

            files = self._model_rows(archive, "credit.customer.file")
            self.assertEqual(files[self.file.id]["legal_representative"], "张三")
            self.assertEqual(files[self.file.id]["partner_id"], self.customer.id)
            self.assertIs(files[self.old_file.id]["active"], False)
            # translations are kept in every language
            grades = self._model_rows(archive, "credit.grade")
            self.assertEqual(grades[self.grade_a.id]["name"]["en_US"], self.grade_a.with_context(lang="en_US").name)
            # the partners' credit fields, not the whole partner
            partners = self._model_rows(archive, "res.partner")
            # company-dependent values: per company, as stored
            self.assertEqual(partners[self.customer.id]["credit_grade_id"], {str(self.company.id): self.grade_a.id})
            self.assertNotIn("email", partners[self.customer.id])
            # the attachment: its metadata and its bytes
            attachments = self._model_rows(archive, "ir.attachment")
            self.assertEqual(attachments[self.attachment.id]["res_model"], "credit.contract.archive")
            self.assertEqual(attachments[self.attachment.id]["res_id"], self.archive.id)
            self.assertEqual(archive.read(f"attachments/{self.attachment.id}_contract_scan.pdf"), self.pdf)

    def test_restore_check(self):
        backup = self.Backup._run_backup()
        self.assertEqual(backup.state, "verified")
        self.assertEqual(backup.restore_check_result, "The archive was read back without any difference.")
        # a file created since the backup is a difference, not an error
        self._customer_file(self._graded_customer("新客户", self.grade_c))
        backup.action_restore_check()
        self.assertEqual(backup.state, "verified")
        count = int(dict(line.split(": ") for line in backup.record_counts.splitlines())["credit.customer.file"])
        self.assertIn(f"credit.customer.file: {count} records in the backup, {count + 1} in the database now",
                      backup.restore_check_result)

    def test_restore_check_fails_on_tampered_archive(self):
        first = self.Backup._run_backup()
        backup = self.Backup._run_backup()
        self.params.set_param("customer_credit_archive.backup_keep", "1")
        # a file of the archive changed, the zip's own .sha256 rewritten to match
        tampered = f"{backup.file_path}.tmp"
        with zipfile.ZipFile(backup.file_path) as source, zipfile.ZipFile(tampered, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "models/credit.customer.file.json":
                    data = data.replace("张三".encode(), "李四".encode())
                target.writestr(item, data)
        os.replace(tampered, backup.file_path)
        with open(backup.file_path, "rb") as stream:
            digest = hashlib.sha256(stream.read()).hexdigest()
        with open(f"{backup.file_path}.sha256", "w", encoding="utf-8") as stream:
            stream.write(f"{digest}  {os.path.basename(backup.file_path)}\n")
        backup.action_restore_check()
        self.assertEqual(backup.state, "failed")
        self.assertIn("models/credit.customer.file.json: its sha256 differs from the manifest", backup.error_message)
        self.assertIn("differs from the one logged", backup.error_message)
        self.assertTrue(backup.activity_ids)
        # a byte appended to the zip: the .sha256 does not match any more
        with open(first.file_path, "ab") as stream:
            stream.write(b"\0")
        first.action_restore_check()
        self.assertEqual(first.state, "failed")
        self.assertIn("differs from its .sha256 file", first.error_message)
        # nothing was deleted
        self.assertTrue(os.path.exists(backup.file_path) and os.path.exists(first.file_path))
        self.assertFalse((first | backup).filtered("purged"))

    def test_retention_keeps_n_copies(self):
        self.params.set_param("customer_credit_archive.backup_keep", "2")
        backups = self.Backup.browse()
        for _i in range(4):
            backups |= self.Backup._run_backup()
        self.assertEqual(backups.mapped("state"), ["verified"] * 4)
        self.assertEqual(backups.mapped("purged"), [True, True, False, False])
        self.assertEqual(self._zips(), sorted(os.path.basename(path) for path in backups[2:].mapped("file_path")))
        for backup in backups[:2]:
            self.assertFalse(os.path.exists(backup.file_path) or os.path.exists(f"{backup.file_path}.sha256"))
            self.assertTrue(backup.purge_date)

    def test_failed_check_deletes_nothing(self):
        previous = self.Backup._run_backup()
        self.params.set_param("customer_credit_archive.backup_keep", "1")

        def broken_check(backup, errors, notes):
            errors.append("simulated unreadable archive")

        with patch.object(CreditBackup, "_restore_check_archive", broken_check):
            backup = self.Backup._run_backup()
        self.assertEqual(backup.state, "failed")
        self.assertIn("simulated unreadable archive", backup.error_message)
        self.assertFalse(previous.purged)
        self.assertEqual(len(self._zips()), 2)

    def test_failure_leaves_activity_and_keeps_copies(self):
        previous = self.Backup._run_backup() | self.Backup._run_backup()
        self.params.set_param("customer_credit_archive.backup_keep", "1")
        blocker = os.path.join(self.backup_dir, "not_a_directory")
        with open(blocker, "w", encoding="utf-8") as stream:
            stream.write("x")
        # a path under a file cannot be created, even by root
        self.params.set_param("customer_credit_archive.backup_directory", os.path.join(blocker, "sub"))
        with self.assertLogs("odoo.addons.customer_credit_archive.models.credit_backup", "ERROR"):
            backup = self.Backup._run_backup()
        self.assertEqual(backup.state, "failed")
        self.assertIn("could not be written", backup.error_message)
        self.assertFalse(backup.file_path)
        activity = backup.activity_ids
        self.assertTrue(activity)
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("customer_credit_archive.mail_activity_type_credit_backup_failed"))
        self.assertIn(self.admin, activity.user_id)
        self.assertTrue(all(user.has_group("base.group_system") for user in activity.user_id))
        # no previous copy deleted
        self.assertFalse(previous.filtered("purged"))
        self.assertEqual(len(self._zips()), 2)
        self.assertTrue(all(os.path.exists(path) for path in previous.mapped("file_path")))

    # ------------------------------------------------------------------
    # the cron
    # ------------------------------------------------------------------
    def test_cron_runs_on_the_configured_day_once_a_month(self):
        cron = self.env["credit.backup"].with_user(self.env.ref("base.user_root"))
        self.params.set_param("customer_credit_archive.backup_day", "5")
        with freeze_time("2031-03-04 23:00:00"):
            self.assertFalse(cron._cron_monthly_backup())
        with freeze_time("2031-03-05 01:00:00"):
            march = cron._cron_monthly_backup()
            self.assertEqual(march.state, "verified")
            self.assertFalse(cron._cron_monthly_backup())
        with freeze_time("2031-03-20 01:00:00"):
            self.assertFalse(cron._cron_monthly_backup())
        with freeze_time("2031-04-05 01:00:00"):
            april = cron._cron_monthly_backup()
            self.assertTrue(april)
        self.assertEqual(self.env["credit.backup"].search([("date", ">=", "2031-01-01")]), march | april)
        # a month whose backup day passed without a good backup (server down) is caught up
        with freeze_time("2031-05-09 01:00:00"):
            self.assertTrue(cron._cron_monthly_backup())

    def test_settings(self):
        self.params.set_param("customer_credit_archive.backup_directory", "")
        settings = self.env["credit.backup"]._backup_settings()
        self.assertTrue(settings["directory"].endswith(os.path.join("credit_backups", self.env.cr.dbname)))
        self.assertEqual((settings["day"], settings["keep"]), (1, 12))
        Settings = self.env["res.config.settings"].with_user(self.admin)
        with self.assertRefused(ValidationError, "1 to 28"):
            Settings.create({"credit_backup_day": 31})
        with self.assertRefused(ValidationError, "At least one backup"):
            Settings.create({"credit_backup_keep": 0})
        Settings.create({"credit_backup_day": 15, "credit_backup_keep": 3}).execute()
        self.assertEqual(self.params.get_param("customer_credit_archive.backup_day"), "15")
        self.assertEqual(self.env["credit.backup"]._backup_settings()["keep"], 3)

    # ------------------------------------------------------------------
    # access
    # ------------------------------------------------------------------
    def test_access(self):
        backup = self.Backup._run_backup()
        # a salesman neither reads the log nor runs a backup
        with self.assertRefused(AccessError):
            self.env["credit.backup"].with_user(self.salesman).search([])
        with self.assertRefused(AccessError):
            self.env["credit.backup"].with_user(self.salesman).action_backup_now()
        # a Credit Manager reads it, but neither runs a backup nor checks one
        as_manager = backup.with_user(self.credit_manager)
        self.assertEqual(as_manager.search([("id", "=", backup.id)]).state, "verified")
        self.assertTrue(as_manager.record_counts)
        with self.assertRefused(AccessError, "Only an administrator"):
            as_manager.action_backup_now()
        with self.assertRefused(AccessError, "Only an administrator"):
            as_manager.action_restore_check()
        with self.assertRefused(AccessError):
            as_manager.write({"state": "verified"})
