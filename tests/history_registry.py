"""Build a small registry WITH HISTORY for tests: ``build_history_registry(path) -> ids and dates``.

The committee ``bcd-thu`` ("Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm", a fictitious ministry
with fictitious people) goes through three signed decisions:

1. 30/8/2021, QĐ 100/QĐ-BTN (``qd-100-2021``, consolidate): the committee is consolidated with
   - ``bcd-thu-01`` Trưởng ban: Ông Nguyễn Văn An (Bộ trưởng, signs every decision)
   - ``bcd-thu-02`` Phó Trưởng ban: Bà Trần Thị Bình (Thứ trưởng)
   - ``bcd-thu-03`` Ủy viên: Ông Lê Văn Cường (Vụ trưởng Vụ Pháp chế until 01/3/2022)
   - ``bcd-thu-04`` Ủy viên: Bà Phạm Thị Dung (Giám đốc Trung tâm Thông tin)
   - ``bcd-thu-05`` Ủy viên: Ông Hoàng Văn Đức (Chánh Văn phòng until 01/3/2022)
   - ``bcd-thu-06`` Ủy viên: post only, "Đại diện lãnh đạo" of Vụ Tổ chức cán bộ
   duties ``dieu-phoi`` and ``tong-ket``; regulation version 1 (``quy-che-bcd-thu-1``);
   task ``bao-cao-so-ket`` (lead unit Trung tâm Thông tin, deadline 31/12/2021, in progress from
   01/10/2021, done 15/02/2022: overdue from 01/01/2022 to 14/02/2022).
2. 01/3/2022, QĐ 200/QĐ-BTN (``qd-200-2022``, change-members), the amendment:
   - replaces a member: ``bcd-thu-03`` (Cường) ends; ``bcd-thu-07`` Ủy viên Bà Đặng Thị Ánh
     (Vụ trưởng Vụ Pháp chế from 01/3/2022) starts with ``replaces: bcd-thu-03``;
   - ends a member: ``bcd-thu-05`` (Đức, retired) ends;
   - changes a role: ``bcd-thu-04`` (Dung, Ủy viên) ends and ``bcd-thu-08`` (Dung, Ủy viên
     thường trực) starts, with no ``replaces``;
   - ends duty ``tong-ket``, adds duty ``kiem-tra``; assigns task ``ke-hoach-2023`` (lead person
     Dung, deadline 30/6/2022, still open: overdue from 01/7/2022).
3. 16/01/2023, QĐ 300/QĐ-BTN (``qd-300-2023``, change-members), the later one: ``bcd-thu-09``
   Ủy viên Bà Vũ Thị Giang (Vụ trưởng Vụ Kế hoạch - Tài chính) starts; regulation version 2
   (``quy-che-bcd-thu-2``, replaces version 1) is issued.

Seats held: 6 from 30/8/2021, 5 from 01/3/2022 (3 ended, 2 started), 6 from 16/01/2023.
Every change takes effect on its decision's date (end exclusive), so ``--as-of`` the day before
a decision shows the state before it. The registry passes ``committee validate`` and
``committee fmt --check``.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from committee_cli.model.records import Decision
from committee_cli.rules.registry_rules import fingerprint
from committee_cli.store.canonical import canonical_text
from committee_cli.store.yamlio import round_trip_yaml

COMMITTEE = "bcd-thu"
CONSOLIDATION, AMENDMENT, LATER = "qd-100-2021", "qd-200-2022", "qd-300-2023"
DATES = {"consolidation": date(2021, 8, 30), "amendment": date(2022, 3, 1),
         "later": date(2023, 1, 16)}

_ORGANISATIONS = {
    "btn": {"name": "Bộ Thử nghiệm", "abbreviation": "BTN", "head_title": "Bộ trưởng",
            "deputy_title": "Thứ trưởng"},
    "btn-vp": {"name": "Văn phòng Bộ", "abbreviation": "VP", "parent": "btn"},
    "btn-vpc": {"name": "Vụ Pháp chế", "abbreviation": "PC", "parent": "btn"},
    "btn-tttt": {"name": "Trung tâm Thông tin", "abbreviation": "TTTT", "parent": "btn"},
    "btn-vtccb": {"name": "Vụ Tổ chức cán bộ", "abbreviation": "TCCB", "parent": "btn"},
    "btn-vkhtc": {"name": "Vụ Kế hoạch - Tài chính", "abbreviation": "KHTC", "parent": "btn"},
}


def _person(name: str, honorific: str, *positions: tuple[str, str, date, date | None]) -> dict[str, Any]:
    return {"name": name, "honorific": honorific, "positions": [
        {"title": t, "organisation": o, "since": s, **({"until": u} if u else {})}
        for t, o, s, u in positions]}


_PEOPLE = {
    "nguyen-van-an": _person("Nguyễn Văn An", "Ông", ("Bộ trưởng", "btn", date(2020, 4, 1), None)),
    "tran-thi-binh": _person("Trần Thị Bình", "Bà", ("Thứ trưởng", "btn", date(2019, 1, 1), None)),
    "le-van-cuong": _person("Lê Văn Cường", "Ông",
                            ("Vụ trưởng", "btn-vpc", date(2018, 1, 1), DATES["amendment"])),
    "dang-thi-anh": _person("Đặng Thị Ánh", "Bà",
                            ("Phó Vụ trưởng", "btn-vpc", date(2019, 5, 1), DATES["amendment"]),
                            ("Vụ trưởng", "btn-vpc", DATES["amendment"], None)),
    "pham-thi-dung": _person("Phạm Thị Dung", "Bà",
                             ("Giám đốc", "btn-tttt", date(2019, 6, 1), None)),
    "hoang-van-duc": _person("Hoàng Văn Đức", "Ông",
                             ("Chánh Văn phòng", "btn-vp", date(2017, 1, 1), DATES["amendment"])),
    "vu-thi-giang": _person("Vũ Thị Giang", "Bà",
                            ("Vụ trưởng", "btn-vkhtc", date(2021, 1, 1), None)),
}


def _decision(number: int, when: date, kind: str, subject: str,
              attachments: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": "signed", "kind": kind, "committee": COMMITTEE, "number": number,
        "symbol": "QĐ-BTN", "date": when, "place": "Hà Nội", "issuer": "btn", "subject": subject,
        "signing": {"mode": "direct", "authority": "Bộ trưởng", "signer": "nguyen-van-an"},
        "legal_bases": ["nd-99-2020"], "proposer": "Giám đốc Trung tâm Thông tin",
        "recipients": [f"Như Điều {5 if kind in ('establish', 'consolidate') else 3}",
                       "Lưu: VT, TTTT"],  # the execution article (R119)
    }
    if attachments:
        data["attachments"] = attachments
    data["signature"] = {"date": when, "fingerprint": fingerprint(Decision.model_validate(data))}
    return data


def _seat(role: str, order: int, start: str, *, person: str | None = None,
          post: str | None = None, unit: str | None = None, end: str | None = None,
          replaces: str | None = None, reason: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"committee": COMMITTEE, "role": role, "order": order}
    data.update({k: v for k, v in (("person", person), ("post", post), ("unit", unit)) if v})
    data["start"] = {"decision": start}
    if end:
        data["end"] = {"decision": end, **({"reason": reason} if reason else {})}
    if replaces:
        data["replaces"] = replaces
    return data


def _regulation(version: int, issued_by: str, replaces: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "committee": COMMITTEE, "title": "Quy chế hoạt động của Ban Chỉ đạo chuyển đổi số",
        "version": version, "issued_by": issued_by,
        "chapters": [{"title": "Quy định chung", "articles": [
            {"title": "Phạm vi điều chỉnh",
             "text": f"Quy chế này (phiên bản {version}) quy định nguyên tắc làm việc."}]}],
    }
    if replaces:
        data["replaces"] = replaces
    return data


def _files() -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {
        "registry.yaml": {"schema_version": 1, "name": "Sổ đăng ký thử nghiệm có lịch sử"},
        "legal-bases/nd-99-2020.yaml": {
            "kind": "Nghị định", "number": "99/2020/NĐ-CP", "date": date(2020, 3, 2),
            "issuer": "Chính phủ",
            "title": "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Thử nghiệm"},
        "committees/bcd-thu.yaml": {
            "name": "Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm", "short_name": "Ban Chỉ đạo",
            "organisation": "btn", "established": {"decision": CONSOLIDATION},
            "seal": "btn", "standing_body": {"unit": "btn-tttt"},
            "regulation_issuer": "truong-ban",
            "duties": [
                {"id": "dieu-phoi", "text": "Giúp Bộ trưởng điều phối công tác chuyển đổi số",
                 "start": {"decision": CONSOLIDATION}},
                {"id": "tong-ket", "text": "Sơ kết, tổng kết công tác chuyển đổi số",
                 "start": {"decision": CONSOLIDATION}, "end": {"decision": AMENDMENT}},
                {"id": "kiem-tra", "text": "Kiểm tra việc thực hiện kế hoạch chuyển đổi số",
                 "start": {"decision": AMENDMENT}},
            ]},
        f"decisions/{CONSOLIDATION}.yaml": _decision(
            100, DATES["consolidation"], "consolidate",
            "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm",
            ["quy-che-bcd-thu-1"]),
        f"decisions/{AMENDMENT}.yaml": _decision(
            200, DATES["amendment"], "change-members",
            "Về việc thay đổi thành viên Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm"),
        f"decisions/{LATER}.yaml": _decision(
            300, DATES["later"], "change-members",
            "Về việc bổ sung thành viên Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm",
            ["quy-che-bcd-thu-2"]),
        "seats/bcd-thu-01.yaml": _seat("truong-ban", 1, CONSOLIDATION, person="nguyen-van-an"),
        "seats/bcd-thu-02.yaml": _seat("pho-truong-ban", 2, CONSOLIDATION, person="tran-thi-binh"),
        "seats/bcd-thu-03.yaml": _seat("uy-vien", 3, CONSOLIDATION, person="le-van-cuong",
                                       end=AMENDMENT, reason="chuyển công tác"),
        "seats/bcd-thu-04.yaml": _seat("uy-vien", 4, CONSOLIDATION, person="pham-thi-dung",
                                       end=AMENDMENT),
        "seats/bcd-thu-05.yaml": _seat("uy-vien", 5, CONSOLIDATION, person="hoang-van-duc",
                                       end=AMENDMENT, reason="nghỉ hưu"),
        "seats/bcd-thu-06.yaml": _seat("uy-vien", 6, CONSOLIDATION, post="Đại diện lãnh đạo",
                                       unit="btn-vtccb"),
        "seats/bcd-thu-07.yaml": _seat("uy-vien", 3, AMENDMENT, person="dang-thi-anh",
                                       replaces="bcd-thu-03"),
        "seats/bcd-thu-08.yaml": _seat("uy-vien-thuong-truc", 4, AMENDMENT,
                                       person="pham-thi-dung"),
        "seats/bcd-thu-09.yaml": _seat("uy-vien", 7, LATER, person="vu-thi-giang"),
        "regulations/quy-che-bcd-thu-1.yaml": _regulation(1, CONSOLIDATION),
        "regulations/quy-che-bcd-thu-2.yaml": _regulation(2, LATER, replaces="quy-che-bcd-thu-1"),
        "tasks/bao-cao-so-ket.yaml": {
            "committee": COMMITTEE, "title": "Báo cáo sơ kết công tác chuyển đổi số năm 2021",
            "lead_unit": "btn-tttt", "coordinators": ["btn-vp"], "product": "Báo cáo sơ kết",
            "assigned_by": CONSOLIDATION, "deadline": date(2021, 12, 31), "status": "done",
            "completed": date(2022, 2, 15),
            "history": [{"date": date(2021, 10, 1), "status": "in-progress"},
                        {"date": date(2022, 2, 15), "status": "done"}]},
        "tasks/ke-hoach-2023.yaml": {
            "committee": COMMITTEE, "title": "Xây dựng Kế hoạch chuyển đổi số năm 2023",
            "lead_person": "pham-thi-dung", "coordinators": ["btn-vkhtc"],
            "product": "Kế hoạch", "assigned_by": AMENDMENT, "deadline": date(2022, 6, 30)},
    }
    files.update({f"organisations/{oid}.yaml": data for oid, data in _ORGANISATIONS.items()})
    files.update({f"people/{pid}.yaml": data for pid, data in _PEOPLE.items()})
    return files


def _yaml_text(rel: str, data: dict[str, Any]) -> str:
    """The canonical text of a record (no anchors even where two fields share one date object)."""
    rt = round_trip_yaml()
    rt.representer.ignore_aliases = lambda _data: True
    stream = io.StringIO()
    rt.dump(data, stream)
    return canonical_text(rel, stream.getvalue())


def build_history_registry(path: Path) -> dict[str, Any]:
    """Write the registry described above into ``path`` (new or empty) and return its ids and dates.

    Keys: ``path``, ``committee``; ``decisions`` and ``dates`` by step (``consolidation``,
    ``amendment``, ``later``); ``seats`` and ``people`` by part in the story (``head``, ``deputy``,
    ``replaced``, ``replacement``, ``role_old``/``role_new`` (seats) or ``role_changed``
    (person), ``ended``, ``post`` (seat only), ``added_later``); ``duties``, ``tasks`` and
    ``regulations``.
    """
    path.mkdir(parents=True, exist_ok=True)
    if any(path.iterdir()):
        raise ValueError(f"{path} is not empty: build the history registry in a new folder")
    for rel, data in _files().items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_yaml_text(rel, data), encoding="utf-8")
    for folder in ("organisations", "people", "legal-bases", "decisions", "committees", "seats",
                   "regulations", "tasks"):
        (path / folder).mkdir(exist_ok=True)
    return {
        "path": path,
        "committee": COMMITTEE,
        "decisions": {"consolidation": CONSOLIDATION, "amendment": AMENDMENT, "later": LATER},
        "dates": dict(DATES),
        "seats": {"head": "bcd-thu-01", "deputy": "bcd-thu-02", "replaced": "bcd-thu-03",
                  "replacement": "bcd-thu-07", "role_old": "bcd-thu-04", "role_new": "bcd-thu-08",
                  "ended": "bcd-thu-05", "post": "bcd-thu-06", "added_later": "bcd-thu-09"},
        "people": {"head": "nguyen-van-an", "deputy": "tran-thi-binh", "replaced": "le-van-cuong",
                   "replacement": "dang-thi-anh", "role_changed": "pham-thi-dung",
                   "ended": "hoang-van-duc", "added_later": "vu-thi-giang"},
        "duties": {"kept": "dieu-phoi", "ended": "tong-ket", "added": "kiem-tra"},
        "tasks": {"done_late": "bao-cao-so-ket", "overdue": "ke-hoach-2023"},
        "regulations": {"v1": "quy-che-bcd-thu-1", "v2": "quy-che-bcd-thu-2"},
    }
