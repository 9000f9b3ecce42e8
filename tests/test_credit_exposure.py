from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditCommon):
    def test_exposure_parts(self):
        partner = self._graded_customer("Exposure Co", self.grade_b, limit=10000)
        self._invoice(partner, 1000, due_days_ago=40)  # overdue
        self._invoice(partner, 500, due_days_ago=-10)  # not yet due
        draft = self._invoice(partner, 300, post=False)
        order = self._order(partner, 2000, user=self.credit_manager)
        order.action_confirm()
        as_sales = partner.with_user(self.salesman)
        self.assertEqual(as_sales.credit_exposure, 1000 + 500 + 300 + 2000)
        self.assertEqual(as_sales.credit_available, 10000 - 3800)
        self.assertEqual(as_sales.credit_overdue_amount, 1000)
        self.assertEqual(as_sales.credit_overdue_days, 40)
        self.assertTrue(as_sales.credit_checked)
        # draft invoices follow the company setting
        self.company.credit_include_draft_invoices = False
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 3500)
        self.company.credit_include_draft_invoices = True
        draft.button_cancel()
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 3500)

    def test_payment_and_invoicing_of_orders(self):
        partner = self._graded_customer("Paying Co", self.grade_b, limit=10000)
        invoice = self._invoice(partner, 1000, due_days_ago=5)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"amount": 400})._create_payments()
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 600)
        # an invoiced order moves from "orders" to "receivables", counted once
        order = self._order(partner, 2000, user=self.credit_manager)
        order.action_confirm()
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 2600)
        order_invoice = order._create_invoices()
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 2600, "draft invoice replaces the order")
        order_invoice.action_post()
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 2600)

    def test_child_contacts_and_invoice_address(self):
        partner = self._graded_customer("Parent Co", self.grade_b, limit=10000)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": partner.id})
        invoice_address = self.env["res.partner"].create({
            "name": "Accounts", "parent_id": partner.id, "type": "invoice",
        })
        self._invoice(contact, 700)
        order = self._order(contact, 1000, user=self.credit_manager, partner_invoice_id=invoice_address.id)
        order.action_confirm()
        for who in (partner, contact, invoice_address):
            who.invalidate_recordset()
            self.assertEqual(who.with_user(self.salesman).credit_exposure, 1700)
        self.assertEqual(contact.credit_limit_effective, 10000, "a contact uses its company's limit")

    def test_other_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])  # 1 company unit = 2 EUR
        partner = self._graded_customer("Euro Co", self.grade_b, limit=10000)
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        self._invoice(partner, 1000, currency=eur)
        order = self._order(partner, 3000, user=self.credit_manager, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, eur)
        self.assertEqual(order.credit_order_amount, 1500)
        order.action_confirm()
        partner.invalidate_recordset()
        self.assertEqual(partner.credit_exposure, 500 + 1500)

    def test_two_companies(self):
        other = self.setup_other_company(name="Credit Co 2")["company"]
        partner = self._graded_customer("Shared Co", self.grade_b, limit=10000)
        self._invoice(partner, 800)
        self._invoice(partner, 300, company=other)
        self.assertEqual(partner.credit_exposure, 800)
        in_other = partner.with_company(other)
        self.assertEqual(in_other.credit_exposure, 300)
        # grade and limit are per company: ungraded (and not checked) in the other one
        self.assertFalse(in_other.credit_grade_id)
        self.assertFalse(in_other.credit_checked)
        in_other.write({"credit_grade_id": self.grade_c.id})
        self.assertEqual(in_other.credit_limit, self.grade_c.credit_limit)
        self.assertEqual(partner.credit_limit, 10000)

    def test_ungraded_policy(self):
        partner = self.env["res.partner"].create({"name": "Ungraded"})
        self._invoice(partner, 400)
        self.assertFalse(partner.credit_checked)
        self.company.write({"credit_ungraded_policy": "limit", "credit_ungraded_limit": 1000})
        partner.invalidate_recordset()
        self.assertTrue(partner.credit_checked)
        self.assertEqual(partner.credit_limit_effective, 1000)
        self.assertEqual(partner.credit_available, 600)

    def test_order_shows_figures_before_confirmation(self):
        partner = self._graded_customer("Preview Co", self.grade_c, limit=1000)
        self._invoice(partner, 600)
        order = self._order(partner, 500).with_user(self.salesman)
        self.assertEqual(order.credit_exposure, 600)
        self.assertEqual(order.credit_limit_applied, 1000)
        self.assertEqual(order.credit_order_amount, 500)
        self.assertIn("exceeds the limit by", order.credit_check_message)
        order.order_line.write({"product_uom_qty": 0.5, "price_unit": 500})
        self.assertEqual(order.credit_order_amount, 250)
        self.assertFalse(order.credit_check_message)
