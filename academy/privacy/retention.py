"""Retention periods of personal data: one table, shown in the privacy policy and docs/privacy.md.

Each app applies its own rows through its personal-data provider's ``apply_retention``; the
privacy app runs them all every day (``apply_retention_task``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RetentionPeriod:
    data: str
    purpose: str
    legal_basis: str
    period: str
    source: str


RETENTION_PERIODS = [
    RetentionPeriod(
        _("Enquiries (quote, customisation, interest)"),
        _("Answering and following up the request"),
        _("Legitimate interest / pre-contractual steps"),
        _("3 years after the last contact"),
        _("CNIL, prospect data"),
    ),
    RetentionPeriod(
        _("Enrolments, bookings, trainees' answers"),
        _("Running the training and proving its quality"),
        _("Contract; legal obligation (Qualiopi)"),
        _("3 years after the end of the session"),
        _("Code du travail L.6352-3, Qualiopi indicators"),
    ),
    RetentionPeriod(
        _("Attendance sheets and certificates of completion"),
        _("Proving the training took place"),
        _("Legal obligation"),
        _("3 years after the end of the year of the session"),
        _("Code du travail R.6353-1, funders' audits"),
    ),
    RetentionPeriod(
        _("E-mails sent by the site"),
        _("Keeping a record of what was sent"),
        _("Legitimate interest"),
        _("3 years after sending"),
        _("Limitation period for disputes"),
    ),
    RetentionPeriod(
        _("Audit log of access to personal data"),
        _("Security and accountability"),
        _("Legal obligation (GDPR art. 5(2), 32)"),
        _("1 year; records of exports and erasures: 5 years"),
        _("CNIL recommendation on logging"),
    ),
    RetentionPeriod(
        _("Proof of cookie consent"),
        _("Proving the choice made"),
        _("Legal obligation"),
        _("5 years after the choice; the choice itself is asked again after 6 months"),
        _("CNIL deliberations 2020-091 and 2020-092"),
    ),
    RetentionPeriod(
        _("Anonymous audience counts (no cookie)"),
        _("Measuring the site's audience"),
        _("Legitimate interest (exempt from consent)"),
        _("25 months"),
        _("CNIL deliberation 2020-091 art. 5"),
    ),
]

AUDIT_LOG_YEARS = 1
AUDIT_RIGHTS_YEARS = 5
CONSENT_PROOF_YEARS = 5
