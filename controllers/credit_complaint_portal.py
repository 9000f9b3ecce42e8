from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PORTAL_KINDS = ("quality", "service", "repair", "other")


class CreditComplaintPortal(CustomerPortal):
    """The customer files a complaint on the portal and follows it (policy variant 5, 7).

    Portal users read the complaints of their commercial partner (record rule
    ``credit_complaint_rule_portal``); they create none directly: the controller creates the
    complaint as superuser, for their own company only, with the channel "portal".
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "credit_complaint_count" in counters:
            Complaint = request.env["credit.complaint"]
            values["credit_complaint_count"] = (
                Complaint.search_count(self._complaint_domain()) if Complaint.has_access("read") else 0)
        return values

    def _complaint_customer(self):
        return request.env.user.partner_id.commercial_partner_id

    def _complaint_domain(self):
        return [("partner_id", "=", self._complaint_customer().id)]

    def _complaint_orders(self):
        """The customer's confirmed orders a complaint may concern."""
        # sudo: a portal contact may not read every order of its company; only names are shown
        return request.env["sale.order"].sudo().search([
            ("partner_id", "child_of", self._complaint_customer().id),
            ("company_id", "in", request.env.user.company_ids.ids),
            ("state", "=", "sale"),
        ], limit=50)

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, **kw):
        Complaint = request.env["credit.complaint"]
        domain = self._complaint_domain()
        pager = portal_pager(url="/my/complaints", total=Complaint.search_count(domain), page=page,
                             step=self._items_per_page)
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "credit_complaints",
            "complaints": Complaint.search(domain, limit=self._items_per_page, offset=pager["offset"]),
            "pager": pager,
            "default_url": "/my/complaints",
        })
        request.session["my_complaints_history"] = values["complaints"].ids[:100]
        return request.render("customer_credit_archive.portal_my_complaints", values)

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint = self._document_check_access("credit.complaint", complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(complaint, access_token, {
            "page_name": "credit_complaint",
            "complaint": complaint,
            "created": kw.get("created"),
            # the portal chatter posts with the token: portal users only read complaints
            "token": complaint._portal_ensure_token(),
        }, "my_complaints_history", False, **kw)
        return request.render("customer_credit_archive.portal_my_complaint", values)

    @http.route("/my/complaints/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_my_complaint_new(self, **post):
        if request.env.user._is_internal():
            return request.redirect("/odoo/action-customer_credit_archive.credit_complaint_action")
        values = self._prepare_portal_layout_values()
        kinds = request.env["credit.complaint"]._fields["kind"]._description_selection(request.env)
        values.update({"page_name": "credit_complaint_new", "kinds": kinds, "orders": self._complaint_orders(),
                       "post": post})
        if request.httprequest.method == "POST":
            try:
                complaint = self._complaint_create(post)
            except ValueError as error:
                values["error"] = str(error)
            else:
                return request.redirect(f"/my/complaints/{complaint.id}?created=1")
        return request.render("customer_credit_archive.portal_my_complaint_new", values)

    def _complaint_create(self, post):
        kind = post.get("kind")
        description = (post.get("description") or "").strip()
        if kind not in PORTAL_KINDS:
            raise ValueError(request.env._("Choose what your complaint is about."))
        if not description:
            raise ValueError(request.env._("Describe your complaint."))
        order = request.env["sale.order"]
        if post.get("sale_order_id"):
            order = self._complaint_orders().filtered(lambda o: str(o.id) == post["sale_order_id"])
            if not order:
                raise ValueError(request.env._("Unknown order."))
        customer = self._complaint_customer()
        contact = request.env.user.partner_id
        company = order.company_id or request.env.user.company_id
        # sudo: portal users have no create right on complaints; the values are checked above
        complaint = request.env["credit.complaint"].sudo().with_company(company).create({
            "partner_id": customer.id,
            "contact_id": contact.id if contact != customer else False,
            "company_id": company.id,
            "channel": "portal",
            "kind": kind,
            "description": description,
            "sale_order_id": order.id,
            "received_by_id": False,
        })
        complaint.message_subscribe(partner_ids=contact.ids)
        complaint.message_post(body=request.env._("Complaint filed by %(user)s on the portal.",
                                                  user=request.env.user.name),
                               subtype_xmlid="mail.mt_note")
        return complaint
