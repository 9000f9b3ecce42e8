from odoo import api, models
from odoo.exceptions import AccessError

SCOPE_KEY = "credit_access_log_scope"
# reads of these fields only are not reads of the file (many2one labels, ids)
NOT_CONFIDENTIAL = frozenset({"id", "display_name"})


class _LogScope:
    """Context marker of a logged read: its channel and the models already logged.

    An object, not a plain value: a client cannot send it in the context of an RPC call to
    silence the log.
    """

    __slots__ = ("channel", "models")

    def __init__(self, channel, models):
        self.channel = channel
        self.models = models


class CreditConfidentialMixin(models.AbstractModel):
    """The access log of the confidential records (issue 6): each entry point of a read by a
    user (form, list, export, RPC read; reports in ``ir.actions.report``) logs the records read
    with one ``INSERT``, a refused read is logged as a violation with its fine.

    The overrides of ``web_read``, ``web_search_read`` and ``read`` are not ``@api.readonly``:
    ``/web/dataset/call_kw`` serves them on a read/write cursor, where the log is written in the
    same transaction as the read.
    """

    _inherit = "credit.confidential.mixin"

    def _credit_log_scope(self):
        scope = self.env.context.get(SCOPE_KEY)
        return scope if isinstance(scope, _LogScope) else None

    def _credit_log_wanted(self, field_names=None):
        """Whether a read of ``self`` is logged: a user's read (not the superuser, not sudo),
        of something else than labels, not already logged by the entry point of the call."""
        if self.env.su or self._abstract:
            return False
        if field_names is not None and not set(field_names) - NOT_CONFIDENTIAL:
            return False
        scope = self._credit_log_scope()
        return not (scope and self._name in scope.models)

    def _credit_log_call(self, channel, call):
        """Run ``call(records)`` for ``self`` inside a log scope, log the read of ``self`` or
        the refusal (violation, then raise again)."""
        scope = self._credit_log_scope()
        models_done = (scope.models if scope else ()) + (self._name,)
        inner = self.with_context(**{SCOPE_KEY: _LogScope(channel, models_done)})
        Log = self.env["credit.file.access.log"]
        try:
            result = call(inner)
        except AccessError:
            forbidden = self - self._filtered_access("read")
            Log._log_access(forbidden or self, channel, violation=True)
            raise
        return result

    def _credit_log_channel(self, default):
        scope = self._credit_log_scope()
        return scope.channel if scope else default

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    def web_read(self, specification):
        if not self._credit_log_wanted(specification):
            return super().web_read(specification)
        channel = self._credit_log_channel("form")
        result = self._credit_log_call(
            channel, lambda inner: super().web_read(specification))
        self.env["credit.file.access.log"]._log_access(self, channel)
        return result

    web_read._readonly = False

    @api.model
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None,
                        count_limit=None):
        if not self._credit_log_wanted(specification):
            return super().web_search_read(domain, specification, offset=offset, limit=limit,
                                           order=order, count_limit=count_limit)
        channel = self._credit_log_channel("list")
        result = self._credit_log_call(
            channel, lambda inner: super().web_search_read(
                domain, specification, offset=offset, limit=limit, order=order,
                count_limit=count_limit))
        records = self.browse([values["id"] for values in result["records"]])
        self.env["credit.file.access.log"]._log_access(records, channel)
        return result

    web_search_read._readonly = False

    def read(self, fields=None, load="_classic_read"):
        if not self or not self._credit_log_wanted(fields):
            return super().read(fields, load=load)
        channel = self._credit_log_channel("rpc")
        result = self._credit_log_call(
            channel, lambda inner: super().read(fields, load=load))
        self.env["credit.file.access.log"]._log_access(self, channel)
        return result

    read._readonly = False

    def export_data(self, fields_to_export):
        if not self._credit_log_wanted():
            return super().export_data(fields_to_export)
        result = self._credit_log_call(
            "export",
            lambda inner: super().export_data(fields_to_export))
        self.env["credit.file.access.log"]._log_access(self, "export")
        return result
