"""What events tells the apps above it. Events imports none of them: they listen.

`training_completed` is sent inside the transaction that completes a training (or changes the
areas it taught), with `event` and `by`; a receiver that fails rolls the completion back.
"""

from django.dispatch import Signal

training_completed = Signal()
