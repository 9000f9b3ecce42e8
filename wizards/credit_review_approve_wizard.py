from odoo import api, fields, models


class CreditReviewApproveWizard(models.TransientModel):
    """Approve the selected year-end reviews at once: their new grades and limits go to the customers."""

    _name = "credit.review.approve.wizard"
    _description = "Approve Year-End Reviews"

    review_ids = fields.Many2many(
        "credit.review", string="Reviews", default=lambda self: self._default_review_ids(),
        domain="[('state', '=', 'to_approve')]",
    )
    review_count = fields.Integer(compute="_compute_summary", string="Reviews to Approve")
    upgrade_count = fields.Integer(compute="_compute_summary", string="Upgrades")
    downgrade_count = fields.Integer(compute="_compute_summary", string="Downgrades")
    unchanged_count = fields.Integer(compute="_compute_summary", string="Grade Kept")
    already_approved_count = fields.Integer(compute="_compute_summary", string="Already Approved")

    @api.model
    def _default_review_ids(self):
        if self.env.context.get("active_model") == "credit.review":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return []

    @api.depends("review_ids")
    def _compute_summary(self):
        for wizard in self:
            to_approve = wizard.review_ids.filtered(lambda review: review.state == "to_approve")
            wizard.review_count = len(to_approve)
            wizard.upgrade_count = len(to_approve.filtered(lambda review: review.grade_change == "up"))
            wizard.downgrade_count = len(to_approve.filtered(lambda review: review.grade_change == "down"))
            wizard.unchanged_count = wizard.review_count - wizard.upgrade_count - wizard.downgrade_count
            wizard.already_approved_count = len(wizard.review_ids) - wizard.review_count

    def action_approve(self):
        self.ensure_one()
        self.review_ids.action_approve()
        return {"type": "ir.actions.act_window_close"}
