"""Curriculum listens to events: a completed training turns attendance into evidence."""

from strategists.curriculum import services


def training_completed(sender, *, event, **kwargs):
    services.evidence_from_event(event=event)
