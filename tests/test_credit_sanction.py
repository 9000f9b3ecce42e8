from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditSanction(CreditCommon):
    """Sanctions against a customer's dishonest conduct and our own failures (variant 9, 三)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = new_test_user(
            cls.env, login="credit_warehouse", name="Warehouse User",
            groups="stock.group_stock_user",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.buyer = new_test_user(
            cls.env, login="credit_buyer", name="Purchase User",
            groups="purchase.group_purchase_user",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.legal_contact = new_test_user(
            cls.env, login="credit_legal", name="Legal Contact",
            groups="customer_credit_archive.group_credit_user",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.partner = cls._graded_customer("Sanctioned Co", cls.grade_a)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _impose(self, kind, reason="Forged delivery receipts", partner=None):
        return self.env["credit.sanction"].with_user(self.credit_manager).create({
            "partner_id": (partner or self.partner).id,
            "kind": kind,
            "reason": reason,
        })

    def _lift(self, sanction, reason="Settled all disputes"):
        sanction.with_user(self.credit_manager).action_lift(reason)

    def _confirmed_order(self, amount=100):
        order = self._order(self.partner, amount)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _assert_order_refused(self, regex):
        order = self._order(self.partner, 100)
        with self.assertRefused(UserError, regex):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        return order

    def _purchase_order(self):
        return self.env["purchase.order"].with_user(self.buyer).create({
            "partner_id": self.partner.id,
            "order_line": [Command.create({
                "product_id": self.product.id, "product_qty": 1, "price_unit": 50, "taxes_id": [Command.clear()],
            })],
        })

    def _history(self):
        return self.env["credit.grade.history"].search([("partner_id", "=", self.partner.id)], order="id")

    def _messages(self):
        return self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", self.partner.id), ("body", "ilike", "Sanction"),
        ])

    # ------------------------------------------------------------------
    # Cancel credit sales
    # ------------------------------------------------------------------
    def test_cancel_credit_sales(self):
        self.assertFalse(self.partner.credit_immediate_settlement)
        sanction = self._impose("cancel_credit")
        self.assertEqual(sanction.state, "active")
        self.assertEqual(sanction.user_id, self.credit_manager)
        self.assertTrue(self.partner.credit_immediate_settlement)
        self._assert_order_refused("Sanctioned Co is under immediate settlement")
        self._lift(sanction)
        self.assertEqual(sanction.state, "lifted")
        self.assertEqual(sanction.lifted_by_id, self.credit_manager)
        self.assertEqual(sanction.lifted_on, self.today)
        self.assertEqual(sanction.lift_reason, "Settled all disputes")
        self.assertFalse(self.partner.credit_immediate_settlement, "lifting restores the previous value")
        self._confirmed_order()

    def test_cancel_credit_sales_keeps_previous_true(self):
        self.partner.with_user(self.credit_manager).credit_immediate_settlement = True
        sanction = self._impose("cancel_credit")
        self.assertTrue(sanction.previous_immediate_settlement)
        self._lift(sanction)
        self.assertTrue(self.partner.credit_immediate_settlement, "it was on before the sanction")

    def test_overlapping_sanctions(self):
        for lift_first_the_first in (True, False):
            first = self._impose("cancel_credit", reason="Late again")
            second = self._impose("cancel_credit", reason="Bounced cheque")
            self.assertFalse(second.previous_immediate_settlement, "the value before any sanction is kept")
            to_lift = (first, second) if lift_first_the_first else (second, first)
            self._lift(to_lift[0])
            self.assertTrue(self.partner.credit_immediate_settlement, "the other sanction still requires it")
            self._assert_order_refused("immediate settlement")
            self._lift(to_lift[1])
            self.assertFalse(self.partner.credit_immediate_settlement)
        self._confirmed_order()

    def test_overlapping_stop_and_revoke(self):
        stop = self._impose("stop_supply")
        revoke = self._impose("revoke_supply")
        self.assertTrue(self.partner.credit_supply_revoked)
        self._lift(revoke)
        self.assertFalse(self.partner.credit_supply_revoked)
        self.assertTrue(self.partner.credit_supply_stopped, "the stop supply sanction still requires it")
        purchase = self._purchase_order()
        purchase.with_user(self.buyer).button_confirm()
        self.assertEqual(purchase.state, "purchase")
        self._assert_order_refused("supply to Sanctioned Co is stopped")
        self._lift(stop)
        self.assertFalse(self.partner.credit_supply_stopped)
        self._confirmed_order()

    # ------------------------------------------------------------------
    # Stop supply, revoke the supply qualification
    # ------------------------------------------------------------------
    def test_stop_supply_refuses_orders_and_deliveries(self):
        order = self._confirmed_order()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        sanction = self._impose("stop_supply", reason="Resold our goods under a fake brand")
        self.assertTrue(self.partner.credit_supply_stopped)
        refused = self._assert_order_refused("supply to Sanctioned Co is stopped")
        with self.assertRaises(UserError) as error:
            refused.with_user(self.salesman).action_confirm()
        message = str(error.exception)
        for expected in (refused.name, "Resold our goods under a fake brand", "lift the sanction"):
            self.assertIn(expected, message)
        with self.assertRefused(UserError, f"Delivery {picking.name} cannot be validated: supply to Sanctioned Co"):
            picking.with_user(self.warehouse_user).button_validate()
        self.assertNotEqual(picking.state, "done")
        # a purchase order to the customer is not concerned by a stop of supply
        purchase = self._purchase_order()
        purchase.with_user(self.buyer).button_confirm()
        self.assertEqual(purchase.state, "purchase")
        self._lift(sanction)
        refused.with_user(self.salesman).action_confirm()
        self.assertEqual(refused.state, "sale")
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "done")

    def test_revoke_supply_refuses_purchase_orders(self):
        order = self._confirmed_order()
        sanction = self._impose("revoke_supply", reason="Sold us counterfeit parts")
        self.assertTrue(self.partner.credit_supply_revoked)
        self.assertTrue(self.partner.credit_supply_stopped)
        self._assert_order_refused("supply qualification of Sanctioned Co is revoked by a sanction")
        with self.assertRefused(UserError, "cannot be validated"):
            order.picking_ids.with_user(self.warehouse_user).button_validate()
        purchase = self._purchase_order()
        with self.assertRefused(UserError, f"Purchase order {purchase.name} cannot be confirmed: .*counterfeit parts"):
            purchase.with_user(self.buyer).button_confirm()
        self.assertEqual(purchase.state, "draft")
        self._lift(sanction)
        self.assertFalse(self.partner.credit_supply_revoked)
        self.assertFalse(self.partner.credit_supply_stopped)
        purchase.with_user(self.buyer).button_confirm()
        self.assertEqual(purchase.state, "purchase")
        self._confirmed_order()

    def test_sanction_of_the_invoiced_customer(self):
        """The ordering customer is clean, the invoiced one is sanctioned: refused."""
        clean = self._graded_customer("Clean Co", self.grade_a)
        self._impose("stop_supply")
        order = self._order(clean, 100)
        order.partner_invoice_id = self.partner
        with self.assertRefused(UserError, "supply to Sanctioned Co is stopped"):
            order.with_user(self.salesman).action_confirm()

    # ------------------------------------------------------------------
    # Legal action
    # ------------------------------------------------------------------
    def test_legal_action(self):
        self.company.credit_legal_contact_id = self.legal_contact
        sanction = self._impose("legal_action", reason="Refuses to pay 3 invoices")
        self.assertTrue(self.partner.credit_legal_action)
        activity = sanction.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.legal_contact)
        self.assertIn("Sanctioned Co", activity.summary)
        self._assert_order_refused("Sanctioned Co is under legal action \\(Refuses to pay 3 invoices\\)")
        self._lift(sanction, reason="Judgment executed")
        self.assertFalse(self.partner.credit_legal_action)
        self.assertFalse(sanction.activity_ids, "the legal contact's activity is done")
        self._confirmed_order()

    def test_legal_action_without_legal_contact(self):
        self.company.credit_legal_contact_id = False
        sanction = self._impose("legal_action")
        self.assertEqual(sanction.activity_ids.user_id, self.credit_manager, "the credit responsible")

    # ------------------------------------------------------------------
    # Rights, history, chatter
    # ------------------------------------------------------------------
    def test_salesman_cannot_impose_or_lift(self):
        with self.assertRefused(AccessError):
            self.env["credit.sanction"].with_user(self.salesman).create({
                "partner_id": self.partner.id, "kind": "stop_supply", "reason": "Because",
            })
        with self.assertRefused(AccessError):
            self.partner.with_user(self.salesman).action_open_credit_sanction_wizard()
        sanction = self._impose("stop_supply")
        with self.assertRefused(AccessError):
            sanction.with_user(self.salesman).action_lift("I want to sell")
        with self.assertRefused(AccessError):
            sanction.with_user(self.salesman).action_open_lift_wizard()
        with self.assertRefused(AccessError):
            self.partner.with_user(self.salesman).write({"credit_supply_stopped": False})
        self.assertEqual(sanction.state, "active")
        self.assertTrue(self.partner.credit_supply_stopped)
        # a Credit User reads the sanctions of its customers
        self.assertEqual(self.partner.with_user(self.salesman).credit_sanction_count, 1)
        self.assertEqual(sanction.with_user(self.salesman).reason, "Forged delivery receipts")

    def test_reasons_required_and_state_protected(self):
        with self.assertRefused(UserError, "Give the reason for the sanction"):
            self._impose("stop_supply", reason="  ")
        sanction = self._impose("stop_supply")
        with self.assertRefused(UserError, "Give the reason for lifting"):
            self._lift(sanction, reason="")
        with self.assertRefused(UserError, "cannot be edited"):
            sanction.with_user(self.credit_manager).write({"state": "lifted"})
        with self.assertRefused(UserError, "cannot be edited"):
            sanction.with_user(self.credit_manager).write({"kind": "cancel_credit"})
        with self.assertRefused(UserError, "cannot be deleted"):
            sanction.sudo().unlink()
        self._lift(sanction)
        with self.assertRefused(UserError, "Only an active sanction"):
            self._lift(sanction)

    def test_history_and_chatter(self):
        history_before, messages_before = self._history(), self._messages()
        sanction = self._impose("stop_supply", reason="Diverted goods")
        line = self._history() - history_before
        self.assertEqual(len(line), 1)
        self.assertEqual(line.change, "Supply Stopped: No → Yes")
        self.assertEqual(line.reason, "Sanction imposed (Stop Supply): Diverted goods")
        self.assertEqual(line.user_id, self.credit_manager)
        message = self._messages() - messages_before
        self.assertEqual(len(message), 1)
        self.assertIn("Sanction imposed (Stop Supply): Diverted goods", message.body)
        self.assertEqual(message.author_id, self.credit_manager.partner_id)
        # a second sanction with the same effect changes nothing, and is still written down
        history_before, messages_before = self._history(), self._messages()
        second = self._impose("stop_supply", reason="Diverted goods again")
        line = self._history() - history_before
        self.assertEqual(len(line), 1)
        self.assertEqual(line.change, "No change of the credit profile")
        self.assertIn("Diverted goods again", line.reason)
        self.assertEqual(len(self._messages() - messages_before), 1)
        for lifted, change in ((second, "No change of the credit profile"), (sanction, "Supply Stopped: Yes → No")):
            history_before, messages_before = self._history(), self._messages()
            self._lift(lifted, reason="Goods returned")
            line = self._history() - history_before
            self.assertEqual(line.change, change)
            self.assertEqual(line.reason, "Sanction lifted (Stop Supply): Goods returned")
            message = self._messages() - messages_before
            self.assertIn("Sanction lifted (Stop Supply): Goods returned", message.body)

    def test_wizards(self):
        action = self.partner.with_user(self.credit_manager).action_open_credit_sanction_wizard()
        self.assertEqual(action["res_model"], "credit.sanction.wizard")
        Wizard = self.env["credit.sanction.wizard"].with_user(self.credit_manager)
        with Form(Wizard.with_context(**action["context"])) as form:
            form.kind = "stop_supply"
            form.reason = "Threatened our driver"
        form.record.action_confirm()
        sanction = self.env["credit.sanction"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(sanction.kind, "stop_supply")
        self.assertTrue(self.partner.credit_supply_stopped)
        self.assertEqual(self.partner.credit_sanction_count, 1)
        action = sanction.with_user(self.credit_manager).action_open_lift_wizard()
        with Form(Wizard.with_context(**action["context"])) as form:
            form.reason = "Apologised in writing"
        form.record.action_confirm()
        self.assertEqual(sanction.state, "lifted")
        self.assertEqual(sanction.lift_reason, "Apologised in writing")
        self.assertFalse(self.partner.credit_supply_stopped)
        self.partner.invalidate_recordset(["credit_sanction_count"])
        self.assertEqual(self.partner.credit_sanction_count, 0)

    def test_contact_is_sanctioned_through_its_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.partner.id})
        sanction = self._impose("stop_supply", partner=contact)
        self.assertEqual(sanction.partner_id, self.partner, "the sanction is on the commercial partner")
        order = self._order(contact, 100)
        with self.assertRefused(UserError, "supply to Sanctioned Co is stopped"):
            order.with_user(self.salesman).action_confirm()

    def test_no_sanction_no_lookup(self):
        """The check of a customer without sanction reads no sanction (its flags are enough)."""
        self._impose("stop_supply", partner=self._graded_customer("Other Co", self.grade_a))
        Sanction = type(self.env["credit.sanction"])
        with patch.object(Sanction, "_search", side_effect=AssertionError("sanctions read")):
            self._confirmed_order()

    def test_views(self):
        for user in (self.salesman, self.credit_manager):
            for model in ("credit.sanction", "credit.own.failure"):
                views = self.env[model].with_user(user).get_views([(False, "list"), (False, "form"), (False, "search")])
                self.assertTrue(views["views"]["form"]["arch"])
            arch = self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn("credit_sanction_ids", arch)
            self.assertEqual("action_open_credit_sanction_wizard" in arch, user == self.credit_manager)
        self.assertTrue(self.env["credit.sanction.wizard"].with_user(self.credit_manager).get_views([(False, "form")]))
        settings = self.env["res.config.settings"].create({"credit_legal_contact_id": self.legal_contact.id})
        settings.execute()
        self.assertEqual(self.company.credit_legal_contact_id, self.legal_contact)

    # ------------------------------------------------------------------
    # Our own failures
    # ------------------------------------------------------------------
    def test_own_failure_recorded_by_user_closed_by_manager(self):
        Failure = self.env["credit.own.failure"]
        failure = Failure.with_user(self.salesman).create({
            "partner_id": self.partner.id,
            "kind": "unauthorized_contract",
            "description": "A trainee signed a supply contract in our name",
            "responsible_id": self.salesman.id,
        })
        self.assertEqual(failure.state, "open")
        self.assertEqual(failure.user_id, self.salesman)
        failure.with_user(self.salesman).write({"partner_notified": True, "compensation_amount": 300})
        self.assertEqual(self.partner.with_user(self.salesman).credit_own_failure_count, 1)
        with self.assertRefused(AccessError):
            failure.with_user(self.salesman).action_close()
        with self.assertRefused(UserError, "Use the Close and Reopen buttons"):
            failure.with_user(self.salesman).write({"state": "corrected"})
        with self.assertRefused(UserError, "Describe the corrective action"):
            failure.with_user(self.credit_manager).action_close()
        failure.with_user(self.salesman).corrective_action = "Written apology, compensation paid, trainee removed"
        failure.with_user(self.credit_manager).action_close()
        self.assertEqual(failure.state, "corrected")
        self.assertEqual(failure.corrected_by_id, self.credit_manager)
        self.assertEqual(failure.corrected_on, self.today)
        with self.assertRefused(AccessError):
            failure.with_user(self.salesman).description = "Nothing happened"
        with self.assertRefused(AccessError):
            failure.with_user(self.salesman).action_reopen()
        failure.with_user(self.credit_manager).action_reopen()
        self.assertEqual(failure.state, "open")
        self.assertFalse(failure.corrected_by_id)

    def test_own_failure_form(self):
        with Form(self.env["credit.own.failure"].with_user(self.salesman)) as form:
            form.partner_id = self.partner
            form.kind = "late_payment"
            form.description = "Paid the March invoice 60 days late"
            form.partner_notified = True
            self.assertEqual(form.notified_on, self.today)
        self.assertEqual(form.record.display_name, "Late Payment by Us - Sanctioned Co")
