from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCustomerFile(CreditCommon):
    """The four parts of the customer file, their dates and sources, classification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "华联商厦", "is_company": True, "user_id": cls.salesman.id,
        })
        cls.contact = cls.env["res.partner"].create({
            "name": "王经理", "parent_id": cls.customer.id,
        })
        cls.File = cls.env["credit.customer.file"]

    def _file(self, partner=None):
        return self.File.search([("partner_id", "=", (partner or self.customer).id),
                                 ("company_id", "=", self.company.id)])

    def _age(self, file, days, parts=("basic", "character", "business", "trading")):
        """Pretend the file was last updated ``days`` ago."""
        old = fields.Datetime.now() - timedelta(days=days)
        file.sudo().with_context(credit_file_verifying=True).write(
            {f"{part}_update_date": old for part in parts} | {"last_visit_date": False})
        return old

    # ------------------------------------------------------------------
    # the four parts, from the partner form, as a salesperson
    # ------------------------------------------------------------------
    def test_salesperson_fills_the_parts_from_the_partner_form(self):
        partner = self.customer.with_user(self.salesman)
        self.assertFalse(partner.credit_file_id)
        partner.write({
            "credit_file_legal_representative": "张三",
            "credit_file_registered_capital": 500000.0,
            "credit_file_service_area": "华东地区",
            "credit_file_cooperation_attitude": "good",
            "credit_file_payment_habits": "月底付款",
            "credit_file_tier": "regular",
        })
        file = self._file()
        self.assertEqual(len(file), 1, "the file is created on the first update")
        self.assertEqual(file.legal_representative, "张三")
        self.assertEqual(file.registered_capital, 500000.0)
        self.assertEqual(file.payment_habits, "月底付款")
        self.assertEqual(partner.credit_file_id, file)
        self.assertEqual(file.user_id, self.salesman, "the customer's salesperson keeps the file")
        for part in ("basic", "character", "business", "trading"):
            self.assertTrue(file[f"{part}_update_date"], part)
        # every later value change is tracked in the file's chatter (the values written
        # with the creation of the file are its "created" message, as everywhere in Odoo)
        self.env.flush_all()
        self.env.cr.precommit.run()
        partner.write({
            "credit_file_legal_representative": "张四",
            "credit_file_service_area": "华南地区",
            "credit_file_cooperation_attitude": "fair",
            "credit_file_payment_habits": "季度付款",
        })
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = file.message_ids.tracking_value_ids
        for fname in ("legal_representative", "service_area", "cooperation_attitude", "payment_habits"):
            self.assertIn(fname, tracked.field_id.mapped("name"))
        value = tracked.filtered(lambda t: t.field_id.name == "legal_representative")
        self.assertEqual((value.old_value_char, value.new_value_char), ("张三", "张四"))

    def test_only_the_changed_part_gets_a_new_date(self):
        partner = self.customer.with_user(self.salesman)
        partner.credit_file_outlook = "良好"
        file = self._file()
        old = self._age(file, 5)
        partner.credit_file_management_style = "家族式管理"
        file.invalidate_recordset()
        self.assertGreater(file.character_update_date, old)
        self.assertEqual(file.trading_update_date, old)
        self.assertEqual(file.basic_update_date, old)
        self.assertEqual(file.last_update_date, file.character_update_date)

    def test_partner_created_with_file_values(self):
        partner = self.env["res.partner"].with_user(self.salesman).create({
            "name": "新客户", "is_company": True, "credit_file_owner_name": "李四",
            "user_id": self.salesman.id,
        })
        self.assertEqual(partner.credit_file_id.owner_name, "李四")
        self.assertTrue(partner.credit_file_id.basic_update_date)

    def test_partner_form_creates_a_file_only_when_filled(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        form = Form(Partner)
        form.name = "Form Customer"
        form.company_type = "company"
        empty = form.save()
        self.assertFalse(empty.credit_file_ids, "empty file fields create no file")
        form = Form(Partner)
        form.name = "Filled Customer"
        form.company_type = "company"
        form.user_id = self.salesman
        form.credit_file_legal_representative = "周七"
        form.credit_file_tier = "key"
        filled = form.save()
        self.assertEqual(filled.credit_file_ids.legal_representative, "周七")
        self.assertEqual(filled.credit_file_ids.card_type, "dealer")
        form = Form(filled)
        form.credit_file_outlook = "向好"
        form.save()
        self.assertEqual(filled.credit_file_ids.outlook, "向好")

    def test_key_persons_and_lines_update_their_part(self):
        partner = self.customer.with_user(self.salesman)
        partner.credit_file_owner_name = "李四"
        file = self._file().with_user(self.salesman)
        old = self._age(file, 10)
        file.write({"key_person_ids": [Command.create({
            "name": "李四", "role": "owner", "age": 52, "hobbies": "钓鱼", "education": "本科",
        })]})
        file.invalidate_recordset()
        self.assertGreater(file.basic_update_date, old)
        self.assertEqual(file.trading_update_date, old)
        self.assertIn("李四", file.message_ids[0].body)
        file.write({"collection_record_ids": [Command.create({
            "method": "call", "amount_claimed": 1000.0, "amount_recovered": 400.0,
        })]})
        file.invalidate_recordset()
        self.assertGreater(file.trading_update_date, old)
        file.write({"sales_result_ids": [Command.create({"year": 2025, "amount": 1200000.0})]})
        self.assertEqual(partner.credit_file_sales_result_ids.amount, 1200000.0)
        with self.assertRaises(ValidationError):
            file.key_person_ids.age = -3

    def test_contact_has_no_file_of_its_own(self):
        with self.assertRaises(ValidationError):
            self.File.with_user(self.salesman).create({"partner_id": self.contact.id})
        # the contact shows the file of its company
        self.customer.with_user(self.salesman).credit_file_strengths = "渠道广"
        self.assertEqual(self.contact.credit_file_id, self._file())

    def test_one_file_per_company(self):
        self.customer.with_user(self.salesman).credit_file_reputation = "好"
        company_b = self.env["res.company"].create({"name": "Credit B"})
        self.credit_manager.company_ids |= company_b
        partner_b = self.customer.with_user(self.credit_manager).with_company(company_b)
        self.assertFalse(partner_b.credit_file_id)
        partner_b.credit_file_reputation = "一般"
        files = self.File.sudo().search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(files), 2)
        self.assertEqual(self.customer.with_company(self.company).credit_file_reputation, "好")
        self.assertEqual(partner_b.credit_file_reputation, "一般")
        # the salesperson of company A does not see the file of company B
        visible = self.File.with_user(self.salesman).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(visible.company_id, self.company)

    def test_negative_figures_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.with_user(self.salesman).credit_file_employee_count = -1

    # ------------------------------------------------------------------
    # information source and verification
    # ------------------------------------------------------------------
    def test_customer_supplied_data_waits_for_verification(self):
        file = self.File.with_user(self.salesman).create({"partner_id": self.customer.id})
        file.write({"trading_source": "customer", "payment_habits": "货到付款"})
        self.assertTrue(file.trading_to_verify)
        self.assertTrue(file.to_verify)
        self.assertFalse(file.basic_to_verify)
        self.assertIn(file, self.File.with_user(self.salesman).search([("to_verify", "=", True)]))
        with self.assertRaises(AccessError):
            file.action_verify_part("trading")
        with self.assertRaises(AccessError):
            file.write({"trading_to_verify": False})
        manager_file = file.with_user(self.credit_manager)
        manager_file.action_verify_part("trading")
        self.assertFalse(manager_file.trading_to_verify)
        self.assertEqual(manager_file.trading_verified_by_id, self.credit_manager)
        self.assertTrue(manager_file.trading_verified_date)
        self.assertIn("verified", manager_file.message_ids[0].body)

    def test_source_from_context_marks_every_touched_part(self):
        file = self.File.with_user(self.salesman).with_context(credit_file_source="customer").create({
            "partner_id": self.customer.id, "legal_representative": "赵六", "outlook": "扩张",
        })
        self.assertEqual(file.basic_source, "customer")
        self.assertEqual(file.trading_source, "customer")
        self.assertTrue(file.basic_to_verify and file.trading_to_verify)
        self.assertFalse(file.character_source)
        file.with_user(self.credit_manager).action_verify_all()
        self.assertFalse(file.to_verify)

    def test_agency_source_with_cost(self):
        agency = self.env["res.partner"].create({"name": "中诚信调查", "is_company": True})
        file = self.File.with_user(self.salesman).create({
            "partner_id": self.customer.id, "business_source": "agency",
            "business_agency_id": agency.id, "business_agency_cost": 800.0,
            "business_source_date": fields.Date.today(), "staff_quality": "高",
        })
        self.assertFalse(file.business_to_verify, "an agency report needs no customer verification")
        self.assertEqual(file.business_agency_cost, 800.0)
        with self.assertRaises(ValidationError):
            file.business_agency_cost = -5

    # ------------------------------------------------------------------
    # classification, completeness, key accounts
    # ------------------------------------------------------------------
    def test_classification_filters_and_group_bys(self):
        values = [
            ("key", "wholesaler", "government", "dealer"),
            ("key", "chain", "company", "dealer"),
            ("regular", "retailer", "individual", "end"),
        ]
        for index, (tier, channel, nature, card) in enumerate(values):
            partner = self.env["res.partner"].create({"name": f"Class {index}", "is_company": True})
            self.File.with_user(self.credit_manager).create({
                "partner_id": partner.id, "tier": tier, "channel_type": channel, "nature": nature,
                "card_type": card, "ownership": "private", "location_type": "commercial",
                "lifecycle": "existing", "trade_period": "current",
            })
        Files = self.File.with_user(self.credit_manager)
        groups = dict(Files._read_group([("partner_id.name", "like", "Class ")], ["tier"], ["__count"]))
        self.assertEqual(groups, {"key": 2, "regular": 1})
        for fname in ("nature", "ownership", "channel_type", "location_type", "tier", "lifecycle",
                      "trade_period", "card_type", "route_id", "user_id"):
            Files._read_group([], [fname], ["__count"])  # every classification can be grouped
        self.assertEqual(Files.search_count([("partner_id.name", "like", "Class "), ("card_type", "=", "end")]), 1)
        # the partner search filters of the credit menu
        Partner = self.env["res.partner"].with_user(self.credit_manager)
        self.assertEqual(Partner.search_count([("credit_file_ids.tier", "=", "key")]), 2)

    def test_completeness_per_card_type(self):
        file = self.File.with_user(self.salesman).create({"partner_id": self.customer.id})
        self.assertEqual(file.completeness, 0.0)
        file.write({"legal_representative": "张三", "owner_name": "张三"})
        dealer = file.completeness
        self.assertGreater(dealer, 0.0)
        file.card_type = "end"
        self.assertGreater(file.completeness, dealer, "an end-customer card expects fewer fields")
        expected = self.File._fields["completeness"]
        self.assertTrue(expected.store)

    def test_key_customer_needs_two_responsibles(self):
        file = self.File.with_user(self.credit_manager).create({
            "partner_id": self.customer.id, "tier": "key",
            "responsible_user_ids": [Command.set(self.salesman.ids)],
        })
        self.assertTrue(file.key_understaffed)
        Files = self.File.with_user(self.credit_manager)
        self.assertIn(file, Files.search([("key_understaffed", "=", True)]))
        self.assertTrue(self.customer.credit_file_key_understaffed)
        file.responsible_user_ids = [Command.link(self.credit_manager.id)]
        self.assertFalse(file.key_understaffed)
        self.assertNotIn(file, Files.search([("key_understaffed", "=", True)]))
        file.responsible_user_ids = [Command.unlink(self.credit_manager.id)]
        file.tier = "regular"
        self.assertFalse(file.key_understaffed, "only key customers need two")

    def test_salesperson_cannot_delete_a_file(self):
        file = self.File.with_user(self.salesman).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            file.unlink()


@tagged("post_install", "-at_install")
class TestCustomerFileFreshness(CreditCommon):
    """Stale files: activity for the salesperson and a violation logged, once per period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "Stale Customer", "is_company": True, "user_id": cls.salesman.id,
        })
        cls.file = cls.env["credit.customer.file"].with_user(cls.salesman).create({
            "partner_id": cls.customer.id, "legal_representative": "X",
        })

    def _age(self, days):
        old = fields.Datetime.now() - timedelta(days=days)
        self.file.sudo().with_context(credit_file_verifying=True).write({
            "basic_update_date": old, "last_visit_date": False})
        return old

    def _run_cron(self):
        self.env.ref("customer_credit_archive.ir_cron_credit_stale_files").sudo().method_direct_trigger()

    def _violations(self):
        return self.env["credit.file.violation"].search([("file_id", "=", self.file.id)])

    def test_fresh_file_is_left_alone(self):
        self._age(29)
        self.assertFalse(self.file.stale)
        self._run_cron()
        self.assertFalse(self._violations())
        self.assertFalse(self.file.activity_ids)

    def test_stale_file_gives_activity_and_violation_once(self):
        self._age(31)
        self.assertTrue(self.file.stale)
        Files = self.env["credit.customer.file"].with_user(self.salesman)
        self.assertIn(self.file, Files.search([("stale", "=", True)]))
        self.assertNotIn(self.file, Files.search([("stale", "=", False)]))
        self._run_cron()
        violation = self._violations()
        self.assertEqual(len(violation), 1)
        self.assertEqual(violation.kind, "missed_update")
        self.assertEqual(violation.amount, 20.0)
        self.assertEqual(violation.user_id, self.salesman)
        activity = self.file.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        # the next day: still stale, no second fine, no second activity
        self._run_cron()
        self.assertEqual(len(self._violations()), 1)
        self.assertEqual(len(self.file.activity_ids), 1)
        # a whole period later without an update: a new fine
        violation.date = fields.Datetime.now() - timedelta(days=31)
        self._run_cron()
        self.assertEqual(len(self._violations()), 2)

    def test_company_settings_apply(self):
        self.company.write({"credit_file_stale_days": 10, "credit_file_fine_amount": 50.0})
        self._age(11)
        self._run_cron()
        self.assertEqual(self._violations().amount, 50.0)
        with self.assertRaises(ValidationError):
            self.company.credit_file_stale_days = 0
        settings = self.env["res.config.settings"].create({"credit_file_stale_days": 45})
        settings.execute()
        self.assertEqual(self.company.credit_file_stale_days, 45)

    def test_update_makes_the_file_fresh_again(self):
        self._age(40)
        self.customer.with_user(self.salesman).credit_file_outlook = "稳定"
        self.assertFalse(self.file.stale)

    def test_violations_are_for_managers(self):
        self._age(31)
        self._run_cron()
        with self.assertRaises(AccessError):
            self.env["credit.file.violation"].with_user(self.salesman).search([]).read(["amount"])
        manager_view = self.env["credit.file.violation"].with_user(self.credit_manager).search(
            [("file_id", "=", self.file.id)])
        self.assertEqual(len(manager_view), 1)
        manager_view.action_waive()
        self.assertEqual(manager_view.state, "waived")
        with self.assertRaises(AccessError):
            manager_view.unlink()

    def test_stale_file_without_salesperson_goes_to_the_credit_responsible(self):
        other = self.env["res.partner"].create({"name": "Orphan Customer", "is_company": True})
        file = self.env["credit.customer.file"].create({"partner_id": other.id, "outlook": "?"})
        file.with_context(credit_file_verifying=True).write({
            "trading_update_date": fields.Datetime.now() - timedelta(days=60)})
        self._run_cron()
        self.assertEqual(file.activity_ids.user_id, self.credit_manager)


@tagged("post_install", "-at_install")
class TestVisitReport(CreditCommon):
    """客户访问日报: a visit updates the file in one step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "Visited Customer", "is_company": True, "user_id": cls.salesman.id,
        })
        cls.contact = cls.env["res.partner"].create({"name": "Buyer", "parent_id": cls.customer.id})

    def _report(self, **vals):
        return self.env["credit.visit.report"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "contact_id": self.contact.id, "kind": "periodic",
            "findings": "<p>New warehouse opened.</p>", **vals,
        })

    def test_visit_updates_the_file(self):
        report = self._report(
            new_payment_habits="每月10日付款", new_cooperation_attitude="good",
            new_development_potential="high",
            date=fields.Datetime.now() - timedelta(hours=2),
        )
        self.assertTrue(report.name.startswith("VR/"))
        file = report.file_id
        self.assertTrue(file, "the report belongs to the customer's file from the start")
        self.assertEqual(file.visit_report_count, 1)
        report.action_done()
        self.assertEqual(report.state, "done")
        self.assertEqual(file.payment_habits, "每月10日付款")
        self.assertEqual(file.cooperation_attitude, "good")
        self.assertEqual(file.development_potential, "high")
        self.assertEqual(file.trading_source, "visit")
        self.assertEqual(file.business_source, "visit")
        self.assertFalse(file.basic_source, "untouched parts keep their source")
        self.assertEqual(file.last_visit_date, report.date)
        self.assertIn(report.name, file.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "not a draft"):
            report.action_done()

    def test_visit_without_new_values_still_counts_as_update(self):
        report = self._report()
        file = report.file_id
        file.sudo().with_context(credit_file_verifying=True).write({
            "basic_update_date": fields.Datetime.now() - timedelta(days=90)})
        self.assertTrue(file.stale)
        report.action_done()
        self.assertFalse(file.stale)
        self.assertEqual(file.last_update_date, report.date)

    def test_report_is_filed_on_the_company_not_the_contact(self):
        with self.assertRaisesRegex(UserError, "customer company"):
            self.env["credit.visit.report"].with_user(self.salesman).create({"partner_id": self.contact.id})

    def test_cancel_and_reset(self):
        report = self._report()
        report.action_cancel()
        self.assertEqual(report.state, "cancel")
        report.action_draft()
        self.assertEqual(report.state, "draft")

    def test_salesperson_sees_reports_in_views(self):
        self._report()
        Reports = self.env["credit.visit.report"].with_user(self.salesman)
        for view_type in ("list", "form", "calendar", "pivot", "graph", "search"):
            Reports.get_views([(False, view_type)])
        groups = Reports._read_group([], ["user_id", "date:month"], ["__count"])
        self.assertEqual(groups[0][0], self.salesman)

    def test_views_of_the_file_load_for_every_user(self):
        other = new_test_user(self.env, login="plain_credit_user", name="Credit User Only",
                              groups="customer_credit_archive.group_credit_user")
        for user in (self.salesman, self.credit_manager, other):
            Files = self.env["credit.customer.file"].with_user(user)
            for view_type in ("list", "form", "pivot", "graph", "search"):
                Files.get_views([(False, view_type)])
            self.env["res.partner"].with_user(user).get_views([(False, "form")])
