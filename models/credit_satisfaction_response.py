from collections import defaultdict

from odoo import api, fields, models

from .survey_question import CREDIT_DIMENSIONS


class CreditSatisfactionResponse(models.Model):
    """One customer of a satisfaction campaign: the invitation (a survey.user_input of Odoo's
    Surveys app), and the answers read back per dimension. The grade, region and salesperson
    are those of the customer at the invitation, so that the analysis does not move later."""

    _name = "credit.satisfaction.response"
    _description = "Customer Satisfaction Response"
    _inherit = ["credit.confidential.mixin"]
    _order = "campaign_id desc, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "credit.satisfaction.survey", required=True, index=True, ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True, precompute=True)
    year = fields.Integer(related="campaign_id.year", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner", compute="_compute_contact_id", store=True, readonly=False,
        precompute=True, domain="[('commercial_partner_id', '=', partner_id)]",
        help="Who receives the invitation: the customer, or its first contact with an email address.",
    )
    user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Answer", readonly=True, copy=False, ondelete="set null",
    )
    state = fields.Selection(
        [
            ("draft", "To Invite"),
            ("invited", "Invited"),
            ("answered", "Answered"),
            ("no_answer", "No Answer"),
        ],
        default="draft", required=True, readonly=True, copy=False, index=True,
    )
    answer_date = fields.Datetime(readonly=True, copy=False)
    credit_grade_id = fields.Many2one(
        "credit.grade", string="Grade", compute="_compute_snapshot", store=True, readonly=False,
        precompute=True, help="The credit grade of the customer when the campaign was prepared.",
    )
    salesperson_id = fields.Many2one(
        "res.users", compute="_compute_snapshot", store=True, readonly=False,
        precompute=True,
    )
    state_id = fields.Many2one(
        "res.country.state", string="Region", compute="_compute_snapshot", store=True, readonly=False,
        precompute=True,
    )
    country_id = fields.Many2one(
        "res.country", compute="_compute_snapshot", store=True, readonly=False,
        precompute=True,
    )
    score_service = fields.Float(string="Service Quality", readonly=True, aggregator="avg")
    score_price = fields.Float(string="Price", readonly=True, aggregator="avg")
    score_company = fields.Float(string="Opinion of the Company", readonly=True, aggregator="avg")
    score_overall = fields.Float(string="Overall", readonly=True, aggregator="avg")
    opinion = fields.Text(readonly=True, help="The free-text opinions and suggestions of the customer.")
    below_target = fields.Boolean(compute="_compute_below_target", store=True)

    _sql_constraints = [
        ("partner_campaign_unique", "UNIQUE(campaign_id, partner_id)",
         "A customer is only once in a satisfaction campaign."),
    ]

    @api.depends("partner_id")
    def _compute_contact_id(self):
        for response in self:
            partner = response.partner_id
            if partner.email:
                response.contact_id = partner
            else:
                response.contact_id = partner.child_ids.filtered(lambda c: c.email and c.active)[:1] or partner

    @api.depends("partner_id")
    def _compute_snapshot(self):
        for response in self:
            partner = response.partner_id
            response.credit_grade_id = partner.credit_grade_id
            response.salesperson_id = partner.user_id
            response.state_id = partner.state_id
            response.country_id = partner.country_id

    @api.depends("state", "score_overall", "campaign_id.target_score")
    def _compute_below_target(self):
        for response in self:
            response.below_target = (
                response.state == "answered" and response.score_overall < response.campaign_id.target_score
            )

    # ------------------------------------------------------------------
    # Invitation and answers (through the Surveys app)
    # ------------------------------------------------------------------
    def _invite(self):
        """One survey answer (with its token) and one invitation mail per customer, by the
        survey's own invitation wizard (survey.invite)."""
        for campaign, responses in self.grouped("campaign_id").items():
            survey = campaign.survey_id
            # sudo: the Surveys app rights are not needed to run a campaign (checked by the campaign)
            invite = self.env["survey.invite"].sudo().with_context(
                default_survey_id=survey.id, lang=self.env.user.lang,
            ).create({
                "survey_id": survey.id,
                "template_id": self.env.ref("survey.mail_template_user_input_invite").id,
                "partner_ids": [fields.Command.set(responses.contact_id.ids)],
                "deadline": campaign.deadline and fields.Datetime.to_datetime(campaign.deadline),
            })
            for response in responses:
                answer = survey.sudo()._create_answer(
                    partner=response.contact_id, check_attempts=False, **invite._get_answers_values())
                invite._send_mail(answer)
                response.write({"user_input_id": answer.id, "state": "invited"})

    def _fetch_answers(self):
        """Scores per dimension from the lines of the finished survey answers: the average of the
        scores of the chosen answers of the questions of each dimension; overall: the average of
        the dimensions."""
        # sudo: the answers belong to the Surveys app, read for the campaign's figures only
        responses = self.filtered(lambda r: r.state in ("invited", "no_answer") and r.user_input_id)
        for response in responses:
            user_input = response.user_input_id.sudo()
            if user_input.state != "done":
                continue
            scores = defaultdict(list)
            opinions = []
            for line in user_input.user_input_line_ids.filtered(lambda answer_line: not answer_line.skipped):
                dimension = line.question_id.credit_dimension
                if line.answer_type == "suggestion" and dimension:
                    scores[dimension].append(line.suggested_answer_id.answer_score)
                elif line.answer_type in ("text_box", "char_box") and (line.value_text_box or line.value_char_box):
                    opinions.append(line.value_text_box or line.value_char_box)
            values = {"state": "answered", "answer_date": user_input.end_datetime, "opinion": "\n".join(opinions)}
            dimension_scores = []
            for code, _label in CREDIT_DIMENSIONS:
                score = sum(scores[code]) / len(scores[code]) if scores[code] else 0.0
                values[f"score_{code}"] = score
                if scores[code]:
                    dimension_scores.append(score)
            values["score_overall"] = sum(dimension_scores) / len(dimension_scores) if dimension_scores else 0.0
            response.write(values)
        return responses.filtered(lambda r: r.state == "answered")

    def action_open_answer(self):
        """The printable answer of the customer in the Surveys app."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.user_input_id.sudo().get_print_url(),
            "target": "new",
        }
