from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    credit_contract_prefix = fields.Char(
        string="Contract Prefix",
        help="Prefix of the numbers of this department's contract archives (公司所有合同都必须按部门编号); "
        "empty: D followed by the department's id.",
    )
    credit_contract_sequence_id = fields.Many2one(
        "ir.sequence", string="Contract Numbering", readonly=True, copy=False,
        help="Numbers this department's contract archives; created with the first archive.",
    )

    def _credit_contract_next_number(self):
        """The next contract archive number of the department, e.g. ``SALES-2026-0001``."""
        self.ensure_one()
        # the sequence is technical: an archivist who numbers a contract may not manage sequences
        department = self.sudo()
        if not department.credit_contract_sequence_id:
            department.credit_contract_sequence_id = self.env["ir.sequence"].sudo().create({
                "name": self.env._("Contract archives of %(department)s", department=department.name),
                "implementation": "no_gap",
                "use_date_range": True,  # numbers start again at 1 every year
                "prefix": department._credit_contract_prefix(),
                "padding": 4,
                "company_id": department.company_id.id,
            })
        return department.credit_contract_sequence_id.next_by_id()

    def _credit_contract_prefix(self):
        """The sequence prefix: the department's contract prefix (or D<id>), the year, a dash."""
        return (self.credit_contract_prefix or f"D{self.id}") + "-%(year)s-"

    def write(self, vals):
        result = super().write(vals)
        if "credit_contract_prefix" in vals:
            # the next numbers follow the new prefix; the numbers given keep theirs
            for department in self.sudo().filtered("credit_contract_sequence_id"):
                department.credit_contract_sequence_id.prefix = department._credit_contract_prefix()
        return result
