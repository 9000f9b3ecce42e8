from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditProfile(CreditCommon):
    def test_grade_sets_limit_term_and_discount(self):
        partner = self._graded_customer("Grade B Ltd", self.grade_b)
        self.assertEqual(partner.credit_limit, self.grade_b.credit_limit)
        self.assertEqual(partner.property_payment_term_id, self.grade_b.payment_term_id)
        self.assertEqual(partner.credit_discount, self.grade_b.discount)
        # regrading resets the limit and the term to the new grade's
        partner.with_user(self.credit_manager).write({"credit_grade_id": self.grade_c.id})
        self.assertEqual(partner.credit_limit, self.grade_c.credit_limit)
        self.assertEqual(partner.property_payment_term_id, self.grade_c.payment_term_id)
        # an explicit limit with the grade wins
        partner.with_user(self.credit_manager).write({"credit_grade_id": self.grade_a.id, "credit_limit": 1234})
        self.assertEqual(partner.credit_limit, 1234)
        # writing the same grade again does not reset a custom limit
        partner.with_user(self.credit_manager).write({"credit_grade_id": self.grade_a.id})
        self.assertEqual(partner.credit_limit, 1234)

    def test_grade_onchange_in_form(self):
        with Form(self.env["res.partner"].with_user(self.credit_manager)) as form:
            form.name = "Form Customer"
            form.company_type = "company"
            form.credit_grade_id = self.grade_c
            self.assertEqual(form.credit_limit, self.grade_c.credit_limit)
            self.assertEqual(form.property_payment_term_id, self.grade_c.payment_term_id)

    def test_discount_applied_on_order_lines(self):
        partner = self._graded_customer("Discount Co", self.grade_a)
        order = self._order(partner, 100.0)
        # the helper sets no discount explicitly for the computed default: make a new line
        order.with_user(self.salesman).write({"order_line": [Command.create({"product_id": self.product.id})]})
        new_line = order.order_line[-1]
        self.assertEqual(new_line.discount, self.grade_a.discount)
        ungraded = self.env["res.partner"].create({"name": "No grade"})
        order2 = self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": ungraded.id,
            "order_line": [Command.create({"product_id": self.product.id})],
        })
        self.assertEqual(order2.order_line.discount, 0.0)

    def test_history_and_tracking(self):
        partner = self._graded_customer("History Co", self.grade_a)
        self.env.cr.precommit.run()  # as if created in an earlier request: later changes are tracked
        self.assertEqual(len(partner.credit_grade_history_ids), 1, "creation with a grade is logged")
        partner.with_user(self.credit_manager).with_context(credit_change_reason="Annual review").write(
            {"credit_grade_id": self.grade_b.id})
        history = self._last_history(partner)
        self.assertEqual(history.old_grade_id, self.grade_a)
        self.assertEqual(history.new_grade_id, self.grade_b)
        self.assertEqual(history.old_limit, self.grade_a.credit_limit)
        self.assertEqual(history.new_limit, self.grade_b.credit_limit)
        self.assertEqual(history.user_id, self.credit_manager)
        self.assertEqual(history.reason, "Annual review")
        self.assertIn("A → B", history.change)
        partner.with_user(self.credit_manager).write({"credit_blacklisted": True, "credit_blacklist_reason": "Fraud"})
        self.assertIn("Blacklisted: No → Yes", self._last_history(partner).change)
        self.assertEqual(partner.credit_blacklist_date, self.today)
        self.env.flush_all()
        self.env.cr.precommit.run()  # mail.thread writes its tracking values at commit
        partner.invalidate_recordset(["message_ids"])
        tracked = partner.message_ids.tracking_value_ids.mapped("field_id.name")
        for fname in ("credit_grade_id", "credit_limit", "credit_blacklisted"):
            self.assertIn(fname, tracked)
        # salespeople read the history, nobody edits it
        self.assertTrue(partner.with_user(self.salesman).credit_grade_history_ids)
        with self.assertRaises(AccessError):
            history.with_user(self.credit_manager).write({"reason": "forged"})

    def test_salesman_cannot_change_profile(self):
        partner = self._graded_customer("Guarded Co", self.grade_b)
        as_sales = partner.with_user(self.salesman)
        # the salesperson reads the limit without any accounting right
        self.assertEqual(as_sales.credit_limit, self.grade_b.credit_limit)
        for vals in ({"credit_limit": 999999}, {"credit_grade_id": self.grade_a.id},
                     {"credit_blacklisted": True}, {"credit_immediate_settlement": True}):
            with self.assertRefused(AccessError, "Only a Credit Manager"):
                as_sales.write(dict(vals, comment="written with it"))
        partner.invalidate_recordset()
        self.assertFalse(partner.comment, "nothing half written")
        self.assertEqual(partner.credit_limit, self.grade_b.credit_limit)
        # other fields stay editable, and writing an unchanged value is no change
        as_sales.write({"phone": "123", "credit_limit": self.grade_b.credit_limit})
        self.assertEqual(partner.phone, "123")
        with self.assertRaisesRegex(AccessError, "Only a Credit Manager"):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Self graded", "credit_grade_id": self.grade_a.id})
        # a salesperson may add a contact to a graded customer (Odoo copies the limit to it)
        contact = self.env["res.partner"].with_user(self.salesman).create(
            {"name": "Buyer", "parent_id": partner.id})
        self.assertEqual(contact.commercial_partner_id, partner)

    def test_negative_limit_refused(self):
        partner = self._graded_customer("Negative Co", self.grade_b)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            partner.with_user(self.credit_manager).write({"credit_limit": -10})

    def test_malicious_default(self):
        partner = self._graded_customer("Defaulter Co", self.grade_a)
        with self.assertRaises(AccessError):
            partner.with_user(self.salesman).action_credit_malicious_default("no")
        wizard = self.env["credit.malicious.default.wizard"].with_user(self.credit_manager).create({
            "partner_id": partner.id, "reason": "Refuses to pay for six months",
        })
        wizard.action_confirm()
        self.assertTrue(partner.credit_blacklisted)
        self.assertTrue(partner.credit_immediate_settlement)
        self.assertEqual(partner.credit_limit, 0.0)
        self.assertEqual(partner.credit_blacklist_reason, "Refuses to pay for six months")
        self.assertIn("Malicious default", partner.message_ids[0].body)
        self.assertEqual(self._last_history(partner).reason, "Refuses to pay for six months")
        partner.with_user(self.credit_manager).action_credit_remove_blacklist()
        self.assertFalse(partner.credit_blacklisted)
