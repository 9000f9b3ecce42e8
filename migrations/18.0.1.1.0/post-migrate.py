"""18.0.1.1.0: the grade at confirmation of the sales that have none, from the credit history.

The composition analysis counts every confirmed order and posted customer invoice under the
grade its customer had when it was confirmed (``credit_grade_at_confirm_id``). Databases made
with 18.0.1.0.0 hold orders and invoices without that snapshot: those confirmed before the
snapshot existed (builds of 18.0.1.0.0 before the analysis), or whose snapshot was lost. The
analysis shows them as "ungraded at confirmation", although their customer was graded then.

The credit history (``credit.grade.history``, one line per change of a customer's profile with
its grade before and after) tells which grade the customer had at any moment: the grade after
the last change before the order's confirmation, else the grade before the first change after
it, else none (never graded: the sale stays ungraded, as orders from before the module). The
file tier has no history and stays empty. Invoices take the grade of their orders, a credit
note that of the invoice it reverses, an invoice without order the grade of the customer at the
end of the invoice date.

Plain SQL on the rows left empty only, so running it twice changes nothing.
"""
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the grade of (partner_id, company_id) at the moment t.at, for the rows of "todo"
GRADE_AT = SQL("""
    SELECT t.id, CASE WHEN b.id IS NOT NULL THEN b.new_grade_id ELSE a.old_grade_id END AS grade_id
      FROM todo t
      LEFT JOIN LATERAL (
            SELECT h.id, h.new_grade_id FROM credit_grade_history h
             WHERE h.partner_id = t.partner_id AND h.company_id = t.company_id AND h.date <= t.at
             ORDER BY h.date DESC, h.id DESC LIMIT 1) b ON TRUE
      LEFT JOIN LATERAL (
            SELECT h.old_grade_id FROM credit_grade_history h
             WHERE h.partner_id = t.partner_id AND h.company_id = t.company_id AND h.date > t.at
             ORDER BY h.date, h.id LIMIT 1) a ON TRUE
""")

EMPTY_INVOICES = SQL("""
    am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
    AND am.credit_grade_at_confirm_id IS NULL AND am.credit_tier_at_confirm IS NULL
""")


def migrate(cr, version):
    if not version:
        return
    # 1. orders: the grade at their confirmation (date_order is set when an order is confirmed)
    cr.execute(SQL("""
        WITH todo AS (
            SELECT so.id, p.commercial_partner_id AS partner_id, so.company_id, so.date_order AS at
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.credit_grade_at_confirm_id IS NULL AND so.credit_tier_at_confirm IS NULL
        ), graded AS (%(grade_at)s)
        UPDATE sale_order so SET credit_grade_at_confirm_id = graded.grade_id
          FROM graded
         WHERE so.id = graded.id AND graded.grade_id IS NOT NULL
    """, grade_at=GRADE_AT, empty_invoices=EMPTY_INVOICES))
    orders = cr.rowcount
    # 2. invoices: the snapshot of the latest invoiced order that has one
    cr.execute(SQL("""
        UPDATE account_move am
           SET credit_grade_at_confirm_id = src.grade_id, credit_tier_at_confirm = src.tier
          FROM (SELECT DISTINCT ON (aml.move_id) aml.move_id,
                       so.credit_grade_at_confirm_id AS grade_id, so.credit_tier_at_confirm AS tier
                  FROM account_move_line aml
                  JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                  JOIN sale_order_line sol ON sol.id = rel.order_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE so.credit_grade_at_confirm_id IS NOT NULL OR so.credit_tier_at_confirm IS NOT NULL
                 ORDER BY aml.move_id, so.date_order DESC, so.id DESC) src
         WHERE am.id = src.move_id AND %(empty_invoices)s
    """, grade_at=GRADE_AT, empty_invoices=EMPTY_INVOICES))
    invoices = cr.rowcount
    # 3. credit notes: the snapshot of the invoice they reverse
    cr.execute(SQL("""
        UPDATE account_move am
           SET credit_grade_at_confirm_id = rev.credit_grade_at_confirm_id,
               credit_tier_at_confirm = rev.credit_tier_at_confirm
          FROM account_move rev
         WHERE rev.id = am.reversed_entry_id AND %(empty_invoices)s
           AND (rev.credit_grade_at_confirm_id IS NOT NULL OR rev.credit_tier_at_confirm IS NOT NULL)
    """, grade_at=GRADE_AT, empty_invoices=EMPTY_INVOICES))
    invoices += cr.rowcount
    # 4. the invoices without order: the customer's grade at the end of the invoice date (the
    #    invoices of orders confirmed ungraded stay ungraded, as their orders)
    cr.execute(SQL("""
        WITH todo AS (
            SELECT am.id, am.commercial_partner_id AS partner_id, am.company_id,
                   (COALESCE(am.invoice_date, am.date) + 1)::timestamp - interval '1 microsecond' AS at
              FROM account_move am
             WHERE %(empty_invoices)s
               AND NOT EXISTS (SELECT 1 FROM account_move_line aml
                                 JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                                WHERE aml.move_id = am.id)
        ), graded AS (%(grade_at)s)
        UPDATE account_move am SET credit_grade_at_confirm_id = graded.grade_id
          FROM graded
         WHERE am.id = graded.id AND graded.grade_id IS NOT NULL
    """, grade_at=GRADE_AT, empty_invoices=EMPTY_INVOICES))
    invoices += cr.rowcount
    _logger.info("customer_credit_archive %s: grade at confirmation restored on %d order(s) and %d invoice(s)",
                 version, orders, invoices)
    # the composition analyses, when materialized, show the restored grades now, not at the
    # next scheduled refresh
    mixin = api.Environment(cr, SUPERUSER_ID, {}).get("credit.composition.report.mixin")
    if (orders or invoices) and mixin is not None and hasattr(mixin, "_refresh_composition"):
        mixin._refresh_composition()
