from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
USER_GROUP = "customer_credit_archive.group_credit_user"
INVESTIGATION_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_investigation"
APPROVAL_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_approval"

# 客户信用申请表: what is asked, frozen once the application is submitted
REQUEST_FIELDS = (
    "partner_id", "company_id", "requested_grade_id", "requested_limit", "requested_payment_term_id",
    "request_note", "supplied_by_customer",
)
# 客户调查表: what the investigation found, frozen once the application is submitted
INVESTIGATION_FIELDS = (
    "investigator_id", "visit_report_ids", "attachment_ids", "agency_report_ids", "revenue", "net_profit",
    "total_assets", "total_liabilities", "score", "investigation_conclusion",
)
# 客户信用审批表: what the Credit Managers decide, frozen once decided
APPROVAL_FIELDS = ("approved_grade_id", "approved_limit", "approved_payment_term_id", "approval_note")
# the approval value that a non-manager may only leave equal to the request
APPROVAL_OF_REQUEST = {
    "approved_grade_id": "requested_grade_id",
    "approved_limit": "requested_limit",
    "approved_payment_term_id": "requested_payment_term_id",
}
# written by the action methods only (after their group checks), never by a form or an RPC call
WORKFLOW_FIELDS = (
    "state", "investigation_date", "submission_date", "first_approver_id", "first_approval_date",
    "second_approver_id", "second_approval_date", "rejection_reason", "previous_grade_id", "previous_limit",
    "letter_sent_date",
)
LOCKED_FIELDS = {
    "submitted": REQUEST_FIELDS + INVESTIGATION_FIELDS,
    "approved": REQUEST_FIELDS + INVESTIGATION_FIELDS + APPROVAL_FIELDS,
    "rejected": REQUEST_FIELDS + INVESTIGATION_FIELDS + APPROVAL_FIELDS,
}


class CreditApplication(models.Model):
    """A customer's credit application (客户信用申请表), its investigation (客户调查表) and
    its approval (客户信用审批表), policy variants 6 and 9.

    draft → investigation (the credit office starts it) → submitted (by the investigator)
    → approved / rejected (by Credit Managers; two different ones above the company's
    double-approval threshold). The final approval writes the grade, limit and term to the
    customer's credit profile in the application's company.
    """

    _name = "credit.application"
    _description = "Credit Application"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "id desc"
    _check_company_auto = True

    @api.model
    def _confidential_rules(self):
        rules = super()._confidential_rules()
        # besides the readers of the customer's file: the applicant and the investigator
        rules["applicant"] = (
            "customer_credit_archive.group_credit_user",
            "['|', ('user_id', '=', user.id), ('investigator_id', '=', user.id)]",
        )
        return rules

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("investigation", "Under Investigation"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one(
        "res.users", string="Applicant", required=True, index=True, tracking=True, check_company=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
        help="The salesperson who files the application for the customer.",
    )
    supplied_by_customer = fields.Boolean(
        string="Supplied by the Customer", tracking=True,
        help="The customer filled in this application (e.g. on the portal): the data is to be "
        "verified by the investigation.",
    )
    request_note = fields.Text(string="Reason for the Request")
    is_credit_manager = fields.Boolean(compute="_compute_is_credit_manager")
    # -- current credit profile of the customer in the application's company
    current_grade_id = fields.Many2one(
        "credit.grade", compute="_compute_current_profile",
    )
    current_limit = fields.Monetary(
        compute="_compute_current_profile", currency_field="currency_id",
    )
    current_payment_term_id = fields.Many2one(
        "account.payment.term", compute="_compute_current_profile", string="Current Credit Term",
    )
    # -- request
    requested_grade_id = fields.Many2one(
        "credit.grade", tracking=True, check_company=True,
    )
    requested_limit = fields.Monetary(
        currency_field="currency_id", tracking=True,
        compute="_compute_requested_terms", store=True, readonly=False, precompute=True,
    )
    requested_payment_term_id = fields.Many2one(
        "account.payment.term", string="Requested Credit Term", tracking=True, check_company=True,
        compute="_compute_requested_terms", store=True, readonly=False, precompute=True,
    )
    # -- investigation
    investigator_id = fields.Many2one(
        "res.users", tracking=True, index=True, check_company=True,
        domain=lambda self: [("share", "=", False), ("groups_id", "in", self.env.ref(USER_GROUP).ids)],
        help="Who investigates the customer: visits, documents, agency reports. "
        "Empty when the investigation starts: the Credit Manager who starts it.",
    )
    investigation_date = fields.Datetime(string="Investigation Started", readonly=True, copy=False)
    submission_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    visit_report_ids = fields.Many2many(
        "credit.visit.report", "credit_application_visit_report_rel", "application_id", "visit_report_id",
        string="Visit Reports", check_company=True,
        domain="[('partner_id', '=', partner_id), ('company_id', '=', company_id)]",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", "credit_application_attachment_rel", "application_id", "attachment_id",
        string="Documents", copy=False,
        help="Licences, financial statements, bank references... collected for the investigation.",
    )
    revenue = fields.Monetary(currency_field="currency_id", string="Annual Revenue", tracking=True)
    net_profit = fields.Monetary(currency_field="currency_id", tracking=True)
    total_assets = fields.Monetary(currency_field="currency_id", tracking=True)
    total_liabilities = fields.Monetary(currency_field="currency_id", tracking=True)
    debt_ratio = fields.Float(
        string="Debt Ratio (%)", compute="_compute_debt_ratio", store=True, aggregator="avg",
        digits=(16, 2), help="Total liabilities / total assets.",
    )
    agency_report_ids = fields.One2many(
        "credit.application.agency.report", "application_id", string="Agency Reports", copy=False,
    )
    agency_cost_total = fields.Monetary(
        currency_field="currency_id", compute="_compute_agency_cost_total", store=True,
        string="Total Agency Cost",
    )
    score = fields.Integer(
        tracking=True, aggregator="avg",
        help="Credit score given by the investigation, from 1 (worst) to 100 (best); 0 means not scored.",
    )
    investigation_conclusion = fields.Text(string="Conclusion")
    # -- approval
    approved_grade_id = fields.Many2one(
        "credit.grade", tracking=True, check_company=True,
        compute="_compute_approved_grade_id", store=True, readonly=False, precompute=True,
    )
    approved_limit = fields.Monetary(
        currency_field="currency_id", tracking=True,
        compute="_compute_approved_terms", store=True, readonly=False, precompute=True,
    )
    approved_payment_term_id = fields.Many2one(
        "account.payment.term", string="Approved Credit Term", tracking=True, check_company=True,
        compute="_compute_approved_terms", store=True, readonly=False, precompute=True,
    )
    approval_note = fields.Text(string="Approval Comments")
    needs_double_approval = fields.Boolean(
        compute="_compute_needs_double_approval",
        help="The approved limit is above the company's double-approval threshold: two different "
        "Credit Managers must approve.",
    )
    first_approver_id = fields.Many2one("res.users", readonly=True, copy=False)
    first_approval_date = fields.Datetime(string="First Approval On", readonly=True, copy=False)
    second_approver_id = fields.Many2one("res.users", readonly=True, copy=False)
    second_approval_date = fields.Datetime(string="Second Approval On", readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    letter_sent_date = fields.Datetime(string="Reply Letter Sent On", readonly=True, copy=False, tracking=True)
    previous_grade_id = fields.Many2one(
        "credit.grade", string="Grade Before Approval", readonly=True, copy=False,
    )
    previous_limit = fields.Monetary(
        currency_field="currency_id", string="Limit Before Approval", readonly=True, copy=False,
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_is_credit_manager(self):
        self.is_credit_manager = self.env.user.has_group(MANAGER_GROUP)

    @api.depends("partner_id", "company_id")
    def _compute_current_profile(self):
        for application in self:
            # the credit profile is company-dependent: read it in the application's company
            partner = application.partner_id.with_company(application.company_id)
            application.current_grade_id = partner.credit_grade_id
            application.current_limit = partner.credit_limit
            application.current_payment_term_id = partner.property_payment_term_id

    @api.depends("requested_grade_id")
    def _compute_requested_terms(self):
        for application in self:
            grade = application.requested_grade_id
            if grade:
                application.requested_limit = grade.credit_limit
                application.requested_payment_term_id = grade.payment_term_id
            else:
                application.requested_limit = application.requested_limit
                application.requested_payment_term_id = application.requested_payment_term_id

    @api.depends("requested_grade_id")
    def _compute_approved_grade_id(self):
        for application in self:
            application.approved_grade_id = application.requested_grade_id

    @api.depends("approved_grade_id", "requested_grade_id", "requested_limit", "requested_payment_term_id")
    def _compute_approved_terms(self):
        for application in self:
            grade = application.approved_grade_id
            if grade == application.requested_grade_id:
                application.approved_limit = application.requested_limit
                application.approved_payment_term_id = application.requested_payment_term_id
            else:
                application.approved_limit = grade.credit_limit
                application.approved_payment_term_id = grade.payment_term_id

    @api.depends("total_assets", "total_liabilities")
    def _compute_debt_ratio(self):
        for application in self:
            assets = application.total_assets
            application.debt_ratio = 100.0 * application.total_liabilities / assets if assets else 0.0

    @api.depends("agency_report_ids.cost")
    def _compute_agency_cost_total(self):
        for application in self:
            application.agency_cost_total = sum(application.agency_report_ids.mapped("cost"))

    @api.depends("approved_limit", "company_id.credit_application_double_threshold")
    def _compute_needs_double_approval(self):
        for application in self:
            application.needs_double_approval = application._needs_double_approval()

    @api.constrains("partner_id", "visit_report_ids")
    def _check_partner(self):
        for application in self:
            partner = application.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(self.env._(
                    "A credit application is made for the customer company %(company)s, not for its "
                    "contact %(contact)s.",
                    company=partner.commercial_partner_id.display_name, contact=partner.display_name))
            others = application.visit_report_ids.filtered(lambda r, p=partner: r.partner_id != p)
            if others:
                raise ValidationError(self.env._(
                    "The visit reports of %(application)s must be reports on %(customer)s (%(reports)s "
                    "are not).",
                    application=application.name, customer=partner.display_name,
                    reports=", ".join(others.mapped("name"))))

    @api.constrains("score", "requested_limit", "approved_limit", "revenue", "total_assets", "total_liabilities")
    def _check_figures(self):
        for application in self:
            if not 0 <= application.score <= 100:
                raise ValidationError(self.env._("The credit score must be between 0 and 100."))
            for fname in ("requested_limit", "approved_limit", "revenue", "total_assets", "total_liabilities"):
                if application[fname] < 0:
                    raise ValidationError(self.env._(
                        "The %(field)s of %(application)s cannot be negative.",
                        field=self._fields[fname]._description_string(self.env), application=application.name))

    # ------------------------------------------------------------------
    # CRUD: numbering, frozen steps, workflow fields
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_no_workflow_fields(vals, new=True)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("credit.application")
        applications = super().create(vals_list)
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            applications._check_approval_equals_request()
        return applications

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        self._check_no_workflow_fields(vals)
        for application in self:
            locked = [fname for fname in LOCKED_FIELDS.get(application.state, ()) if fname in vals]
            if locked:
                raise UserError(self.env._(
                    "%(application)s is %(state)s: %(fields)s can no longer be changed.",
                    application=application.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[application.state],
                    fields=", ".join(self._fields[f]._description_string(self.env) for f in locked)))
        withdrawn = self.browse()
        if any(fname in vals for fname in APPROVAL_FIELDS):
            withdrawn = self.filtered(lambda a: a.state == "submitted" and a.first_approver_id)
        res = super().write(vals)
        if any(fname in vals for fname in APPROVAL_FIELDS) and not self.env.user.has_group(MANAGER_GROUP):
            self._check_approval_equals_request()
        withdrawn._withdraw_first_approval()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        for application in self:
            if application.state not in ("draft", "rejected"):
                raise UserError(self.env._(
                    "%(application)s cannot be deleted: only draft and rejected applications can.",
                    application=application.name))

    @api.model
    def _check_no_workflow_fields(self, vals, new=False):
        fnames = [f for f in WORKFLOW_FIELDS if f in vals]
        if new:  # a new application starts as an undecided draft
            fnames = [f for f in fnames if vals[f] and not (f == "state" and vals[f] == "draft")]
        if fnames:
            raise AccessError(self.env._(
                "%(fields)s of a credit application are set by its buttons (start investigation, "
                "submit, approve, reject), not written directly.",
                fields=", ".join(self._fields[f]._description_string(self.env) for f in fnames)))

    def _check_approval_equals_request(self):
        """Only Credit Managers decide: for anyone else the approval repeats the request."""
        for application in self:
            for approved, requested in APPROVAL_OF_REQUEST.items():
                field = self._fields[approved]
                if field.type == "monetary":
                    differs = application.currency_id.compare_amounts(application[approved], application[requested])
                else:
                    differs = application[approved] != application[requested]
                if differs:
                    raise AccessError(self.env._(
                        "Only a Credit Manager can set the %(field)s of %(application)s.",
                        field=field._description_string(self.env), application=application.name))
            if application.approval_note:
                raise AccessError(self.env._("Only a Credit Manager can write the approval comments."))

    def _withdraw_first_approval(self):
        """The approval values changed after a first approval: it no longer covers them."""
        for application in self:
            approver = application.first_approver_id
            # sudo: workflow fields are written by the workflow only (see write)
            application.sudo().write({"first_approver_id": False, "first_approval_date": False})
            application.message_post(body=self.env._(
                "The approval values changed: the first approval by %(user)s is withdrawn.", user=approver.name))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_manager(self, message):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(message)

    def _check_state(self, states, message):
        """Raise ``message`` (with %(application)s and %(state)s) for an application in another state."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for application in self:
            if application.state not in states:
                raise UserError(message % {"application": application.name, "state": labels[application.state]})

    def _needs_double_approval(self):
        self.ensure_one()
        threshold = self.company_id.credit_application_double_threshold
        return bool(threshold) and self.currency_id.compare_amounts(self.approved_limit, threshold) > 0

    def _credit_managers(self):
        """The active internal Credit Managers of the application's company."""
        self.ensure_one()
        return self.env.ref(MANAGER_GROUP).users.filtered(
            lambda u: self.company_id in u.company_ids and not u.share and u.active
        ).sorted("id")

    def action_start_investigation(self):
        self._check_manager(self.env._(
            "Only a Credit Manager (the credit office) can start the investigation of a credit application."))
        self.check_access("write")
        self._check_state(("draft",), self.env._(
            "The investigation of %(application)s cannot start: it is %(state)s, not a draft."))
        for application in self:
            vals = {"state": "investigation", "investigation_date": fields.Datetime.now()}
            if not application.investigator_id:
                vals["investigator_id"] = self.env.uid
            # sudo: workflow fields are written by the workflow only (see write), after the checks above
            application.sudo().write(vals)
            if application.investigator_id != self.env.user:
                application.activity_schedule(
                    INVESTIGATION_ACTIVITY, user_id=application.investigator_id.id,
                    summary=self.env._("Investigate %(customer)s", customer=application.partner_id.name))
        return True

    def action_submit(self):
        self.check_access("write")
        self._check_state(("investigation",), self.env._(
            "%(application)s cannot be submitted: it is %(state)s, not under investigation."))
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        for application in self:
            if not is_manager and application.investigator_id != self.env.user:
                raise AccessError(self.env._(
                    "Only the investigator of %(application)s (%(investigator)s) or a Credit Manager can "
                    "submit it for approval.",
                    application=application.name, investigator=application.investigator_id.name))
            if not application.score:
                raise UserError(self.env._(
                    "Give the credit score (1-100) of %(application)s before submitting it.",
                    application=application.name))
            if not (application.investigation_conclusion or "").strip():
                raise UserError(self.env._(
                    "Write the conclusion of the investigation of %(application)s before submitting it.",
                    application=application.name))
            # sudo: workflow fields are written by the workflow only (see write), after the checks above
            application.sudo().write({"state": "submitted", "submission_date": fields.Datetime.now()})
            application.activity_feedback([INVESTIGATION_ACTIVITY])
            responsible = self.env["res.partner"]._credit_responsible_users(application.company_id)
            for user in responsible:
                application.activity_schedule(
                    APPROVAL_ACTIVITY, user_id=user.id,
                    summary=self.env._("Approve the credit of %(customer)s", customer=application.partner_id.name))
        return True

    def action_approve(self):
        """Approve; above the double-approval threshold the first call only records the first approver."""
        self._check_manager(self.env._("Only a Credit Manager can approve a credit application."))
        self.check_access("write")
        self._check_state(("submitted",), self.env._(
            "%(application)s cannot be approved: it is %(state)s, not submitted."))
        user = self.env.user
        for application in self:
            if not application.approved_grade_id:
                raise UserError(self.env._(
                    "Set the approved grade of %(application)s before approving it.", application=application.name))
            double = application._needs_double_approval()
            now = fields.Datetime.now()
            # sudo: workflow fields are written by the workflow only (see write), after the checks above
            if not application.first_approver_id:
                application.sudo().write({"first_approver_id": user.id, "first_approval_date": now})
                if double:
                    application._request_second_approval()
                    continue
            elif application.first_approver_id == user:
                if double:
                    raise UserError(self.env._(
                        "You already gave the first approval of %(application)s: a second, different Credit "
                        "Manager must approve it.", application=application.name))
            else:
                application.sudo().write({"second_approver_id": user.id, "second_approval_date": now})
            application._apply_approval()
        return True

    def _request_second_approval(self):
        self.ensure_one()
        threshold = self.company_id.credit_application_double_threshold
        self.message_post(body=self.env._(
            "First approval by %(user)s. The approved limit %(limit)s is above the double-approval "
            "threshold %(threshold)s: a second, different Credit Manager must approve.",
            user=self.env.user.name, limit=self.currency_id.format(self.approved_limit),
            threshold=self.currency_id.format(threshold)))
        self.activity_feedback([APPROVAL_ACTIVITY], user_id=self.env.uid)
        waiting = set(self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)).user_id.ids)
        for manager in self._credit_managers():
            if manager != self.env.user and manager.id not in waiting:
                self.activity_schedule(
                    APPROVAL_ACTIVITY, user_id=manager.id,
                    summary=self.env._("Second approval of %(application)s", application=self.name))

    def _apply_approval(self):
        """Write the approved profile to the customer, in the application's company, in one write."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        previous = {"previous_grade_id": partner.credit_grade_id.id, "previous_limit": partner.credit_limit}
        vals = {"credit_grade_id": self.approved_grade_id.id, "credit_limit": self.approved_limit}
        if self.approved_payment_term_id:
            vals["property_payment_term_id"] = self.approved_payment_term_id.id
        reason = self.env._("Credit application %(application)s", application=self.name)
        # the partner's write checks the Credit Manager right and logs the grade history with the reason
        partner.with_context(credit_change_reason=reason).write(vals)
        # sudo: workflow fields are written by the workflow only (see write)
        self.sudo().write(dict(previous, state="approved"))
        approvers = (self.first_approver_id | self.second_approver_id).mapped("name")
        summary = self.env._(
            "grade %(grade)s, credit limit %(limit)s, credit term %(term)s",
            grade=self.approved_grade_id.display_name, limit=self.currency_id.format(self.approved_limit),
            term=(self.approved_payment_term_id or partner.property_payment_term_id).name or "-")
        self.message_post(
            body=self.env._("Approved by %(approvers)s: %(summary)s. The customer's credit profile is updated.",
                            approvers=", ".join(approvers), summary=summary),
            subtype_xmlid="mail.mt_comment")
        partner.message_post(body=self.env._(
            "Credit application %(application)s approved by %(approvers)s: %(summary)s.",
            application=self._get_html_link(), approvers=", ".join(approvers), summary=summary))
        self._close_approval_activities()

    def _close_approval_activities(self):
        self.activity_feedback([APPROVAL_ACTIVITY], user_id=self.env.uid)
        self.activity_unlink([APPROVAL_ACTIVITY])

    def action_open_reject_wizard(self):
        self.ensure_one()
        self._check_manager(self.env._("Only a Credit Manager can reject a credit application."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject %(application)s", application=self.name),
            "res_model": "credit.application.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_application_id": self.id},
        }

    def action_reject(self, reason=None):
        self._check_manager(self.env._("Only a Credit Manager can reject a credit application."))
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for rejecting the credit application."))
        self._check_state(("submitted",), self.env._(
            "%(application)s cannot be rejected: it is %(state)s, not submitted."))
        for application in self:
            # sudo: workflow fields are written by the workflow only (see write), after the checks above
            application.sudo().write({"state": "rejected", "rejection_reason": reason})
            application.message_post(
                body=self.env._("Rejected by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
                subtype_xmlid="mail.mt_comment")
            application._close_approval_activities()
        return True

    def action_send_letter(self):
        """Send the standard reply letter (回复客户的标准函) of the decision to the customer.

        The mail, with the letter as PDF, is posted in the application's chatter.
        """
        self.ensure_one()
        templates = {
            "approved": "customer_credit_archive.mail_template_credit_application_approved",
            "rejected": "customer_credit_archive.mail_template_credit_application_rejected",
        }
        if self.state not in templates:
            raise UserError(self.env._(
                "%(application)s has no decision yet: the reply letter is sent once it is approved or "
                "rejected.", application=self.name))
        if not self.partner_id.email:
            raise UserError(self.env._(
                "%(customer)s has no email address: add one, or print the reply letter and send it by post.",
                customer=self.partner_id.display_name))
        self.check_access("write")
        composer = self.env["mail.compose.message"].with_context(
            default_model=self._name,
            default_res_ids=self.ids,
            default_template_id=self.env.ref(templates[self.state]).id,
            default_composition_mode="comment",
            default_subtype_xmlid="mail.mt_comment",
        ).create({})
        composer.action_send_mail()
        self.sudo().letter_sent_date = fields.Datetime.now()
        return True

    def action_reset_to_draft(self):
        self._check_manager(self.env._("Only a Credit Manager can reset a credit application to draft."))
        self.check_access("write")
        self._check_state(("rejected",), self.env._(
            "%(application)s cannot be reset to draft: it is %(state)s, not rejected."))
        for application in self:
            # sudo: workflow fields are written by the workflow only (see write), after the checks above;
            # the decision starts again from the request
            application.sudo().write({
                "state": "draft",
                "first_approver_id": False,
                "first_approval_date": False,
                "second_approver_id": False,
                "second_approval_date": False,
                "rejection_reason": False,
                "approval_note": False,
                "approved_grade_id": application.requested_grade_id.id,
                "approved_limit": application.requested_limit,
                "approved_payment_term_id": application.requested_payment_term_id.id,
            })
        return True
