"""The message pages: the log, the composer, a message's progress, mail preferences and the
mobile number, the one-click unsubscribe link and the SMS provider's STOP webhook."""

import base64
import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from strategists.accounts.models import User
from strategists.common.permissions import get_object_with_perm, require_perm
from strategists.common.ratelimits import limited
from strategists.messaging import selectors, services
from strategists.messaging.forms import MessageForm, PhoneForm, PreferencesForm
from strategists.messaging.models import Category, Message, Unsubscription
from strategists.messaging.phones import mask_phone, normalize_phone
from strategists.messaging.segments import TRAINING_GROUPS, SegmentError, segment_for
from strategists.messaging.tokens import unsubscribe_read

# Replies that mean "no more texts", in the program's languages (after accents and case are
# folded): the carriers' standard words, French's ARRÊT and Spanish's ALTO and BAJA.
STOP_WORDS = {
    "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
    "arret", "arreter", "desabonner", "alto", "baja", "parar", "detener", "cancelar",
}  # fmt: skip


@require_safe
def message_list(request):
    require_perm(request, "messaging.view_messages")
    log = list(selectors.messages_for(request.user)[: selectors.LOG_LIMIT])
    return render(request, "messaging/list.html", {"log": log})


@require_http_methods(["GET", "POST"])
@limited("message_send")
def compose(request):
    require_perm(request, "messaging.compose")
    if "segment" not in request.GET and request.method == "GET":
        trainings = list(selectors.trainings_to_message(request.user)[:50])
        return render(
            request, "messaging/choose.html", {"trainings": trainings, "groups": TRAINING_GROUPS}
        )
    try:
        segment = segment_for(request.user, request.GET)
    except SegmentError as error:
        return render(request, "messaging/segment_error.html", {"error": error}, status=400)
    form = MessageForm(request.POST if request.method == "POST" else None)
    count = segment.people.count()
    if request.method == "POST" and form.is_valid():
        if count == 0:
            form.add_error(None, _("Nobody is in this group: there is nobody to write to."))
        else:
            message = services.message_send(
                sender=request.user,
                segment=segment,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            flash.success(request, _("Your message is on its way."))
            return redirect("messaging:detail", pk=message.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "messaging/compose.html",
        {"form": form, "segment": segment, "count": count},
        status=status,
    )


def _message(request, pk) -> Message:
    return get_object_with_perm(
        request,
        "messaging.view_message",
        Message.objects.select_related("sender", "event"),
        pk=pk,
    )


@require_safe
def detail(request, pk):
    message = _message(request, pk)
    progress = selectors.message_progress(message)
    return render(request, "messaging/detail.html", {"message": message, "progress": progress})


@require_safe
def progress(request, pk):
    message = _message(request, pk)
    progress = selectors.message_progress(message)
    return render(request, "messaging/_progress.html", {"message": message, "progress": progress})


def _preferences_page(request, *, form=None, phone_form=None, status=200):
    refused = selectors.refused_categories(request.user)
    form = form or PreferencesForm(
        initial={"wanted": [c for c in Category.values if c not in refused]}
    )
    phone_form = phone_form or PhoneForm()
    user = request.user
    context = {
        "form": form,
        "phone_form": phone_form,
        "texting": bool(user.phone_number and user.sms_consent_at),
        "masked_phone": mask_phone(user.phone_number) if user.phone_number else "",
    }
    return render(request, "messaging/preferences.html", context, status=status)


@require_http_methods(["GET", "POST"])
@limited("preferences")
def preferences(request):
    require_perm(request, "messaging.change_preferences")
    if request.method == "GET":
        return _preferences_page(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _preferences_page(request, form=form, status=400)
    services.preferences_update(person=request.user, wanted=set(form.cleaned_data["wanted"]))
    flash.success(request, _("Your mail preferences are saved."))
    return redirect("messaging:preferences")


@require_POST
@limited("preferences")
def phone(request):
    require_perm(request, "messaging.change_preferences")
    if "remove" in request.POST:
        services.sms_consent_withdraw(person=request.user)
        flash.success(request, _("No more text messages: your number is removed."))
        return redirect("messaging:preferences")
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _preferences_page(request, phone_form=form, status=400)
    services.sms_consent_give(person=request.user, phone_number=form.cleaned_data["phone_number"])
    flash.success(request, _("You will get reminders and waitlist offers by text too."))
    return redirect("messaging:preferences")


@csrf_exempt  # RFC 8058: the mail client POSTs with no session and no CSRF token
@require_http_methods(["GET", "POST"])
@limited("unsubscribe")
def unsubscribe(request, token):
    found = unsubscribe_read(token)
    person = None
    if found is not None and found[1] in Category.values:
        person = User.objects.filter(pk=found[0], is_active=True).first()
    if person is None:
        return render(request, "messaging/unsubscribe_invalid.html", status=404)
    category = Category(found[1])
    if request.method == "POST":
        services.unsubscribe(person=person, category=category, source=Unsubscription.Source.LINK)
        return render(request, "messaging/unsubscribe_done.html", {"category": category})
    return render(request, "messaging/unsubscribe.html", {"category": category})


def _signature(url: str, params: dict) -> str:
    """The provider's request signature (Twilio's scheme): HMAC-SHA1 of the URL followed by each
    parameter's name and value in name order, keyed with the shared secret, in base64."""
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(settings.SMS_WEBHOOK_SECRET.encode(), payload.encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if c.isalnum())


@csrf_exempt  # the provider authenticates with its signature, not a session
@require_POST
@limited("sms_inbound")
def sms_inbound(request):
    if not settings.SMS_WEBHOOK_SECRET:
        raise Http404
    params = {name: request.POST.get(name, "") for name in request.POST}
    url = f"{settings.PUBLIC_URL}{request.path}"
    given = request.headers.get("X-Twilio-Signature", "")
    if not hmac.compare_digest(given.encode(), _signature(url, params).encode()):
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    keyword = _folded(params.get("Body", ""))
    number = normalize_phone(params.get("From", ""))
    if keyword in STOP_WORDS and number:
        services.sms_stop(phone_number=number, keyword=keyword)
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml"
    )
