"""The judging pages, one module per audience: organiser (rounds, jurors, assignment runs),
juror (queue, reviews), invitations (accepting one, a juror's expertise and conflicts),
results (organiser results, shortlist, publishing, CSV; the public results page) and votes
(the optional public vote). Each module keeps its own `urlpatterns`; judging.urls joins them."""
