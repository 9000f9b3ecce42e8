from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditDowngrade(CreditCommon):
    def test_late_payer_goes_down_one_grade(self):
        late = self._graded_customer("Late Co", self.grade_a)
        self._invoice(late, 100, due_days_ago=self.grade_a.overdue_tolerance_days + 1)
        on_time = self._graded_customer("On Time Co", self.grade_a)
        self._invoice(on_time, 100, due_days_ago=self.grade_a.overdue_tolerance_days)
        ungraded = self.env["res.partner"].create({"name": "Ungraded Late"})
        self._invoice(ungraded, 100, due_days_ago=400)

        self.env["res.partner"].sudo()._cron_credit_downgrade()

        self.assertEqual(late.credit_grade_id, self.grade_b)
        self.assertEqual(late.credit_limit, self.grade_b.credit_limit)
        self.assertEqual(late.property_payment_term_id, self.grade_b.payment_term_id)
        self.assertEqual(late.credit_discount, self.grade_b.discount)
        self.assertEqual(late.credit_last_downgrade_date, self.today)
        self.assertEqual(on_time.credit_grade_id, self.grade_a)
        self.assertFalse(ungraded.credit_grade_id)
        # the chatter says why, the history records it, the Credit Manager gets an activity
        self.assertIn("Automatic downgrade from A to B", late.message_ids[0].body)
        history = self._last_history(late)
        self.assertTrue(history.automatic)
        self.assertIn("31 days late", history.reason)
        activity = late.activity_ids
        self.assertEqual(activity.user_id, self.credit_manager)
        self.assertIn("downgraded to B", activity.summary)

    def test_no_second_downgrade_within_tolerance(self):
        late = self._graded_customer("Very Late Co", self.grade_a)
        self._invoice(late, 100, due_days_ago=100)
        self.env["res.partner"].sudo()._cron_credit_downgrade()
        self.assertEqual(late.credit_grade_id, self.grade_b)
        self.env["res.partner"].sudo()._cron_credit_downgrade()
        self.assertEqual(late.credit_grade_id, self.grade_b, "same day: no second downgrade")
        with freeze_time(self.today + timedelta(days=self.grade_b.overdue_tolerance_days + 1)):
            self.env["res.partner"].sudo()._cron_credit_downgrade()
        self.assertEqual(late.credit_grade_id, self.grade_c)

    def test_lowest_grade_stays(self):
        worst = self._graded_customer("Worst Co", self.grade_d)
        self._invoice(worst, 100, due_days_ago=365)
        self.env["res.partner"].sudo()._cron_credit_downgrade()
        self.assertEqual(worst.credit_grade_id, self.grade_d)

    def test_scheduled_action_runs(self):
        late = self._graded_customer("Cron Co", self.grade_b)
        self._invoice(late, 100, due_days_ago=60)
        cron = self.env.ref("customer_credit_archive.ir_cron_credit_downgrade")
        self.assertTrue(cron.active)
        cron.method_direct_trigger()
        self.assertEqual(late.credit_grade_id, self.grade_c)
