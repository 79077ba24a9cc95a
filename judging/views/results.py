"""Judging pages: results (see judging.views)."""

urlpatterns: list = []
