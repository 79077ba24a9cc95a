"""Judging pages: invitations (see judging.views)."""

urlpatterns: list = []
