"""A person's surveys for their export; on deletion their own words go and the rest stays,
unlinked from them, so every training's response rate and means stay right."""

from strategists.common.personal_data import isoformat, register
from strategists.surveys.models import NoShowNotice, SurveyInvitation, SurveyResponse


def _export(person) -> dict:
    invitations = (
        SurveyInvitation.objects.filter(person=person)
        .select_related("event", "response")
        .order_by("sent_at", "pk")
    )
    surveys = []
    for invitation in invitations:
        answers = getattr(invitation, "response", None)
        surveys.append(
            {
                "event": {"id": invitation.event_id, "title": invitation.event.title},
                "sent": isoformat(invitation.sent_at),
                "answered": isoformat(invitation.answered_at),
                "overall": answers.overall if answers else None,
                "improve": answers.improve if answers else "",
                "comments": answers.comments if answers else "",
            }
        )
    return {
        "surveys": surveys,
        "we_missed_you": [
            {"event": notice.event_id, "sent": isoformat(notice.sent_at)}
            for notice in NoShowNotice.objects.filter(person=person).order_by("sent_at", "pk")
        ],
    }


def _erase(person, *, keep_credentials: bool) -> None:
    SurveyResponse.objects.filter(invitation__person=person).update(improve="", comments="")
    SurveyInvitation.objects.filter(person=person).update(person=None)
    NoShowNotice.objects.filter(person=person).update(person=None)


register("surveys", exporter=_export, eraser=_erase, order=20)
