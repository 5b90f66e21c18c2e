"""A registry's role vocabularies (``registry.yaml`` ``role_sets``) through the CLI:
``committee amend roles add|update``. Every vocabulary keeps exactly one head role."""

from __future__ import annotations

from typing import Any

from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import DEFAULT_ROLE_SETS, RegistryConfig, Role
from committee_cli.services.resolve import check_new_id, clean_text, role_in
from committee_cli.services.unit_of_work import UnitOfWork, insert_item, set_field, to_node
from committee_cli.vietnamese import slugify


def _vocabulary(uow: UnitOfWork, role_set: str) -> Any:
    """The registry's own list of a vocabulary (a built-in one is copied in first)."""
    document = uow.edit_config()
    sets = document.get("role_sets")
    if sets is None:
        set_field(document, "role_sets", {}, RegistryConfig)
        sets = document["role_sets"]
    if role_set not in sets:
        sets[role_set] = to_node([dict(r) for r in DEFAULT_ROLE_SETS.get(role_set, [])])
    return sets[role_set]


def _refuse_heads(role_set: str, roles: list[dict[str, Any]]) -> None:
    heads = [str(r["id"]) for r in roles if r.get("head")]
    if not heads:
        raise UsageError(tr("vocabulary '{role_set}' would have no head role: a vocabulary has "
                            "exactly one head (add it first, with --head)", role_set=role_set))
    if len(heads) > 1:
        raise UsageError(tr("vocabulary '{role_set}' would have {count} head roles ({heads}): a "
                            "vocabulary has exactly one head (move it with `amend roles update "
                            "{role_set} ROLE --head`)", role_set=role_set, count=len(heads),
                            heads=", ".join(heads)))


def _plain(roles: Any) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in roles]


def add_role(uow: UnitOfWork, role_set: str, *, name: str, rank: int | None = None,
             document_name: str | None = None, max_holders: int | None = None,
             head: bool = False, role_id: str | None = None) -> str:
    """Add a role to a vocabulary (a new vocabulary starts with its head role)."""
    check_new_id(role_set)
    clean = clean_text(name)
    if not clean:
        raise UsageError(tr("--name is empty"))
    role_id = check_new_id(role_id) if role_id else (slugify(clean)[:60].strip("-") or "chuc-danh")
    roles = _vocabulary(uow, role_set)
    current = _plain(roles)
    if any(r["id"] == role_id for r in current):
        raise UsageError(tr("vocabulary '{role_set}' already has the role '{role_id}': change "
                            "it with `amend roles update`", role_set=role_set, role_id=role_id))
    if rank is None:
        rank = max((int(r["rank"]) for r in current), default=0) + 1
    entry = {"id": role_id, "name": clean, "rank": rank, "max": max_holders,
             "head": True if head else None, "document_name": clean_text(document_name) or None}
    Role.model_validate({k: v for k, v in entry.items() if v is not None})
    _refuse_heads(role_set, [*current, entry])
    index = sum(1 for r in current if int(r["rank"]) < rank)
    if any(int(r["rank"]) == rank for r in current):  # inserted before: the later ones move down
        for i, other in enumerate(current):
            if int(other["rank"]) >= rank:
                set_field(roles[i], "rank", int(other["rank"]) + 1, Role)
    insert_item(roles, index, {k: v for k, v in entry.items() if v is not None})
    return f"Thêm chức danh {clean} vào bộ {role_set}"


def update_role(uow: UnitOfWork, role_set: str, role: str, *, name: str | None = None,
                rank: int | None = None, document_name: str | None = None,
                max_holders: int | None = None, any_number: bool = False,
                head: bool | None = None) -> str:
    """Change a role of a vocabulary: name, document form, rank, how many, which is the head."""
    config = uow.registry.config
    if role_set not in config.role_set_names():
        raise UsageError(tr("no role vocabulary '{role_set}'; vocabularies: {sets}",
                            role_set=role_set, sets=", ".join(sorted(config.role_set_names()))))
    role_id = role_in(config.roles(role_set), role, f"'{role_set}'")
    roles = _vocabulary(uow, role_set)
    current = _plain(roles)
    index = next(i for i, r in enumerate(current) if r["id"] == role_id)
    done: list[str] = []
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = clean_text(name) or None
        if not changes["name"]:
            raise UsageError(tr("--name is empty"))
        done.append("tên")
    if document_name is not None:
        changes["document_name"] = clean_text(document_name) or None
        done.append("tên trong văn bản")
    if rank is not None:
        changes["rank"] = rank
        done.append("thứ tự")
    if max_holders is not None or any_number:
        changes["max"] = None if any_number else max_holders
        done.append("số người")
    if head is not None:
        changes["head"] = True if head else None
        done.append("người đứng đầu" if head else "không còn là người đứng đầu")
    if not done:
        raise UsageError(tr("nothing to update: give --name, --document-name, --rank, --max, "
                            "--any-number or --head/--no-head"))
    after = [dict(r) for r in current]
    after[index].update(changes)
    if head:
        for i, other in enumerate(after):
            if i != index and other.get("head"):
                other["head"] = None
                set_field(roles[i], "head", None, Role)
                done.append(f"{other['name']} không còn là người đứng đầu")
    _refuse_heads(role_set, after)
    Role.model_validate({k: v for k, v in after[index].items() if v is not None})
    for key, value in changes.items():
        set_field(roles[index], key, value, Role)
    return f"Cập nhật chức danh {after[index]['name']} ({role_set}): {', '.join(done)}"
