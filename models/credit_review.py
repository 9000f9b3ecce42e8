from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .credit_review_payment_line import payment_score

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
ACTIONS = [
    ("keep", "Keep the Grade"),
    ("up", "Up One Grade"),
    ("down", "Down One Grade"),
    ("set", "Set Grade"),
]
# what a Credit Manager may still change on an approved review
EDITABLE_WHEN_APPROVED = ("note",)


class CreditReview(models.Model):
    """The year-end review report (年审评价报告) of one customer, policy variants 6 and 9 (二.4).

    Created by the year-end campaign with the customer's figures of the twelve months before the
    review date, its payment score and the suggestion of the first matching review rule. A Credit
    Manager approves it, which applies the suggested (or changed) grade and limit to the customer.
    """

    _name = "credit.review"
    _description = "Year-End Review"
    _inherit = ["mail.thread", "credit.confidential.mixin"]
    _order = "year desc, id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "credit.review.campaign", required=True, index=True, ondelete="cascade", readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    # the company currency, in which the figures are computed; stored: reviews are created by the
    # thousand and each amount is rounded in it
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    year = fields.Integer(required=True, index=True, readonly=True, aggregator=False)
    date = fields.Date(string="Review Date", required=True, readonly=True)
    date_from = fields.Date(string="Period Start", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True, check_company=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, readonly=True)
    state = fields.Selection(
        [("to_approve", "To Approve"), ("approved", "Approved")],
        default="to_approve", required=True, readonly=True, index=True, tracking=True,
    )
    is_credit_manager = fields.Boolean(compute="_compute_is_credit_manager")
    # -- the credit profile at review time
    current_grade_id = fields.Many2one("credit.grade", string="Grade at Review", readonly=True)
    current_limit = fields.Monetary(string="Limit at Review", currency_field="currency_id", readonly=True)
    # -- the figures of the year (company currency)
    sales_amount = fields.Monetary(
        string="Sales", currency_field="currency_id", readonly=True,
        help="Posted customer invoices minus credit notes of the period, untaxed.",
    )
    payment_amount = fields.Monetary(
        string="Payments Received", currency_field="currency_id", readonly=True,
        help="Payments booked on the customer's receivable during the period.",
    )
    paid_invoice_count = fields.Integer(string="Paid Invoices", readonly=True)
    avg_days_to_pay = fields.Float(
        string="Average Days to Pay", digits=(16, 1), readonly=True, aggregator="avg",
        help="Average number of days from invoice date to full payment of the invoices paid in the period.",
    )
    receivable_amount = fields.Monetary(
        string="Open Receivable", currency_field="currency_id", readonly=True,
        help="Open receivable at the review date.",
    )
    overdue_count = fields.Integer(string="Overdue Invoices", readonly=True)
    overdue_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    overdue_days = fields.Integer(
        string="Oldest Overdue (days)", readonly=True, aggregator="max",
        help="Days between the due date of the oldest overdue receivable and the review date.",
    )
    overdue_ratio = fields.Float(
        string="Overdue Ratio (%)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Overdue amount / open receivable at the review date.",
    )
    payment_score = fields.Integer(
        readonly=True, aggregator=False,
        help="1-100 in the manner of Dun & Bradstreet's PAYDEX: 80 when the invoices are paid on their due "
        "date, up to 100 when paid 30 days early, 50 when paid 30 days late, 20 at 120 days late or more; "
        "weighted by the invoice amounts. 0: no invoice paid in the period.",
    )
    has_payment_score = fields.Boolean(string="Has Payment History", readonly=True)
    payment_line_ids = fields.One2many(
        "credit.review.payment.line", "review_id", string="Payment Experiences", readonly=True,
    )
    complaints_counted = fields.Boolean(readonly=True)
    complaint_count = fields.Integer(string="Complaints and Incidents", readonly=True)
    # -- the suggestion
    rule_id = fields.Many2one("credit.review.rule", readonly=True, ondelete="set null")
    suggested_action = fields.Selection(ACTIONS, readonly=True)
    suggested_grade_id = fields.Many2one(
        "credit.grade", string="New Grade", required=True, tracking=True, check_company=True,
        help="Suggested by the rule; a Credit Manager may change it before approving.",
    )
    suggested_limit = fields.Monetary(
        string="New Limit", currency_field="currency_id", tracking=True,
        help="The default limit of the suggested grade, or the current limit when the grade does not change; "
        "a Credit Manager may change it before approving.",
    )
    grade_change = fields.Selection(
        [("up", "Upgrade"), ("same", "No Change"), ("down", "Downgrade")],
        compute="_compute_grade_change", store=True,
    )
    note = fields.Text(string="Assessment")
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approval_date = fields.Datetime(string="Approved On", readonly=True)

    _sql_constraints = [
        ("partner_company_year_unique", "UNIQUE(partner_id, company_id, year)",
         "A customer has one year-end review per company and year."),
    ]

    @api.depends("partner_id", "year")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "Review %(year)s: %(customer)s", year=review.year, customer=review.partner_id.display_name)

    @api.depends_context("uid")
    def _compute_is_credit_manager(self):
        self.is_credit_manager = self.env.user.has_group(MANAGER_GROUP)

    @api.depends("current_grade_id", "suggested_grade_id")
    def _compute_grade_change(self):
        for review in self:
            review.grade_change = self._grade_change(review.current_grade_id, review.suggested_grade_id)

    @api.model
    def _grade_change(self, old, new):
        if not old or not new or old.sequence == new.sequence:
            return "same"
        return "down" if new.sequence > old.sequence else "up"

    @api.constrains("suggested_limit")
    def _check_suggested_limit(self):
        if any(review.suggested_limit < 0 for review in self):
            raise ValidationError(self.env._("The new credit limit cannot be negative."))

    def write(self, vals):
        if set(vals) - set(EDITABLE_WHEN_APPROVED) and any(review.state == "approved" for review in self):
            raise UserError(self.env._("An approved year-end review cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Creation by the campaign, one batch of customers at a time
    # ------------------------------------------------------------------
    @api.model
    def _create_for_campaign(self, campaign, partners):
        """Create the reviews of the commercial ``partners`` in ``campaign``: a few queries per batch."""
        vals_list, experiences = self._review_values(campaign, partners)
        # no chatter message nor follower per review: they are created by the thousand
        reviews = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True,
        ).create(vals_list)
        self.env["credit.review.payment.line"]._insert_lines([
            (review, experiences[review.partner_id.id]) for review in reviews if review.partner_id.id in experiences
        ])
        return reviews

    @api.model
    def _review_values(self, campaign, partners):
        """The values of the reviews of ``partners`` in ``campaign``, and their paid invoices by partner id."""
        company, date_from, date_to = campaign.company_id, campaign.date_from, campaign.date
        partners = partners.with_company(company)
        figures = self._review_figures(partners.ids, company, date_from, date_to)
        experiences = self.env["credit.review.payment.line"]._payment_experiences(
            partners.ids, company, date_from, date_to)
        complaints = self._review_complaint_counts(partners, company, date_from, date_to)
        first_match = self.env["credit.review.rule"].with_company(company)._rules_for(company)._matcher()
        step = self._review_grade_steps(company)
        currency = company.currency_id
        vals_list = []
        for partner in partners:  # prefetched: no query per partner
            figure = figures.get(partner.id, {})
            paid = experiences.get(partner.id, [])
            score = payment_score(paid)
            receivable, overdue = figure.get("receivable", 0.0), figure.get("overdue", 0.0)
            if receivable > 0:
                ratio = min(100.0, 100.0 * overdue / receivable)
            else:
                ratio = 100.0 if overdue > 0 else 0.0
            oldest = figure.get("oldest_due")
            overdue_days = (date_to - oldest).days if oldest else 0
            rule = first_match({
                "payment_score": score, "overdue_days": overdue_days, "overdue_ratio": ratio,
            })
            current_grade, current_limit = partner.credit_grade_id, partner.credit_limit
            action = rule.action or "keep"
            suggested = step(current_grade, action, rule.grade_id)
            days_to_pay = [(line["paid_date"] - (line["invoice_date"] or line["due_date"])).days for line in paid]
            vals_list.append({
                "campaign_id": campaign.id,
                "company_id": company.id,
                "currency_id": currency.id,
                "year": campaign.year,
                "date": date_to,
                "date_from": date_from,
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "current_grade_id": current_grade.id,
                "current_limit": current_limit,
                "sales_amount": currency.round(figure.get("sales", 0.0)),
                "payment_amount": currency.round(figure.get("payments", 0.0)),
                "paid_invoice_count": len(paid),
                "avg_days_to_pay": sum(days_to_pay) / len(days_to_pay) if days_to_pay else 0.0,
                "receivable_amount": currency.round(receivable),
                "overdue_count": figure.get("overdue_count", 0),
                "overdue_amount": currency.round(overdue),
                "overdue_days": overdue_days,
                "overdue_ratio": ratio,
                "payment_score": score or 0,
                "has_payment_score": score is not None,
                # False on the reviews made before complaints were recorded (upgraded databases)
                "complaints_counted": True,
                "complaint_count": complaints.get(partner.id, 0),
                "rule_id": rule.id,
                "suggested_action": action,
                "suggested_grade_id": suggested.id,
                # given rather than computed after the insert: one UPDATE less per batch
                "grade_change": self._grade_change(current_grade, suggested),
                # the limit changes with the grade only: a kept grade keeps the customer's own limit
                "suggested_limit": current_limit if suggested == current_grade else suggested.credit_limit,
            })
        return vals_list, experiences

    @api.model
    def _review_grade_steps(self, company):
        """A function (grade, action, grade of the rule) -> suggested grade, from one search of the grades.

        Up and down follow the sequence of the grades of ``company`` as ``credit.grade._next_lower`` does;
        the best and the worst grade stay where they are.
        """
        grades = self.env["credit.grade"].with_company(company).search(
            [("company_id", "in", [False, company.id])], order="sequence, id")
        steps = {}

        def step(grade, action, rule_grade):
            if action == "set" and rule_grade:
                return rule_grade
            if not grade or action not in ("up", "down"):
                return grade
            if (grade, action) not in steps:
                if action == "down":
                    found = grades.filtered(lambda g: g.sequence > grade.sequence)[:1]
                else:
                    found = grades.filtered(lambda g: g.sequence < grade.sequence)[-1:]
                steps[grade, action] = found or grade
            return steps[grade, action]
        return step

    @api.model
    def _review_figures(self, partner_ids, company, date_from, date_to):
        """Sales, payments, open and overdue receivable of the commercial partners ``partner_ids``.

        One SQL query for all the partners: ``{partner_id: {sales, payments, receivable, overdue,
        overdue_count, oldest_due}}`` in company currency. Overdue: open receivable due before
        ``date_to``, the review date.
        """
        if not partner_ids:
            return {}
        self.env["account.move.line"].flush_model(
            ["move_id", "partner_id", "account_id", "company_id", "parent_state", "reconciled", "balance",
             "amount_residual", "date", "date_maturity"])
        self.env["account.move"].flush_model(
            ["partner_id", "commercial_partner_id", "company_id", "state", "move_type", "invoice_date",
             "amount_untaxed_signed"])
        self.env.cr.execute(SQL(
            """
            WITH members AS MATERIALIZED (
                SELECT id, commercial_partner_id FROM res_partner WHERE commercial_partner_id = ANY(%(partners)s)
            ), sales AS (
                SELECT am.commercial_partner_id AS partner_id, SUM(am.amount_untaxed_signed) AS sales
                  FROM account_move am
                 WHERE am.partner_id = ANY(ARRAY(SELECT id FROM members))
                   AND am.company_id = %(company)s
                   AND am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.invoice_date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY am.commercial_partner_id
            ), receivables AS (
                SELECT aml.partner_id,
                       SUM(-aml.balance) FILTER (
                           WHERE am.move_type = 'entry' AND aml.balance < 0
                             AND aml.date BETWEEN %(date_from)s AND %(date_to)s) AS payments,
                       SUM(aml.amount_residual) FILTER (
                           WHERE aml.reconciled IS NOT TRUE AND aml.date <= %(date_to)s) AS receivable,
                       SUM(aml.amount_residual) FILTER (WHERE %(overdue)s) AS overdue,
                       COUNT(DISTINCT aml.move_id) FILTER (WHERE %(overdue)s) AS overdue_count,
                       MIN(aml.date_maturity) FILTER (WHERE %(overdue)s) AS oldest_due
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE aml.partner_id = ANY(ARRAY(SELECT id FROM members))
                   AND aml.account_id = ANY(ARRAY(
                           SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
                   AND aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
              GROUP BY aml.partner_id
            )
            SELECT f.partner_id, SUM(f.sales), SUM(f.payments), SUM(f.receivable), SUM(f.overdue),
                   SUM(f.overdue_count), MIN(f.oldest_due)
              FROM (
                SELECT partner_id, sales, 0 AS payments, 0 AS receivable, 0 AS overdue, 0 AS overdue_count,
                       NULL::date AS oldest_due
                  FROM sales
                UNION ALL
                SELECT m.commercial_partner_id, 0, r.payments, r.receivable, r.overdue, r.overdue_count,
                       r.oldest_due
                  FROM receivables r
                  JOIN members m ON m.id = r.partner_id
              ) f
          GROUP BY f.partner_id
            """,
            partners=list(partner_ids), company=company.id, date_from=date_from, date_to=date_to,
            overdue=SQL(
                "aml.reconciled IS NOT TRUE AND aml.amount_residual > 0 AND aml.date <= %(date_to)s "
                "AND aml.date_maturity < %(date_to)s", date_to=date_to),
        ))
        return {
            partner_id: {
                "sales": sales or 0.0,
                "payments": payments or 0.0,
                "receivable": receivable or 0.0,
                "overdue": overdue or 0.0,
                "overdue_count": int(overdue_count or 0),
                "oldest_due": oldest_due,
            }
            for partner_id, sales, payments, receivable, overdue, overdue_count, oldest_due in self.env.cr.fetchall()
        }

    @api.model
    def _review_complaint_counts(self, partners, company, date_from, date_to):
        """Complaints received in the period per commercial partner."""
        # sudo: the count is part of the review whatever the rights of who runs the campaign
        complaints = self.env["credit.complaint"].sudo()
        domain = [
            ("partner_id", "child_of", partners.ids),
            ("company_id", "=", company.id),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ]
        counts = defaultdict(int)
        for partner, count in complaints._read_group(domain, ["partner_id"], ["__count"]):
            counts[partner.commercial_partner_id.id] += count
        return counts

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager can approve a year-end review."))

    def action_approve(self):
        """Apply the new grade and limit of the reviews to their customers, with a history line each.

        Reviews are grouped by company, year, grade and limit: one write of the partners per group.
        """
        self._check_manager()
        self.check_access("write")
        reviews = self.filtered(lambda review: review.state == "to_approve")
        if not reviews:
            raise UserError(self.env._("The selected year-end reviews are already approved."))
        groups = defaultdict(lambda: self.browse())
        for review in reviews:
            key = (review.company_id, review.year, review.suggested_grade_id, review.suggested_limit)
            groups[key] |= review
        for (company, year, grade, limit), group in groups.items():
            group._apply_profile(company, year, grade, limit)
        reviews.write({
            "state": "approved", "approved_by_id": self.env.uid, "approval_date": fields.Datetime.now(),
        })
        return True

    def _apply_profile(self, company, year, grade, limit):
        reason = self.env._("Year-end review %(year)s", year=year)
        partners = self.partner_id.with_company(company)
        currency = company.currency_id
        changing = partners.filtered(
            lambda p: p.credit_grade_id != grade or currency.compare_amounts(p.credit_limit, limit))
        if changing:
            # the partner's write checks the Credit Manager right and logs the history with the reason
            changing.with_context(credit_change_reason=reason).write(
                {"credit_grade_id": grade.id, "credit_limit": limit})
        confirmed = partners - changing
        if confirmed:
            # the review confirms the profile: the history says so too
            # sudo: history lines are written by the system, nobody edits them
            self.env["credit.grade.history"].sudo().create([{
                "partner_id": partner.id,
                "company_id": company.id,
                "user_id": self.env.uid,
                "old_grade_id": partner.credit_grade_id.id,
                "new_grade_id": partner.credit_grade_id.id,
                "old_limit": partner.credit_limit,
                "new_limit": partner.credit_limit,
                "change": self.env._("No change of the credit profile"),
                "reason": reason,
            } for partner in confirmed])

    def action_open_approve_wizard(self):
        self._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve Year-End Reviews"),
            "res_model": "credit.review.approve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }
