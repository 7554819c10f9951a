"""Mobile numbers in one form (E.164, "+15555550123"), so a STOP from the provider finds the
person whatever way they typed their number."""

import re

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
DECORATION = re.compile(r"[\s().\-/]")


def normalize_phone(raw: str) -> str | None:
    """The number in E.164, or None when it is not a plausible mobile number. Ten digits (or
    eleven starting with 1) are read as a US or Canadian number, where the program works."""
    text = DECORATION.sub("", raw or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.isdigit():
        if len(text) == 10:
            text = "+1" + text
        elif len(text) == 11 and text.startswith("1"):
            text = "+" + text
    return text if E164.match(text) else None


def mask_phone(number: str) -> str:
    """Enough to recognise one's own number, not enough to read someone else's."""
    return f"{number[:2]}•••{number[-4:]}" if len(number) > 6 else "•••"
