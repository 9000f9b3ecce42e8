import base64
import json
import os
import pathlib
import unittest
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import quote

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .test_credit_file_loan import CreditFileLoanCommon

# Set CCA_SCREENSHOTS=/a/directory to save the key screens of every tour, in en_US and in zh_CN
# (each tour then runs once per language). Unset (CI), the tours run once, in en_US, and write nothing.
SCREENSHOTS = os.environ.get("CCA_SCREENSHOTS")
LANGS = ("en_US", "zh_CN") if SCREENSHOTS else ("en_US",)
ORDER_URL = "/odoo/action-sale.action_quotations_with_onboarding/%s"
LOAN_URL = "/odoo/action-customer_credit_archive.credit_file_loan_action/%s"
# what the users type, and the names on the screens, per language
TEXTS = {
    "en_US": {
        "customer": "Huaxin Trading Co., Ltd.",
        "portal_customer": "Hengtong Machinery Co., Ltd.",
        "reason": "Long-standing customer, payment promised next week",
        "condition": "Complete, 12 pages",
        "purpose": "Check the payment terms",
        "note": "New shop in Suzhou",
        "legal_representative": "Qian Ba",
        "buyer": "Portal Buyer",
    },
    "zh_CN": {
        "customer": "苏州华信贸易有限公司",
        "portal_customer": "无锡恒通机电有限公司",
        "reason": "多年老客户，已承诺下周付款",
        "condition": "完整，共 12 页",
        "purpose": "核对付款条件",
        "note": "苏州新开门店",
        "legal_representative": "钱八",
        "buyer": "周采购",
    },
}
# the names of the screenshots' company and people, only when screenshots are taken
SCREEN_NAMES = {
    "en_US": {"company": "YourCompany", "salesman": "Mitchell Admin", "credit_manager": "Marc Demo",
              "archivist": "Anita Oliver", "borrower": "Ronnie Hart"},
    "zh_CN": {"company": "苏州示例实业有限公司", "salesman": "张明", "credit_manager": "赵信",
              "archivist": "李档", "borrower": "王平"},
}


@tagged("post_install", "-at_install")
class TestCreditTours(HttpCase, CreditFileLoanCommon):
    """The main flows in the browser, each as its user (Odoo tours in static/tests/tours/)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "zh_CN" in LANGS:
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["zh_CN"])
            cls.product.with_context(lang="zh_CN").name = "信用测试商品"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _localize(self, lang):
        """The texts of ``lang``; with screenshots, names that look real on the screens."""
        if SCREENSHOTS:
            names = SCREEN_NAMES[lang]
            self.company.name = names["company"]
            for user in ("salesman", "credit_manager", "archivist", "borrower"):
                getattr(self, user).name = names[user]
        return TEXTS[lang]

    def _tour(self, url, name, user, lang, flow, expect=None):
        """Run tour ``name`` as ``user`` in ``lang``; a tour that cannot run fails, it is not skipped.
        ``expect``: the texts the tour types or checks (see static/tests/tours/credit_tour_utils.js)."""
        user.lang = lang
        cookies = {"cca_tour_expect": quote(json.dumps(expect or {}, ensure_ascii=False))}
        with self._screenshots(flow, lang) as screenshot_cookies:
            cookies.update(screenshot_cookies)
            try:
                self.start_tour(url, name, login=user.login, cookies=cookies, timeout=60)
            except unittest.SkipTest as skip:
                self.fail(f"The tour {name} could not run (Chromium and websocket-client are needed): {skip}")

    @contextmanager
    def _screenshots(self, flow, lang):
        """With CCA_SCREENSHOTS, answer the tour's "cca-screenshot:<name>" console messages with a
        screenshot saved as <flow>_<name>_<lang>.png, then mark the page so the tour goes on."""
        if not SCREENSHOTS:
            yield {}
            return
        directory = pathlib.Path(SCREENSHOTS)
        directory.mkdir(parents=True, exist_ok=True)
        handle_console = ChromeBrowser._handle_console

        def handle_console_with_screenshots(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002  # pylint: disable=redefined-builtin  # Odoo passes type= by name
            value = (args or [{}])[0].get("value")
            if type != "log" or not isinstance(value, str) or not value.startswith("cca-screenshot:"):
                return handle_console(browser, type, args=args, stackTrace=stackTrace, **kw)
            shot = value.split(":", 1)[1]

            def save(future):
                data = future.result(timeout=0)["data"]
                (directory / f"{flow}_{shot}_{lang}.png").write_bytes(base64.b64decode(data))
                browser._websocket_send("Runtime.evaluate", params={
                    "expression": f"document.body.classList.add('cca-shot-{shot}')"})

            browser._websocket_send("Page.captureScreenshot", with_future=True).add_done_callback(save)
            return None

        with patch.object(ChromeBrowser, "_handle_console", handle_console_with_screenshots):
            yield {"cca_screenshots": "1"}

    def _over_limit_order(self, lang):
        """A quotation of 60,000 for a grade C customer (limit 50,000) with 5,000 already invoiced."""
        customer = self._graded_customer(TEXTS[lang]["customer"], self.grade_c, user_id=self.salesman.id)
        self._invoice(customer, 5000)
        order = self._order(customer, 60000)
        order.order_line.name = self.product.with_context(lang=lang).name
        self.assertEqual(order.state, "draft")
        return customer, order

    def _expected_refusal(self, order, user, lang):
        order = order.with_user(user).with_context(lang=lang)
        refusal = order.credit_check_message
        self.assertTrue(refusal, "the order is over the limit")
        return {
            "order": order.name,
            "customer": order.partner_id.display_name,
            "refusal": refusal,
            "todo": order.env._("Collect a payment, reduce the order, or ask a Credit Manager to release it."),
            "reason": TEXTS[lang]["reason"],
        }

    # ------------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------------
    def test_tour_sales_user_refused_over_limit(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self._localize(lang)
                _customer, order = self._over_limit_order(lang)
                expect = self._expected_refusal(order, self.salesman, lang)
                self._tour(ORDER_URL % order.id, "credit_tour_order_refused", self.salesman, lang,
                           "order_refused", expect)
                self.assertEqual(order.state, "draft", "the refused quotation is not confirmed")
                self.assertFalse(order.credit_hold, "a person at the back office is told, not put on hold")
                self.assertFalse(order.credit_release_ids)

    def test_tour_credit_manager_releases(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self._localize(lang)
                _customer, order = self._over_limit_order(lang)
                expect = self._expected_refusal(order, self.credit_manager, lang)
                self._tour(ORDER_URL % order.id, "credit_tour_order_release", self.credit_manager, lang,
                           "order_release", expect)
                self.assertEqual(order.state, "sale", "the released order is confirmed")
                release = order.credit_release_ids
                self.assertEqual(len(release), 1)
                self.assertEqual(release.user_id, self.credit_manager)
                self.assertEqual(release.reason, expect["reason"])
                self.assertEqual(release.amount, 60000.0)
                self.assertEqual(release.refusal, expect["refusal"])

    def test_tour_archivist_lends_and_takes_back(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                texts = self._localize(lang)
                loan = self._approved(contract_archive_id=self.archive.id, purpose=texts["purpose"])
                self.assertEqual(loan.state, "approved")
                self._tour(LOAN_URL % loan.id, "credit_tour_file_loan", self.archivist, lang, "file_loan",
                           {"condition": texts["condition"]})
                self.assertEqual(loan.state, "returned")
                self.assertEqual(loan.lent_by_id, self.archivist)
                self.assertEqual(loan.returned_to_id, self.archivist)
                self.assertEqual(loan.date_lent, self.today)
                self.assertEqual(loan.date_returned, self.today)
                self.assertEqual(loan.condition_lent, texts["condition"])
                self.assertEqual(loan.condition_returned, texts["condition"])
                self.assertTrue(loan.date_due)
                self.assertFalse(self.Loan.search([("contract_archive_id", "=", self.archive.id),
                                                   ("state", "=", "lent")]), "the file is back")

    def test_tour_portal_customer_applies(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                texts = self._localize(lang)
                customer = self.env["res.partner"].create({
                    "name": texts["portal_customer"], "is_company": True, "user_id": self.salesman.id,
                    "email": f"credit.{lang}@tour.example.com",
                })
                portal_user = new_test_user(
                    self.env, login=f"credit_tour_portal_{lang}", name=texts["buyer"], groups="base.group_portal",
                    partner_id=self.env["res.partner"].create({
                        "name": texts["buyer"], "parent_id": customer.id, "email": f"buyer.{lang}@tour.example.com",
                    }).id,
                )
                self._tour("/my/credit", "credit_tour_portal_application", portal_user, lang, "portal_application",
                           {key: texts[key] for key in ("note", "legal_representative")})
                application = self.env["credit.application"].search([("partner_id", "=", customer.id)])
                self.assertEqual(len(application), 1)
                self.assertEqual(application.state, "draft")
                self.assertTrue(application.supplied_by_customer)
                self.assertEqual(application.requested_limit, 80000.0)
                self.assertEqual(application.request_note, texts["note"])
                self.assertEqual(application.user_id, self.salesman, "the customer's salesperson handles it")
                file = self.env["credit.customer.file"].search([("partner_id", "=", customer.id)])
                self.assertEqual(file.legal_representative, texts["legal_representative"])
                self.assertEqual(file.organization_form, "limited")
                self.assertEqual(file.registered_capital, 2000000.0)
                self.assertEqual(file.employee_count, 35)
                self.assertTrue(file.basic_to_verify, "data supplied by the customer waits for verification")
