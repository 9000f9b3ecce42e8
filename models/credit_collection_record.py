from odoo import fields, models


class CreditCollectionRecord(models.Model):
    _name = "credit.collection.record"
    _description = "Collection Record"
    _inherit = ["credit.file.line.mixin"]
    _order = "file_id, date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", string="Collector", default=lambda self: self.env.user)
    currency_id = fields.Many2one(related="file_id.currency_id")
    amount_claimed = fields.Monetary(currency_field="currency_id")
    amount_recovered = fields.Monetary(currency_field="currency_id")
    method = fields.Selection(
        [
            ("call", "Call"),
            ("letter", "Letter"),
            ("visit", "Visit"),
            ("agency", "Collection Agency"),
            ("legal", "Legal Action"),
        ],
        required=True, default="call",
    )
    result = fields.Text()

    def _compute_display_name(self):
        methods = dict(self._fields["method"]._description_selection(self.env))
        for record in self:
            record.display_name = f"{record.date} {methods.get(record.method, '')}"
