"""The framework's texts are stored in English and shown in the reader's language."""

import pytest
from django.utils import translation

from strategists.curriculum.framework_data import FRAMEWORK
from strategists.curriculum.models import Competency

pytestmark = pytest.mark.django_db


def test_the_first_framework_is_stored_as_written_in_framework_data():
    competency = Competency.objects.get(area_id="digital-security", level=1)

    assert (competency.can_do, competency.evidence) == (
        FRAMEWORK["digital-security"][0],
        FRAMEWORK["digital-security"][3],
    )


def test_a_stored_text_the_catalog_knows_is_shown_in_the_readers_language(client):
    competency = Competency.objects.get(area_id="digital-security", level=1)
    competency.can_do = "Approved"  # a text the French catalog already translates
    competency.save()
    with translation.override("fr"):
        french = translation.gettext("Approved")
        assert (competency.can_do_text, french != "Approved") == (french, True)

    page = client.get("/skills/framework/digital-security/1/", HTTP_ACCEPT_LANGUAGE="fr")

    assert f"<dd>{french}</dd>" in page.content.decode()


def test_an_edited_text_is_shown_as_written():
    competency = Competency.objects.get(area_id="digital-security", level=1)
    competency.can_do = "Lock down the local's laptops."
    with translation.override("fr"):
        assert competency.can_do_text == "Lock down the local's laptops."
