"""Judging pages: juror (see judging.views)."""

urlpatterns: list = []
