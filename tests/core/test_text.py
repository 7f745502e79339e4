from decimal import Decimal
from html.parser import HTMLParser

import pytest

from academy.core.numbers import percentage, round_half_up
from academy.core.text import normalise_email, render_markdown, single_line


def test_round_half_up_rounds_4_55_to_4_6_unlike_float_round():
    assert round(4.55, 1) == 4.5  # the float trap this helper exists for
    assert round_half_up(Decimal("4.55"), 1) == Decimal("4.6")


def test_percentage_never_shows_100_unless_everyone():
    assert percentage(199, 200) == Decimal("99")
    assert percentage(200, 200) == Decimal("100")
    assert percentage(0, 0) is None


@pytest.mark.parametrize(
    "source",
    ["[Programme](javascript:alert(1))", "<img src=x onerror=alert(1)>", "[a](JaVaScRiPt&#58;alert(1))"],
)
def test_fc11_markdown_output_carries_no_script(source):
    tags = _tags(render_markdown(source))
    assert all(tag in {"p", "a"} for tag, _attrs in tags), tags
    for _tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript")


def test_markdown_keeps_bold_lists_https_links_and_accents():
    html = render_markdown("**Gras** é\n\n- un\n- deux\n\n[lien](https://exemple.fr)")
    assert "<strong>Gras</strong> é" in html
    assert "<li>un</li>" in html
    assert 'href="https://exemple.fr"' in html


def test_normalise_email_recognises_same_person():
    assert normalise_email(" Zoe.Nunez@Exemple.FR ") == normalise_email("zoe.nunez@exemple.fr")


def test_single_line_folds_line_breaks():
    assert single_line("Zoë\r\nBcc: x@y.z") == "Zoë Bcc: x@y.z"


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found
