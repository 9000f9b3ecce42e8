from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditReviewRule(models.Model):
    """A rule of the year-end review: what to suggest for a customer whose figures meet its conditions.

    The rules are tried by sequence; the first one whose conditions all hold gives the suggestion.
    No matching rule: the grade is kept.
    """

    _name = "credit.review.rule"
    _description = "Year-End Review Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to use the rule in all companies.")
    min_payment_score = fields.Integer(
        string="Minimum Payment Score",
        help="The customer's payment score (1-100) must be at least this. 0: the score is not checked.",
    )
    match_without_score = fields.Boolean(
        string="Applies Without Payment History",
        help="Whether a customer without paid invoices over the year (hence without payment score) meets "
        "the minimum payment score.",
    )
    check_overdue_days = fields.Boolean(
        string="Limit Overdue Days", default=True,
        help="Check how late the oldest overdue receivable of the customer is.",
    )
    max_overdue_days = fields.Integer(
        string="Maximum Overdue Days",
        help="The oldest overdue receivable of the customer at review time is at most this many days late "
        "(0: nothing overdue).",
    )
    max_overdue_ratio = fields.Float(
        string="Maximum Overdue Ratio (%)", default=100.0, digits=(16, 1),
        help="Overdue amount / open receivable of the customer at review time, at most this percentage. "
        "100: not checked.",
    )
    action = fields.Selection(
        [
            ("keep", "Keep the Grade"),
            ("up", "Up One Grade"),
            ("down", "Down One Grade"),
            ("set", "Set Grade"),
        ],
        required=True, default="keep",
    )
    grade_id = fields.Many2one(
        "credit.grade", check_company=True,
        help="The grade suggested by a 'Set Grade' rule.",
    )
    note = fields.Text(translate=True)

    @api.constrains("min_payment_score", "max_overdue_days", "max_overdue_ratio", "action", "grade_id")
    def _check_conditions(self):
        for rule in self:
            if not 0 <= rule.min_payment_score <= 100:
                raise ValidationError(self.env._(
                    "The minimum payment score of rule %(rule)s must be between 0 and 100.", rule=rule.name))
            if rule.max_overdue_days < 0:
                raise ValidationError(self.env._(
                    "The maximum overdue days of rule %(rule)s cannot be negative.", rule=rule.name))
            if not 0 <= rule.max_overdue_ratio <= 100:
                raise ValidationError(self.env._(
                    "The maximum overdue ratio of rule %(rule)s must be between 0 and 100%%.", rule=rule.name))
            if rule.action == "set" and not rule.grade_id:
                raise ValidationError(self.env._("Rule %(rule)s sets a grade: choose it.", rule=rule.name))

    @api.model
    def _rules_for(self, company):
        return self.search([("company_id", "in", [False, company.id])])

    def _matcher(self):
        """A function figures -> the first rule of ``self`` (in order) whose conditions the figures meet.

        ``figures``: payment_score (None without payment history), overdue_days, overdue_ratio. The
        conditions are read once: the function is called for each customer of a batch.
        """
        conditions = [
            (rule, rule.min_payment_score, rule.match_without_score,
             rule.max_overdue_days if rule.check_overdue_days else None, rule.max_overdue_ratio)
            for rule in self
        ]

        def first_match(figures):
            score = figures["payment_score"]
            for rule, min_score, without_score, max_days, max_ratio in conditions:
                if min_score and (not without_score if score is None else score < min_score):
                    continue
                if max_days is not None and figures["overdue_days"] > max_days:
                    continue
                if figures["overdue_ratio"] > max_ratio + 1e-6:
                    continue
                return rule
            return self.browse()
        return first_match

    def _first_match(self, figures):
        return self._matcher()(figures)
