from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .survey_question import CREDIT_DIMENSIONS

ACTION_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_corrective_action"
OVERDUE_ACTIVITY = "customer_credit_archive.mail_activity_type_credit_corrective_action_overdue"


class CreditCorrectiveAction(models.Model):
    """A corrective or preventive action (纠正预防措施), policy variant 5, 5.3 d: proposed when a
    dimension or a customer of a satisfaction campaign scores below the target; its owner finds
    the root cause, carries out the measures and reports the result.

    The source is a campaign (dimension or customer) or any other record through
    ``res_model`` / ``res_id`` (e.g. a complaint later).
    """

    _name = "credit.corrective.action"
    _description = "Corrective and Preventive Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "date_deadline, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        string="Type", default="corrective", required=True, tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="proposed", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    origin = fields.Selection(
        [("dimension", "Dimension Below Target"), ("customer", "Customer Below Target"), ("manual", "Manual")],
        default="manual", required=True, readonly=True,
    )
    campaign_id = fields.Many2one(
        "credit.satisfaction.survey", index=True, ondelete="cascade", check_company=True,
    )
    dimension = fields.Selection(CREDIT_DIMENSIONS, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    response_id = fields.Many2one(
        "credit.satisfaction.response", string="Customer Answer", ondelete="set null", check_company=True,
    )
    res_model = fields.Char(string="Source Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model", readonly=True)
    score = fields.Float(readonly=True, help="The score that triggered the action.")
    target_score = fields.Float(digits=(16, 2), readonly=True)
    owner_id = fields.Many2one(
        "res.users", required=True, tracking=True, check_company=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    date_deadline = fields.Date(string="Due Date", required=True, tracking=True, index=True,
                                default=lambda self: self._default_date_deadline())
    root_cause = fields.Text(tracking=True)
    measures = fields.Text(tracking=True)
    result = fields.Text(tracking=True)
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    overdue = fields.Boolean(compute="_compute_overdue", search="_search_overdue")
    overdue_notified = fields.Boolean(readonly=True, copy=False)

    def _default_date_deadline(self):
        return fields.Date.context_today(self) + timedelta(days=self.env.company.credit_satisfaction_action_days)

    @api.depends("date_deadline", "state")
    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.overdue = action.state in ("proposed", "in_progress") and action.date_deadline < today

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue actions."))
        domain = [("state", "in", ("proposed", "in_progress")),
                  ("date_deadline", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action._schedule_owner_activity(ACTION_ACTIVITY)
        return actions

    @api.model
    def _confidential_rules(self):
        rules = super()._confidential_rules()
        # besides the readers of the customer's file: the owner of the action
        rules["owner"] = ("customer_credit_archive.group_credit_user", "[('owner_id', '=', user.id)]")
        return rules

    def _check_owner_or_manager(self):
        """A Credit User updates only the actions he owns; the Credit Manager all of them."""
        if self.env.su or self.env.user.has_group("customer_credit_archive.group_credit_manager"):
            return
        if any(action.owner_id != self.env.user for action in self):
            raise AccessError(self.env._("Only the owner of a corrective action or a Credit Manager updates it."))

    def write(self, vals):
        self._check_owner_or_manager()
        result = super().write(vals)
        if "owner_id" in vals:
            for action in self.filtered(lambda a: a.state in ("proposed", "in_progress")):
                action.activity_reschedule([ACTION_ACTIVITY, OVERDUE_ACTIVITY], new_user_id=action.owner_id.id)
        return result

    def _schedule_owner_activity(self, activity_xmlid, note=None):
        self.ensure_one()
        self.activity_schedule(
            activity_xmlid, date_deadline=self.date_deadline, user_id=self.owner_id.id,
            note=note or self.name,
        )

    # ------------------------------------------------------------------
    # Proposal from a campaign
    # ------------------------------------------------------------------
    @api.model
    def _propose_for_campaign(self, campaign):
        """Actions for the dimensions and the customers of ``campaign`` below its target, once
        each (an action already proposed, even cancelled, is not proposed again)."""
        existing = self.with_context(active_test=False).sudo().search([("campaign_id", "=", campaign.id)])
        done_dimensions = set(existing.filtered(lambda a: a.origin == "dimension").mapped("dimension"))
        done_partners = existing.filtered(lambda a: a.origin == "customer").partner_id
        company = campaign.company_id
        deadline = fields.Date.context_today(self) + timedelta(days=company.credit_satisfaction_action_days)
        office = company.credit_satisfaction_action_owner_id or campaign.user_id or self.env.user
        labels = dict(self._fields["dimension"]._description_selection(self.env))
        vals_list = []
        for code, _label in CREDIT_DIMENSIONS:
            score = campaign[f"score_{code}"]
            if code in done_dimensions or not score or score >= campaign.target_score:
                continue
            vals_list.append({
                "name": self.env._("%(dimension)s below target in %(campaign)s",
                                   dimension=labels[code], campaign=campaign.name),
                "origin": "dimension", "dimension": code, "owner_id": office.id,
                "score": score,
            })
        for response in campaign.response_ids:
            if not response.below_target or response.partner_id in done_partners:
                continue
            vals_list.append({
                "name": self.env._("%(customer)s not satisfied (%(campaign)s)",
                                   customer=response.partner_id.display_name, campaign=campaign.name),
                "origin": "customer", "partner_id": response.partner_id.id, "response_id": response.id,
                "owner_id": (response.salesperson_id or office).id, "score": response.score_overall,
            })
        for vals in vals_list:
            vals.update({
                "company_id": company.id, "campaign_id": campaign.id, "target_score": campaign.target_score,
                "date_deadline": deadline, "res_model": campaign._name, "res_id": campaign.id,
            })
        return self.create(vals_list)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_start(self):
        for action in self:
            if action.state != "proposed":
                raise UserError(self.env._("Only a proposed action can be started."))
            if not action.root_cause or not action.measures:
                raise UserError(self.env._(
                    "Write the root cause and the measures of %(name)s before starting it.", name=action.name))
        self.state = "in_progress"
        return True

    def action_done(self):
        for action in self:
            if action.state not in ("proposed", "in_progress"):
                raise UserError(self.env._("Only an open action can be done."))
            if not action.root_cause or not action.measures or not action.result:
                raise UserError(self.env._(
                    "Write the root cause, the measures and the result of %(name)s before closing it.",
                    name=action.name))
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        self.activity_feedback([ACTION_ACTIVITY, OVERDUE_ACTIVITY])
        return True

    def action_cancel(self):
        if any(action.state == "done" for action in self):
            raise UserError(self.env._("A done action cannot be cancelled."))
        self.state = "cancelled"
        self.activity_unlink([ACTION_ACTIVITY, OVERDUE_ACTIVITY])
        return True

    def action_reopen(self):
        if any(action.state != "cancelled" for action in self):
            raise UserError(self.env._("Only a cancelled action can be proposed again."))
        self.write({"state": "proposed", "overdue_notified": False})
        for action in self:
            action._schedule_owner_activity(ACTION_ACTIVITY)
        return True

    def action_open_source(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            raise UserError(self.env._("This action has no source record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # On the customer (res.partner smart buttons)
    # ------------------------------------------------------------------
    @api.model
    def _compute_partner_counts(self, partners):
        """Satisfaction answers and corrective actions of the commercial partners of ``partners``."""
        commercial = partners._origin.commercial_partner_id
        responses = dict(self.env["credit.satisfaction.response"]._read_group(
            [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]))
        actions = dict(self._read_group([("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]))
        for partner in partners:
            customer = partner._origin.commercial_partner_id
            partner.credit_satisfaction_response_count = responses.get(customer, 0)
            partner.credit_corrective_action_count = actions.get(customer, 0)

    @api.model
    def _action_partner_responses(self, partner):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_satisfaction_response_action")
        action["domain"] = [("partner_id", "=", partner.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.model
    def _action_partner_actions(self, partner):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_corrective_action_action")
        action["domain"] = [("partner_id", "=", partner.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": partner.commercial_partner_id.id}
        return action

    @api.model
    def _cron_overdue_actions(self):
        """Open actions past their due date: one overdue activity to the owner, and a message."""
        actions = self.search([("overdue", "=", True), ("overdue_notified", "=", False)])
        for action in actions:
            action._schedule_owner_activity(OVERDUE_ACTIVITY, note=self.env._(
                "The corrective action %(name)s was due on %(date)s.",
                name=action.name, date=action.date_deadline))
            action.message_post(body=self.env._("Overdue: the action was due on %(date)s.",
                                                date=action.date_deadline))
        actions.overdue_notified = True
        return actions
