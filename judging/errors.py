from hackathon.errors import DomainError


class JudgingError(DomainError):
    """A judging action that is not allowed; the message can be shown to a person."""
