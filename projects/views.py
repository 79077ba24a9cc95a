"""The team's project editor: texts and links, images, submitting, the version history.

Only the team's members and organisers get in; everyone else gets 404. Every POST calls
one service and works without JavaScript (redirect with a message, or the page again
with the errors). A request the service refuses (after the deadline, say) changes
nothing; the page shows what was sent, with the reason, so no text is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from projects import rules, selectors, services
from projects.enums import ProjectStatus
from projects.forms import ImageUploadForm, ProjectForm
from projects.models import MAX_IMAGES, Project, ProjectImage
from teams.models import Team


def _editor_url(team_pk: int, anchor: str = "") -> str:
    return reverse("projects:edit", kwargs={"team_pk": team_pk}) + (f"#{anchor}" if anchor else "")


def _error_field(error: services.ProjectError, form) -> str | None:
    return error.field if error.field in form.fields else None


def _editor_context(
    request: HttpRequest, team: Team, project: Project | None, *, form=None, image_form=None
) -> dict:
    user = request.user
    editable = rules.can_edit_project(user, team)
    form = form or ProjectForm(instance=project, team=team)
    if not editable and not form.is_bound:
        # Read-only after the deadline; a refused POST keeps its text visible to copy.
        for field in form.fields.values():
            field.disabled = True
    context = {
        "team": team,
        "event": team.event,
        "project": project,
        "form": form,
        "image_form": image_form or ImageUploadForm(),
        "editable": editable,
        "deadline": rules.cached_deadline(team),
        "max_images": MAX_IMAGES,
        "images": [],
        "missing": [],
        "can_submit": False,
        "latest_version": None,
        "changed_since_submission": False,
    }
    if project is None:
        return context
    latest = selectors.versions_of(project=project).first()
    context.update(
        {
            "images": getattr(project, "attached_images", None)
            or list(selectors.attached_images().filter(project=project)),
            "missing": [
                selectors.missing_field_label(field)
                for field in selectors.project_missing_fields(project=project)
            ],
            "can_submit": rules.can_submit_project(user, project),
            "latest_version": latest,
            "changed_since_submission": latest is not None
            and project.status == ProjectStatus.SUBMITTED
            and latest.snapshot != selectors.project_snapshot(project=project),
        }
    )
    return context


# --- the editor -----------------------------------------------------------------------------


@login_required
def project_edit(request: HttpRequest, team_pk: int) -> HttpResponse:
    """Create-or-edit the team's project (members and organisers; 404 for others)."""
    team = selectors.team_for_editor(team_pk=team_pk, user=request.user)
    project = selectors.project_for_editor(team=team)
    form = None
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=project, team=team)
        if form.is_valid():
            try:
                services.project_create_or_get(
                    team=team, actor=request.user, data=form.service_data()
                )
            except services.ProjectError as error:
                form.add_error(_error_field(error, form), error.message)
            else:
                messages.success(request, _("Your project has been saved."))
                return redirect(_editor_url(team.pk))
        # The form changed the object in memory; show the project as it is stored.
        project = selectors.project_for_editor(team=team)
    return render(
        request, "projects/project_edit.html", _editor_context(request, team, project, form=form)
    )


@login_required
@require_POST
def project_submit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_member(pk=pk, user=request.user)
    try:
        version = services.project_submit(project=project, actor=request.user)
    except services.ProjectError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Your project is submitted as version %(number)d. This is what the jury sees; "
                "until the deadline you can change it and submit again."
            )
            % {"number": version.number},
        )
    return redirect(_editor_url(project.team_id, "submission"))


@login_required
@require_POST
def project_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_member(pk=pk, user=request.user)
    try:
        services.project_withdraw(project=project, actor=request.user)
    except services.ProjectError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your submission is withdrawn. You can submit again until the deadline."),
        )
    return redirect(_editor_url(project.team_id, "submission"))


# --- images ---------------------------------------------------------------------------------


@login_required
@require_POST
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_member(pk=pk, user=request.user)
    form = ImageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.image_add(
                project=project,
                actor=request.user,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except services.ProjectError as error:
            form.add_error(_error_field(error, form), error.message)
        else:
            messages.success(request, _("The image has been added."))
            return redirect(_editor_url(project.team_id, "images"))
    team = project.team
    return render(
        request,
        "projects/project_edit.html",
        _editor_context(request, team, selectors.project_for_editor(team=team), image_form=form),
    )


def _image_of(project: Project, image_id: int) -> ProjectImage:
    return get_object_or_404(ProjectImage, pk=image_id, project=project, detached_at__isnull=True)


@login_required
@require_POST
def image_remove(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    project = selectors.project_for_member(pk=pk, user=request.user)
    image = _image_of(project, image_id)
    try:
        services.image_remove(image=image, actor=request.user)
    except services.ProjectError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The image has been removed."))
    return redirect(_editor_url(project.team_id, "images"))


@login_required
@require_POST
def image_move(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    """Moves one image a place up or down (the API sets the whole order at once)."""
    project = selectors.project_for_member(pk=pk, user=request.user)
    image = _image_of(project, image_id)
    order = list(selectors.attached_images().filter(project=project).values_list("pk", flat=True))
    index = order.index(image.pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is not None and 0 <= index + step < len(order):
        order[index], order[index + step] = order[index + step], order[index]
        try:
            services.image_reorder(project=project, actor=request.user, order=order)
        except services.ProjectError as error:
            messages.error(request, error.message)
    return redirect(_editor_url(project.team_id, "images"))


# --- versions -------------------------------------------------------------------------------


def _project_with_versions(request: HttpRequest, pk: int) -> Project:
    project = selectors.project_for_member(pk=pk, user=request.user)
    if not rules.can_view_versions(request.user, project):
        raise Http404
    return project


@login_required
@require_GET
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_with_versions(request, pk)
    jurors_version = selectors.project_version_for_jurors(project=project)
    return render(
        request,
        "projects/versions.html",
        {
            "project": project,
            "team": project.team,
            "event": project.event,
            "versions": list(selectors.versions_of(project=project)),
            "jurors_version": jurors_version,
            "deadline": rules.cached_deadline(project.team),
        },
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project = _project_with_versions(request, pk)
    version = get_object_or_404(selectors.versions_of(project=project), number=number)
    jurors_version = selectors.project_version_for_jurors(project=project)
    return render(
        request,
        "projects/versions_detail.html",
        {
            "project": project,
            "team": project.team,
            "event": project.event,
            "version": version,
            "content": selectors.version_display(version.snapshot),
            "is_jurors_version": jurors_version is not None and jurors_version.pk == version.pk,
        },
    )
