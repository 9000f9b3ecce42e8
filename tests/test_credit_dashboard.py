from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditDashboard(CreditCommon):
    """The figures of the credit dashboard and its analyses, checked against hand-computed values
    on a few customers, read by a Credit Manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Credit Dashboard Co 2")["company"]
        cls.credit_manager.company_ids = [Command.link(cls.other_company.id)]

    def _as_manager(self, model, companies=None):
        companies = companies or self.company
        # the rows of the views change with the data under them: read them again
        self.env.invalidate_all()
        return self.env[model].with_user(self.credit_manager).with_context(
            allowed_company_ids=companies.ids)

    def _flush_tracking(self):
        # the chatter tracking is written when the transaction commits
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _cards(self, companies=None):
        cards = self._as_manager("credit.dashboard", companies).search([])
        return {(card.company_id, card.indicator): card.amount if card.is_amount else card.count
                for card in cards}

    def _usage(self, partner, companies=None):
        return self._as_manager("credit.limit.usage.report", companies).search(
            [("partner_id", "=", partner.id)])

    # ------------------------------------------------------------------
    def test_limit_usage_and_bands(self):
        normal = self._graded_customer("Half Co", self.grade_b, limit=10000)
        self._invoice(normal, 5000)
        self._invoice(normal, 500, post=False)  # draft invoices count (company setting)
        warning = self._graded_customer("Eighty Co", self.grade_b, limit=10000)
        self._invoice(warning, 6000)
        self._order(warning, 2000, user=self.credit_manager).action_confirm()
        full = self._graded_customer("Full Co", self.grade_b, limit=10000)
        self._invoice(full, 10000, due_days_ago=10)
        over = self._graded_customer("Over Co", self.grade_c, limit=1000)
        self._invoice(over, 1500)
        zero = self._graded_customer("No Credit Co", self.grade_b, limit=0)  # graded, nothing open
        ungraded = self.env["res.partner"].create({"name": "Free Co"})
        self._invoice(ungraded, 700)

        expected = {  # partner: (limit, exposure, usage, band, over_80, over_100)
            normal: (10000, 5500, 55.0, "normal", False, False),
            warning: (10000, 8000, 80.0, "warning", True, False),
            full: (10000, 10000, 100.0, "warning", True, False),
            over: (1000, 1500, 150.0, "over", True, True),
            zero: (0, 0, False, "normal", False, False),
            ungraded: (False, 700, False, "unchecked", False, False),
        }
        for partner, (limit, exposure, usage, band, over_80, over_100) in expected.items():
            row = self._usage(partner)
            self.assertEqual(len(row), 1, partner.name)
            self.assertEqual(
                (row.credit_limit, row.exposure, row.usage, row.band, row.over_80, row.over_100),
                (limit, exposure, usage, band, over_80, over_100), partner.name)
            # the same exposure as the customer's own figures
            self.assertEqual(row.exposure, partner.credit_exposure, partner.name)
        row = self._usage(full)
        self.assertEqual((row.receivable, row.overdue, row.available), (10000, 10000, 0))
        self.assertEqual(self._usage(normal).drafts, 500)
        self.assertEqual(self._usage(warning).orders, 2000)
        self.assertEqual(self._usage(over).credit_grade_id, self.grade_c)
        cards = self._cards()
        self.assertEqual(cards[self.company, "over_100"], 1)
        self.assertEqual(cards[self.company, "over_80"], 3)
        # the ungraded customer is checked once the company gives ungraded customers a limit
        self.company.write({"credit_ungraded_policy": "limit", "credit_ungraded_limit": 500})
        row = self._usage(ungraded)
        self.assertEqual((row.credit_limit, row.usage, row.band), (500, 140.0, "over"))
        self.assertEqual(self._cards()[self.company, "over_100"], 2)
        # the card opens the customers over their limit
        card = self._as_manager("credit.dashboard").search([("indicator", "=", "over_100")])
        action = card.action_open_details()
        self.assertEqual(action["res_model"], "credit.limit.usage.report")
        found = self._as_manager("credit.limit.usage.report").search(action["domain"])
        self.assertEqual(found.partner_id, over | ungraded)

    def test_limit_usage_of_contacts(self):
        """What is ordered and invoiced through a contact counts on its company, once, with the
        company's grade and salesperson."""
        customer = self._graded_customer("Parent Co", self.grade_b, limit=10000, user_id=self.salesman.id)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": customer.id, "type": "invoice"})
        self._invoice(contact, 3000)
        self._order(customer, 1000, user=self.credit_manager, partner_invoice_id=contact.id).action_confirm()
        row = self._usage(customer)
        self.assertEqual((row.receivable, row.orders, row.exposure), (3000, 1000, 4000))
        self.assertEqual(row.exposure, customer.credit_exposure)
        self.assertEqual((row.credit_grade_id, row.user_id, row.usage), (self.grade_b, self.salesman, 40.0))
        self.assertFalse(self._usage(contact), "no row of its own for the contact")

    def test_ageing_buckets_per_grade(self):
        good = self._graded_customer("Good Payer", self.grade_a, limit=100000)
        bad = self._graded_customer("Late Payer", self.grade_c, limit=100000)
        self._invoice(good, 100, due_days_ago=-5)   # not due
        self._invoice(good, 200, due_days_ago=0)    # due today: not overdue yet
        self._invoice(good, 300, due_days_ago=1)    # 0-30
        self._invoice(bad, 400, due_days_ago=30)    # 0-30
        self._invoice(bad, 500, due_days_ago=31)    # 31-60
        self._invoice(bad, 600, due_days_ago=60)    # 31-60
        self._invoice(bad, 700, due_days_ago=61)    # 61-90
        self._invoice(good, 800, due_days_ago=90)   # 61-90
        late = self._invoice(bad, 1000, due_days_ago=91)  # over 90, 400 paid
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=late.ids,
        ).create({"amount": 400, "payment_date": self.today})._create_payments()

        Ageing = self._as_manager("credit.ageing.report")
        domain = [("partner_id", "in", (good | bad).ids)]
        groups = Ageing._read_group(domain, ["credit_grade_id", "bucket"], ["amount_residual:sum"])
        figures = {(grade, bucket): amount for grade, bucket, amount in groups}
        self.assertEqual(figures, {
            (self.grade_a, "not_due"): 300,
            (self.grade_a, "0_30"): 300,
            (self.grade_a, "61_90"): 800,
            (self.grade_c, "0_30"): 400,
            (self.grade_c, "31_60"): 1100,
            (self.grade_c, "61_90"): 700,
            (self.grade_c, "over_90"): 600,
        })
        line = Ageing.search(domain + [("bucket", "=", "over_90")])
        self.assertEqual((line.days_overdue, line.overdue_amount, line.move_id), (91, 600, late))
        self.assertEqual(sum(Ageing.search(domain).mapped("overdue_amount")), 3900)
        self.assertEqual(good.credit_overdue_amount + bad.credit_overdue_amount, 3900)
        cards = self._cards()
        for indicator, amount in (("overdue", 3900), ("overdue_0_30", 700), ("overdue_31_60", 1100),
                                  ("overdue_61_90", 1500), ("overdue_over_90", 600)):
            self.assertEqual(cards[self.company, indicator], amount, indicator)

    def test_blocked_and_released_orders_per_month(self):
        partner = self._graded_customer("Held Co", self.grade_c, limit=1000)
        held = self._order(partner, 1500)
        held.with_user(self.salesman).with_context(credit_hold_on_refusal=True).action_confirm()
        self.assertTrue(held.credit_hold)
        released = self._order(partner, 1200)
        self.env["credit.release.wizard"].with_user(self.credit_manager).create({
            "order_id": released.id, "reason": "Payment promised",
        }).action_release()
        self.assertEqual(released.state, "sale")
        old = self._order(partner, 3000)
        self.env["credit.release"].with_user(self.credit_manager).create(
            {"order_id": old.id, "reason": "Last month"})
        last_month = fields.Date.start_of(self.today, "month") - timedelta(days=3)
        self.env.flush_all()
        self.env.cr.execute("UPDATE credit_release SET date = %s WHERE order_id = %s", (last_month, old.id))
        self._flush_tracking()

        Blocks = self._as_manager("credit.order.block.report")
        rows = Blocks.search([("partner_id", "=", partner.id)])
        self.assertEqual(
            sorted((row.kind, row.order_id.id, row.amount) for row in rows),
            sorted([("hold", held.id, 1500), ("release", released.id, 1200), ("release", old.id, 3000)]))
        per_month = Blocks._read_group(
            [("partner_id", "=", partner.id)], ["date:month", "kind"], ["nbr:sum"])
        this_month = fields.Date.start_of(self.today, "month")
        self.assertEqual(
            sorted((month.date(), kind, nbr) for month, kind, nbr in per_month),
            sorted([(this_month, "hold", 1), (this_month, "release", 1),
                    (fields.Date.start_of(last_month, "month"), "release", 1)]))
        cards = self._cards()
        self.assertEqual(cards[self.company, "held_month"], 1)
        self.assertEqual(cards[self.company, "released_month"], 1)

    def test_grade_migrations(self):
        partner = self._graded_customer("Moving Co", self.grade_b, limit=5000)
        partner.with_user(self.credit_manager).write({"credit_grade_id": self.grade_c.id})
        partner.with_user(self.credit_manager).write({"credit_limit": 3000})  # no change of grade
        partner.with_user(self.credit_manager).write({"credit_grade_id": self.grade_a.id})
        Migrations = self._as_manager("credit.grade.migration.report")
        rows = Migrations.search([("partner_id", "=", partner.id)], order="id")
        self.assertEqual(
            [(row.old_grade_id, row.new_grade_id, row.direction) for row in rows],
            [(self.env["credit.grade"], self.grade_b, "new"),
             (self.grade_b, self.grade_c, "down"),
             (self.grade_c, self.grade_a, "up")])
        pivot = Migrations._read_group(
            [("partner_id", "=", partner.id), ("old_grade_id", "!=", False)],
            ["old_grade_id", "new_grade_id"], ["nbr:sum"])
        self.assertEqual(set(pivot), {(self.grade_b, self.grade_c, 1), (self.grade_c, self.grade_a, 1)})
        cards = self._cards()
        self.assertEqual(cards[self.company, "migrations_year"], 3)
        self.assertEqual(cards[self.company, "downgrades_year"], 1)

    def test_two_companies_separated(self):
        partner = self._graded_customer("Shared Co", self.grade_b, limit=1000)
        self._invoice(partner, 900, due_days_ago=40)
        in_other = partner.with_company(self.other_company)
        in_other.write({"credit_grade_id": self.grade_c.id, "credit_limit": 200})
        self._invoice(partner, 300, due_days_ago=5, company=self.other_company)
        both = self.company | self.other_company
        rows = self._usage(partner, both)
        self.assertEqual(
            {(row.company_id, row.credit_grade_id, row.credit_limit, row.exposure, row.band) for row in rows},
            {(self.company, self.grade_b, 1000, 900, "warning"),
             (self.other_company, self.grade_c, 200, 300, "over")})
        self.assertEqual(self._usage(partner).company_id, self.company, "only the allowed companies")
        cards = self._cards(both)
        self.assertEqual(cards[self.company, "over_80"], 1)
        self.assertEqual(cards[self.company, "over_100"], 0)
        self.assertEqual(cards[self.company, "overdue_31_60"], 900)
        self.assertEqual(cards[self.other_company, "over_100"], 1)
        self.assertEqual(cards[self.other_company, "overdue_0_30"], 300)
        self.assertEqual(cards[self.other_company, "overdue_31_60"], 0)
        self.assertNotIn((self.other_company, "over_100"), self._cards())
        ageing = self._as_manager("credit.ageing.report", both).search([("partner_id", "=", partner.id)])
        self.assertEqual({(line.company_id, line.credit_grade_id, line.bucket) for line in ageing},
                         {(self.company, self.grade_b, "31_60"), (self.other_company, self.grade_c, "0_30")})

    def test_only_credit_managers(self):
        for model in ("credit.dashboard", "credit.limit.usage.report", "credit.ageing.report",
                      "credit.order.block.report", "credit.grade.migration.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.salesman).search([])
            self.env[model].with_user(self.credit_manager).search([])
        cards = self._as_manager("credit.dashboard").search([])
        self.assertEqual(len(cards), 11, "one card per indicator")
        self.assertEqual(cards.company_id, self.company)
