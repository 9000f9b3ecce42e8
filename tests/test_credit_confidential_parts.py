from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditArchiveCommon


@tagged("post_install", "-at_install", "security")
class TestCreditConfidentialParts(CreditArchiveCommon):
    """The confidential parts of a customer's file beyond the file pages (issue 6, point 2): the
    credit profile on the customer, its history, releases and sanctions, the year-end reviews,
    the credit applications and the contract archives follow the tier of the customer's file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]
        cls.other_salesman = new_test_user(
            cls.env, login="parts_other_salesman", name="Other Salesman",
            groups="base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=company_ids)
        cls.marketing_director = new_test_user(
            cls.env, login="parts_director", name="Marketing Director",
            groups="base.group_user,customer_credit_archive.group_credit_marketing_director",
            company_id=cls.company.id, company_ids=company_ids)
        cls.company.credit_marketing_director_id = cls.marketing_director
        export = cls.env.ref("base.group_allow_export")
        (cls.salesman | cls.other_salesman).write({"groups_id": [Command.link(export.id)]})
        # the salesman's customer: a personal file of the salesman
        cls.customer = cls._graded_customer("Parts Customer", cls.grade_b, limit=50000.0,
                                            user_id=cls.salesman.id)
        cls.file = cls.env["credit.customer.file"]._file_for(cls.customer)
        cls.file.payment_habits = "Pays at month end"

    def _approved_request(self, user, days=2):
        today = fields.Date.context_today(self.env.user)
        request = self.env["credit.file.access.request"].with_user(user).create({
            "partner_id": self.customer.id, "purpose": "Prepare a joint visit",
            "date_from": today, "date_to": today + timedelta(days=days - 1),
        })
        request.action_submit()
        request.with_user(self.salesman).action_approve()
        self.assertEqual(request.state, "approved")
        return request

    def assertHidden(self, model, records, user):
        records.invalidate_recordset()
        self.assertFalse(self.env[model].with_user(user).search([("id", "in", records.ids)]),
                         f"{user.name} should not find the {model} records")
        with self.assertRaises(AccessError):
            records.with_user(user).read(["display_name", "create_date"])

    def assertVisible(self, model, records, user):
        records.invalidate_recordset()
        self.assertEqual(self.env[model].with_user(user).search([("id", "in", records.ids)]), records)
        records.with_user(user).read(["create_date"])

    # ------------------------------------------------------------------
    # the credit profile on the customer
    # ------------------------------------------------------------------
    def test_profile_hidden_to_who_cannot_read_the_file(self):
        values = self.customer.with_user(self.other_salesman).read(
            ["name", "credit_grade_id", "credit_limit", "credit_blacklisted", "credit_exposure"])[0]
        # basic contact data stays readable, the profile comes back empty
        self.assertEqual(values["name"], "Parts Customer")
        self.assertEqual((values["credit_grade_id"], values["credit_limit"]), (False, 0))
        self.assertTrue(self.customer.with_user(self.other_salesman).credit_profile_hidden)
        # the keeper of the file and the Credit Manager read it
        for user in (self.salesman, self.credit_manager):
            values = self.customer.with_user(user).read(["credit_grade_id", "credit_limit"])[0]
            self.assertEqual((values["credit_grade_id"][0], values["credit_limit"]),
                             (self.grade_b.id, 50000.0), user.name)
            self.assertFalse(self.customer.with_user(user).credit_profile_hidden)
        # the list (web_search_read) as well
        rows = self.env["res.partner"].with_user(self.other_salesman).web_search_read(
            [("id", "=", self.customer.id)], {"credit_grade_id": {"fields": {"display_name": {}}}})
        self.assertFalse(rows["records"][0]["credit_grade_id"])

    def test_profile_export_refused_and_served_reads_logged(self):
        Partner = self.env["res.partner"]
        with self.assertRaisesRegex(AccessError, "confidential"):
            self.customer.with_user(self.other_salesman).export_data(["name", "credit_grade_id/name"])
        # without profile columns, the export works
        rows = self.customer.with_user(self.other_salesman).export_data(["name"])["datas"]
        self.assertEqual(rows, [["Parts Customer"]])
        Log = self.env["credit.file.access.log"]
        before = Log.search_count([("part", "=", "profile")])
        self.customer.with_user(self.salesman).export_data(["name", "credit_grade_id/name"])
        Partner.with_user(self.salesman).browse(self.customer.id).web_read({"credit_limit": {}})
        logs = Log.search([("part", "=", "profile")], order="id")[before:]
        self.assertEqual(logs.mapped("channel"), ["export", "form"])
        self.assertEqual(logs.user_id, self.salesman)
        self.assertEqual(logs.file_id, self.file)
        self.assertEqual(set(logs.mapped("record_ids")), {str(self.customer.id)})
        # a hidden profile is not served, hence not logged
        self.customer.with_user(self.other_salesman).read(["credit_limit"])
        self.assertEqual(Log.search_count([("part", "=", "profile")]), before + 2)

    def test_profile_after_approval_and_request_access_button(self):
        action = self.customer.with_user(self.other_salesman).action_credit_request_access()
        self.assertEqual(action["res_model"], "credit.file.access.request")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self._approved_request(self.other_salesman)
        self.customer.invalidate_recordset()
        values = self.customer.with_user(self.other_salesman).read(["credit_grade_id"])[0]
        self.assertEqual(values["credit_grade_id"][0], self.grade_b.id)

    def test_the_order_check_still_explains_to_a_salesman_who_cannot_read(self):
        """Odoo's flows and the credit check read the profile on the server: a salesman who does not
        read the file still creates the quotation and is told why the order is refused."""
        self.customer.credit_limit = 500.0
        order = self._order(self.customer, 1000.0, user=self.other_salesman,
                            user_id=self.other_salesman.id)
        with self.assertRefused(Exception, "limit"):
            order.with_user(self.other_salesman).action_confirm()

    # ------------------------------------------------------------------
    # records of the customer
    # ------------------------------------------------------------------
    def test_history_reviews_applications_follow_the_tier(self):
        history = self.env["credit.grade.history"].search([("partner_id", "=", self.customer.id)])
        self.assertTrue(history)
        campaign = self.env["credit.review.campaign"].with_user(self.credit_manager).create(
            {"date": self.today})
        campaign._run()
        review = campaign.review_ids.filtered(lambda r: r.partner_id == self.customer)
        self.assertEqual(review.confidential_file_id, self.file)
        application = self.env["credit.application"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "requested_grade_id": self.grade_a.id,
            "investigator_id": self.salesman.id,
        })
        self.assertEqual(application.confidential_file_id, self.file)
        for model, records in (("credit.grade.history", history), ("credit.review", review),
                               ("credit.application", application)):
            self.assertVisible(model, records, self.salesman)
            self.assertVisible(model, records, self.credit_manager)
            self.assertVisible(model, records, self.marketing_director)
            self.assertHidden(model, records, self.other_salesman)
        # the applicant reads his application of another salesman's customer
        application.sudo().user_id = self.other_salesman
        self.assertVisible("credit.application", application, self.other_salesman)
        # an approved request opens every part of the file for its period, then it lapses
        request = self._approved_request(self.other_salesman)
        for model, records in (("credit.grade.history", history), ("credit.review", review)):
            self.assertVisible(model, records, self.other_salesman)
        request.with_user(self.other_salesman).action_cancel()
        self.assertHidden("credit.review", review, self.other_salesman)

    def test_contract_archives_follow_the_tier_the_handler_and_the_archivist(self):
        archive = self._contract_archive(self.customer, user=self.salesman)
        self.assertEqual(archive.confidential_file_id, self.file)
        documents = archive.document_ids
        self.assertTrue(documents)
        self.assertEqual(documents.confidential_file_id, self.file)
        for model, records in (("credit.contract.archive", archive),
                               ("credit.contract.document", documents)):
            self.assertVisible(model, records, self.salesman)
            self.assertVisible(model, records, self.archivist)
            self.assertHidden(model, records, self.other_salesman)
        # the handler reads the archives he handles, whoever keeps the file
        archive.sudo().handler_id = self.other_salesman
        self.assertVisible("credit.contract.archive", archive, self.other_salesman)
        self.assertVisible("credit.contract.document", documents, self.other_salesman)

    def test_records_filed_before_the_file_get_it(self):
        customer = self._graded_customer("Fileless Customer", self.grade_c, limit=1000.0)
        self.assertFalse(customer.credit_file_ids)
        history = self.env["credit.grade.history"].search([("partner_id", "=", customer.id)])
        self.assertTrue(history)
        self.assertFalse(history.confidential_file_id)
        # without a file, a record of the customer is readable by every Credit User
        self.assertVisible("credit.grade.history", history, self.other_salesman)
        file = self.env["credit.customer.file"]._file_for(customer)
        self.assertEqual(file.confidential_tier, "company")
        self.assertEqual(history.confidential_file_id, file)
        self.assertHidden("credit.grade.history", history, self.other_salesman)
        self.assertVisible("credit.grade.history", history, self.marketing_director)

    def test_every_approver_of_a_level_gets_the_activity(self):
        team = self.env["crm.team"].create({"name": "Parts Team", "user_id": self.marketing_director.id})
        self.customer.credit_team_id = team
        self.file.invalidate_recordset()
        self.assertEqual(self.file.confidential_team_id, team)
        today = fields.Date.context_today(self.env.user)
        request = self.env["credit.file.access.request"].with_user(self.other_salesman).create({
            "partner_id": self.customer.id, "purpose": "Audit", "date_from": today, "date_to": today,
        })
        request.action_submit()
        # personal file: the salesperson and his department manager decide, each is told
        self.assertEqual(request.activity_ids.user_id, self.salesman | self.marketing_director)
        request.with_user(self.marketing_director).action_approve()
        self.assertFalse(request.activity_ids)
        self.assertEqual(request.state, "approved")
