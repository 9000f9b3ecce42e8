from datetime import timedelta
from itertools import pairwise

from odoo import api, fields, models
from odoo.tools import SQL

# Payment score in the manner of Dun & Bradstreet's PAYDEX: the points of one paid invoice
# by its days beyond terms (payment date - due date). Linear between the points below;
# 100 when paid 30 days early or more, 20 when paid 120 days late or more.
SCORE_POINTS = ((-30, 100.0), (0, 80.0), (30, 50.0), (60, 40.0), (90, 30.0), (120, 20.0))


def payment_points(days_beyond_terms):
    """The points (20-100) of an invoice paid ``days_beyond_terms`` days after its due date."""
    if days_beyond_terms <= SCORE_POINTS[0][0]:
        return SCORE_POINTS[0][1]
    for (day_from, points_from), (day_to, points_to) in pairwise(SCORE_POINTS):
        if days_beyond_terms <= day_to:
            return points_from + (points_to - points_from) * (days_beyond_terms - day_from) / (day_to - day_from)
    return SCORE_POINTS[-1][1]


def payment_score(experiences):
    """The payment score (1-100) of a list of payment experiences, weighted by their amounts.

    An experience is a dict with ``amount`` and ``points``; None when there is none (no history).
    """
    total = sum(experience["amount"] for experience in experiences)
    if total <= 0:
        return None
    score = sum(experience["points"] * experience["amount"] for experience in experiences) / total
    return min(100, max(1, round(score)))


class CreditReviewPaymentLine(models.Model):
    """One paid invoice that counts in the payment score of a year-end review: why the score is what it is."""

    _name = "credit.review.payment.line"
    _description = "Year-End Review Payment Experience"
    _inherit = ["credit.confidential.mixin"]
    _order = "review_id, paid_date, id"

    review_id = fields.Many2one("credit.review", required=True, index=True, ondelete="cascade")
    # stored copies of the review's, written with it: lines are created by the thousand, and a related
    # field would be computed line by line (the currency also to round each amount)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    invoice_id = fields.Many2one("account.move", ondelete="set null")
    invoice_name = fields.Char(string="Invoice Number", required=True)
    amount = fields.Monetary(currency_field="currency_id", help="Total of the invoice, in company currency.")
    invoice_date = fields.Date()
    due_date = fields.Date()
    paid_date = fields.Date(string="Paid On", help="Date of the last payment that settled the invoice.")
    days_beyond_terms = fields.Integer(
        help="Paid date - due date: negative when paid early, positive when paid late.",
    )
    points = fields.Float(digits=(16, 1), aggregator="avg")
    weight = fields.Float(
        string="Weight (%)", digits=(16, 1), help="Share of the invoice in the amount of the paid invoices.",
    )

    # as confidential as the year-end review it belongs to
    @api.model
    def _confidential_file_depends(self):
        return ("review_id.confidential_file_id",)

    def _compute_confidential_file_id(self):
        for record in self:
            record.confidential_file_id = record.review_id.confidential_file_id

    @api.model
    def _payment_period(self):
        """The twelve months up to today, the period of a customer's live payment score."""
        today = fields.Date.context_today(self)
        return fields.Date.subtract(today, years=1) + timedelta(days=1), today

    @api.model
    def _payment_score(self, experiences):
        return payment_score(experiences)

    @api.model
    def _payment_experiences(self, partner_ids, company, date_from, date_to):
        """The paid invoices of the commercial partners ``partner_ids`` in ``company``.

        One SQL query for all the partners: the posted customer invoices fully paid (paid or in
        payment) whose last reconciliation is dated between ``date_from`` and ``date_to``.
        Returns ``{partner_id: [experience, ...]}``, the experiences ordered by paid date, each a
        dict with the values of a payment line (without review) and the points.
        """
        if not partner_ids:
            return {}
        self.env["account.move.line"].flush_model(
            ["move_id", "partner_id", "display_type", "company_id", "parent_state", "reconciled"])
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "move_type", "payment_state", "amount_total_signed", "name",
             "invoice_date", "invoice_date_due"])
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        # the receivable lines of the invoices are found through the partner index of the lines
        # (account_move has none on the commercial partner); the paid date is the date of the last
        # reconciliation of the invoice (payment, credit note)
        self.env.cr.execute(SQL(
            """
            SELECT am.commercial_partner_id, am.id, am.name, am.amount_total_signed, am.invoice_date,
                   am.invoice_date_due, MAX(apr.max_date) AS paid_date
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
             WHERE aml.partner_id = ANY(ARRAY(
                       SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%(partners)s)))
               AND aml.display_type = 'payment_term'
               AND aml.company_id = %(company)s
               AND aml.parent_state = 'posted'
               AND aml.reconciled
               AND am.move_type = 'out_invoice'
               AND am.payment_state IN ('paid', 'in_payment')
          GROUP BY am.id
            HAVING MAX(apr.max_date) BETWEEN %(date_from)s AND %(date_to)s
          ORDER BY am.commercial_partner_id, paid_date, am.id
            """,
            partners=list(partner_ids), company=company.id, date_from=date_from, date_to=date_to,
        ))
        result = {}
        for partner_id, move_id, name, amount, invoice_date, due_date, paid_date in self.env.cr.fetchall():
            due_date = due_date or invoice_date or paid_date
            days = (paid_date - due_date).days
            result.setdefault(partner_id, []).append({
                "invoice_id": move_id,
                "invoice_name": name,
                "amount": amount or 0.0,
                "invoice_date": invoice_date,
                "due_date": due_date,
                "paid_date": paid_date,
                "days_beyond_terms": days,
                "points": round(payment_points(days), 1),
            })
        for experiences in result.values():
            total = sum(experience["amount"] for experience in experiences)
            for experience in experiences:
                experience["weight"] = round(100.0 * experience["amount"] / total, 1) if total else 0.0
        return result

    @api.model
    def _insert_lines(self, review_experiences):
        """Write the payment lines of reviews, ``[(review, [experience, ...]), ...]``, with one INSERT.

        The lines are a snapshot written once with their review, without computed field nor business
        rule: a campaign writes a few per customer over tens of thousands of customers, which the ORM's
        record-by-record preparation would make the slowest part of a batch.
        """
        self.check_access("create")
        rows = [(review, line) for review, lines in review_experiences for line in lines]
        if not rows:
            return
        self.env["credit.review"].flush_model()
        columns = {
            "review_id": ("int4", lambda review, line: review.id),
            "company_id": ("int4", lambda review, line: review.company_id.id),
            "confidential_file_id": ("int4", lambda review, line: review.confidential_file_id.id or None),
            "currency_id": ("int4", lambda review, line: review.currency_id.id),
            "invoice_id": ("int4", lambda review, line: line["invoice_id"]),
            "invoice_name": ("varchar", lambda review, line: line["invoice_name"]),
            "amount": ("numeric", lambda review, line: line["amount"]),
            "invoice_date": ("date", lambda review, line: line["invoice_date"]),
            "due_date": ("date", lambda review, line: line["due_date"]),
            "paid_date": ("date", lambda review, line: line["paid_date"]),
            "days_beyond_terms": ("int4", lambda review, line: line["days_beyond_terms"]),
            "points": ("numeric", lambda review, line: line["points"]),
            "weight": ("numeric", lambda review, line: line["weight"]),
        }
        arrays = SQL(", ").join(
            SQL("%s::%s[]", [getter(review, line) for review, line in rows], SQL(sql_type))
            for sql_type, getter in columns.values()
        )
        now = self.env.cr.now()
        self.env.cr.execute(SQL(
            """
            INSERT INTO credit_review_payment_line (%(columns)s, create_uid, create_date, write_uid, write_date)
            SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s FROM unnest(%(arrays)s)
            """,
            columns=SQL(", ").join(SQL.identifier(name) for name in columns),
            arrays=arrays, uid=self.env.uid, now=now,
        ))
        self.env["credit.review"].browse({review.id for review, _line in rows}).invalidate_recordset(
            ["payment_line_ids"])

