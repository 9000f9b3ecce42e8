import base64

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditCommon

# a 1x1 PNG: the portal accepts any image as signature
SIGNATURE = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)).decode()


@tagged("post_install", "-at_install")
class TestCreditHold(CreditCommon):
    """Confirmations without a person at the back office put the order on hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._graded_customer("Portal Co", cls.grade_c, limit=1000, email="portal@example.com")
        cls.portal_user = new_test_user(
            cls.env, login="credit_portal", groups="base.group_portal", name="Portal Co",
            partner_id=cls.customer.id,
        )

    def _assert_on_hold(self, order):
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.credit_hold)
        self.assertIn("exceeds the limit", order.credit_hold_reason)
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.credit_manager)
        self.assertEqual(activity.summary, "Order on credit hold")
        self.assertIn("credit hold", order.message_ids[0].body)

    def test_portal_signature_puts_on_hold(self):
        order = self._order(self.customer, 1500)
        order.action_quotation_sent()
        # as the portal controller does: sudo, with the portal user as env.user
        order.with_user(self.portal_user).sudo()._validate_order()
        self._assert_on_hold(order)
        # signing twice makes no second activity
        order.with_user(self.portal_user).sudo()._validate_order()
        self.assertEqual(len(order.activity_ids), 1)
        # the Credit Manager releases: the order confirms and leaves the hold
        self.env["credit.release.wizard"].with_user(self.credit_manager).create({
            "order_id": order.id, "reason": "Checked with the customer",
        }).action_release()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold)

    def test_online_payment_puts_on_hold(self):
        order = self._order(self.customer, 3000, require_payment=True, prepayment_percent=0.5)
        provider = self.env["payment.provider"].create({"name": "Test", "code": "none", "state": "test"})
        method = self.env.ref("payment.payment_method_unknown")
        tx = self.env["payment.transaction"].create({
            "provider_id": provider.id, "payment_method_id": method.id,
            "amount": 1500, "currency_id": order.currency_id.id,
            "partner_id": self.customer.id, "reference": "TX-HOLD",
            "state": "done", "sale_order_ids": [(6, 0, order.ids)],
        })
        order.action_quotation_sent()
        # half is paid: 1500 remain on credit, over the limit of 1000
        confirmed = tx.sudo()._check_amount_and_confirm_order()
        self.assertFalse(confirmed)
        self.assertTrue(order.credit_hold)
        self.assertEqual(order.state, "sent")

    def test_paid_in_full_confirms_from_payment(self):
        order = self._order(self.customer, 1500, require_payment=True, prepayment_percent=1.0)
        provider = self.env["payment.provider"].create({"name": "Test", "code": "none", "state": "test"})
        tx = self.env["payment.transaction"].create({
            "provider_id": provider.id, "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
            "amount": 1500, "currency_id": order.currency_id.id,
            "partner_id": self.customer.id, "reference": "TX-FULL",
            "state": "done", "sale_order_ids": [(6, 0, order.ids)],
        })
        confirmed = tx.sudo()._check_amount_and_confirm_order()
        self.assertEqual(confirmed, order)
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestCreditHoldHttp(HttpCase, CreditCommon):
    """The real portal route and the external API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._graded_customer("Signing Co", cls.grade_c, limit=1000, email="sign@example.com")
        cls.portal_user = new_test_user(
            cls.env, login="credit_portal_http", password="credit_portal_http", name="Signing Co",
            groups="base.group_portal", partner_id=cls.customer.id,
        )

    def test_portal_accept_route(self):
        order = self._order(self.customer, 1500, require_signature=True, require_payment=False)
        order.action_quotation_sent()
        self.authenticate("credit_portal_http", "credit_portal_http")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": order._portal_ensure_token(), "name": "The Customer", "signature": SIGNATURE},
        )
        self.assertNotIn("error", result)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.credit_hold)
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Your order awaits credit approval.", page.text)

    def test_external_api_puts_on_hold(self):
        order = self._order(self.customer, 1500)
        self.xmlrpc_object.execute(
            self.env.cr.dbname, self.salesman.id, "credit_salesman", "sale.order", "action_confirm", [order.id],
        )
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.credit_hold)
