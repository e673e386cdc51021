"""IT support (policy section 3.5): technical issues raised by staff, help given to families, and
loaned devices and connectivity.
"""

from django.db import models  # noqa: F401
