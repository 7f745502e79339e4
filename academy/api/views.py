"""The API's resources (``/api/v1/``). Views read through ``scopes`` and write through the services."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from academy.attendance.models import Attendance
from academy.catalog.models import Course, Lead
from academy.certification.models import Certificate
from academy.commerce.models import Agreement, Quote
from academy.enrolment.exceptions import AlreadyEnrolled, AlreadySubmitted, EnrolmentError
from academy.enrolment.models import Enrolment
from academy.evaluation.models import QuestionnaireKind
from academy.invoicing.models import Invoice
from academy.scheduling.models import CourseSession

from . import scopes, serializers
from .bookings import create_booking
from .filters import Filters, apply_filters, filter_serializer
from .models import ApiToken
from .problems import Conflict

#: Largest id the database stores (BigAutoField); larger numbers are refused as malformed (400).
MAX_ID = 2**63 - 1


def id_parameter():
    """A query parameter holding an object's id."""
    from rest_framework import serializers as fields

    return fields.IntegerField(required=False, min_value=1, max_value=MAX_ID)


def activate_accept_language(request, default: str | None = None) -> str:
    """Activate the language of the ``Accept-Language`` header (``default``, else French, when absent).

    The API has no language prefix in its URLs and no cookie, so the header alone decides.
    """
    from django.utils import translation
    from django.utils.translation.trans_real import parse_accept_lang_header

    language = default or settings.LANGUAGE_CODE
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        try:
            language = translation.get_supported_language_variant(code)
            break
        except LookupError:
            continue
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


class ResourceViewSet(viewsets.GenericViewSet):
    """Base of every resource: the token's scope gives the queryset, ``filters`` the list's parameters.

    Messages follow the request's ``Accept-Language`` header (French by default).
    """

    lookup_value_regex = r"[0-9]+"
    scope_queryset = staticmethod(lambda token: None)
    filters = Filters()
    filter_class = None

    def initial(self, request, *args, **kwargs):
        activate_accept_language(request)
        super().initial(request, *args, **kwargs)
        self.refuse_unknown_parameters(request)

    def refuse_unknown_parameters(self, request) -> None:
        """Answer 400 to a query parameter this operation does not take (a typo would filter nothing)."""
        allowed = set()
        if self.action == "list":
            allowed = {"page", "page_size"} | set(self.filter_class().fields if self.filter_class else ())
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: [_("This query parameter is not known here.")] for name in unknown})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        return response

    def get_queryset(self):
        token = self.request.auth
        if not isinstance(token, ApiToken):  # schema generation
            return self.serializer_class.Meta.model.objects.none()
        return type(self).scope_queryset(token)

    def filter_queryset(self, queryset):
        if self.action != "list" or self.filter_class is None:
            return queryset
        # A plain dict, not the QueryDict: an empty value is then a malformed value (400), not "absent".
        reader = self.filter_class(data=self.request.query_params.dict())
        reader.is_valid(raise_exception=True)
        return apply_filters(queryset, self.filters, reader.validated_data)


def resource(scope_queryset, filters: Filters, *, tag: str):
    """Class decorator: wire a viewset to its scope and filters, and document its list parameters."""

    def decorate(cls):
        cls.scope_queryset = staticmethod(scope_queryset)
        cls.filters = filters
        cls.filter_class = filter_serializer("%sFilters" % cls.__name__.removesuffix("ViewSet"), filters)
        views = {"list": extend_schema(parameters=[cls.filter_class], tags=[tag])}
        if hasattr(cls, "retrieve"):
            views["retrieve"] = extend_schema(tags=[tag])
        if hasattr(cls, "create"):
            views["create"] = extend_schema(tags=[tag])
        return extend_schema_view(**views)(cls)

    return decorate


class ReadOnlyResource(mixins.ListModelMixin, mixins.RetrieveModelMixin, ResourceViewSet):
    pass


@resource(
    scopes.courses,
    Filters(updated=("updated_at",), status_choices=tuple(Course.Status.choices), extra={}),
    tag="catalogue",
)
class CourseViewSet(ReadOnlyResource):
    """Courses of the catalogue (a client token sees the published ones)."""

    serializer_class = serializers.CourseSerializer


@resource(
    scopes.sessions,
    Filters(
        updated=("updated_at",),
        date="first_starts_at",
        status_choices=tuple(CourseSession.Status.choices),
        course="course__code",
    ),
    tag="catalogue",
)
class CourseSessionViewSet(ReadOnlyResource):
    """Sessions with their half-day slots and seats left; ``date_from``/``date_to`` bound the first day."""

    serializer_class = serializers.CourseSessionSerializer


@resource(
    scopes.bookings,
    Filters(updated=("updated_at",), date="created_at", course="course_session__course__code"),
    tag="enrolment",
)
class BookingViewSet(mixins.CreateModelMixin, ReadOnlyResource):
    """Bookings; creating one enrols its trainees exactly as the public form does."""

    serializer_class = serializers.BookingSerializer
    client_write_actions = ("create",)

    @extend_schema(
        request=serializers.BookingCreateSerializer,
        responses={
            201: serializers.BookingSerializer,
            200: OpenApiResponse(serializers.BookingSerializer, description="The same submission_key was sent before."),
        },
        tags=["enrolment"],
    )
    def create(self, request, *args, **kwargs):
        reader = serializers.BookingCreateSerializer(data=request.data)
        reader.is_valid(raise_exception=True)
        token = request.auth
        try:
            booking = create_booking(token=token, data=reader.validated_data)
        except AlreadySubmitted as exc:
            previous = scopes.bookings(token).filter(pk=exc.booking.pk).first()
            if previous is None:
                raise Conflict(str(exc)) from exc
            return Response(self.get_serializer(previous).data, status=status.HTTP_200_OK)
        except AlreadyEnrolled as exc:
            raise ValidationError(
                {
                    "trainees": {
                        index: {
                            "email": [_("This person is already enrolled on this session (or on its waiting list).")]
                        }
                        for index, trainee in enumerate(reader.validated_data["trainees"])
                        if _normalised(trainee["email"]) in exc.emails
                    },
                    "non_field_errors": [str(exc)],
                },
                code="conflict",
            ) from exc
        except EnrolmentError as exc:
            raise Conflict(str(exc)) from exc
        booking = scopes.bookings(token).get(pk=booking.pk)
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: serializers.AgreementSerializer, 409: None}, tags=["commerce"])
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        """Draft the booking's training agreement (or contract), as the staff page does (planner scope)."""
        from academy.commerce import agreements

        agreement = _domain_call(agreements.draft_from_booking, self.get_object())
        return _created(serializers.AgreementSerializer, agreement)


def _actor(request):
    """The staff user a planner token acts for in the audit log (its creator), else None."""
    token = request.auth
    return token.created_by if isinstance(token, ApiToken) and token.scope == ApiToken.Scope.PLANNER else None


def _domain_call(service, *args, **kwargs):
    """Call a commerce service; its ``ValidationError`` becomes a 409 problem with the same message(s)."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        return service(*args, **kwargs)
    except DjangoValidationError as exc:
        raise _conflict_from(exc) from exc


def _conflict_from(exc: Exception) -> Conflict:
    """A 409 problem carrying a domain error's message(s)."""
    messages = getattr(exc, "messages", None) or [str(exc)]
    return Conflict(" ".join(str(m) for m in messages))


def _created(serializer_class, obj) -> Response:
    return Response(serializer_class(obj).data, status=status.HTTP_201_CREATED)


def _normalised(email: str) -> str:
    from academy.core.text import normalise_email

    return normalise_email(email)


@resource(
    scopes.enrolments,
    Filters(
        updated=("updated_at",),
        date="created_at",
        status_choices=tuple(Enrolment.Status.choices),
        course="course_session__course__code",
        extra={
            "course_session": (
                id_parameter(),
                "course_session_id",
            )
        },
    ),
    tag="enrolment",
)
class EnrolmentViewSet(ReadOnlyResource):
    """Enrolments (confirmed, waiting, offered, cancelled)."""

    serializer_class = serializers.EnrolmentSerializer
    client_write_actions = ("cancel",)

    @extend_schema(
        request=serializers.CancelSerializer, responses={200: serializers.EnrolmentSerializer}, tags=["enrolment"]
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the enrolment (the freed seat goes to the waiting list), as the cancel link does."""
        from academy.enrolment.services import cancel_enrolment

        enrolment = self.get_object()
        reader = serializers.CancelSerializer(data=request.data)
        reader.is_valid(raise_exception=True)
        try:
            cancel_enrolment(enrolment=enrolment, by=_actor(request), reason=reader.validated_data["reason"])
        except EnrolmentError as exc:
            raise Conflict(str(exc)) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=enrolment.pk)).data)


@resource(
    scopes.attendance,
    Filters(
        updated=("updated_at",),
        date="slot__starts_at",
        status_choices=tuple(Attendance.Status.choices),
        course="slot__course_session__course__code",
        extra={
            "course_session": (
                id_parameter(),
                "slot__course_session_id",
            ),
            "enrolment": (id_parameter(), "enrolment_id"),
        },
    ),
    tag="attendance",
)
class AttendanceViewSet(ReadOnlyResource):
    """Attendance per half-day slot and trainee."""

    serializer_class = serializers.AttendanceSerializer


@resource(
    scopes.certificates,
    Filters(
        updated=("issued_at", "revoked_at"),
        date="issued_at",
        status_choices=tuple(Certificate.Status.choices),
        course="enrolment__course_session__course__code",
    ),
    tag="certification",
)
class CertificateViewSet(ReadOnlyResource):
    """Certificates of completion (hours attended)."""

    serializer_class = serializers.CertificateSerializer


@resource(
    scopes.evaluation_responses,
    Filters(
        updated=("submitted_at",),
        date="submitted_at",
        status="kind",
        status_choices=(),
        course="course_session__course__code",
        extra={
            "kind": (serializers.serializers.ChoiceField(choices=QuestionnaireKind.choices, required=False), "kind"),
            "course_session": (
                id_parameter(),
                "course_session_id",
            ),
        },
    ),
    tag="evaluation",
)
class EvaluationResponseViewSet(ReadOnlyResource):
    """Questionnaire responses with their answers (staff scopes only)."""

    serializer_class = serializers.EvaluationResponseSerializer


@resource(
    scopes.leads,
    Filters(
        updated=("updated_at",), date="created_at", status_choices=tuple(Lead.Status.choices), course="course__code"
    ),
    tag="commerce",
)
class LeadViewSet(ReadOnlyResource):
    """Requests: quote, customisation, interest signal, contact (staff scopes only)."""

    serializer_class = serializers.LeadSerializer

    @extend_schema(
        request=None, responses={200: serializers.QuoteSerializer, 201: serializers.QuoteSerializer}, tags=["commerce"]
    )
    @action(detail=True, methods=["post"])
    def quote(self, request, pk=None):
        """Draft a quote prefilled from the request, as the staff page does (planner scope).

        A request has at most one draft quote: when it already has one, that draft is answered (200)
        instead of a new one (201)."""
        from academy.commerce import quotes

        lead = self.get_object()
        existing = quotes.open_draft(lead)
        if existing is not None:
            return Response(serializers.QuoteSerializer(existing).data, status=status.HTTP_200_OK)
        return _created(serializers.QuoteSerializer, quotes.draft_from_lead(lead))


@resource(
    scopes.quotes,
    Filters(
        updated=("updated_at",), date="issued_at", status_choices=tuple(Quote.Status.choices), course="course__code"
    ),
    tag="commerce",
)
class QuoteViewSet(ReadOnlyResource):
    """Quotes (a client token sees those sent to its organisation)."""

    serializer_class = serializers.QuoteSerializer

    @extend_schema(request=None, responses={200: serializers.QuoteSerializer}, tags=["commerce"])
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the draft quote and send it to its contact (planner scope); 409 says what is missing."""
        from academy.commerce import quotes

        quote = _domain_call(quotes.issue, self.get_object(), by=_actor(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=quote.pk)).data)

    @extend_schema(request=None, responses={201: serializers.AgreementSerializer, 409: None}, tags=["commerce"])
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        """Draft the agreement of an accepted quote (planner scope); 409 when the quote is not accepted."""
        from academy.commerce import agreements

        agreement = _domain_call(agreements.draft_from_quote, self.get_object())
        return _created(serializers.AgreementSerializer, agreement)


@resource(
    scopes.agreements,
    Filters(updated=("updated_at",), date="issued_at", status_choices=tuple(Agreement.Status.choices)),
    tag="commerce",
)
class AgreementViewSet(ReadOnlyResource):
    """Training agreements and contracts."""

    serializer_class = serializers.AgreementSerializer

    @extend_schema(request=None, responses={200: serializers.AgreementSerializer}, tags=["commerce"])
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Freeze the draft agreement's PDF and send the signing link (planner scope); 409 says what is missing."""
        from academy.commerce import agreements

        agreement = _domain_call(agreements.issue, self.get_object(), by=_actor(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)


@resource(
    scopes.invoices,
    Filters(updated=("updated_at",), date="issue_date", date_is_day=True, status_choices=tuple(Invoice.Status.choices)),
    tag="invoicing",
)
class InvoiceViewSet(ReadOnlyResource):
    """Invoices and credit notes, with lines and payments."""

    serializer_class = serializers.InvoiceSerializer

    @extend_schema(request=None, responses={200: serializers.InvoiceSerializer}, tags=["invoicing"])
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the draft invoice: next number of the year's unbroken series (planner scope); 409 otherwise."""
        from academy.invoicing.services import InvoiceError, issue_invoice

        try:
            invoice = issue_invoice(self.get_object(), actor=_actor(request))
        except InvoiceError as exc:
            raise _conflict_from(exc) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=invoice.pk)).data)


@resource(scopes.organisations, Filters(updated=("updated_at",)), tag="organisations")
class OrganisationViewSet(mixins.CreateModelMixin, ReadOnlyResource):
    """Client organisations (a client token sees its own); planner tokens may add one."""

    serializer_class = serializers.OrganisationSerializer


@resource(
    scopes.contacts,
    Filters(
        extra={
            "client_organisation": (
                id_parameter(),
                "client_organisation_id",
            )
        }
    ),
    tag="organisations",
)
class ContactViewSet(ReadOnlyResource):
    """Contacts of client organisations (people with a client-space account)."""

    serializer_class = serializers.ContactSerializer


class PublicDocsMixin:
    """The schema and its documentation are public: no token asked, no session read."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []


class SchemaView(PublicDocsMixin, SpectacularAPIView):
    """The OpenAPI schema, in English unless ``Accept-Language`` asks for French."""

    def initial(self, request, *args, **kwargs):
        activate_accept_language(request, default="en")
        super().initial(request, *args, **kwargs)


class SwaggerView(PublicDocsMixin, SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
