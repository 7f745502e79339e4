"""The lines of Cerfa 10443 (bilan pédagogique et financier) and how stored facts map onto them.

Frame C (income by origin, lines 1 to 11), D (charges, entered by staff), E (people giving
training hours), F-1 (trainees by category), F-2 (subcontracting), F-3 (general objective),
F-4 (training specialities, NSF). Source: Cerfa 10443 and its notice.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from academy.catalog.models import Course
from academy.commerce.models import FundingType
from academy.enrolment.models import TraineeCategory

#: Frame C: line code → label, in the form's order.
INCOME_LINES = {
    "1": _("Companies, for the training of their employees"),
    "2a": _("Training funds: apprenticeship contracts"),
    "2b": _("Training funds: professionalisation contracts"),
    "2c": _("Training funds: promotion or retraining by work-study"),
    "2d": _("Training funds: career transition projects"),
    "2e": _("Training funds: personal training account (CPF)"),
    "2f": _("Training funds: specific schemes for job seekers"),
    "2g": _("Training funds: specific schemes for self-employed workers"),
    "2h": _("Training funds: skills development plan or other schemes"),
    "3": _("Public authorities, for the training of their employees"),
    "4": _("Public funds: European bodies"),
    "5": _("Public funds: State"),
    "6": _("Public funds: regional councils"),
    "7": _("Public funds: France Travail"),
    "8": _("Public funds: other public resources"),
    "9": _("Contracts with individuals paying for themselves"),
    "10": _("Contracts with other training organisations"),
    "11": _("Other income from vocational training"),
}

#: Funding type of a sale → its line of frame C.
INCOME_LINE_OF_FUNDING = {
    FundingType.EMPLOYER: "1",
    FundingType.OPCO_APPRENTICESHIP: "2a",
    FundingType.OPCO_PROFESSIONALISATION: "2b",
    FundingType.OPCO_PRO_A: "2c",
    FundingType.TRANSITION: "2d",
    FundingType.CPF: "2e",
    FundingType.OPCO_JOB_SEEKERS: "2f",
    FundingType.OPCO_SELF_EMPLOYED: "2g",
    FundingType.OPCO_SKILLS_PLAN: "2h",
    FundingType.PUBLIC_EMPLOYER: "3",
    FundingType.EUROPEAN_UNION: "4",
    FundingType.STATE: "5",
    FundingType.REGION: "6",
    FundingType.FRANCE_TRAVAIL: "7",
    FundingType.OTHER_PUBLIC: "8",
    FundingType.INDIVIDUAL: "9",
    FundingType.TRAINING_ORGANISATION: "10",
    FundingType.OTHER: "11",
}

#: Frame D: charges, entered by staff from the accounts (the product does not keep the books).
CHARGE_LINES = {
    "total": _("Total charges of the training activity"),
    "salaries": _("of which trainers' salaries"),
    "purchases": _("of which purchases of training services and fees"),
}

#: Frame E: the organisation's own trainers and people from outside.
TRAINER_LINES = {
    "internal": _("People of the organisation giving training hours"),
    "external": _("People from outside the organisation giving training hours under a subcontract"),
}

#: Frame F-1: trainee category lines.
CATEGORY_LINES = {
    "a": _("Employees of private employers, apprentices excepted"),
    "b": _("Apprentices"),
    "c": _("Job seekers"),
    "d": _("Individuals paying for themselves"),
    "e": _("Other trainees (public employees included)"),
}

#: Trainee category of an enrolment → its line of frame F-1 (public employees go to "other
#: trainees", the form having no line of their own).
CATEGORY_LINE_OF = {
    TraineeCategory.PRIVATE_EMPLOYEE: "a",
    TraineeCategory.APPRENTICE: "b",
    TraineeCategory.JOB_SEEKER: "c",
    TraineeCategory.INDIVIDUAL: "d",
    TraineeCategory.PUBLIC_EMPLOYEE: "e",
    TraineeCategory.OTHER: "e",
}

#: Frame F-2: subcontracting.
SUBCONTRACTING_LINES = {
    "received": _("Trainees whose training another training organisation entrusted to us"),
    "given": _("Trainees whose training we entrusted to another training organisation"),
}

#: Frame F-3: general objective lines.
OBJECTIVE_LINES = {
    "a": _("Training towards a diploma, title or CQP registered in the RNCP"),
    "b": _("Training towards a certification or authorisation registered in the specific register"),
    "c": _("CQP registered in neither the RNCP nor the specific register"),
    "d": _("Other vocational training"),
    "e": _("Skills assessments"),
    "f": _("Support towards the validation of prior experience"),
}

#: Frame F-3, line a detailed by level of the RNCP qualification ("dont …").
LEVEL_LINES = {
    "a-6-8": _("of which levels 6 to 8"),
    "a-5": _("of which level 5"),
    "a-4": _("of which level 4"),
    "a-3": _("of which level 3"),
    "a-2": _("of which level 2"),
    "a-cqp": _("of which CQP without qualification level"),
}

LEVEL_LINE_OF = {
    Course.QualificationLevel.LEVEL_8: "a-6-8",
    Course.QualificationLevel.LEVEL_7: "a-6-8",
    Course.QualificationLevel.LEVEL_6: "a-6-8",
    Course.QualificationLevel.LEVEL_5: "a-5",
    Course.QualificationLevel.LEVEL_4: "a-4",
    Course.QualificationLevel.LEVEL_3: "a-3",
    Course.QualificationLevel.LEVEL_2: "a-2",
    Course.QualificationLevel.CQP_WITHOUT_LEVEL: "a-cqp",
}

OBJECTIVE_LINE_OF = {
    Course.GeneralObjective.RNCP: "a",
    Course.GeneralObjective.SPECIFIC_REGISTER: "b",
    Course.GeneralObjective.CQP: "c",
    Course.GeneralObjective.OTHER: "d",
    Course.GeneralObjective.SKILLS_ASSESSMENT: "e",
    Course.GeneralObjective.VAE: "f",
}

#: Frame F-4 lists the five main specialities by hours-trainee, then the others together.
MAIN_SPECIALITIES = 5

#: What each figure counts, as shown next to it.
MEASURES = {
    "amount": _("amount (€)"),
    "percent": _("share of the whole turnover (%)"),
    "people": _("people"),
    "trainees": _("trainees"),
    "hours": _("hours"),
}

FRAME_TITLES = {
    "C": _("C. Income by origin (excl. VAT)"),
    "D": _("D. Charges of the organisation (excl. VAT)"),
    "E": _("E. People giving training hours"),
    "F-1": _("F-1. Trainees by category"),
    "F-2": _("F-2. Subcontracted activity"),
    "F-3": _("F-3. General objective of the training"),
    "F-4": _("F-4. Training specialities"),
}
