from odoo import api, fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
CHANNEL_KEY = "credit_profile_read_channel"

# The credit profile kept on the customer (company dependent values and figures) is a part of
# the customer's confidential file (variant 10, 第三章 保密规定): a user reads it when he reads
# the customer's file of the current company. The history, releases and sanctions are records
# of their own, guarded by the record rules of the confidential mixin.
PROFILE_FIELDS = frozenset({
    "credit_grade_id",
    "credit_limit",
    "credit_discount",
    "credit_immediate_settlement",
    "credit_blacklisted",
    "credit_blacklist_reason",
    "credit_blacklist_date",
    "credit_last_downgrade_date",
    "credit_limit_effective",
    "credit_exposure",
    "credit_available",
    "credit_overdue_amount",
    "credit_overdue_days",
    "credit_supply_stopped",
    "credit_supply_revoked",
    "credit_legal_action",
})


class ResPartner(models.Model):
    """The credit profile on the customer is served to users who read the customer's file.

    Only what leaves the server is guarded: ``read`` (form, list, RPC) returns empty values for
    the customers whose file the user may not read, ``export_data`` refuses them, and each read
    of a profile that is served is written to the access log. Server code (the credit check of
    orders, Odoo's own flows) reads the fields as before, so quotations, invoices and deliveries
    keep working for every employee, and the sales user still gets the reason of a refusal.
    """

    _inherit = "res.partner"

    credit_profile_hidden = fields.Boolean(
        compute="_compute_credit_profile_hidden", string="Credit Profile Confidential",
        help="The customer's file of the current company is confidential to you: ask for access.",
    )

    @api.depends_context("uid", "company")
    def _compute_credit_profile_hidden(self):
        hidden = set(self._credit_profile_files()[1])
        for partner in self:
            partner.credit_profile_hidden = partner.id in hidden

    def _credit_profile_files(self):
        """({partner id: file id} of the readable files, {partner id: file id} of the hidden ones)
        for the customer files of the current company of the partners of ``self``."""
        ids = [pid for pid in self._ids if pid]
        if not ids or self.env.su:
            return {}, {}
        partners = self.browse(ids).sudo()
        files = self.env["credit.customer.file"].sudo().with_context(active_test=False).search_fetch(
            [("partner_id", "in", partners.commercial_partner_id.ids),
             ("company_id", "=", self.env.company.id)], ["partner_id"])
        if not files:
            return {}, {}
        by_commercial = {file.partner_id.id: file.id for file in files}
        if self.env.user.has_group(MANAGER_GROUP):
            readable = set(files.ids)
        else:
            readable = set(files.with_env(self.env)._filtered_access("read").ids)
        shown, hidden = {}, {}
        for partner in partners:
            file_id = by_commercial.get(partner.commercial_partner_id.id)
            if file_id:
                (shown if file_id in readable else hidden)[partner.id] = file_id
        return shown, hidden

    @api.model
    def _credit_profile_empty(self, fname):
        field = self._fields[fname]
        if field.type in ("one2many", "many2many"):
            return []
        if field.type in ("integer", "float", "monetary"):
            return 0
        return False

    def web_read(self, specification):
        records = self
        if PROFILE_FIELDS & set(specification) and not self.env.context.get(CHANNEL_KEY):
            records = self.with_context(**{CHANNEL_KEY: "form"})
        return super(ResPartner, records).web_read(specification)

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None,
                        count_limit=None):
        model = self
        if PROFILE_FIELDS & set(specification) and not self.env.context.get(CHANNEL_KEY):
            model = self.with_context(**{CHANNEL_KEY: "list"})
        return super(ResPartner, model).web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit)

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load=load)
        if self.env.su or not result:
            return result
        guarded = PROFILE_FIELDS & set(result[0])
        if not guarded:
            return result
        shown, hidden = self._credit_profile_files()
        for values in result:
            if values["id"] in hidden:
                for fname in guarded:
                    values[fname] = self._credit_profile_empty(fname)
        self._credit_profile_log(shown, self.env.context.get(CHANNEL_KEY) or "rpc")
        return result

    def export_data(self, fields_to_export):
        guarded = {path.split("/")[0] for path in fields_to_export} & PROFILE_FIELDS
        if not guarded or self.env.su:
            return super().export_data(fields_to_export)
        shown, hidden = self._credit_profile_files()
        if hidden:
            names = ", ".join(self.browse(list(hidden)[:5]).mapped("display_name"))
            raise AccessError(self.env._(
                "The credit profile of %(customers)s is confidential: ask for access to their "
                "customer files before exporting it.", customers=names))
        result = super().export_data(fields_to_export)
        self._credit_profile_log(shown, "export")
        return result

    def _credit_profile_log(self, shown, channel):
        """Log the read of the profiles served, ``shown`` = {partner id: file id}."""
        by_file = {}
        for partner_id, file_id in shown.items():
            by_file.setdefault(file_id, []).append(partner_id)
        self.env["credit.file.access.log"]._log_access_by_file(self._name, by_file, channel)

    def action_credit_request_access(self):
        """Open a new access request to the customer's file of the current company."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Access"),
            "res_model": "credit.file.access.request",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": partner.id, "default_company_id": self.env.company.id},
        }
