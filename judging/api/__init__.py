"""The judging API, with the same rules as the web (judging.rules, judging.selectors,
judging.services); one module per resource, each reading through the selectors only.

/api/v1/judging/rounds/?event=                      organisers: the event's rounds; POST adds one
/api/v1/judging/rounds/{id}/                        organisers: one round; PATCH changes it
/api/v1/judging/rounds/{id}/criteria/               POST: add a criterion (while a draft)
/api/v1/judging/rounds/{id}/criteria/{cid}/         PATCH, DELETE: change, remove one
/api/v1/judging/rounds/{id}/open/, close/           POST: open it for reviews, close it
/api/v1/judging/rounds/{id}/runs/                   GET the latest assignment runs; POST starts one
/api/v1/judging/rounds/{id}/runs/{run_id}/          one run: status, progress, stage, result
/api/v1/judging/rounds/{id}/results/                organisers: every judged project's figures
/api/v1/judging/results/?event=                     everyone: the published rounds' winners and
                                                    shortlists by category (no scores, no names)
/api/v1/judging/assignments/                        jurors: their queue (`round=`); {id}/ one
                                                    with the frozen version to judge;
                                                    {id}/conflict/ (POST) gives it back
/api/v1/judging/reviews/                            jurors: their reviews; POST saves one of an
                                                    assignment, PATCH {id}/ changes it

A round of an event one does not organise is 404, and so is another juror's assignment
or review; an event's list for someone who is not
its organiser is 403; a rule that refuses is 400 naming the field (or non_field_errors),
or 409 when the round's state refuses it (criteria once the round is open).
"""

from judging.api.assignments import AssignmentViewSet
from judging.api.results import PublishedResultViewSet
from judging.api.reviews import ReviewViewSet
from judging.api.rounds import RoundViewSet

__all__ = ["AssignmentViewSet", "PublishedResultViewSet", "ReviewViewSet", "RoundViewSet"]
