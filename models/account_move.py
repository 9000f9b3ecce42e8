from odoo import fields, models

from .credit_customer_file_confidential import CONFIDENTIAL_TIERS
from .sale_order import write_composition_snapshot


class AccountMove(models.Model):
    """The grade and file tier the invoiced sales count under in the composition analysis: those
    of the sale orders invoiced (their grade at confirmation), of the reversed invoice for a
    credit note, or else the customer's grade and tier when the invoice is posted."""

    _inherit = "account.move"

    credit_grade_at_confirm_id = fields.Many2one(
        "credit.grade", string="Grade at Confirmation", readonly=True, copy=False, index="btree_not_null",
        help="The customer's credit grade when the invoiced orders were confirmed (or, without "
        "order, when the invoice was posted).",
    )
    credit_tier_at_confirm = fields.Selection(
        CONFIDENTIAL_TIERS, string="File Tier at Confirmation", readonly=True, copy=False,
    )

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund") and not m.credit_grade_at_confirm_id
            and not m.credit_tier_at_confirm
        )._credit_store_grade_at_confirm()
        return posted

    def _credit_store_grade_at_confirm(self):
        values = {}
        todo = self.env["account.move"]
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id.filtered(
                lambda o: o.credit_grade_at_confirm_id or o.credit_tier_at_confirm)
            source = orders[:1] or move.reversed_entry_id
            if source and (source.credit_grade_at_confirm_id or source.credit_tier_at_confirm):
                values[move] = (source.credit_grade_at_confirm_id.id, source.credit_tier_at_confirm)
            else:
                todo |= move
        if todo:
            keys = {move: (move.commercial_partner_id.id, move.company_id.id) for move in todo}
            snapshot = self.env["sale.order"]._credit_composition_snapshot(set(keys.values()))
            values.update({move: snapshot[key] for move, key in keys.items()})
        # sudo: the poster (an accountant) may lack the right on these readonly fields' model
        write_composition_snapshot(self.sudo(), {
            move.id: (grade_id, tier) for move, (grade_id, tier) in values.items() if grade_id or tier})
