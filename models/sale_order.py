from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .credit_customer_file_confidential import CONFIDENTIAL_TIERS

# set by controllers/rpc.py while Odoo's external API (XML-RPC, JSON-RPC) runs a call:
# a refused confirmation there puts the order on hold
EXTERNAL_API = ContextVar("customer_credit_archive_external_api", default=False)
# keys of ``cr.cache``, which lives with the transaction and cannot be set by a caller
CHECKED_KEY = "customer_credit_archive.checked_order_ids"
GUARDED_KEY = "customer_credit_archive.guarded_order_ids"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_hold = fields.Boolean(
        string="On Credit Hold", copy=False, readonly=True, tracking=True, index=True,
        help="The customer confirmed this order (portal or API) but the credit check "
        "refused it: it waits for a Credit Manager's release.",
    )
    credit_hold_reason = fields.Text(copy=False, readonly=True)
    credit_release_ids = fields.One2many(
        "credit.release", "order_id", string="Credit Releases", copy=False,
    )
    credit_release_count = fields.Integer(compute="_compute_credit_release_count")
    credit_currency_id = fields.Many2one(related="company_id.currency_id", string="Credit Currency")
    credit_exposure = fields.Monetary(
        compute="_compute_credit_check", currency_field="credit_currency_id",
        string="Customer Exposure",
    )
    credit_limit_applied = fields.Monetary(
        compute="_compute_credit_check", currency_field="credit_currency_id",
        string="Customer Credit Limit",
    )
    credit_order_amount = fields.Monetary(
        compute="_compute_credit_check", currency_field="credit_currency_id",
        string="Amount on Credit",
    )
    credit_check_message = fields.Text(compute="_compute_credit_check", string="Credit Check")

    # ------------------------------------------------------------------
    # Composition analysis (issue 8): the customer's grade and file tier when the order was
    # confirmed, so that the figures of past years keep the grade they were sold under.
    # Orders confirmed before the module stay empty ("ungraded at confirmation").
    # ------------------------------------------------------------------
    credit_grade_at_confirm_id = fields.Many2one(
        "credit.grade", string="Grade at Confirmation", readonly=True, copy=False, index=True,
        help="The customer's credit grade in the order's company when the order was confirmed.",
    )
    credit_tier_at_confirm = fields.Selection(
        CONFIDENTIAL_TIERS, string="File Tier at Confirmation", readonly=True, copy=False,
        help="The confidentiality tier of the customer's file when the order was confirmed.",
    )

    def _compute_credit_release_count(self):
        for order in self:
            order.credit_release_count = len(order.credit_release_ids)

    @api.depends("partner_id", "partner_invoice_id", "amount_total", "state", "company_id")
    def _compute_credit_check(self):
        # one exposure query per company for all the orders
        partners_by_company = defaultdict(lambda: self.env["res.partner"])
        for order in self:
            partner = order._credit_partner()
            if isinstance(partner.id, int):
                partners_by_company[order.company_id or self.env.company] |= partner
        figures = {
            company: partners._credit_figures(company, overdue=False)
            for company, partners in partners_by_company.items()
        }
        for order in self:
            order.credit_exposure = order.credit_limit_applied = order.credit_order_amount = 0.0
            order.credit_check_message = False
            partner = order._credit_partner()
            company = order.company_id or self.env.company
            if not partner or not isinstance(partner.id, int):
                continue
            limit = partner._credit_effective_limit(company)
            order.credit_exposure = figures[company].get(partner.id, {}).get("exposure", 0.0)
            order.credit_limit_applied = limit or 0.0
            order.credit_order_amount = order._credit_amount_needed()
            if order.state in ("draft", "sent") and isinstance(order.id, int):
                problems = order._credit_problems(figures=figures[company], lock=False)
                order.credit_check_message = problems.get(order, False)

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------
    def _credit_partner(self):
        """The commercial partner that carries the order's receivables."""
        self.ensure_one()
        return (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _credit_amount_needed(self, paid=True):
        """What the order asks on credit, in company currency: its total less what is paid.

        ``paid=False`` ignores the payments (no query): an upper bound for a quick check.
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        total = self.amount_total - (self.amount_paid if paid else 0.0)
        return company.currency_id.round(max(total, 0.0) / (self.currency_rate or 1.0))

    def _credit_valid_release(self, amount):
        releases = self.credit_release_ids.filtered(lambda r: r._is_valid_for(self, amount))
        return releases[:1]

    def _credit_check_values(self, partners, company, lock):
        """The credit profile of ``partners`` in ``company``, read in one query.

        ``lock``: the read updates the partner rows, which serializes the credit checks of
        these customers: a concurrent transaction that checks the same customer waits for
        this one, and under REPEATABLE READ then fails with a serialization error (Odoo
        retries the request, and the retry sees this transaction's confirmed orders). A
        plain read lock would not: the waiting transaction would go on with its old snapshot.

        Reading the company-dependent columns directly avoids loading every
        company-dependent field of the partner. Returns ``{partner_id: {grade_id, limit,
        blacklisted, immediate, supply_stopped, supply_revoked, legal_action}}``; values missing
        for the company take the field's fallback (``ir.default``), as the ORM does.
        """
        if not partners:
            return {}
        fnames = {"grade_id": "credit_grade_id", "limit": "credit_limit",
                  "blacklisted": "credit_blacklisted", "immediate": "credit_immediate_settlement",
                  "supply_stopped": "credit_supply_stopped", "supply_revoked": "credit_supply_revoked",
                  "legal_action": "credit_legal_action"}
        Partner = self.env["res.partner"]
        Partner.flush_model(list(fnames.values()))
        columns = SQL(", ").join(SQL.identifier(fname) for fname in fnames.values())
        ids = sorted(partners.ids)
        if lock:
            query = SQL("UPDATE res_partner SET write_date = write_date WHERE id = ANY(%s) RETURNING id, %s",
                        ids, columns)
        else:
            query = SQL("SELECT id, %s FROM res_partner WHERE id = ANY(%s)", columns, ids)
        self.env.cr.execute(query)
        key = str(company.id)
        fallbacks = {}
        result = {}
        for row in self.env.cr.fetchall():
            values = {}
            for (name, fname), raw in zip(fnames.items(), row[1:], strict=True):
                if isinstance(raw, dict) and key in raw:
                    values[name] = raw[key]
                    continue
                if fname not in fallbacks:
                    fallback = Partner._fields[fname].get_company_dependent_fallback(
                        _in_company(Partner, company))
                    fallbacks[fname] = fallback.id if isinstance(fallback, models.BaseModel) else fallback
                values[name] = fallbacks[fname]
            result[row[0]] = values
        return result

    def _credit_problems(self, growth=False, figures=None, lock=True):
        """Check the credit rules for ``self``, confirmed together.

        ``growth``: ``self`` are confirmed orders that grew; their amounts are
        already in the exposure. Returns ``{order: message}`` for the refused orders.
        """
        groups = defaultdict(lambda: self.browse())
        customers_by_company = defaultdict(lambda: self.env["res.partner"])
        for order in self:
            partner = order._credit_partner()
            groups[(order.company_id, partner)] |= order
            customers_by_company[order.company_id] |= partner | order.partner_id.commercial_partner_id
        values = {}
        for company, customers in customers_by_company.items():
            values[company] = self._credit_check_values(customers, company, lock)
        if figures is None:
            figures = {}
            for company, partners in groups:
                figures.setdefault(company, self.env["res.partner"])
                figures[company] |= partners
            figures = {company: partners._credit_figures(company, overdue=False)
                       for company, partners in figures.items()}
        else:
            given = figures
            figures = defaultdict(lambda: given)
        # a quick pass first, without reading payments and releases: most orders pass it
        if not self._credit_evaluate(groups, figures, values, growth, exact=False):
            return {}
        return self._credit_evaluate(groups, figures, values, growth, exact=True)

    def _credit_evaluate(self, groups, figures, values, growth, exact):
        """Refusals per order; with ``exact=False``, an upper bound that reads less."""
        problems = {}
        for (company, partner), orders in groups.items():
            amounts = {order: order._credit_amount_needed(paid=exact) for order in orders}
            refusable = orders.browse(
                [order.id for order in orders if not (exact and order._credit_valid_release(amounts[order]))]
            )
            for order in refusable:
                message = order._credit_flag_problem(partner, amounts[order], values[company])
                if message:
                    problems[order] = message
            partner_values = values[company].get(partner.id, {})
            limit = self.env["res.partner"]._credit_limit_rule(
                company, bool(partner_values.get("grade_id")), partner_values.get("limit"))
            if limit is None:
                continue
            currency = company.currency_id
            exposure = figures[company].get(partner.id, {}).get("exposure", 0.0)
            batch = 0.0 if growth else sum(amounts.values())
            excess = currency.round(exposure + batch - limit)
            if currency.compare_amounts(excess, 0.0) <= 0:
                continue
            for order in refusable - self.browse([o.id for o in problems]):
                problems[order] = order._credit_limit_message(
                    _in_company(partner, company), limit, exposure, amounts[order],
                    batch - amounts[order], excess, growth,
                )
        return problems

    def _credit_flag_problem(self, partner, amount, values):
        """Blacklist, sanctions and immediate settlement, of the ordering and the invoiced customer."""
        self.ensure_one()
        for customer in self.partner_id.commercial_partner_id | partner:
            flags = values.get(customer.id, {})
            if flags.get("blacklisted"):
                customer = _in_company(customer, self.company_id)
                return self.env._(
                    "%(order)s cannot be confirmed: customer %(customer)s is blacklisted "
                    "(%(reason)s). Orders of blacklisted customers are refused; only a Credit "
                    "Manager can release this order.",
                    order=self.name, customer=customer.display_name,
                    reason=customer.credit_blacklist_reason or self.env._("no reason given"),
                )
            sanction_refusal = customer._credit_sanction_refusal(self, flags, "sale")
            if sanction_refusal:
                return sanction_refusal
            if flags.get("immediate") and amount > 0:
                return self.env._(
                    "%(order)s cannot be confirmed: customer %(customer)s is under immediate "
                    "settlement (cash or prepayment only) and %(amount)s of the order is not paid. "
                    "Collect the payment first, or ask a Credit Manager to release the order.",
                    order=self.name, customer=customer.display_name,
                    amount=self.company_id.currency_id.format(amount),
                )
        return False

    def _credit_limit_message(self, partner, limit, exposure, amount, others, excess, growth):
        self.ensure_one()
        fmt = self.company_id.currency_id.format
        grade = partner.credit_grade_id
        values = {
            "order": self.name,
            "customer": partner.display_name,
            "grade": grade.display_name or self.env._("no grade"),
            "limit": fmt(limit),
            "exposure": fmt(exposure),
            "amount": fmt(amount),
            "others": fmt(others),
            "excess": fmt(excess),
        }
        if growth:
            message = self.env._(
                "%(order)s cannot be increased: customer %(customer)s (grade %(grade)s) would "
                "reach an exposure of %(exposure)s, over its credit limit of %(limit)s by "
                "%(excess)s (the order now needs %(amount)s on credit).", **values)
        else:
            message = self.env._(
                "%(order)s cannot be confirmed: customer %(customer)s (grade %(grade)s) has a "
                "credit limit of %(limit)s and a current exposure of %(exposure)s; this order "
                "adds %(amount)s, which exceeds the limit by %(excess)s.", **values)
            if not self.company_id.currency_id.is_zero(others):
                message += " " + self.env._(
                    "Orders of the same customer confirmed with it add %(others)s.", **values)
        if grade and self.company_id.currency_id.is_zero(limit):
            message += " " + self.env._(
                "A limit of 0 means no credit at all for this grade.")
        return message + " " + self.env._(
            "Collect a payment, reduce the order, or ask a Credit Manager to release it.")

    def _credit_refusal_mode(self):
        """'raise' for a person in the back office, 'hold' for the portal and the API."""
        if self.env.context.get("credit_hold_on_refusal") or self.env.user.share:
            return "hold"
        if EXTERNAL_API.get():
            return "hold"
        return "raise"

    def _credit_put_on_hold(self, problems):
        for order, message in problems.items():
            # sudo: the portal customer who signed cannot write the order's hold fields
            order_sudo = order.sudo()
            was_on_hold = order_sudo.credit_hold
            order_sudo.write({"credit_hold": True, "credit_hold_reason": message})
            if was_on_hold:
                continue
            order_sudo.message_post(body=self.env._(
                "The confirmation was refused by the credit check; the order is on credit hold "
                "until a Credit Manager releases it. %(message)s", message=message))
            for user in self.env["res.partner"]._credit_responsible_users(order.company_id):
                order_sudo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Order on credit hold"),
                    note=message,
                )

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------
    def action_confirm(self):
        to_check = self.filtered(lambda o: o.state in ("draft", "sent"))
        problems = to_check._credit_problems()
        if problems:
            if self._credit_refusal_mode() == "raise":
                raise UserError("\n\n".join(problems.values()))
            self._credit_put_on_hold(problems)
            held_ids = [order.id for order in problems]
            orders = self.filtered(lambda o: o.id not in held_ids)
            if not orders:
                return True
        else:
            orders = self
        checked = self.env.cr.cache.setdefault(CHECKED_KEY, set())
        checked.update(orders.ids)
        try:
            res = super(SaleOrder, orders).action_confirm()
        finally:
            checked.difference_update(orders.ids)
        on_hold = orders.filtered("credit_hold")
        if on_hold:
            on_hold.sudo().write({"credit_hold": False, "credit_hold_reason": False})
        return res

    def _validate_order(self):
        # portal signature (and e-commerce): a refusal puts the order on hold
        return super(SaleOrder, self.with_context(credit_hold_on_refusal=True))._validate_order()

    @contextmanager
    def _credit_guard_growth(self):
        """Check again the confirmed orders of ``self`` whose credit need grows."""
        guarded = self.env.cr.cache.setdefault(GUARDED_KEY, set())
        watched = self.filtered(lambda o: o.state == "sale" and o.id not in guarded)
        before = {o.id: (o._credit_amount_needed(), o._credit_partner()) for o in watched}
        guarded.update(watched.ids)
        try:
            yield
        finally:
            guarded.difference_update(watched.ids)
        if not watched:
            return
        grown = watched.filtered(
            lambda o: o.state == "sale" and (
                o._credit_partner() != before[o.id][1]
                or o.company_id.currency_id.compare_amounts(
                    o._credit_amount_needed(), before[o.id][0]) > 0
            )
        )
        if grown:
            problems = grown._credit_problems(growth=True)
            if problems:
                raise UserError("\n\n".join(problems.values()))

    def write(self, vals):
        if vals.get("state") == "sale":
            checked = self.env.cr.cache.get(CHECKED_KEY, set())
            unchecked = self.filtered(lambda o: o.state in ("draft", "sent") and o.id not in checked)
            problems = unchecked._credit_problems()
            if problems:
                raise UserError("\n\n".join(problems.values()))
        if {"order_line", "partner_id", "partner_invoice_id", "pricelist_id", "currency_id"} & set(vals):
            with self._credit_guard_growth():
                return super().write(vals)
        return super().write(vals)

    def action_open_credit_release(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Release"),
            "res_model": "credit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_credit_releases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit_archive.credit_release_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        return action

    @api.model
    def _credit_composition_snapshot(self, keys):
        """{(commercial partner id, company id): (grade id, tier)} of today, for ``keys``."""
        result = {}
        partner_ids_by_company = defaultdict(set)
        for partner_id, company_id in keys:
            partner_ids_by_company[company_id].add(partner_id)
        for company_id, partner_ids in partner_ids_by_company.items():
            company = self.env["res.company"].browse(company_id)
            values = self._credit_check_values(self.env["res.partner"].browse(partner_ids), company, lock=False)
            # sudo: the tier of a confidential file the confirming user may not read
            files = self.env["credit.customer.file"].sudo().with_context(active_test=False).search_fetch(
                [("partner_id", "in", list(partner_ids)), ("company_id", "=", company_id)],
                ["partner_id", "confidential_tier"])
            tiers = {file.partner_id.id: file.confidential_tier for file in files}
            for partner_id in partner_ids:
                result[partner_id, company_id] = (
                    values.get(partner_id, {}).get("grade_id") or False, tiers.get(partner_id) or False)
        return result

    def _action_confirm(self):
        keys = {order: (order.partner_id.commercial_partner_id.id, order.company_id.id) for order in self}
        snapshot = self._credit_composition_snapshot(set(keys.values()))
        # sudo: a portal customer who signs cannot write these readonly fields
        write_composition_snapshot(self.sudo(), {order.id: snapshot[key] for order, key in keys.items()})
        return super()._action_confirm()


def _in_company(records, company):
    """``records`` in ``company``, without a new environment when it is already the current one."""
    return records if records.env.company == company else records.with_company(company)

def write_composition_snapshot(records, values_by_id):
    """Write ``{id: (grade id, tier)}`` on ``records``' model (orders or invoices) in its
    environment, one write per distinct value."""
    ids_by_values = defaultdict(list)
    for record_id, values in values_by_id.items():
        ids_by_values[values].append(record_id)
    for (grade_id, tier), record_ids in ids_by_values.items():
        records.browse(record_ids).write(
            {"credit_grade_at_confirm_id": grade_id or False, "credit_tier_at_confirm": tier or False})
