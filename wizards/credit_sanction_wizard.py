from odoo import fields, models


class CreditSanctionWizard(models.TransientModel):
    """Impose a sanction on a customer, or lift one (when ``sanction_id`` is set)."""

    _name = "credit.sanction.wizard"
    _description = "Impose or Lift a Credit Sanction"

    sanction_id = fields.Many2one("credit.sanction", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    kind = fields.Selection(
        selection=lambda self: self.env["credit.sanction"]._fields["kind"]._description_selection(self.env),
    )
    date = fields.Date(default=fields.Date.context_today)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.sanction_id:
            self.sanction_id.action_lift(self.reason)
        else:
            self.env["credit.sanction"].create({
                "partner_id": self.partner_id.id,
                "kind": self.kind,
                "date": self.date,
                "reason": self.reason,
            })
        return {"type": "ir.actions.act_window_close"}
