"""Every write to judging, one module per part of the workflow:

- rounds: rounds, their criteria and status, the juror pool, declared conflicts;
- invitations: inviting jurors by e-mail and accepting the signed link;
- runs: assignment runs (the Celery task's work), queue notices and reminders;
- reviews: a juror's drafts, submissions and conflicts found while reviewing;
- results: shortlisting, publishing, telling the teams;
- votes: the optional public vote.

Every service checks permission with judging.rules, raises JudgingError with a message
a person can read, writes an audit entry, and leaves side effects (mails, recomputations)
as rows that Celery carries out after commit.
"""

from judging.services.rounds import (
    CRITERION_FIELDS,
    DEFAULT_CRITERIA,
    ROUND_FIELDS,
    conflict_declare,
    criterion_add,
    criterion_remove,
    criterion_update,
    juror_add,
    juror_remove,
    round_close,
    round_create,
    round_open,
    round_update,
)

__all__ = [
    "CRITERION_FIELDS",
    "DEFAULT_CRITERIA",
    "ROUND_FIELDS",
    "conflict_declare",
    "criterion_add",
    "criterion_remove",
    "criterion_update",
    "juror_add",
    "juror_remove",
    "round_close",
    "round_create",
    "round_open",
    "round_update",
]
