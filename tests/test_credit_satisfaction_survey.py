import base64
import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .common import CreditCommon

PDF_REPORT = "customer_credit_archive.action_report_credit_satisfaction_survey"
QUESTIONS = {
    "service": ["service_delivery", "service_staff", "service_product"],
    "price": ["price_level", "price_terms"],
    "company": ["company_overall", "company_recommend"],
}
SCALE = {1: "very_dissatisfied", 2: "dissatisfied", 3: "neutral", 4: "satisfied", 5: "very_satisfied"}


class CreditSatisfactionCommon(CreditCommon):
    """Four customers in two grades, two regions and two salespersons, and a general manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.general_manager = new_test_user(
            cls.env, login="credit_gm", name="General Manager",
            groups="base.group_user,customer_credit_archive.group_credit_general_manager",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.office = new_test_user(
            cls.env, login="credit_office", name="Office",
            groups="base.group_user,customer_credit_archive.group_credit_user",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.company.credit_satisfaction_action_owner_id = cls.office
        cls.survey = cls.env.ref("customer_credit_archive.survey_credit_satisfaction")
        country = cls.env.ref("base.cn")
        cls.region_1 = cls.env["res.country.state"].create(
            {"name": "Region North", "code": "XN", "country_id": country.id})
        cls.region_2 = cls.env["res.country.state"].create(
            {"name": "Region South", "code": "XS", "country_id": country.id})
        common = {"customer_rank": 1, "country_id": country.id}
        cls.customer_1 = cls._graded_customer(
            "Satisfied Co", cls.grade_a, email="one@example.com", user_id=cls.salesman.id,
            state_id=cls.region_1.id, **common)
        cls.customer_2 = cls._graded_customer(
            "Price Sensitive Co", cls.grade_a, email="two@example.com", user_id=cls.credit_manager.id,
            state_id=cls.region_2.id, **common)
        # no email on the company: the invitation goes to its contact
        cls.customer_3 = cls._graded_customer(
            "Contact Co", cls.grade_b, user_id=cls.salesman.id, state_id=cls.region_1.id, **common)
        cls.contact_3 = cls.env["res.partner"].create({
            "name": "Ms Li", "parent_id": cls.customer_3.id, "email": "li@example.com"})
        cls.customer_4 = cls._graded_customer(
            "Silent Co", cls.grade_b, email="four@example.com", user_id=cls.salesman.id,
            state_id=cls.region_2.id, **common)
        cls.customers = cls.customer_1 | cls.customer_2 | cls.customer_3 | cls.customer_4
        cls.year = cls.today.year

    @classmethod
    def _campaign(cls, customers, year=None, **vals):
        """A campaign of ``customers`` prepared by the credit manager (in draft)."""
        campaign = cls.env["credit.satisfaction.survey"].with_user(cls.credit_manager).create({
            "name": f"Satisfaction {year or cls.year}",
            "year": year or cls.year,
            "response_ids": [Command.create({"partner_id": partner.id}) for partner in customers],
            **vals,
        })
        return campaign

    def _answer(self, response, scores, opinion=None):
        """The customer answers through the survey as its controller does: the answer found by its
        access token (sudo, as /survey/submit), lines saved per question, then marked done.
        ``scores``: {dimension: [score of each question]}."""
        token = response.user_input_id.access_token
        answer = self.env["survey.user_input"].sudo().search([("access_token", "=", token)])
        self.assertEqual(len(answer), 1)
        answer._mark_in_progress()
        for dimension, values in scores.items():
            for question_name, score in zip(QUESTIONS[dimension], values, strict=True):
                question = self.env.ref(f"customer_credit_archive.survey_credit_satisfaction_q_{question_name}")
                choice = self.env.ref(
                    f"customer_credit_archive.survey_credit_satisfaction_q_{question_name}_{SCALE[score]}")
                answer._save_lines(question, str(choice.id))
        if opinion:
            answer._save_lines(self.env.ref("customer_credit_archive.survey_credit_satisfaction_q_opinion"), opinion)
        answer._mark_done()
        return answer

    def _response(self, campaign, partner):
        return campaign.response_ids.filtered(lambda r: r.partner_id == partner)

    def _answered_campaign(self):
        """This year's campaign: three customers answer, the fourth does not; closed."""
        campaign = self._campaign(self.customers)
        campaign.with_user(self.credit_manager).action_invite()
        self._answer(self._response(campaign, self.customer_1),
                     {"service": [5, 5, 5], "price": [4, 4], "company": [5, 5]}, opinion="Keep it up")
        self._answer(self._response(campaign, self.customer_2),
                     {"service": [4, 4, 4], "price": [2, 2], "company": [4, 4]}, opinion="Too expensive")
        self._answer(self._response(campaign, self.customer_3),
                     {"service": [3, 4, 5], "price": [3, 2], "company": [4, 3]})
        campaign.with_user(self.credit_manager).action_close()
        return campaign


@tagged("post_install", "-at_install")
class TestCreditSatisfactionSurvey(CreditSatisfactionCommon):

    def test_shipped_questionnaire(self):
        questions = self.survey.question_ids.filtered(lambda q: not q.is_page)
        scored = questions.filtered(lambda q: q.question_type == "simple_choice")
        self.assertEqual(
            {dim: len(scored.filtered(lambda q, d=dim: q.credit_dimension == d)) for dim in QUESTIONS},
            {"service": 3, "price": 2, "company": 2})
        self.assertEqual(set(scored.suggested_answer_ids.mapped("answer_score")), {1, 2, 3, 4, 5})
        self.assertTrue(questions.filtered(lambda q: q.question_type == "text_box"))
        self.assertEqual(self.survey.access_mode, "token")
        campaign = self._campaign(self.customer_1)
        self.assertEqual(campaign.survey_id, self.survey, "the shipped questionnaire by default")
        self.assertEqual(campaign.target_score, 3.5, "the company's target by default")

    def test_invitation_through_the_survey(self):
        campaign = self._campaign(self.customers, deadline=date(self.year, 12, 31))
        response_3 = self._response(campaign, self.customer_3)
        self.assertEqual(response_3.contact_id, self.contact_3, "the contact with an email address")
        self.assertEqual(response_3.credit_grade_id, self.grade_b)
        self.assertEqual(response_3.salesperson_id, self.salesman)
        self.assertEqual(response_3.state_id, self.region_1)
        mails_before = self.env["mail.mail"].search([])
        campaign.with_user(self.credit_manager).action_invite()
        self.assertEqual(campaign.state, "invited")
        self.assertEqual(set(campaign.response_ids.mapped("state")), {"invited"})
        self.assertEqual(campaign.invited_count, 4)
        answers = campaign.response_ids.user_input_id
        self.assertEqual(len(answers), 4)
        self.assertEqual(answers.survey_id, self.survey)
        self.assertEqual(answers.mapped("state"), ["new"] * 4)
        self.assertEqual(response_3.user_input_id.partner_id, self.contact_3)
        self.assertTrue(all(answers.mapped("access_token")))
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(len(mails), 4, "one invitation mail per customer")
        mail_3 = mails.filtered(lambda m: self.contact_3 in m.recipient_ids)
        self.assertIn(response_3.user_input_id.access_token, mail_3.body_html, "the personal link")
        # the grade of the customer changes later: the campaign keeps the grade it had
        self.customer_3.with_user(self.credit_manager).credit_grade_id = self.grade_a
        self.assertEqual(response_3.credit_grade_id, self.grade_b)

    def test_invitation_refused(self):
        no_email = self._graded_customer("No Mail Co", self.grade_a, customer_rank=1)
        campaign = self._campaign(no_email)
        with self.assertRefused(UserError, "No Mail Co"):
            campaign.with_user(self.credit_manager).action_invite()
        with self.assertRefused(UserError, "Add customers"):
            self._campaign(self.env["res.partner"]).with_user(self.credit_manager).action_invite()
        with self.assertRefused(AccessError, "Credit Manager"):
            self._campaign(self.customer_1).with_user(self.salesman).action_invite()

    def test_select_customers_by_grade_and_salesperson(self):
        campaign = self.env["credit.satisfaction.survey"].with_user(self.credit_manager).create({
            "name": "Selection", "grade_ids": [Command.set(self.grade_b.ids)],
            "salesperson_ids": [Command.set(self.salesman.ids)],
        })
        campaign.action_generate_customers()
        self.assertEqual(campaign.response_ids.partner_id, self.customer_3 | self.customer_4)
        with self.assertRefused(UserError, "No new customer"):
            campaign.action_generate_customers()

    def test_answers_read_back_and_figures(self):
        campaign = self._answered_campaign()
        self.assertEqual(campaign.state, "closed")
        response_1, response_2, response_3, response_4 = (
            self._response(campaign, c) for c in (self.customer_1, self.customer_2, self.customer_3, self.customer_4))
        self.assertEqual(response_4.state, "no_answer")
        self.assertEqual(response_1.state, "answered")
        self.assertEqual(response_1.opinion, "Keep it up")
        self.assertAlmostEqual(response_3.score_service, 4.0)
        self.assertAlmostEqual(response_3.score_price, 2.5)
        self.assertAlmostEqual(response_3.score_company, 3.5)
        self.assertAlmostEqual(response_3.score_overall, 10 / 3)
        self.assertAlmostEqual(response_1.score_overall, 14 / 3)
        # campaign: 3 answers of 4 invitations; averages of the customers who answered
        self.assertEqual((campaign.invited_count, campaign.answered_count), (4, 3))
        self.assertAlmostEqual(campaign.response_rate, 75.0)
        self.assertAlmostEqual(campaign.score_service, 13 / 3)
        self.assertAlmostEqual(campaign.score_price, 8.5 / 3)
        self.assertAlmostEqual(campaign.score_company, 12.5 / 3)
        self.assertAlmostEqual(campaign.score_overall, (14 / 3 + 10 / 3 + 10 / 3) / 3)
        # per grade, salesperson and region
        by_grade = {row["key"]: row for row in campaign._analysis_by("credit_grade_id")}
        self.assertEqual(by_grade[self.grade_a]["count"], 2)
        self.assertAlmostEqual(by_grade[self.grade_a]["price"], 3.0)
        self.assertAlmostEqual(by_grade[self.grade_a]["overall"], 4.0)
        self.assertAlmostEqual(by_grade[self.grade_b]["price"], 2.5)
        by_salesperson = {row["key"]: row for row in campaign._analysis_by("salesperson_id")}
        self.assertAlmostEqual(by_salesperson[self.salesman]["overall"], 4.0)
        self.assertAlmostEqual(by_salesperson[self.credit_manager]["overall"], 10 / 3)
        by_region = {row["key"]: row for row in campaign._analysis_by("state_id")}
        self.assertEqual(by_region[self.region_1]["count"], 2)
        self.assertAlmostEqual(by_region[self.region_2]["service"], 4.0)
        # the SQL view of the pivot: the same averages per dimension and grade
        campaign.with_user(self.credit_manager).action_analyse()
        Report = self.env["credit.satisfaction.report"].with_user(self.credit_manager)
        per_dimension = dict(Report._read_group([("campaign_id", "=", campaign.id)], ["dimension"], ["score:avg"]))
        self.assertAlmostEqual(per_dimension["price"], 8.5 / 3)
        self.assertAlmostEqual(per_dimension["service"], 13 / 3)
        per_grade = {
            (grade, dim): score for grade, dim, score in Report._read_group(
                [("campaign_id", "=", campaign.id)], ["credit_grade_id", "dimension"], ["score:avg"])}
        self.assertAlmostEqual(per_grade[self.grade_a, "price"], 3.0)
        self.assertEqual(Report.search_count([("campaign_id", "=", campaign.id)]), 9, "3 answers x 3 dimensions")

    def test_trend_against_last_year(self):
        last_year = self._campaign(self.customer_1, year=self.year - 1)
        last_year.with_user(self.credit_manager).action_invite()
        self._answer(last_year.response_ids, {"service": [3, 3, 3], "price": [3, 3], "company": [3, 3]})
        last_year.with_user(self.credit_manager).action_close()
        last_year.with_user(self.credit_manager).action_analyse()
        # another company's campaign of last year does not count
        other = self.setup_other_company(name="Satisfaction Co B")["company"]
        self.env["credit.satisfaction.survey"].create({
            "name": "Other", "year": self.year - 1, "company_id": other.id})
        campaign = self._answered_campaign()
        self.assertEqual(campaign.previous_campaign_id, last_year)
        self.assertAlmostEqual(campaign.previous_score_overall, 3.0)
        self.assertAlmostEqual(campaign.score_trend, campaign.score_overall - 3.0)
        lines = {line["code"]: line for line in campaign._analysis_dimensions()}
        self.assertAlmostEqual(lines["service"]["previous"], 3.0)
        self.assertAlmostEqual(lines["service"]["change"], 13 / 3 - 3.0)
        self.assertTrue(lines["price"]["below_target"])
        self.assertFalse(lines["service"]["below_target"])
        self.assertFalse(last_year.previous_campaign_id, "no campaign before last year")

    def test_corrective_actions_below_target(self):
        campaign = self._answered_campaign()
        campaign.with_user(self.credit_manager).action_analyse()
        self.assertEqual(campaign.state, "analysed")
        actions = campaign.corrective_action_ids
        dimension_actions = actions.filtered(lambda a: a.origin == "dimension")
        customer_actions = actions.filtered(lambda a: a.origin == "customer")
        # price (2.83) is below 3.5, service (4.33) and opinion (4.17) are not
        self.assertEqual(dimension_actions.mapped("dimension"), ["price"])
        self.assertEqual(dimension_actions.owner_id, self.office, "the office of the settings")
        self.assertAlmostEqual(dimension_actions.score, 8.5 / 3)
        # customers 2 and 3 (3.33) are below, customer 1 (4.67) is not; the silent one has no score
        self.assertEqual(customer_actions.partner_id, self.customer_2 | self.customer_3)
        action_3 = customer_actions.filtered(lambda a: a.partner_id == self.customer_3)
        self.assertEqual(action_3.owner_id, self.salesman, "the customer's salesperson")
        self.assertEqual((action_3.res_model, action_3.res_id), (campaign._name, campaign.id))
        self.assertEqual(action_3.date_deadline, self.today + timedelta(days=30))
        activity = action_3.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.activity_type_id, self.env.ref(
            "customer_credit_archive.mail_activity_type_credit_corrective_action"))
        # analysed again (after a cancellation too): no duplicate
        action_3.with_user(self.credit_manager).action_cancel()
        campaign.with_user(self.credit_manager).action_analyse()
        self.assertEqual(campaign.corrective_action_ids, actions)
        # shown on the customer
        self.assertEqual(self.customer_2.with_user(self.credit_manager).credit_corrective_action_count, 1)
        self.assertEqual(self.customer_1.with_user(self.credit_manager).credit_corrective_action_count, 0)
        self.assertEqual(self.customer_1.credit_satisfaction_response_count, 1)
        self.assertEqual(campaign.corrective_action_count, 3)

    def test_no_corrective_action_above_target(self):
        campaign = self._campaign(self.customer_1, target_score=3.0)
        campaign.with_user(self.credit_manager).action_invite()
        self._answer(campaign.response_ids, {"service": [4, 4, 4], "price": [3, 3], "company": [4, 4]})
        campaign.with_user(self.credit_manager).action_close()
        campaign.with_user(self.credit_manager).action_analyse()
        self.assertFalse(campaign.corrective_action_ids, "price at 3.0 is on the target, not below")
        self.assertFalse(campaign.below_target)

    def test_corrective_action_follow_up(self):
        campaign = self._answered_campaign()
        campaign.with_user(self.credit_manager).action_analyse()
        mine = campaign.corrective_action_ids.filtered(lambda a: a.owner_id == self.salesman)
        other = campaign.corrective_action_ids.filtered(lambda a: a.owner_id == self.office)
        with self.assertRefused(UserError, "root cause"):
            mine.with_user(self.salesman).action_start()
        mine.with_user(self.salesman).write({"root_cause": "Price list not explained", "measures": "Visit"})
        mine.with_user(self.salesman).action_start()
        self.assertEqual(mine.state, "in_progress")
        with self.assertRefused(UserError, "result"):
            mine.with_user(self.salesman).action_done()
        with self.assertRefused(AccessError, "owner"):
            other.with_user(self.salesman).write({"root_cause": "Not mine"})
        # overdue: one activity to the owner, once
        with freeze_time(mine.date_deadline + timedelta(days=1)):
            Action = self.env["credit.corrective.action"]
            self.assertIn(mine, Action.search([("overdue", "=", True)]))
            overdue = Action._cron_overdue_actions()
            self.assertIn(mine, overdue)
            self.assertFalse(Action._cron_overdue_actions(), "notified once")
        overdue_type = self.env.ref("customer_credit_archive.mail_activity_type_credit_corrective_action_overdue")
        self.assertEqual(mine.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type).user_id,
                         self.salesman)
        mine.with_user(self.salesman).write({"result": "Customer satisfied with the new terms"})
        mine.with_user(self.salesman).action_done()
        self.assertEqual(mine.state, "done")
        self.assertFalse(mine.activity_ids, "the activities are done with the action")

    def test_approval_by_general_manager_only(self):
        campaign = self._answered_campaign()
        with self.assertRefused(UserError, "not possible now"):
            campaign.with_user(self.general_manager).action_approve()
        campaign.with_user(self.credit_manager).action_analyse()
        with self.assertRefused(AccessError, "General Manager"):
            campaign.with_user(self.credit_manager).action_approve()
        with self.assertRefused(AccessError, "General Manager"):
            campaign.with_user(self.salesman).action_approve()
        self.assertEqual(campaign.state, "analysed")
        campaign.with_user(self.general_manager).action_approve()
        self.assertEqual(campaign.state, "approved")
        self.assertEqual(campaign.approved_by_id, self.general_manager)
        with self.assertRefused(UserError, "deleted"):
            campaign.with_user(self.credit_manager).unlink()

    def test_analysis_needs_answers(self):
        campaign = self._campaign(self.customer_4)
        campaign.with_user(self.credit_manager).action_invite()
        campaign.with_user(self.credit_manager).action_close()
        with self.assertRefused(UserError, "No customer answered"):
            campaign.with_user(self.credit_manager).action_analyse()

    def test_xlsx_export(self):
        campaign = self._answered_campaign()
        campaign.with_user(self.credit_manager).action_analyse()
        action = campaign.with_user(self.credit_manager).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(workbook.sheetnames, ["Summary", "By Grade", "By Region", "By Salesperson", "Customers"])
        summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertEqual(summary["Answered"], 3)
        self.assertEqual(summary["Response Rate (%)"], 75.0)
        rows = {row[0]: row for row in workbook["Summary"].iter_rows(min_row=9, values_only=True)}
        self.assertAlmostEqual(rows["Price"][1], 8.5 / 3)
        self.assertEqual(rows["Price"][4], "Yes")
        grades = {row[0]: row for row in workbook["By Grade"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(grades[self.grade_a.display_name][1], 2)
        self.assertAlmostEqual(grades[self.grade_a.display_name][3], 3.0)
        customers = {row[0]: row for row in workbook["Customers"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(customers["Price Sensitive Co"][9], "Too expensive")
        self.assertIsNone(customers["Silent Co"][5])


@tagged("post_install", "-at_install", "security")
class TestCreditSatisfactionAccess(CreditSatisfactionCommon):

    def test_access_per_group(self):
        campaign = self._answered_campaign()
        campaign.with_user(self.credit_manager).action_analyse()
        # a salesperson reads the campaigns and the answers, runs nothing, and no analysis report
        self.assertEqual(campaign.with_user(self.salesman).score_overall, campaign.score_overall)
        self.assertTrue(campaign.response_ids.with_user(self.salesman).read(["score_overall"]))
        with self.assertRefused(AccessError):
            self.env["credit.satisfaction.survey"].with_user(self.salesman).create({"name": "Mine"})
        with self.assertRefused(AccessError):
            campaign.with_user(self.salesman).write({"target_score": 1.0})
        with self.assertRefused(AccessError):
            self.env["credit.satisfaction.report"].with_user(self.salesman).search([])
        with self.assertRefused(AccessError):
            self.env["credit.corrective.action"].with_user(self.salesman).create({"name": "Mine"})
        # the general manager reads the analysis, the credit manager creates a manual action
        self.assertTrue(self.env["credit.satisfaction.report"].with_user(self.general_manager).search([]))
        action = self.env["credit.corrective.action"].with_user(self.credit_manager).create({
            "name": "Train the drivers", "action_type": "preventive", "owner_id": self.salesman.id,
        })
        self.assertEqual(action.origin, "manual")
        self.assertEqual(action.activity_ids.user_id, self.salesman)

    def test_confidential_customer(self):
        """The answers and actions of a customer with a personal file are read by its salesperson
        and the managers, not by another salesperson (credit.confidential.mixin)."""
        file = self.env["credit.customer.file"]._file_for(self.customer_3)
        self.assertEqual(file.confidential_tier, "personal")
        other_salesman = new_test_user(
            self.env, login="credit_other_salesman", name="Other Salesman",
            groups="base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)],
        )
        campaign = self._answered_campaign()
        campaign.with_user(self.credit_manager).action_analyse()
        response_3 = self._response(campaign, self.customer_3)
        action_3 = campaign.corrective_action_ids.filtered(lambda a: a.partner_id == self.customer_3)
        self.assertEqual(response_3.confidential_file_id, file)
        Response = self.env["credit.satisfaction.response"]
        Action = self.env["credit.corrective.action"]
        self.assertIn(response_3, Response.with_user(self.salesman).search([("campaign_id", "=", campaign.id)]))
        self.assertIn(action_3, Action.with_user(self.salesman).search([]))
        self.assertIn(action_3, Action.with_user(self.general_manager).search([]))
        readable = Response.with_user(other_salesman).search([("campaign_id", "=", campaign.id)])
        self.assertNotIn(response_3, readable)
        self.assertIn(self._response(campaign, self.customer_1), readable)
        self.assertNotIn(action_3, Action.with_user(other_salesman).search([]))
        with self.assertRefused(AccessError):
            response_3.with_user(other_salesman).read(["score_overall"])

    def test_views_and_settings(self):
        views = {
            "credit.satisfaction.survey": ["list", "form", "search", "graph"],
            "credit.satisfaction.response": ["list", "form", "search", "pivot"],
            "credit.corrective.action": ["list", "form", "search", "kanban", "calendar", "pivot"],
        }
        for user in (self.salesman, self.credit_manager, self.general_manager):
            for model, view_types in views.items():
                result = self.env[model].with_user(user).get_views([(False, view_type) for view_type in view_types])
                self.assertEqual(set(result["views"]), set(view_types))
        result = self.env["credit.satisfaction.report"].with_user(self.credit_manager).get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")])
        self.assertIn("dimension", result["views"]["pivot"]["arch"])
        partner_form = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])
        self.assertIn("action_view_credit_corrective_actions", partner_form["views"]["form"]["arch"])
        form = Form(self.env["credit.satisfaction.survey"].with_user(self.credit_manager))
        self.assertEqual(form.year, self.year)
        self.assertEqual(form.survey_id, self.survey)
        settings = self.env["res.config.settings"].create({
            "credit_satisfaction_target": 4.0, "credit_satisfaction_action_days": 15,
        })
        settings.execute()
        self.assertEqual(self.company.credit_satisfaction_target, 4.0)
        self.assertEqual(self._campaign(self.customer_1).target_score, 4.0)
        with self.assertRefused(ValidationError, "1 to 5"):
            self.company.credit_satisfaction_target = 6.0

    def test_multi_company(self):
        campaign = self._answered_campaign()
        campaign.with_user(self.credit_manager).action_analyse()
        company_b = self.env["res.company"].create({"name": "Satisfaction Company B"})
        manager_b = new_test_user(
            self.env, login="credit_manager_b", name="Manager B",
            groups="base.group_partner_manager,customer_credit_archive.group_credit_manager",
            company_id=company_b.id, company_ids=[Command.set(company_b.ids)],
        )
        for model in ("credit.satisfaction.survey", "credit.satisfaction.response",
                      "credit.corrective.action", "credit.satisfaction.report"):
            self.assertFalse(self.env[model].with_user(manager_b).search([("id", "!=", 0)]), model)
        self.assertEqual(
            self.env["credit.satisfaction.survey"].with_user(self.credit_manager).search(
                [("id", "=", campaign.id)]), campaign)
        campaign_b = self.env["credit.satisfaction.survey"].with_user(manager_b).create({"name": "B"})
        self.assertEqual(campaign_b.company_id, company_b)
        self.assertEqual(campaign_b.target_score, company_b.credit_satisfaction_target)


@tagged("post_install", "-at_install")
class TestCreditSatisfactionPdf(CreditSatisfactionCommon, HttpCase):
    """The analysis report as a real PDF (wkhtmltopdf loads the assets from the test HTTP server)."""

    def test_analysis_report_pdf(self):
        campaign = self._answered_campaign()
        campaign.name = "年度顾客满意度调查"
        campaign.with_user(self.credit_manager).action_analyse()
        campaign.with_user(self.general_manager).action_approve()
        report = self.env["ir.actions.report"].with_user(self.general_manager).with_context(
            force_report_rendering=True)
        html = report._render_qweb_html(PDF_REPORT, campaign.ids)[0].decode()
        self.assertIn("Price Sensitive Co", html)
        self.assertIn("75.0", html)
        self.assertIn("2.83", html)
        self.assertIn("General Manager", html)
        if report.get_wkhtmltopdf_state() == "install":
            with self.assertRaises(UserError):
                report._render_qweb_pdf(PDF_REPORT, campaign.ids)
            return
        pdf, report_type = report._render_qweb_pdf(PDF_REPORT, campaign.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = "".join(page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages)
        # the Chinese text is printed with a CJK font; without Odoo's patched Qt, wkhtmltopdf draws
        # the Latin text as paths, which hold no text to extract
        self.assertIn("年度顾客满意度调查", text)
