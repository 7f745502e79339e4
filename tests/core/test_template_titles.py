"""Page titles are text: a ``title`` block never swallows the page's markup.

Regression: the staff quotes and booking funding pages once had their ``title`` block left open
over a section of the page, so the browser tab showed HTML and a CSRF token.
"""

from __future__ import annotations

import re
from pathlib import Path

ACADEMY = Path(__file__).resolve().parents[2] / "academy"
TITLE_BLOCK = re.compile(r"\{% block title %\}(.*?)\{% endblock", re.S)


def test_no_title_block_holds_markup_or_spans_lines():
    templates = sorted(ACADEMY.rglob("templates/**/*.html"))
    assert len(templates) > 100  # the walk reaches every app's templates
    offenders = []
    for template in templates:
        for match in TITLE_BLOCK.finditer(template.read_text(encoding="utf-8")):
            if "<" in match.group(1) or "\n" in match.group(1):
                offenders.append(str(template.relative_to(ACADEMY)))
    assert offenders == []
