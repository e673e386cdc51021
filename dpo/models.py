"""The Data Protection Officer's registers (policy sections 4 and 5): suspected breaches and their
72-hour clock, retention reviews and subject access.
"""

from django.db import models  # noqa: F401
