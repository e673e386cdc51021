"""Leadership and governance records: SLT monitoring (policy section 3.3), the policy's own reviews
(section 6) and the staff wellbeing pulse governors read (section 3.7).
"""

from django.db import models  # noqa: F401
