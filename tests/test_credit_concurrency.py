import threading
import uuid

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCreditConcurrency(TransactionCase):
    """Two confirmations for one customer at the same moment, from two real cursors.

    The records are committed by real cursors (the test cursor cannot be seen by
    other connections) and removed again at the end.
    """

    def setUp(self):
        super().setUp()
        self.db = self.registry._db
        tag = uuid.uuid4().hex[:8]
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.salesman_id = env["res.users"].with_context(no_reset_password=True).create({
                "name": "Race Salesman", "login": f"race_{tag}",
                "groups_id": [Command.set([env.ref("sales_team.group_sale_salesman").id])],
            }).id
            partner = env["res.partner"].create({
                "name": f"Race Co {tag}", "is_company": True,
                "credit_grade_id": env.ref("customer_credit_archive.credit_grade_c").id,
                "credit_limit": 1000,
            })
            product = env["product.product"].create({"name": f"Race {tag}", "list_price": 700, "taxes_id": []})
            orders = env["sale.order"].create([{
                "partner_id": partner.id,
                "user_id": self.salesman_id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 700, "discount": 0})],
            } for _i in range(2)])
            self.partner_id, self.product_id, self.order_ids = partner.id, product.id, orders.ids
        self.addCleanup(self._remove_committed_records)

    def _remove_committed_records(self):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids)
            # the delivery of the confirmed order (sale_stock) holds the product
            orders.picking_ids.action_cancel()
            orders.picking_ids.unlink()
            orders.filtered(lambda o: o.state == "sale").write({"state": "cancel"})
            orders.unlink()
            env["product.product"].browse(self.product_id).product_tmpl_id.unlink()
            user = env["res.users"].browse(self.salesman_id)
            user_partner = user.partner_id
            user.unlink()
            (env["res.partner"].browse(self.partner_id) | user_partner).unlink()

    def _confirm(self, order_id, barrier, results):
        with self.db.cursor() as cr:
            # the registry is given, not looked up: the test runner holds the lookup lock
            cr.transaction = api.Transaction(self.registry)
            env = api.Environment(cr, self.salesman_id, {})
            order = env["sale.order"].browse(order_id)
            try:
                # the first read takes the REPEATABLE READ snapshot, before the other commits
                order.amount_total  # noqa: B018  # pylint: disable=pointless-statement
                barrier.wait(timeout=30)
                order.action_confirm()
                # a cursor of the thread's own: committing it is the point of the test
                cr.commit()  # pylint: disable=invalid-commit
                results[order_id] = "confirmed"
            except UserError:
                cr.rollback()
                results[order_id] = "refused"
            except SerializationFailure:
                cr.rollback()
                results[order_id] = "serialization failure"
            except Exception as error:  # noqa: BLE001  (reported by the test)
                cr.rollback()
                results[order_id] = f"unexpected {error!r}"

    def test_two_confirmations_at_once(self):
        barrier = threading.Barrier(2)
        results = {}
        threads = [
            threading.Thread(target=self._confirm, args=(order_id, barrier, results))
            for order_id in self.order_ids
        ]
        # the loser's UPDATE fails and Odoo logs the query: expected here. Muted once,
        # around both threads (mute_logger swaps the handlers process-wide).
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(len(results), 2, results)
        self.assertEqual(sorted(results.values()).count("confirmed"), 1, results)
        with self.db.cursor() as cr:
            cr.execute("SELECT state FROM sale_order WHERE id = ANY(%s)", [self.order_ids])
            states = sorted(state for (state,) in cr.fetchall())
        self.assertEqual(states, ["draft", "sale"])
        # what Odoo's retry does after a serialization failure: check again, and refuse
        retried = next(order_id for order_id, result in results.items() if result != "confirmed")
        with self.db.cursor() as cr:
            env = api.Environment(cr, self.salesman_id, {})
            with self.assertRaisesRegex(UserError, "exceeds the limit"):
                env["sale.order"].browse(retried).action_confirm()
