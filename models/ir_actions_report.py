from odoo import models
from odoo.exceptions import AccessError

MIXIN = "credit.confidential.mixin"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _credit_confidential_records(self, report_ref, res_ids):
        """The confidential records a report prints, in the env of the user (or None)."""
        if self.env.su or not res_ids:
            return None
        report = self._get_report(report_ref)
        if report.model not in self.env[MIXIN]._confidential_models():
            return None
        return self.env[report.model].browse(res_ids)

    def _credit_log_print(self, report_ref, res_ids, render):
        """Check (the right to print is the right to read: issue 6 item 5) and log a print."""
        records = self._credit_confidential_records(report_ref, res_ids)
        if records is None:
            return render()
        Log = self.env["credit.file.access.log"]
        try:
            records.check_access("read")
        except AccessError:
            forbidden = records - records._filtered_access("read")
            Log._log_access(forbidden or records, "report", violation=True)
            raise
        result = render()
        Log._log_access(records, "report")
        return result

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        ids = [res_ids] if isinstance(res_ids, int) else res_ids
        return self._credit_log_print(
            report_ref, ids, lambda: super(IrActionsReport, self)._render_qweb_pdf(
                report_ref, res_ids=res_ids, data=data))

    def _render_qweb_html(self, report_ref, docids, data=None):
        if (data or {}).get("report_type") == "pdf":  # inside _render_qweb_pdf: logged there
            return super()._render_qweb_html(report_ref, docids, data=data)
        return self._credit_log_print(
            report_ref, docids, lambda: super(IrActionsReport, self)._render_qweb_html(
                report_ref, docids, data=data))
