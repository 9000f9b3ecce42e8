from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ARCHIVIST_GROUP = "customer_credit_archive.group_credit_archivist"
REMINDER_ACTIVITY = "customer_credit_archive.mail_activity_type_inspection_due"
FOLLOW_UP_ACTIVITY = "customer_credit_archive.mail_activity_type_inspection_follow_up"
FINDING_FIELDS = ("finding_damp", "finding_insects", "finding_damage", "finding_other")


class CreditArchiveInspection(models.Model):
    """A periodic inspection of the archive room (所有存档的文件均应定期进行检查), policy variant 2:
    the files are checked for damp, insects, damage and corrosion."""

    _name = "credit.archive.inspection"
    _description = "Archive Room Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True, index=True)
    inspector_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user,
        domain="[('share', '=', False)]", tracking=True,
    )
    room = fields.Char(string="Room / Area", tracking=True, help="Archive room, cabinets or area inspected.")
    finding_damp = fields.Boolean(string="Damp", tracking=True)
    finding_insects = fields.Boolean(string="Insects", tracking=True)
    finding_damage = fields.Boolean(string="Damage / Corrosion", tracking=True)
    finding_other = fields.Boolean(string="Other Issue", tracking=True)
    description = fields.Text(string="Findings", help="What was found, where.")
    actions_taken = fields.Text(help="What was done on the spot (drying, pest control, new boxes…).")
    follow_up = fields.Text(help="What remains to be done after the inspection.")
    follow_up_user_id = fields.Many2one(
        "res.users", string="Follow-up By", domain="[('share', '=', False)]",
        help="Empty: the inspector follows the issues up.",
    )
    follow_up_date = fields.Date(string="Follow-up Deadline", help="Empty: a week after the inspection.")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True, readonly=True, copy=False,
        tracking=True, index=True,
    )
    result = fields.Selection(
        [("ok", "OK"), ("issues", "Issues Found")], compute="_compute_result", store=True, tracking=True,
    )

    @api.depends(*FINDING_FIELDS)
    def _compute_result(self):
        for inspection in self:
            issues = any(inspection[name] for name in FINDING_FIELDS)
            inspection.result = "issues" if issues else "ok"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("An inspection is created in draft and marked done by its button."))
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                # sudo: the numbering sequence is technical
                vals["name"] = self.env["ir.sequence"].sudo().with_company(company).next_by_code(
                    "credit.archive.inspection") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.context.get("credit_inspection_workflow") and not self.env.su:
            raise UserError(self.env._("An inspection is marked done by its button."))
        # once done, the findings are the record of the inspection; the follow-up goes on
        frozen = set(vals) & {"date", "inspector_id", "room", "company_id", *FINDING_FIELDS}
        if frozen and self.filtered(lambda i: i.state == "done"):
            raise UserError(self.env._(
                "The date, inspector, area and findings of a done inspection are kept as they are."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda i: i.state == "done"):
            raise UserError(self.env._("A done inspection is kept: it cannot be deleted."))

    def action_done(self):
        """Record the inspection; issues found leave an activity to follow them up."""
        if not self.env.user.has_group(ARCHIVIST_GROUP):
            raise AccessError(self.env._("Only an archivist records an inspection of the archive room."))
        for inspection in self:
            if inspection.state != "draft":
                raise UserError(self.env._("Inspection %(number)s is already done.", number=inspection.name))
            if inspection.result == "issues" and not (inspection.description or inspection.actions_taken):
                raise UserError(self.env._(
                    "Describe the issues found by inspection %(number)s (findings or actions taken).",
                    number=inspection.name))
        self.with_context(credit_inspection_workflow=True).write({"state": "done"})
        for inspection in self:
            if inspection.result == "issues":
                inspection.activity_schedule(
                    FOLLOW_UP_ACTIVITY,
                    date_deadline=inspection.follow_up_date or inspection.date + timedelta(days=7),
                    user_id=(inspection.follow_up_user_id or inspection.inspector_id).id,
                    summary=self.env._("Follow up the issues of inspection %(number)s", number=inspection.name),
                    note=inspection.follow_up or inspection.description or "",
                )
        self._close_reminders(self.company_id)
        return True

    def action_draft(self):
        for inspection in self:
            if inspection.state != "done":
                raise UserError(self.env._("Only a done inspection goes back to draft."))
        if not self.env.user.has_group(ARCHIVIST_GROUP):
            raise AccessError(self.env._("Only an archivist records an inspection of the archive room."))
        self.with_context(credit_inspection_workflow=True).write({"state": "draft"})
        self.activity_unlink([FOLLOW_UP_ACTIVITY])
        return True

    def action_follow_up_done(self):
        """The issues are solved: close the follow-up activities."""
        self.activity_feedback([FOLLOW_UP_ACTIVITY])
        return True

    @api.model
    def _close_reminders(self, companies):
        """A done inspection answers the open reminders of its company."""
        reminders = self.env["mail.activity"].search([
            ("res_model", "=", self._name),
            ("activity_type_id", "=", self.env.ref(REMINDER_ACTIVITY).id),
        ])
        inspections = self.browse(reminders.mapped("res_id")).exists()
        companies_ids = set(companies.ids)
        closing = reminders.filtered(lambda a: inspections.browse(a.res_id).company_id.id in companies_ids)
        # sudo: the reminder may be assigned to another archivist of the company
        closing.sudo().action_feedback(feedback=self.env._("Inspection done."))

    # --- reminder ---

    @api.model
    def _cron_inspection_reminder(self):
        """Remind each company's archivists to inspect the archive room when its last done inspection is
        older than company.credit_archive_inspection_days: one activity per company, on a draft inspection
        created for it, and none while a reminder is open."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref(REMINDER_ACTIVITY)
        last_done = dict(self._read_group([("state", "=", "done")], ["company_id"], ["date:max"]))
        open_reminders = self.env["mail.activity"].search([
            ("res_model", "=", self._name), ("activity_type_id", "=", activity_type.id),
        ])
        reminded = self.browse(open_reminders.mapped("res_id")).exists().company_id
        archivists = self.env.ref(ARCHIVIST_GROUP).users.filtered(lambda u: u.active and not u.share).sorted("id")
        for company in self.env["res.company"].search([]) - reminded:  # pylint: disable=no-search-all  # few companies
            last = last_done.get(company)
            if last and last >= today - timedelta(days=company.credit_archive_inspection_days):
                continue
            user = archivists.filtered(lambda u, c=company: c in u.company_ids)[:1] or \
                self.env["res.partner"]._credit_responsible_users(company)
            if not user:
                continue
            inspection = self.with_company(company).create({
                "company_id": company.id, "inspector_id": user.id, "date": today,
            })
            inspection.activity_schedule(
                REMINDER_ACTIVITY, user_id=user.id,
                summary=self.env._("Inspect the archive room (damp, insects, damage)"),
                note=self.env._("Last inspection: %(date)s.", date=last or self.env._("never")),
            )
