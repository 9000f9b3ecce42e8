from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditArchiveCommon

MODULE = "customer_credit_archive"

# model -> factory(cls, env of company B, records made so far): one record of company B; in the
# order of creation (a line after its parent)
FACTORIES = {
    "credit.grade": lambda cls, env, rec: env["credit.grade"].create({
        "name": "Grade of B", "code": "MCB", "company_id": env.company.id}),
    "credit.customer.file": lambda cls, env, rec: env["credit.customer.file"]._file_for(
        cls.customer, env.company),
    "credit.key.person": lambda cls, env, rec: env["credit.key.person"].create({
        "file_id": rec["credit.customer.file"].id, "name": "Boss of B"}),
    "credit.sales.result": lambda cls, env, rec: env["credit.sales.result"].create({
        "file_id": rec["credit.customer.file"].id, "year": 2020, "amount": 1000.0}),
    "credit.collection.record": lambda cls, env, rec: env["credit.collection.record"].create({
        "file_id": rec["credit.customer.file"].id, "amount_claimed": 100.0}),
    "credit.file.violation": lambda cls, env, rec: env["credit.file.violation"].create({
        "file_id": rec["credit.customer.file"].id, "kind": "missed_update"}),
    "credit.grade.history": lambda cls, env, rec: env["credit.grade.history"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "change": "Grade"}),
    "credit.visit.route": lambda cls, env, rec: env["credit.visit.route"].create({
        "name": "Route of B", "company_id": env.company.id}),
    "credit.visit.report": lambda cls, env, rec: env["credit.visit.report"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id}),
    "credit.release": lambda cls, env, rec: env["credit.release"].create({
        "order_id": rec["sale.order"].id, "partner_id": cls.customer.id, "company_id": env.company.id,
        "user_id": cls.user_b.id, "reason": "Trusted customer"}),
    "credit.sanction": lambda cls, env, rec: env["credit.sanction"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "kind": "stop_supply",
        "reason": "Unpaid invoices"}),
    "credit.own.failure": lambda cls, env, rec: env["credit.own.failure"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "kind": "quality",
        "description": "Late delivery"}),
    "credit.application": lambda cls, env, rec: env["credit.application"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id}),
    "credit.application.agency.report": lambda cls, env, rec: env["credit.application.agency.report"].create({
        "application_id": rec["credit.application"].id, "agency_id": cls.agency.id}),
    "credit.care.record": lambda cls, env, rec: env["credit.care.record"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id}),
    "credit.complaint": lambda cls, env, rec: env["credit.complaint"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "description": "Broken goods"}),
    "credit.contract.type": lambda cls, env, rec: env["credit.contract.type"].create({
        "name": "Type of B", "company_id": env.company.id}),
    "credit.contract.type.document": lambda cls, env, rec: env["credit.contract.type.document"].create({
        "contract_type_id": rec["credit.contract.type"].id,
        "document_type_id": env.ref(f"{MODULE}.contract_document_type_negotiation").id}),
    "credit.contract.archive": lambda cls, env, rec: env["credit.contract.archive"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "department_id": cls.department_b.id,
        "contract_type_id": rec["credit.contract.type"].id, "subject": "Supply", "amount": 500.0,
        "date_signed": cls.today}),
    "credit.contract.document": lambda cls, env, rec: rec["credit.contract.archive"].document_ids[:1],
    "credit.file.destruction": lambda cls, env, rec: env["credit.file.destruction"].create({
        "company_id": env.company.id, "reason": "Retention period over"}),
    "credit.file.destruction.line": lambda cls, env, rec: env["credit.file.destruction.line"].create({
        "destruction_id": rec["credit.file.destruction"].id, "archive_id": rec["credit.contract.archive"].id}),
    "credit.archive.inspection": lambda cls, env, rec: env["credit.archive.inspection"].create({
        "company_id": env.company.id}),
    "credit.file.loan": lambda cls, env, rec: env["credit.file.loan"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "borrower_id": cls.user_b.id,
        "contract_archive_id": rec["credit.contract.archive"].id, "purpose": "Audit"}),
    "credit.file.access.request": lambda cls, env, rec: env["credit.file.access.request"].create({
        "partner_id": cls.customer.id, "company_id": env.company.id, "requester_id": cls.user_b.id,
        "purpose": "Joint visit"}),
    "credit.file.access.log": lambda cls, env, rec: env["credit.file.access.log"].create({
        "date": fields.Datetime.now(), "res_model": "credit.customer.file", "part": "file", "channel": "form",
        "company_id": env.company.id, "file_id": rec["credit.customer.file"].id, "user_id": cls.user_b.id}),
    "credit.review.campaign": lambda cls, env, rec: env["credit.review.campaign"].create({
        "company_id": env.company.id}),
    "credit.review": lambda cls, env, rec: env["credit.review"].create({
        "campaign_id": rec["credit.review.campaign"].id, "company_id": env.company.id,
        "currency_id": env.company.currency_id.id, "year": cls.today.year, "date": cls.today,
        "date_from": cls.today, "partner_id": cls.customer.id, "suggested_grade_id": rec["credit.grade"].id}),
    "credit.review.payment.line": lambda cls, env, rec: env["credit.review.payment.line"].create({
        "review_id": rec["credit.review"].id, "company_id": env.company.id,
        "currency_id": env.company.currency_id.id, "invoice_name": "INV/B/1"}),
    "credit.review.rule": lambda cls, env, rec: env["credit.review.rule"].create({
        "name": "Rule of B", "company_id": env.company.id}),
    "credit.satisfaction.survey": lambda cls, env, rec: env["credit.satisfaction.survey"].create({
        "company_id": env.company.id}),
    "credit.satisfaction.response": lambda cls, env, rec: env["credit.satisfaction.response"].create({
        "campaign_id": rec["credit.satisfaction.survey"].id, "partner_id": cls.customer.id}),
    "credit.corrective.action": lambda cls, env, rec: env["credit.corrective.action"].create({
        "name": "Fix the packaging", "company_id": env.company.id}),
    "credit.contract.statistics": lambda cls, env, rec: env["credit.contract.statistics"].create({
        "company_id": env.company.id}),
    "credit.contract.statistics.line": lambda cls, env, rec: env["credit.contract.statistics.line"].create({
        "statistics_id": rec["credit.contract.statistics"].id}),
}


@tagged("post_install", "-at_install", "security")
class TestCreditMultiCompany(CreditArchiveCommon):
    """Every model of the addon that holds company data: a record of company B is out of reach of
    a user of company A (a global record rule), and a record of company B cannot be linked to a
    record of company A (check_company)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Credit Multi-Company B")["company"]
        groups = (f"base.group_user,base.group_partner_manager,{MODULE}.group_credit_manager,"
                  f"{MODULE}.group_credit_archivist")
        cls.user_a = new_test_user(
            cls.env, login="mc_manager_a", name="Manager A", groups=groups,
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.user_b = new_test_user(
            cls.env, login="mc_manager_b", name="Manager B", groups=groups,
            company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])
        Partner = cls.env["res.partner"]
        # a customer of both companies (no company), as customers usually are
        cls.customer = Partner.create({"name": "Customer of A and B", "is_company": True})
        cls.agency = Partner.create({"name": "Credit Agency", "is_company": True})
        cls.partner_b = Partner.create({"name": "Contact of B only", "company_id": cls.company_b.id})
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids), su=True)
        cls.department_b = env_b["hr.department"].create({
            "name": "Sales B", "credit_contract_prefix": "XB", "company_id": cls.company_b.id})
        records = {"sale.order": env_b["sale.order"].create({
            "partner_id": cls.customer.id, "company_id": cls.company_b.id})}
        for model, factory in FACTORIES.items():
            records[model] = factory(cls, env_b, records)
        cls.records_b = records

    def test_every_company_model_has_a_factory_and_a_global_rule(self):
        """The list above is complete, and each model has a rule of company for everyone."""
        names = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.model")])
        company_models = set()
        for name in self.env["ir.model"].browse(names.mapped("res_id")).mapped("model"):
            Model = self.env[name]
            if (Model._abstract or Model._transient or not Model._auto or not name.startswith("credit.")
                    or "company_id" not in Model._fields or not Model._fields["company_id"].store):
                continue
            company_models.add(name)
        self.assertEqual(company_models, set(FACTORIES))
        # the confidential models too: their generated rules are rules of groups (OR-ed), they
        # do not restrict the company
        confidential = set(self.env["credit.confidential.mixin"]._confidential_models())
        self.assertLessEqual(confidential, company_models)
        Rule = self.env["ir.rule"].with_context(active_test=False)
        for name in sorted(company_models | {
                "credit.limit.usage.report", "credit.ageing.report", "credit.order.block.report",
                "credit.grade.migration.report", "credit.dashboard", "credit.satisfaction.report",
                "credit.sales.composition.report", "credit.product.composition.report",
                "credit.regional.composition.report"}):
            rules = Rule.search([("model_id.model", "=", name), ("global", "=", True), ("active", "=", True)])
            self.assertTrue(rules.filtered(lambda r: "company_ids" in r.domain_force),
                            f"{name} has no global multi-company rule")

    def test_records_of_company_b_hidden_from_company_a(self):
        for model in FACTORIES:
            with self.subTest(model=model):
                record = self.records_b[model]
                self.assertEqual(len(record), 1, model)
                self.assertEqual(record.company_id, self.company_b)
                domain = [("id", "=", record.id)]
                self.assertEqual(self.env[model].with_user(self.user_b).search(domain), record)
                self.assertFalse(self.env[model].with_user(self.user_a).search(domain))
                record.invalidate_recordset()
                with self.assertRaises(AccessError):
                    record.with_user(self.user_a).read(["display_name"])

    def test_user_of_both_companies_sees_company_b_only_when_selected(self):
        self.user_a.company_ids = [Command.link(self.company_b.id)]
        file_b = self.records_b["credit.customer.file"]
        File = self.env["credit.customer.file"].with_user(self.user_a)
        self.assertFalse(File.with_context(allowed_company_ids=self.company.ids).search([("id", "=", file_b.id)]))
        self.assertEqual(File.with_context(allowed_company_ids=(self.company | self.company_b).ids).search(
            [("id", "=", file_b.id)]), file_b)

    def test_link_record_of_company_b_refused(self):
        rec = self.records_b
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=(self.company | self.company_b).ids),
                         su=True)
        file_a = env_a["credit.customer.file"]._file_for(self.customer, self.company)
        archive_a = self._contract_archive(self.customer)
        company_a = self.company.id
        destruction_a = env_a["credit.file.destruction"].create({"company_id": company_a, "reason": "Old"})
        # model, field linking the record of company B, values of a record of company A
        cases = [
            ("credit.file.violation", "file_id", {
                "file_id": rec["credit.customer.file"].id, "kind": "missed_update", "company_id": company_a}),
            ("credit.key.person", "contact_id", {
                "file_id": file_a.id, "name": "Contact", "contact_id": self.partner_b.id}),
            ("credit.satisfaction.survey", "grade_ids", {
                "company_id": company_a, "grade_ids": [Command.set(rec["credit.grade"].ids)]}),
            ("credit.contract.archive", "contract_type_id", {
                "partner_id": self.customer.id, "company_id": company_a, "subject": "Supply",
                "contract_type_id": rec["credit.contract.type"].id, "department_id": self.department.id}),
            ("credit.file.loan", "contract_archive_id", {
                "partner_id": self.customer.id, "company_id": company_a, "borrower_id": self.user_a.id,
                "purpose": "Audit", "contract_archive_id": rec["credit.contract.archive"].id}),
            ("credit.file.destruction.line", "archive_id", {
                "destruction_id": destruction_a.id, "archive_id": rec["credit.contract.archive"].id}),
            ("credit.application", "requested_grade_id", {
                "partner_id": self.customer.id, "company_id": company_a, "requested_grade_id": rec["credit.grade"].id}),
        ]
        for model, field, values in cases:
            with self.subTest(model=model), self.assertRefused(UserError, rf"(?s)Incompatible companies.*\({field}:"):
                env_a[model].create(values)
        # and the other way: a record of A moved to company B keeps its links of A
        with self.assertRefused(UserError, r"(?s)Incompatible companies.*\(department_id:"):
            archive_a.sudo().company_id = self.company_b
