"""The forecast's explanation is written in the reader's language and number and date formats."""

import html

import pytest
from django.utils import formats, translation

from strategists.goals import tasks
from strategists.goals.views import ReaderWords

pytestmark = pytest.mark.django_db


def test_the_progress_page_explains_the_forecast_in_the_readers_words(client, program):
    tasks.refresh_forecast_task.enqueue()

    english = client.get("/progress/", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/progress/", HTTP_ACCEPT_LANGUAGE="fr")

    forecast = english.context["forecast"]
    with translation.override("en"):
        in_english = forecast.explain(ReaderWords())
    assert english.context["forecast_explanation"] == in_english
    assert f"<p>{html.escape(in_english)}</p>" in english.content.decode()
    assert in_english.split(": ")[0] == forecast.explain().split(": ")[0]  # the core's own words
    takes = english.context["what_it_takes"]
    with translation.override("en"):
        assert english.context["what_it_takes_explanation"] == (
            takes.explain(ReaderWords()) if takes else ""
        )
    with translation.override("fr"):
        in_french = forecast.explain(ReaderWords())
        end = formats.date_format(forecast.end, "DATE_FORMAT")
    assert french.context["forecast_explanation"] == in_french
    assert end in in_french and str(forecast.end) not in in_french  # "31 août 2027", not 2027-08-31
