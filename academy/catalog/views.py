"""Public catalogue pages: listing, course page, programme PDF, and requests from the public."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from academy.core.honeypot import honeypot
from academy.core.models import TrainingOrganisation
from academy.core.pagecache import cache_public_page
from academy.core.pdf import render_pdf
from academy.core.ratelimit import ratelimit

from .extensions import annotate_listing, course_panels
from .forms import LeadForm
from .jsonld import course_json_ld, json_ld_script
from .models import Course, Domain, Lead
from .pagecache import course_scopes, listing_scopes
from .services import record_lead

LISTING_PAGE_SIZE = 24
OTHER_COURSES_SHOWN = 4
#: Public forms: at most this many posts per client address per window (course requests share one count).
LEAD_RATE_LIMIT = 10
LEAD_RATE_WINDOW_SECONDS = 600


def _organisation(request) -> TrainingOrganisation:
    return TrainingOrganisation.for_request(request)


@cache_public_page(listing_scopes, name="catalog.course_list")
def course_list(request):
    """List published courses, filtered by domain and level and searched by words (paginated)."""
    courses = Course.objects.published().select_related("domain").order_by("title", "code")
    domain_slug = request.GET.get("domain", "")
    level = request.GET.get("level", "")
    words = request.GET.get("q", "").strip()[:200]
    if domain_slug:
        courses = courses.filter(domain__slug=domain_slug)
    if level in Course.Level.values:
        courses = courses.filter(level=level)
    if words:
        courses = courses.search(words)
    page = Paginator(courses, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    facts = annotate_listing(rows)
    # EXISTS per domain (served by the domain-and-status index) rather than DISTINCT over every course.
    published_in_domain = Course.objects.published().filter(domain=OuterRef("pk"))
    domains = list(Domain.objects.filter(Exists(published_in_domain)).order_by("name"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/course_list.html",
        {
            "rows": [(course, facts.get(course.pk, {})) for course in rows],
            "page": page,
            "domains": domains,
            "levels": Course.Level.choices,
            "selected_domain": domain_slug,
            "selected_level": level,
            "words": words,
            "filtered": bool(domain_slug or level or words),
            "query_without_page": query.urlencode(),
        },
    )


def _published_course(code: str) -> Course:
    return get_object_or_404(Course.objects.published().with_public_content(), code=code)


@cache_public_page(course_scopes, name="catalog.course_detail")
def course_detail(request, code: str):
    """Show one published course: every public block, other courses of its domain, sessions."""
    course = _published_course(code)
    organisation = _organisation(request)
    others = list(
        Course.objects.published()
        .filter(domain=course.domain)
        .exclude(pk=course.pk)
        .select_related("domain")
        .order_by("title")[:OTHER_COURSES_SHOWN]
    )
    other_facts = annotate_listing(others)
    json_ld = course_json_ld(
        course=course, organisation=organisation, url=request.build_absolute_uri(course.get_absolute_url())
    )
    return render(
        request,
        "catalog/course_detail.html",
        {
            "course": course,
            "panels": course_panels(request, course),
            "other_courses": [(other, other_facts.get(other.pk, {})) for other in others],
            "json_ld": json_ld_script(json_ld),
            "meta_description": json_ld["description"][:300],
        },
    )


@cache_public_page(course_scopes, name="catalog.programme_pdf")
def programme_pdf(request, code: str):
    """Return the course programme as a PDF built from the same data as the course page."""
    course = _published_course(code)
    pdf = render_pdf(
        "catalog/programme_pdf.html",
        {"course": course, "organisation": _organisation(request), "LANGUAGE_CODE": translation.get_language()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="programme-%s.pdf"' % course.code
    return response


LEAD_PAGES = {
    Lead.Kind.QUOTE: {
        "title": gettext_lazy("Request a quote for a dedicated session"),
        "intro": gettext_lazy(
            "Several colleagues to train? This course can be run as a session dedicated to your organisation."
        ),
    },
    Lead.Kind.CUSTOMISATION: {
        "title": gettext_lazy("Customise this course"),
        "intro": gettext_lazy(
            "Our trainers and teaching team will discuss it with you and propose a tailored programme."
        ),
    },
    Lead.Kind.INTEREST: {
        "title": gettext_lazy("Tell us you need a session"),
        "intro": gettext_lazy(
            "No session is scheduled for the moment. Tell us you need one: we plan sessions from your requests."
        ),
    },
    Lead.Kind.CONTACT: {
        "title": gettext_lazy("Contact us"),
        "intro": gettext_lazy("A question about a course, accessibility or funding? Write to us, we will answer you."),
    },
}


def _lead_received(request, course: Course | None):
    """What a person sees once their request is accepted (and what a robot caught by the honeypot sees)."""
    messages.success(
        request,
        _(
            "Thank you, your request has been received. A confirmation was sent to your e-mail address; we will reply shortly."
        ),
    )
    return redirect(course.get_absolute_url() if course else "catalog:course_list")


def _course_request_received(request, code: str, kind: str):
    return _lead_received(request, get_object_or_404(Course.objects.published(), code=code))


def _contact_received(request):
    return _lead_received(request, Course.objects.published().filter(code=request.GET.get("course") or "").first())


def _lead_page(request, *, kind: str, course: Course | None, topic: str = ""):
    """Show and accept one public request form (the views carry the rate limit and the honeypot)."""
    status = 200
    if request.method == "POST":
        form = LeadForm(request.POST, kind=kind)
        if form.is_valid():
            values = form.lead_values()
            if topic == "accessibility" and kind == Lead.Kind.CONTACT:
                values["message"] = "[%s] %s" % (_("Accessibility"), values.get("message", ""))
            record_lead(kind=kind, course=course, values=values)
            return _lead_received(request, course)
        status = 400
    else:
        form = LeadForm(kind=kind)
    return render(
        request,
        "catalog/lead_form.html",
        {"form": form, "course": course, "kind": kind, "page": LEAD_PAGES[kind], "topic": topic},
        status=status,
    )


_TOO_MANY_LEADS = gettext_lazy("Too many requests from your connection. Please try again in a few minutes.")


@require_http_methods(["GET", "POST"])
@ratelimit("lead", limit=LEAD_RATE_LIMIT, window=LEAD_RATE_WINDOW_SECONDS, message=_TOO_MANY_LEADS)
@honeypot(_course_request_received)
def course_request(request, code: str, kind: str):
    """A request about one published course: quote, customisation or interest signal."""
    if kind not in (Lead.Kind.QUOTE, Lead.Kind.CUSTOMISATION, Lead.Kind.INTEREST):
        raise Http404
    course = get_object_or_404(Course.objects.published().select_related("domain"), code=code)
    return _lead_page(request, kind=kind, course=course)


@require_http_methods(["GET", "POST"])
@ratelimit("lead-contact", limit=LEAD_RATE_LIMIT, window=LEAD_RATE_WINDOW_SECONDS, message=_TOO_MANY_LEADS)
@honeypot(_contact_received)
def contact(request):
    """The general contact form; ``?course=CODE`` ties it to a course, ``?topic=accessibility`` labels it."""
    course = None
    if code := request.GET.get("course"):
        course = Course.objects.published().filter(code=code).first()
    topic = request.GET.get("topic", "")
    return _lead_page(request, kind=Lead.Kind.CONTACT, course=course, topic=topic if topic == "accessibility" else "")
