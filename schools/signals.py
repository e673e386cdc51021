"""What schools tells the apps above it, which it may not import (the layers run one way).

Receivers run inside the sender's transaction: whatever they write stands or falls with it.
"""

from django.dispatch import Signal

# Sent by ``school_create`` with ``school`` and ``actor`` once the school exists, so that
# higher apps set up their defaults for it (safeguarding: the concern categories).
school_created = Signal()
