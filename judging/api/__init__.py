"""The judging API, with the same rules as the web (judging.rules, judging.selectors,
judging.services); one module per resource, each reading through the selectors only.

/api/v1/judging/rounds/?event=                      organisers: the event's rounds; POST adds one
/api/v1/judging/rounds/{id}/                        organisers: one round; PATCH changes it
/api/v1/judging/rounds/{id}/criteria/               POST: add a criterion (while a draft)
/api/v1/judging/rounds/{id}/criteria/{cid}/         PATCH, DELETE: change, remove one

A round of an event one does not organise is 404; an event's list for someone who is not
its organiser is 403; a rule that refuses is 400 naming the field (or non_field_errors),
or 409 when the round's state refuses it (criteria once the round is open).
"""

from judging.api.rounds import RoundViewSet

__all__ = ["RoundViewSet"]
