from . import credit_release_wizard
from . import credit_malicious_default_wizard
