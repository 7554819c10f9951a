"""The community: the public registry of strategists, circles, mentoring and opportunities."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from strategists.common.models import TimeStampedModel


class RegistryListing(TimeStampedModel):
    """A certified person's consent to be listed in the public registry. Listed only while
    `listed` is on *and* their certification is current (checked on every query)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="registry_listing")
    listed = models.BooleanField(_("list me in the public registry"), default=False)
    ask_me_about = models.CharField(_("ask me about"), max_length=300, blank=True)
    listed_at = models.DateTimeField(_("listed since"), null=True, blank=True)

    def __str__(self):
        return f"{self.user}: {_('listed') if self.listed else _('not listed')}"
