from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
# quotations, and confirmed orders that still have something to invoice
OPEN_ORDER_DOMAIN = [
    "|", ("state", "in", ("draft", "sent")),
    "&", ("state", "=", "sale"), ("invoice_status", "!=", "invoiced"),
]


class CreditHandoverWizard(models.TransientModel):
    """A salesperson leaves: their customers, files, open reports, orders and activities go
    to a successor in one step, so that nothing stays assigned to someone who is gone."""

    _name = "credit.handover.wizard"
    _description = "Hand Over the Customers of a Salesperson"

    from_user_id = fields.Many2one(
        "res.users", string="Leaving Salesperson", required=True,
        domain="[('share', '=', False)]", context={"active_test": False},
        help="Archived users can be chosen too: their customers still have to be handed over.",
    )
    to_user_id = fields.Many2one(
        "res.users", string="Successor", required=True,
        domain="[('share', '=', False), ('id', '!=', from_user_id)]",
    )
    company_ids = fields.Many2many(
        "res.company", string="Companies", required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
        help="Only the records of these companies are handed over (the companies you work in).",
    )
    notify_customers = fields.Boolean(
        string="Inform the Customers by Email",
        help="Send the customers that have an email address the name and contact details of "
        "their new contact person.",
    )
    note = fields.Text(help="Added to the note posted on each customer.")
    customer_count = fields.Integer(string="Customers", compute="_compute_counts")
    contact_count = fields.Integer(string="Contacts", compute="_compute_counts")
    file_count = fields.Integer(string="Customer Files", compute="_compute_counts")
    visit_report_count = fields.Integer(string="Open Visit Reports", compute="_compute_counts")
    order_count = fields.Integer(string="Open Sale Orders", compute="_compute_counts")
    activity_count = fields.Integer(string="Activities", compute="_compute_counts")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if ("from_user_id" in fields_list and not values.get("from_user_id")
                and context.get("active_model") == "res.users" and context.get("active_id")):
            values["from_user_id"] = context["active_id"]
        return values

    @api.constrains("from_user_id", "to_user_id")
    def _check_users(self):
        for wizard in self:
            if wizard.from_user_id == wizard.to_user_id:
                raise ValidationError(self.env._(
                    "The successor must be another person than the leaving salesperson "
                    "%(user)s.", user=wizard.from_user_id.name))
            if wizard.to_user_id.share or not wizard.to_user_id.active:
                raise ValidationError(self.env._(
                    "The successor %(user)s must be an active internal user.",
                    user=wizard.to_user_id.name))

    @api.depends("from_user_id", "company_ids")
    def _compute_counts(self):
        for wizard in self:
            records = wizard._handover_records()
            wizard.customer_count = len(records["customers"])
            wizard.contact_count = len(records["partners"] - records["customers"])
            wizard.file_count = len(records["files"])
            wizard.visit_report_count = len(records["reports"])
            wizard.order_count = len(records["orders"])
            wizard.activity_count = len(records["activities"])

    # ------------------------------------------------------------------
    # What is handed over
    # ------------------------------------------------------------------
    def _handover_companies(self):
        # never beyond the companies the runner works in, whatever the wizard says; the
        # companies are not in the form of single-company users: all of theirs, then
        return (self.company_ids._origin or self.env.companies) & self.env.companies

    def _handover_records(self):
        """The records of the leaving salesperson in the companies of the wizard.

        Searched as superuser with the company scope written out: what the runner's own
        record rules hide (orders of other salespeople, activities of others) must not be
        left behind silently. The writes are made as the runner, with the runner's rights.
        """
        self.ensure_one()
        user = self.from_user_id._origin
        companies = self._handover_companies()
        empty = {
            "partners": self.env["res.partner"], "customers": self.env["res.partner"],
            "files": self.env["credit.customer.file"], "reports": self.env["credit.visit.report"],
            "orders": self.env["sale.order"], "activities": self.env["mail.activity"],
        }
        if not user or not companies:
            return empty
        env = self.sudo().with_context(active_test=False).env
        partners = env["res.partner"].search([
            ("user_id", "=", user.id), ("company_id", "in", [False, *companies.ids]),
        ])
        files = env["credit.customer.file"].search([
            ("company_id", "in", companies.ids),
            "|", ("user_id", "=", user.id), ("responsible_user_ids", "in", user.ids),
        ])
        reports = env["credit.visit.report"].search([
            ("user_id", "=", user.id), ("state", "=", "draft"), ("company_id", "in", companies.ids),
        ])
        customers = partners.filtered(lambda p: p == p.commercial_partner_id)
        # the orders of the customers whose follow-up moves to the successor
        followed = partners.commercial_partner_id | files.partner_id
        orders = env["sale.order"].search([
            ("user_id", "=", user.id), ("company_id", "in", companies.ids),
            ("partner_id", "child_of", followed.ids), *OPEN_ORDER_DOMAIN,
        ]) if followed else env["sale.order"]
        documents = {
            "res.partner": partners | followed,
            "credit.customer.file": files,
            "credit.visit.report": reports,
            "sale.order": orders,
        }
        activity_domain = [("user_id", "=", user.id), "|"] + ["|"] * (len(documents) - 2)
        for model, records in documents.items():
            activity_domain += ["&", ("res_model", "=", model), ("res_id", "in", records.ids)]
        activities = env["mail.activity"].search(activity_domain)
        # back to the runner's environment: the writes check the runner's rights
        return {
            "partners": partners.with_env(self.env),
            "customers": customers.with_env(self.env),
            "files": files.with_env(self.env),
            "reports": reports.with_env(self.env),
            "orders": orders.with_env(self.env),
            "activities": activities.with_env(self.env),
        }

    def _check_successor_companies(self, records):
        companies = (records["files"].company_id | records["reports"].company_id
                     | records["orders"].company_id)
        missing = companies - self.to_user_id.company_ids
        if missing:
            raise UserError(self.env._(
                "%(user)s cannot work in %(companies)s: give them access to these companies "
                "before the handover, or leave the companies out of it.",
                user=self.to_user_id.name, companies=", ".join(missing.mapped("name"))))

    # ------------------------------------------------------------------
    # The handover
    # ------------------------------------------------------------------
    def action_handover(self):
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._(
                "Only a Credit Manager can hand the customers of a salesperson over."))
        self._check_users()
        records = self._handover_records()
        self._check_successor_companies(records)
        old, new = self.from_user_id, self.to_user_id
        records["partners"].write({"user_id": new.id})
        files = records["files"]
        files.filtered(lambda f: f.user_id == old).write({"user_id": new.id})
        files.filtered(lambda f: old in f.responsible_user_ids).write({
            "responsible_user_ids": [Command.unlink(old.id), Command.link(new.id)],
        })
        records["reports"].write({"user_id": new.id})
        records["orders"].write({"user_id": new.id})
        # one bulk reassignment: no "activity assigned to you" email per activity
        records["activities"].with_context(mail_activity_quick_update=True).write(
            {"user_id": new.id})
        notified = self._notify_customers(records["customers"]) if self.notify_customers else None
        self._post_handover_note(records["customers"], notified)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Handover done"),
                "message": self.env._(
                    "%(customers)s customers, %(files)s customer files, %(reports)s open visit "
                    "reports, %(orders)s sale orders and %(activities)s activities of %(old)s "
                    "now belong to %(new)s.",
                    customers=len(records["customers"]), files=len(files),
                    reports=len(records["reports"]), orders=len(records["orders"]),
                    activities=len(records["activities"]), old=old.name, new=new.name),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _post_handover_note(self, customers, notified=None):
        message = self.env._(
            "Customer handed over from %(old)s to %(new)s.",
            old=self.from_user_id.name, new=self.to_user_id.name)
        body = Markup("<p>%s</p>") % message
        if self.note:
            body += plaintext2html(self.note)
        for customer in customers:
            customer_body = body
            if notified and customer in notified:
                customer_body += Markup("<p>%s</p>") % self.env._(
                    "The customer was informed by email of the new contact person.")
            customer.message_post(body=customer_body, subtype_xmlid="mail.mt_note")

    def _notify_customers(self, customers):
        """Email the customers that have an address the name and contacts of the successor."""
        recipients = customers.filtered(lambda c: c.email and c.active)
        if recipients:
            template = self.env.ref("customer_credit_archive.mail_template_credit_handover")
            # the template reads the successor from its context (ctx in the template)
            template.with_context(handover_to_user=self.to_user_id).send_mail_batch(recipients.ids)
        return recipients
