"""Amounts of money are written the reader's way: grouping from the language's format, the sign
placed by a translatable pattern."""

from django.utils import formats, translation

from strategists.common.templatetags.money import dollars


def test_dollars_group_the_number_for_the_reader():
    with translation.override("en"):
        assert (dollars(1200), dollars(0), dollars(None), dollars("")) == ("$1,200", "$0", "", "")
    with translation.override("fr"):
        separator = formats.get_format("THOUSAND_SEPARATOR")
        assert f"1{separator}200" in dollars(1200)
        assert "1,200" not in dollars(1200)
