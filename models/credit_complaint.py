from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
GM_GROUP = "customer_credit_archive.group_credit_general_manager"
DEADLINE_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_complaint_deadline"
APPROVAL_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_complaint_approval"
FEEDBACK_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_complaint_feedback"
ESCALATION_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_complaint_escalation"
FEEDBACK_TEMPLATE = "customer_credit_archive.mail_template_credit_complaint_feedback"

OPEN_STATES = ("received", "in_progress", "to_approve", "approved")
# written only by the workflow buttons and the cron (after their checks), never by a form or RPC
WORKFLOW_FIELDS = (
    "state", "approved_by_id", "approval_date", "refuse_reason", "fed_back_date", "fed_back_by_id",
    "closed_date", "escalation_date", "escalated_to_id",
)


class CreditComplaint(models.Model):
    """A customer complaint (客户投诉), policy variants 2, 3 and 5 (第五篇 7、客户投诉管理).

    The business department receives it (7.1); a complaint about quality below standard goes to
    the production department together with that department (7.2), a complaint about the service
    stays with the department (7.3), a repair request goes to after-sales, anything else to the
    credit office. The result is approved by the General Manager and fed back to the customer by
    the office; a deadline per severity is watched by a daily scheduled action.
    """

    _name = "credit.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "credit.confidential.mixin",
                "credit.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_sequence_code = "credit.complaint"
    _workflow_initial_state = "received"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    state = fields.Selection(
        [
            ("received", "Received"),
            ("in_progress", "In Progress"),
            ("to_approve", "Awaiting Approval"),
            ("approved", "Approved"),
            ("fed_back", "Fed Back to Customer"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="received", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date = fields.Date(string="Received On", required=True, default=fields.Date.context_today, tracking=True,
                       index=True)
    received_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner", domain="[('commercial_partner_id', '=', partner_id)]",
        help="Who complained; the feedback is sent to this contact (else to the customer).",
    )
    channel = fields.Selection(
        [("phone", "Phone"), ("email", "Email"), ("visit", "Visit"), ("portal", "Portal"), ("other", "Other")],
        required=True, default="phone",
    )
    kind = fields.Selection(
        [
            ("quality", "Quality Below Standard"),
            ("service", "Service Dissatisfaction"),
            ("repair", "Repair Request"),
            ("other", "Other"),
        ],
        required=True, default="service", tracking=True,
    )
    description = fields.Text(required=True)
    severity = fields.Selection(
        [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("critical", "Critical")],
        required=True, default="normal", tracking=True,
    )
    department_id = fields.Many2one(
        "hr.department", string="Receiving Department", check_company=True, tracking=True, index=True,
        compute="_compute_route", store=True, readonly=False, precompute=True,
        help="The business department that receives and organizes the handling (empty: the credit office).",
    )
    production_department_id = fields.Many2one(
        "hr.department", check_company=True, tracking=True,
        compute="_compute_route", store=True, readonly=False, precompute=True,
        help="Handles a quality complaint together with the receiving department (生产处协同处理).",
    )
    handler_id = fields.Many2one(
        "res.users", tracking=True, index=True, domain="[('share', '=', False)]",
        compute="_compute_handler_id", store=True, readonly=False, precompute=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order", check_company=True, index="btree_not_null",
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    invoice_id = fields.Many2one(
        "account.move", check_company=True, index="btree_not_null",
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), ('partner_id', 'child_of', partner_id)]",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    date_deadline = fields.Date(
        string="Deadline", compute="_compute_date_deadline", store=True, tracking=True, index=True,
        help="Received date plus the days of the severity (Settings).",
    )
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    root_cause = fields.Text()
    resolution = fields.Text(string="Result", help="What was done: approved by the General Manager, fed back.")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approval_date = fields.Date(string="Approved On", readonly=True, copy=False)
    refuse_reason = fields.Text(string="Last Refusal Reason", readonly=True, copy=False, tracking=True)
    fed_back_date = fields.Date(string="Fed Back On", readonly=True, copy=False)
    fed_back_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_date = fields.Date(string="Closed On", readonly=True, copy=False)
    escalation_date = fields.Date(string="Escalated On", readonly=True, copy=False)
    escalated_to_id = fields.Many2one("res.users", readonly=True, copy=False, index=True)

    @api.constrains("partner_id", "contact_id", "sale_order_id", "invoice_id")
    def _check_partner(self):
        for complaint in self:
            customer = complaint.partner_id
            if customer != customer.commercial_partner_id:
                raise ValidationError(self.env._(
                    "A complaint is filed for the company %(company)s, its contact goes in Contact.",
                    company=customer.commercial_partner_id.display_name))
            links = complaint.contact_id | complaint.sale_order_id.partner_id | complaint.invoice_id.partner_id
            if links.commercial_partner_id - customer:
                raise ValidationError(self.env._(
                    "The contact, sale order and invoice of complaint %(number)s belong to %(customer)s.",
                    number=complaint.name, customer=customer.display_name))

    # --- route and deadline ---

    @api.depends("kind", "company_id")
    def _compute_route(self):
        for complaint in self:
            company = complaint.company_id
            complaint.department_id = {
                "quality": company.credit_complaint_sales_department_id,
                "service": company.credit_complaint_sales_department_id,
                "repair": company.credit_complaint_service_department_id,
            }.get(complaint.kind, False)
            complaint.production_department_id = (
                complaint.kind == "quality" and company.credit_complaint_production_department_id)

    @api.depends("department_id", "kind", "partner_id", "company_id")
    def _compute_handler_id(self):
        for complaint in self:
            # sudo: whoever receives the complaint may not read the hr data of the department
            office = self._credit_office(complaint.company_id)
            if complaint.kind == "other":
                complaint.handler_id = office[:1]
                continue
            manager = complaint.department_id.sudo().manager_id.user_id
            complaint.handler_id = (manager or complaint.partner_id.user_id or office)[:1]

    @api.depends("date", "severity", "company_id")
    def _compute_date_deadline(self):
        for complaint in self:
            days = complaint.company_id[f"credit_complaint_days_{complaint.severity}"] if complaint.severity else 0
            complaint.date_deadline = complaint.date and complaint.date + timedelta(days=days)

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for complaint in self:
            complaint.is_overdue = (complaint.state in OPEN_STATES and bool(complaint.date_deadline)
                                    and complaint.date_deadline < today)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the overdue complaints with = or != and a boolean."))
        domain = [("state", "in", OPEN_STATES), ("date_deadline", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return res

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._schedule_deadline_activity()
        return complaints

    def write(self, vals):
        self._check_workflow_values(vals)  # its message first (the mixin checks again, cheaply)
        if {"partner_id", "company_id"} & set(vals) and not (self._in_workflow() or self.env.su) and self.filtered(
                lambda c: c.state != "received"):
            raise UserError(self.env._("The customer of a complaint is changed only while it is just received."))
        watched = {c: (c.handler_id, c.date_deadline) for c in self}
        result = super().write(vals)
        changed = self.filtered(lambda c: (c.handler_id, c.date_deadline) != watched[c])
        changed._schedule_deadline_activity()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_cancelled(self):
        if self.filtered(lambda c: c.state != "cancelled"):
            raise UserError(self.env._("Complaints are kept as records: cancel a complaint filed by mistake."))

    def _workflow_error(self):
        return self.env._("The state, approval and feedback of a complaint are set by its buttons.")

    # --- people and activities ---

    @api.model
    def _credit_office(self, company):
        # sudo: whoever files a complaint reads neither the settings nor the groups
        return self.env["res.partner"].sudo()._credit_responsible_users(company).with_env(self.env)

    def _general_managers(self):
        # sudo: the approvers are found for the handler, who cannot read the groups
        return self.env.ref(GM_GROUP).sudo().users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids).with_env(self.env)

    def _schedule_deadline_activity(self):
        """The handler (and, for a quality complaint, the production department's manager) each have one
        activity due on the deadline; it follows a new handler or deadline."""
        activity_type = self.env.ref(DEADLINE_ACTIVITY)
        for complaint in self:
            wanted = {}
            if complaint.state in ("received", "in_progress") and complaint.handler_id:
                wanted[complaint.handler_id] = self.env._(
                    "Handle complaint %(number)s of %(customer)s",
                    number=complaint.name, customer=complaint.partner_id.display_name)
                # sudo: the production department's manager is read for whoever files the complaint
                production = complaint.production_department_id.sudo().manager_id.user_id.with_env(self.env)
                if production and production not in wanted:
                    wanted[production] = self.env._(
                        "Handle quality complaint %(number)s with %(department)s",
                        number=complaint.name, department=complaint.department_id.name or "-")
            activities = complaint.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            stale = activities.filtered(lambda a, users=list(wanted): a.user_id not in users)
            stale.unlink()
            activities -= stale
            for user, summary in wanted.items():
                activity = activities.filtered(lambda a, u=user: a.user_id == u)[:1]
                if not activity:
                    complaint.activity_schedule(DEADLINE_ACTIVITY, date_deadline=complaint.date_deadline,
                                                user_id=user.id, summary=summary)
                elif activity.date_deadline != complaint.date_deadline:
                    activity.date_deadline = complaint.date_deadline

    def _check_handler(self):
        for complaint in self:
            if self.env.user != complaint.handler_id and not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(self.env._(
                    "Complaint %(number)s is worked by its handler %(handler)s or by a Credit Manager.",
                    number=complaint.name, handler=complaint.handler_id.name or "-"))

    def _check_state(self, states, action):
        for complaint in self.filtered(lambda c: c.state not in states):
            raise UserError(self.env._("Complaint %(number)s cannot be %(action)s in its state.",
                                       number=complaint.name, action=action))

    # --- workflow ---

    def action_start(self):
        self._check_state(("received",), self.env._("started"))
        if self.filtered(lambda c: not c.handler_id):
            raise UserError(self.env._("Give the complaint a handler first."))
        self._check_handler()
        self._workflow().write({"state": "in_progress"})
        return True

    def action_submit(self):
        self._check_state(("received", "in_progress"), self.env._("submitted for approval"))
        self._check_handler()
        if self.filtered(lambda c: not (c.resolution or "").strip()):
            raise UserError(self.env._("Write the result of the handling before you ask for the approval."))
        for complaint in self:
            complaint._workflow().write({"state": "to_approve"})
            complaint.activity_feedback([DEADLINE_ACTIVITY])
            for manager in complaint._general_managers():
                complaint.activity_schedule(APPROVAL_ACTIVITY, user_id=manager.id, summary=self.env._(
                    "Approve the result of complaint %(number)s", number=complaint.name))
        return True

    def _check_general_manager(self):
        if not self.env.user.has_group(GM_GROUP):
            raise AccessError(self.env._("Only the General Manager approves the result of a complaint."))

    def action_approve(self):
        self._check_general_manager()
        self._check_state(("to_approve",), self.env._("approved"))
        self._workflow().write({
            "state": "approved", "approved_by_id": self.env.uid,
            "approval_date": fields.Date.context_today(self),
        })
        for complaint in self:
            complaint.activity_feedback([APPROVAL_ACTIVITY])
            # policy 7.2 / 7.3: the office feeds the approved result back to the customer
            for user in complaint._credit_office(complaint.company_id):
                complaint.activity_schedule(FEEDBACK_ACTIVITY, user_id=user.id, summary=self.env._(
                    "Feed the result of complaint %(number)s back to %(customer)s",
                    number=complaint.name, customer=complaint.partner_id.display_name))
        return True

    def action_refuse(self, reason):
        self._check_general_manager()
        self._check_state(("to_approve",), self.env._("refused"))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the refusal."))
        self._workflow().write({"state": "in_progress", "refuse_reason": reason})
        for complaint in self:
            complaint.activity_unlink([APPROVAL_ACTIVITY])
            complaint._schedule_deadline_activity()
            complaint.message_post(
                body=Markup("%s<br/>%s") % (self.env._("Result refused by %(user)s:", user=self.env.user.name),
                                            reason),
                partner_ids=complaint.handler_id.partner_id.ids, subtype_xmlid="mail.mt_comment")
        return True

    def action_open_refuse_wizard(self):
        self._check_general_manager()
        return {
            "type": "ir.actions.act_window", "name": self.env._("Refuse Result"),
            "res_model": "credit.complaint.refuse.wizard", "view_mode": "form", "target": "new",
            "context": {"default_complaint_ids": self.ids},
        }

    def _check_feedback(self):
        self._check_state(("approved",), self.env._("fed back"))
        self._check_handler()

    def action_send_feedback(self):
        """The mail composer with the feedback template, in the customer's language."""
        self.ensure_one()
        self._check_feedback()
        template = self.env.ref(FEEDBACK_TEMPLATE)
        return {
            "type": "ir.actions.act_window", "res_model": "mail.compose.message", "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name, "default_res_ids": self.ids, "default_template_id": template.id,
                "default_composition_mode": "comment", "default_email_layout_xmlid": "mail.mail_notification_light",
                "credit_complaint_feedback": True,
            },
        }

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # the composer opened by action_send_feedback: sending the mail is the feedback
        if self.env.context.get("credit_complaint_feedback"):
            self.filtered(lambda c: c.state == "approved")._mark_fed_back()
        return super().message_post(**kwargs)

    def _mark_fed_back(self):
        self._check_feedback()
        self._workflow().write({
            "state": "fed_back", "fed_back_by_id": self.env.uid, "fed_back_date": fields.Date.context_today(self),
        })
        self.activity_feedback([FEEDBACK_ACTIVITY])

    def action_close(self):
        self._check_state(("fed_back",), self.env._("closed"))
        self._check_handler()
        self._workflow().write({"state": "closed", "closed_date": fields.Date.context_today(self)})
        self.activity_unlink([ESCALATION_ACTIVITY])
        return True

    def action_cancel(self):
        self._check_state(("received", "in_progress"), self.env._("cancelled"))
        self._check_handler()
        self._workflow().write({"state": "cancelled"})
        self.activity_unlink([DEADLINE_ACTIVITY, ESCALATION_ACTIVITY])
        return True

    # --- overdue complaints ---

    @api.model
    def _cron_overdue_complaints(self):
        """Escalate, once, each complaint still open after its deadline: an activity to the manager of
        its receiving department (the credit office when there is none); the escalation date is the flag."""
        today = fields.Date.context_today(self)
        for complaint in self.search([("is_overdue", "=", True), ("escalation_date", "=", False)]):
            # sudo: the cron may run as a user who cannot read the hr data
            manager = complaint.department_id.sudo().manager_id.user_id
            if not manager or manager == complaint.handler_id:
                manager = self._credit_office(complaint.company_id)[:1]
            message = self.env._(
                "Complaint %(number)s of %(customer)s is overdue since %(date)s: escalated to %(manager)s.",
                number=complaint.name, customer=complaint.partner_id.display_name, date=complaint.date_deadline,
                manager=manager.name or "-")
            complaint._workflow().write({"escalation_date": today, "escalated_to_id": manager.id})
            if manager:
                complaint.activity_schedule(ESCALATION_ACTIVITY, user_id=manager.id, note=message, summary=self.env._(
                    "Overdue complaint %(number)s", number=complaint.name))
            complaint.message_post(body=message, subtype_xmlid="mail.mt_note")

    # --- links to the customer ---

    @api.model
    def _count_per_partner(self, partners, company=None):
        """Number of complaints per commercial partner of ``partners`` (of ``company`` if given), one query.
        Counted as the current user: the button shows what he can open."""
        domain = [("partner_id", "in", partners.commercial_partner_id.ids)]
        if company:
            domain.append(("company_id", "=", company.id))
        return {partner.id: count for partner, count in self._read_group(domain, ["partner_id"], ["__count"])}

    @api.model
    def _action_for_partner(self, partner, company=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit_archive.credit_complaint_action")
        action["domain"] = [("partner_id", "=", partner.commercial_partner_id.id)]
        if company:
            action["domain"].append(("company_id", "=", company.id))
        action["context"] = {"default_partner_id": partner.commercial_partner_id.id}
        return action
