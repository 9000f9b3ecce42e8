from . import rpc
from . import portal
