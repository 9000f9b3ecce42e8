from datetime import timedelta

from freezegun import freeze_time
from odoo_test_helper import FakeModelLoader

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCommon

RULE_WHO = ("user", "department_manager", "marketing_director", "manager")


@tagged("post_install", "-at_install", "security")
class TestCreditConfidentiality(CreditCommon):
    """Company, department and personal files (variant 10, 第三章 保密规定), the mixin's record
    rules, and the access requests (查阅档案审批表)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .models_fake import CreditConfidentialFake

        cls.loader.update_registry((CreditConfidentialFake,))
        cls.env["ir.model.access"].create({
            "name": "fake user", "model_id": cls.env["ir.model"]._get_id("credit.confidential.fake"),
            "group_id": cls.env.ref("customer_credit_archive.group_credit_user").id,
            "perm_read": True, "perm_write": True, "perm_create": True, "perm_unlink": True,
        })
        company_ids = [Command.set(cls.company.ids)]

        def user(login, groups):
            return new_test_user(cls.env, login=login, name=login.replace("_", " ").title(),
                                 groups=groups, company_id=cls.company.id, company_ids=company_ids)

        salesman_groups = "base.group_partner_manager,sales_team.group_sale_salesman"
        cls.other_salesman = user("conf_other_salesman", salesman_groups)
        cls.dept_manager = user(
            "conf_dept_manager", salesman_groups + ",customer_credit_archive.group_credit_department_manager")
        cls.marketing_director = user(
            "conf_marketing_director",
            salesman_groups + ",customer_credit_archive.group_credit_marketing_director")
        cls.deputy_gm = user(
            "conf_deputy_gm", "base.group_user,customer_credit_archive.group_credit_deputy_general_manager")
        cls.general_manager = user(
            "conf_general_manager", "base.group_user,customer_credit_archive.group_credit_general_manager")
        cls.company.credit_marketing_director_id = cls.marketing_director
        cls.team = cls.env["crm.team"].create({
            "name": "North Sales", "user_id": cls.dept_manager.id, "company_id": cls.company.id,
        })
        Partner = cls.env["res.partner"]
        cls.personal_customer = Partner.create({
            "name": "Personal Customer", "is_company": True, "user_id": cls.salesman.id,
            "credit_team_id": cls.team.id,
        })
        cls.department_customer = Partner.create({
            "name": "Department Customer", "is_company": True, "user_id": False, "credit_team_id": cls.team.id,
        })
        cls.company_customer = Partner.create({
            "name": "Company Customer", "is_company": True, "user_id": False, "credit_team_id": False,
        })
        File = cls.env["credit.customer.file"]
        cls.personal_file = File._file_for(cls.personal_customer)
        cls.department_file = File._file_for(cls.department_customer)
        cls.company_file = File._file_for(cls.company_customer)
        for file in cls.personal_file | cls.department_file | cls.company_file:
            file.write({"payment_habits": "Pays at month end",
                        "key_person_ids": [Command.create({"name": "Boss", "role": "owner"})]})

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def assertReads(self, user, file, msg=None):
        file.invalidate_recordset()
        self.assertEqual(file.with_user(user).payment_habits, "Pays at month end", msg)
        self.assertTrue(file.key_person_ids.with_user(user).mapped("name"), msg)

    def assertCannotRead(self, user, file, msg=None):
        file.invalidate_recordset()
        file.key_person_ids.invalidate_recordset()
        with self.assertRaises(AccessError, msg=msg):
            file.with_user(user).payment_habits  # noqa: B018
        with self.assertRaises(AccessError, msg=msg):
            file.key_person_ids.with_user(user).mapped("name")
        self.assertFalse(self.env["credit.customer.file"].with_user(user).search(
            [("id", "=", file.id)]), msg)

    def _request(self, user, file, days=3, start=None, **vals):
        start = start or fields.Date.context_today(self.env.user)
        return self.env["credit.file.access.request"].with_user(user).create({
            "partner_id": file.partner_id.id,
            "purpose": "Prepare the visit of the customer",
            "date_from": start,
            "date_to": start + timedelta(days=days - 1),
            **vals,
        })

    # ------------------------------------------------------------------
    # tiers
    # ------------------------------------------------------------------
    def test_tier_follows_the_customer(self):
        self.assertEqual(
            (self.personal_file.confidential_tier, self.personal_file.confidential_owner_id,
             self.personal_file.confidential_team_id),
            ("personal", self.salesman, self.team))
        self.assertEqual(
            (self.department_file.confidential_tier, self.department_file.confidential_owner_id),
            ("department", self.dept_manager))
        self.assertEqual(
            (self.company_file.confidential_tier, self.company_file.confidential_owner_id),
            ("company", self.marketing_director))
        # a salesperson for the company customer: the file becomes his personal file
        self.company_customer.user_id = self.other_salesman
        self.assertEqual(self.company_file.confidential_tier, "personal")
        self.assertEqual(self.company_file.confidential_owner_id, self.other_salesman)
        self.assertReads(self.other_salesman, self.company_file)

    def test_only_credit_managers_set_the_tier(self):
        with self.assertRaises(AccessError):
            self.personal_file.with_user(self.salesman).confidential_tier = "company"
        # a form that sends the defaults again is fine
        self.personal_file.with_user(self.salesman).write(
            {"confidential_tier": "personal", "legal_representative": "Li"})
        self.personal_file.with_user(self.credit_manager).write(
            {"confidential_tier": "company", "confidential_owner_id": self.marketing_director.id})
        self.assertTrue(self.personal_file.confidential_manual)
        self.assertCannotRead(self.salesman, self.personal_file)
        # set by hand: a change of salesperson no longer moves it
        self.personal_customer.user_id = self.other_salesman
        self.assertEqual(self.personal_file.confidential_tier, "company")
        self.personal_file.with_user(self.credit_manager).action_reset_confidentiality()
        self.assertEqual(self.personal_file.confidential_owner_id, self.other_salesman)
        self.assertFalse(self.personal_file.confidential_manual)
        messages = self.personal_file.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("confidential_tier", messages)

    def test_personal_file(self):
        file = self.personal_file
        for user in (self.salesman, self.dept_manager, self.marketing_director, self.deputy_gm,
                     self.general_manager, self.credit_manager):
            self.assertReads(user, file, user.login)
        self.assertCannotRead(self.other_salesman, file)
        # the visit reports of the customer are as confidential as the file
        report = self.env["credit.visit.report"].with_user(self.salesman).create(
            {"partner_id": self.personal_customer.id})
        self.assertEqual(report.confidential_file_id, file)
        with self.assertRaises(AccessError):
            report.with_user(self.other_salesman).read(["findings"])
        with self.assertRaises(AccessError):
            self.env["credit.visit.report"].with_user(self.other_salesman).create(
                {"partner_id": self.personal_customer.id})

    def test_department_file(self):
        for user in (self.dept_manager, self.marketing_director, self.deputy_gm, self.credit_manager):
            self.assertReads(user, self.department_file, user.login)
        for user in (self.salesman, self.other_salesman):
            self.assertCannotRead(user, self.department_file, user.login)

    def test_company_file(self):
        for user in (self.marketing_director, self.deputy_gm, self.general_manager, self.credit_manager):
            self.assertReads(user, self.company_file, user.login)
        for user in (self.salesman, self.other_salesman, self.dept_manager):
            self.assertCannotRead(user, self.company_file, user.login)

    def test_partner_form_shows_only_readable_files(self):
        mine = self.personal_customer.with_user(self.salesman)
        self.assertEqual(mine.credit_file_id, self.personal_file)
        self.assertEqual(mine.credit_file_payment_habits, "Pays at month end")
        theirs = self.company_customer.with_user(self.salesman)
        self.assertFalse(theirs.credit_file_id)
        self.assertFalse(theirs.credit_file_payment_habits)
        self.assertFalse(theirs.sudo().credit_file_payment_habits, "sudo reads as the user")
        # basic contact data stays readable and editable; the file is not written blindly
        theirs.write({"phone": "021 1234"})
        with self.assertRaisesRegex(AccessError, "confidential"):
            theirs.write({"credit_file_outlook": "Good"})
        self.assertEqual(self.env["credit.customer.file"].search_count(
            [("partner_id", "=", self.company_customer.id)]), 1)
        self.assertFalse(self.company_file.outlook)

    # ------------------------------------------------------------------
    # the mixin, on a fake model
    # ------------------------------------------------------------------
    def _rules(self, model):
        rules = self.env["ir.rule"].search([("model_id.model", "=", model), ("name", "like", "confidential")])
        return {(rule.groups, rule.domain_force, rule.perm_read) for rule in rules}

    def test_mixin_rules_are_the_same_on_every_model(self):
        fake_rules = self._rules("credit.confidential.fake")
        self.assertEqual(len(fake_rules), len(RULE_WHO))
        for model in ("credit.customer.file", "credit.key.person", "credit.sales.result",
                      "credit.collection.record", "credit.visit.report"):
            self.assertEqual(self._rules(model), fake_rules, model)
        for who in RULE_WHO:
            self.assertTrue(self.env.ref(
                f"customer_credit_archive.credit_confidential_fake_rule_confidential_{who}"))
        self.assertIn("credit.confidential.fake", self.env["credit.confidential.mixin"]._confidential_models())
        # idempotent
        self.env["credit.confidential.fake"]._confidential_sync_rules()
        self.assertEqual(self._rules("credit.confidential.fake"), fake_rules)
        # a rule the model no longer declares (rules of groups only widen) is removed
        stale = self.env["ir.rule"].create({
            "name": "stale", "model_id": self.env["ir.model"]._get_id("credit.confidential.fake"),
            "groups": [Command.set(self.env.ref("customer_credit_archive.group_credit_user").ids)],
            "domain_force": "[(1, '=', 1)]",
        })
        self.env["ir.model.data"]._update_xmlids([{
            "xml_id": "customer_credit_archive.credit_confidential_fake_rule_confidential_stale",
            "record": stale, "noupdate": True}])
        self.env["credit.confidential.fake"]._confidential_sync_rules()
        self.assertFalse(stale.exists())
        self.assertFalse(self.env.ref(
            "customer_credit_archive.credit_confidential_fake_rule_confidential_stale",
            raise_if_not_found=False))
        self.assertEqual(self._rules("credit.confidential.fake"), fake_rules)

    def test_mixin_on_a_fake_model(self):
        Fake = self.env["credit.confidential.fake"]
        personal = Fake.create({"name": "P", "partner_id": self.personal_customer.id})
        company = Fake.create({"name": "C", "partner_id": self.company_customer.id})
        unfiled = Fake.create({"name": "U"})
        self.assertEqual(personal.confidential_file_id, self.personal_file)
        self.assertEqual(company.confidential_file_id, self.company_file)
        self.assertFalse(unfiled.confidential_file_id)
        records = personal | company | unfiled
        self.assertEqual(Fake.with_user(self.salesman).search([("id", "in", records.ids)]), personal | unfiled)
        self.assertEqual(Fake.with_user(self.marketing_director).search([("id", "in", records.ids)]), records)
        self.assertEqual(records._confidential_readable(self.other_salesman), unfiled)
        with self.assertRaises(AccessError):
            company.with_user(self.salesman).name  # noqa: B018
        # an approved request opens the fake record of the file too
        request = self._request(self.salesman, self.company_file)
        request.action_submit()
        request.with_user(self.marketing_director).action_approve()
        request.with_user(self.deputy_gm).action_approve()
        self.assertEqual(company.with_user(self.salesman).name, "C")

    # ------------------------------------------------------------------
    # access requests
    # ------------------------------------------------------------------
    def test_personal_file_request_approved_then_expired(self):
        today = fields.Date.context_today(self.env.user)
        request = self._request(self.other_salesman, self.personal_file, days=3)
        self.assertEqual(request.file_id, self.personal_file)
        self.assertEqual(request.requester_id, self.other_salesman)
        request.with_user(self.other_salesman).action_submit()
        self.assertEqual(request.approver_user_ids, self.dept_manager | self.salesman)
        with self.assertRaises(AccessError):
            request.with_user(self.other_salesman).action_approve()
        self.assertCannotRead(self.other_salesman, self.personal_file)
        # the approver sees the request he decides, an outsider does not
        self.assertTrue(request.with_user(self.dept_manager).can_approve)
        with self.assertRaises(AccessError):
            request.with_user(self.marketing_director).read(["purpose"])
        request.with_user(self.dept_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertIn(self.other_salesman, self.personal_file.access_grant_user_ids)
        self.assertReads(self.other_salesman, self.personal_file)
        self.assertCannotRead(self.other_salesman, self.company_file)
        self.assertTrue(request.with_user(self.dept_manager).read(["state"]), "decided by him")
        with freeze_time(today + timedelta(days=2)):
            self.env["credit.file.access.request"]._cron_expire_access_requests()
            self.assertEqual(request.state, "approved")
            self.assertReads(self.other_salesman, self.personal_file)
        with freeze_time(today + timedelta(days=3)):
            self.env["credit.file.access.request"]._cron_expire_access_requests()
            self.assertEqual(request.state, "expired")
            self.assertFalse(self.personal_file.access_grant_user_ids)
            self.assertCannotRead(self.other_salesman, self.personal_file)
        self.assertTrue(request.message_ids.filtered(lambda m: "ended" in (m.body or "")))

    def test_department_file_request(self):
        request = self._request(self.salesman, self.department_file)
        request.action_submit()
        self.assertEqual(request.approver_user_ids, self.dept_manager)
        with self.assertRaises(AccessError):
            request.with_user(self.marketing_director).action_approve()
        request.with_user(self.dept_manager).action_approve()
        self.assertReads(self.salesman, self.department_file)

    def test_company_file_needs_two_levels(self):
        request = self._request(self.dept_manager, self.company_file)
        request.with_user(self.dept_manager).action_submit()
        self.assertTrue(request.two_levels)
        self.assertEqual(request.approver_user_ids, self.marketing_director)
        with self.assertRaises(AccessError):
            request.with_user(self.deputy_gm).action_approve()
        request.with_user(self.marketing_director).action_approve()
        self.assertEqual(request.state, "first_approved")
        self.assertCannotRead(self.dept_manager, self.company_file)
        # every deputy general manager and general manager (the demo data makes admin one too)
        deputies = self.env.ref("customer_credit_archive.group_credit_deputy_general_manager").users
        self.assertEqual(request.approver_user_ids, deputies - self.marketing_director)
        self.assertLessEqual(self.deputy_gm | self.general_manager, request.approver_user_ids)
        with self.assertRaises(AccessError):
            request.with_user(self.marketing_director).action_approve()
        request.with_user(self.general_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.first_approved_by_id, self.marketing_director)
        self.assertEqual(request.approved_by_id, self.general_manager)
        self.assertReads(self.dept_manager, self.company_file)

    def test_credit_manager_approves_when_nobody_else_can(self):
        self.company.credit_marketing_director_id = False
        self.company_file.with_user(self.credit_manager).confidential_owner_id = False
        request = self._request(self.salesman, self.company_file)
        request.action_submit()
        # no marketing director set anywhere: the members of the group decide
        self.assertIn(self.marketing_director, request.approver_user_ids)
        request.with_user(self.credit_manager).action_approve()
        self.assertEqual(request.state, "first_approved")
        request.with_user(self.deputy_gm).action_approve()
        self.assertReads(self.salesman, self.company_file)

    def test_refusal_is_logged(self):
        request = self._request(self.salesman, self.department_file)
        request.action_submit()
        wizard = Form(self.env["credit.file.access.refuse.wizard"].with_user(self.dept_manager).with_context(
            active_ids=request.ids))
        wizard.reason = "Not your customer"
        wizard.save().action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.refused_by_id, self.dept_manager)
        self.assertIn("Not your customer", request.message_ids[0].body)
        self.assertCannotRead(self.salesman, self.department_file)
        with self.assertRaises(UserError):
            request.with_user(self.dept_manager).action_refuse("")

    def test_future_period_opens_when_it_starts(self):
        today = fields.Date.context_today(self.env.user)
        request = self._request(self.salesman, self.department_file, start=today + timedelta(days=2))
        request.action_submit()
        request.with_user(self.dept_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.active_grant)
        self.assertCannotRead(self.salesman, self.department_file)
        with freeze_time(today + timedelta(days=2)):
            self.env["credit.file.access.request"]._cron_expire_access_requests()
            self.assertReads(self.salesman, self.department_file)

    def test_request_period_and_visibility(self):
        with self.assertRaises(ValidationError):
            self._request(self.salesman, self.department_file, days=8)
        self.company.credit_access_max_days = 10
        request = self._request(self.salesman, self.department_file, days=8)
        self.assertFalse(request.with_user(self.other_salesman).search([("id", "=", request.id)]))
        self.assertTrue(request.with_user(self.credit_manager).search([("id", "=", request.id)]))
        request.action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.salesman).purpose = "Something else"
        request.with_user(self.salesman).action_cancel()
        self.assertEqual(request.state, "cancelled")

    # ------------------------------------------------------------------
    # existing flows keep working for those who do them
    # ------------------------------------------------------------------
    def test_salesman_confirms_an_order_of_a_file_he_cannot_read(self):
        self.company_customer.write({"credit_grade_id": self.grade_a.id, "credit_limit": 100000.0})
        order = self._order(self.company_customer, 1000.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertCannotRead(self.salesman, self.company_file)

    def test_stale_file_cron_and_customer_list(self):
        old = fields.Datetime.now() - timedelta(days=self.company.credit_file_stale_days + 5)
        self.company_file.sudo().with_context(credit_file_verifying=True).write(
            {f"{part}_update_date": old for part in ("basic", "character", "business", "trading")})
        # as the scheduled action runs: superuser, every company
        self.env.ref("customer_credit_archive.ir_cron_credit_stale_files").sudo().method_direct_trigger()
        self.assertTrue(self.company_file.violation_ids)
        export = self.env["credit.customer.list.export"].with_user(self.salesman).create({})
        files = export._get_files()
        self.assertIn(self.personal_file, files)
        self.assertNotIn(self.company_file, files)
        self.assertNotIn(self.department_file, files)
        self.assertIn(self.company_file, self.env["credit.customer.list.export"].with_user(
            self.marketing_director).create({})._get_files())
