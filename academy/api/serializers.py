"""Shapes of the API's resources. Reads are plain model fields; writes go through the services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from academy.attendance.models import Attendance
from academy.catalog.models import Course, Lead
from academy.certification.models import Certificate
from academy.commerce.models import Agreement, Quote, QuoteLine
from academy.core.models import ClientOrganisation
from academy.core.validators import validate_single_line
from academy.enrolment.forms import MAX_TRAINEES
from academy.enrolment.models import Booking, Enrolment
from academy.enrolment.seats import seats_left
from academy.evaluation.models import Answer, Response
from academy.invoicing.models import Invoice, InvoiceLine, Payment
from academy.privacy.models import ClientContact
from academy.scheduling.models import CourseSession, SessionSlot


class StrictCharField(serializers.CharField):
    """A text field taking JSON strings only (DRF would turn a number or a boolean into text).

    The maximum length holds for the text as sent, before surrounding spaces are trimmed, as the
    schema says.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """An integer field taking JSON integers only (not "12", 12.0 nor true)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A boolean field taking JSON ``true`` and ``false`` only."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictUUIDField(serializers.UUIDField):
    """A UUID field taking a JSON string only (DRF would read an integer as a UUID)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class CourseSerializer(serializers.ModelSerializer):
    domain = serializers.CharField(source="domain.name", read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "subtitle",
            "domain",
            "format",
            "level",
            "language",
            "duration_hours",
            "duration_days",
            "price_excl_vat",
            "price_currency",
            "status",
            "created_at",
            "updated_at",
        ]


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionSlot
        fields = ["id", "starts_at", "ends_at"]


class CourseSessionSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    seats_left = serializers.SerializerMethodField()
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    slots = SlotSerializer(many=True, read_only=True)

    class Meta:
        model = CourseSession
        fields = [
            "id",
            "course",
            "course_code",
            "kind",
            "status",
            "client_organisation",
            "timezone",
            "venue_address",
            "remote_url",
            "capacity_seats",
            "seats_left",
            "price_excl_vat",
            "vat_rate_pct",
            "currency",
            "language",
            "enrolment_deadline",
            "starts_at",
            "ends_at",
            "slots",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_seats_left(self, obj) -> int:
        return seats_left(obj)

    @extend_schema_field({"type": ["string", "null"], "format": "date-time"})
    def get_starts_at(self, obj):
        value = obj.starts_at
        return serializers.DateTimeField().to_representation(value) if value else None

    @extend_schema_field({"type": ["string", "null"], "format": "date-time"})
    def get_ends_at(self, obj):
        value = obj.ends_at
        return serializers.DateTimeField().to_representation(value) if value else None


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course_session",
            "booking",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "status",
            "waiting_since",
            "offer_expires_at",
            "confirmed_at",
            "cancelled_at",
            "created_at",
            "updated_at",
        ]


class BookingSerializer(serializers.ModelSerializer):
    enrolments = EnrolmentSerializer(many=True, read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "course_session",
            "client_organisation",
            "contact_first_name",
            "contact_last_name",
            "contact_email",
            "contact_phone",
            "funding",
            "funder_name",
            "overflow_policy",
            "language",
            "terms_accepted_at",
            "enrolments",
            "created_at",
            "updated_at",
        ]


class TraineeInputSerializer(serializers.Serializer):
    """One trainee; blank values reach the form, which answers with its own messages."""

    first_name = StrictCharField(max_length=150, allow_blank=True)
    last_name = StrictCharField(max_length=150, allow_blank=True)
    email = StrictCharField(max_length=254, allow_blank=True)
    job_title = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    accessibility_needs = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class BookingCreateSerializer(serializers.Serializer):
    """A booking as the public enrolment form takes it; the form's own rules and messages apply."""

    course_session = StrictIntegerField(min_value=1, max_value=2**63 - 1)
    contact_first_name = StrictCharField(max_length=150, allow_blank=True)
    contact_last_name = StrictCharField(max_length=150, allow_blank=True)
    contact_email = StrictCharField(max_length=254, allow_blank=True)
    contact_phone = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    organisation_name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    organisation_siret = StrictCharField(max_length=20, required=False, allow_blank=True, default="")
    funding = serializers.ChoiceField(choices=Booking.Funding.choices)
    funder_name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    overflow_policy = serializers.ChoiceField(
        choices=Booking.OverflowPolicy.choices, required=False, default=Booking.OverflowPolicy.WAITLIST_REST
    )
    accept_terms = StrictBooleanField(help_text="Must be true: the contact accepts the terms of sale.")
    language = serializers.ChoiceField(choices=[("fr", "fr"), ("en", "en")], required=False, default="fr")
    submission_key = StrictUUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Optional idempotency key: sending the same key twice creates one booking (409 the second time).",
    )
    trainees = TraineeInputSerializer(many=True, min_length=1, max_length=MAX_TRAINEES)


class CancelSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.ModelSerializer):
    course_session = serializers.IntegerField(source="slot.course_session_id", read_only=True)
    slot_starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True)
    slot_ends_at = serializers.DateTimeField(source="slot.ends_at", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "slot",
            "course_session",
            "slot_starts_at",
            "slot_ends_at",
            "enrolment",
            "status",
            "arrived_at",
            "left_at",
            "created_at",
            "updated_at",
        ]


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = [
            "id",
            "public_id",
            "enrolment",
            "version",
            "status",
            "nature",
            "holder_name",
            "employer_name",
            "course_title",
            "first_date",
            "last_date",
            "hours",
            "place",
            "issued_at",
            "revoked_at",
        ]


class AnswerSerializer(serializers.ModelSerializer):
    question_key = serializers.CharField(source="question.key", read_only=True)
    question = serializers.CharField(source="question.text", read_only=True)

    class Meta:
        model = Answer
        fields = ["question_key", "question", "value_int", "value_bool", "value_text"]


class EvaluationResponseSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "kind", "course_session", "enrolment", "submitted_at", "entered_by_trainer", "answers"]


class LeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = [
            "id",
            "kind",
            "status",
            "course",
            "organisation_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "trainee_count",
            "wished_period",
            "place",
            "message",
            "language",
            "created_at",
            "updated_at",
        ]


class QuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = [
            "position",
            "kind",
            "description",
            "course_session",
            "quantity",
            "trainees",
            "unit_price_excl_vat",
            "vat_rate_pct",
            "vat_exempt",
        ]


class QuoteSerializer(serializers.ModelSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "reference",
            "status",
            "lead",
            "revises",
            "client_organisation",
            "organisation_name",
            "contact_name",
            "contact_email",
            "course",
            "course_session",
            "valid_until",
            "language",
            "issued_at",
            "answered_at",
            "lines",
            "created_at",
            "updated_at",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "kind",
            "status",
            "version",
            "replaces",
            "booking",
            "quote",
            "client_organisation",
            "party_name",
            "title",
            "duration_hours",
            "price_excl_vat",
            "language",
            "issued_at",
            "signed_at",
            "countersigned_at",
            "created_at",
            "updated_at",
        ]


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["position", "description", "quantity", "unit_price", "vat_category", "vat_rate"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["paid_on", "amount", "method", "reference"]


class InvoiceSerializer(serializers.ModelSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "status",
            "number",
            "issue_date",
            "due_date",
            "payer_kind",
            "bill_to_name",
            "client_organisation",
            "booking",
            "course_session",
            "credited_invoice",
            "total_net",
            "total_vat",
            "total_gross",
            "lines",
            "payments",
            "created_at",
            "updated_at",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    siret = StrictCharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="14 digits, spaces allowed."
    )
    name = StrictCharField(max_length=200, validators=[validate_single_line])
    address = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")

    class Meta:
        model = ClientOrganisation
        fields = ["id", "name", "siret", "address", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_siret(self, value: str) -> str:
        from django.core.exceptions import ValidationError

        from academy.enrolment.forms import validate_siret

        if not value.strip():
            return ""
        try:
            return validate_siret(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class ContactSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = ClientContact
        fields = ["id", "client_organisation", "first_name", "last_name", "email"]
