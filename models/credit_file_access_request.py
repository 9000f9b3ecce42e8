from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
MARKETING_DIRECTOR_GROUP = "customer_credit_archive.group_credit_marketing_director"
DEPUTY_GM_GROUP = "customer_credit_archive.group_credit_deputy_general_manager"


class CreditFileAccessRequest(models.Model):
    """查阅档案审批表: the approval a user needs to read a customer file that is not his.

    Personal file: the department manager (team leader) or the file keeper approves; department
    file: the department manager; company file: the marketing director, then the deputy general
    manager or the general manager. Credit Managers approve at any level. Approved, the request
    lets the requester read the file from ``date_from`` to ``date_to`` only (the file's
    ``access_grant_user_ids``, kept by ``_sync_access_grants`` and the hourly scheduled action).
    """

    _name = "credit.file.access.request"
    _description = "File Access Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    requester_id = fields.Many2one(
        "res.users", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True,
    )
    file_id = fields.Many2one(
        "credit.customer.file", string="Customer File", index=True, ondelete="cascade",
        compute="_compute_file_id", store=True, check_company=True,
        help="The file of the customer in the company of the request, found for the requester.",
    )
    confidential_tier = fields.Selection(
        related="file_id.confidential_tier", string="Confidentiality",
    )
    purpose = fields.Text(required=True, tracking=True, help="Why the file is needed (查阅用途).")
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today, tracking=True,
    )
    date_to = fields.Date(
        string="Until", required=True, tracking=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=max(
            (self.env.company.credit_access_max_days or 1) - 1, 0)),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("first_approved", "First Level Approved"),
            ("approved", "Approved"),
            ("expired", "Expired"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        default="draft", required=True, tracking=True, copy=False, index=True,
    )
    two_levels = fields.Boolean(
        compute="_compute_two_levels", store=True,
        help="A company file: the marketing director, then the deputy general manager or the "
        "general manager approve.",
    )
    approver_user_ids = fields.Many2many(
        "res.users", "credit_file_access_request_approver_rel", "request_id", "user_id",
        string="To Be Approved By", compute="_compute_approver_user_ids", store=True,
        help="Who decides the current step (Credit Managers always can).",
    )
    first_approved_by_id = fields.Many2one("res.users", string="First Level Approved By",
                                           readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    refused_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    refuse_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False, tracking=True)
    active_grant = fields.Boolean(
        string="Access Open", compute="_compute_active_grant",
        help="Approved and today within the period: the requester reads the file.",
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "requester_id")
    def _compute_name(self):
        for request in self:
            request.name = self.env._(
                "%(customer)s for %(user)s", customer=request.partner_id.display_name or "?",
                user=request.requester_id.name or "?")

    @api.depends("partner_id", "company_id")
    def _compute_file_id(self):
        # stored compute: runs as superuser, the requester cannot read the file yet
        File = self.env["credit.customer.file"].sudo().with_context(active_test=False)
        for request in self:
            partner = request.partner_id.commercial_partner_id
            request.file_id = File.search(
                [("partner_id", "=", partner.id), ("company_id", "=", request.company_id.id)],
                limit=1) if partner else False

    @api.depends("file_id.confidential_tier")
    def _compute_two_levels(self):
        for request in self:
            request.two_levels = request.file_id.sudo().confidential_tier == "company"

    @api.depends("state", "file_id.confidential_tier", "file_id.confidential_owner_id",
                 "file_id.confidential_team_id.user_id", "company_id.credit_marketing_director_id",
                 "first_approved_by_id", "requester_id")
    def _compute_approver_user_ids(self):
        for request in self:
            request.approver_user_ids = request._approvers() if request.state in (
                "submitted", "first_approved") else False

    def _approvers(self):
        """The users (Credit Managers aside) who decide the current step of this request."""
        self.ensure_one()
        file = self.file_id.sudo()
        Users = self.env["res.users"]
        if not file:
            return Users
        leader = file.confidential_team_id.user_id
        if file.confidential_tier == "personal":
            users = leader | file.confidential_owner_id
        elif file.confidential_tier == "department":
            users = leader
        elif self.state == "submitted":
            users = file.confidential_owner_id | self.company_id.credit_marketing_director_id
            if not users:
                users = self.env.ref(MARKETING_DIRECTOR_GROUP).sudo().users
        else:
            users = self.env.ref(DEPUTY_GM_GROUP).sudo().users
        # nobody approves his own request, nor both levels of one
        return users - self.requester_id - self.first_approved_by_id

    @api.depends_context("uid")
    @api.depends("approver_user_ids", "state")
    def _compute_can_approve(self):
        for request in self:
            request.can_approve = request._can_decide(self.env.user)

    def _can_decide(self, user):
        self.ensure_one()
        if self.state not in ("submitted", "first_approved") or user == self.requester_id:
            return False
        if user == self.first_approved_by_id:
            return False
        return user in self.approver_user_ids or user.has_group(MANAGER_GROUP)

    @api.depends("state", "date_from", "date_to")
    def _compute_active_grant(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.active_grant = request._grants_on(today)

    def _grants_on(self, day):
        self.ensure_one()
        return self.state == "approved" and self.date_from <= day <= self.date_to

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_from", "date_to", "company_id")
    def _check_period(self):
        for request in self:
            if request.date_to < request.date_from:
                raise ValidationError(self.env._("An access request cannot end before it starts."))
            longest = request.company_id.credit_access_max_days or 1
            if (request.date_to - request.date_from).days + 1 > longest:
                raise ValidationError(self.env._(
                    "A customer file can be read for %(days)s days at most per request.",
                    days=longest))

    @api.constrains("partner_id")
    def _check_partner(self):
        for request in self:
            if request.partner_id != request.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Ask for the file of the company %(company)s, not of its contact.",
                    company=request.partner_id.commercial_partner_id.display_name))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def write(self, vals):
        locked = {"partner_id", "company_id", "date_from", "date_to", "purpose"} & set(vals)
        if locked and not self.env.su and any(r.state != "draft" for r in self):
            raise UserError(self.env._("Only a draft access request can be changed."))
        return super().write(vals)

    def _check_state(self, states):
        for request in self:
            if request.state not in states:
                raise UserError(self.env._(
                    "%(request)s cannot do this in the state %(state)s.", request=request.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[request.state]))

    def action_submit(self):
        self._check_state(("draft",))
        for request in self:
            if not request.file_id:
                raise UserError(self.env._(
                    "%(customer)s has no customer file in %(company)s.",
                    customer=request.partner_id.display_name, company=request.company_id.name))
            if request.requester_id != self.env.user and not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(self.env._("Only the requester submits his access request."))
        self.write({"state": "submitted"})
        self._schedule_decision()
        return True

    def _schedule_decision(self):
        summary = self.env._("Decide on the file access request")
        for request in self:
            # every user who decides this step has it in his activities: the first to decide
            # closes them all (action_approve / action_refuse)
            approvers = request.approver_user_ids or self.env[
                "res.partner"]._credit_responsible_users(request.company_id)[:1]
            for approver in approvers:
                request.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=approver.id, summary=summary,
                    note=request.purpose)

    def action_approve(self):
        self._check_state(("submitted", "first_approved"))
        user = self.env.user
        today = fields.Date.context_today(self)
        for request in self:
            if not request._can_decide(user):
                raise AccessError(self.env._(
                    "You cannot approve %(request)s: it waits for %(users)s.", request=request.name,
                    users=", ".join(request.approver_user_ids.mapped("name")) or self.env._(
                        "a Credit Manager")))
            request.activity_unlink(["mail.mail_activity_data_todo"])
            if request.two_levels and request.state == "submitted":
                # sudo: the first approver may not write the request of another department
                request.sudo().write({"state": "first_approved", "first_approved_by_id": user.id})
                request.message_post(body=self.env._(
                    "First level approved by %(user)s.", user=user.name))
                request._schedule_decision()
                continue
            state = "expired" if request.date_to < today else "approved"
            request.sudo().write({"state": state, "approved_by_id": user.id})
            request.message_post(body=self.env._(
                "Approved by %(user)s: %(requester)s reads the file from %(start)s to %(end)s.",
                user=user.name, requester=request.requester_id.name,
                start=request.date_from, end=request.date_to))
        self._sync_access_grants()
        return True

    def action_refuse(self, reason=None):
        reason = reason or self.env.context.get("credit_refuse_reason")
        if not reason:
            raise UserError(self.env._("Give the reason of the refusal."))
        self._check_state(("submitted", "first_approved"))
        for request in self:
            if not request._can_decide(self.env.user):
                raise AccessError(self.env._("You cannot refuse %(request)s.", request=request.name))
            request.activity_unlink(["mail.mail_activity_data_todo"])
            request.sudo().write({"state": "refused", "refused_by_id": self.env.user.id,
                                  "refuse_reason": reason})
            request.message_post(body=self.env._(
                "Refused by %(user)s: %(reason)s", user=self.env.user.name, reason=reason))
        return True

    def action_cancel(self):
        self._check_state(("draft", "submitted", "first_approved", "approved"))
        for request in self:
            if request.requester_id != self.env.user and not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(self.env._("Only the requester cancels his access request."))
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.sudo().write({"state": "cancelled"})
        self._sync_access_grants()
        return True

    def action_draft(self):
        self._check_state(("refused", "cancelled"))
        self.write({"state": "draft"})
        return True

    def action_open_file(self):
        self.ensure_one()
        self.file_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.customer.file",
            "res_id": self.file_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Grants: who reads which file today
    # ------------------------------------------------------------------
    def _sync_access_grants(self, files=None):
        """Set the temporary readers of the files of these requests from their approved requests."""
        files = (files if files is not None else self.file_id).sudo()
        if not files:
            return
        today = fields.Date.context_today(self)
        # sudo: the grants are written by the system, whoever approved or expired the request
        approved = self.sudo().search([
            ("file_id", "in", files.ids), ("state", "=", "approved"),
            ("date_from", "<=", today), ("date_to", ">=", today),
        ])
        for file in files:
            readers = approved.filtered(lambda r, f=file: r.file_id == f).requester_id
            if file.access_grant_user_ids != readers:
                file.write({"access_grant_user_ids": [fields.Command.set(readers.ids)]})

    @api.model
    def _cron_expire_access_requests(self):
        """Hourly: close the requests whose period is over, open those whose period starts."""
        today = fields.Date.context_today(self)
        Request = self.sudo()
        expired = Request.search([("state", "=", "approved"), ("date_to", "<", today)])
        for request in expired:
            request.write({"state": "expired"})
            request.message_post(body=self.env._(
                "The access of %(user)s to the file ended on %(date)s.",
                user=request.requester_id.name, date=request.date_to))
        current = Request.search([("state", "=", "approved"), ("date_from", "<=", today)])
        granted = Request.env["credit.customer.file"].sudo().with_context(active_test=False).search(
            [("access_grant_user_ids", "!=", False)])
        Request._sync_access_grants(expired.file_id | current.file_id | granted)
