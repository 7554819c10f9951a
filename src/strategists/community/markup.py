"""Markdown for circle posts: CommonMark without raw HTML, then sanitized by nh3 (an allow-list),
so nothing a member writes can run script in another member's browser."""

import re

import nh3
from markdown_it import MarkdownIt

# `@[Full Name]` names a person; the brackets make names with spaces unambiguous.
MENTION = re.compile(r"@\[([^\[\]\n]{1,150})\]")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def mentioned_names(text: str) -> list[str]:
    seen = []
    for name in MENTION.findall(text or ""):
        name = " ".join(name.split())
        if name and name.casefold() not in [s.casefold() for s in seen]:
            seen.append(name)
    return seen


def render(text: str) -> str:
    text = MENTION.sub(lambda match: f"**@{match.group(1)}**", text or "")
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )
