from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditEnforcement(CreditCommon):
    def test_within_limit_confirms_as_salesman(self):
        partner = self._graded_customer("Good Co", self.grade_c, limit=5000)
        self._invoice(partner, 1000)
        order = self._order(partner, 4000)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_over_limit_refused_with_clear_message(self):
        partner = self._graded_customer("Over Co", self.grade_c, limit=5000)
        self._invoice(partner, 3000)
        order = self._order(partner, 2500)
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        message = str(error.exception)
        for expected in (order.name, "Over Co", "C - Fair credit", "5,000.00", "3,000.00",
                         "2,500.00", "500.00", "Credit Manager"):
            self.assertIn(expected, message)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.credit_hold, "a person at the back office is told, not put on hold")

    def test_blacklisted_refused(self):
        partner = self._graded_customer("Black Co", self.grade_a, credit_blacklisted=True,
                                        credit_blacklist_reason="Fraud")
        order = self._order(partner, 10)
        with self.assertRaisesRegex(UserError, "blacklisted \\(Fraud\\)"):
            order.with_user(self.salesman).action_confirm()
        # blacklisted even without a grade, and through an invoice address elsewhere
        ungraded = self.env["res.partner"].create({"name": "Front Co"})
        order2 = self._order(ungraded, 10)
        order2.partner_id = partner
        order2.partner_invoice_id = ungraded
        with self.assertRaisesRegex(UserError, "Black Co is blacklisted"):
            order2.with_user(self.salesman).action_confirm()

    def test_immediate_settlement(self):
        partner = self._graded_customer("Cash Co", self.grade_a, credit_immediate_settlement=True)
        order = self._order(partner, 100)
        with self.assertRaisesRegex(UserError, "immediate settlement"):
            order.with_user(self.salesman).action_confirm()
        # grade D carries immediate settlement and a limit of 0
        d_partner = self._graded_customer("D Co", self.grade_d)
        self.assertEqual(d_partner.credit_limit, 0)
        self.assertTrue(d_partner.credit_immediate_settlement, "grade D sets the flag")
        order_d = self._order(d_partner, 100)
        with self.assertRaisesRegex(UserError, "immediate settlement"):
            order_d.with_user(self.salesman).action_confirm()
        # a fully paid order confirms
        self._pay_online(order, order.amount_total)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def _pay_online(self, order, amount):
        provider = self.env["payment.provider"].create({"name": "Test", "code": "none", "state": "test"})
        method = self.env.ref("payment.payment_method_unknown")
        return self.env["payment.transaction"].create({
            "provider_id": provider.id, "payment_method_id": method.id,
            "amount": amount, "currency_id": order.currency_id.id,
            "partner_id": order.partner_id.id, "reference": f"TX-{order.name}",
            "state": "done", "sale_order_ids": [(6, 0, order.ids)],
        })

    def test_zero_limit_means_no_credit(self):
        partner = self._graded_customer("Zero Co", self.grade_b, limit=0)
        order = self._order(partner, 1)
        with self.assertRaisesRegex(UserError, "A limit of 0 means no credit at all"):
            order.with_user(self.salesman).action_confirm()

    def test_ungraded_customers(self):
        partner = self.env["res.partner"].create({"name": "Free Co"})
        self._invoice(partner, 10 ** 6)
        order = self._order(partner, 10 ** 6)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale", "ungraded customers are not checked by default")
        self.company.write({"credit_ungraded_policy": "limit", "credit_ungraded_limit": 1000})
        order2 = self._order(partner, 10)
        with self.assertRaisesRegex(UserError, "no grade"):
            order2.with_user(self.salesman).action_confirm()

    def test_release(self):
        partner = self._graded_customer("Release Co", self.grade_c, limit=1000)
        order = self._order(partner, 1500)
        # a salesperson cannot release, not even by creating the record through RPC
        with self.assertRaises(AccessError):
            self.env["credit.release"].with_user(self.salesman).create(
                {"order_id": order.id, "reason": "please"})
        with self.assertRaises(AccessError):
            self.env["credit.release.wizard"].with_user(self.salesman).create(
                {"order_id": order.id, "reason": "please"})
        # context keys do not skip the check
        with self.assertRaises(UserError):
            order.with_user(self.salesman).with_context(
                credit_skip_check=True, credit_released=True, force_confirm=True).action_confirm()
        wizard = self.env["credit.release.wizard"].with_user(self.credit_manager).create({
            "order_id": order.id, "reason": "Long-standing customer, payment promised", "confirm_order": False,
        })
        self.assertIn("exceeds the limit", wizard.check_message)
        wizard.action_release()
        release = order.credit_release_ids
        self.assertEqual(release.user_id, self.credit_manager)
        self.assertEqual(release.amount, 1500)
        self.assertIn("exceeds the limit", release.refusal)
        self.assertEqual(partner.credit_release_ids, release)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            release.with_user(self.credit_manager).write({"amount": 10 ** 9})

    def test_release_wizard_confirms(self):
        partner = self._graded_customer("Wizard Co", self.grade_c, limit=0)
        order = self._order(partner, 10)
        self.env["credit.release.wizard"].with_user(self.credit_manager).create({
            "order_id": order.id, "reason": "Approved by the director",
        }).action_release()
        self.assertEqual(order.state, "sale")

    def test_release_does_not_cover_a_bigger_order(self):
        partner = self._graded_customer("Grow Co", self.grade_c, limit=1000)
        order = self._order(partner, 1500)
        self.env["credit.release"].with_user(self.credit_manager).create(
            {"order_id": order.id, "reason": "ok for 1500"})
        order.order_line.with_user(self.salesman).price_unit = 2500
        with self.assertRaisesRegex(UserError, "exceeds the limit"):
            order.with_user(self.salesman).action_confirm()
        # the release is not copied with the order
        order.order_line.price_unit = 1500
        copy = order.with_user(self.salesman).copy()
        self.assertFalse(copy.credit_release_ids)
        with self.assertRaises(UserError):
            copy.with_user(self.salesman).action_confirm()

    def test_release_by_a_former_manager_is_void(self):
        partner = self._graded_customer("Void Co", self.grade_c, limit=0)
        order = self._order(partner, 10)
        self.env["credit.release"].with_user(self.credit_manager).create(
            {"order_id": order.id, "reason": "ok"})
        self.credit_manager.groups_id -= self.env.ref("customer_credit_archive.group_credit_manager")
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()

    def test_batch_checked_together(self):
        partner = self._graded_customer("Batch Co", self.grade_c, limit=1000)
        orders = self._order(partner, 600) | self._order(partner, 600)
        with self.assertRaisesRegex(UserError, "confirmed with it add"):
            orders.with_user(self.salesman).action_confirm()
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        other = self._graded_customer("Other Co", self.grade_c, limit=1000)
        mixed = self._order(partner, 600) | self._order(other, 600)
        mixed.with_user(self.salesman).action_confirm()
        self.assertEqual(set(mixed.mapped("state")), {"sale"})

    def test_direct_state_write_is_checked(self):
        partner = self._graded_customer("Write Co", self.grade_c, limit=100)
        order = self._order(partner, 500)
        with self.assertRaisesRegex(UserError, "exceeds the limit"):
            order.with_user(self.salesman).write({"state": "sale"})

    def test_admin_is_checked_too(self):
        partner = self._graded_customer("Admin Co", self.grade_c, limit=100)
        order = self._order(partner, 500)
        with self.assertRaises(UserError):
            order.with_user(self.credit_manager).action_confirm()
        with self.assertRaises(UserError):
            order.sudo().action_confirm()
