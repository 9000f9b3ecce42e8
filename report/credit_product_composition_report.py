from odoo import api, fields, models
from odoo.tools import SQL


class CreditProductCompositionReport(models.Model):
    """Product composition (商品构成): sales per product category and product, per grade and
    region, ordered and invoiced (one row per order line and invoice line)."""

    _name = "credit.product.composition.report"
    _inherit = "credit.composition.report.mixin"
    _description = "Product Composition Analysis"
    _auto = False

    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")

    @api.model
    def _composition_query(self):
        return self._composition_dimensions_sql(
            self._composition_lines_sql(),
            extra_columns=SQL(", d.product_id, pt.categ_id, d.quantity::double precision AS quantity"),
            extra_joins=SQL("""
              LEFT JOIN product_product pp ON pp.id = d.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"""),
        )
