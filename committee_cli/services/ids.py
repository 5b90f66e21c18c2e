"""A new record's id, checked before any file name is made of it (``ID_MAX_LENGTH``, safe
characters: docs/registry-format.md); shared by the unit of work and by the commands' name
resolution, which a reader loads without the unit of work."""

from __future__ import annotations

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import ID_MAX_LENGTH, SAFE_ID
from committee_cli.vietnamese import slugify


def check_id(record_id: str) -> None:
    """Refuse an id that is not lower-case ASCII letters, digits and single hyphens."""
    if len(record_id) > ID_MAX_LENGTH:
        raise UsageError(tr("an id holds at most {limit} characters; this one has {length} "
                            "('{start}…'): choose a shorter one", limit=ID_MAX_LENGTH,
                            length=len(record_id), start=record_id[:20]))
    if not SAFE_ID.match(record_id):
        raise UsageError(tr("'{record_id}' is not a safe id: use lower-case ASCII letters, "
                            "digits and single hyphens (e.g. '{slugify}')", record_id=record_id,
                            slugify=slugify(record_id) or 'x'))
