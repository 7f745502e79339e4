"""OpenAPI post-processing: every operation documents its problem responses (RFC 9457)."""

from __future__ import annotations

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "A problem document (RFC 9457).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
                "required": ["field", "detail"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

PROBLEMS = {
    "400": "Malformed input: see detail and errors.",
    "401": "No token, or a token not valid, expired or revoked.",
    "403": "The token's scope does not allow this.",
    "404": "No such object for this token (unknown, or another organisation's).",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "Refused by the product's rules (session full or closed, already enrolled…).",
    "415": "Unsupported media type (send JSON).",
    "429": "Too many requests: wait Retry-After seconds.",
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular hook: add the ``Problem`` component and the problem responses to each operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in PROBLEMS.items():
                if code in ("409",) and method == "get":
                    continue
                operation["responses"].setdefault(code, {"description": description, "content": content})
    return result
