"""What events tells the apps above it. Events imports none of them: they listen.

`training_completed` is sent inside the transaction that completes a training, changes the areas
it taught, or checks someone in after it was completed, with `event` and `by`; a receiver that
fails rolls the change back. Receivers must be idempotent: it is sent again for each correction.
"""

from django.dispatch import Signal

training_completed = Signal()
