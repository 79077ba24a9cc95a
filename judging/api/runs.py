"""A round's assignment runs, for its organisers: /api/v1/judging/rounds/{id}/runs/ (GET
the latest, POST starts one) and /runs/{run_id}/ (one run: its progress while it runs,
then its figures or the reasons it was not possible). Actions of RoundViewSet.

Starting returns the run that waits or runs already, if there is one; the Celery task
does the work after commit (judging.services.runs).
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hackathon.serializers import NoFilters
from judging import selectors
from judging.api._base import CONFLICT_RESPONSE, RUN_ID_PARAMETER, round_action
from judging.serializers import RunSerializer
from judging.services.runs import assignment_run_start

LATEST_RUNS = 5


class RunActions:
    @round_action(
        {
            "GET": {
                "summary": f"The round's latest {LATEST_RUNS} assignment runs, newest first",
                "parameters": [NoFilters],
                "responses": RunSerializer(many=True),
            },
            "POST": {
                "summary": "Start an assignment run (or get the one under way); the task "
                "assigns the reviews after the request",
                "request": None,
                "responses": {202: RunSerializer, **CONFLICT_RESPONSE},
            },
        },
        url_path="runs",
        pagination_class=None,
    )
    def runs(self, request, pk=None) -> Response:
        round = self.get_object()
        if request.method == "POST":
            run = assignment_run_start(round=round, actor=request.user)
            return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
        NoFilters.from_request(request)
        runs = selectors.runs_of_round(round=round, limit=LATEST_RUNS)
        return Response(RunSerializer(runs, many=True).data)

    @round_action(
        {
            "GET": {
                "summary": "One assignment run: status, progress, stage, result, reasons",
                "parameters": [RUN_ID_PARAMETER],
                "responses": RunSerializer,
            }
        },
        url_path=r"runs/(?P<run_id>\d+)",
    )
    def run(self, request, pk=None, run_id=None) -> Response:
        round = self.get_object()
        run = selectors.run_for_organiser(pk=run_id, user=request.user)
        if run.round_id != round.pk:
            raise NotFound()
        return Response(RunSerializer(run).data)
