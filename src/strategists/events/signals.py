"""What events tells the apps above it. Events imports none of them: they listen.

`training_completed` is sent inside the transaction that completes a training, changes the areas
it taught, or checks someone in after it was completed, with `event` and `by`; a receiver that
fails rolls the change back. Receivers must be idempotent: it is sent again for each correction.

The others are sent inside the transaction of the change they name, once per change, so a
receiver may write rows that commit (or roll back) with it (webhooks queue their deliveries so):
"""

from django.dispatch import Signal

training_completed = Signal()
# `registration`: created (registered or waitlisted), or cancelled (by the person, a lapsed offer).
registration_created = Signal()
registration_cancelled = Signal()
# `registration`: checked in at the door (or added as a walk-in already checked in).
registration_checked_in = Signal()
# `event`, `by`: a coordinator approved the training, or someone cancelled it.
training_approved = Signal()
training_cancelled = Signal()
