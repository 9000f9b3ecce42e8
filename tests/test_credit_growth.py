from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditGrowth(CreditCommon):
    """A confirmed order that grows is checked again (price, quantity, lines, customer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._graded_customer("Growing Co", cls.grade_c, limit=1000)

    def _confirmed(self, amount):
        order = self._order(self.partner, amount)
        order.with_user(self.salesman).action_confirm()
        return order.with_user(self.salesman)

    def test_more_quantity_refused(self):
        order = self._confirmed(800)
        with self.assertRefused(UserError, "cannot be increased"):
            order.order_line.write({"product_uom_qty": 2, "price_unit": 800})
        self.assertEqual(order.amount_total, 800)
        order.order_line.write({"product_uom_qty": 1.2, "price_unit": 800})  # 960: within the limit
        self.assertEqual(order.amount_total, 960)

    def test_higher_price_refused(self):
        order = self._confirmed(800)
        with self.assertRefused(UserError, "cannot be increased"):
            order.order_line.price_unit = 1200
        self.assertEqual(order.amount_total, 800)

    def test_new_line_refused(self):
        order = self._confirmed(800)
        with self.assertRefused(UserError, "cannot be increased"):
            order.write({"order_line": [Command.create({
                "product_id": self.product.id, "price_unit": 500, "discount": 0})]})
        with self.assertRefused(UserError, "cannot be increased"):
            self.env["sale.order.line"].with_user(self.salesman).create({
                "order_id": order.id, "product_id": self.product.id, "price_unit": 500, "discount": 0})
        self.assertEqual(len(order.order_line), 1)

    def test_lower_amount_allowed(self):
        order = self._confirmed(800)
        self._invoice(self.partner, 500)  # now over the limit
        order.order_line.write({"product_uom_qty": 0.5, "price_unit": 800})
        self.assertEqual(order.amount_total, 400)

    def test_change_of_customer_checked(self):
        order = self._confirmed(800)
        other = self._graded_customer("Tiny Co", self.grade_c, limit=100)
        with self.assertRefused(UserError, "Tiny Co"):
            order.write({"partner_id": other.id, "partner_invoice_id": other.id})

    def test_release_amount_limits_growth(self):
        order = self._confirmed(800)
        self.env["credit.release"].with_user(self.credit_manager).create(
            {"order_id": order.id, "reason": "approved at 800"})
        # a release made at 800 does not cover 1500
        with self.assertRefused(UserError, "cannot be increased"):
            order.order_line.price_unit = 1500
