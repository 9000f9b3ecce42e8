from odoo import fields, models, tools

from ..models.survey_question import CREDIT_DIMENSIONS


class CreditSatisfactionReport(models.Model):
    """Satisfaction analysis (顾客满意度调查分析): one row per answered customer and dimension,
    for the pivot and graph views (scores per dimension, grade, region, salesperson, year)."""

    _name = "credit.satisfaction.report"
    _description = "Customer Satisfaction Analysis"
    _auto = False
    _order = "year desc, campaign_id, dimension"
    _rec_name = "campaign_id"

    campaign_id = fields.Many2one("credit.satisfaction.survey", readonly=True)
    response_id = fields.Many2one("credit.satisfaction.response", string="Customer Answer", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    credit_grade_id = fields.Many2one("credit.grade", string="Grade", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    dimension = fields.Selection(CREDIT_DIMENSIONS, readonly=True)
    score = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    target_score = fields.Float(string="Target", digits=(16, 2), readonly=True, aggregator="avg")
    below_target = fields.Boolean(readonly=True)
    nbr = fields.Integer(string="Answers", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT r.id * 3 + d.position AS id,
                       r.id AS response_id,
                       r.campaign_id,
                       c.year,
                       c.company_id,
                       r.partner_id,
                       r.credit_grade_id,
                       r.state_id,
                       r.country_id,
                       r.salesperson_id,
                       d.dimension,
                       d.score,
                       c.target_score,
                       d.score < c.target_score AS below_target,
                       1 AS nbr
                  FROM credit_satisfaction_response r
                  JOIN credit_satisfaction_survey c ON c.id = r.campaign_id
                 CROSS JOIN LATERAL (VALUES (0, 'service', r.score_service),
                                            (1, 'price', r.score_price),
                                            (2, 'company', r.score_company)) AS d(position, dimension, score)
                 WHERE r.state = 'answered' AND d.score > 0
            )
        """)
