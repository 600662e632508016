"""Who may see or change what. One place, used by views, selectors, exports and downloads.

Roles (a user may hold several; all are assigned in the admin):

- administrator: a superuser; sees and changes everything.
- ministry (ministerie): the permission `programmes.view_all_regions`; reads every region.
- viewer, e.g. a wethouder: listed in `Region.viewers`; reads the regions given.
- programme manager: listed in `Programme.managers`; reads and manages those programmes.
- coordinator: listed in `Project.coordinators`; reads the programmes of those projects and
  fills in the reports of the projects they coordinate.

Reading is scoped by programme: whoever may read a programme may read all its projects and
reports. Functions here return querysets or booleans and never raise; views turn a False into
a 404 (for objects outside the user's scope) or a 403 (for actions on visible objects).
"""

from __future__ import annotations

from django.contrib.auth import models as auth_models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from programmes.models import Programme, ProgressReport, Project, Region

User = auth_models.User | auth_models.AnonymousUser


def sees_everything(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_perm("programmes.view_all_regions"))
    )


def visible_programmes(user: User) -> QuerySet[Programme]:
    """The programmes the user may read."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if sees_everything(user):
        return Programme.objects.all()
    return Programme.objects.filter(
        Q(region__viewers=user) | Q(managers=user) | Q(projects__coordinators=user)
    ).distinct()


def visible_regions(user: User) -> QuerySet[Region]:
    """The regions with at least one programme the user may read (all for the ministry)."""
    if sees_everything(user):
        return Region.objects.all()
    return Region.objects.filter(programmes__in=visible_programmes(user)).distinct()


def sees_more_than_one_region(user: User) -> bool:
    """Whether the user's home page is the national overview (a row per region)."""
    return sees_everything(user) or visible_regions(user).count() > 1


def visible_projects(user: User) -> QuerySet[Project]:
    return Project.objects.filter(programme__in=visible_programmes(user))


def can_view_programme(user: User, programme: Programme) -> bool:
    return visible_programmes(user).filter(pk=programme.pk).exists()


def can_view_project(user: User, project: Project) -> bool:
    return can_view_programme(user, project.programme)


def manages_programme(user: User, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return programme.managers.filter(pk=user.pk).exists()


def coordinates_project(user: User, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    return project.coordinators.filter(pk=user.pk).exists()


def editable_project_pks(*, user: User, programme: Programme) -> tuple[bool, set[int]]:
    """(manages the programme, pks of the projects the user coordinates in it), in two
    queries: the set-based form of `can_start_report` and `can_edit_report` for many
    projects at once (the import, its template, starting many reports). Tests assert that
    both forms agree."""
    manages = manages_programme(user, programme)
    if not user.is_authenticated:
        return manages, set()
    coordinated = set(
        Project.objects.filter(programme=programme, coordinators=user).values_list("pk", flat=True)
    )
    return manages, coordinated


# The one definition of "the data of a report may change": a draft or a returned report in an
# open period. Services, the admin, the import and the pages all ask `report_is_editable`
# or `edit_refusal`.
EDITABLE_STATES = frozenset({ProgressReport.State.DRAFT, ProgressReport.State.RETURNED})


def report_is_editable(report: ProgressReport) -> bool:
    """A report's data may change only while it is a draft or returned, in an open period."""
    return not report.period.is_closed and report.state in EDITABLE_STATES


def edit_refusal(report: ProgressReport) -> str:
    """Why the data of a report cannot change now, as a Dutch sentence; "" when it can."""
    if report.period.is_closed:
        return _("De periode is gesloten; de rapportage kan niet meer worden gewijzigd.")
    if report.state == ProgressReport.State.APPROVED:
        return _("Een goedgekeurde rapportage kan niet worden gewijzigd.")
    if report.state == ProgressReport.State.SUBMITTED:
        return _("De rapportage is ingediend en wacht op beoordeling; wijzigen kan nu niet.")
    return ""


def can_edit_report(user: User, report: ProgressReport) -> bool:
    """Fill in or change a report (form, import): its coordinator, a manager of its
    programme or an administrator, and only while the report is editable."""
    if not report_is_editable(report):
        return False
    return coordinates_project(user, report.project) or manages_programme(
        user, report.project.programme
    )


def can_review_report(user: User, report: ProgressReport) -> bool:
    """Approve or return a submitted report, reopen an approved one: a manager of its
    programme or an administrator."""
    return manages_programme(user, report.project.programme)


def can_view_report(user: User, report: ProgressReport) -> bool:
    """Read a report and its history: whoever may read its programme, once it is submitted
    or approved. A concept or returned report (also one left "niet ingediend bij sluiting"
    when its period closed) is readable only for the project's coordinators and the
    programme's managers, never for readers (wethouder, ministerie)."""
    if report.state in EDITABLE_STATES:
        return coordinates_project(user, report.project) or manages_programme(
            user, report.project.programme
        )
    return can_view_project(user, report.project)


def can_start_report(user: User, project: Project) -> bool:
    """Start a project's report for a period: its coordinator or a manager of its programme."""
    return coordinates_project(user, project) or manages_programme(user, project.programme)


def may_enter_data(user: User, programme_pk: int) -> bool:
    """Whether the user fills in or imports anything for this programme: a manager of it, a
    coordinator of one of its projects, or an administrator (one query at most)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Programme.objects.filter(
        Q(managers=user) | Q(projects__coordinators=user), pk=programme_pk
    ).exists()
