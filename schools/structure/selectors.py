"""Reads for the school setup pages, each a fixed number of queries."""

from django.db.models import Count, F, Prefetch, Q, QuerySet

from schools.models import Pathway, School, SchoolClass, Site

# Those in use first (a null archived_at), then the archived ones.
ARCHIVED_LAST = (F("archived_at").asc(nulls_first=True), "name")


def structure_of(schools: QuerySet[School]) -> QuerySet[School]:
    """Schools with their sites, each site's classes (with on-roll pupil counts) and their
    pathways: four queries, however many rows."""
    classes = (
        SchoolClass.objects.select_related("pathway")
        .annotate(pupil_count=Count("pupils", filter=Q(pupils__on_roll=True)))
        .order_by(*ARCHIVED_LAST)
    )
    sites = Site.objects.prefetch_related(Prefetch("classes", queryset=classes)).order_by(
        *ARCHIVED_LAST
    )
    pathways = Pathway.objects.annotate(class_count=Count("classes")).order_by(*ARCHIVED_LAST)
    return schools.order_by("name").prefetch_related(
        Prefetch("sites", queryset=sites), Prefetch("pathways", queryset=pathways)
    )
