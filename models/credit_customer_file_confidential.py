from odoo import api, fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
TIER_FIELDS = ("confidential_tier", "confidential_owner_id", "confidential_team_id")
CONFIDENTIAL_TIERS = [("company", "Company File"), ("department", "Department File"), ("personal", "Personal File")]


class CreditCustomerFile(models.Model):
    """Confidentiality of the customer file (variant 10, 第三章 保密规定).

    A file is a company file (营销总监 manages it), a department file (the department manager,
    i.e. the leader of the sales team) or a personal file (the salesperson). The tier and its
    owner follow the customer's salesperson and sales team until a Credit Manager sets them.
    """

    _inherit = "credit.customer.file"

    confidential_tier = fields.Selection(
        CONFIDENTIAL_TIERS,
        string="Confidentiality", compute="_compute_confidential_tier", store=True, readonly=False,
        precompute=True, tracking=True, index=True,
        help="Company files are read by the marketing director, the deputy general manager and "
        "the general manager; department files by the department manager; personal files by "
        "the salesperson and the department manager. Anyone else needs an approved access "
        "request. Credit Managers read every file.",
    )
    confidential_owner_id = fields.Many2one(
        "res.users", string="File Keeper", compute="_compute_confidential_tier", store=True,
        readonly=False, precompute=True, tracking=True, index=True, domain="[('share', '=', False)]",
        help="Who manages the file: the salesperson (personal), the department manager "
        "(department) or the marketing director (company).",
    )
    confidential_team_id = fields.Many2one(
        "crm.team", string="Department", compute="_compute_confidential_tier", store=True,
        readonly=False, precompute=True, index=True,
        help="The sales team whose leader (the department manager) reads the department and "
        "personal files of the team.",
    )
    confidential_manual = fields.Boolean(
        string="Confidentiality Set by Hand", copy=False,
        help="A Credit Manager set the tier or the keeper: they no longer follow the customer's "
        "salesperson and sales team.",
    )
    access_grant_user_ids = fields.Many2many(
        "res.users", "credit_customer_file_access_grant_rel", "file_id", "user_id",
        string="Temporary Readers", readonly=True, copy=False,
        help="Users whose access request is approved for today (kept by the access requests and "
        "their hourly scheduled action).",
    )
    access_request_ids = fields.One2many(
        "credit.file.access.request", "file_id", string="Access Requests", groups=MANAGER_GROUP,
    )

    # the file is its own confidential file (set at creation, partner_id is always given)
    @api.model
    def _confidential_file_depends(self):
        return ("partner_id",)

    def _compute_confidential_file_id(self):
        for record in self:
            record.confidential_file_id = record

    @api.depends("partner_id.user_id", "partner_id.credit_team_id", "user_id", "company_id",
                 "company_id.credit_marketing_director_id")
    def _compute_confidential_tier(self):
        for record in self:
            if record.confidential_manual:
                continue  # set by a Credit Manager: kept
            record.update(record._confidential_defaults())

    def _confidential_defaults(self):
        """Tier, keeper and department that follow from the customer."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        salesperson = partner.user_id or self.user_id
        team = partner.credit_team_id
        if salesperson:
            team = team or salesperson.sudo().sale_team_id
            return {"confidential_tier": "personal", "confidential_owner_id": salesperson.id,
                    "confidential_team_id": team.id}
        if team:
            return {"confidential_tier": "department", "confidential_owner_id": team.user_id.id,
                    "confidential_team_id": team.id}
        company = self.company_id or self.env.company
        return {"confidential_tier": "company",
                "confidential_owner_id": company.credit_marketing_director_id.id,
                "confidential_team_id": False}

    @api.model_create_multi
    def create(self, vals_list):
        is_manager = self._confidential_is_manager()
        given = []
        for vals in vals_list:
            given.append(bool(set(TIER_FIELDS) & set(vals)))
            if not is_manager:
                # the form sends the computed defaults: only a Credit Manager chooses others
                for fname in TIER_FIELDS:
                    vals.pop(fname, None)
        records = super().create(vals_list)
        records.browse([r.id for r, g in zip(records, given, strict=True) if g])._confidential_mark_manual()
        self.env["credit.confidential.mixin"]._confidential_link_new_files(records)
        return records

    def write(self, vals):
        tier_vals = {fname: vals[fname] for fname in TIER_FIELDS if fname in vals}
        if not tier_vals:
            return super().write(vals)
        if self._confidential_is_manager():
            res = super().write(vals)
            self._confidential_mark_manual()
            return res
        # a form sends the values its onchange computed: accepted when they are the defaults
        res = super().write({k: v for k, v in vals.items() if k not in TIER_FIELDS})
        for record in self:
            for fname, value in tier_vals.items():
                if record._confidential_value(fname) != (value or False):
                    self._confidential_check_manager()
        return res

    def _confidential_value(self, fname):
        value = self[fname]
        return (value.id if isinstance(value, models.BaseModel) else value) or False

    def _confidential_mark_manual(self):
        """Set by hand when the tier, keeper or department differ from the defaults."""
        for record in self:
            defaults = record._confidential_defaults()
            manual = any(record._confidential_value(f) != (defaults[f] or False) for f in TIER_FIELDS)
            if manual != record.confidential_manual:
                record.confidential_manual = manual

    def _confidential_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _confidential_check_manager(self):
        if self._confidential_is_manager():
            return
        raise AccessError(self.env._(
            "Only a Credit Manager can change the confidentiality of a customer file."))

    def action_reset_confidentiality(self):
        """Back to the tier and keeper that follow from the customer."""
        self._confidential_check_manager()
        for record in self:
            record.write(record._confidential_defaults())
        return True
