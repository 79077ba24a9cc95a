from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")


class GiverType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    NGO = "ngo", _("NGO / civil society")
    COMPANY = "company", _("Company")
    MUNICIPALITY = "municipality", _("Municipality")
    STATE_GOVERNMENT = "state_government", _("State government")
    FEDERAL_BODY = "federal_body", _("Federal body")
    OTHER_PUBLIC_BODY = "other_public_body", _("Other public body")


class State(models.TextChoices):
    """German federal states (Bundesländer), keyed by ISO 3166-2:DE."""

    SH = "SH", _("Schleswig-Holstein")
    HH = "HH", _("Hamburg")
    NI = "NI", _("Lower Saxony")
    HB = "HB", _("Bremen")
    NW = "NW", _("North Rhine-Westphalia")
    HE = "HE", _("Hesse")
    RP = "RP", _("Rhineland-Palatinate")
    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bavaria")
    SL = "SL", _("Saarland")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    MV = "MV", _("Mecklenburg-Western Pomerania")
    SN = "SN", _("Saxony")
    ST = "ST", _("Saxony-Anhalt")
    TH = "TH", _("Thuringia")


# The first two digits of an Amtlicher Gemeindeschlüssel name the state.
AGS_STATE_PREFIX = {
    "01": State.SH,
    "02": State.HH,
    "03": State.NI,
    "04": State.HB,
    "05": State.NW,
    "06": State.HE,
    "07": State.RP,
    "08": State.BW,
    "09": State.BY,
    "10": State.SL,
    "11": State.BE,
    "12": State.BB,
    "13": State.MV,
    "14": State.SN,
    "15": State.ST,
    "16": State.TH,
}

# Statuses the giver may still edit.
EDITABLE_BY_GIVER = (ChallengeStatus.DRAFT, ChallengeStatus.SUBMITTED)
