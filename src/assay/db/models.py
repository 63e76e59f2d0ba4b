"""Imports every domain's models so the metadata is complete (migrations, drift checks)."""

from assay.accounts import models as accounts_models
from assay.assessments import models as assessments_models
from assay.db.base import Base
from assay.delivery import models as delivery_models
from assay.grading import models as grading_models
from assay.integrity import models as integrity_models
from assay.mail import models as mail_models
from assay.results import models as results_models

__all__ = [
    "Base",
    "accounts_models",
    "assessments_models",
    "delivery_models",
    "grading_models",
    "integrity_models",
    "mail_models",
    "results_models",
]
