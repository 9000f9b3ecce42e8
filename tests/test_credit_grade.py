from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditGrade(CreditCommon):
    def test_shipped_grades(self):
        grades = self.grade_a | self.grade_b | self.grade_c | self.grade_d
        self.assertEqual(grades.mapped("code"), ["A", "B", "C", "D"])
        self.assertEqual(grades.sorted("sequence"), grades, "A is the best grade, D the worst")
        self.assertEqual(self.grade_d.credit_limit, 0.0)
        self.assertTrue(self.grade_d.immediate_settlement)
        self.assertEqual(self.grade_d.payment_term_id, self.env.ref("account.account_payment_term_immediate"))
        self.assertTrue(all(grades.mapped("credit_standard")))
        self.assertEqual(self.grade_a._next_lower(), self.grade_b)
        self.assertFalse(self.grade_d._next_lower())

    def test_duplicate_code_refused(self):
        with self.assertRaisesRegex(ValidationError, "already exists"):
            self.env["credit.grade"].with_user(self.credit_manager).create({"code": "b", "name": "Copy"})
        # another company may not reuse a shared code either, but its own codes are its own
        other = self.setup_other_company(name="Credit Co 2")["company"]
        grade = self.env["credit.grade"].create({"code": "E", "name": "E", "company_id": other.id})
        with self.assertRaisesRegex(ValidationError, "already exists"):
            self.env["credit.grade"].create({"code": "E", "name": "E again", "company_id": other.id})
        self.env["credit.grade"].create({"code": "E", "name": "E here", "company_id": self.company.id})
        self.assertTrue(grade.exists())

    def test_bad_input(self):
        Grade = self.env["credit.grade"].with_user(self.credit_manager)
        with self.assertRefused(ValidationError, "cannot be negative"):
            Grade.create({"code": "N", "name": "Negative", "credit_limit": -1})
        for discount in (-1, 100.5):
            with self.assertRefused(ValidationError, "between 0 and 100"):
                Grade.create({"code": "X", "name": "Bad discount", "discount": discount})
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.grade_c.with_user(self.credit_manager).overdue_tolerance_days = -3
        self.assertEqual(self.grade_c.overdue_tolerance_days, 7)
        # the edge values are accepted
        Grade.create({"code": "Z", "name": "Edges", "discount": 100, "credit_limit": 0})

    def test_access(self):
        # salespeople read grades, only Credit Managers change them
        self.assertEqual(self.grade_a.with_user(self.salesman).code, "A")
        with self.assertRaises(AccessError):
            self.grade_a.with_user(self.salesman).write({"credit_limit": 1})
        with self.assertRaises(AccessError):
            self.env["credit.grade"].with_user(self.salesman).create({"code": "Z", "name": "Z"})
        self.grade_a.with_user(self.credit_manager).write({"discount": 6})
        self.assertEqual(self.grade_a.discount, 6)
