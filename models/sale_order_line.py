from odoo import api, models

# line fields that change what a confirmed order asks on credit
AMOUNT_FIELDS = {
    "product_id", "product_uom", "product_uom_qty", "price_unit", "discount", "tax_id",
    "order_id", "display_type",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_discount(self):
        """The customer's credit discount (信用折扣) when no pricelist discount applies."""
        res = super()._compute_discount()
        for line in self:
            if line.display_type or not line.product_id or line.discount:
                continue
            partner = line.order_id.partner_id.commercial_partner_id
            grade = partner.with_company(line.company_id or self.env.company).credit_grade_id
            if grade.discount:
                line.discount = grade.discount
        return res

    @api.model_create_multi
    def create(self, vals_list):
        order_ids = {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        orders = self.env["sale.order"].browse(order_ids)
        with orders._credit_guard_growth():
            return super().create(vals_list)

    def write(self, vals):
        if not AMOUNT_FIELDS & set(vals):
            return super().write(vals)
        orders = self.order_id
        if vals.get("order_id"):
            orders |= self.env["sale.order"].browse(vals["order_id"])
        with orders._credit_guard_growth():
            return super().write(vals)
