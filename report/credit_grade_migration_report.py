from odoo import fields, models, tools

MIGRATION_DIRECTIONS = [
    ("up", "Upgrade"),
    ("down", "Downgrade"),
    ("new", "First Grade"),
    ("removed", "Grade Removed"),
    ("other", "Other Grade, Same Rank"),
]


class CreditGradeMigrationReport(models.Model):
    """Grade migrations (信用等级变动): the changes of grade of the credit history, old grade →
    new grade, for the pivot of old grades (rows) × new grades (columns) per month or year."""

    _name = "credit.grade.migration.report"
    _description = "Credit Grade Migrations"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _depends = {
        "credit.grade.history": ["date", "partner_id", "company_id", "user_id", "old_grade_id",
                                 "new_grade_id", "automatic"],
        "credit.grade": ["sequence"],
    }

    history_id = fields.Many2one("credit.grade.history", string="History Line", readonly=True)
    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Changed By", readonly=True)
    old_grade_id = fields.Many2one("credit.grade", readonly=True)
    new_grade_id = fields.Many2one("credit.grade", readonly=True)
    direction = fields.Selection(MIGRATION_DIRECTIONS, readonly=True)
    automatic = fields.Boolean(readonly=True)
    nbr = fields.Integer(string="Migrations", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
            SELECT h.id, h.id AS history_id, h.date, h.partner_id, h.company_id, h.user_id,
                   h.old_grade_id, h.new_grade_id,
                   CASE WHEN h.old_grade_id IS NULL THEN 'new'
                        WHEN h.new_grade_id IS NULL THEN 'removed'
                        WHEN ng.sequence > og.sequence THEN 'down'
                        WHEN ng.sequence < og.sequence THEN 'up'
                        ELSE 'other'
                   END AS direction,
                   COALESCE(h.automatic, FALSE) AS automatic,
                   1 AS nbr
              FROM credit_grade_history h
              LEFT JOIN credit_grade og ON og.id = h.old_grade_id
              LEFT JOIN credit_grade ng ON ng.id = h.new_grade_id
             WHERE h.old_grade_id IS DISTINCT FROM h.new_grade_id
            )
        """)
