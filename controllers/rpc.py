from odoo.http import route

from odoo.addons.base.controllers.rpc import RPC

from ..models.sale_order import EXTERNAL_API


class CreditRPC(RPC):
    """Mark the calls of Odoo's external API (XML-RPC and JSON-RPC).

    Odoo runs them without an HTTP request bound to the model layer, like a
    script or a test; the credit check needs to know that no person at the back
    office reads its refusal, to put the order on credit hold instead.
    """

    def _xmlrpc(self, service):
        token = EXTERNAL_API.set(True)
        try:
            return super()._xmlrpc(service)
        finally:
            EXTERNAL_API.reset(token)

    @route()
    def jsonrpc(self, service, method, args):
        token = EXTERNAL_API.set(True)
        try:
            return super().jsonrpc(service, method, args)
        finally:
            EXTERNAL_API.reset(token)
