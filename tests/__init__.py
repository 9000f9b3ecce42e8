from . import test_credit_grade
from . import test_credit_profile
from . import test_credit_exposure
from . import test_credit_enforcement
from . import test_credit_growth
from . import test_credit_portal
from . import test_credit_concurrency
from . import test_credit_downgrade
