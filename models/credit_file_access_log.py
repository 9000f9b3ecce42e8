import logging
from collections import defaultdict

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.modules import module as odoo_module
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# which part of a customer file a confidential model holds
PARTS = {
    "credit.customer.file": "file",
    "credit.key.person": "key_person",
    "credit.sales.result": "sales_result",
    "credit.collection.record": "collection_record",
    "credit.visit.report": "visit_report",
    "res.partner": "profile",
    "credit.grade.history": "profile",
    "credit.release": "profile",
    "credit.sanction": "profile",
    "credit.own.failure": "profile",
    "credit.review": "review",
    "credit.review.payment.line": "review",
    "credit.application": "application",
    "credit.application.agency.report": "application",
    "credit.contract.archive": "contract_archive",
    "credit.contract.document": "contract_archive",
    "credit.complaint": "complaint",
    "credit.care.record": "care",
}
MAINTENANCE_FLAG = "customer_credit_archive.log_maintenance"


class CreditFileAccessLog(models.Model):
    """查阅记录: who read which confidential customer file, when, how and through which request.

    Append-only: rows are written with one ``INSERT`` per read (``_log_access``), never through
    the ORM's ``create``; nobody has write, create or delete rights, ``write`` / ``unlink`` refuse
    anyone but the superuser, and a PostgreSQL trigger refuses ``UPDATE``, ``DELETE`` and
    ``TRUNCATE`` even to the superuser unless the transaction sets the maintenance flag
    (``_purge_access_log``). A row holds ids, never a value of the records read.
    """

    _name = "credit.file.access.log"
    _description = "Customer File Access Log"
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True, index=True)
    res_model = fields.Char(string="Model", readonly=True, required=True)
    part = fields.Selection(
        [
            ("file", "File"),
            ("key_person", "Key Persons"),
            ("sales_result", "Sales Results"),
            ("collection_record", "Collection Records"),
            ("visit_report", "Visit Reports"),
            ("profile", "Credit Profile"),
            ("review", "Year-End Reviews"),
            ("application", "Credit Applications"),
            ("contract_archive", "Contract Archives"),
            ("complaint", "Complaints"),
            ("care", "Relationship Care"),
            ("other", "Other"),
        ],
        required=True, readonly=True,
    )
    record_count = fields.Integer(string="Records", readonly=True)
    record_ids = fields.Text(string="Record IDs", readonly=True,
                             help="Ids of the records read, comma separated (never their values).")
    file_id = fields.Many2one("credit.customer.file", string="Customer File", readonly=True,
                              index=True, ondelete="set null")
    channel = fields.Selection(
        [("form", "Form"), ("list", "List"), ("export", "Export"), ("report", "Report"),
         ("rpc", "RPC Read")],
        required=True, readonly=True,
    )
    request_id = fields.Many2one(
        "credit.file.access.request", string="Access Request", readonly=True, ondelete="set null",
        help="The approved access request of the user for the file, on the day of the read.",
    )
    violation = fields.Boolean(readonly=True, help="The read was refused: no right to the file.")
    company_id = fields.Many2one("res.company", readonly=True, required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    fine = fields.Monetary(currency_field="currency_id", readonly=True)

    def init(self):
        res = super().init()
        # the ORM rights stop users; this stops sudo() and SQL too (idempotent)
        # pylint: disable-next=sql-injection  # constant text (MAINTENANCE_FLAG), no user input
        self.env.cr.execute(f"""
            CREATE OR REPLACE FUNCTION credit_file_access_log_protect() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF coalesce(current_setting('{MAINTENANCE_FLAG}', true), '') = 'on' THEN
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END IF;
                -- the deletion of a file, request or user sets its link to NULL: allowed,
                -- nothing else of the row may change
                IF TG_OP = 'UPDATE'
                   AND (to_jsonb(NEW) - ARRAY['file_id', 'request_id', 'user_id', 'write_uid',
                                              'create_uid'])
                     = (to_jsonb(OLD) - ARRAY['file_id', 'request_id', 'user_id', 'write_uid',
                                              'create_uid'])
                   AND (NEW.file_id IS NULL OR NEW.file_id = OLD.file_id)
                   AND (NEW.request_id IS NULL OR NEW.request_id = OLD.request_id)
                   AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id)
                   AND (NEW.write_uid IS NULL OR NEW.write_uid = OLD.write_uid)
                   AND (NEW.create_uid IS NULL OR NEW.create_uid = OLD.create_uid) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'The customer file access log cannot be altered (%).', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$;
            DROP TRIGGER IF EXISTS credit_file_access_log_protect ON credit_file_access_log;
            CREATE TRIGGER credit_file_access_log_protect
                BEFORE UPDATE OR DELETE ON credit_file_access_log
                FOR EACH ROW EXECUTE FUNCTION credit_file_access_log_protect();
            DROP TRIGGER IF EXISTS credit_file_access_log_protect_truncate ON credit_file_access_log;
            CREATE TRIGGER credit_file_access_log_protect_truncate
                BEFORE TRUNCATE ON credit_file_access_log
                FOR EACH STATEMENT EXECUTE FUNCTION credit_file_access_log_protect();
        """)  # noqa: S608 - constant text, no user input
        return res

    # ------------------------------------------------------------------
    # Immutable
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The access log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            # the log is immutable by design; sudo (uninstall, cascades, purge) bypasses this
            # pylint: disable-next=no-raise-unlink
            raise AccessError(self.env._("The access log cannot be deleted."))
        return super().unlink()

    @api.model
    def _purge_access_log(self, before):
        """Delete the rows older than ``before`` (database maintenance: superuser only)."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(self.env._("Only the database superuser purges the access log."))
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("SELECT set_config(%s, 'on', true)", MAINTENANCE_FLAG))
        try:
            cr.execute(SQL("DELETE FROM credit_file_access_log WHERE date < %s", before))
            count = cr.rowcount
        finally:
            cr.execute(SQL("SELECT set_config(%s, 'off', true)", MAINTENANCE_FLAG))
        self.env.invalidate_all()
        return count

    # ------------------------------------------------------------------
    # Logging
    # ------------------------------------------------------------------
    @api.model
    def _in_test_mode(self):
        return self.env.registry.in_test_mode() or bool(odoo_module.current_test)

    @api.model
    def _log_access(self, records, channel, violation=False):
        """Log one read of ``records`` (a recordset of a confidential model, in the env of the
        reader) through ``channel``: one row per customer file, one ``INSERT`` in all.

        A refused read (``violation``) is logged although the request that tried it is rolled
        back: through a cursor of its own, committed at once (in the current cursor in tests).
        On a read-only cursor (a replica), the row goes through a cursor on the primary.
        """
        if not records:
            return
        if records._name == "credit.customer.file":
            by_file = {record_id: [record_id] for record_id in records._ids}
        else:
            by_file = defaultdict(list)
            # sudo: the file of a record the reader may not read (refused read)
            for record in records.sudo():
                by_file[record.confidential_file_id.id or None].append(record.id)
        records.env["credit.file.access.log"]._log_access_by_file(
            records._name, dict(by_file), channel, violation=violation)

    @api.model
    def _log_access_by_file(self, res_model, by_file, channel, violation=False):
        """Log one read by the user of this environment of the records ``{file id: [record id]}``
        of ``res_model`` (see ``_log_access``)."""
        if not by_file:
            return
        args = (res_model, by_file, self.env.uid, self.env.company.id, channel, violation)
        separate = violation or self.env.cr.readonly
        if not separate:
            self._log_access_write(*args)
            return
        if self._in_test_mode():
            if not self.env.cr.readonly:
                self._log_access_write(*args)
            else:
                # a read-only test cursor (HttpCase, readonly route) cannot open a read/write
                # one: not logged; the logged reads are routed to read/write cursors
                _logger.info("Access to %s not logged: read-only test cursor", res_model)
            return
        try:
            with self.env.registry.cursor() as cr:  # the primary, committed on exit
                self.with_env(self.env(cr=cr, su=True))._log_access_write(*args)
        except Exception:
            if not violation:
                raise  # no read without its log
            _logger.exception("Could not log the refused read of %s", res_model)

    @api.model
    def _log_access_write(self, res_model, by_file, uid, company_id, channel, violation):
        file_ids = list(by_file)
        now = self.env.cr.now()
        today = fields.Date.context_today(self.with_user(uid))
        # the INSERT reads these tables: pending ORM writes first (no query when none)
        self.env["res.company"].flush_model(["credit_access_violation_fine"])
        self.env["credit.customer.file"].flush_model(["company_id"])
        self.env["credit.file.access.request"].flush_model(
            ["file_id", "requester_id", "state", "date_from", "date_to"])
        # a read of files themselves (not of their lines) needs no row per file: the record ids are
        # the file ids; one row per approved request it went through (and one for the others) keeps
        # the INSERT small, so that a list of 80 files costs one row, not 80
        # (the same for the credit profile on the customers: one customer, one file of the company)
        per_file = res_model not in ("credit.customer.file", "res.partner") or violation
        self.env.cr.execute(SQL(
            """
            WITH v AS (
                SELECT u.file_id, u.ids, u.n, f.company_id,
                       (SELECT r.id FROM credit_file_access_request r
                         WHERE r.file_id = u.file_id AND r.requester_id = %(uid)s
                           AND r.state = 'approved' AND r.date_from <= %(today)s
                           AND r.date_to >= %(today)s
                         ORDER BY r.id DESC LIMIT 1) AS request_id
                  FROM unnest(%(file_ids)s::int[], %(ids)s::text[], %(counts)s::int[]) AS u(file_id, ids, n)
                  LEFT JOIN credit_customer_file f ON f.id = u.file_id
            ), g AS (
                SELECT request_id, company_id,
                       CASE WHEN count(*) = 1 THEN min(file_id) END AS file_id,
                       string_agg(ids, ',' ORDER BY file_id) AS ids, sum(n)::int AS n
                  FROM v
                 GROUP BY request_id, company_id, CASE WHEN %(per_file)s THEN coalesce(file_id, 0) END
            )
            INSERT INTO credit_file_access_log
                (create_uid, create_date, write_uid, write_date, date, user_id, res_model, part,
                 record_count, record_ids, file_id, channel, request_id, violation, fine,
                 company_id)
            SELECT %(uid)s, %(now)s, %(uid)s, %(now)s, %(now)s, %(uid)s, %(model)s, %(part)s,
                   g.n, g.ids, g.file_id, %(channel)s, g.request_id, %(violation)s,
                   CASE WHEN %(violation)s THEN coalesce(c.credit_access_violation_fine, 50)
                        ELSE 0 END,
                   c.id
              FROM g
              JOIN res_company c ON c.id = coalesce(g.company_id, %(company)s)
            RETURNING id, file_id, fine
            """,
            uid=uid, now=now, model=res_model, part=PARTS.get(res_model, "other"),
            channel=channel, today=today, violation=violation, company=company_id, per_file=per_file,
            file_ids=file_ids, ids=[",".join(map(str, by_file[f])) for f in file_ids],
            counts=[len(by_file[f]) for f in file_ids],
        ))
        rows = self.env.cr.fetchall()
        if violation:
            self.env["credit.file.violation"].sudo().create([{
                "file_id": file_id,
                "user_id": uid,
                "kind": "unauthorized_access",
                "amount": fine,
                "note": self.env._(
                    "Refused read (%(channel)s) of %(model)s %(ids)s (access log %(log)s).",
                    channel=channel, model=res_model, ids=",".join(map(str, by_file[file_id])),
                    log=log_id),
            } for log_id, file_id, fine in rows])
