from odoo import fields, models, tools
from odoo.tools import SQL

from .credit_limit_usage_report import tune_for_customer_aggregates

# indicator: (sequence, label, amount?, action xml id, domain, context of the detailed view)
INDICATORS = {
    "over_100": (10, "Customers Over Their Limit", False, "credit_limit_usage_report_action",
                 [("over_100", "=", True)], {}),
    "over_80": (20, "Customers at 80 % of Their Limit or More", False, "credit_limit_usage_report_action",
                [("over_80", "=", True)], {}),
    "overdue": (30, "Overdue Receivables", True, "credit_ageing_report_action",
                [("bucket", "!=", "not_due")], {"pivot_measures": ["overdue_amount"]}),
    "overdue_0_30": (40, "Overdue 0–30 Days", True, "credit_ageing_report_action",
                     [("bucket", "=", "0_30")], {"pivot_measures": ["overdue_amount"]}),
    "overdue_31_60": (50, "Overdue 31–60 Days", True, "credit_ageing_report_action",
                      [("bucket", "=", "31_60")], {"pivot_measures": ["overdue_amount"]}),
    "overdue_61_90": (60, "Overdue 61–90 Days", True, "credit_ageing_report_action",
                      [("bucket", "=", "61_90")], {"pivot_measures": ["overdue_amount"]}),
    "overdue_over_90": (70, "Overdue Over 90 Days", True, "credit_ageing_report_action",
                        [("bucket", "=", "over_90")], {"pivot_measures": ["overdue_amount"]}),
    "held_month": (80, "Orders Put on Hold This Month", False, "credit_order_block_report_action",
                   [("kind", "=", "hold")], {"search_default_filter_this_month": 1}),
    "released_month": (90, "Orders Released This Month", False, "credit_order_block_report_action",
                       [("kind", "=", "release")], {"search_default_filter_this_month": 1}),
    "migrations_year": (100, "Grade Changes This Year", False, "credit_grade_migration_report_action",
                        [], {"search_default_filter_this_year": 1}),
    "downgrades_year": (110, "Downgrades This Year", False, "credit_grade_migration_report_action",
                        [("direction", "=", "down")], {"search_default_filter_this_year": 1}),
}


class CreditDashboard(models.Model):
    """The credit dashboard (信用管理看板): one row per company and indicator, shown as kanban cards
    that open the detailed analyses. Every figure is an aggregate of the report views computed
    by PostgreSQL (one pass over each view)."""

    _name = "credit.dashboard"
    _description = "Credit Dashboard"
    _auto = False
    _order = "company_id, sequence"
    _rec_name = "indicator"
    # the report views it aggregates (their own dependencies are flushed in turn)
    _depends = {
        "credit.limit.usage.report": ["over_80", "over_100"],
        "credit.ageing.report": ["bucket", "overdue_amount"],
        "credit.order.block.report": ["kind", "date", "order_id"],
        "credit.grade.migration.report": ["date", "direction"],
        "res.company": ["currency_id", "active"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    sequence = fields.Integer(readonly=True)
    indicator = fields.Selection(
        [(key, values[1]) for key, values in INDICATORS.items()], readonly=True,
    )
    is_amount = fields.Boolean(readonly=True)
    value = fields.Float(readonly=True, digits=(16, 2))
    amount = fields.Monetary(readonly=True)
    count = fields.Integer(readonly=True)

    def _search(self, *args, **kwargs):
        tune_for_customer_aggregates(self.env.cr)
        return super()._search(*args, **kwargs)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # one row per indicator: (sequence, key, amount?, the figure's column of ``figures``)
        values = SQL(", ").join(
            SQL("(%s, %s, %s, f.%s)", seq, key, amount, SQL.identifier(key))
            for key, (seq, _label, amount, *_rest) in INDICATORS.items()
        )
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(table)s AS (
            WITH usage_figures AS (
                SELECT company_id,
                       COUNT(*) FILTER (WHERE over_100) AS over_100,
                       COUNT(*) FILTER (WHERE over_80) AS over_80
                  FROM credit_limit_usage_report
                 WHERE over_80
              GROUP BY company_id
            ), ageing AS (
                SELECT company_id,
                       SUM(overdue_amount) AS overdue,
                       SUM(overdue_amount) FILTER (WHERE bucket = '0_30') AS overdue_0_30,
                       SUM(overdue_amount) FILTER (WHERE bucket = '31_60') AS overdue_31_60,
                       SUM(overdue_amount) FILTER (WHERE bucket = '61_90') AS overdue_61_90,
                       SUM(overdue_amount) FILTER (WHERE bucket = 'over_90') AS overdue_over_90
                  FROM credit_ageing_report
                 WHERE bucket != 'not_due'
              GROUP BY company_id
            ), blocks AS (
                SELECT company_id,
                       COUNT(DISTINCT order_id) FILTER (WHERE kind = 'hold') AS held_month,
                       COUNT(DISTINCT order_id) FILTER (WHERE kind = 'release') AS released_month
                  FROM credit_order_block_report
                 WHERE date >= date_trunc('month', CURRENT_DATE)
              GROUP BY company_id
            ), migrations AS (
                SELECT company_id,
                       COUNT(*) AS migrations_year,
                       COUNT(*) FILTER (WHERE direction = 'down') AS downgrades_year
                  FROM credit_grade_migration_report
                 WHERE date >= date_trunc('year', CURRENT_DATE)
              GROUP BY company_id
            ), figures AS (
                SELECT c.id AS company_id, c.currency_id,
                       COALESCE(u.over_100, 0) AS over_100, COALESCE(u.over_80, 0) AS over_80,
                       COALESCE(a.overdue, 0) AS overdue,
                       COALESCE(a.overdue_0_30, 0) AS overdue_0_30,
                       COALESCE(a.overdue_31_60, 0) AS overdue_31_60,
                       COALESCE(a.overdue_61_90, 0) AS overdue_61_90,
                       COALESCE(a.overdue_over_90, 0) AS overdue_over_90,
                       COALESCE(b.held_month, 0) AS held_month,
                       COALESCE(b.released_month, 0) AS released_month,
                       COALESCE(m.migrations_year, 0) AS migrations_year,
                       COALESCE(m.downgrades_year, 0) AS downgrades_year
                  FROM res_company c
                  LEFT JOIN usage_figures u ON u.company_id = c.id
                  LEFT JOIN ageing a ON a.company_id = c.id
                  LEFT JOIN blocks b ON b.company_id = c.id
                  LEFT JOIN migrations m ON m.company_id = c.id
                 WHERE c.active
            )
            SELECT f.company_id * 1000 + v.sequence AS id, f.company_id, f.currency_id,
                   v.sequence, v.indicator, v.is_amount,
                   v.value::double precision AS value,
                   CASE WHEN v.is_amount THEN v.value END AS amount,
                   CASE WHEN NOT v.is_amount THEN v.value::integer END AS count
              FROM figures f
             CROSS JOIN LATERAL (VALUES %(values)s) AS v(sequence, indicator, is_amount, value)
            )
        """, table=SQL.identifier(self._table), values=values))

    def action_open_details(self):
        """The detailed analysis behind the card, in the card's company."""
        self.ensure_one()
        _seq, _label, _amount, xmlid, domain, context = INDICATORS[self.indicator]
        action = self.env["ir.actions.act_window"]._for_xml_id(f"customer_credit_archive.{xmlid}")
        action["domain"] = [("company_id", "=", self.company_id.id), *domain]
        action["context"] = dict(context)
        action["display_name"] = self.env._(
            "%(indicator)s (%(company)s)",
            indicator=dict(self._fields["indicator"]._description_selection(self.env))[self.indicator],
            company=self.company_id.name,
        )
        return action
