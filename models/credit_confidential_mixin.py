import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

MODULE = "customer_credit_archive"
MIXIN = "credit.confidential.mixin"

# who -> (group xml id, domain): the same rules for every model that inherits the mixin
# (variant 10, 第三章 保密规定: company / department / personal files, read by others only
# with an approved 查阅档案审批表)
CONFIDENTIAL_RULES = {
    "user": (
        f"{MODULE}.group_credit_user",
        "['|', '|', '|', ('confidential_file_id', '=', False), "
        "('confidential_file_id.confidential_owner_id', '=', user.id), "
        "('confidential_file_id.confidential_team_id.user_id', '=', user.id), "
        "('confidential_file_id.access_grant_user_ids', 'in', [user.id])]",
    ),
    "department_manager": (
        f"{MODULE}.group_credit_department_manager",
        "[('confidential_file_id.confidential_tier', 'in', ['department', 'personal']), "
        "('confidential_file_id.confidential_team_id.user_id', '=', user.id)]",
    ),
    "marketing_director": (f"{MODULE}.group_credit_marketing_director", "[(1, '=', 1)]"),
    "manager": (f"{MODULE}.group_credit_manager", "[(1, '=', 1)]"),
}


class CreditConfidentialMixin(models.AbstractModel):
    """Records that belong to a confidential customer file (机密级客户档案).

    A model that inherits this mixin gets ``confidential_file_id`` (the customer file the
    record belongs to, from its commercial partner and company by default) and, for each
    group of ``CONFIDENTIAL_RULES``, a record rule ``<model>_rule_confidential_<who>`` with the
    same domain as every other confidential model: the tier of the file decides who reads.
    The rules are created after ``init()`` (module install / update, and test registries that
    load fake models) and checked again by ``_register_hook()`` (at install the groups are loaded
    after the models).
    """

    _name = MIXIN
    _description = "Confidential Customer File Record"

    confidential_file_id = fields.Many2one(
        "credit.customer.file", index=True, ondelete="set null",
        compute="_compute_confidential_file_id", store=True, readonly=True, copy=False,
        help="The customer file whose confidentiality tier decides who reads this record.",
    )

    # ------------------------------------------------------------------
    # The file of a record (override these methods for another link)
    # ------------------------------------------------------------------
    @api.model
    def _confidential_file_depends(self):
        """The fields ``confidential_file_id`` depends on."""
        return ("partner_id.commercial_partner_id", "company_id")

    def _confidential_file_key(self):
        """(commercial partner id, company id) of the file of this record (one record), or None."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return None
        return partner.id, self.company_id.id or False

    @api.depends(lambda self: self._confidential_file_depends())
    def _compute_confidential_file_id(self):
        # stored compute: runs as superuser, the file is found whatever its tier; one query for
        # the whole batch (reviews and contract documents are created by the hundred)
        keys = {record: record._confidential_file_key() for record in self}
        partner_ids = {key[0] for key in keys.values() if key}
        files = {}
        if partner_ids:
            found = self.env["credit.customer.file"].with_context(active_test=False).search_fetch(
                [("partner_id", "in", list(partner_ids))], ["partner_id", "company_id"], order="id")
            for file in found:
                files.setdefault((file.partner_id.id, file.company_id.id or False), file)
        File = self.env["credit.customer.file"]
        for record, key in keys.items():
            record.confidential_file_id = files.get(key, File) if key else File

    @api.model
    def _confidential_link_new_files(self, files):
        """Give the records filed before these customer files existed their file: a record of a
        customer without file is readable by every Credit User until then."""
        partners = files.partner_id
        if not partners:
            return
        for name in self._confidential_models():
            Model = self.env[name].sudo().with_context(active_test=False)
            if name == "credit.customer.file" or "partner_id" not in Model._fields:
                continue  # the file itself, and records linked through another record
            records = Model.search([
                ("confidential_file_id", "=", False),
                ("partner_id.commercial_partner_id", "in", partners.ids),
            ])
            if records:
                self.env.add_to_compute(Model._fields["confidential_file_id"], records)
                records._recompute_recordset(["confidential_file_id"])

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _confidential_readable(self, user=None):
        """The records of ``self`` that ``user`` (default: current user) may read."""
        user = user or self.env.user
        return self.with_user(user)._filtered_access("read").with_env(self.env)

    # ------------------------------------------------------------------
    # Record rules, per concrete model
    # ------------------------------------------------------------------
    @api.model
    def _confidential_models(self):
        """The concrete models that inherit the mixin (directly or through another mixin)."""
        names, todo = set(), [MIXIN]
        while todo:
            name = todo.pop()
            for child in self.pool[name]._inherit_children:
                if child not in names and child in self.pool:
                    names.add(child)
                    todo.append(child)
        return sorted(n for n in names if not self.pool[n]._abstract and not self.pool[n]._transient)

    @api.model
    def _confidential_rules(self):
        """who -> (group xml id, domain) of this model's rules: the common ones, and those a model
        adds to let more people read its records (rules of groups are OR-ed: they only widen)."""
        return dict(CONFIDENTIAL_RULES)

    @api.model
    def _confidential_sync_rules(self):
        """Create or update the confidentiality rules of this model (idempotent)."""
        if self._abstract or self._transient or self._name == MIXIN:
            return
        rules = self._confidential_rules()
        groups = {who: self.env.ref(xmlid, raise_if_not_found=False)
                  for who, (xmlid, _domain) in rules.items()}
        model = self.env["ir.model"].sudo().search([("model", "=", self._name)], limit=1)
        if not model or not all(groups.values()):
            return  # first install: the groups come with the data files, _register_hook follows
        Data = self.env["ir.model.data"].sudo()
        Rule = self.env["ir.rule"].sudo().with_context(active_test=False)
        model_underscored = self._name.replace(".", "_")
        for who, (_xmlid, domain) in rules.items():
            name = f"{model_underscored}_rule_confidential_{who}"
            rule = self.env.ref(f"{MODULE}.{name}", raise_if_not_found=False)
            values = {
                "name": f"{self._description}: confidential file ({who.replace('_', ' ')})",
                "model_id": model.id,
                "groups": [fields.Command.set(groups[who].ids)],
                "domain_force": domain,
                "perm_read": True, "perm_write": True, "perm_create": True, "perm_unlink": True,
                "active": True,
            }
            if rule:
                if (rule.domain_force != domain or rule.groups != groups[who]
                        or rule.model_id != model or not rule.active):
                    rule.sudo().write(values)
                continue
            rule = Rule.create(values)
            # noupdate: the rule is not a data file record, a module update must not remove it;
            # the uninstallation of the module does
            Data._update_xmlids([{"xml_id": f"{MODULE}.{name}", "record": rule, "noupdate": True}])
        # the rules of a "who" the model no longer has (a rule only widens: a stale one would leak)
        prefix = f"{model_underscored}_rule_confidential_"
        expected = {f"{prefix}{who}" for who in rules}
        stale = Data.search([
            ("module", "=", MODULE), ("model", "=", "ir.rule"), ("name", "=like", f"{prefix}%"),
        ]).filtered(lambda data: data.name.startswith(prefix) and data.name not in expected)
        if stale:
            Rule.browse(stale.mapped("res_id")).exists().unlink()
            stale.unlink()

    def init(self):
        res = super().init()
        # after the reflection of the models (ir.model) that init_models does after init()
        self.pool.post_init(self._confidential_sync_rules)
        return res

    def _register_hook(self):
        super()._register_hook()
        if not self._abstract and not self._transient and self._name != MIXIN:
            try:
                with self.env.cr.savepoint():
                    self._confidential_sync_rules()
            except Exception:  # noqa: BLE001 - never block the server start for a rule
                _logger.exception("Could not set up the confidentiality rules of %s", self._name)
