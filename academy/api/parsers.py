"""The API's JSON parser: DRF's, with its errors in the request's language and a nesting limit.

A body nested deeper than ``MAX_DEPTH`` (arrays or objects) is refused with a 400 problem document
before it reaches a serializer; Python's JSON decoder would otherwise raise ``RecursionError`` (a 500)
for bodies nested some thousands deep.
"""

from __future__ import annotations

import codecs
import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json as drf_json

#: No request body of this API is nested more than a few levels; 32 leaves room and stops abuse.
MAX_DEPTH = 32


def too_deep(data, limit: int = MAX_DEPTH) -> bool:
    """Whether ``data`` (decoded JSON) nests arrays/objects more than ``limit`` levels (iterative walk)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(BaseJSONParser):
    """``application/json`` bodies; malformed, undecodable or too deeply nested ones answer 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            decoded_stream = codecs.getreader(encoding)(stream)
            parse_constant = drf_json.strict_constant if api_settings.STRICT_JSON else None
            data = json.load(decoded_stream, parse_constant=parse_constant)
        except RecursionError as exc:
            raise ParseError(self._too_deep_message()) from exc
        except UnicodeError as exc:
            raise ParseError(_("The request body is not valid UTF-8 text.")) from exc
        except json.JSONDecodeError as exc:
            raise ParseError(
                _("The request body is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except ValueError as exc:
            raise ParseError(_("The request body is not valid JSON.")) from exc
        if too_deep(data):
            raise ParseError(self._too_deep_message())
        return data

    @staticmethod
    def _too_deep_message() -> str:
        return _("The JSON of the request is nested too deeply (at most %(limit)d levels).") % {"limit": MAX_DEPTH}
