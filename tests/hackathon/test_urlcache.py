from django.test import override_settings
from django.urls import reverse, set_script_prefix

from hackathon.urlcache import reverse_by_number


def test_gives_what_reverse_gives():
    for viewname, kwarg in (
        ("teams:detail", "pk"),
        ("challenges:detail", "number"),
        ("projects:detail", "pk"),
    ):
        for value in (1, 42, 100065, 9081726354):
            assert reverse_by_number(viewname, kwarg, value) == reverse(
                viewname, kwargs={kwarg: value}
            )


def test_follows_the_script_prefix():
    set_script_prefix("/platform/")
    try:
        assert reverse_by_number("teams:detail", "pk", 7) == "/platform/teams/7/"
    finally:
        set_script_prefix("/")
    assert reverse_by_number("teams:detail", "pk", 7) == "/teams/7/"


@override_settings(ROOT_URLCONF="tests.api.urls")
def test_follows_the_url_configuration():
    assert reverse_by_number("teams:detail", "pk", 7) == reverse("teams:detail", kwargs={"pk": 7})
