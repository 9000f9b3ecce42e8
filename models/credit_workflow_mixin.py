from odoo import api, models
from odoo.exceptions import UserError

CONTEXT_KEY = "credit_workflow"


class _WorkflowToken:
    """Context marker of a write made by a workflow button, after its checks.

    An object, not a plain value: a client cannot put it in the context of an RPC call to
    write the workflow fields directly.
    """

    __slots__ = ("models",)

    def __init__(self, models_):
        self.models = frozenset(models_)


class CreditWorkflowMixin(models.AbstractModel):
    """Records whose workflow fields (state, approvals, dates of the steps) are written by their
    buttons only, never by a form, an import or an RPC call.

    A model lists the fields in ``_workflow_fields`` and the state a new record may be created
    in (``_workflow_initial_state``); its buttons write through ``self._workflow()``. The
    superuser (scheduled actions, data files) is not checked. With ``_workflow_sequence_code``,
    a new record named ``/`` takes the next number of that sequence in its company.
    """

    _name = "credit.workflow.mixin"
    _description = "Credit Workflow Guard"

    _workflow_fields = ()
    _workflow_initial_state = "draft"
    _workflow_sequence_code = None

    def _workflow(self):
        """``self`` allowed to write its workflow fields (and those of the models it already was)."""
        token = self.env.context.get(CONTEXT_KEY)
        done = token.models if isinstance(token, _WorkflowToken) else frozenset()
        return self.with_context(**{CONTEXT_KEY: _WorkflowToken(done | {self._name})})

    def _in_workflow(self):
        token = self.env.context.get(CONTEXT_KEY)
        return isinstance(token, _WorkflowToken) and self._name in token.models

    def _workflow_error(self):
        """The message of a refused write (override with the model's own words)."""
        return self.env._("The state and the steps of %(model)s are set by its buttons only.",
                          model=self._description)

    @api.model
    def _check_workflow_values(self, vals, creating=False):
        if self.env.su or self._in_workflow():
            return
        fields_set = set(vals) & set(self._workflow_fields)
        if creating and vals.get("state", self._workflow_initial_state) == self._workflow_initial_state:
            fields_set.discard("state")
        if fields_set:
            raise UserError(self._workflow_error())

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_values(vals, creating=True)
            if self._workflow_sequence_code and vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                # sudo: the numbering is technical, plain employees cannot read sequences
                vals["name"] = self.env["ir.sequence"].sudo().with_company(company).next_by_code(
                    self._workflow_sequence_code) or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_values(vals)
        return super().write(vals)
