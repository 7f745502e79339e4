"""The shipped LHEO 2.3 XSD, loaded once per process (it never changes while running)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

NAMESPACE = "http://lheo.gouv.fr/2.3"
XSD_PATH = Path(__file__).with_name("lheo-2.3.xsd")


@lru_cache(maxsize=1)
def lheo_schema():
    """The ``xmlschema.XMLSchema`` of LHEO 2.3."""
    import xmlschema

    return xmlschema.XMLSchema(str(XSD_PATH))


def local_name(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]
