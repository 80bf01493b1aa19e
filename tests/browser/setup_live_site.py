"""Test data for the browser journeys, run once on the live server's own database after
`load_programme` (never shipped content: the seeds link no decision or milestone to a
recommendation, and their milestones have no theme).

- One user per role, all with the same password.
- Journey 1: the milestone `fase-1-avsluttet` is given the theme «Fra stønad til arbeid» here,
  so that the programme leader's change of its status shows on that theme's public page.
- Journeys 3 and 4: the recommendation «Kommunene bør kjenne mulighetene» is acted on by the
  decided case item of the meeting of 3 February 2021 and by the milestone `programslutt`.
"""

import os

from django.contrib.auth.models import Group, User

from knowledge.models import RecommendationPage
from meetings.models import CaseItem
from programme.models import Milestone, ThemePage

PASSWORD = os.environ["BROWSER_TEST_PASSWORD"]

for username, group in [
    ("programleder", "Programleder"),
    ("utvalgsmedlem", "Utvalgsmedlem"),
    ("redaktor", "Redaktør"),
]:
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
User.objects.create_superuser(username="admin", email="", password=PASSWORD)

milestone = Milestone.objects.get(slug="fase-1-avsluttet")
milestone.theme = ThemePage.objects.get(slug="fra-stonad-til-arbeid")
milestone.save_revision().publish()

recommendation = RecommendationPage.objects.get(slug="kommunene-bor-kjenne-mulighetene")
case = CaseItem.objects.get(
    meeting__slug="au-flere-i-arbeid-2021-02-03", decision__startswith="Protokoll fra"
)
case.recommendations.add(recommendation)
case.save()
acting = Milestone.objects.get(slug="programslutt")
acting.recommendations.add(recommendation)
acting.save_revision().publish()
