"""Each existing carer row becomes one person (keeping its id, so contacts' family-message
deliveries still point at the same person) and one link to the pupil it was recorded for.
Duplicates are not merged here: the MIS import links siblings' shared carers."""

from django.db import migrations


def carers_to_links(apps, schema_editor):
    Carer = apps.get_model("schools", "Carer")
    CarerLink = apps.get_model("schools", "CarerLink")
    links = []
    for carer in Carer.objects.select_related("pupil").iterator():
        Carer.objects.filter(pk=carer.pk).update(school_id=carer.pupil.school_id)
        links.append(
            CarerLink(
                pupil_id=carer.pupil_id,
                carer_id=carer.pk,
                relationship=carer.relationship,
                has_parental_responsibility=carer.has_parental_responsibility,
                priority=carer.priority,
            )
        )
    CarerLink.objects.bulk_create(links, batch_size=500)


def links_to_carers(apps, schema_editor):
    """Back to one row per pupil: a carer shared by several pupils keeps their id for the
    first link and is copied for each of the others."""
    Carer = apps.get_model("schools", "Carer")
    CarerLink = apps.get_model("schools", "CarerLink")
    done: set[int] = set()
    for link in CarerLink.objects.select_related("carer").order_by("carer_id", "id").iterator():
        carer = link.carer
        if carer.pk in done:
            carer.pk = None
        done.add(link.carer_id)
        carer.pupil_id = link.pupil_id
        carer.relationship = link.relationship
        carer.has_parental_responsibility = link.has_parental_responsibility
        carer.priority = link.priority
        carer.save()
    Carer.objects.filter(pupil__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0006_carer_links"),
    ]

    operations = [
        migrations.RunPython(carers_to_links, links_to_carers),
    ]
