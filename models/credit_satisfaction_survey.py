import base64
import io

import xlsxwriter
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .survey_question import CREDIT_DIMENSIONS

GM_GROUP = "customer_credit_archive.group_credit_general_manager"
DIMENSIONS = [code for code, _label in CREDIT_DIMENSIONS]
SCORE_FIELDS = {code: f"score_{code}" for code in DIMENSIONS}


class CreditSatisfactionSurvey(models.Model):
    """A yearly customer satisfaction campaign (顾客满意度调查), policy variant 5, 5.3.

    The questionnaire is a survey of Odoo's Surveys app (shipped as data); the campaign invites
    the selected customers through the survey's own invitation, reads the answers back per
    customer and dimension, analyses them (response rate, scores per dimension, grade, region,
    salesperson, trend against last year), proposes corrective actions below the target, and
    the general manager approves the analysis report (顾客满意度调查分析报告).
    """

    _name = "credit.satisfaction.survey"
    _description = "Customer Satisfaction Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, default=lambda self: self._default_name())
    year = fields.Integer(
        required=True, tracking=True, index=True,
        default=lambda self: fields.Date.context_today(self).year,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", tracking=True, default=lambda self: self.env.user,
        domain="[('share', '=', False)]", check_company=True,
    )
    survey_id = fields.Many2one(
        "survey.survey", string="Questionnaire", required=True, ondelete="restrict",
        default=lambda self: self.env.ref(
            "customer_credit_archive.survey_credit_satisfaction", raise_if_not_found=False),
        help="The survey sent to the customers; its scored questions carry a satisfaction dimension.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("invited", "Invited"),
            ("closed", "Closed"),
            ("analysed", "Analysed"),
            ("approved", "Approved"),
        ],
        default="draft", required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    target_score = fields.Float(
        digits=(16, 2), required=True, tracking=True,
        default=lambda self: self.env.company.credit_satisfaction_target,
        help="Score (1 to 5) below which a dimension or a customer gets a corrective action.",
    )
    deadline = fields.Date(string="Answer Deadline", tracking=True)
    grade_ids = fields.Many2many(
        "credit.grade", string="Grades", check_company=True,
        help="Customers of these grades are selected (empty: all grades).",
    )
    salesperson_ids = fields.Many2many(
        "res.users", "credit_satisfaction_survey_salesperson_rel", "campaign_id", "user_id",
        string="Salespersons", domain="[('share', '=', False)]",
        help="Customers of these salespersons are selected (empty: all salespersons).",
    )
    response_ids = fields.One2many("credit.satisfaction.response", "campaign_id", string="Customers")
    corrective_action_ids = fields.One2many("credit.corrective.action", "campaign_id", string="Corrective Actions")
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")

    invited_count = fields.Integer(string="Invited", compute="_compute_figures", store=True)
    answered_count = fields.Integer(string="Answered", compute="_compute_figures", store=True)
    response_rate = fields.Float(
        string="Response Rate (%)", digits=(16, 1), compute="_compute_figures", store=True,
        aggregator="avg",
    )
    score_service = fields.Float(
        string="Service Quality", compute="_compute_figures", store=True, aggregator="avg",
    )
    score_price = fields.Float(
        string="Price", compute="_compute_figures", store=True, aggregator="avg",
    )
    score_company = fields.Float(
        string="Opinion of the Company", compute="_compute_figures", store=True,
        aggregator="avg",
    )
    score_overall = fields.Float(
        string="Overall Score", compute="_compute_figures", store=True, aggregator="avg",
    )
    previous_campaign_id = fields.Many2one(
        "credit.satisfaction.survey", string="Last Year's Campaign", compute="_compute_previous_campaign_id",
        help="The latest analysed campaign of an earlier year of the same company.",
    )
    previous_score_overall = fields.Float(
        string="Last Year's Score", compute="_compute_previous_campaign_id",
    )
    score_trend = fields.Float(
        string="Trend", compute="_compute_previous_campaign_id",
        help="Overall score minus the overall score of last year's campaign.",
    )
    below_target = fields.Boolean(compute="_compute_below_target")
    analysis_date = fields.Date(readonly=True, copy=False, tracking=True)
    conclusion = fields.Html(
        help="Conclusions of the analysis report, written by the office before the approval.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approval_date = fields.Date(string="Approved On", readonly=True, copy=False)

    _sql_constraints = [
        ("target_score_range", "CHECK(target_score >= 0 AND target_score <= 5)",
         "The target score is between 0 and 5."),
    ]

    def _default_name(self):
        year = fields.Date.context_today(self).year
        return self.env._("Customer Satisfaction Survey %(year)s", year=year)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "response_ids.state", "response_ids.score_service", "response_ids.score_price",
        "response_ids.score_company", "response_ids.score_overall",
    )
    def _compute_figures(self):
        for campaign in self:
            invited = campaign.response_ids.filtered(lambda r: r.state != "draft")
            answered = invited.filtered(lambda r: r.state == "answered")
            campaign.invited_count = len(invited)
            campaign.answered_count = len(answered)
            campaign.response_rate = 100.0 * len(answered) / len(invited) if invited else 0.0
            for field_name in [*SCORE_FIELDS.values(), "score_overall"]:
                scores = [score for score in answered.mapped(field_name) if score]
                campaign[field_name] = sum(scores) / len(scores) if scores else 0.0

    def _compute_corrective_action_count(self):
        counts = dict(self.env["credit.corrective.action"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"],
        ))
        for campaign in self:
            campaign.corrective_action_count = counts.get(campaign, 0)

    @api.depends("year", "company_id", "score_overall")
    def _compute_previous_campaign_id(self):
        for campaign in self:
            previous = self.search([
                ("company_id", "=", campaign.company_id.id),
                ("year", "<", campaign.year),
                ("state", "in", ("analysed", "approved")),
            ], order="year desc, id desc", limit=1) if campaign.year else self.browse()
            campaign.previous_campaign_id = previous
            campaign.previous_score_overall = previous.score_overall
            campaign.score_trend = (
                campaign.score_overall - previous.score_overall
                if previous and campaign.answered_count else 0.0
            )

    @api.depends("score_overall", "target_score", "answered_count")
    def _compute_below_target(self):
        for campaign in self:
            campaign.below_target = bool(campaign.answered_count) and any(
                campaign[field_name] < campaign.target_score for field_name in SCORE_FIELDS.values()
            )

    @api.constrains("survey_id")
    def _check_survey_id(self):
        for campaign in self:
            # sudo: the questions of the survey, whatever the Surveys right of the user
            dimensions = campaign.survey_id.sudo().question_ids.filtered("credit_dimension")
            if not dimensions:
                raise ValidationError(self.env._(
                    "The questionnaire %(survey)s has no question with a satisfaction dimension.",
                    survey=campaign.survey_id.sudo().display_name))

    # ------------------------------------------------------------------
    # Customers
    # ------------------------------------------------------------------
    def _customer_domain(self):
        self.ensure_one()
        domain = [
            ("parent_id", "=", False), ("customer_rank", ">", 0), ("active", "=", True),
            ("company_id", "in", (False, self.company_id.id)),
        ]
        if self.grade_ids:
            domain.append(("credit_grade_id", "in", self.grade_ids.ids))
        if self.salesperson_ids:
            domain.append(("user_id", "in", self.salesperson_ids.ids))
        return domain

    def action_generate_customers(self):
        """Add one line per customer of the selected grades and salespersons (not yet in the campaign)."""
        for campaign in self:
            campaign._check_state("draft")
            customers = self.env["res.partner"].search(campaign._customer_domain())
            new_customers = customers - campaign.response_ids.partner_id
            if not new_customers:
                raise UserError(self.env._("No new customer matches the selected grades and salespersons."))
            self.env["credit.satisfaction.response"].create([
                {"campaign_id": campaign.id, "partner_id": partner.id} for partner in new_customers
            ])
        return True

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, *states):
        for campaign in self:
            if campaign.state not in states:
                raise UserError(self.env._(
                    "The campaign %(name)s is %(state)s: this step is not possible now.",
                    name=campaign.name,
                    state=dict(campaign._fields["state"]._description_selection(self.env))[campaign.state]))

    def _check_manager(self):
        if not self.env.user.has_group("customer_credit_archive.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager runs the satisfaction campaigns."))

    def action_invite(self):
        """Invite the customers through the survey's own invitation (one answer and one mail each)."""
        self._check_manager()
        for campaign in self:
            campaign._check_state("draft", "invited")
            to_invite = campaign.response_ids.filtered(lambda r: r.state == "draft")
            if not to_invite:
                raise UserError(self.env._("Add customers to the campaign before inviting them."))
            without_email = to_invite.filtered(lambda r: not r.contact_id.email)
            if without_email:
                raise UserError(self.env._(
                    "These customers have no contact with an email address: %(names)s",
                    names=", ".join(without_email.partner_id.mapped("display_name"))))
            to_invite._invite()
            campaign.state = "invited"
            campaign.message_post(body=self.env._(
                "%(count)s customers invited to answer the questionnaire.", count=len(to_invite)))
        return True

    def action_fetch_answers(self):
        """Read the answers of the customers back from the survey."""
        self._check_manager()
        self._check_state("invited", "closed")
        self.response_ids._fetch_answers()
        return True

    def action_close(self):
        self._check_manager()
        self._check_state("invited")
        self.response_ids._fetch_answers()
        self.response_ids.filtered(lambda r: r.state == "invited").state = "no_answer"
        self.state = "closed"
        return True

    def action_analyse(self):
        """Analyse the answers (figures are stored) and propose the corrective actions below target."""
        self._check_manager()
        self._check_state("closed", "analysed")
        for campaign in self:
            if not campaign.answered_count:
                raise UserError(self.env._("No customer answered the campaign %(name)s.", name=campaign.name))
            campaign.write({"state": "analysed", "analysis_date": fields.Date.context_today(campaign)})
            actions = self.env["credit.corrective.action"]._propose_for_campaign(campaign)
            campaign.message_post(body=Markup("%s<br/>%s") % (
                self.env._(
                    "Analysis: response rate %(rate).1f %%, overall score %(score).2f (target %(target).2f).",
                    rate=campaign.response_rate, score=campaign.score_overall, target=campaign.target_score),
                self.env._("%(count)s corrective actions proposed.", count=len(actions)),
            ))
        return True

    def action_approve(self):
        """The general manager approves the analysis report (经总经理审批后发放到相关部门)."""
        if not self.env.user.has_group(GM_GROUP):
            raise AccessError(self.env._("Only the General Manager approves the satisfaction analysis report."))
        self._check_state("analysed")
        self.write({
            "state": "approved",
            "approved_by_id": self.env.user.id,
            "approval_date": fields.Date.context_today(self),
        })
        return True

    def action_reset_to_analysed(self):
        """Back from approved to analysed, by the general manager (to correct the report)."""
        if not self.env.user.has_group(GM_GROUP):
            raise AccessError(self.env._("Only the General Manager withdraws an approval."))
        self._check_state("approved")
        self.write({"state": "analysed", "approved_by_id": False, "approval_date": False})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(campaign.state != "draft" for campaign in self):
            raise UserError(self.env._("Only a draft satisfaction campaign can be deleted."))

    # ------------------------------------------------------------------
    # Analysis
    # ------------------------------------------------------------------
    def _analysis_by(self, groupby):
        """Averages of the answered customers grouped by ``groupby`` (a field of the responses):
        a list of dicts (label, count, the score of each dimension and overall)."""
        self.ensure_one()
        aggregates = ["__count"] + [f"{name}:avg" for name in [*SCORE_FIELDS.values(), "score_overall"]]
        groups = self.env["credit.satisfaction.response"]._read_group(
            [("campaign_id", "=", self.id), ("state", "=", "answered")], [groupby], aggregates,
        )
        result = []
        for key, count, *scores in groups:
            label = key.display_name if isinstance(key, models.BaseModel) else key
            result.append({
                "key": key, "label": label or self.env._("Undefined"), "count": count,
                **dict(zip([*DIMENSIONS, "overall"], scores, strict=True)),
            })
        return sorted(result, key=lambda row: str(row["label"]))

    def _analysis_dimensions(self):
        """The score of each dimension this year and in last year's campaign, and the change."""
        self.ensure_one()
        previous = self.previous_campaign_id
        labels = dict(self.env["survey.question"]._fields["credit_dimension"]._description_selection(self.env))
        rows = []
        for code in [*DIMENSIONS, "overall"]:
            field_name = SCORE_FIELDS.get(code, "score_overall")
            score = self[field_name]
            last = previous[field_name] if previous else None
            rows.append({
                "code": code,
                "label": labels.get(code) or self.env._("Overall"),
                "score": score,
                "previous": last,
                "change": score - last if last is not None else None,
                "below_target": bool(self.answered_count) and score < self.target_score,
            })
        return rows

    def _analysis_sections(self):
        """The breakdowns of the report: (title, rows)."""
        self.ensure_one()
        return [
            (self.env._("By Grade"), self._analysis_by("credit_grade_id")),
            (self.env._("By Region"), self._analysis_by("state_id")),
            (self.env._("By Salesperson"), self._analysis_by("salesperson_id")),
        ]

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_corrective_action_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id, "default_company_id": self.company_id.id}
        return action

    def action_view_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_satisfaction_report_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_survey_results(self):
        """The answers in the Surveys app (for the users of the Surveys app)."""
        self.ensure_one()
        return self.survey_id.action_survey_user_input()

    def action_print_report(self):
        return self.env.ref(
            "customer_credit_archive.action_report_credit_satisfaction_survey").report_action(self)

    def action_export_xlsx(self):
        """The analysis as an xlsx workbook, downloaded from an attachment of the campaign."""
        self.ensure_one()
        content = self._export_xlsx()
        attachment = self.env["ir.attachment"].create({
            "name": self.env._("%(name)s - Analysis.xlsx", name=self.name),
            "datas": base64.b64encode(content),
            "res_model": self._name,
            "res_id": self.id,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _export_xlsx(self):
        """The analysis report as the bytes of an xlsx workbook: summary and dimensions, the
        breakdowns by grade, region and salesperson, and the customers' answers."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        number = workbook.add_format({"num_format": "0.00"})
        sheet = workbook.add_worksheet(self.env._("Summary"))
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 4, 14)
        summary = [
            (self.env._("Campaign"), self.name),
            (self.env._("Year"), self.year),
            (self.env._("Company"), self.company_id.name),
            (self.env._("Invited"), self.invited_count),
            (self.env._("Answered"), self.answered_count),
            (self.env._("Response Rate (%)"), round(self.response_rate, 1)),
            (self.env._("Target Score"), self.target_score),
        ]
        for row, (label, value) in enumerate(summary):
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, value)
        row = len(summary) + 1
        titles = [self.env._("Dimension"), self.env._("Score"), self.env._("Last Year"), self.env._("Change"),
                  self.env._("Below Target")]
        for col, title in enumerate(titles):
            sheet.write(row, col, title, header)
        for line in self._analysis_dimensions():
            row += 1
            sheet.write(row, 0, line["label"])
            sheet.write_number(row, 1, line["score"], number)
            if line["previous"] is not None:
                sheet.write_number(row, 2, line["previous"], number)
                sheet.write_number(row, 3, line["change"], number)
            sheet.write(row, 4, self.env._("Yes") if line["below_target"] else "")
        labels = [line["label"] for line in self._analysis_dimensions()]
        for title, rows in self._analysis_sections():
            sheet = workbook.add_worksheet(title[:31])
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, 5, 14)
            for col, text in enumerate([title, self.env._("Answers"), *labels]):
                sheet.write(0, col, text, header)
            for index, line in enumerate(rows, start=1):
                sheet.write(index, 0, str(line["label"]))
                sheet.write_number(index, 1, line["count"])
                for col, code in enumerate([*DIMENSIONS, "overall"], start=2):
                    sheet.write_number(index, col, line[code] or 0.0, number)
        sheet = workbook.add_worksheet(self.env._("Customers"))
        sheet.set_column(0, 4, 22)
        titles = [self.env._("Customer"), self.env._("Grade"), self.env._("Region"), self.env._("Salesperson"),
                  self.env._("Status"), *labels, self.env._("Opinion")]
        for col, text in enumerate(titles):
            sheet.write(0, col, text, header)
        states = dict(self.env["credit.satisfaction.response"]._fields["state"]._description_selection(self.env))
        for index, response in enumerate(self.response_ids.sorted("id"), start=1):
            values = [
                response.partner_id.display_name, response.credit_grade_id.display_name or "",
                response.state_id.name or "", response.salesperson_id.name or "", states[response.state],
            ]
            for col, value in enumerate(values):
                sheet.write(index, col, value)
            if response.state == "answered":
                for col, code in enumerate([*DIMENSIONS, "overall"], start=len(values)):
                    sheet.write_number(index, col, response[SCORE_FIELDS.get(code, "score_overall")], number)
            sheet.write(index, len(values) + 4, response.opinion or "")
        workbook.close()
        return output.getvalue()
