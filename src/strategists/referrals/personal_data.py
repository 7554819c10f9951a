"""A person's questions, the answers and resource reviews they wrote, the resources they
suggested, for their export.

On deletion: a question nobody answered goes; an answered one stays (its answers help the next
person who asks), without its details, asked by the anonymous person. Reviews keep their rating
and cost figures (the directory's ratings stay right), not the text. Answers they wrote as an
expert stay: they belong to the person who asked.
"""

from django.db.models import Exists, OuterRef

from strategists.common.personal_data import isoformat, register
from strategists.referrals.models import Answer, Question, Resource, Review


def _export(person) -> dict:
    return {
        "questions": [
            {
                "id": q.pk,
                "text": q.text,
                "details": q.details,
                "language": q.language,
                "status": q.status,
                "asked": isoformat(q.created_at),
            }
            for q in Question.objects.filter(asker=person).order_by("created_at", "pk")
        ],
        "answers_you_wrote": [
            {"question_id": a.question_id, "body": a.body, "written": isoformat(a.created_at)}
            for a in Answer.objects.filter(author=person).order_by("created_at", "pk")
        ],
        "resource_reviews": [
            {
                "resource": r.resource.name,
                "rating": r.rating,
                "used_for": r.used_for,
                "cost_paid": r.cost_paid,
                "cost_note": r.cost_note,
                "would_recommend": r.would_recommend,
                "written": isoformat(r.created_at),
            }
            for r in Review.objects.filter(author=person)
            .select_related("resource")
            .order_by("created_at", "pk")
        ],
        "resources_suggested": [
            {"name": r.name, "url": r.url, "status": r.status, "suggested": isoformat(r.created_at)}
            for r in Resource.objects.filter(suggested_by=person).order_by("created_at", "pk")
        ],
    }


def _erase(person, *, keep_credentials: bool) -> None:
    answered = Exists(Answer.objects.filter(question=OuterRef("pk")))
    Question.objects.filter(asker=person).exclude(answered).delete()
    Question.objects.filter(asker=person).update(details="")
    Review.objects.filter(author=person).update(used_for="", cost_note="")


register("directory", exporter=_export, eraser=_erase, order=30)
