"""Every write to challenges: intake by givers, curation by organisers, support by the public,
owners and their answers to teams' questions.

Each service checks state and permission first and raises ChallengeError with a
message a person can read; views turn it into a form error or a 4xx. Side effects
(notifications) are written in the same transaction; their e-mails go out on commit.
"""

from challenges.services._base import ChallengeError
from challenges.services.curation import (
    challenge_publish,
    challenge_record_imported_status,
    challenge_reject,
    challenge_start_review,
    challenges_assign_topic,
    challenges_merge,
)
from challenges.services.imports import ImportCounts, ImportRow, challenges_import
from challenges.services.intake import (
    EDITABLE_FIELDS,
    ORGANISER_FIELDS,
    challenge_assign_number,
    challenge_create,
    challenge_enter,
    challenge_submit,
    challenge_support,
    challenge_unsupport,
    challenge_update,
    intake_state,
    set_tags,
)
from challenges.services.owners import (
    challenge_owner_add,
    challenge_owner_remove,
    challenge_question_answer,
    challenge_question_ask,
    challenge_question_hide,
)
from challenges.services.topics import (
    TOPIC_FIELDS,
    tag_create,
    tag_rename,
    topic_create,
    topic_delete,
    topic_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ORGANISER_FIELDS",
    "TOPIC_FIELDS",
    "ChallengeError",
    "ImportCounts",
    "ImportRow",
    "challenge_assign_number",
    "challenge_create",
    "challenge_enter",
    "challenge_owner_add",
    "challenge_owner_remove",
    "challenge_publish",
    "challenge_question_answer",
    "challenge_question_ask",
    "challenge_question_hide",
    "challenge_record_imported_status",
    "challenge_reject",
    "challenge_start_review",
    "challenge_submit",
    "challenge_support",
    "challenge_unsupport",
    "challenge_update",
    "challenges_assign_topic",
    "challenges_import",
    "challenges_merge",
    "intake_state",
    "set_tags",
    "tag_create",
    "tag_rename",
    "topic_create",
    "topic_delete",
    "topic_update",
]
