import re

from hypothesis import given
from hypothesis import strategies as st

from strategists.community import markup


def test_markdown_is_rendered():
    assert (
        markup.render("We use **Spoke** and *Hustle*.")
        == "<p>We use <strong>Spoke</strong> and <em>Hustle</em>.</p>\n"
    )


def test_script_and_raw_html_never_survive():
    html = markup.render(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> <a href="x" onclick="y">z</a>'
    )

    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html  # raw HTML is shown as text, never as a tag


def test_javascript_links_are_dropped():
    html = markup.render("[click](javascript:alert(1)) [ok](https://example.org/)")

    assert 'href="javascript' not in html
    assert '<a href="https://example.org/" rel="nofollow noopener ugc">ok</a>' in html


def test_mentions_are_found_once_each():
    assert markup.mentioned_names(
        "Ask @[Ed Expert] or @[ed  expert], cc @[Mona Member]. Not @Ed."
    ) == ["Ed Expert", "Mona Member"]


def test_a_mention_is_shown_in_bold():
    assert markup.render("Ask @[Ed Expert]") == "<p>Ask <strong>@Ed Expert</strong></p>\n"


@given(
    st.text(alphabet=st.sampled_from(list("<>\"'=/ ()[]:*_`\n@abcjsvrtipxmlonerhf")), max_size=300)
)
def test_no_input_renders_a_script_an_event_handler_or_a_javascript_link(text):
    html = markup.render(text).lower()

    assert "<script" not in html
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html)
    assert 'href="javascript' not in html
