from odoo import api, models


class CreditRegionalCompositionReport(models.Model):
    """Regional composition (地区构成): sales per country, state, city and visit route of the
    customer, ordered and invoiced."""

    _name = "credit.regional.composition.report"
    _inherit = "credit.composition.report.mixin"
    _description = "Regional Composition Analysis"
    _auto = False

    @api.model
    def _composition_query(self):
        return self._composition_dimensions_sql(self._composition_documents_sql())
