"""Names staff read in the back office for models of third-party apps (django-otp, django-tasks).

Those apps name their models and fields in English without translation ("TOTP devices",
"enqueued at"). ``relabel`` gives them translatable names at start-up. It sets the names the
admin reads (``_meta.verbose_name``, ``Field.verbose_name``) and leaves the values migrations are
computed from (``_meta.original_attrs``, ``Field._verbose_name``) alone, so no migration is needed
in an app we do not own.
"""

from __future__ import annotations

from collections.abc import Mapping


def relabel(model, *, verbose_name=None, verbose_name_plural=None, fields: Mapping[str, object] = ()) -> None:
    """Give ``model`` and its ``fields`` (name → lazy translated label) the names staff read.

    Raises ``FieldDoesNotExist`` when a field is unknown (a third-party upgrade renamed it).
    """
    opts = model._meta
    if verbose_name is not None:
        opts.verbose_name = verbose_name
    if verbose_name_plural is not None:
        opts.verbose_name_plural = verbose_name_plural
    for name, label in dict(fields).items():
        opts.get_field(name).verbose_name = label
