"""Judging pages: votes (see judging.views)."""

urlpatterns: list = []
