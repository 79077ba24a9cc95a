"""Judging pages: organiser (see judging.views)."""

urlpatterns: list = []
