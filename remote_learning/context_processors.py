from django.conf import settings
from django.http import HttpRequest

from remote_learning.navigation import navigation_for


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "school_name": settings.SCHOOL_NAME,
        "navigation": navigation_for(request),
    }
