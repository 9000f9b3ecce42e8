from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

# what the customer fills in: the application, and the basic data of its customer file
APPLICATION_FIELDS = ("requested_limit", "request_note")
FILE_FIELDS = (
    "legal_representative", "owner_name", "registered_capital", "founding_date", "organization_form",
    "employee_count", "annual_sales",
)
NUMBER_FIELDS = {"requested_limit", "registered_capital", "annual_sales"}
INTEGER_FIELDS = {"employee_count"}
DATE_FIELDS = {"founding_date"}


class CreditApplicationPortal(CustomerPortal):
    """The customer's own credit application form (variants 1, 4: the data form sent to the customer).

    Portal users have no access right on applications or files: every read and write goes
    through this controller, as superuser, restricted to the commercial partner of the
    portal user.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "credit_application_count" in counters:
            values["credit_application_count"] = len(self._credit_applications())
        return values

    def _credit_customer(self):
        return request.env.user.partner_id.commercial_partner_id

    def _credit_applications(self):
        return request.env["credit.application"].sudo().search([
            ("partner_id", "=", self._credit_customer().id),
            ("company_id", "in", request.env.user.company_ids.ids),
        ])

    def _credit_file(self):
        customer = self._credit_customer()
        return request.env["credit.customer.file"].sudo().search([
            ("partner_id", "=", customer.id), ("company_id", "=", request.env.user.company_id.id),
        ], limit=1)

    @http.route("/my/credit", type="http", auth="user", website=True)
    def portal_my_credit(self, **kw):
        if request.env.user._is_internal():
            return request.redirect("/odoo/action-customer_credit_archive.credit_application_action")
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "credit_application",
            "applications": self._credit_applications(),
            "file": self._credit_file(),
            "customer": self._credit_customer(),
            "organization_forms": request.env["credit.customer.file"]._fields[
                "organization_form"]._description_selection(request.env),
            "error": kw.get("error"),
            "submitted": kw.get("submitted"),
        })
        return request.render("customer_credit_archive.portal_my_credit_application", values)

    @http.route("/my/credit/submit", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_credit_submit(self, **post):
        if request.env.user._is_internal():
            return request.redirect("/my/credit")
        try:
            application_values, file_values = self._credit_parse(post)
        except ValueError as error:
            return self.portal_my_credit(error=str(error))
        customer = self._credit_customer()
        company = request.env.user.company_id
        env = request.env(su=True, context=dict(request.env.context, credit_file_source="customer"))
        applicant = customer.user_id or env["res.partner"]._credit_responsible_users(company)[:1]
        if not applicant:
            applicant = env.ref("base.user_admin")
        try:
            with request.env.cr.savepoint():
                application = env["credit.application"].with_company(company).create({
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "user_id": applicant.id,
                    "supplied_by_customer": True,
                    **application_values,
                })
                if file_values:
                    File = env["credit.customer.file"].with_company(company)
                    File._file_for(customer, company).write(file_values)
        except ValidationError as error:
            return self.portal_my_credit(error=error.args[0])
        application.message_post(body=request.env._(
            "Application filled in by %(user)s on the portal: the data is supplied by the customer "
            "and must be verified.", user=request.env.user.name))
        application.activity_schedule(
            "mail.mail_activity_data_todo", user_id=applicant.id,
            summary=request.env._("Verify a credit application supplied by the customer"),
        )
        return request.redirect("/my/credit?submitted=1")

    def _credit_parse(self, post):
        """The posted values, converted; ValueError with a message for the customer."""
        application_values, file_values = {}, {}
        for name in APPLICATION_FIELDS + FILE_FIELDS:
            raw = (post.get(name) or "").strip()
            if not raw:
                continue
            if name in NUMBER_FIELDS or name in INTEGER_FIELDS:
                try:
                    value = int(raw) if name in INTEGER_FIELDS else float(raw.replace(",", ""))
                except ValueError:
                    raise ValueError(request.env._("%(value)s is not a number.", value=raw)) from None
                if value < 0:
                    raise ValueError(request.env._("Amounts and counts cannot be negative."))
            elif name in DATE_FIELDS:
                try:
                    value = fields.Date.to_date(raw)
                except ValueError:
                    raise ValueError(request.env._("%(value)s is not a date.", value=raw)) from None
            elif name == "organization_form":
                forms = dict(request.env["credit.customer.file"]._fields[name]._description_selection(request.env))
                if raw not in forms:
                    raise ValueError(request.env._("Unknown organization form."))
                value = raw
            else:
                value = raw
            (application_values if name in APPLICATION_FIELDS else file_values)[name] = value
        if not application_values.get("requested_limit"):
            raise ValueError(request.env._("Please enter the credit limit you request."))
        return application_values, file_values
