from odoo import api, fields, models
from odoo.tools import SQL


class CreditSalesCompositionReport(models.Model):
    """Sales composition (销售构成): sales per grade and file tier, ordered and invoiced, with
    each row's share of its company's sales of the year."""

    _name = "credit.sales.composition.report"
    _inherit = "credit.composition.report.mixin"
    _description = "Sales Composition Analysis"
    _auto = False

    year = fields.Integer(readonly=True, aggregator=None)
    ordered_share = fields.Float(
        string="Share of Ordered (%)", digits=(16, 2), readonly=True, aggregator="sum",
        help="Share of the company's ordered sales of the year; sums to 100 over a company-year.",
    )
    invoiced_share = fields.Float(
        string="Share of Invoiced (%)", digits=(16, 2), readonly=True, aggregator="sum",
        help="Share of the company's invoiced sales of the year (credit notes netted); sums to 100 "
        "over a company-year.",
    )

    @api.model
    def _composition_query(self):
        rows = self._composition_dimensions_sql(self._composition_documents_sql())
        return SQL("""
            SELECT r.*, EXTRACT(year FROM r.date)::integer AS year,
                   100.0 * r.ordered_amount / NULLIF(SUM(r.ordered_amount) OVER w, 0) AS ordered_share,
                   100.0 * r.invoiced_amount / NULLIF(SUM(r.invoiced_amount) OVER w, 0) AS invoiced_share
              FROM (%s) r
            WINDOW w AS (PARTITION BY r.company_id, EXTRACT(year FROM r.date))
        """, rows)
