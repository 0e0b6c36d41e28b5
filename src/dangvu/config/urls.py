from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from dangvu.accounts.api import TokenView
from dangvu.core.api import DeadlineView, InboxView, RuleViewSet
from dangvu.members.api import MemberViewSet, TransferViewSet
from dangvu.members.io_api import api_urls as member_import_api
from dangvu.orgs.api import OrganisationViewSet
from dangvu.reports.api import api_urls as report_api
from dangvu.stats.api import OrganisationStatsView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("rules", RuleViewSet, basename="rule")
router.register("members", MemberViewSet, basename="member")
router.register("transfers", TransferViewSet, basename="transfer")

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("calendar/deadline/", DeadlineView.as_view(), name="deadline"),
    path("inbox/", InboxView.as_view(), name="inbox"),
    *member_import_api,
    path("organisations/<int:pk>/stats/", OrganisationStatsView.as_view(), name="organisation-stats"),
    *report_api,
    *router.urls,
]

urlpatterns = [
    path("", include("dangvu.core.urls")),
    path("accounts/", include("dangvu.accounts.urls")),
    path("organisations/", include("dangvu.orgs.urls")),
    path("members/", include("dangvu.members.urls")),
    path("stats/", include("dangvu.stats.urls")),
    path("reports/", include("dangvu.reports.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
