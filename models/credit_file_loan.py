from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

ARCHIVIST_GROUP = "customer_credit_archive.group_credit_archivist"
APPROVAL_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_loan_approval"
LEND_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_loan_lend"
OVERDUE_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_loan_overdue"
ESCALATION_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_loan_escalation"

# written only by the workflow buttons and wizards (after their checks), never by a form or RPC
WORKFLOW_FIELDS = (
    "state", "manager_approver_id", "archivist_approved_by_id", "archivist_approval_date",
    "manager_approved_by_id", "manager_approval_date", "refused_by_id", "refuse_reason",
    "date_lent", "date_due", "lent_by_id", "condition_lent",
    "date_returned", "returned_to_id", "condition_returned", "missing_pages",
    "reminder_date", "escalation_date", "escalated_to_id",
)
# what is asked for: fixed once the request is sent
REQUEST_FIELDS = (
    "company_id", "borrower_id", "partner_id", "include_customer_file", "contract_archive_id",
    "document_ids", "purpose", "date_from", "date_to",
)


class CreditFileLoan(models.Model):
    """A file loan (借阅单), policy variants 2, 6 and 9.

    The borrower asks for the customer's credit file and/or a contract archive and says why
    (查阅申请单: 查阅人, 客户名称, 查阅用途); an archivist approves, and for a confidential file the
    owner's manager too; the archivist lends it (借阅时间, 归还日期) and takes it back. Loans not
    returned in time are reminded, then escalated, by a daily scheduled action.
    """

    _name = "credit.file.loan"
    _description = "File Loan"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_sequence_code = "credit.file.loan"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("to_manager", "Manager Approval"),
            ("approved", "Approved"),
            ("lent", "Lent"),
            ("returned", "Returned"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    borrower_id = fields.Many2one(
        "res.users", required=True, index=True, tracking=True, check_company=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    include_customer_file = fields.Boolean(
        string="Customer Credit File", tracking=True,
        help="The loan includes the credit file of the customer (always confidential).",
    )
    customer_file_id = fields.Many2one(
        "credit.customer.file", index=True, ondelete="restrict", check_company=True,
        compute="_compute_customer_file_id", store=True,
        help="The file of the customer in the company of the loan, found for the borrower.",
    )
    contract_archive_id = fields.Many2one(
        "credit.contract.archive", index=True, tracking=True,
        check_company=True, ondelete="restrict",
        domain="[('partner_id', '=', partner_id)]",
    )
    document_ids = fields.Many2many(
        "credit.contract.document", "credit_file_loan_document_rel", "loan_id", "document_id",
        string="Documents", domain="[('archive_id', '=', contract_archive_id)]", check_company=True,
        groups="customer_credit_archive.group_credit_user",
        help="Only these documents of the contract archive; empty: the whole archive.",
    )
    items_description = fields.Char(
        string="Files", compute="_compute_items_description", compute_sudo=True,
    )
    purpose = fields.Text(required=True, tracking=True, help="Why the file is needed (查阅用途).")
    date_from = fields.Date(string="Requested From", default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="Requested Until", tracking=True)
    confidential = fields.Boolean(
        compute="_compute_confidential", store=True,
        help="The customer file, or a confidential contract archive: the owner's manager approves too.",
    )
    owner_id = fields.Many2one(
        "res.users", string="File Owner", compute="_compute_owner_id", store=True,
        help="The contract handler, or the customer's salesperson for the customer file.",
    )
    manager_approver_id = fields.Many2one(
        "res.users", readonly=True, copy=False, index=True, tracking=True,
    )
    archivist_approved_by_id = fields.Many2one("res.users", string="Approved by Archivist", readonly=True,
                                               copy=False)
    archivist_approval_date = fields.Date(string="Archivist Approval On", readonly=True, copy=False)
    manager_approved_by_id = fields.Many2one("res.users", string="Approved by Manager", readonly=True,
                                             copy=False)
    manager_approval_date = fields.Date(string="Manager Approval On", readonly=True, copy=False)
    refused_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    refuse_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False, tracking=True)
    date_lent = fields.Date(string="Lent On", readonly=True, copy=False, tracking=True)
    date_due = fields.Date(string="Due On", readonly=True, copy=False, tracking=True, index=True)
    lent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    condition_lent = fields.Text(string="Condition When Lent", readonly=True, copy=False)
    date_returned = fields.Date(string="Returned On", readonly=True, copy=False, tracking=True)
    returned_to_id = fields.Many2one("res.users", string="Received By", readonly=True, copy=False)
    condition_returned = fields.Text(string="Condition When Returned", readonly=True, copy=False)
    missing_pages = fields.Text(readonly=True, copy=False, tracking=True)
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    overdue_days = fields.Integer(compute="_compute_is_overdue")
    reminder_date = fields.Date(string="Reminded On", readonly=True, copy=False)
    escalation_date = fields.Date(string="Escalated On", readonly=True, copy=False)
    escalated_to_id = fields.Many2one("res.users", readonly=True, copy=False)
    can_approve = fields.Boolean(compute="_compute_can_approve", search="_search_can_approve")

    @api.constrains("date_from", "date_to")
    def _check_requested_dates(self):
        for loan in self:
            if loan.date_from and loan.date_to and loan.date_to < loan.date_from:
                raise ValidationError(self.env._("A loan cannot be requested until a date before its start."))

    @api.constrains("partner_id", "contract_archive_id")
    def _check_partner(self):
        for loan in self:
            if loan.partner_id != loan.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Ask for the files of the company %(company)s, not of its contact.",
                    company=loan.partner_id.commercial_partner_id.display_name))
            # sudo: the borrower may not read the archive; only its customer is compared
            if loan.contract_archive_id and loan.contract_archive_id.sudo().partner_id != loan.partner_id:
                raise ValidationError(self.env._("The contract archive of a loan belongs to its customer."))

    # --- computes ---

    @api.depends("partner_id", "company_id", "include_customer_file")
    def _compute_customer_file_id(self):
        # stored compute: runs as superuser, the borrower needs no access to customer files
        wanted = self.filtered("include_customer_file")
        files = self.env["credit.customer.file"].with_context(active_test=False).search([
            ("partner_id", "in", wanted.partner_id.ids), ("company_id", "in", wanted.company_id.ids),
        ]) if wanted else self.env["credit.customer.file"]
        by_key = {(file.partner_id.id, file.company_id.id): file for file in files}
        for loan in self:
            loan.customer_file_id = loan.include_customer_file and by_key.get(
                (loan.partner_id.id, loan.company_id.id), False)

    @api.depends("include_customer_file", "contract_archive_id.confidential")
    def _compute_confidential(self):
        for loan in self:
            # variant 10: the customer's credit file is 机密级
            loan.confidential = loan.include_customer_file or loan.contract_archive_id.confidential

    @api.depends("include_customer_file", "contract_archive_id.confidential", "contract_archive_id.handler_id",
                 "partner_id.user_id")
    def _compute_owner_id(self):
        for loan in self:
            archive = loan.contract_archive_id
            if archive and (archive.confidential or not loan.include_customer_file):
                loan.owner_id = archive.handler_id
            elif loan.include_customer_file:
                loan.owner_id = loan.partner_id.user_id or loan.customer_file_id.user_id
            else:
                loan.owner_id = False

    @api.depends("include_customer_file", "partner_id", "contract_archive_id", "document_ids")
    def _compute_items_description(self):
        for loan in self:
            items = []
            if loan.include_customer_file:
                items.append(self.env._("Customer credit file of %(customer)s",
                                        customer=loan.partner_id.display_name))
            if loan.contract_archive_id:
                item = self.env._("Contract archive %(number)s", number=loan.contract_archive_id.name)
                if loan.document_ids:
                    item += " ({})".format(", ".join(loan.document_ids.document_type_id.mapped("name")))
                items.append(item)
            loan.items_description = "; ".join(items)

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for loan in self:
            overdue = loan.state == "lent" and bool(loan.date_due) and loan.date_due < today
            loan.is_overdue = overdue
            loan.overdue_days = (today - loan.date_due).days if overdue else 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the overdue loans with = or != and a boolean."))
        domain = [("state", "=", "lent"), ("date_due", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("state", "manager_approver_id", "borrower_id")
    @api.depends_context("uid")
    def _compute_can_approve(self):
        archivist = self.env.user.has_group(ARCHIVIST_GROUP)
        for loan in self:
            loan.can_approve = loan.borrower_id != self.env.user and (
                (loan.state == "requested" and archivist)
                or (loan.state == "to_manager" and loan.manager_approver_id == self.env.user))

    def _search_can_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the loans to approve with = or != and a boolean."))
        domain = [("state", "=", "to_manager"), ("manager_approver_id", "=", self.env.uid)]
        if self.env.user.has_group(ARCHIVIST_GROUP):
            domain = expression.OR([[("state", "=", "requested")], domain])
        domain = expression.AND([[("borrower_id", "!=", self.env.uid)], domain])
        return domain if (operator == "=") == value else ["!", *domain]

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        loans = super().create(vals_list)
        for loan in loans:
            loan.message_subscribe(partner_ids=loan.borrower_id.partner_id.ids)
        return loans

    def write(self, vals):
        if (set(vals) & set(REQUEST_FIELDS) and not (self._in_workflow() or self.env.su)
                and self.filtered(lambda loan: loan.state != "draft")):
            raise UserError(self.env._("A loan request is changed in draft only: cancel it and ask again."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda loan: loan.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only draft or cancelled loans are deleted; the others are kept as records."))

    def _workflow_error(self):
        return self.env._("The state, approvals, lending and return of a loan are recorded by its buttons only.")

    # --- people ---

    def _is_archivist(self):
        return self.env.su or self.env.user.has_group(ARCHIVIST_GROUP)

    def _check_archivist(self):
        if not self._is_archivist():
            raise AccessError(self.env._("Only an archivist does this."))

    @api.model
    def _credit_office(self, company):
        # sudo: a plain employee reads neither the settings nor the groups
        return self.env["res.partner"].sudo()._credit_responsible_users(company).with_env(self.env)

    @api.model
    def _manager_of(self, user, company, exclude=None):
        """The user's hr manager, else his department's manager, else the credit office."""
        # sudo: a plain employee cannot read the hr data of his colleagues
        employees = user.sudo().employee_ids
        employee = employees.filtered(lambda e: e.company_id == company)[:1] or employees[:1]
        for candidate in (employee.parent_id.user_id, employee.department_id.manager_id.user_id):
            if candidate and candidate.active and candidate not in (user | (exclude or user)):
                return candidate.with_env(self.env)
        return self._credit_office(company)[:1]

    def _archivists(self):
        # sudo: the approvers are found for the borrower, who cannot read the groups
        archivists = self.env.ref(ARCHIVIST_GROUP).sudo().users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids and u != self.borrower_id)
        return archivists.with_env(self.env) or self._credit_office(self.company_id)

    def _schedule(self, activity_xmlid, users, summary, note=None):
        for user in users:
            self.activity_schedule(activity_xmlid, user_id=user.id, summary=summary, note=note)

    def _notify_borrower(self, body):
        self.message_post(body=body, partner_ids=self.borrower_id.partner_id.ids,
                          subtype_xmlid="mail.mt_comment")

    # --- request and approval ---

    def action_request(self):
        for loan in self:
            if loan.state != "draft":
                raise UserError(self.env._("Only a draft loan can be requested."))
            if loan.borrower_id != self.env.user and not self._is_archivist():
                raise AccessError(self.env._("A loan is requested by its borrower or by an archivist."))
            if not (loan.include_customer_file or loan.contract_archive_id):
                raise UserError(self.env._(
                    "Say what %(number)s borrows: the customer's credit file, a contract archive or both.",
                    number=loan.name))
            if loan.include_customer_file and not loan.customer_file_id:
                self.env.add_to_compute(self._fields["customer_file_id"], loan)
                if not loan.customer_file_id:
                    raise UserError(self.env._("%(customer)s has no customer file in %(company)s.",
                                               customer=loan.partner_id.display_name,
                                               company=loan.company_id.name))
            loan._check_archive_exists()
            manager = loan.confidential and loan._manager_of(loan.owner_id, loan.company_id, loan.borrower_id)
            loan._workflow().write({"state": "requested", "manager_approver_id": manager and manager.id})
            loan._schedule(APPROVAL_ACTIVITY, loan._archivists(), self.env._(
                "Approve loan %(number)s of %(borrower)s", number=loan.name, borrower=loan.borrower_id.name))
        return True

    def _check_archive_exists(self):
        # sudo: the borrower learns whether the archive still exists, nothing else
        archive = self.contract_archive_id.sudo()
        if archive and (archive.state == "destroyed" or not archive.active):
            raise UserError(self.env._("Contract archive %(number)s has been destroyed: it cannot be lent.",
                                       number=archive.name))

    def action_approve(self):
        today = fields.Date.context_today(self)
        for loan in self:
            if loan.borrower_id == self.env.user and not self.env.su:
                raise AccessError(self.env._("Nobody approves his own loan."))
            if loan.state == "requested":
                loan._check_archivist()
                loan.activity_unlink([APPROVAL_ACTIVITY])
                vals = {"archivist_approved_by_id": self.env.uid, "archivist_approval_date": today}
                if loan.confidential:
                    loan._workflow().write({**vals, "state": "to_manager"})
                    loan._schedule(APPROVAL_ACTIVITY, loan.manager_approver_id, self.env._(
                        "Approve loan %(number)s of the confidential file of %(customer)s by %(borrower)s",
                        number=loan.name, customer=loan.partner_id.display_name, borrower=loan.borrower_id.name))
                    continue
                loan._workflow().write({**vals, "state": "approved"})
            elif loan.state == "to_manager":
                if loan.manager_approver_id != self.env.user and not self.env.su:
                    raise AccessError(self.env._(
                        "Loan %(number)s of a confidential file is approved by %(manager)s.",
                        number=loan.name, manager=loan.manager_approver_id.name))
                loan.activity_unlink([APPROVAL_ACTIVITY])
                loan._workflow().write({
                    "state": "approved", "manager_approved_by_id": self.env.uid, "manager_approval_date": today,
                })
            else:
                raise UserError(self.env._("Loan %(number)s is not waiting for an approval.", number=loan.name))
            loan._schedule(LEND_ACTIVITY, loan.archivist_approved_by_id, self.env._(
                "Lend %(files)s to %(borrower)s", files=loan.items_description, borrower=loan.borrower_id.name))
            loan._notify_borrower(self.env._("Your loan request is approved: the archivist will lend you the file."))
        return True

    def action_refuse(self, reason):
        if not reason:
            raise UserError(self.env._("Give the reason of the refusal."))
        for loan in self.filtered(lambda loan: not loan.can_approve):
            raise AccessError(self.env._("You cannot refuse loan %(number)s.", number=loan.name))
        for loan in self:
            loan.activity_unlink([APPROVAL_ACTIVITY])
            loan._workflow().write({"state": "refused", "refused_by_id": self.env.uid, "refuse_reason": reason})
            loan._notify_borrower(Markup("%s<br/>%s") % (
                self.env._("Your loan request is refused by %(user)s.", user=self.env.user.name), reason))
        return True

    def action_cancel(self):
        for loan in self:
            if loan.state not in ("draft", "requested", "to_manager", "approved"):
                raise UserError(self.env._("Only a loan not lent yet can be cancelled."))
            if loan.borrower_id != self.env.user and not self._is_archivist():
                raise AccessError(self.env._("A loan is cancelled by its borrower or by an archivist."))
            loan.activity_unlink([APPROVAL_ACTIVITY, LEND_ACTIVITY])
            loan._workflow().write({"state": "cancelled"})
        return True

    def action_draft(self):
        for loan in self:
            if loan.state not in ("refused", "cancelled"):
                raise UserError(self.env._("Only a refused or cancelled loan goes back to draft."))
            if loan.borrower_id != self.env.user and not self._is_archivist():
                raise AccessError(self.env._("A loan is sent back to draft by its borrower or by an archivist."))
            loan._workflow().write({
                "state": "draft", "manager_approver_id": False, "archivist_approved_by_id": False,
                "archivist_approval_date": False, "manager_approved_by_id": False, "manager_approval_date": False,
                "refused_by_id": False, "refuse_reason": False,
            })
        return True

    def _wizard_action(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": name, "res_model": model, "view_mode": "form",
            "target": "new", "context": {"default_loan_id": self.id},
        }

    def action_open_refuse_wizard(self):
        return self._wizard_action("credit.file.loan.refuse.wizard", self.env._("Refuse Loan"))

    def action_open_lend_wizard(self):
        self._check_archivist()
        return self._wizard_action("credit.file.loan.lend.wizard", self.env._("Lend"))

    def action_open_return_wizard(self):
        self._check_archivist()
        return self._wizard_action("credit.file.loan.return.wizard", self.env._("Register Return"))

    # --- lending and return (called by the wizards) ---

    def _default_due_date(self, date_lent):
        date_lent = date_lent or fields.Date.context_today(self)
        if self.date_to and self.date_to >= date_lent:
            return self.date_to
        return fields.Date.add(date_lent, days=self.company_id.credit_loan_days or 14)

    def _lock_files(self):
        """Lock the rows of the files so that two archivists cannot lend one twice at once.

        SELECT ... FOR UPDATE makes a concurrent lender wait; the no-op UPDATE then makes its
        transaction fail to serialize (REPEATABLE READ) so that Odoo retries it and it sees the loan.
        """
        for table, records in (("credit_customer_file", self.customer_file_id),
                               ("credit_contract_archive", self.contract_archive_id)):
            if records:
                ids = tuple(sorted(records.ids))
                self.env.cr.execute(f"SELECT id FROM {table} WHERE id IN %s ORDER BY id FOR UPDATE", [ids])
                self.env.cr.execute(f"UPDATE {table} SET write_date = write_date WHERE id IN %s", [ids])

    def _check_lendable(self):
        self.ensure_one()
        if self.state != "approved":
            raise UserError(self.env._("Loan %(number)s is not approved: it cannot be lent.", number=self.name))
        archive = self.contract_archive_id
        self._check_archive_exists()
        if archive and archive.state != "archived":
            raise UserError(self.env._(
                "Contract archive %(number)s is not in the archive room yet: it cannot be lent.", number=archive.name))
        # sudo: the archivist lends the paper file whatever its confidentiality tier
        if self.include_customer_file and not self.customer_file_id.sudo().active:
            raise UserError(self.env._("The customer file of %(customer)s is archived: it cannot be lent.",
                                       customer=self.partner_id.display_name))
        domain = [("id", "!=", self.id), ("state", "=", "lent")]
        if self.customer_file_id and archive:
            domain += ["|", ("customer_file_id", "=", self.customer_file_id.id),
                       ("contract_archive_id", "=", archive.id)]
        elif archive:
            domain.append(("contract_archive_id", "=", archive.id))
        else:
            domain.append(("customer_file_id", "=", self.customer_file_id.id))
        # sudo: every loan counts, whatever the archivist's companies
        other = self.sudo().search(domain, limit=1)
        if other:
            raise UserError(self.env._(
                "%(files)s is already out: lent to %(borrower)s by loan %(number)s until %(date)s.",
                files=other.items_description, borrower=other.borrower_id.name, number=other.name,
                date=other.date_due))

    def _lend(self, date_lent, date_due, condition=False):
        self._check_archivist()
        self._lock_files()
        for loan in self:
            loan._check_lendable()
            if not date_lent or not date_due or date_due < date_lent:
                raise UserError(self.env._("A file is due back on or after the day it is lent."))
        self._workflow().write({
            "state": "lent", "date_lent": date_lent, "date_due": date_due, "lent_by_id": self.env.uid,
            "condition_lent": condition,
        })
        self.activity_unlink([LEND_ACTIVITY])
        return True

    def _register_return(self, date_returned, condition=False, missing_pages=False):
        self._check_archivist()
        today = fields.Date.context_today(self)
        for loan in self:
            if loan.state != "lent":
                raise UserError(self.env._("Loan %(number)s is not lent: nothing to return.", number=loan.name))
            if not date_returned or date_returned < loan.date_lent:
                raise UserError(self.env._(
                    "The return date of %(number)s cannot be before the day it was lent (%(date)s).",
                    number=loan.name, date=loan.date_lent))
            if date_returned > today:
                raise UserError(self.env._("A file is registered as returned on the day it is back, not later."))
        self._workflow().write({
            "state": "returned", "date_returned": date_returned, "returned_to_id": self.env.uid,
            "condition_returned": condition, "missing_pages": missing_pages or False,
        })
        self.activity_unlink([OVERDUE_ACTIVITY, ESCALATION_ACTIVITY])
        if missing_pages:
            for loan in self:
                loan._report_missing_pages(missing_pages)
        return True

    def _report_missing_pages(self, missing_pages):
        message = self.env._("Returned by %(borrower)s with missing pages: %(pages)s",
                             borrower=self.borrower_id.name, pages=missing_pages)
        self.message_post(body=message, subtype_xmlid="mail.mt_note")
        self._schedule("mail.mail_activity_data_todo", self._credit_office(self.company_id), self.env._(
            "Missing pages in %(files)s (loan %(number)s)", files=self.items_description, number=self.name),
            note=message)

    # --- overdue loans ---

    @api.model
    def _cron_overdue_loans(self):
        """One reminder to the borrower of an overdue loan; one escalation to his manager once the
        loan is overdue for the company's escalation delay. The dates on the loan prevent repeats."""
        today = fields.Date.context_today(self)
        for loan in self.search([("is_overdue", "=", True)]):
            if not loan.reminder_date:
                loan._schedule(OVERDUE_ACTIVITY, loan.borrower_id, self.env._(
                    "Return %(files)s (due %(date)s)", files=loan.items_description, date=loan.date_due))
                loan._workflow().write({"reminder_date": today})
            days = (today - loan.date_due).days
            if not loan.escalation_date and days >= loan.company_id.credit_loan_escalation_days:
                manager = loan._manager_of(loan.borrower_id, loan.company_id)
                message = self.env._(
                    "Loan %(number)s of %(borrower)s is %(days)s days overdue (due %(date)s): escalated to "
                    "%(manager)s.", number=loan.name, borrower=loan.borrower_id.name, days=days,
                    date=loan.date_due, manager=manager.name)
                loan._workflow().write({"escalation_date": today, "escalated_to_id": manager.id})
                loan._schedule(ESCALATION_ACTIVITY, manager, self.env._(
                    "Have %(borrower)s return %(files)s", borrower=loan.borrower_id.name,
                    files=loan.items_description), note=message)
                loan.message_post(body=message, subtype_xmlid="mail.mt_note")

    # --- where the files are (for contract archives, customer files and customers) ---

    @api.model
    def _set_whereabouts(self, records, field_name):
        """Fill current_loan_id and whereabouts of contract archives or customer files."""
        # sudo: where a file is, is known to whoever sees the file, even without access to its loan
        loans = self.sudo().search([(field_name, "in", records._origin.ids), ("state", "=", "lent")])
        by_record = {loan[field_name].id: loan for loan in loans}
        for record in records:
            loan = by_record.get(record._origin.id)
            record.current_loan_id = loan
            if loan:
                record.whereabouts = self.env._("Lent to %(borrower)s until %(date)s",
                                                borrower=loan.borrower_id.name, date=loan.date_due)
            elif record._name == "credit.customer.file":
                record.whereabouts = self.env._("In the archive room")
            elif record.state == "archived":
                record.whereabouts = self.env._("In the archive room at %(location)s",
                                                location=record.location or "?")
            elif record.state == "destroyed" or not record.active:
                record.whereabouts = self.env._("Destroyed")
            else:
                record.whereabouts = self.env._("Not in the archive room yet (%(state)s)", state=dict(
                    record._fields["state"]._description_selection(self.env))[record.state])

    @api.model
    def _set_partner_loans_out(self, partners):
        # sudo: the customer's page lists the files out to the credit users
        loans = self.sudo().search([("partner_id", "in", partners._origin.ids), ("state", "=", "lent")])
        for partner in partners:
            out = loans.filtered(lambda loan, p=partner: loan.partner_id == p._origin)
            partner.credit_loan_out_ids = out
            partner.credit_loan_out_count = len(out)

    @api.model
    def _archive_name_search(self, partner_id, name, operator, limit):
        """Numbers of the customer's contract archives in the archive room, for a borrower who may not
        read contract archives (the client's domain is not used: it could probe the archives)."""
        domain = [("partner_id", "=", int(partner_id)), ("state", "=", "archived"),
                  ("company_id", "in", self.env.companies.ids)]
        if name:
            domain.append(("name", operator, name))
        # sudo: only the number and customer of these archives are given out
        archives = self.env["credit.contract.archive"].sudo().search(domain, limit=limit)
        return [(archive.id, f"{archive.name} - {archive.partner_id.display_name}") for archive in archives]
