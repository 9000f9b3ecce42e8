from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditGrade(models.Model):
    """A customer credit grade (信用等级): A, B, C, D ship as data.

    A grade carries the credit limit, credit term and credit discount that a
    customer of that grade gets by default (policy variant 9, 二.1).
    A higher ``sequence`` means a worse grade: the daily downgrade moves a
    customer to the next grade by sequence.
    """

    _name = "credit.grade"
    _description = "Credit Grade"
    _inherit = ["mail.thread"]
    _order = "sequence, code, id"
    _check_company_auto = True

    code = fields.Char(required=True, tracking=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        help="Grades are ordered from the best (lowest sequence) to the worst. "
        "An automatic downgrade moves a customer to the next grade.",
    )
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the grade between all companies.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    credit_limit = fields.Monetary(
        string="Default Credit Limit",
        currency_field="currency_id",
        tracking=True,
        help="Credit limit given to a customer when it receives this grade. "
        "0 means no credit at all: every order must be settled up front or "
        "released by a Credit Manager.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Credit Term",
        check_company=True,
        tracking=True,
        help="Payment term given to a customer when it receives this grade.",
    )
    discount = fields.Float(
        string="Credit Discount (%)",
        digits="Discount",
        tracking=True,
        help="Discount applied by default on the sale order lines of the customers "
        "of this grade.",
    )
    overdue_tolerance_days = fields.Integer(
        string="Overdue Tolerance (days)",
        default=30,
        tracking=True,
        help="When a customer's oldest overdue receivable is older than this, the "
        "daily check moves the customer down one grade.",
    )
    immediate_settlement = fields.Boolean(
        tracking=True,
        help="Customers of this grade buy for cash or prepayment only (即时清结): assigning the "
        "grade sets the customer's immediate settlement flag.",
    )
    credit_standard = fields.Text(
        translate=True,
        help="Minimum requirements a customer must meet for this grade (信用标准).",
    )
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for grade in self:
            grade.currency_id = (grade.company_id or self.env.company).currency_id

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("credit_grade_id", "in", self.ids)],
                ["credit_grade_id"],
                ["__count"],
            )
        )
        for grade in self:
            grade.partner_count = counts.get(grade, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = (
                f"{grade.code} - {grade.name}" if grade.code and grade.name else grade.name or grade.code
            )

    @api.constrains("credit_limit", "discount", "overdue_tolerance_days")
    def _check_amounts(self):
        for grade in self:
            if grade.credit_limit < 0:
                raise ValidationError(
                    self.env._("The default credit limit of grade %(grade)s cannot be negative.",
                               grade=grade.code)
                )
            if not 0 <= grade.discount <= 100:
                raise ValidationError(
                    self.env._("The credit discount of grade %(grade)s must be between 0 and 100%%.",
                               grade=grade.code)
                )
            if grade.overdue_tolerance_days < 0:
                raise ValidationError(
                    self.env._("The overdue tolerance of grade %(grade)s cannot be negative.",
                               grade=grade.code)
                )

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for grade in self:
            domain = [("id", "!=", grade.id), ("code", "=ilike", grade.code)]
            if grade.company_id:
                # a company sees its own grades and the shared ones
                domain.append(("company_id", "in", [grade.company_id.id, False]))
            # sudo: the duplicate may sit in a company the user cannot read
            duplicate = self.sudo().with_context(active_test=False).search_count(domain, limit=1)
            if duplicate:
                raise ValidationError(
                    self.env._("A credit grade with the code %(code)s already exists in this company.",
                               code=grade.code)
                )

    def _credit_partner_defaults(self, vals):
        """What a customer receives with this grade, unless ``vals`` already says it."""
        self.ensure_one()
        defaults = {"credit_limit": self.credit_limit}
        if self.payment_term_id:
            defaults["property_payment_term_id"] = self.payment_term_id.id
        if self.immediate_settlement:
            defaults["credit_immediate_settlement"] = True
        return {fname: value for fname, value in defaults.items() if fname not in vals}

    def _next_lower(self):
        """The grade just below this one for the given company, or an empty recordset."""
        self.ensure_one()
        return self.search([
            ("sequence", ">", self.sequence),
            ("company_id", "in", [False, self.env.company.id]),
        ], order="sequence, id", limit=1)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.res_partner_credit_action"
        )
        action["domain"] = [("credit_grade_id", "=", self.id)]
        return action
