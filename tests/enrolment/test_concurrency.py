"""FC-01 on PostgreSQL with real parallel transactions: one thread, one connection, one transaction each."""

import threading

import pytest
from django.db import connection

from academy.enrolment.exceptions import EnrolmentError
from academy.enrolment.models import Enrolment
from academy.enrolment.services import cancel_enrolment
from tests.factories.enrolment import EnrolmentFactory

from .helpers import contact, enrol_people, open_session, trainee

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_parallel(jobs):
    """Run each job in its own thread (own connection) released together; return results/exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as exc:  # recorded, asserted by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class CapacityWatch:
    """Count confirmed enrolments from another connection while the jobs run; keep the maximum."""

    def __init__(self, course_session):
        self.course_session_id = course_session.pk
        self.maximum = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    def _watch(self):
        try:
            while not self._stop.is_set():
                count = Enrolment.objects.filter(
                    course_session_id=self.course_session_id, status__in=["confirmed", "offered"]
                ).count()
                self.maximum = max(self.maximum, count)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def test_fc01_fifty_concurrent_attempts_on_twelve_seats_confirm_exactly_twelve_the_rest_waiting_in_order(
    require_postgresql,
):
    course_session = open_session(capacity_seats=12)
    jobs = [lambda n=n: enrol_people(course_session, trainee(n)) for n in range(50)]

    with CapacityWatch(course_session) as watch:
        results = run_in_parallel(jobs)

    assert [r for r in results if isinstance(r, Exception)] == []
    enrolments = list(course_session.enrolments.order_by("pk"))
    assert len(enrolments) == 50
    assert [e.status for e in enrolments] == ["confirmed"] * 12 + ["waiting"] * 38
    waiting = [e for e in enrolments if e.status == "waiting"]
    assert [e.waiting_since for e in waiting] == sorted(e.waiting_since for e in waiting)
    assert watch.maximum <= 12
    course_session.refresh_from_db()
    assert course_session.status == "full"


def test_fc01_two_simultaneous_registrations_for_the_last_seat_confirm_one_and_waitlist_the_other(require_postgresql):
    course_session = open_session(capacity_seats=12)
    for _ in range(11):
        EnrolmentFactory(booking__course_session=course_session)

    results = run_in_parallel(
        [lambda: enrol_people(course_session, trainee("a")), lambda: enrol_people(course_session, trainee("b"))]
    )

    assert not [r for r in results if isinstance(r, Exception)]
    new = course_session.enrolments.filter(email__in=["traineea@exemple.fr", "traineeb@exemple.fr"])
    assert sorted(new.values_list("status", flat=True)) == ["confirmed", "waiting"]
    assert course_session.enrolments.filter(status="confirmed").count() == 12


@pytest.mark.parametrize(
    "policy, expected_group",
    [("waitlist_rest", ["confirmed", "confirmed", "waiting"]), ("all_or_nothing", ["waiting"] * 3)],
)
def test_fc01_capacity_ten_eight_confirmed_a_group_of_three_and_a_single_racing(
    require_postgresql, policy, expected_group
):
    course_session = open_session(capacity_seats=10)
    for _ in range(8):
        EnrolmentFactory(booking__course_session=course_session)

    group = lambda: enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy=policy)  # noqa: E731
    single = lambda: enrol_people(course_session, trainee(9), contact=contact("single@exemple.fr"))  # noqa: E731
    with CapacityWatch(course_session) as watch:
        results = run_in_parallel([group, single])

    assert not [r for r in results if isinstance(r, Exception)]
    assert course_session.enrolments.filter(status="confirmed").count() <= 10
    assert watch.maximum <= 10
    group_statuses = list(results[0].enrolments.order_by("pk").values_list("status", flat=True))
    single_status = results[1].enrolments.get().status
    if results[0].enrolments.order_by("pk").first().pk < results[1].enrolments.get().pk:
        assert group_statuses == expected_group  # the group came first and was treated as the form said
    else:
        assert single_status == "confirmed"
        assert group_statuses == (["confirmed", "waiting", "waiting"] if policy == "waitlist_rest" else ["waiting"] * 3)


def test_fc01_refused_group_stores_nothing_even_when_racing(require_postgresql):
    course_session = open_session(capacity_seats=10)
    for _ in range(8):
        EnrolmentFactory(booking__course_session=course_session)

    results = run_in_parallel(
        [
            lambda: enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy="refuse"),
            lambda: enrol_people(course_session, trainee(9)),
        ]
    )

    assert isinstance(results[0], EnrolmentError)
    assert "personne n’a été inscrit" in str(results[0])  # threads start in the default language
    assert course_session.enrolments.count() == 9


def test_fc01_concurrent_cancellations_free_exactly_one_seat_each_and_promote_in_order(require_postgresql):
    course_session = open_session(capacity_seats=12)
    for n in range(17):
        enrol_people(course_session, trainee(n))
    confirmed = list(course_session.enrolments.filter(status="confirmed").order_by("pk")[:3])
    newcomers = [lambda n=n: enrol_people(course_session, trainee(100 + n)) for n in range(3)]
    cancels = [lambda e=e: cancel_enrolment(enrolment=e, by=None, reason="race") for e in confirmed]

    with CapacityWatch(course_session) as watch:
        results = run_in_parallel(cancels + newcomers)

    assert not [r for r in results if isinstance(r, Exception)]
    assert watch.maximum <= 12
    by_email = dict(course_session.enrolments.values_list("email", "status"))
    assert [by_email["trainee%d@exemple.fr" % n] for n in range(3)] == ["cancelled"] * 3
    assert [by_email["trainee%d@exemple.fr" % n] for n in range(12, 17)] == ["offered"] * 3 + ["waiting"] * 2
    assert [by_email["trainee%d@exemple.fr" % n] for n in range(100, 103)] == ["waiting"] * 3
    assert course_session.enrolments.filter(status__in=["confirmed", "offered"]).count() == 12


def test_fc02_the_same_person_submitted_twice_at_once_is_enrolled_once(require_postgresql):
    course_session = open_session()
    results = run_in_parallel(
        [
            lambda: enrol_people(course_session, trainee("x"), contact=contact("c1@exemple.fr")),
            lambda: enrol_people(course_session, trainee("X"), contact=contact("c2@exemple.fr")),
        ]
    )

    assert sum(isinstance(r, EnrolmentError) for r in results) == 1
    assert course_session.enrolments.count() == 1
