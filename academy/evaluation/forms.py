"""Forms built from a questionnaire's questions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.core.forms import PublicFormMixin, harden_fields

from .models import Question, Questionnaire


def field_name(question: Question) -> str:
    return "q%s" % question.pk


class QuestionnaireForm(PublicFormMixin, forms.Form):
    """One field per question: radio buttons for scales and yes/no, a text area for free text.

    Fields are plain text fields shown as radio buttons: the form only shapes the input, and
    ``services.clean_answers`` holds the rule (scale bounds, required answers), whose messages are
    put back on the fields, so the web form, the trainer's entry and any other path refuse an
    out-of-scale value with the same message.
    """

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = list(questionnaire.questions.all())
        for question in self.questions:
            if question.kind in (Question.Kind.LEVEL, Question.Kind.SCORE):
                field = forms.CharField(
                    label=question.text,
                    required=False,
                    widget=forms.RadioSelect(choices=[(str(v), label) for v, label in question.choices()]),
                )
            elif question.kind == Question.Kind.YES_NO:
                field = forms.CharField(
                    label=question.text,
                    required=False,
                    widget=forms.RadioSelect(choices=[("yes", _("Yes")), ("no", _("No"))]),
                )
            else:
                field = forms.CharField(
                    label=question.text, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
                )
            field.question = question
            self.fields[field_name(question)] = field
        harden_fields(self.fields)

    def raw_answers(self) -> dict[int, object]:
        """``{question_id: raw value}`` for ``services.submit_response``."""
        return {question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions}

    def add_service_errors(self, errors: dict[int, str]) -> None:
        for question in self.questions:
            if question.pk in errors:
                self.add_error(field_name(question), errors[question.pk])

    def rows(self):
        """``[(question, bound field), …]`` in order, for templates."""
        return [(question, self[field_name(question)]) for question in self.questions]
