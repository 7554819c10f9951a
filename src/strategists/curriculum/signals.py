"""What curriculum tells the apps above it (webhooks listen); curriculum imports none of them.

Each is sent inside the transaction of the change it names, so a receiver's rows commit or roll
back with it.
"""

from django.dispatch import Signal

# `certification`: a person was certified (first time, or reinstated by a coordinator).
certified = Signal()
# `credential`, `by`: a credential was revoked (directly, or with its certification's reversal).
credential_revoked = Signal()
