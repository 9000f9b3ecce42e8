from odoo import fields, models

# the three dimensions of the customer satisfaction survey (variant 5, 5.3 b: 服务质量, 价格, 公司评价)
CREDIT_DIMENSIONS = [
    ("service", "Service Quality"),
    ("price", "Price"),
    ("company", "Opinion of the Company"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    credit_dimension = fields.Selection(
        CREDIT_DIMENSIONS, string="Satisfaction Dimension",
        help="Dimension of the customer satisfaction analysis this question is scored in "
        "(the score of the chosen answer, e.g. 1 to 5).",
    )
