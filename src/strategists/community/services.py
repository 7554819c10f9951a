"""Every write in the registry and the circles (threads, replies, moderation, digests): keyword-only,
atomic, audited. Mentoring and opportunities have their own service modules."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.common.audit import audit_log
from strategists.common.mail import mail_person
from strategists.community import markup, selectors
from strategists.community.models import (
    Circle,
    CircleModerator,
    Membership,
    RegistryListing,
    Reply,
    Report,
    Thread,
)

DIGEST_EVERY = dt.timedelta(days=7)

# --- the registry ---------------------------------------------------------------------------------


@transaction.atomic
def listing_update(*, user: User, listed: bool, ask_me_about: str = "") -> RegistryListing:
    """Opt in or out of the public registry. Only a certified person can opt in; anyone can
    opt out, and it takes effect on the next page view."""
    if listed and not selectors.is_currently_certified(user):
        raise ValidationError(_("Only certified strategists can be listed in the registry."))
    listing, _created = RegistryListing.objects.select_for_update().get_or_create(user=user)
    before = {"listed": listing.listed, "ask_me_about": listing.ask_me_about}
    listing.ask_me_about = ask_me_about.strip()
    if listed and not listing.listed:
        listing.listed_at = timezone.now()
    elif not listed:
        listing.listed_at = None
    listing.listed = listed
    listing.full_clean()
    listing.save()
    audit_log(
        "registry.listed" if listed else "registry.unlisted",
        listing,
        actor=user,
        before=before,
        after={"listed": listing.listed, "ask_me_about": listing.ask_me_about},
    )
    return listing


# --- circles --------------------------------------------------------------------------------------


@transaction.atomic
def circle_create(
    *, by: User, name: str, slug: str, kind: str, description: str = "", members_only: bool = False
) -> Circle:
    circle = Circle(
        name=name.strip(),
        slug=slug,
        kind=kind,
        description=description.strip(),
        members_only=members_only,
        created_by=by,
    )
    circle.full_clean()
    circle.save()
    audit_log(
        "circle.created",
        circle,
        actor=by,
        after={"name": circle.name, "members_only": members_only},
    )
    return circle


@transaction.atomic
def circle_join(*, circle: Circle, user: User) -> Membership:
    """Join an open circle at once; ask to join a members-only one (a moderator approves)."""
    membership, created = Membership.objects.get_or_create(
        circle=circle,
        user=user,
        defaults={
            "state": Membership.State.PENDING if circle.members_only else Membership.State.ACTIVE
        },
    )
    if created:
        audit_log(
            "circle.join_requested" if circle.members_only else "circle.joined",
            membership,
            actor=user,
        )
    return membership


@transaction.atomic
def circle_leave(*, circle: Circle, user: User) -> None:
    deleted, _rows = Membership.objects.filter(circle=circle, user=user).delete()
    if deleted:
        audit_log("circle.left", circle, actor=user, data={"user": user.pk})


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    if not by.has_perm("community.moderate_circle", membership.circle):
        raise PermissionDenied
    if membership.state != Membership.State.ACTIVE:
        membership.state = Membership.State.ACTIVE
        membership.save(update_fields=["state", "updated_at"])
        audit_log("circle.member_approved", membership, actor=by, data={"user": membership.user_id})
    return membership


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something."))
    return body


def _check_poster(circle: Circle, author: User) -> None:
    if not author.has_perm("community.post_in_circle", circle):
        raise PermissionDenied(_("Join the circle to post in it."))


def _notify_mentions(*, text: str, thread: Thread, author: User, url: str) -> list[User]:
    """Mail each person named as `@[Full Name]` who may read the thread. A name shared by several
    people goes to the circle's member among them, or to nobody rather than to a stranger."""
    notified = []
    for name in markup.mentioned_names(text)[:20]:
        people = [
            p
            for p in User.objects.filter(is_active=True, name__iexact=name).exclude(pk=author.pk)[
                :10
            ]
            if p.has_perm("community.view_circle", thread.circle)
        ]
        if len(people) > 1:
            people = [
                p
                for p in people
                if p.circle_memberships.filter(circle=thread.circle, state="active").exists()
            ]
        if len(people) != 1:
            continue
        person = people[0]
        mail_person(
            person,
            template="community/mail/mentioned",
            kind="circle-mention",
            context={
                "person": person,
                "author": author,
                "thread": thread,
                "circle": thread.circle,
                "url": url,
            },
        )
        notified.append(person)
    return notified


def _thread_url(thread: Thread) -> str:
    return reverse("community:thread", kwargs={"slug": thread.circle.slug, "pk": thread.pk})


@transaction.atomic
def thread_create(*, circle: Circle, author: User, title: str, body: str, resource=None) -> Thread:
    _check_poster(circle, author)
    body = _clean_body(body)
    if resource is not None and resource.status != resource.Status.APPROVED:
        raise ValidationError(_("No listed resource has this id."))
    thread = Thread(
        circle=circle,
        author=author,
        title=" ".join(title.split()),
        body=body,
        body_html=markup.render(body),
        last_activity_at=timezone.now(),
        resource=resource,
    )
    thread.full_clean()
    thread.save()
    notified = _notify_mentions(text=body, thread=thread, author=author, url=_thread_url(thread))
    audit_log(
        "thread.created",
        thread,
        actor=author,
        data={
            "circle": circle.slug,
            "mentioned": [p.pk for p in notified],
            "resource": resource.pk if resource else None,
        },
    )
    return thread


@transaction.atomic
def reply_create(*, thread: Thread, author: User, body: str) -> Reply:
    _check_poster(thread.circle, author)
    if thread.is_hidden:
        raise ValidationError(_("The moderators hid this thread: it takes no more replies."))
    body = _clean_body(body)
    reply = Reply(thread=thread, author=author, body=body, body_html=markup.render(body))
    reply.full_clean()
    reply.save()
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=reply.created_at)
    notified = _notify_mentions(
        text=body, thread=thread, author=author, url=f"{_thread_url(thread)}#reply-{reply.pk}"
    )
    audit_log(
        "reply.created",
        reply,
        actor=author,
        data={"thread": thread.pk, "mentioned": [p.pk for p in notified]},
    )
    return reply


@transaction.atomic
def post_report(
    *, thread: Thread, reply: Reply | None = None, reporter: User, reason: str
) -> Report:
    if not reporter.has_perm("community.report_post", thread.circle):
        raise PermissionDenied
    report = Report(thread=thread, reply=reply, reporter=reporter, reason=" ".join(reason.split()))
    report.full_clean()
    report.save()
    audit_log(
        "post.reported",
        report,
        actor=reporter,
        data={"thread": thread.pk, "reply": reply.pk if reply else None},
    )
    return report


@transaction.atomic
def post_hide(*, post: Thread | Reply, by: User, reason: str) -> Thread | Reply:
    """A moderator hides a thread or a reply with a reason readers see; its reports are settled."""
    circle = post.circle if isinstance(post, Thread) else post.thread.circle
    if not by.has_perm("community.moderate_circle", circle):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give a reason."))
    if len(reason) > 500:
        raise ValidationError(_("Keep the reason under 500 characters."))
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, by, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    reports = (
        Report.objects.filter(reply=post)
        if isinstance(post, Reply)
        else Report.objects.filter(thread=post, reply__isnull=True)
    )
    reports.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    audit_log(f"{post._meta.model_name}.hidden", post, actor=by, after={"reason": reason})
    return post


@transaction.atomic
def report_dismiss(*, report: Report, by: User) -> Report:
    if not by.has_perm("community.moderate_circle", report.thread.circle):
        raise PermissionDenied
    if report.resolved_at is None:
        report.resolved_at, report.resolved_by = timezone.now(), by
        report.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
        audit_log("report.dismissed", report, actor=by)
    return report


@transaction.atomic
def moderator_grant(*, circle: Circle, user: User, by: User) -> CircleModerator:
    """Moderating is a granted role: a coordinator grants it, and the grant is kept."""
    if not by.has_perm("community.grant_moderator"):
        raise PermissionDenied
    existing = CircleModerator.objects.filter(
        circle=circle, user=user, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    grant = CircleModerator.objects.create(circle=circle, user=user, granted_by=by)
    audit_log(
        "circle_moderator.granted", grant, actor=by, data={"circle": circle.slug, "user": user.pk}
    )
    return grant


@transaction.atomic
def moderator_revoke(*, grant: CircleModerator, by: User) -> CircleModerator:
    if not by.has_perm("community.grant_moderator"):
        raise PermissionDenied
    if grant.revoked_at is None:
        grant.revoked_at, grant.revoked_by = timezone.now(), by
        grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_log(
            "circle_moderator.revoked",
            grant,
            actor=by,
            data={"circle": grant.circle.slug, "user": grant.user_id},
        )
    return grant


def digests_send_due(*, now: dt.datetime | None = None) -> int:
    """The weekly digest: once a week, each member gets what is new in their circles, in their
    own language. Idempotent: a member mailed in the last week is skipped."""
    now = now or timezone.now()
    due = (
        Membership.objects.filter(state=Membership.State.ACTIVE, user__is_active=True)
        .exclude(digest_sent_at__gt=now - DIGEST_EVERY)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in sorted(set(due)):
        sent += _digest_send(user_id=user_id, now=now)
    return sent


@transaction.atomic
def _digest_send(*, user_id: int, now: dt.datetime) -> int:
    memberships = list(
        Membership.objects.select_for_update()
        .filter(user_id=user_id, state=Membership.State.ACTIVE)
        .exclude(digest_sent_at__gt=now - DIGEST_EVERY)
    )
    if not memberships:
        return 0
    person = User.objects.get(pk=user_id)
    since = max(now - DIGEST_EVERY, min(m.digest_sent_at or m.created_at for m in memberships))
    threads, replies = selectors.digest_items(
        [m.circle_id for m in memberships], since=since, exclude_author=person
    )
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(digest_sent_at=now)
    if not threads and not replies:
        return 0
    mail_person(
        person,
        template="community/mail/digest",
        kind="circle-digest",
        context={"person": person, "threads": threads, "replies": replies},
    )
    audit_log("circle.digest_sent", person, data={"threads": len(threads), "replies": len(replies)})
    return 1
