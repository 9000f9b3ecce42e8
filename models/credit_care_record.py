from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

KINDS = [
    ("holiday_visit", "Holiday Visit"),
    ("event_visit", "Event Visit"),
    ("routine_visit", "Routine Visit"),
    ("feedback", "Product-Use Feedback"),
    ("gift", "Gift"),
    ("other", "Other"),
]
VISIT_KINDS = ("holiday_visit", "event_visit", "routine_visit")
# calendar / kanban colour of each kind (web's colour indexes)
KIND_COLORS = {"holiday_visit": 1, "event_visit": 2, "routine_visit": 4, "feedback": 10,
               "gift": 9, "other": 0}
OCCASIONS = [
    ("spring_festival", "Spring Festival"),
    ("lantern_festival", "Lantern Festival"),
    ("dragon_boat", "Dragon Boat Festival"),
    ("mid_autumn", "Mid-Autumn Festival"),
    ("national_day", "National Day"),
    ("new_year", "New Year"),
    ("anniversary", "Anniversary"),
    ("birthday", "Birthday"),
    ("opening", "Opening / Celebration"),
    ("other", "Other"),
]
RATINGS = [
    ("0", "Not Rated"),
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
ACTIVITY_TYPE = "mail.mail_activity_data_todo"


class CreditCareRecord(models.Model):
    """客户关系维护记录: holiday and event visits, routine visits, product-use feedback and gifts
    (variant 5), filed on the customer's file (variants 2 and 3)."""

    _name = "credit.care.record"
    _description = "Relationship Care Record"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Subject", required=True, compute="_compute_name", store=True, readonly=False,
        precompute=True, tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True,
        domain="[('parent_id', '=', False)]", check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner", check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person of the customer who was visited, answered or received the gift.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one(
        "res.users", string="Responsible", required=True, default=lambda self: self.env.user,
        tracking=True, index=True, domain="[('share', '=', False)]", check_company=True,
    )
    kind = fields.Selection(KINDS, required=True, default="routine_visit", tracking=True, index=True)
    occasion = fields.Selection(
        OCCASIONS, tracking=True,
        help="The holiday or event of the visit or gift (Spring Festival, Mid-Autumn, an anniversary...).",
    )
    date_planned = fields.Datetime(
        string="Planned Date", required=True, default=fields.Datetime.now, tracking=True, index=True,
    )
    date_done = fields.Date(string="Done On", readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        default="planned", required=True, tracking=True, copy=False, index=True,
    )
    product_ids = fields.Many2many(
        "product.product", string="Products Concerned", check_company=True,
        help="The products the customer gave feedback on.",
    )
    feedback = fields.Text(help="What the customer says about the products.")
    satisfaction = fields.Selection(
        RATINGS, default="0", tracking=True,
        help="The customer's satisfaction with the products, from 1 (very dissatisfied) to 5.",
    )
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score", store=True,
        aggregator="avg",
    )
    gift_description = fields.Char(string="Gift")
    gift_value = fields.Monetary(currency_field="currency_id", tracking=True, aggregator="sum")
    outcome = fields.Text(help="What came out of the visit or the gift; required to mark it done.")
    color = fields.Integer(compute="_compute_color", store=True)
    is_visit = fields.Boolean(compute="_compute_is_visit", store=True)

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("kind", "occasion", "partner_id")
    def _compute_name(self):
        kinds, occasions = dict(KINDS), dict(OCCASIONS)
        for record in self:
            if record.name and record._origin.name:
                continue  # a subject given or kept by the user
            parts = [str(occasions[record.occasion])] if record.occasion else []
            parts.append(str(kinds.get(record.kind, "")))
            name = " ".join(parts)
            if record.partner_id:
                name = f"{name} – {record.partner_id.display_name}"
            record.name = name

    @api.depends("satisfaction")
    def _compute_satisfaction_score(self):
        for record in self:
            record.satisfaction_score = int(record.satisfaction or 0)

    @api.depends("kind")
    def _compute_color(self):
        for record in self:
            record.color = KIND_COLORS.get(record.kind, 0)

    @api.depends("kind")
    def _compute_is_visit(self):
        for record in self:
            record.is_visit = record.kind in VISIT_KINDS

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = False

    @api.constrains("partner_id", "contact_id")
    def _check_partner(self):
        for record in self:
            if record.partner_id.parent_id:
                raise ValidationError(self.env._(
                    "A care record is filed on the customer company %(company)s, not on its "
                    "contact %(contact)s (choose the contact under Contact).",
                    company=record.partner_id.commercial_partner_id.display_name,
                    contact=record.partner_id.display_name))
            if record.contact_id and record.contact_id.commercial_partner_id != record.partner_id:
                raise ValidationError(self.env._(
                    "%(contact)s is not a contact of %(customer)s.",
                    contact=record.contact_id.display_name, customer=record.partner_id.display_name))

    @api.constrains("gift_value")
    def _check_gift_value(self):
        for record in self:
            if record.gift_value < 0:
                raise ValidationError(self.env._(
                    "The value of a gift cannot be negative (%(name)s).", name=record.name))

    # ------------------------------------------------------------------
    # CRUD: the customer file, the activity of the responsible
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # the customer file must exist before the record: its confidentiality tier decides who
        # reads the record (credit.confidential.mixin computes confidential_file_id at creation)
        File = self.env["credit.customer.file"]
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if partner:
                File._file_for(partner, company)
        records = super().create(vals_list)
        records.filtered(lambda r: r.state == "planned")._schedule_care_activity()
        return records

    def write(self, vals):
        if "partner_id" in vals or "company_id" in vals:
            File = self.env["credit.customer.file"]
            for record in self:
                partner = self.env["res.partner"].browse(vals.get("partner_id", record.partner_id.id))
                company = self.env["res.company"].browse(vals.get("company_id", record.company_id.id))
                if partner:
                    File._file_for(partner, company)
        res = super().write(vals)
        if {"date_planned", "user_id", "name"} & set(vals):
            self.filtered(lambda r: r.state == "planned")._schedule_care_activity()
        return res

    def _activity_summary(self):
        return self.env._("Care: %(name)s", name=self.name)

    def _schedule_care_activity(self):
        """One to-do activity for the responsible on the planned date (mail.activity: it shows in
        the responsible's activities and reminds on the day, no cron needed)."""
        for record in self:
            # the planned day in the responsible's time zone
            deadline = fields.Date.context_today(
                record.with_context(tz=record.user_id.tz or record.env.context.get("tz")),
                record.date_planned)
            activity = record._care_activities()
            values = {"user_id": record.user_id.id, "date_deadline": deadline,
                      "summary": record._activity_summary()}
            if activity:
                activity[:1].write(values)
                (activity - activity[:1]).unlink()
            else:
                record.activity_schedule(
                    ACTIVITY_TYPE, date_deadline=deadline, user_id=record.user_id.id,
                    summary=values["summary"],
                    note=self.env._(
                        "%(kind)s planned for %(customer)s.",
                        kind=dict(KINDS)[record.kind], customer=record.partner_id.display_name),
                )

    def _care_activities(self):
        self.ensure_one()
        activity_type = self.env.ref(ACTIVITY_TYPE)
        return self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.res_model == self._name)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_done_values(self):
        """What a record must say before it is done: the outcome, the feedback, the gift."""
        self.ensure_one()
        if self.kind == "feedback":
            if not (self.feedback or "").strip():
                return self.env._("Write down the customer's feedback on the products first.")
            if self.satisfaction in (False, "0"):
                return self.env._("Rate the customer's satisfaction (1 to 5) first.")
            if not self.product_ids:
                return self.env._("Choose the products the feedback is about first.")
            return None
        if self.kind == "gift" and not (self.gift_description or "").strip():
            return self.env._("Describe the gift first.")
        if not (self.outcome or "").strip():
            return self.env._("Write down the outcome first.")
        return None

    def action_done(self):
        for record in self:
            if record.state != "planned":
                raise UserError(self.env._(
                    "%(name)s is not planned: it is already done or cancelled.", name=record.name))
            problem = record._check_done_values()
            if problem:
                raise UserError(self.env._(
                    "%(name)s cannot be marked as done: %(problem)s", name=record.name, problem=problem))
            record.write({"state": "done", "date_done": fields.Date.context_today(record)})
            record._care_activities().action_feedback(
                feedback=record.outcome or record.feedback or "")
        return True

    def action_cancel(self):
        for record in self:
            if record.state != "planned":
                raise UserError(self.env._(
                    "%(name)s is not planned: it is already done or cancelled.", name=record.name))
        self.write({"state": "cancel"})
        for record in self:
            record._care_activities().unlink()
        return True

    def action_plan_again(self):
        cancelled = self.filtered(lambda r: r.state == "cancel")
        cancelled.write({"state": "planned"})
        cancelled._schedule_care_activity()
        return True

    # ------------------------------------------------------------------
    # The customer file and the partner form
    # ------------------------------------------------------------------
    @api.model
    def _count_per(self, records, field):
        """The care records per ``field`` value (customer file or partner) the user may read."""
        if not records:
            return {}
        return dict(self._read_group([(field, "in", records.ids)], [field], ["__count"]))

    @api.model
    def _visits_this_year(self, files):
        if not files:
            return {}
        today = fields.Date.context_today(self)
        start = fields.Datetime.to_datetime(today.replace(month=1, day=1))
        return dict(self._read_group([
            ("confidential_file_id", "in", files.ids), ("is_visit", "=", True), ("state", "=", "done"),
            ("date_planned", ">=", start),
        ], ["confidential_file_id"], ["__count"]))

    @api.model
    def _action_for(self, partner, company=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_care_record_action")
        action["domain"] = [("partner_id", "=", partner.id)]
        if company:
            action["domain"].append(("company_id", "=", company.id))
        action["context"] = {"default_partner_id": partner.id}
        if company:
            action["context"]["default_company_id"] = company.id
        return action
