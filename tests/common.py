from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditCommon(AccountTestInvoicingCommon):
    """Two users as in real life, the shipped grades, helpers for orders and invoices."""

    @classmethod
    def default_env_context(cls):
        # keep the chatter tracking on: the credit profile is tracked
        return {"no_reset_password": True, "mail_create_nosubscribe": True}

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.env.ref(
            "customer_credit_archive.group_credit_manager"
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.grade_a = cls.env.ref("customer_credit_archive.credit_grade_a")
        cls.grade_b = cls.env.ref("customer_credit_archive.credit_grade_b")
        cls.grade_c = cls.env.ref("customer_credit_archive.credit_grade_c")
        cls.grade_d = cls.env.ref("customer_credit_archive.credit_grade_d")
        # a salesperson with no accounting right at all
        cls.salesman = new_test_user(
            cls.env, login="credit_salesman", name="Sales User",
            groups="base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.credit_manager = new_test_user(
            cls.env, login="credit_manager", name="Credit Manager",
            groups="base.group_partner_manager,sales_team.group_sale_salesman_all_leads,"
            "customer_credit_archive.group_credit_manager",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.company.credit_responsible_id = cls.credit_manager
        cls.product = cls._create_product(
            name="Credit product", lst_price=1000.0, taxes_id=[Command.clear()],
        )
        cls.today = fields.Date.context_today(cls.env.user)

    @classmethod
    def _graded_customer(cls, name, grade, limit=None, **vals):
        values = {"name": name, "is_company": True, "credit_grade_id": grade.id, **vals}
        if limit is not None:
            values["credit_limit"] = limit
        partner = cls.env["res.partner"].with_user(cls.credit_manager).create(values)
        return partner.with_env(cls.env)

    def assertRefused(self, exception, regex=""):
        """assertRaisesRegex that rolls back what the refused call wrote, as a request does."""
        return _RefusedContext(self, exception, regex)

    def _last_history(self, partner):
        return self.env["credit.grade.history"].search([("partner_id", "=", partner.id)], limit=1)

    @classmethod
    def _order(cls, partner, amount, user=None, **vals):
        """A quotation of ``amount`` (no tax) made by ``user`` (the salesperson)."""
        user = user or cls.salesman
        return cls.env["sale.order"].with_user(user).create({
            "partner_id": partner.id,
            "order_line": [Command.create({
                "product_id": cls.product.id,
                "product_uom_qty": 1,
                "price_unit": amount,
                "discount": 0,
            })],
            **vals,
        })

    @classmethod
    def _invoice(cls, partner, amount, due_days_ago=0, post=True, currency=None, company=None):
        """A customer invoice of ``amount`` whose due date is ``due_days_ago`` days in the past."""
        company = company or cls.company
        date = cls.today - timedelta(days=due_days_ago)
        move = cls.env["account.move"].with_company(company).create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": date,
            "invoice_date_due": date,
            "invoice_payment_term_id": False,
            "currency_id": (currency or company.currency_id).id,
            "invoice_line_ids": [Command.create({
                "name": "Goods",
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
            })],
        })
        if post:
            move.action_post()
        return move


class _RefusedContext:
    def __init__(self, case, exception, regex):
        self.raises = case.assertRaisesRegex(exception, regex)
        self.savepoint = case.env.cr.savepoint()

    def __enter__(self):
        self.raises.__enter__()
        self.savepoint.__enter__()
        return self.raises

    def __exit__(self, *exc_info):
        self.savepoint.__exit__(*exc_info)
        return self.raises.__exit__(*exc_info)


class CreditArchiveCommon(CreditCommon):
    """The archive room's people: an archivist, a borrower (a plain employee) and the borrower's
    manager (through their hr employees), a department, and a contract archive helper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]
        cls.archivist = new_test_user(
            cls.env, login="credit_archivist", name="Archivist",
            groups="base.group_user,customer_credit_archive.group_credit_archivist",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.borrower = new_test_user(
            cls.env, login="credit_borrower", name="Borrower", groups="base.group_user",
            company_id=cls.company.id, company_ids=company_ids,
        )
        cls.borrower_manager = new_test_user(
            cls.env, login="credit_borrower_manager", name="Borrower's Manager", groups="base.group_user",
            company_id=cls.company.id, company_ids=company_ids,
        )
        Employee = cls.env["hr.employee"]
        cls.borrower_manager_employee = Employee.create({
            "name": "Borrower's Manager", "user_id": cls.borrower_manager.id, "company_id": cls.company.id,
        })
        cls.department = cls.env["hr.department"].create({
            "name": "Sales Department", "credit_contract_prefix": "XS", "company_id": cls.company.id,
            "manager_id": cls.borrower_manager_employee.id,
        })
        cls.borrower_employee = Employee.create({
            "name": "Borrower", "user_id": cls.borrower.id, "company_id": cls.company.id,
            "parent_id": cls.borrower_manager_employee.id, "department_id": cls.department.id,
        })
        cls.salesman_employee = Employee.create({
            "name": "Sales User", "user_id": cls.salesman.id, "company_id": cls.company.id,
            "parent_id": cls.borrower_manager_employee.id, "department_id": cls.department.id,
        })
        cls.contract_type = cls.env.ref("customer_credit_archive.contract_type_sales")

    @classmethod
    def _contract_archive(cls, partner, user=None, **vals):
        """A contract archive of ``partner`` created by ``user`` (its handler, the salesman by default)."""
        user = user or cls.salesman
        return cls.env["credit.contract.archive"].with_user(user).create({
            "partner_id": partner.id,
            "department_id": cls.department.id,
            "contract_type_id": cls.contract_type.id,
            "subject": "Supply contract",
            "amount": 10000.0,
            "date_signed": cls.today,
            **vals,
        }).with_env(cls.env)

    @classmethod
    def _receive_all(cls, archive, user=None, required_only=True):
        """Mark the (required) documents of ``archive`` received today, as ``user`` would."""
        documents = archive.document_ids.filtered("required") if required_only else archive.document_ids
        documents.with_user(user or cls.salesman).write({"date_received": cls.today})
        return archive
