import contextlib
import datetime
import hashlib
import json
import logging
import os
import re
import shutil
import zipfile

from odoo import api, fields, models, release
from odoo.exceptions import AccessError
from odoo.tools import SQL, config

_logger = logging.getLogger(__name__)

MODULE = "customer_credit_archive"
FILE_PREFIX = "credit_backup_"
FORMAT = "customer_credit_archive.backup"
FORMAT_VERSION = 1
BATCH_SIZE = 500
PARAM_DIRECTORY = "customer_credit_archive.backup_directory"
PARAM_DAY = "customer_credit_archive.backup_day"
PARAM_KEEP = "customer_credit_archive.backup_keep"
ATTACHMENT_FIELDS = [
    "name", "res_model", "res_id", "res_field", "type", "url", "mimetype", "file_size", "checksum",
    "store_fname", "description", "public", "company_id", "create_uid", "create_date", "write_uid",
    "write_date",
]


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, datetime.date):
        return fields.Date.to_string(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("ascii")  # binary columns are read as base64
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_atomically(path, write):
    """Write ``path`` through a temporary file renamed over it: a half-written file never exists."""
    tmp = f"{path}.part"
    try:
        with open(tmp, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


class _HashingWriter:
    """A zip member opened for writing that also computes the sha256 of what goes in."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()

    def write(self, data):  # pylint: disable=method-required-super  # a file-like object, not a model
        if isinstance(data, str):
            data = data.encode()
        self.digest.update(data)
        self.stream.write(data)


class CreditBackup(models.Model):
    """The monthly backup of the credit files (每月备份, policy variant 10): one zip per run with a
    JSON file per model of this addon, the credit fields of the partners, the attachments of the
    credit records and a manifest of counts and sha256, plus a log row here."""

    _name = "credit.backup"
    _description = "Credit File Backup"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    file_path = fields.Char(readonly=True)
    file_size = fields.Float(string="Size (bytes)", digits=(20, 0), readonly=True)
    checksum = fields.Char(string="SHA-256", readonly=True)
    state = fields.Selection(
        [("done", "Done"), ("verified", "Verified"), ("failed", "Failed")],
        required=True, readonly=True, tracking=True,
        help="Done: the archive was written. Verified: the restore check read it back without error. "
        "Failed: the backup or its restore check failed (see the error).",
    )
    record_counts = fields.Text(readonly=True)
    error_message = fields.Text(readonly=True)
    restore_check_date = fields.Datetime(readonly=True)
    restore_check_result = fields.Text(readonly=True)
    purged = fields.Boolean(
        readonly=True, tracking=True, help="The archive was deleted by the retention of the backups.",
    )
    purge_date = fields.Datetime(readonly=True)

    # ------------------------------------------------------------------
    # settings
    # ------------------------------------------------------------------
    @api.model
    def _backup_default_directory(self):
        return os.path.join(config["data_dir"], "credit_backups", self.env.cr.dbname)

    @api.model
    def _backup_settings(self):
        # sudo: the parameters are system settings, read by the cron and the administrator
        params = self.env["ir.config_parameter"].sudo()

        def integer(key, default):
            try:
                return int(params.get_param(key) or default)
            except ValueError:
                return default

        directory = (params.get_param(PARAM_DIRECTORY) or "").strip() or self._backup_default_directory()
        return {
            "directory": os.path.abspath(os.path.expanduser(directory)),
            "day": min(max(integer(PARAM_DAY, 1), 1), 28),
            "keep": max(integer(PARAM_KEEP, 12), 1),
        }

    def _check_backup_admin(self):
        if not self.env.is_system():
            raise AccessError(self.env._("Only an administrator can run or check a backup of the credit files."))

    # ------------------------------------------------------------------
    # actions and cron
    # ------------------------------------------------------------------
    @api.model
    def action_backup_now(self):
        self._check_backup_admin()
        backup = self.sudo()._run_backup()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": backup.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_restore_check(self):
        self._check_backup_admin()
        for backup in self.sudo():
            backup._restore_check()
        return True

    @api.model
    def _cron_monthly_backup(self):
        """Daily cron: back up on the configured day of the month. A month whose day passed without a
        successful backup (server down, failed run) is caught up by the next run of the cron."""
        settings = self._backup_settings()
        now = fields.Datetime.now()
        if now.day < settings["day"]:
            return False
        month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if self.search_count([("state", "in", ("done", "verified")), ("date", ">=", month_start)], limit=1):
            return False
        return self._run_backup()

    def _run_backup(self):
        """Write a backup, log it, check it can be read back; only then apply the retention."""
        settings = self._backup_settings()
        now = fields.Datetime.now()
        dbname = self.env.cr.dbname
        name = f"{FILE_PREFIX}{re.sub(r'[^A-Za-z0-9_.-]', '_', dbname)}_{now:%Y%m%d_%H%M%S}"
        try:
            # a savepoint: an SQL error while reading leaves the transaction usable for the log
            with self.env.cr.savepoint():
                result = self._backup_write(settings["directory"], name, now)
        except Exception as error:  # noqa: BLE001 - any failure is logged, then reported
            _logger.exception("Backup of the credit files failed")
            backup = self.create({
                "name": name, "date": now, "state": "failed",
                "error_message": self.env._("The backup could not be written to %(directory)s: %(error)s",
                                            directory=settings["directory"], error=error),
            })
            backup._backup_notify_failure()
            return backup
        backup = self.create({"name": os.path.basename(result["path"]), "date": now, "state": "done", **{
            key: result[key] for key in ("file_size", "checksum", "record_counts")
        }, "file_path": result["path"]})
        backup._restore_check()
        if backup.state == "verified":
            backup._backup_purge_old(settings["keep"])
        return backup

    # ------------------------------------------------------------------
    # writing the archive
    # ------------------------------------------------------------------
    @api.model
    def _backup_models(self):
        """{model: stored fields to export}: the concrete models of this addon (discovered from the
        registry, so models added later are backed up too), and the partners' credit fields."""
        result = {}
        for name in sorted(self.env.registry):
            model = self.env[name]
            if (model._original_module != MODULE or name == self._name or model._abstract
                    or model._transient or not model._auto or model._table_query):
                continue
            result[name] = sorted(
                fname for fname, field in model._fields.items()
                if field.store and field.type != "one2many" and not (field.type == "binary" and field.attachment)
            )
        partner_fields = self.env["res.partner"]._fields
        result["res.partner"] = ["name", "parent_id", "is_company"] + sorted(
            fname for fname, field in partner_fields.items()
            if field._module == MODULE and field.store and field.type != "one2many"
            and not (field.type == "binary" and field.attachment)
        )
        return result

    def _backup_write(self, directory, name, now):
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"{name}.zip")
        suffix = 1
        # two backups in the same second: never reuse a name, not even the one of a purged copy
        while os.path.exists(path) or self.search_count([("file_path", "=", path)], limit=1):
            suffix += 1
            path = os.path.join(directory, f"{name}_{suffix}.zip")
        manifest = {}

        def write_zip(stream):
            with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                manifest.update(self._backup_fill_zip(archive, now))

        # the zip is complete and renamed before its checksum file: a .sha256 always has its zip
        _write_atomically(path, write_zip)
        checksum = _sha256_file(path)
        _write_atomically(f"{path}.sha256",
                          lambda stream: stream.write(f"{checksum}  {os.path.basename(path)}\n".encode()))
        return {
            "path": path,
            "file_size": os.path.getsize(path),
            "checksum": checksum,
            "record_counts": self._format_counts(manifest["models"]),
        }

    @api.model
    def _format_counts(self, counts):
        return "\n".join(f"{model}: {count}" for model, count in sorted(counts.items()))

    def _backup_fill_zip(self, archive, now):
        counts, files = {}, {}
        models_fields = self._backup_models()
        for model_name, fnames in models_fields.items():
            member = f"models/{model_name}.json"
            counts[model_name], files[member] = self._backup_write_model(archive, member, model_name, fnames)
        credit_models = [name for name in models_fields if name != "res.partner"]
        member = "models/ir.attachment.json"
        counts["ir.attachment"], files[member] = self._backup_write_model(
            archive, member, "ir.attachment", ATTACHMENT_FIELDS, [("res_model", "in", credit_models)],
        )
        missing = self._backup_write_attachment_contents(archive, credit_models, files)
        # sudo: the version of the installed module, whoever runs the backup
        module = self.env["ir.module.module"].sudo().search([("name", "=", MODULE)], limit=1)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "database": self.env.cr.dbname,
            "date": fields.Datetime.to_string(now),
            "module": MODULE,
            "module_version": module.latest_version,
            "odoo_version": release.version,
            "models": counts,
            "files": files,
            "missing_attachments": missing,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        return manifest

    @api.model
    def _backup_records(self, model_name, domain=None):
        """Yield the records of ``model_name`` by batches of ids, archived ones included; the cache is
        emptied after each batch so that memory stays flat however many records there are."""
        # sudo: the backup holds every credit record, whatever the record rules
        model = self.env[model_name].sudo().with_context(active_test=False, skip_res_field_check=True)
        last_id = 0
        while True:
            records = model.search([("id", ">", last_id)] + (domain or []), order="id", limit=BATCH_SIZE)
            if not records:
                return
            yield records
            last_id = records[-1].id
            self.env.invalidate_all()

    def _backup_write_model(self, archive, member, model_name, fnames, domain=None):
        """Stream the records as a JSON array, one record a line; return (count, sha256)."""
        model = self.env[model_name]
        # translations and company-dependent values are jsonb: all languages / companies, raw
        raw_fnames = [f for f in fnames if model._fields[f].translate or model._fields[f].company_dependent]
        count = 0
        with archive.open(member, "w", force_zip64=True) as stream:
            out = _HashingWriter(stream)
            out.write("[")
            for records in self._backup_records(model_name, domain):
                rows = records.read(fnames, load=None)
                raw = self._backup_raw_values(records, raw_fnames) if raw_fnames else {}
                for row in rows:
                    row.update(raw.get(row["id"], {}))
                    out.write("\n" if not count else ",\n")
                    out.write(json.dumps(row, default=_json_default, ensure_ascii=False, sort_keys=True))
                    count += 1
            out.write("\n]\n")
        return count, out.digest.hexdigest()

    def _backup_raw_values(self, records, fnames):
        records.flush_recordset(fnames)
        self.env.cr.execute(SQL(
            "SELECT id, %s FROM %s WHERE id = ANY(%s)",
            SQL(", ").join(SQL.identifier(fname) for fname in fnames),
            SQL.identifier(records._table),
            records.ids,
        ))
        return {row[0]: dict(zip(fnames, row[1:], strict=True)) for row in self.env.cr.fetchall()}

    def _backup_write_attachment_contents(self, archive, credit_models, files):
        """Copy the contents of the attachments under attachments/, streamed from the filestore."""
        missing = []
        for attachments in self._backup_records("ir.attachment", [("res_model", "in", credit_models)]):
            for attachment in attachments.filtered(lambda a: a.type == "binary"):
                member = self._backup_attachment_member(attachment)
                with archive.open(member, "w", force_zip64=True) as stream:
                    out = _HashingWriter(stream)
                    path = attachment.store_fname and attachment._full_path(attachment.store_fname)
                    if path and os.path.isfile(path):
                        with open(path, "rb") as source:
                            shutil.copyfileobj(source, out, 1 << 20)
                    elif attachment.db_datas:
                        out.write(attachment.db_datas)
                    elif attachment.store_fname or attachment.file_size:
                        missing.append(attachment.id)
                        _logger.warning("Backup: the content of attachment %s is missing", attachment.id)
                files[member] = out.digest.hexdigest()
        return missing

    @api.model
    def _backup_attachment_member(self, attachment):
        safe_name = re.sub(r"[^\w.-]", "_", attachment.name or "")[:80]
        return f"attachments/{attachment.id}_{safe_name}"

    # ------------------------------------------------------------------
    # restore check, retention, failures
    # ------------------------------------------------------------------
    def _restore_check(self):
        """Read the archive back: checksums, JSON, counts against the manifest and the database."""
        self.ensure_one()
        errors, notes = [], []
        try:
            self._restore_check_archive(errors, notes)
        except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as error:
            errors.append(self.env._("The archive cannot be read: %(error)s", error=error))
        result = "\n".join(errors + notes) or self.env._("The archive was read back without any difference.")
        values = {"restore_check_date": fields.Datetime.now(), "restore_check_result": result}
        if errors:
            values.update(state="failed", error_message=self.env._("Restore check failed:\n%s", "\n".join(errors)))
        else:
            values["state"] = "verified"
        self.write(values)
        if errors:
            self._backup_notify_failure()
        return not errors

    def _restore_check_archive(self, errors, notes):
        path = self.file_path
        if self.purged or not path or not os.path.isfile(path):
            errors.append(self.env._("The archive %(path)s does not exist any more.", path=path or self.name))
            return
        checksum = _sha256_file(path)
        try:
            with open(f"{path}.sha256", encoding="utf-8") as stream:
                expected = stream.read().split()[0].lower()
        except (OSError, IndexError):
            expected = None
            errors.append(self.env._("The checksum file %(path)s.sha256 is missing or empty.", path=path))
        if expected and expected != checksum:
            errors.append(self.env._(
                "The sha256 of the archive (%(actual)s) differs from its .sha256 file (%(expected)s).",
                actual=checksum, expected=expected))
        if self.checksum and self.checksum != checksum:
            errors.append(self.env._("The sha256 of the archive differs from the one logged when it was written."))
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            files = manifest["files"]
            members = set(archive.namelist()) - {"manifest.json"}
            for member in sorted(members - set(files)):
                errors.append(self.env._("%(file)s is in the archive but not in its manifest.", file=member))
            for member in sorted(set(files) - members):
                errors.append(self.env._("%(file)s is in the manifest but missing from the archive.", file=member))
            for member in sorted(set(files) & members):
                digest, count = self._restore_check_member(archive, member, errors)
                if digest != files[member]:
                    errors.append(self.env._("%(file)s: its sha256 differs from the manifest.", file=member))
                model_name = member[len("models/"):-len(".json")] if member.startswith("models/") else None
                if model_name and count != manifest["models"].get(model_name):
                    errors.append(self.env._(
                        "%(model)s: %(count)s records in the archive, %(expected)s in the manifest.",
                        model=model_name, count=count, expected=manifest["models"].get(model_name)))
        notes.extend(self._restore_check_live_counts(manifest["models"]))

    def _restore_check_member(self, archive, member, errors):
        """Stream a member: its sha256 and, for a model file, the number of records (parsed)."""
        digest, count, lines = hashlib.sha256(), 0, []
        is_json = member.startswith("models/")
        with archive.open(member) as stream:
            for line in iter(lambda: stream.readline() if is_json else stream.read(1 << 20), b""):
                digest.update(line)
                if not is_json:
                    continue
                text = line.strip()
                if text in (b"[", b"]", b""):
                    lines.append(text)
                    continue
                try:
                    json.loads(text.rstrip(b","))
                    count += 1
                except ValueError:
                    errors.append(self.env._("%(file)s is not valid JSON.", file=member))
                    return digest.hexdigest(), None
        if is_json and (b"[" not in lines or b"]" not in lines):
            errors.append(self.env._("%(file)s is not a complete JSON array.", file=member))
        return digest.hexdigest(), count

    def _restore_check_live_counts(self, counts):
        """Differences with the database today: records created or deleted since the backup."""
        notes = []
        models_fields = self._backup_models()
        credit_models = [name for name in models_fields if name != "res.partner"]
        for model_name, count in sorted(counts.items()):
            if model_name not in self.env.registry:
                notes.append(self.env._("%(model)s does not exist in the database any more.", model=model_name))
                continue
            domain = [("res_model", "in", credit_models)] if model_name == "ir.attachment" else []
            # sudo: the live count includes every record, as the backup does
            live = self.env[model_name].sudo().with_context(
                active_test=False, skip_res_field_check=True).search_count(domain)
            if live != count:
                notes.append(self.env._("%(model)s: %(count)s records in the backup, %(live)s in the database now.",
                                        model=model_name, count=count, live=live))
        return notes

    def _backup_purge_old(self, keep):
        """Keep the ``keep`` newest good copies (and anything newer); delete the older archives."""
        copies = self.search([("purged", "=", False), ("file_path", "!=", False)], order="date desc, id desc")
        good = copies.filtered(lambda backup: backup.state in ("done", "verified"))
        if len(good) <= keep:
            return self.browse()
        oldest_kept = good[keep - 1]
        old = copies.filtered(lambda backup: (backup.date, backup.id) < (oldest_kept.date, oldest_kept.id))
        for backup in old:
            path = backup.file_path
            if not os.path.basename(path).startswith(FILE_PREFIX) or not path.endswith(".zip"):
                continue  # never delete a file this model did not write
            for file_path in (path, f"{path}.sha256"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(file_path)
        old.write({"purged": True, "purge_date": fields.Datetime.now()})
        return old

    def _backup_notify_failure(self):
        """An activity for the administrators (else the credit office) on a failed backup."""
        users = self.env.ref("base.group_system").users.filtered(lambda user: user.active and not user.share)
        if not users:
            users = self.env["res.partner"]._credit_responsible_users(self.env.company)
        for backup in self:
            for user in users:
                backup.activity_schedule(
                    "customer_credit_archive.mail_activity_type_credit_backup_failed",
                    user_id=user.id,
                    note=backup.error_message,
                )
