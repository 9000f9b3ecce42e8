import base64
import io
from datetime import date, datetime, timedelta

import openpyxl
from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from ..models.credit_review_payment_line import payment_points, payment_score
from .common import CreditCommon

REVIEW_REPORT = "customer_credit_archive.action_report_credit_review"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestCreditReview(CreditCommon, HttpCase):
    """Year-end review (年审评价报告): payment score, campaign in batches, rules, approval, reports.

    An HttpCase: wkhtmltopdf loads the report assets from Odoo's HTTP server, which serves requests
    during the tests only in the registry test mode of an HttpCase.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # paid on the due date: 80 points
        cls.on_time = cls._graded_customer("On Time Co", cls.grade_b, user_id=cls.salesman.id)
        cls.on_time_invoice = cls._paid_invoice(cls.on_time, 1000, due_days_ago=60, days_late=0)
        # paid 30 days late: 50 points
        cls.late = cls._graded_customer("Late Co", cls.grade_b)
        cls._paid_invoice(cls.late, 1000, due_days_ago=70, days_late=30)
        # 1000 on time and 4000 30 days late: (80 * 1000 + 50 * 4000) / 5000 = 56
        cls.mixed = cls._graded_customer("Mixed Co", cls.grade_b, user_id=cls.salesman.id)
        cls.mixed_on_time = cls._paid_invoice(cls.mixed, 1000, due_days_ago=80, days_late=0)
        cls.mixed_late = cls._paid_invoice(cls.mixed, 4000, due_days_ago=50, days_late=30)
        cls._invoice(cls.mixed, 500, due_days_ago=0)  # due today: open, not overdue
        cls._refund(cls.mixed, 200)
        cls.buyer = cls.env["res.partner"].create({"name": "Mixed Buyer", "parent_id": cls.mixed.id})
        # no payment history
        cls.newcomer = cls._graded_customer("Newcomer Co", cls.grade_c)
        # 2000 overdue for 100 days
        cls.defaulter = cls._graded_customer("Defaulter Co", cls.grade_a)
        cls._invoice(cls.defaulter, 2000, due_days_ago=100)
        # the best grade, its own limit, prompt payer: nothing above A, the limit stays
        cls.top = cls._graded_customer("Top Co", cls.grade_a, limit=123456)
        cls._paid_invoice(cls.top, 3000, due_days_ago=40, days_late=-30, term_days=30)
        cls.ungraded = cls.env["res.partner"].create({"name": "Ungraded Co", "is_company": True})
        cls._invoice(cls.ungraded, 700, due_days_ago=10)
        cls.year = cls.today.year
        cls.rule_up = cls.env.ref("customer_credit_archive.credit_review_rule_upgrade")
        cls.rule_keep = cls.env.ref("customer_credit_archive.credit_review_rule_keep")
        cls.rule_down = cls.env.ref("customer_credit_archive.credit_review_rule_downgrade")
        cls.rule_grade_d = cls.env.ref("customer_credit_archive.credit_review_rule_grade_d")

    @classmethod
    def _paid_invoice(cls, partner, amount, due_days_ago, days_late, term_days=0):
        """An invoice due ``term_days`` after its date, paid ``days_late`` days after its due date."""
        invoice = cls._invoice(partner, amount, due_days_ago=due_days_ago, post=False)
        invoice.invoice_date -= timedelta(days=term_days)
        invoice.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"payment_date": invoice.invoice_date_due + timedelta(days=days_late)})._create_payments()
        return invoice

    @classmethod
    def _refund(cls, partner, amount):
        refund = cls.env["account.move"].create({
            "move_type": "out_refund",
            "partner_id": partner.id,
            "invoice_date": cls.today,
            "invoice_line_ids": [(0, 0, {"name": "Return", "quantity": 1, "price_unit": amount, "tax_ids": []})],
        })
        refund.action_post()
        return refund

    def _campaign(self, **vals):
        return self.env["credit.review.campaign"].with_user(self.credit_manager).create({"date": self.today, **vals})

    def _run_campaign(self, **vals):
        campaign = self._campaign(**vals)
        campaign._run()
        return campaign, {review.partner_id: review for review in campaign.review_ids}

    def _graded_partners(self, company, count):
        """``count`` customers graded B in ``company`` only, ordered by id."""
        partners = self.env["res.partner"].create([
            {"name": f"{company.name} customer {i}", "is_company": True} for i in range(count)
        ])
        # sudo: the test user has no access to the other company, the cron runs as superuser
        partners.sudo().with_company(company).write({"credit_grade_id": self.grade_b.id})
        return partners.sorted("id")

    # ------------------------------------------------------------------
    # payment score
    # ------------------------------------------------------------------
    def test_payment_points(self):
        for days, points in ((-60, 100), (-30, 100), (-15, 90), (0, 80), (10, 70), (30, 50), (45, 45),
                             (60, 40), (90, 30), (105, 25), (120, 20), (400, 20)):
            self.assertAlmostEqual(payment_points(days), points, msg=f"{days} days beyond terms")
        self.assertIsNone(payment_score([]), "no history, no score")
        self.assertEqual(payment_score([{"amount": 1000, "points": 80}, {"amount": 4000, "points": 50}]), 56)
        self.assertEqual(payment_score([{"amount": 1, "points": 20}]), 20)

    def test_partner_payment_score(self):
        self.assertEqual(self.on_time.credit_payment_score, 80)
        self.assertEqual(self.late.credit_payment_score, 50)
        self.assertEqual(self.top.credit_payment_score, 100, "paid 30 days early")
        # the salesperson (a Credit User) reads it too, on the company and on its contacts
        mixed = self.mixed.with_user(self.salesman)
        self.assertEqual(mixed.credit_payment_score, 56, "weighted by the invoice amounts")
        self.assertEqual(mixed.credit_payment_score_count, 2)
        self.assertEqual(self.buyer.with_user(self.salesman).credit_payment_score, 56)
        self.assertEqual(self.newcomer.credit_payment_score, 0)
        self.assertEqual(self.newcomer.credit_payment_score_count, 0)
        self.assertEqual(self.defaulter.credit_payment_score_count, 0, "an unpaid invoice is no experience")

        lines = self.mixed._credit_payment_explanation()
        self.assertEqual([(line["invoice_id"], line["amount"], line["days_beyond_terms"], line["points"],
                           line["weight"]) for line in lines], [
            (self.mixed_on_time.id, 1000, 0, 80, 20),
            (self.mixed_late.id, 4000, 30, 50, 80),
        ])
        self.assertEqual(lines[1]["due_date"], self.today - timedelta(days=50))
        self.assertEqual(lines[1]["paid_date"], self.today - timedelta(days=20))
        self.assertEqual(lines[1]["invoice_name"], self.mixed_late.name)
        details = str(mixed.credit_payment_score_details)
        self.assertIn(self.mixed_on_time.name, details)
        self.assertIn(self.mixed_late.name, details)
        # a payment of more than twelve months ago is not counted
        old = self._graded_customer("Old Payer Co", self.grade_b)
        self._paid_invoice(old, 1000, due_days_ago=400, days_late=0)
        self.assertEqual(old.credit_payment_score_count, 0)

    # ------------------------------------------------------------------
    # campaign
    # ------------------------------------------------------------------
    def test_campaign_reviews_each_graded_customer(self):
        campaign, reviews = self._run_campaign()
        graded = self.env["res.partner"].search([
            ("credit_grade_id", "!=", False), "|", ("is_company", "=", True), ("parent_id", "=", False),
            ("company_id", "in", [False, self.company.id]),
        ])
        self.assertEqual(campaign.state, "done")
        self.assertEqual(set(reviews), set(graded), "one review per graded commercial partner")
        self.assertEqual(campaign.review_count, len(graded))
        self.assertEqual(campaign.customer_count, len(graded))
        self.assertEqual(campaign.processed_count, len(graded))
        self.assertNotIn(self.buyer, reviews, "contacts are reviewed with their company")
        self.assertNotIn(self.ungraded, reviews)
        self.assertEqual(campaign.year, self.year)
        self.assertEqual(campaign.date_from, fields.Date.subtract(self.today, years=1) + timedelta(days=1))
        self.assertTrue(campaign.activity_ids, "the credit responsible is asked to approve the reviews")

        self.assertRecordValues(reviews[self.mixed], [{
            "year": self.year,
            "company_id": self.company.id,
            "user_id": self.salesman.id,
            "current_grade_id": self.grade_b.id,
            "sales_amount": 5300.0,  # 1000 + 4000 + 500 - 200 refunded
            "payment_amount": 5000.0,
            "paid_invoice_count": 2,
            "avg_days_to_pay": 15.0,
            "receivable_amount": 300.0,  # 500 open - 200 refund
            "overdue_count": 0,
            "overdue_amount": 0.0,
            "overdue_days": 0,
            "payment_score": 56,
            "has_payment_score": True,
            "complaints_counted": True,  # credit.complaint exists: counted, none here
            "complaint_count": 0,
            "rule_id": self.rule_down.id,
            "suggested_action": "down",
            "suggested_grade_id": self.grade_c.id,
            "suggested_limit": self.grade_c.credit_limit,
            "grade_change": "down",
            "state": "to_approve",
        }])
        self.assertRecordValues(reviews[self.mixed].payment_line_ids, [
            {"invoice_id": self.mixed_on_time.id, "amount": 1000.0, "days_beyond_terms": 0, "points": 80.0,
             "weight": 20.0, "paid_date": self.today - timedelta(days=80)},
            {"invoice_id": self.mixed_late.id, "amount": 4000.0, "days_beyond_terms": 30, "points": 50.0,
             "weight": 80.0, "paid_date": self.today - timedelta(days=20)},
        ])
        self.assertRecordValues(reviews[self.defaulter], [{
            "sales_amount": 2000.0, "payment_amount": 0.0, "overdue_count": 1, "overdue_amount": 2000.0,
            "overdue_days": 100, "overdue_ratio": 100.0, "has_payment_score": False, "payment_score": 0,
            "rule_id": self.rule_grade_d.id, "suggested_grade_id": self.grade_d.id, "suggested_limit": 0.0,
            "grade_change": "down",
        }])
        self.assertRecordValues(reviews[self.on_time], [{
            "payment_score": 80, "avg_days_to_pay": 0.0, "rule_id": self.rule_up.id, "suggested_action": "up",
            "suggested_grade_id": self.grade_a.id, "suggested_limit": self.grade_a.credit_limit,
            "grade_change": "up",
        }])
        self.assertRecordValues(reviews[self.late], [{
            "payment_score": 50, "avg_days_to_pay": 30.0, "rule_id": self.rule_down.id,
            "suggested_grade_id": self.grade_c.id,
        }])
        # no payment history: the grade and the limit are kept
        self.assertRecordValues(reviews[self.newcomer], [{
            "has_payment_score": False, "paid_invoice_count": 0, "rule_id": self.rule_keep.id,
            "suggested_grade_id": self.grade_c.id, "suggested_limit": self.newcomer.credit_limit,
            "grade_change": "same",
        }])
        # nothing above A: the grade stays and so does the customer's own limit
        self.assertRecordValues(reviews[self.top], [{
            "payment_score": 100, "rule_id": self.rule_up.id, "suggested_grade_id": self.grade_a.id,
            "suggested_limit": 123456.0, "grade_change": "same",
        }])

    def test_campaign_resumes_after_interruption(self):
        other = self.env["res.company"].create({"name": "Resume Co"})
        partners = self._graded_partners(other, 5)
        # the cron runs as superuser
        campaign = self.env["credit.review.campaign"].sudo().create({
            "company_id": other.id, "date": self.today, "batch_size": 2,
        })
        self.assertEqual(campaign.customer_count, 5)
        # one batch, then the process stops (as when the worker is killed after a commit)
        self.assertEqual(campaign._run(max_batches=1), 2)
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.review_ids.partner_id, partners[:2])
        self.assertEqual(campaign.last_partner_id, partners[1].id)
        self.assertEqual(campaign.processed_count, 2)
        self.assertEqual(campaign._remaining_count(), 3)
        # resumed after the last processed customer
        self.assertEqual(campaign._run(), 3)
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.review_ids.partner_id, partners)
        self.assertEqual(campaign.processed_count, 5)

        # run twice, even from the start: no customer is reviewed twice
        campaign.write({"state": "running", "last_partner_id": 0})
        self.assertEqual(campaign._run(), 0)
        self.assertEqual(campaign.state, "done")
        self.assertEqual(len(campaign.review_ids), 5)
        self.assertEqual(self.env["credit.review"].sudo().search_count([("company_id", "=", other.id)]), 5)
        # and the database refuses a second review of a customer for the year
        review = campaign.review_ids[0]
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation), self.cr.savepoint():
            self.env["credit.review"].sudo().create({
                "campaign_id": campaign.id, "company_id": other.id, "currency_id": other.currency_id.id,
                "year": campaign.year, "date": self.today, "date_from": campaign.date_from,
                "partner_id": review.partner_id.id,
                "suggested_grade_id": self.grade_b.id,
            })
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation), self.cr.savepoint():
            self.env["credit.review.campaign"].sudo().create({"company_id": other.id, "date": self.today})

    def test_campaign_batch_queries(self):
        """The queries of a batch do not grow with its customers: figures are read per batch."""
        other = self.env["res.company"].create({"name": "Batch Co"})
        self._graded_partners(other, 8)
        campaign = self.env["credit.review.campaign"].sudo().create({
            "company_id": other.id, "date": self.today, "batch_size": 2,
        })
        campaign._run(max_batches=1)  # warm-up
        self.env.invalidate_all()
        queries = []
        for size in (2, 4):
            campaign.batch_size = size
            self.env.flush_all()
            before = self.cr.sql_log_count
            self.assertEqual(campaign._process_batch(), size)
            self.env.flush_all()
            queries.append(self.cr.sql_log_count - before)
            self.env.invalidate_all()
        self.assertEqual(queries[0], queries[1], "same queries for 2 and 4 customers")

    def test_campaign_date(self):
        with self.assertRaises(ValidationError):
            self._campaign(date=self.today + timedelta(days=1))
        campaign = self._campaign()
        with self.assertRaises(AccessError):
            campaign.with_user(self.salesman).action_process()
        campaign.action_process()
        self.assertEqual(campaign.state, "done")
        with self.assertRaises(UserError):
            campaign.with_user(self.credit_manager).date = self.today - timedelta(days=1)

    # ------------------------------------------------------------------
    # scheduled action and settings
    # ------------------------------------------------------------------
    def test_review_date_settings(self):
        self.assertEqual((self.company.credit_review_month, self.company.credit_review_day), (12, 31))
        settings = self.env["res.config.settings"].create({"credit_review_month": 6, "credit_review_day": 30})
        settings.execute()
        self.assertEqual((self.company.credit_review_month, self.company.credit_review_day), (6, 30))
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="credit_review_month"', arch)
        self.assertIn('name="credit_review_day"', arch)
        for month, day in ((0, 1), (13, 1), (6, 0), (1, 32)):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.company.write({"credit_review_month": month, "credit_review_day": day})
        # a day past the end of the month: its last day
        Campaign = self.env["credit.review.campaign"]
        self.company.write({"credit_review_month": 2, "credit_review_day": 29})
        self.assertEqual(Campaign._review_date(self.company, 2023), date(2023, 2, 28))
        self.assertEqual(Campaign._review_date(self.company, 2024), date(2024, 2, 29))
        self.company.write({"credit_review_month": 4, "credit_review_day": 31})
        self.assertEqual(Campaign._review_date(self.company, 2025), date(2025, 4, 30))

    def test_cron_starts_campaign_on_review_date(self):
        other = self.env["res.company"].create({"name": "Cron Co"})
        partners = self._graded_partners(other, 3)
        yesterday = self.today - timedelta(days=1)
        self.company.write({"credit_review_month": yesterday.month, "credit_review_day": yesterday.day})
        other.write({"credit_review_month": self.today.month, "credit_review_day": self.today.day})
        Campaign = self.env["credit.review.campaign"].sudo()
        Campaign._cron_year_end_review()
        campaign = Campaign.search([("company_id", "=", other.id)])
        self.assertRecordValues(campaign, [{"year": self.year, "date": self.today, "state": "done"}])
        self.assertEqual(campaign.review_ids.partner_id, partners)
        self.assertFalse(Campaign.search([("company_id", "=", self.company.id), ("year", "=", self.year)]),
                         "not the review date of the main company")
        Campaign._cron_year_end_review()
        self.assertEqual(Campaign.search_count([("company_id", "=", other.id)]), 1)

    def test_cron_catches_up_and_resumes(self):
        other = self.env["res.company"].create({"name": "Catch-up Co"})
        partners = self._graded_partners(other, 3)
        Campaign = self.env["credit.review.campaign"].sudo()
        with freeze_time("2030-06-15 10:00:00"):
            self.company.write({"credit_review_month": 1, "credit_review_day": 1})
            other.write({"credit_review_month": 6, "credit_review_day": 14})
            # the scheduled action ran on the 14th: nothing to catch up
            Campaign.with_context(lastcall=datetime(2030, 6, 14, 8, 0))._cron_year_end_review()
            self.assertFalse(Campaign.search([("company_id", "=", other.id)]))
            # the server was down on the 14th
            Campaign.with_context(lastcall=datetime(2030, 6, 13, 8, 0))._cron_year_end_review(max_batches=0)
            campaign = Campaign.search([("company_id", "=", other.id)])
            self.assertRecordValues(campaign, [{"date": date(2030, 6, 14), "year": 2030, "state": "running"}])
            self.assertFalse(campaign.review_ids)
            # the next run resumes the unfinished campaign
            campaign.batch_size = 2
            Campaign._cron_year_end_review(max_batches=1)
            self.assertEqual(campaign.review_ids.partner_id, partners[:2])
            Campaign._cron_year_end_review()
            self.assertEqual(campaign.state, "done")
            self.assertEqual(campaign.review_ids.partner_id, partners)

    # ------------------------------------------------------------------
    # rules
    # ------------------------------------------------------------------
    def test_rules(self):
        rules = self.env["credit.review.rule"].search([])
        cases = [
            ({"payment_score": 85, "overdue_days": 0, "overdue_ratio": 0.0}, self.rule_up),
            ({"payment_score": 85, "overdue_days": 5, "overdue_ratio": 10.0}, self.rule_keep),
            ({"payment_score": None, "overdue_days": 0, "overdue_ratio": 0.0}, self.rule_keep),
            ({"payment_score": 65, "overdue_days": 20, "overdue_ratio": 50.0}, self.rule_down),
            ({"payment_score": 45, "overdue_days": 0, "overdue_ratio": 0.0}, self.rule_down),
            ({"payment_score": 95, "overdue_days": 60, "overdue_ratio": 100.0}, self.rule_down),
            ({"payment_score": None, "overdue_days": 120, "overdue_ratio": 100.0}, self.rule_grade_d),
        ]
        for figures, rule in cases:
            self.assertEqual(rules._first_match(figures), rule, figures)
        self.assertFalse(self.rule_up._first_match({"payment_score": 50, "overdue_days": 0, "overdue_ratio": 0}))

        with self.assertRaises(ValidationError):
            self.env["credit.review.rule"].create({"name": "No grade", "action": "set"})
        with self.assertRaises(ValidationError):
            self.env["credit.review.rule"].create({"name": "Too high", "min_payment_score": 120})
        # a rule of the company before the shipped ones
        self.env["credit.review.rule"].create({
            "sequence": 1, "name": "Pays within a month: grade A", "company_id": self.company.id,
            "min_payment_score": 50, "check_overdue_days": True, "max_overdue_days": 0, "max_overdue_ratio": 0,
            "action": "set", "grade_id": self.grade_a.id,
        })
        _campaign, reviews = self._run_campaign()
        self.assertRecordValues(reviews[self.late], [{
            "suggested_grade_id": self.grade_a.id, "suggested_limit": self.grade_a.credit_limit, "grade_change": "up",
        }])
        self.assertEqual(reviews[self.defaulter].suggested_grade_id, self.grade_d)

    def test_no_matching_rule_keeps_grade(self):
        self.env["credit.review.rule"].search([]).action_archive()
        _campaign, reviews = self._run_campaign()
        self.assertRecordValues(reviews[self.defaulter], [{
            "rule_id": False, "suggested_action": "keep", "suggested_grade_id": self.grade_a.id,
            "suggested_limit": self.defaulter.credit_limit, "grade_change": "same",
        }])

    # ------------------------------------------------------------------
    # approval
    # ------------------------------------------------------------------
    def test_approve_one_by_one(self):
        _campaign, reviews = self._run_campaign()
        review = reviews[self.on_time].with_user(self.credit_manager)
        review.action_approve()
        self.assertRecordValues(review, [{"state": "approved", "approved_by_id": self.credit_manager.id}])
        self.assertEqual(self.on_time.credit_grade_id, self.grade_a)
        self.assertEqual(self.on_time.credit_limit, self.grade_a.credit_limit)
        self.assertEqual(self.on_time.property_payment_term_id, self.grade_a.payment_term_id)
        history = self._last_history(self.on_time)
        self.assertRecordValues(history, [{
            "old_grade_id": self.grade_b.id, "new_grade_id": self.grade_a.id,
            "new_limit": self.grade_a.credit_limit, "user_id": self.credit_manager.id,
            "reason": f"Year-end review {self.year}",
        }])
        # approved: the review is frozen but for the assessment
        with self.assertRaises(UserError):
            review.suggested_limit = 1.0
        review.note = "Excellent year"
        with self.assertRaises(UserError):
            review.action_approve()

        # a Credit Manager changes the suggestion before approving, as in the form
        with Form(reviews[self.late].with_user(self.credit_manager)) as form:
            form.suggested_grade_id = self.grade_a
            form.suggested_limit = 12345.0
        reviews[self.late].with_user(self.credit_manager).action_approve()
        self.assertEqual(self.late.credit_grade_id, self.grade_a)
        self.assertEqual(self.late.credit_limit, 12345.0)
        self.assertEqual(self._last_history(self.late).reason, f"Year-end review {self.year}")

    def test_approve_in_batch(self):
        campaign, reviews = self._run_campaign()
        selected = reviews[self.late] | reviews[self.mixed] | reviews[self.newcomer] | reviews[self.defaulter]
        newcomer_limit = self.newcomer.credit_limit
        action = selected.with_user(self.credit_manager).action_open_approve_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.credit_manager).with_context(
            **action["context"])).save()
        self.assertEqual(wizard.review_ids, selected)
        self.assertEqual((wizard.review_count, wizard.downgrade_count, wizard.upgrade_count, wizard.unchanged_count),
                         (4, 3, 0, 1))
        wizard.action_approve()
        self.assertEqual(set(selected.mapped("state")), {"approved"})
        self.assertEqual(campaign.approved_count, 4)
        for partner, grade, limit in ((self.late, self.grade_c, self.grade_c.credit_limit),
                                      (self.mixed, self.grade_c, self.grade_c.credit_limit),
                                      (self.defaulter, self.grade_d, 0.0),
                                      (self.newcomer, self.grade_c, newcomer_limit)):
            self.assertEqual(partner.credit_grade_id, grade, partner.name)
            self.assertEqual(partner.credit_limit, limit, partner.name)
            self.assertEqual(self._last_history(partner).reason, f"Year-end review {self.year}", partner.name)
        self.assertTrue(self.defaulter.credit_immediate_settlement, "grade D: immediate settlement")
        self.assertEqual(self._last_history(self.newcomer).change, "No change of the credit profile")
        # the others are left to approve
        self.assertEqual(reviews[self.on_time].state, "to_approve")
        self.assertEqual(self.on_time.credit_grade_id, self.grade_b)

    def test_salesperson_cannot_approve(self):
        _campaign, reviews = self._run_campaign()
        review = reviews[self.mixed].with_user(self.salesman)
        self.assertEqual(review.payment_score, 56, "a Credit User reads the reviews")
        with self.assertRaises(AccessError):
            review.action_approve()
        with self.assertRaises(AccessError):
            review.write({"suggested_grade_id": self.grade_a.id})
        with self.assertRaises(AccessError):
            self.env["credit.review.approve.wizard"].with_user(self.salesman).create({
                "review_ids": [(6, 0, review.ids)],
            })
        with self.assertRaises(AccessError):
            self.env["credit.review.campaign"].with_user(self.salesman).create({"date": self.today})
        self.assertEqual(review.state, "to_approve")
        self.assertEqual(self.mixed.credit_grade_id, self.grade_b)

    # ------------------------------------------------------------------
    # screens
    # ------------------------------------------------------------------
    def test_views_for_each_role(self):
        screens = (
            ("credit.review", ("list", "form", "search", "pivot", "graph")),
            ("credit.review.campaign", ("list", "form", "search")),
            ("credit.review.rule", ("list", "form")),
        )
        for user in (self.salesman, self.credit_manager):
            for model, view_types in screens:
                views = self.env[model].with_user(user).get_views([(False, view_type) for view_type in view_types])
                for view_type in view_types:
                    self.assertTrue(views["views"][view_type]["arch"], f"{model} {view_type}")
            arch = self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn('name="credit_payment_score"', arch)
        partner_form = Form(self.mixed.with_user(self.salesman))
        self.assertEqual(partner_form.credit_payment_score, 56)
        self.assertIn(self.mixed_late.name, str(partner_form.credit_payment_score_details))
        _campaign, reviews = self._run_campaign()
        review_form = Form(reviews[self.mixed].with_user(self.salesman))
        self.assertTrue(review_form._get_modifier("suggested_grade_id", "readonly"))
        review_form = Form(reviews[self.mixed].with_user(self.credit_manager))
        self.assertFalse(review_form._get_modifier("suggested_grade_id", "readonly"))
        action = self.mixed.with_user(self.salesman).action_view_credit_reviews()
        found = self.env["credit.review"].with_user(self.salesman).search(action["domain"])
        self.assertEqual(found, reviews[self.mixed])

    # ------------------------------------------------------------------
    # reports
    # ------------------------------------------------------------------
    def test_review_report(self):
        _campaign, reviews = self._run_campaign()
        review = reviews[self.mixed]
        html, report_type = self.env["ir.actions.report"].with_user(self.salesman)._render_qweb_html(
            REVIEW_REPORT, review.ids)
        self.assertEqual(report_type, "html")
        html = html.decode()
        for text in ("Year-End Review Report", "Mixed Co", "Sales User", "Payment score: 56 / 100",
                     self.mixed_on_time.name, self.mixed_late.name, "Slow payer: one grade down",
                     self.grade_c.name, "Average Days to Pay"):
            self.assertIn(text, html)
        self.assertIn("Complaints and Incidents", html, "counted from credit.complaint")
        html = self.env["ir.actions.report"]._render_qweb_html(REVIEW_REPORT, reviews[self.newcomer].ids)[0]
        self.assertIn(b"no payment score", html)

        report = self.env["ir.actions.report"].with_user(self.credit_manager).with_context(
            force_report_rendering=True)
        if report.get_wkhtmltopdf_state() == "install":
            with self.assertRaises(UserError):
                report._render_qweb_pdf(REVIEW_REPORT, review.ids)
            return
        pdf, report_type = report._render_qweb_pdf(REVIEW_REPORT, review.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_campaign_xlsx(self):
        campaign, reviews = self._run_campaign()
        reviews[self.on_time].with_user(self.credit_manager).action_approve()
        action = campaign.with_user(self.salesman).action_export_xlsx()
        url = (f"/web/content/?model=credit.review.campaign&id={campaign.id}&field=export_file"
               f"&filename_field=export_filename&mimetype={XLSX_MIMETYPE}&download=true")
        self.assertEqual(action, {"type": "ir.actions.act_url", "target": "self", "url": url})
        self.assertEqual(campaign.export_filename, f"year_end_review_{self.year}_{self.company.id}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(campaign.export_file))).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = rows[0]
        self.assertEqual(header[:3], ["Customer", "Reference", "Salesperson"])
        self.assertIn("Complaints and Incidents", header, "counted from credit.complaint")
        self.assertEqual(len(rows) - 1, campaign.review_count)
        by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
        mixed = by_name["Mixed Co"]
        self.assertEqual((mixed["Salesperson"], mixed["Grade at Review"], mixed["Sales"], mixed["Payments Received"],
                          mixed["Paid Invoices"], mixed["Payment Score"], mixed["New Grade"], mixed["Grade Change"],
                          mixed["Status"]),
                         ("Sales User", "B", 5300, 5000, 2, 56, "C", "Downgrade", "To Approve"))
        defaulter = by_name["Defaulter Co"]
        self.assertIsNone(defaulter["Payment Score"], "no score: an empty cell")
        self.assertEqual((defaulter["Overdue Invoices"], defaulter["Overdue Amount"],
                          defaulter["Oldest Overdue (days)"]), (1, 2000, 100))
        self.assertEqual((by_name["On Time Co"]["Status"], by_name["On Time Co"]["Approved By"]),
                         ("Approved", "Credit Manager"))
        # the download, as the browser follows the action
        self.authenticate("credit_salesman", "credit_salesman")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertEqual(response.content, base64.b64decode(campaign.export_file))
