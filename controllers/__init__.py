from . import rpc
from . import portal
from . import credit_complaint_portal
