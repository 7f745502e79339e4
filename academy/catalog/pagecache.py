"""What the cached public catalogue pages show, and the changes that invalidate them.

Scopes (see ``academy.core.pagecache``):

* ``site`` — the training organisation (header, footer, legal identity): every page;
* ``catalogue`` — courses, their content and domains, sessions and their slots (listing, search,
  the "other courses" block and next-session dates): every catalogue page;
* ``course:<code>`` — what one course page and its programme PDF alone show: seats left,
  satisfaction figures.

Apps above the catalogue call :func:`invalidate_course` / :func:`invalidate_catalogue` from
their own receivers and services (seats, answers, sessions).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from academy.core.models import TrainingOrganisation
from academy.core.pagecache import invalidate

SITE = "site"
CATALOGUE = "catalogue"


def course_scope(code: str) -> str:
    return "course:%s" % code


def listing_scopes(**kwargs) -> list[str]:
    """Scopes of the listing, search results and sitemap."""
    return [SITE, CATALOGUE]


def course_scopes(*, code: str, **kwargs) -> list[str]:
    """Scopes of one course page and its programme PDF."""
    return [SITE, CATALOGUE, course_scope(code)]


def invalidate_catalogue() -> None:
    """Every catalogue page is rendered again after the current transaction commits."""
    invalidate(CATALOGUE)


def invalidate_course(course_id: int | None) -> None:
    """The page (and programme PDF) of course ``course_id`` is rendered again after commit."""
    if course_id is None:
        return
    from .models import Course

    code = Course.objects.filter(pk=course_id).values_list("code", flat=True).first()
    if code:
        invalidate(course_scope(code))


def _catalogue_changed(sender, instance=None, **kwargs) -> None:
    """A course, its objectives or programme, or a domain changed: the catalogue pages, and the
    page of the course itself (its own scope, which course page snapshots follow)."""
    scopes = [CATALOGUE]
    code = _course_code_of(instance)
    if code:
        scopes.append(course_scope(code))
    invalidate(*scopes)


def _course_code_of(instance) -> str | None:
    """The code of the course ``instance`` belongs to (a course, an objective, a programme section
    or item), else None (a domain)."""
    from .models import Course

    if isinstance(instance, Course):
        return instance.code
    course_id = getattr(instance, "course_id", None)
    if course_id is None and getattr(instance, "section_id", None) is not None:
        from .models import ProgrammeSection

        course_id = ProgrammeSection.objects.filter(pk=instance.section_id).values_list("course_id", flat=True).first()
    if course_id is None:
        return None
    return Course.objects.filter(pk=course_id).values_list("code", flat=True).first()


def _site_changed(sender, **kwargs) -> None:
    invalidate(SITE)


def connect() -> None:
    """Connect the catalogue's own receivers (from ``CatalogConfig.ready()``)."""
    from .models import Course, Domain, LearningObjective, ProgrammeItem, ProgrammeSection

    for model in (Course, Domain, LearningObjective, ProgrammeSection, ProgrammeItem):
        uid = "catalog.pagecache.%s" % model.__name__
        post_save.connect(_catalogue_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=uid + ".delete")
    post_save.connect(_site_changed, sender=TrainingOrganisation, dispatch_uid="catalog.pagecache.org.save")
    post_delete.connect(_site_changed, sender=TrainingOrganisation, dispatch_uid="catalog.pagecache.org.delete")
