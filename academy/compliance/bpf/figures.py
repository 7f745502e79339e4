"""Compute the yearly report (BPF, Cerfa 10443) of one financial year from stored facts.

- Income (frame C): issued invoices less credit notes, excluding VAT, dated (issue date) in the
  year, on the line of their funding type; each line rounded half-up to the euro, the total being
  the sum of the rounded lines, as the notice asks.
- Charges (frame D): entered by staff on the ``BpfReport`` (the accounts are kept elsewhere).
- Trainers (frame E): people who countersigned half-day slots held in the year; their hours are
  the slots' durations, internal or external after ``Trainer.employment``.
- Trainees (frames F-1 to F-4): enrolments with hours credited in the year's slots, credited as
  for the certificate of completion (the trainee's signature and a trainer's countersignature,
  late arrivals and early departures deducted, absences giving none). Each trainee's hours are
  rounded half-up to the hour before being added, so that every frame adds the same integers.

Nothing is guessed: a sale without funding type, a trainee without category, a course without
general objective or NSF code is listed in ``Bpf.missing`` and left out of the lines, which the
consistency checks then show.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from academy.attendance.models import Attendance, Signature
from academy.attendance.services import slot_hours
from academy.catalog.models import Course
from academy.core.models import TrainingOrganisation
from academy.core.numbers import round_half_up
from academy.enrolment.models import Enrolment
from academy.invoicing.models import Invoice
from academy.scheduling.models import CourseSession, SessionSlot, Trainer

from . import lines as spec

ZERO = Decimal(0)


@dataclass(frozen=True)
class FiscalYear:
    """A financial year: ``starts_on`` to ``ends_on`` inclusive (dates)."""

    starts_on: datetime.date
    ends_on: datetime.date

    @classmethod
    def starting(cls, year: int, month: int = 1) -> FiscalYear:
        """The twelve months from the first day of ``month`` of ``year``."""
        starts_on = datetime.date(year, month, 1)
        next_start = datetime.date(year + 1, month, 1)
        return cls(starts_on, next_start - datetime.timedelta(days=1))

    @classmethod
    def of_organisation(cls, year: int, organisation: TrainingOrganisation | None = None) -> FiscalYear:
        """The organisation's financial year that starts in calendar ``year``."""
        organisation = organisation or TrainingOrganisation.current()
        return cls.starting(year, organisation.fiscal_year_start_month or 1)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware start (inclusive) and end (exclusive) of the year in ``tz``."""
        start = datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end

    def __str__(self) -> str:
        return "%s – %s" % (self.starts_on.isoformat(), self.ends_on.isoformat())


@dataclass
class Record:
    """One record behind a figure: what it is, where to open it, and what it brings to the line."""

    kind: str
    pk: int
    label: str
    url: str
    amount: Decimal | None = None
    hours: Decimal | None = None


@dataclass
class Line:
    """One line of a frame. ``values`` maps a measure (``amount``, ``people``, ``trainees``,
    ``hours``, ``percent``) to an int, or None when the figure is not known."""

    frame: str
    code: str
    label: str
    values: dict
    records: list[Record] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "%s/%s" % (self.frame, self.code)

    @property
    def display_code(self) -> str:
        """The line's number on the form; empty for totals and sub-lines the form leaves unnumbered."""
        numbered = self.frame in ("C", "F-1", "F-3", "F-4") and len(self.code) <= 4 and "-" not in self.code
        return self.code if numbered else ""

    @property
    def measures(self) -> list[tuple[str, str, int | None]]:
        """``[(measure, label, value), …]`` for display."""
        return [(measure, str(spec.MEASURES[measure]), value) for measure, value in self.values.items()]


@dataclass
class Check:
    """A consistency check as the administration applies it; ``records`` cause a failure."""

    code: str
    label: str
    ok: bool
    detail: str
    records: list[Record] = field(default_factory=list)


@dataclass
class Bpf:
    """The report of one financial year: its lines frame by frame, the checks, what is missing."""

    year: FiscalYear
    organisation: TrainingOrganisation
    lines: list[Line]
    checks: list[Check]
    missing: dict[str, list[Record]]

    @property
    def complete(self) -> bool:
        """True when no record lacks what the report needs."""
        return not any(self.missing.values())

    @property
    def consistent(self) -> bool:
        return all(check.ok for check in self.checks)

    def line(self, frame: str, code: str) -> Line:
        for line in self.lines:
            if line.frame == frame and line.code == code:
                return line
        raise KeyError("%s/%s" % (frame, code))

    def frames(self) -> list[tuple[str, str, list[Line]]]:
        """``[(frame, title, lines), …]`` in the form's order."""
        out = []
        for frame, title in spec.FRAME_TITLES.items():
            out.append((frame, str(title), [line for line in self.lines if line.frame == frame]))
        return out

    def figures(self) -> dict:
        """The figures for the online filing: ``{"fiscal_year": …, "organisation": …, "frames":
        {frame: {code: {measure: int | None}}}}`` (JSON-ready; F-4 codes are NSF codes)."""
        frames: dict[str, dict] = {}
        for line in self.lines:
            frames.setdefault(line.frame, {})[line.code] = dict(line.values)
        return {
            "form": "Cerfa 10443",
            "fiscal_year": {"starts_on": self.year.starts_on.isoformat(), "ends_on": self.year.ends_on.isoformat()},
            "organisation": {
                "name": self.organisation.legal_name or self.organisation.name,
                "siret": self.organisation.siret,
                "declaration_number": self.organisation.declaration_number,
            },
            "frames": frames,
        }

    def rows(self) -> list[tuple[str, str, str, str, int | None]]:
        """Every figure as ``(frame, code, label, measure, value)``: the rows of the CSV and XLSX; the
        measure is its label in the active language ("montant (€)", "heures"), never its code."""
        return [
            (line.frame, line.code, line.label, str(spec.MEASURES[measure]), value)
            for line in self.lines
            for measure, value in line.values.items()
        ]


def _euros(amount: Decimal) -> int:
    return int(round_half_up(amount, 0))


def _hours(hours: Decimal) -> int:
    return int(round_half_up(hours, 0))


def _invoice_record(invoice: Invoice, amount: Decimal) -> Record:
    label = "%s %s — %s" % (invoice.get_kind_display(), invoice.number, invoice.bill_to_name)
    return Record("invoice", invoice.pk, label, reverse("invoicing:detail", kwargs={"pk": invoice.pk}), amount=amount)


def _enrolment_record(enrolment: Enrolment, hours: Decimal) -> Record:
    session = enrolment.course_session
    label = "%s — %s #%s" % (enrolment.full_name, session.course.code, session.pk)
    url = reverse("admin:enrolment_enrolment_change", args=[enrolment.pk])
    return Record("enrolment", enrolment.pk, label, url, hours=hours)


def _course_record(course: Course) -> Record:
    return Record("course", course.pk, str(course), reverse("admin:catalog_course_change", args=[course.pk]))


def _trainer_record(trainer: Trainer, hours: Decimal) -> Record:
    url = reverse("admin:scheduling_trainer_change", args=[trainer.pk])
    return Record("trainer", trainer.pk, str(trainer), url, hours=hours)


def _income(year: FiscalYear, report, lines: list[Line], missing: dict, checks: list[Check]) -> None:
    invoices = (
        Invoice.objects.filter(issue_date__gte=year.starts_on, issue_date__lte=year.ends_on, number__isnull=False)
        .select_related("credited_invoice")
        .order_by("issue_date", "number")
    )
    exact: dict[str, Decimal] = defaultdict(Decimal)
    records: dict[str, list[Record]] = defaultdict(list)
    all_total = ZERO
    for invoice in invoices:
        amount = invoice.total_net if invoice.kind == Invoice.Kind.INVOICE else -invoice.total_net
        all_total += amount
        funding_type = invoice.funding_type
        if not funding_type and invoice.credited_invoice_id:
            funding_type = invoice.credited_invoice.funding_type
        record = _invoice_record(invoice, amount)
        if not funding_type:
            missing["invoices"].append(record)
            continue
        code = spec.INCOME_LINE_OF_FUNDING[funding_type]
        exact[code] += amount
        records[code].append(record)
    total = 0
    for code, label in spec.INCOME_LINES.items():
        value = _euros(exact[code])
        total += value
        lines.append(Line("C", code, str(label), {"amount": value}, records[code]))
    share = None
    if report is not None and report.turnover_total:
        share = int(round_half_up(Decimal(total) * 100 / report.turnover_total, 0))
    lines.append(
        Line("C", "total", _("Total income from vocational training"), {"amount": total, "percent": share}, [])
    )
    covered = sum(exact.values(), ZERO)
    checks.append(
        Check(
            "income_covered",
            _("The income total is the sum of the lines and covers every invoice and credit note of the year"),
            covered == all_total,
            _("Lines: %(lines)s €; invoices and credit notes of the year: %(all)s €.")
            % {"lines": covered, "all": all_total},
            list(missing["invoices"]),
        )
    )
    negative = [code for code in spec.INCOME_LINES if exact[code] < 0]
    checks.append(
        Check(
            "income_not_negative",
            _("No income line is negative"),
            not negative,
            ", ".join(negative),
            [r for code in negative for r in records[code] if r.amount is not None and r.amount < 0],
        )
    )


def _charges(report, lines: list[Line]) -> None:
    values = {
        "total": report.charges_total if report else None,
        "salaries": report.charges_salaries if report else None,
        "purchases": report.charges_purchases if report else None,
    }
    for code, label in spec.CHARGE_LINES.items():
        value = values[code]
        lines.append(Line("D", code, str(label), {"amount": None if value is None else _euros(value)}))


def compute_bpf(year: FiscalYear, *, organisation: TrainingOrganisation | None = None, report=None) -> Bpf:
    """Return the ``Bpf`` of ``year``, every frame computed from stored facts.

    ``report`` (a ``BpfReport``) brings the charges and turnover staff entered; without it those
    figures are ``None``. Runs a fixed number of queries whatever the year's size.
    """
    organisation = organisation or TrainingOrganisation.current()
    tz = ZoneInfo(organisation.timezone or "Europe/Paris")
    lines: list[Line] = []
    checks: list[Check] = []
    missing: dict[str, list[Record]] = {"invoices": [], "enrolments": [], "courses": []}

    _income(year, report, lines, missing, checks)
    _charges(report, lines)

    start, end = year.bounds(tz)
    slots = {
        slot.pk: slot
        for slot in SessionSlot.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(course_session__status=CourseSession.Status.CANCELLED)
        .select_related("course_session__course")
    }
    trainee_signed: set[tuple[int, int]] = set()
    trainer_slots: dict[int, set[int]] = defaultdict(set)
    countersigned: set[int] = set()
    for slot_id, role, enrolment_id, trainer_id in Signature.objects.filter(slot_id__in=slots).values_list(
        "slot_id", "role", "enrolment_id", "trainer_id"
    ):
        if role == Signature.Role.TRAINEE:
            trainee_signed.add((slot_id, enrolment_id))
        else:
            countersigned.add(slot_id)
            trainer_slots[trainer_id].add(slot_id)
    attendances = {(a.slot_id, a.enrolment_id): a for a in Attendance.objects.filter(slot_id__in=slots)}

    exact_hours: dict[int, Decimal] = defaultdict(Decimal)
    for slot_id, enrolment_id in trainee_signed:
        if slot_id in countersigned:
            exact_hours[enrolment_id] += slot_hours(slots[slot_id], attendances.get((slot_id, enrolment_id)))
    enrolments = list(
        Enrolment.objects.filter(pk__in=[pk for pk, hours in exact_hours.items() if hours > 0])
        .select_related("course_session__course")
        .order_by("course_session__course__code", "course_session_id", "last_name", "first_name", "pk")
    )

    # Frame E: trainers of slots the organisation delivered (not those it entrusted to another).
    trainers = {t.pk: t for t in Trainer.objects.filter(pk__in=trainer_slots)}
    people: dict[str, list[Record]] = {"internal": [], "external": []}
    for trainer_id, slot_ids in sorted(trainer_slots.items(), key=lambda item: str(trainers[item[0]])):
        own = [
            slots[s] for s in slot_ids if slots[s].course_session.subcontracting != CourseSession.Subcontracting.GIVEN
        ]
        if not own:
            continue
        trainer = trainers[trainer_id]
        hours = sum((slot.duration_hours for slot in own), ZERO)
        kind = "external" if trainer.employment == Trainer.Employment.EXTERNAL else "internal"
        people[kind].append(_trainer_record(trainer, hours))
    for code, label in spec.TRAINER_LINES.items():
        records = people[code]
        value = {"people": len(records), "hours": sum(_hours(r.hours) for r in records)}
        lines.append(Line("E", code, str(label), value, records))

    # Frames F: who was trained, for how long, towards what, in which speciality.
    by_category: dict[str, list[Record]] = defaultdict(list)
    by_objective: dict[str, list[Record]] = defaultdict(list)
    by_level: dict[str, list[Record]] = defaultdict(list)
    by_speciality: dict[str, list[Record]] = defaultdict(list)
    subcontracted: dict[str, list[Record]] = defaultdict(list)
    remote: list[Record] = []
    own_records: list[Record] = []
    courses_missing: dict[int, Course] = {}
    for enrolment in enrolments:
        session = enrolment.course_session
        course = session.course
        record = _enrolment_record(enrolment, exact_hours[enrolment.pk])
        if session.subcontracting == CourseSession.Subcontracting.GIVEN:
            subcontracted["given"].append(record)
            continue
        own_records.append(record)
        if session.subcontracting == CourseSession.Subcontracting.RECEIVED:
            subcontracted["received"].append(record)
        if session.is_remote_only:
            remote.append(record)
        if enrolment.trainee_category:
            by_category[spec.CATEGORY_LINE_OF[enrolment.trainee_category]].append(record)
        else:
            missing["enrolments"].append(record)
        if course.general_objective:
            by_objective[spec.OBJECTIVE_LINE_OF[course.general_objective]].append(record)
        rncp = course.general_objective == Course.GeneralObjective.RNCP
        if rncp and course.qualification_level:
            by_level[spec.LEVEL_LINE_OF[course.qualification_level]].append(record)
        if course.nsf_code:
            by_speciality[course.nsf_code].append(record)
        if not (course.general_objective and course.nsf_code) or (rncp and not course.qualification_level):
            courses_missing[course.pk] = course
    missing["courses"] = [_course_record(c) for c in sorted(courses_missing.values(), key=lambda c: c.code)]

    def count(records: list[Record]) -> dict:
        return {"trainees": len(records), "hours": sum(_hours(r.hours) for r in records)}

    def add_frame(frame: str, labelled: dict, grouped: dict, total_label: str) -> dict:
        total = {"trainees": 0, "hours": 0}
        for code, label in labelled.items():
            value = count(grouped.get(code, []))
            total = {k: total[k] + value[k] for k in total}
            lines.append(Line(frame, code, str(label), value, grouped.get(code, [])))
        lines.append(Line(frame, "total", total_label, total))
        return total

    f1 = add_frame("F-1", spec.CATEGORY_LINES, by_category, _("Total (F-1)"))
    lines.append(
        Line("F-1", "remote", _("of which trainees trained wholly or partly at a distance"), count(remote), remote)
    )
    for code, label in spec.SUBCONTRACTING_LINES.items():
        lines.append(Line("F-2", code, str(label), count(subcontracted[code]), subcontracted[code]))
    f3 = add_frame("F-3", spec.OBJECTIVE_LINES, by_objective, _("Total (F-3)"))
    after_a = next(i for i, line in enumerate(lines) if line.frame == "F-3" and line.code == "a") + 1
    lines[after_a:after_a] = [
        Line("F-3", code, str(label), count(by_level.get(code, [])), by_level.get(code, []))
        for code, label in spec.LEVEL_LINES.items()
    ]

    ranked = sorted(by_speciality.items(), key=lambda item: (-count(item[1])["hours"], item[0]))
    main, others = ranked[: spec.MAIN_SPECIALITIES], ranked[spec.MAIN_SPECIALITIES :]
    f4 = {"trainees": 0, "hours": 0}
    for code, records in main:
        value = count(records)
        f4 = {k: f4[k] + value[k] for k in f4}
        lines.append(Line("F-4", code, _("Speciality %(code)s") % {"code": code}, value, records))
    other_records = [r for _code, records in others for r in records]
    value = count(other_records)
    f4 = {k: f4[k] + value[k] for k in f4}
    lines.append(Line("F-4", "other", _("Other specialities"), value, other_records))
    lines.append(Line("F-4", "total", _("Total (F-4)"), f4))

    categorised = {r.pk for records in by_category.values() for r in records}
    objective = {r.pk for records in by_objective.values() for r in records}
    speciality = {r.pk for records in by_speciality.values() for r in records}
    left_out = [r for r in own_records if not (r.pk in categorised and r.pk in objective and r.pk in speciality)]
    for measure, label in (
        ("trainees", _("Trainees: the totals of F-1, F-3 and F-4 are equal")),
        ("hours", _("Hours-trainee: the totals of F-1, F-3 and F-4 are equal")),
    ):
        ok = f1[measure] == f3[measure] == f4[measure]
        detail = "F-1: %s, F-3: %s, F-4: %s" % (f1[measure], f3[measure], f4[measure])
        checks.append(Check("f_totals_%s" % measure, label, ok, detail, [] if ok else left_out))
    levelled = {r.pk for records in by_level.values() for r in records}
    without_level = [r for r in by_objective.get("a", []) if r.pk not in levelled]
    checks.append(
        Check(
            "f3_levels",
            _("F-3: the levels of line a add up to line a"),
            not without_level,
            "a: %s, %s: %s" % (len(by_objective.get("a", [])), _("by level"), len(levelled)),
            without_level,
        )
    )
    return Bpf(year=year, organisation=organisation, lines=lines, checks=checks, missing=missing)


def differences(snapshot: dict, bpf: Bpf) -> list[dict]:
    """Figures that changed since the year was filed: ``[{"frame", "code", "measure", "filed", "now"}]``."""
    filed = {
        (frame, code, measure): value
        for frame, codes in (snapshot or {}).get("frames", {}).items()
        for code, values in codes.items()
        for measure, value in values.items()
    }
    now = {(line.frame, line.code, measure): value for line in bpf.lines for measure, value in line.values.items()}
    out = []
    for key in list(filed) + [k for k in now if k not in filed]:
        if filed.get(key) != now.get(key):
            out.append(
                {"frame": key[0], "code": key[1], "measure": key[2], "filed": filed.get(key), "now": now.get(key)}
            )
    return out
