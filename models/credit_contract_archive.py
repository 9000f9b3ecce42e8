from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
ARCHIVIST_GROUP = "customer_credit_archive.group_credit_archivist"
OVERDUE_ACTIVITY = "customer_credit_archive.mail_activity_type_contract_overdue"

# written only by the workflow buttons (after their checks), never by a form or an RPC call
WORKFLOW_FIELDS = (
    "state", "date_handed_over", "date_verified", "verified_by_id", "date_archived", "archived_by_id",
    "destruction_date",
)
# the archive-room location is the archivists' business
LOCATION_FIELDS = ("room", "cabinet", "box")


class CreditContractArchive(models.Model):
    """A contract archive (合同档案), policy variants 6 and 9.

    open (the handler collects the documents) → handed over (to the credit administrator within
    a month of the contract's last step) → verified (by the credit administrator) → archived (in
    the archive room within a month of verification) → destroyed (by a destruction record).
    """

    _name = "credit.contract.archive"
    _description = "Contract Archive"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin", "credit.workflow.mixin"]
    _order = "date_signed desc, id desc"
    _check_company_auto = True
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_initial_state = "open"

    @api.model
    def _confidential_rules(self):
        rules = super()._confidential_rules()
        # besides the readers of the customer's file: the handler reads the archives he handles,
        # the archivists keep every archive of the archive room
        rules["handler"] = ("customer_credit_archive.group_credit_user", "[('handler_id', '=', user.id)]")
        rules["archivist"] = (ARCHIVIST_GROUP, "[(1, '=', 1)]")
        return rules

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram",
                       help="Numbered per department (公司所有合同都必须按部门编号).")
    subject = fields.Char(tracking=True, help="What the contract is about.")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("handed_over", "Handed Over"),
            ("verified", "Verified"),
            ("archived", "Archived"),
            ("destroyed", "Destroyed"),
        ],
        default="open", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True,
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, tracking=True, default=lambda self: self.env.company.currency_id,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    department_id = fields.Many2one(
        "hr.department", tracking=True, check_company=True, index=True,
        help="Numbers the contract; empty: the company's own numbering.",
    )
    handler_id = fields.Many2one(
        "res.users", string="Contract Handler", required=True, tracking=True, index=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
        help="The person who handles the contract (合同承办人) and hands its archive over.",
    )
    contract_type_id = fields.Many2one(
        "credit.contract.type", required=True, tracking=True, check_company=True,
        default=lambda self: self.env["credit.contract.type"].search(
            ["|", ("company_id", "=", False), ("company_id", "=", self.env.company.id)], limit=1),
    )
    sale_order_ids = fields.Many2many(
        "sale.order", "credit_contract_archive_sale_order_rel", "archive_id", "order_id",
        string="Sale Orders", check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    amount = fields.Monetary(tracking=True, currency_field="currency_id")
    confidential = fields.Boolean(
        default=True, tracking=True,
        help="Holds trade secrets: a loan needs the approval of the handler's manager too, and destruction "
        "is by shredding only.",
    )
    date_signed = fields.Date(string="Signed On", tracking=True)
    date_completed = fields.Date(
        string="Last Step On", tracking=True,
        help="Date the handler completed the contract's last step (signing, amendment, performance or "
        "termination); the handover deadline runs from it.",
    )
    date_handed_over = fields.Date(string="Handed Over On", readonly=True, copy=False, tracking=True)
    date_verified = fields.Date(string="Verified On", readonly=True, copy=False, tracking=True)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_archived = fields.Date(string="Archived On", readonly=True, copy=False, tracking=True)
    archived_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    destruction_date = fields.Date(string="Destroyed On", readonly=True, copy=False)
    handover_deadline = fields.Date(
        compute="_compute_deadlines", store=True,
        help="The archive is due with the credit administrator by this date.",
    )
    archive_deadline = fields.Date(
        compute="_compute_deadlines", store=True,
        help="The verified archive is due in the archive room by this date.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue",
        help="Not handed over or not archived by its deadline.",
    )
    room = fields.Char(string="Archive Room", tracking=True)
    cabinet = fields.Char(tracking=True)
    box = fields.Char(tracking=True)
    location = fields.Char(compute="_compute_location", help="Room / cabinet / box in the archive room.")
    document_ids = fields.One2many(
        "credit.contract.document", "archive_id", string="Documents", copy=False,
    )
    document_count = fields.Integer(compute="_compute_document_count")
    missing_required_count = fields.Integer(
        string="Missing Required Documents", compute="_compute_completeness", store=True,
    )
    completeness = fields.Float(
        compute="_compute_completeness", store=True, aggregator="avg",
        help="Share of the required documents received, in %.",
    )
    missing_document_names = fields.Char(
        string="Missing Documents", compute="_compute_document_count",
    )
    note = fields.Html()

    _sql_constraints = [
        ("name_company_unique", "unique (name, company_id)", "A contract number is used once per company."),
        ("amount_positive", "CHECK (amount >= 0)", "The amount of a contract cannot be negative."),
    ]

    # --- computes ---

    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self):
        for archive in self:
            archive.sale_order_count = len(archive.sale_order_ids)

    @api.depends("date_completed", "date_verified", "company_id.credit_contract_handover_months",
                 "company_id.credit_contract_archive_months")
    def _compute_deadlines(self):
        for archive in self:
            company = archive.company_id
            archive.handover_deadline = archive.date_completed and (
                archive.date_completed + relativedelta(months=company.credit_contract_handover_months))
            archive.archive_deadline = archive.date_verified and (
                archive.date_verified + relativedelta(months=company.credit_contract_archive_months))

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for archive in self:
            archive.is_overdue = bool(
                (archive.state == "open" and archive.handover_deadline and archive.handover_deadline < today)
                or (archive.state == "verified" and archive.archive_deadline and archive.archive_deadline < today)
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the overdue contract archives with = or != and a boolean."))
        today = fields.Date.context_today(self)
        domain = ["|",
                  "&", ("state", "=", "open"), ("handover_deadline", "<", today),
                  "&", ("state", "=", "verified"), ("archive_deadline", "<", today)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("room", "cabinet", "box")
    def _compute_location(self):
        for archive in self:
            archive.location = " / ".join(part for part in (archive.room, archive.cabinet, archive.box) if part)

    @api.depends("document_ids.required", "document_ids.date_received", "document_ids.active")
    def _compute_completeness(self):
        for archive in self:
            required = archive.document_ids.filtered("required")
            missing = required.filtered(lambda d: not d.date_received)
            archive.missing_required_count = len(missing)
            archive.completeness = 100.0 * (len(required) - len(missing)) / len(required) if required else 100.0

    @api.depends("document_ids.required", "document_ids.date_received", "document_ids.document_type_id")
    def _compute_document_count(self):
        for archive in self:
            documents = archive.document_ids
            missing = documents.filtered(lambda d: d.required and not d.date_received)
            archive.document_count = len(documents)
            archive.missing_document_names = ", ".join(missing.document_type_id.mapped("name"))

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self._next_number(
                    self.env["hr.department"].browse(vals.get("department_id")),
                    self.env["res.company"].browse(vals.get("company_id")) or self.env.company,
                )
        archives = super().create(vals_list)
        archives._sync_document_lines()
        return archives

    def write(self, vals):
        if set(vals) & set(LOCATION_FIELDS) and not (self.env.su or self.env.user.has_group(ARCHIVIST_GROUP)):
            raise AccessError(self.env._("Only an archivist sets where a contract archive is kept."))
        if "partner_id" in vals and self.filtered(lambda a: a.state != "open"):
            raise UserError(self.env._("The customer of a contract archive handed over cannot change."))
        result = super().write(vals)
        if "contract_type_id" in vals:
            self._sync_document_lines()
        return result

    def _workflow_error(self):
        return self.env._(
            "The state and the handover, verification and archiving dates of a contract archive are set "
            "by its buttons only.")

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_empty(self):
        for archive in self:
            if archive.state != "open" or archive.document_ids.filtered("date_received"):
                raise UserError(self.env._(
                    "Contract archive %(number)s holds documents: it is never deleted. Destroy it with a "
                    "destruction record, which is kept.", number=archive.name))

    @api.model
    def _next_number(self, department, company):
        """The next number of a contract archive: per department, else the company's own numbering."""
        if department:
            return department._credit_contract_next_number()
        # sudo: the company's fallback numbering is technical
        return self.env["ir.sequence"].sudo().with_company(company).next_by_code("credit.contract.archive") or "/"

    def _sync_document_lines(self):
        """Add the checklist lines of the contract type that the archive lacks; keep the others."""
        lines = []
        for archive in self:
            present = {document.document_type_id: document for document in
                       archive.with_context(active_test=False).document_ids}
            for rule in archive.contract_type_id.document_rule_ids:
                document = present.get(rule.document_type_id)
                if document:
                    if document.required != rule.required:
                        document.required = rule.required
                    continue
                lines.append({
                    "archive_id": archive.id,
                    "document_type_id": rule.document_type_id.id,
                    "required": rule.required,
                })
        if lines:
            self.env["credit.contract.document"].create(lines)

    @api.onchange("sale_order_ids")
    def _onchange_sale_order_ids(self):
        if self.sale_order_ids and not self.amount:
            self.amount = sum(order.currency_id._convert(
                order.amount_total, self.currency_id, self.company_id, order.date_order or fields.Date.today())
                for order in self.sale_order_ids)

    # --- workflow ---

    def _check_required_documents(self):
        for archive in self:
            if archive.missing_required_count:
                raise UserError(self.env._(
                    "Contract archive %(number)s still misses required documents: %(documents)s. Receive them "
                    "first (or mark them optional on the contract type).",
                    number=archive.name, documents=archive.missing_document_names))

    def action_hand_over(self):
        """The handler hands the archive to the credit administrator (合同档案资料移交信用管理员)."""
        for archive in self:
            if archive.state != "open":
                raise UserError(self.env._("Only an open contract archive can be handed over."))
            if not archive.date_completed:
                raise UserError(self.env._(
                    "Enter the date of the contract's last step on %(number)s before handing it over.",
                    number=archive.name))
            archive._workflow().write({
                "state": "handed_over", "date_handed_over": fields.Date.context_today(self),
            })
            archive._activity_feedback_overdue()
            for user in self.env["res.partner"]._credit_responsible_users(archive.company_id):
                archive.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id,
                    summary=self.env._("Verify contract archive %(number)s", number=archive.name),
                )
        return True

    def action_return_to_handler(self):
        """The credit administrator sends an incomplete archive back to its handler."""
        self._check_manager()
        for archive in self:
            if archive.state != "handed_over":
                raise UserError(self.env._("Only a contract archive handed over can be returned to its handler."))
            archive._workflow().write({"state": "open", "date_handed_over": False})
        return True

    def action_verify(self):
        """The credit administrator checks the archive (信用管理员对合同档案资料核实)."""
        self._check_manager()
        for archive in self:
            if archive.state != "handed_over":
                raise UserError(self.env._("Only a contract archive handed over can be verified."))
        self._check_required_documents()
        today = fields.Date.context_today(self)
        for archive in self:
            archive.document_ids.filtered(lambda d: d.date_received and not d.checked_by_id).write({
                "checked_by_id": self.env.user.id, "checked_date": today,
            })
            archive._workflow().write({
                "state": "verified", "date_verified": today, "verified_by_id": self.env.user.id,
            })
            archive.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_file_in_archive(self):
        """The archivist files the verified archive in the archive room (移交档案室归档)."""
        if not self.env.user.has_group(ARCHIVIST_GROUP):
            raise AccessError(self.env._("Only an archivist files a contract archive in the archive room."))
        for archive in self:
            if archive.state != "verified":
                raise UserError(self.env._("Only a verified contract archive can be filed in the archive room."))
            if not archive.room:
                raise UserError(self.env._(
                    "Enter the archive room (and cabinet and box) of %(number)s before filing it.",
                    number=archive.name))
        self._check_required_documents()
        for archive in self:
            archive._workflow().write({
                "state": "archived", "date_archived": fields.Date.context_today(self),
                "archived_by_id": self.env.user.id,
            })
            archive._activity_feedback_overdue()
        return True

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager (the credit administrator) does this."))

    # --- deadlines ---

    def _activity_feedback_overdue(self):
        activity_type = self.env.ref(OVERDUE_ACTIVITY, raise_if_not_found=False)
        if activity_type:
            self.activity_unlink([OVERDUE_ACTIVITY])

    @api.model
    def _cron_contract_deadlines(self):
        """Give every overdue archive an activity: to its handler before the handover, to the
        archivists (or the credit office) before archiving. One activity per archive."""
        activity_type = self.env.ref(OVERDUE_ACTIVITY)
        archives = self.search([("is_overdue", "=", True)])
        already = set(self.env["mail.activity"].search([
            ("res_model", "=", self._name), ("res_id", "in", archives.ids),
            ("activity_type_id", "=", activity_type.id),
        ]).mapped("res_id"))
        archivists = self.env.ref(ARCHIVIST_GROUP).users.filtered(lambda u: u.active and not u.share)
        for archive in archives.filtered(lambda a: a.id not in already):
            if archive.state == "open":
                users = archive.handler_id
                summary = self.env._("Hand contract archive %(number)s over (due %(date)s)",
                                     number=archive.name, date=archive.handover_deadline)
            else:
                users = archivists.filtered(lambda u, a=archive: a.company_id in u.company_ids)[:1] or \
                    self.env["res.partner"]._credit_responsible_users(archive.company_id)
                summary = self.env._("File contract archive %(number)s in the archive room (due %(date)s)",
                                     number=archive.name, date=archive.archive_deadline)
            for user in users:
                archive.activity_schedule(OVERDUE_ACTIVITY, user_id=user.id, summary=summary)

    # --- buttons ---

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("id", "in", self.sale_order_ids.ids)]
        action["context"] = {"create": False}
        return action

    # --- file loans (credit.file.loan): where the archive is, and the pick list of a borrower ---

    current_loan_id = fields.Many2one("credit.file.loan", compute="_compute_whereabouts")
    whereabouts = fields.Char(string="Where Is It", compute="_compute_whereabouts",
                              help="In the archive room (room / cabinet / box), or lent to whom until when.")

    def _compute_whereabouts(self):
        self.env["credit.file.loan"]._set_whereabouts(self, "contract_archive_id")

    @api.model
    @api.readonly
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        # a borrower without access to contract archives picks one of his loan's customer
        partner_id = self.env.context.get("credit_loan_partner_id")
        if partner_id and not self.has_access("read"):
            return self.env["credit.file.loan"]._archive_name_search(partner_id, name, operator, limit)
        return super().name_search(name, args, operator, limit)
