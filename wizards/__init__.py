from . import credit_release_wizard
from . import credit_malicious_default_wizard
from . import credit_customer_list_export
from . import credit_handover_wizard
from . import credit_application_reject_wizard
from . import credit_sanction_wizard
from . import credit_review_approve_wizard
