from judging.views import invitations, juror, organiser, results, votes

app_name = "judging"

urlpatterns = [
    *organiser.urlpatterns,
    *juror.urlpatterns,
    *invitations.urlpatterns,
    *results.urlpatterns,
    *votes.urlpatterns,
]
