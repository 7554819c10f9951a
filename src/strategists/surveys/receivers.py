"""What surveys does when events speaks: a completed training sends its surveys; the training
page shows the results link to those who may read them."""

from django.template.loader import render_to_string

from strategists.surveys import services


def training_completed(sender, *, event, by=None, **kwargs):
    services.after_training_send(event=event, by=by)


def training_panel(request, event) -> str:
    if request is None or event.state != event.State.COMPLETED:
        return ""
    if not request.user.has_perm("surveys.view_training_results", event):
        return ""
    return render_to_string("surveys/_panel.html", {"event": event}, request=request)
