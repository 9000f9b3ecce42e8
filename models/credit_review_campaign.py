import base64
import calendar
import io
import logging
from collections import defaultdict
from datetime import date, timedelta

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, modules, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import split_every

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "customer_credit_archive.group_credit_manager"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# batches processed by one call of the scheduled action; Odoo's cron runner calls it again
# at once while customers remain (ir.cron progress API)
CRON_MAX_BATCHES = 20


class CreditReviewCampaign(models.Model):
    """The year-end review (年审评价报告) of all the graded customers of a company for one year.

    Customers are processed in batches by increasing id: each batch creates its reviews and records the
    last customer it processed, so that an interrupted campaign resumes where it stopped. When run by
    the scheduled action, each batch is committed on its own.
    """

    _name = "credit.review.campaign"
    _description = "Year-End Review Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date = fields.Date(
        string="Review Date", required=True, tracking=True, default=lambda self: self._default_date(),
        help="The figures are those of the twelve months up to this date; overdue amounts are counted at it.",
    )
    date_from = fields.Date(string="Period Start", compute="_compute_period", store=True)
    year = fields.Integer(compute="_compute_period", store=True, index=True, aggregator=False)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], default="running", required=True, readonly=True,
        tracking=True, index=True,
    )
    batch_size = fields.Integer(default=500, help="Customers reviewed per batch (one transaction each).")
    customer_count = fields.Integer(
        string="Customers to Review", readonly=True,
        help="Graded customers of the company when the campaign started.",
    )
    processed_count = fields.Integer(string="Customers Processed", readonly=True)
    last_partner_id = fields.Integer(
        string="Last Processed Customer ID", readonly=True,
        help="Customers are reviewed by increasing id: a resumed campaign starts after this one.",
    )
    date_done = fields.Datetime(string="Finished On", readonly=True)
    review_ids = fields.One2many("credit.review", "campaign_id", string="Customer Reviews")
    review_count = fields.Integer(compute="_compute_review_counts", string="Reviews")
    to_approve_count = fields.Integer(compute="_compute_review_counts", string="To Approve")
    approved_count = fields.Integer(compute="_compute_review_counts", string="Approved")
    downgrade_count = fields.Integer(compute="_compute_review_counts", string="Downgrades Suggested")
    export_file = fields.Binary(string="Campaign Workbook", attachment=True, readonly=True, copy=False)
    export_filename = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        ("company_year_unique", "UNIQUE(company_id, year)", "A company has one year-end review campaign per year."),
        ("batch_size_positive", "CHECK(batch_size > 0)", "The batch size must be positive."),
    ]

    @api.model
    def _review_date(self, company, year):
        """The configured review date of ``company`` in ``year`` (29 February: the 28th in other years)."""
        month = company.credit_review_month or 12
        return date(year, month, min(company.credit_review_day or 31, calendar.monthrange(year, month)[1]))

    @api.model
    def _default_date(self):
        today = fields.Date.context_today(self)
        return min(today, self._review_date(self.env.company, today.year))

    @api.depends("date")
    def _compute_period(self):
        for campaign in self:
            review_date = campaign.date or fields.Date.context_today(self)
            campaign.year = review_date.year
            campaign.date_from = review_date - relativedelta(years=1) + timedelta(days=1)

    @api.depends("year", "company_id")
    def _compute_name(self):
        for campaign in self:
            campaign.name = self.env._("Year-End Review %(year)s", year=campaign.year)

    def _compute_review_counts(self):
        counts = defaultdict(int)
        for campaign, state, change, count in self.env["credit.review"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id", "state", "grade_change"], ["__count"]):
            counts[campaign, "all"] += count
            counts[campaign, state] += count
            if change == "down":
                counts[campaign, "down"] += count
        for campaign in self:
            campaign.review_count = counts[campaign, "all"]
            campaign.to_approve_count = counts[campaign, "to_approve"]
            campaign.approved_count = counts[campaign, "approved"]
            campaign.downgrade_count = counts[campaign, "down"]

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(campaign.date > today for campaign in self):
            raise ValidationError(self.env._(
                "The review date cannot be in the future: the overdue receivables are counted at that date."))

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        for campaign in campaigns:
            campaign.customer_count = campaign._remaining_count()
        return campaigns

    def write(self, vals):
        if {"date", "company_id"} & set(vals) and any(campaign.processed_count for campaign in self):
            raise UserError(self.env._("The date and the company of a started campaign cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Batches
    # ------------------------------------------------------------------
    def _customer_domain(self):
        """The graded commercial partners of the company still without review this year."""
        self.ensure_one()
        reviewed = self.env["credit.review"]._search(
            [("company_id", "=", self.company_id.id), ("year", "=", self.year)])
        return [
            ("credit_grade_id", "!=", False),
            "|", ("is_company", "=", True), ("parent_id", "=", False),
            ("company_id", "in", [False, self.company_id.id]),
            ("id", "not in", reviewed.subselect("partner_id")),
        ]

    def _partners(self):
        # the grade is company dependent: the domain reads it in the campaign's company
        return self.env["res.partner"].with_company(self.company_id).with_context(active_test=True)

    def _remaining_count(self):
        self.ensure_one()
        return self._partners().search_count(self._customer_domain() + [("id", ">", self.last_partner_id)])

    def _next_batch(self):
        self.ensure_one()
        return self._partners().search(
            self._customer_domain() + [("id", ">", self.last_partner_id)], order="id", limit=self.batch_size)

    def _process_batch(self):
        """Review the next batch of customers; returns how many were reviewed (0: the campaign is done)."""
        self.ensure_one()
        partners = self._next_batch()
        if not partners:
            self._finish()
            return 0
        self.env["credit.review"]._create_for_campaign(self, partners)
        self.write({
            "last_partner_id": max(partners.ids),
            "processed_count": self.processed_count + len(partners),
        })
        return len(partners)

    @api.model
    def _autocommit(self):
        """Whether each batch is committed: not in tests (nor with the ``credit_review_no_commit`` context key)."""
        return not (
            tools.config["test_enable"] or modules.module.current_test
            or self.env.context.get("credit_review_no_commit")
        )

    def _run(self, max_batches=None):
        """Process the running campaigns of ``self`` batch by batch, at most ``max_batches`` batches.

        Returns the number of customers reviewed. Each batch is committed when ``_autocommit`` says so,
        and the record cache emptied, so that the memory used does not grow with the campaign.
        """
        autocommit = self._autocommit()
        reviewed = batches = 0
        for campaign in self:
            while campaign.state == "running" and (max_batches is None or batches < max_batches):
                reviewed += campaign._process_batch()
                batches += 1
                if autocommit:
                    # batch commit of a long cron job, only when _autocommit allows it (never in tests)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                    self.env.invalidate_all()
        return reviewed

    def _finish(self):
        self.ensure_one()
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        body = self.env._(
            "%(count)s year-end reviews created: %(to_approve)s to approve, %(down)s downgrades suggested.",
            count=self.review_count, to_approve=self.to_approve_count, down=self.downgrade_count)
        self.message_post(body=body)
        for user in self.env["res.partner"]._credit_responsible_users(self.company_id):
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id,
                summary=self.env._("Approve the year-end reviews %(year)s", year=self.year), note=body,
            )

    @api.model
    def _review_due(self, review_date, today):
        """Whether the review of ``review_date`` is to start today: it is the date, or the scheduled action
        last ran before it (the server was down that day)."""
        if review_date == today:
            return True
        lastcall = self.env.context.get("lastcall")
        if not lastcall:
            return False
        return fields.Datetime.to_datetime(lastcall).date() < review_date < today

    @api.model
    def _cron_year_end_review(self, max_batches=CRON_MAX_BATCHES):
        """Daily: start the campaign of each company on its review date, then run the unfinished ones."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all  # few companies
            review_date = self._review_date(company, today.year)
            if not self._review_due(review_date, today):
                continue
            if not self.search_count([("company_id", "=", company.id), ("year", "=", review_date.year)]):
                campaign = self.create({"company_id": company.id, "date": review_date})
                _logger.info("Year-end review %s of %s started: %s customers",
                             campaign.year, company.name, campaign.customer_count)
        running = self.search([("state", "=", "running")], order="date, id")
        reviewed = running._run(max_batches=max_batches)
        remaining = sum(campaign._remaining_count() for campaign in running if campaign.state == "running")
        self.env["ir.cron"]._notify_progress(done=reviewed, remaining=remaining)
        return reviewed

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Credit Manager can run a year-end review."))

    def action_process(self):
        """Process the remaining customers now, in this request."""
        self._check_manager()
        self.check_access("write")
        self.filtered(lambda campaign: campaign.state == "running")._run()
        return True

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_credit_archive.credit_review_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_to_approve": 1}
        return action

    def action_export_xlsx(self):
        """The reviews of the campaign as an xlsx workbook, served by Odoo's /web/content route."""
        self.ensure_one()
        self.check_access("read")
        content = self._build_xlsx()
        # sudo: Credit Users export the reviews they can read but have no write right on campaigns
        self.sudo().write({
            "export_file": base64.b64encode(content),
            "export_filename": f"year_end_review_{self.year}_{self.company_id.id}.xlsx",
        })
        # the mimetype is given as it cannot be guessed from the head of a zip file
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=export_file"
            f"&filename_field=export_filename&mimetype={XLSX_MIMETYPE}&download=true",
        }

    def _xlsx_columns(self):
        """(header, width, kind, value of a review) of each column; kind: text, integer, number, money."""
        reviews = self.env["credit.review"]
        changes = dict(reviews._fields["grade_change"]._description_selection(self.env))
        states = dict(reviews._fields["state"]._description_selection(self.env))
        columns = [
            (self.env._("Customer"), 32, "text", lambda r: r.partner_id.name),
            (self.env._("Reference"), 12, "text", lambda r: r.partner_id.ref),
            (self.env._("Salesperson"), 20, "text", lambda r: r.user_id.name),
            (self.env._("Grade at Review"), 12, "text", lambda r: r.current_grade_id.code),
            (self.env._("Limit at Review"), 14, "money", lambda r: r.current_limit),
            (self.env._("Sales"), 14, "money", lambda r: r.sales_amount),
            (self.env._("Payments Received"), 14, "money", lambda r: r.payment_amount),
            (self.env._("Paid Invoices"), 10, "integer", lambda r: r.paid_invoice_count),
            (self.env._("Average Days to Pay"), 10, "number",
             lambda r: r.avg_days_to_pay if r.paid_invoice_count else None),
            (self.env._("Payment Score"), 10, "integer", lambda r: r.payment_score if r.has_payment_score else None),
            (self.env._("Overdue Invoices"), 10, "integer", lambda r: r.overdue_count),
            (self.env._("Overdue Amount"), 14, "money", lambda r: r.overdue_amount),
            (self.env._("Oldest Overdue (days)"), 10, "integer", lambda r: r.overdue_days),
            (self.env._("Overdue Ratio (%)"), 10, "number", lambda r: r.overdue_ratio),
        ]
        if "credit.complaint" in self.env:
            columns.append((self.env._("Complaints and Incidents"), 10, "integer", lambda r: r.complaint_count))
        columns += [
            (self.env._("Rule"), 30, "text", lambda r: r.rule_id.name),
            (self.env._("New Grade"), 10, "text", lambda r: r.suggested_grade_id.code),
            (self.env._("New Limit"), 14, "money", lambda r: r.suggested_limit),
            (self.env._("Grade Change"), 12, "text", lambda r: changes.get(r.grade_change)),
            (self.env._("Status"), 12, "text", lambda r: states.get(r.state)),
            (self.env._("Approved By"), 20, "text", lambda r: r.approved_by_id.name),
        ]
        return columns

    def _build_xlsx(self):
        self.ensure_one()
        columns = self._xlsx_columns()
        output = io.BytesIO()
        # rows are written in order: constant_memory flushes each row, whatever the number of customers
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        sheet = workbook.add_worksheet(self.env._("Year-End Review %(year)s", year=self.year)[:31])
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        formats = {
            "text": None,
            "integer": workbook.add_format({"num_format": "0"}),
            "number": workbook.add_format({"num_format": "0.0"}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
        }
        for col, (title, width, _kind, _getter) in enumerate(columns):
            sheet.write_string(0, col, title, header)
            sheet.set_column(col, col, width)
        review_ids = self.env["credit.review"].search([("campaign_id", "=", self.id)], order="id").ids
        row = 0
        # a thousand reviews at a time, the cache emptied after each: the memory stays flat
        for reviews in split_every(1000, review_ids, self.env["credit.review"].browse):
            for review in reviews:
                row += 1
                for col, (_title, _width, kind, getter) in enumerate(columns):
                    value = getter(review)
                    if value is None or value is False or value == "":
                        continue
                    if kind == "text":
                        sheet.write_string(row, col, value)
                    else:
                        sheet.write_number(row, col, value, formats[kind])
            self.env.invalidate_all()
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
        workbook.close()
        return output.getvalue()
