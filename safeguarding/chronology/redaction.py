"""The replacement list of a chronology printed "for sharing" (KCSIE, Working Together 2023:
share what is necessary, no more).

Names of other children and of third parties are replaced by their role: other pupils of the
school ("sibling" when they share a carer with this pupil, else "another pupil"), carers,
staff, social workers and the professionals named in the school's directory or in a case's
agreements. Only names that appear in the text are listed, with how often, so the DSL can
check the list and add words of their own before the PDF is released. Matching is by whole
word and ignores case; the pupil's own names are kept, since the file is theirs.

Text is replaced before the template escapes it, so what people typed still reaches the page
and the PDF as text.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from cases.models import Agreement, Party
from contacts.models import DirectoryEntry
from schools.models import CarerLink, Pupil
from schools.permissions import STAFF_ROLES

SIBLING = "sibling"
ANOTHER_PUPIL = "another pupil"
CARER = "a parent or carer"
SOCIAL_WORKER = "a social worker"
PROFESSIONAL = "a professional"
MEDICAL = "a medical professional"
STAFF = "a member of staff"
EXTRA = "[redacted]"

# Who agreed to a case, by party: the pupil's own agreement names the pupil, kept as it is.
AGREEMENT_ROLES = {
    Party.CARERS: CARER,
    Party.MEDICAL: MEDICAL,
    Party.LOCAL_AUTHORITY: PROFESSIONAL,
    Party.SCHOOL: STAFF,
}


@dataclass(frozen=True)
class Redaction:
    name: str
    role: str
    count: int


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Redactor:
    """Replaces each listed name by its role, whole words, ignoring case."""

    def __init__(self, names: dict[str, tuple[str, str]]) -> None:
        # key (folded name) -> (the name as recorded, role)
        self.names = names
        alternatives = sorted(names, key=len, reverse=True)  # "Sam Marsh" before "Sam"
        pattern = "|".join(r"\s+".join(map(re.escape, key.split())) for key in alternatives)
        self.pattern = (
            re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE) if alternatives else None
        )

    def apply(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(lambda match: self.names[_key(match.group())][1], text)

    def counts(self, texts: Iterable[str]) -> Counter:
        found: Counter = Counter()
        if self.pattern is None:
            return found
        for text in texts:
            found.update(_key(match.group()) for match in self.pattern.finditer(text or ""))
        return found

    def redactions(self, texts: Iterable[str]) -> list[Redaction]:
        """What will be replaced in these texts: each name, its role and how often."""
        found = self.counts(texts)
        listed = [
            Redaction(self.names[key][0], self.names[key][1], count) for key, count in found.items()
        ]
        return sorted(listed, key=lambda r: (r.role, r.name.casefold()))


def redactor_for(
    pupil: Pupil,
    *,
    texts: Iterable[str],
    extra_words: Iterable[str] = (),
    recorders: Iterable[str] = (),
) -> Redactor:
    """A redactor holding the names from the school's records that appear in ``texts``, the
    names of those who recorded the entries (staff, even once they have left), and the extra
    words: five queries, whatever the size of the school."""
    texts = list(texts)
    candidates = _candidates(pupil)
    for name in recorders:
        if name.strip() and _key(name) not in _own_names(pupil):
            candidates.setdefault(_key(name), (" ".join(name.split()), STAFF))
    for word in extra_words:
        if word.strip():
            candidates.setdefault(_key(word), (" ".join(word.split()), EXTRA))
    found = Redactor(candidates).counts(texts)
    return Redactor({key: value for key, value in candidates.items() if key in found})


def _candidates(pupil: Pupil) -> dict[str, tuple[str, str]]:
    """Every name worth looking for, with its role; the first role given to a name wins."""
    by_priority: list[tuple[str, str]] = []
    carers = list(
        CarerLink.objects.filter(carer__school_id=pupil.school_id).values_list(
            "pupil_id", "carer_id", "carer__full_name"
        )
    )
    own_carers = {carer_id for pupil_id, carer_id, _ in carers if pupil_id == pupil.pk}
    # A sibling shares a carer record with this pupil.
    sibling_ids = {
        pupil_id
        for pupil_id, carer_id, _ in carers
        if pupil_id != pupil.pk and carer_id in own_carers
    }
    others = Pupil.objects.filter(school_id=pupil.school_id).exclude(pk=pupil.pk)
    pupils = list(
        others.values_list("pk", "first_name", "last_name", "preferred_name", "social_worker_name")
    )
    for pk, first, last, preferred, _ in pupils:
        role = SIBLING if pk in sibling_ids else ANOTHER_PUPIL
        for name in (f"{first} {last}", f"{preferred} {last}" if preferred else "", preferred):
            by_priority.append((name, role))
    for pk, first, _, _, _ in pupils:
        # First names alone come after every full name, so "Sam Marsh" keeps its own role.
        by_priority.append((first, SIBLING if pk in sibling_ids else ANOTHER_PUPIL))
    by_priority += [(name, CARER) for _, _, name in carers]
    social_workers = [pupil.social_worker_name] + [row[4] for row in pupils]
    by_priority += [(name, SOCIAL_WORKER) for name in social_workers]
    for agreed_by, party in Agreement.objects.filter(case__pupil=pupil).values_list(
        "agreed_by", "party"
    ):
        if party in AGREEMENT_ROLES:
            # "Dr Hale, GP": the name is before the comma, the role after it.
            by_priority.append((agreed_by.split(",")[0], AGREEMENT_ROLES[party]))
    by_priority += [
        (name, PROFESSIONAL)
        for name in DirectoryEntry.objects.filter(school_id=pupil.school_id).values_list(
            "name", flat=True
        )
    ]
    staff = User.objects.filter(
        Q(memberships__school_id=pupil.school_id, memberships__role__in=STAFF_ROLES)
    ).values_list("full_name", flat=True)
    by_priority += [(name, STAFF) for name in staff.distinct()]
    own_names = _own_names(pupil)
    names: dict[str, tuple[str, str]] = {}
    for name, role in by_priority:
        key = _key(name or "")
        if key and key not in own_names:
            names.setdefault(key, (" ".join(name.split()), role))
    return names


def _own_names(pupil: Pupil) -> set[str]:
    """The pupil's own names, kept: the file is theirs."""
    return {
        _key(name)
        for name in (
            f"{pupil.first_name} {pupil.last_name}",
            pupil.first_name,
            pupil.preferred_name,
            f"{pupil.preferred_name} {pupil.last_name}" if pupil.preferred_name else "",
        )
        if name and name.strip()
    }
