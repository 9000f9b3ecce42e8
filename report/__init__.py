from . import credit_satisfaction_report
