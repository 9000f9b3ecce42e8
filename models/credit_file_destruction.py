from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
ARCHIVIST_GROUP = "customer_credit_archive.group_credit_archivist"
APPROVAL_ACTIVITY = "customer_credit_archive.mail_activity_type_destruction_approval"
EXECUTION_ACTIVITY = "customer_credit_archive.mail_activity_type_destruction_execution"
LOAN_MODEL = "credit.file.loan"

# written by the buttons only (after their checks), never by a form or an RPC call
WORKFLOW_FIELDS = ("state", "approver_id", "approval_date", "executed_by_id")
# what can still be entered once the request is submitted: the execution's witness and date
EXECUTION_FIELDS = ("witness_id", "destruction_date", "note")


class CreditFileDestruction(models.Model):
    """A file destruction record (档案销毁记录), policy variant 2.

    draft → to approve (submitted) → approved (by a Credit Manager) → done (destroyed by an archivist in
    front of a witness); cancelled. Destroying never deletes anything: the contract archives and their
    checklist documents are marked destroyed and archived, and the files of the destroyed documents are
    kept, attached to this record.
    """

    _name = "credit.file.destruction"
    _description = "File Destruction"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_sequence_code = "credit.file.destruction"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("done", "Destroyed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user,
        domain="[('share', '=', False)]", tracking=True,
    )
    request_date = fields.Date(string="Requested On", default=fields.Date.context_today, required=True)
    reason = fields.Text(required=True, tracking=True, help="Why the files need not be kept any longer.")
    method = fields.Selection(
        [("shredding", "Shredding"), ("tearing", "Tearing Up"), ("other", "Other")],
        required=True, default="shredding", tracking=True,
        help="Confidential files are shredded (碎纸机); ordinary files in quantity may be torn up (撕毁).",
    )
    method_note = fields.Char(string="Method Details", help="How the files are destroyed, for the method Other.")
    line_ids = fields.One2many(
        "credit.file.destruction.line", "destruction_id", string="Files to Destroy", copy=True,
    )
    line_count = fields.Integer(compute="_compute_line_count")
    confidential = fields.Boolean(
        compute="_compute_confidential", store=True,
        help="At least one file is confidential: shredding is the only method allowed.",
    )
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False, tracking=True)
    approval_date = fields.Date(string="Approved On", readonly=True, copy=False)
    executed_by_id = fields.Many2one("res.users", string="Destroyed By", readonly=True, copy=False, tracking=True)
    destruction_date = fields.Date(
        string="Destroyed On", copy=False, tracking=True, help="Empty: the day the archivist destroys the files.",
    )
    witness_id = fields.Many2one(
        "res.users", copy=False, tracking=True, domain="[('share', '=', False)]",
        help="Attends the destruction; not the archivist who destroys the files.",
    )
    destroyed_attachment_count = fields.Integer(
        string="Kept Files", compute="_compute_destroyed_attachment_count",
    )
    note = fields.Html()

    # --- computes ---

    @api.depends("line_ids")
    def _compute_line_count(self):
        for destruction in self:
            destruction.line_count = len(destruction.line_ids)

    @api.depends("line_ids.confidential")
    def _compute_confidential(self):
        for destruction in self:
            destruction.confidential = any(destruction.line_ids.mapped("confidential"))

    def _compute_destroyed_attachment_count(self):
        counts = dict(self.env["ir.attachment"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]))
        for destruction in self:
            destruction.destroyed_attachment_count = counts.get(destruction.id, 0)

    # --- constraints and defaults ---

    @api.constrains("method", "line_ids")
    def _check_method(self):
        for destruction in self:
            if destruction.confidential and destruction.method != "shredding":
                raise ValidationError(destruction._shredding_message())

    def _shredding_message(self):
        return self.env._(
            "%(number)s holds confidential files: they are destroyed by shredding only (保密文件应使用碎纸机处理).",
            number=self.name)

    @api.onchange("line_ids")
    def _onchange_line_ids_method(self):
        if self.confidential:
            self.method = "shredding"

    @api.model
    def default_get(self, fields_list):
        """The Destroy… button of a contract archive opens a new record with the archive as a line."""
        values = super().default_get(fields_list)
        archive_id = self.env.context.get("credit_destroy_archive_id")
        if archive_id and "line_ids" in fields_list and not values.get("line_ids"):
            archive = self.env["credit.contract.archive"].browse(archive_id)
            values["line_ids"] = [Command.create({"archive_id": archive.id})]
            if archive.company_id:
                values["company_id"] = archive.company_id.id
        return values

    # --- CRUD ---

    def write(self, vals):
        self._check_workflow_values(vals)  # its message first (the mixin checks again, cheaply)
        if not self._in_workflow():
            business = {name for name in vals if not self._is_mail_field(name)}
            if business and self.filtered(lambda d: d.state == "done"):
                raise UserError(self.env._("A destruction record that is done is kept as it is: it cannot be changed."))
            if business - set(EXECUTION_FIELDS) and self.filtered(lambda d: d.state != "draft"):
                raise UserError(self.env._(
                    "Only a draft destruction record can be changed; once submitted, only its witness and date "
                    "of destruction are entered. Reset it to draft first."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for destruction in self:
            if destruction.state not in ("draft", "cancelled"):
                raise UserError(self.env._(
                    "Destruction record %(number)s is %(state)s: only a draft or cancelled one can be deleted.",
                    number=destruction.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[destruction.state]))

    @staticmethod
    def _is_mail_field(name):
        return name.startswith(("message_", "activity_", "website_message"))

    def _workflow_error(self):
        return self.env._(
            "The state, the approval and the executor of a destruction record are set by its buttons only.")

    def _check_lines_editable(self):
        """The files to destroy are chosen in draft; what was approved is what is destroyed."""
        if self.env.su or self._in_workflow():
            return
        for destruction in self:
            if destruction.state != "draft":
                raise UserError(self.env._(
                    "The files of destruction record %(number)s are changed in draft only.",
                    number=destruction.name))

    # --- workflow ---

    def action_submit(self):
        """Ask a Credit Manager to approve the destruction."""
        for destruction in self:
            if destruction.state != "draft":
                raise UserError(self.env._("Only a draft destruction record can be submitted."))
            destruction._check_destroyable()
            destruction._workflow().write({"state": "to_approve"})
            for user in self.env["res.partner"]._credit_responsible_users(destruction.company_id):
                destruction.activity_schedule(
                    APPROVAL_ACTIVITY, user_id=user.id,
                    summary=self.env._("Approve the destruction %(number)s", number=destruction.name))
        return True

    def action_approve(self):
        """A Credit Manager approves the destruction (销毁须经批准)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager approves the destruction of files."))
        today = fields.Date.context_today(self)
        for destruction in self:
            if destruction.state != "to_approve":
                raise UserError(self.env._("Only a destruction record waiting for approval can be approved."))
            destruction._check_destroyable()
            destruction._workflow().write({
                "state": "approved", "approver_id": self.env.user.id, "approval_date": today,
            })
            destruction.activity_feedback([APPROVAL_ACTIVITY])
            destruction.activity_schedule(
                EXECUTION_ACTIVITY, user_id=destruction._executing_archivist().id,
                summary=self.env._("Destroy the files of %(number)s in front of a witness", number=destruction.name))
        return True

    def action_cancel(self):
        for destruction in self:
            if destruction.state == "done":
                raise UserError(self.env._("A destruction record that is done cannot be cancelled."))
        self._workflow().write({"state": "cancelled", "approver_id": False, "approval_date": False})
        self.activity_unlink([APPROVAL_ACTIVITY, EXECUTION_ACTIVITY])
        return True

    def action_draft(self):
        for destruction in self:
            if destruction.state not in ("to_approve", "approved", "cancelled"):
                raise UserError(self.env._("Only a submitted or cancelled destruction record goes back to draft."))
        self._workflow().write({"state": "draft", "approver_id": False, "approval_date": False})
        self.activity_unlink([APPROVAL_ACTIVITY, EXECUTION_ACTIVITY])
        return True

    def action_destroy(self):
        """The archivist destroys the files in front of the witness (档案销毁). Nothing is deleted."""
        if not self.env.user.has_group(ARCHIVIST_GROUP):
            raise AccessError(self.env._("Only an archivist destroys files."))
        today = fields.Date.context_today(self)
        for destruction in self:
            if destruction.state != "approved":
                raise UserError(self.env._(
                    "%(number)s is not approved: a Credit Manager approves a destruction before the files are "
                    "destroyed.", number=destruction.name))
            if not destruction.witness_id:
                raise UserError(self.env._(
                    "Enter the witness of the destruction %(number)s first.", number=destruction.name))
            if destruction.witness_id.share:
                raise UserError(self.env._("The witness of a destruction is an employee (an internal user)."))
            if destruction.witness_id == self.env.user:
                raise UserError(self.env._(
                    "The witness of the destruction %(number)s is someone else than the archivist who destroys "
                    "the files.", number=destruction.name))
            if destruction.destruction_date and destruction.destruction_date > today:
                raise UserError(self.env._("The files cannot be destroyed on a future date."))
            destruction._check_destroyable()
        for destruction in self:
            destruction._destroy_lines()
            destruction._workflow().write({
                "state": "done", "executed_by_id": self.env.user.id,
                "destruction_date": destruction.destruction_date or today,
            })
            destruction.activity_feedback([EXECUTION_ACTIVITY])
        return True

    def _executing_archivist(self):
        self.ensure_one()
        if self.requested_by_id.has_group(ARCHIVIST_GROUP):
            return self.requested_by_id
        archivists = self.env.ref(ARCHIVIST_GROUP).users.filtered(
            lambda u: self.company_id in u.company_ids and u.active and not u.share).sorted("id")
        return archivists[:1] or self.requested_by_id

    # --- checks ---

    def _check_destroyable(self):
        """Refuse (UserError) what cannot be destroyed; called on submission, approval and execution."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the files to destroy to %(number)s.", number=self.name))
        lines = self.line_ids
        if any(lines.archive_id.mapped("confidential")) and self.method != "shredding":
            raise UserError(self._shredding_message())
        for line in lines:
            if line.archive_id.state == "destroyed":
                raise UserError(self.env._(
                    "Contract archive %(archive)s is already destroyed.", archive=line.archive_id.name))
            if line.document_id.destroyed:
                raise UserError(self.env._(
                    "%(document)s of contract archive %(archive)s is already destroyed.",
                    document=line.document_id.document_type_id.name, archive=line.archive_id.name))
        lent = self._lent_archives(lines.archive_id)
        if lent:
            raise UserError(self.env._(
                "Contract archive %(archives)s is lent out: it is destroyed once it is back in the archive room.",
                archives=", ".join(lent.mapped("name"))))

    @api.model
    def _lent_archives(self, archives):
        """The contract archives of ``archives`` out on loan (a ``credit.file.loan`` in state 'lent').

        The loan model is optional: without it, no archive is lent out. The loan's link to the archive (or
        to one of its documents) is found from the loan model's fields.
        """
        if LOAN_MODEL not in self.env or not archives:
            return self.env["credit.contract.archive"]
        Loan = self.env[LOAN_MODEL]
        targets = {
            "credit.contract.archive": archives.ids,
            "credit.contract.document": archives.with_context(active_test=False).document_ids.ids,
        }
        links = [(name, field.comodel_name) for name, field in Loan._fields.items()
                 if field.type in ("many2one", "many2many") and field.comodel_name in targets and field.store]
        if not links or "state" not in Loan._fields:
            return self.env["credit.contract.archive"]
        domain = [("state", "=", "lent")]
        domain += ["|"] * (len(links) - 1) + [(name, "in", targets[comodel]) for name, comodel in links]
        # sudo: every loan of the archive counts, whoever borrowed it
        loans = Loan.sudo().with_context(active_test=False).search(domain)
        lent = self.env["credit.contract.archive"]
        for name, comodel in links:
            records = loans.mapped(name)
            lent |= records if comodel == "credit.contract.archive" else records.archive_id
        return archives.with_context(active_test=False) & lent.with_env(self.env).with_context(active_test=False)

    # --- execution ---

    def _destroy_lines(self):
        """Mark the archives and documents of the lines destroyed and keep their files on this record."""
        self.ensure_one()
        date = self.destruction_date or fields.Date.context_today(self)
        Document = self.env["credit.contract.document"].with_context(active_test=False)
        documents = Document
        for line in self.line_ids:
            archive = line.archive_id
            if line.document_id:
                documents |= line.document_id
            else:
                documents |= archive.with_context(active_test=False).document_ids.filtered(lambda d: not d.destroyed)
                archive._workflow().write({"state": "destroyed", "destruction_date": date, "active": False})
        documents.with_context(credit_destruction=True).write({"destroyed": True, "active": False})
        self._keep_attachments(documents)
        for archive, lines in self.line_ids.grouped("archive_id").items():
            archive.message_post(body=self._archive_message(lines))

    def _keep_attachments(self, documents):
        """Move the files of the destroyed documents to this record: they are kept (never unlinked) and
        reachable only by who may read the destruction record (ir.attachment's res_model / res_id access)."""
        attachments = documents.attachment_ids.filtered(
            lambda a: not a.res_id or a.res_model in (False, "credit.contract.document", "credit.contract.archive"))
        if attachments:
            attachments.write({"res_model": self._name, "res_id": self.id})

    def _archive_message(self, lines):
        link = self._get_html_link()
        whole = lines.filtered(lambda line: not line.document_id)
        if whole:
            return Markup(self.env._("Contract archive destroyed (%(method)s) by the destruction record %(link)s.")) % {
                "method": self._method_label(), "link": link}
        names = ", ".join(lines.document_id.document_type_id.mapped("name"))
        return Markup(self.env._("%(documents)s destroyed (%(method)s) by the destruction record %(link)s.")) % {
            "documents": names, "method": self._method_label(), "link": link}

    def _method_label(self):
        return dict(self._fields["method"]._description_selection(self.env))[self.method]

    # --- buttons ---

    def action_view_kept_files(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Files of the Destroyed Documents"),
            "res_model": "ir.attachment",
            "view_mode": "kanban,list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {"create": False},
        }
