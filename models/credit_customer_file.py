from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"

# the four parts of the file (variants 1, 4, 10) and the fields of each
FILE_PARTS = {
    "basic": (
        "legal_representative", "owner_name", "registered_capital", "founding_date",
        "first_trade_date", "organization_form", "industry_id", "total_assets",
        "employee_count", "annual_sales", "key_person_ids",
    ),
    "character": (
        "service_area", "sales_capacity", "development_potential", "business_philosophy",
        "management_style",
    ),
    "business": (
        "sales_result_ids", "staff_quality", "competitor_relations", "cooperation_attitude",
    ),
    "trading": (
        "current_problems", "strengths", "outlook", "reputation", "trading_conditions",
        "past_credit_problems", "payment_habits", "bank_ids", "collection_record_ids",
    ),
}
PART_OF_FIELD = {fname: part for part, fnames in FILE_PARTS.items() for fname in fnames}

# the fields a complete file has, per card type (经销商 / 终端客户档案卡)
EXPECTED_FIELDS = {
    "dealer": tuple(
        fname for fnames in FILE_PARTS.values() for fname in fnames
        if fname not in ("collection_record_ids", "past_credit_problems", "total_assets")
    ),
    "end": (
        "legal_representative", "owner_name", "founding_date", "first_trade_date",
        "organization_form", "industry_id", "employee_count", "key_person_ids",
        "development_potential", "management_style",
        "cooperation_attitude",
        "current_problems", "reputation", "trading_conditions", "payment_habits", "bank_ids",
    ),
}

SOURCES = [
    ("visit", "Salesperson Visit"),
    ("customer", "Form Filled in by the Customer"),
    ("agency", "Investigation Agency"),
    ("other", "Other"),
]


def _source_fields(part, label):
    """The information-source fields of one part of the file."""
    return {
        f"{part}_update_date": fields.Datetime(
            string=f"{label}: Last Update", readonly=True, copy=False,
        ),
        f"{part}_source": fields.Selection(
            SOURCES, string=f"{label}: Source", tracking=True,
            help="Where the data of this part of the file comes from.",
        ),
        f"{part}_agency_id": fields.Many2one(
            "res.partner", string=f"{label}: Agency", tracking=True,
            help="The professional investigation agency that supplied the data.",
        ),
        f"{part}_agency_cost": fields.Monetary(
            string=f"{label}: Agency Cost", currency_field="currency_id", tracking=True,
        ),
        f"{part}_source_date": fields.Date(string=f"{label}: Source Date", tracking=True),
        f"{part}_to_verify": fields.Boolean(
            string=f"{label}: To Verify", readonly=True, copy=False, tracking=True,
            help="Supplied by the customer: a Credit Manager has to verify it.",
        ),
        f"{part}_verified_by_id": fields.Many2one(
            "res.users", string=f"{label}: Verified By", readonly=True, copy=False,
        ),
        f"{part}_verified_date": fields.Datetime(
            string=f"{label}: Verified On", readonly=True, copy=False,
        ),
    }


PART_LABELS = {
    "basic": _lt("Basic Data"),
    "character": _lt("Characteristics"),
    "business": _lt("Business State"),
    "trading": _lt("Trading State"),
}
# field labels are English strings, translated by Odoo's field translations
PART_FIELD_LABELS = {
    "basic": "Basic Data",
    "character": "Characteristics",
    "business": "Business State",
    "trading": "Trading State",
}


class CreditCustomerFile(models.Model):
    _name = "credit.customer.file"
    _description = "Customer File"
    _inherit = ["mail.thread", "mail.activity.mixin", "credit.confidential.mixin"]
    _order = "route_id, route_sequence, name, id"
    _check_company_auto = True

    name = fields.Char(related="partner_id.name", store=True, string="Customer Name")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True,
        domain="[('parent_id', '=', False)]", tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    active = fields.Boolean(default=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", tracking=True, index=True,
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
        domain="[('share', '=', False)]",
        help="The salesperson who keeps this file current (default: the customer's salesperson).",
    )
    responsible_user_ids = fields.Many2many(
        "res.users", "credit_customer_file_responsible_rel", "file_id", "user_id",
        string="Responsible Employees", domain="[('share', '=', False)]",
        help="Our people in charge of this customer. Key customers need at least two (variant 7).",
    )
    credit_grade_id = fields.Many2one(
        related="partner_id.credit_grade_id", string="Credit Grade",
    )
    # -- basic data (客户基础资料)
    legal_representative = fields.Char(tracking=True)
    owner_name = fields.Char(string="Owner", tracking=True)
    registered_capital = fields.Monetary(currency_field="currency_id", tracking=True)
    founding_date = fields.Date(tracking=True)
    first_trade_date = fields.Date(string="First Trade With Us", tracking=True)
    organization_form = fields.Selection(
        [
            ("sole", "Sole Proprietorship"),
            ("partnership", "Partnership"),
            ("limited", "Limited Liability Company"),
            ("joint_stock", "Joint-Stock Company"),
            ("state", "State-Owned Enterprise"),
            ("collective", "Collective Enterprise"),
            ("foreign", "Foreign-Invested Enterprise"),
            ("public", "Public Institution"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    industry_id = fields.Many2one(related="partner_id.industry_id", readonly=False)
    total_assets = fields.Monetary(currency_field="currency_id", tracking=True)
    employee_count = fields.Integer(string="Employees", tracking=True)
    annual_sales = fields.Monetary(currency_field="currency_id", tracking=True)
    key_person_ids = fields.One2many("credit.key.person", "file_id", string="Key Persons")
    # -- characteristics (客户特征)
    service_area = fields.Text(tracking=True)
    sales_capacity = fields.Text(tracking=True)
    development_potential = fields.Selection(
        [("high", "High"), ("medium", "Medium"), ("low", "Low")], tracking=True,
    )
    business_philosophy = fields.Text(string="Business Philosophy and Policy", tracking=True)
    management_style = fields.Text(tracking=True)
    # -- business state (业务状况)
    sales_result_ids = fields.One2many("credit.sales.result", "file_id", string="Sales Results by Year")
    staff_quality = fields.Text(tracking=True)
    competitor_relations = fields.Text(string="Relations with Competitors", tracking=True)
    cooperation_attitude = fields.Selection(
        [("good", "Cooperative"), ("fair", "Neutral"), ("poor", "Reluctant")], tracking=True,
    )
    # -- trading state (交易活动现状)
    current_problems = fields.Text(tracking=True)
    strengths = fields.Text(tracking=True)
    outlook = fields.Text(tracking=True)
    reputation = fields.Text(tracking=True)
    trading_conditions = fields.Text(tracking=True)
    past_credit_problems = fields.Text(tracking=True)
    payment_habits = fields.Text(tracking=True)
    bank_ids = fields.One2many(related="partner_id.bank_ids", readonly=False, string="Banks")
    collection_record_ids = fields.One2many(
        "credit.collection.record", "file_id", string="Collection Records",
    )
    # -- information source of each part
    locals().update(_source_fields("basic", PART_FIELD_LABELS["basic"]))
    locals().update(_source_fields("character", PART_FIELD_LABELS["character"]))
    locals().update(_source_fields("business", PART_FIELD_LABELS["business"]))
    locals().update(_source_fields("trading", PART_FIELD_LABELS["trading"]))
    # -- classification (variant 4)
    nature = fields.Selection(
        [
            ("government", "Government"),
            ("special", "Special Company"),
            ("company", "Ordinary Company"),
            ("individual", "Individual"),
            ("partner", "Trading Partner"),
        ],
        string="Customer Nature", tracking=True,
    )
    ownership = fields.Selection(
        [
            ("state", "State-Owned"),
            ("collective", "Collective"),
            ("private", "Private"),
            ("foreign", "Foreign-Owned"),
            ("joint", "Joint Venture"),
            ("mixed", "Mixed Ownership"),
        ],
        tracking=True,
    )
    channel_type = fields.Selection(
        [
            ("wholesaler", "Wholesaler"),
            ("retailer", "Retailer"),
            ("agent", "Agent"),
            ("dealer", "Authorized Dealer"),
            ("chain", "Chain Store"),
            ("specialty", "Specialty Store"),
        ],
        tracking=True,
    )
    location_type = fields.Selection(
        [
            ("commercial", "Commercial District"),
            ("residential", "Residential Area"),
            ("industrial", "Industrial Zone"),
            ("suburban", "Suburb"),
            ("rural", "Rural"),
        ],
        tracking=True,
    )
    tier = fields.Selection(
        [("key", "Key Customer"), ("regular", "Regular Customer"), ("occasional", "Occasional Customer")],
        tracking=True, index=True,
    )
    lifecycle = fields.Selection(
        [("existing", "Existing Customer"), ("new", "New Customer"), ("prospective", "Prospective Customer")],
        string="Lifecycle Stage", tracking=True,
    )
    trade_period = fields.Selection(
        [("past", "Past Trade"), ("current", "Current Trade"), ("future", "Future Trade")],
        tracking=True,
    )
    card_type = fields.Selection(
        [("dealer", "Dealer"), ("end", "End Customer")],
        required=True, default="dealer", tracking=True,
        help="Which file card (经销商 / 终端客户档案卡) the customer has: it decides the "
        "expected fields of a complete file.",
    )
    route_id = fields.Many2one("credit.visit.route", string="Visit Route", tracking=True, check_company=True)
    route_sequence = fields.Integer(string="Sequence in Route", default=10, tracking=True)
    # -- completeness and freshness
    completeness = fields.Float(
        compute="_compute_completeness", store=True, aggregator="avg",
        help="Share of the fields expected for the card type that are filled (%).",
    )
    last_update_date = fields.Datetime(
        compute="_compute_last_update_date", store=True, index=True,
        help="Last update of any part of the file, visit reports included.",
    )
    last_visit_date = fields.Datetime(readonly=True, copy=False)
    stale = fields.Boolean(
        compute="_compute_stale", search="_search_stale",
        help="Not updated for longer than the company's freshness period.",
    )
    key_understaffed = fields.Boolean(
        string="Key Customer Without Two Responsibles",
        compute="_compute_key_understaffed", store=True,
    )
    to_verify = fields.Boolean(
        string="Data to Verify", compute="_compute_to_verify", store=True,
    )
    visit_report_ids = fields.One2many("credit.visit.report", "file_id", string="Visit Reports")
    visit_report_count = fields.Integer(compute="_compute_visit_report_count")
    violation_ids = fields.One2many(
        "credit.file.violation", "file_id", string="Violations", groups=MANAGER_GROUP,
    )

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)",
         "A customer has one file per company."),
    ]

    @api.depends("partner_id")
    def _compute_user_id(self):
        for record in self:
            if not record.user_id and record.partner_id.user_id:
                record.user_id = record.partner_id.user_id

    @api.depends(lambda self: ("card_type",) + tuple(
        {fname for fnames in EXPECTED_FIELDS.values() for fname in fnames}))
    def _compute_completeness(self):
        for record in self:
            expected = EXPECTED_FIELDS[record.card_type or "dealer"]
            filled = sum(1 for fname in expected if record[fname])
            record.completeness = round(100.0 * filled / len(expected), 1)

    @api.depends("basic_update_date", "character_update_date", "business_update_date",
                 "trading_update_date", "last_visit_date", "create_date")
    def _compute_last_update_date(self):
        for record in self:
            dates = [record[f"{part}_update_date"] for part in FILE_PARTS] + [record.last_visit_date]
            dates = [d for d in dates if d]
            # a file nobody filled in yet counts from its creation
            record.last_update_date = max(dates) if dates else record.create_date

    def _stale_limit(self, company):
        return fields.Datetime.now() - timedelta(days=company.credit_file_stale_days)

    @api.depends("last_update_date", "company_id.credit_file_stale_days")
    def _compute_stale(self):
        for record in self:
            limit = record._stale_limit(record.company_id or self.env.company)
            record.stale = bool(record.last_update_date) and record.last_update_date < limit

    def _search_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on stale files."))
        wanted = value if operator == "=" else not value
        domain = ["|"] * (len(self.env.companies) - 1) if len(self.env.companies) > 1 else []
        for company in self.env.companies:
            domain += ["&", ("company_id", "=", company.id),
                       ("last_update_date", "<", self._stale_limit(company))]
        return domain if wanted else ["!", *domain]

    @api.depends("tier", "responsible_user_ids")
    def _compute_key_understaffed(self):
        for record in self:
            record.key_understaffed = record.tier == "key" and len(record.responsible_user_ids) < 2

    @api.depends(*(f"{part}_to_verify" for part in FILE_PARTS))
    def _compute_to_verify(self):
        for record in self:
            record.to_verify = any(record[f"{part}_to_verify"] for part in FILE_PARTS)

    def _compute_visit_report_count(self):
        counts = dict(self.env["credit.visit.report"]._read_group(
            [("file_id", "in", self.ids)], ["file_id"], ["__count"]))
        for record in self:
            record.visit_report_count = counts.get(record, 0)

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for record in self:
            if record.partner_id != record.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "The file of %(contact)s belongs to its company %(company)s: a customer file "
                    "is kept on the commercial partner only.",
                    contact=record.partner_id.display_name,
                    company=record.partner_id.commercial_partner_id.display_name))

    @api.constrains("registered_capital", "total_assets", "employee_count", "annual_sales",
                    *(f"{part}_agency_cost" for part in FILE_PARTS))
    def _check_not_negative(self):
        for record in self:
            for fname in ("registered_capital", "total_assets", "employee_count", "annual_sales",
                          *(f"{part}_agency_cost" for part in FILE_PARTS)):
                if record[fname] < 0:
                    raise ValidationError(self.env._(
                        "%(field)s of the file of %(customer)s cannot be negative.",
                        field=record._fields[fname]._description_string(self.env),
                        customer=record.partner_id.display_name))

    @api.depends("partner_id")
    def _compute_display_name(self):
        for record in self:
            record.display_name = record.partner_id.display_name or self.env._("New Customer File")

    # ------------------------------------------------------------------
    # Updates: the date of each part, and its source
    # ------------------------------------------------------------------
    @api.model
    def _parts_of(self, fnames):
        return {PART_OF_FIELD[f] for f in fnames if f in PART_OF_FIELD}

    def _source_values(self, parts, vals):
        """Part dates, and "to verify" for data supplied by the customer."""
        now = fields.Datetime.now()
        source = self.env.context.get("credit_file_source")
        extra = {}
        is_manager = self.env.user.has_group(MANAGER_GROUP) or self.env.su
        for part in parts:
            extra[f"{part}_update_date"] = now
            if source and f"{part}_source" not in vals:
                extra[f"{part}_source"] = source
            part_source = vals.get(f"{part}_source", source)
            if part_source == "customer" and not (
                    self.env.context.get("credit_file_verified") and is_manager):
                extra[f"{part}_to_verify"] = True
        return extra

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_source_vals(vals)
            vals.update(self._source_values(self._parts_of(vals) | self._parts_with_source(vals), vals))
        return super().create(vals_list)

    def write(self, vals):
        self._check_source_vals(vals)
        parts = self._parts_of(vals) | self._parts_with_source(vals)
        if parts:
            vals = dict(vals, **self._source_values(parts, vals))
        return super().write(vals)

    @api.model
    def _parts_with_source(self, vals):
        return {part for part in FILE_PARTS if vals.get(f"{part}_source")}

    def _check_source_vals(self, vals):
        # the verification fields are set by action_verify_part only
        protected = {f"{part}_{suffix}" for part in FILE_PARTS
                     for suffix in ("to_verify", "verified_by_id", "verified_date")}
        if protected & set(vals) and not self.env.context.get("credit_file_verifying"):
            raise AccessError(self.env._(
                "The verification of customer data is recorded with the Verify button of a "
                "Credit Manager only."))

    def _touch_parts(self, fnames):
        """Mark the parts of these fields as updated (a line of the part changed)."""
        parts = self._parts_of(fnames)
        if parts:
            now = fields.Datetime.now()
            # sudo: a salesperson who adds a key person updates the date of the part
            self.sudo().with_context(credit_file_verifying=True).write(
                {f"{part}_update_date": now for part in parts})

    def action_verify_part(self, part=None):
        """A Credit Manager confirms the data supplied by the customer."""
        part = part or self.env.context.get("credit_file_part")
        if part not in FILE_PARTS:
            raise UserError(self.env._("Unknown part of the customer file: %s", part))
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                "Only a Credit Manager can verify data supplied by the customer."))
        for record in self:
            if not record[f"{part}_to_verify"]:
                continue
            record.with_context(credit_file_verifying=True).write({
                f"{part}_to_verify": False,
                f"{part}_verified_by_id": self.env.user.id,
                f"{part}_verified_date": fields.Datetime.now(),
            })
            record.message_post(body=self.env._(
                "%(part)s verified by %(user)s.",
                part=str(PART_LABELS[part]), user=self.env.user.name))
        return True

    def action_verify_all(self):
        for part in FILE_PARTS:
            self.filtered(f"{part}_to_verify").action_verify_part(part)
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_visit_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_visit_report_action")
        action["domain"] = [("file_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    def action_new_visit_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visit Report"),
            "res_model": "credit.visit.report",
            "view_mode": "form",
            "context": {"default_partner_id": self.partner_id.id},
        }

    @api.model
    def _file_for(self, partners, company=None):
        """The files of these partners' commercial partners in ``company``, created when missing."""
        company = company or self.env.company
        commercial = partners.commercial_partner_id
        # sudo: one file per customer and company, whatever its confidentiality tier lets the
        # user read (the caller's rights apply again to what it does with the file)
        File = self.sudo().with_context(active_test=False)
        files = File.search([("partner_id", "in", commercial.ids), ("company_id", "=", company.id)])
        missing = commercial - files.partner_id
        if missing:
            files |= File.create([{"partner_id": p.id, "company_id": company.id} for p in missing])
        return files.with_env(self.env)

    # ------------------------------------------------------------------
    # Freshness: the daily check (variant 10: update at least monthly, a miss is fined)
    # ------------------------------------------------------------------
    @api.model
    def _cron_stale_files(self):
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all  # few companies
            files = self.with_company(company).search([
                ("company_id", "=", company.id), ("active", "=", True),
                ("last_update_date", "<", self._stale_limit(company)),
            ])
            files._flag_stale(company)

    def _flag_stale(self, company):
        limit = self._stale_limit(company)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        violations = self.env["credit.file.violation"]
        summary = self.env._("Update the customer file")
        for record in self:
            user = record.user_id or record.partner_id.user_id or (
                self.env["res.partner"]._credit_responsible_users(company)[:1])
            fines = record.violation_ids.filtered(lambda v: v.kind == "missed_update")
            last_fine = max(fines.mapped("date")) if fines else None
            # one fine per freshness period without an update
            if last_fine is None or last_fine < limit:
                violations.create({
                    "file_id": record.id,
                    "user_id": user.id if user else False,
                    "kind": "missed_update",
                    "amount": company.credit_file_fine_amount,
                    "note": self.env._(
                        "The file was last updated on %(date)s, more than %(days)s days ago.",
                        date=fields.Datetime.to_string(record.last_update_date),
                        days=company.credit_file_stale_days),
                })
            if user and not record.activity_ids.filtered(
                    lambda a, u=user: a.activity_type_id == activity_type and a.user_id == u
                    and a.summary == summary):
                record.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=summary,
                    note=self.env._(
                        "The file of %(customer)s has not been updated for more than %(days)s "
                        "days: visit the customer and update it.",
                        customer=record.partner_id.display_name,
                        days=company.credit_file_stale_days),
                )

    # --- file loans (credit.file.loan): where the paper file is ---
    current_loan_id = fields.Many2one("credit.file.loan", compute="_compute_whereabouts")
    whereabouts = fields.Char(string="Where Is It", compute="_compute_whereabouts",
                              help="In the archive room, or lent to whom until when.")

    def _compute_whereabouts(self):
        self.env["credit.file.loan"]._set_whereabouts(self, "customer_file_id")

    # --- relationship care (credit.care.record): visits, feedback and gifts of the customer ---
    care_record_ids = fields.One2many("credit.care.record", "confidential_file_id", string="Relationship Care")
    care_record_count = fields.Integer(string="Care Records", compute="_compute_care_record_count")
    care_visit_count_year = fields.Integer(
        string="Care Visits This Year", compute="_compute_care_record_count",
        help="Holiday, event and routine visits done since January 1st.")

    def _compute_care_record_count(self):
        Care = self.env["credit.care.record"]
        counts = Care._count_per(self, "confidential_file_id")
        visits = Care._visits_this_year(self)
        for record in self:
            record.care_record_count = counts.get(record, 0)
            record.care_visit_count_year = visits.get(record, 0)

    def action_view_care_records(self):
        self.ensure_one()
        return self.env["credit.care.record"]._action_for(self.partner_id, self.company_id)

    # --- customer complaints (credit.complaint) ---
    complaint_count = fields.Integer(string="Complaints", compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        Complaint = self.env["credit.complaint"]
        for company in self.company_id:
            files = self.filtered(lambda f, c=company: f.company_id == c)
            counts = Complaint._count_per_partner(files.partner_id, company)
            for record in files:
                record.complaint_count = counts.get(record.partner_id.id, 0)
        (self - self.filtered("company_id")).complaint_count = 0

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["credit.complaint"]._action_for_partner(self.partner_id, self.company_id)
