"""Generate a valid registry at national scale, deterministically (registry format v1).

Default: about 1,000 committees (one per ministry or province), 20,000 people, 25,000 seats
with history, 20,000 tasks and 3,000 decisions. Every committee has a consolidating decision
and two later amendments that replace, end and re-role members, so queries at a date and the
history have something to find. The names are generated; no real person is meant.

    python benchmarks/generate.py OUT_DIR [--committees N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Ngọc", "Quang", "Thu", "Hải", "Xuân"]
GIVEN = ["An", "Anh", "Ánh", "Bình", "Chi", "Cường", "Dũng", "Duy", "Đức", "Giang", "Hà", "Hải",
         "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Ngân", "Phúc",
         "Quân", "Sơn", "Tâm", "Thảo", "Trà", "Trung", "Tú", "Uyên", "Việt", "Yến"]
UNITS = ["Văn phòng", "Vụ Tổ chức cán bộ", "Vụ Pháp chế", "Vụ Kế hoạch - Tài chính",
         "Trung tâm Thông tin"]
UNIT_ABBR = ["VP", "TCCB", "PC", "KHTC", "TTTT"]
STATUSES = ["open", "in-progress", "done", "cancelled"]


@dataclass(frozen=True)
class Scale:
    """How big a registry to make."""

    committees: int = 1000
    people_per_org: int = 20
    tasks_per_committee: int = 20
    seed: int = 913

    @classmethod
    def named(cls, name: str) -> Scale:
        """``default`` (national), ``small`` (smoke test) or ``medium``."""
        return {"default": cls(), "small": cls(committees=12), "medium": cls(committees=200)}[name]


def _name(rng: random.Random) -> tuple[str, str]:
    honorific = rng.choice(["Ông", "Bà"])
    middle = "Thị" if honorific == "Bà" and rng.random() < 0.6 else rng.choice(MIDDLE)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}", honorific


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def _decision(number: int, symbol: str, day: str, kind: str, committee: str, org: str,
              signer: str, subject: str) -> str:
    """A signed decision, with the fingerprint ``committee decision sign`` would record."""
    import yaml

    from committee_cli.model.records import Decision
    from committee_cli.rules.registry_rules import fingerprint

    draft = _draft(number, symbol, day, kind, committee, org, signer, subject)
    record = Decision.model_validate(yaml.safe_load(draft))
    signed = draft.replace("status: draft", "status: signed", 1)
    return signed + f"signature:\n  date: {day}\n  fingerprint: {fingerprint(record)}\n"


def _draft(number: int, symbol: str, day: str, kind: str, committee: str, org: str,
           signer: str, subject: str) -> str:
    return (f"status: draft\nkind: {kind}\ncommittee: {committee}\nnumber: {number}\n"
            f"symbol: {symbol}\ndate: {day}\nplace: Hà Nội\nissuer: {org}\nsubject: {subject}\n"
            f"signing:\n  mode: direct\n  authority: Bộ trưởng\n  signer: {signer}\n"
            f"legal_bases:\n  - nd-34-2017\nproposer: Chánh Văn phòng\nrecipients:\n"
            f"  - Như Điều {5 if kind in ('establish', 'consolidate') else 3}\n"
            "  - 'Lưu: VT'\n")  # the execution article (R119): duties make consolidate's 5


def generate(root: Path, scale: Scale) -> dict[str, int]:
    """Write the registry into ``root`` (emptied first); return counts of what was written."""
    rng = random.Random(scale.seed)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("organisations", "people", "legal-bases", "decisions", "committees", "seats",
                   "regulations", "tasks"):
        (root / folder).mkdir(parents=True)
    _write(root, "registry.yaml", "schema_version: 1\nname: Benchmark registry\n")
    _write(root, "legal-bases/nd-34-2017.yaml",
           "kind: Nghị định\nnumber: 34/2017/NĐ-CP\ndate: 2017-04-03\nissuer: Chính phủ\n"
           "title: quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Nội vụ\n")
    counts = {"organisations": 0, "people": 0, "decisions": 0, "committees": 0, "seats": 0,
              "tasks": 0}
    for c in range(1, scale.committees + 1):
        org = f"bo-{c:04d}"
        abbr = f"B{c:04d}"
        _write(root, f"organisations/{org}.yaml",
               f"name: Bộ số {c}\nabbreviation: {abbr}\nhead_title: Bộ trưởng\n"
               "deputy_title: Thứ trưởng\n")
        units = []
        for u, (unit, unit_abbr) in enumerate(zip(UNITS, UNIT_ABBR, strict=True)):
            uid = f"{org}-u{u + 1}"
            units.append(uid)
            _write(root, f"organisations/{uid}.yaml",
                   f"name: {unit}\nabbreviation: {unit_abbr}\nparent: {org}\n"
                   "head_title: Vụ trưởng\ndeputy_title: Phó Vụ trưởng\n")
        counts["organisations"] += 1 + len(units)
        people = []
        for p in range(scale.people_per_org):
            pid = f"p{c:04d}-{p:02d}"
            name, honorific = _name(rng)
            if p == 0:
                title, where = "Bộ trưởng", org
            elif p == 1:
                title, where = "Thứ trưởng", org
            else:
                title, where = "Vụ trưởng", units[p % len(units)]
            _write(root, f"people/{pid}.yaml",
                   f"name: {name}\nhonorific: {honorific}\npositions:\n  - title: {title}\n"
                   f"    organisation: {where}\n    since: 2015-01-0{1 + p % 9}\n")
            people.append(pid)
        counts["people"] += len(people)
        committee = f"bcd-{c:04d}"
        symbol = f"QĐ-{abbr}"
        decisions = [(f"qd-{c:04d}-2020", 100 + c % 50, "2020-03-02", "consolidate"),
                     (f"qd-{c:04d}-2021", 200 + c % 50, "2021-06-15", "change-members"),
                     (f"qd-{c:04d}-2022", 300 + c % 50, "2022-09-20", "change-members")]
        for did, number, day, kind in decisions:
            _write(root, f"decisions/{did}.yaml",
                   _decision(number, symbol, day, kind, committee, org, people[0],
                             f"Về việc {'kiện toàn' if kind == 'consolidate' else 'thay đổi thành viên'}"
                             f" Ban Chỉ đạo chuyển đổi số của Bộ số {c}"))
        counts["decisions"] += len(decisions)
        duties = "".join(f"  - id: nv-{d}\n    text: Nhiệm vụ số {d} của Ban Chỉ đạo về chuyển đổi số, "
                         f"xây dựng Chính phủ số\n    start:\n      decision: {decisions[0][0]}\n"
                         for d in range(1, 7))
        _write(root, f"committees/{committee}.yaml",
               f"name: Ban Chỉ đạo chuyển đổi số của Bộ số {c}\nshort_name: Ban Chỉ đạo\n"
               f"organisation: {org}\nestablished:\n  decision: {decisions[0][0]}\n"
               f"seal: {org}\nstanding_body:\n  unit: {units[4]}\nregulation_issuer: truong-ban\n"
               f"duties:\n{duties}")
        counts["committees"] += 1
        seats: list[str] = []

        def seat(n: int, role: str, order: int, who: str, start: str, end: str | None = None,
                 replaces: str | None = None, committee: str = committee,
                 seats: list[str] = seats) -> None:
            text = f"committee: {committee}\nrole: {role}\norder: {order}\n{who}start:\n  decision: {start}\n"
            if end:
                text += f"end:\n  decision: {end}\n"
            if replaces:
                text += f"replaces: {replaces}\n"
            sid = f"{committee}-{n:02d}"
            _write(root, f"seats/{sid}.yaml", text)
            seats.append(sid)

        first, second, third = (d[0] for d in decisions)
        seat(1, "truong-ban", 1, f"person: {people[0]}\n", first)
        seat(2, "pho-truong-ban", 2, f"person: {people[1]}\n", first)
        for i in range(3, 16):  # members held by people; 3-5 replaced in 2021, 6 in 2022
            end = second if i in (3, 4, 5) else (third if i in (6, 7) else None)
            seat(i, "uy-vien", i, f"person: {people[i - 1]}\n", first, end)
        for i in range(16, 21):  # posts only
            seat(i, "uy-vien", i, f"post: Đại diện lãnh đạo\nunit: {units[i % len(units)]}\n", first)
        for k, old in enumerate((3, 4, 5)):
            seat(21 + k, "uy-vien", old, f"person: {people[15 + k]}\n", second,
                 replaces=f"{committee}-{old:02d}")
        seat(24, "uy-vien", 6, f"person: {people[18]}\n", third, replaces=f"{committee}-06")
        seat(25, "uy-vien-thuong-truc", 7, f"person: {people[6]}\n", third,
             replaces=f"{committee}-07")
        counts["seats"] += len(seats)
        for t in range(1, scale.tasks_per_committee + 1):
            status = STATUSES[rng.randrange(4)]
            deadline = f"202{rng.randrange(1, 7)}-{rng.randrange(1, 13):02d}-15"
            text = (f"committee: {committee}\ntitle: Nhiệm vụ {t} - triển khai nền tảng số dùng chung "
                    f"của Bộ số {c}\nlead_unit: {units[t % len(units)]}\ncoordinators:\n"
                    f"  - {units[(t + 1) % len(units)]}\nproduct: Báo cáo kết quả\n"
                    f"assigned_by: {first}\ndeadline: {deadline}\nstatus: {status}\n")
            if status == "done":
                text += f"completed: {deadline}\n"
            _write(root, f"tasks/{committee}-t{t:02d}.yaml", text)
        counts["tasks"] += scale.tasks_per_committee
    return counts


def main() -> None:
    """Command line: generate a registry into a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", default="default", choices=["default", "medium", "small"])
    parser.add_argument("--committees", type=int)
    parser.add_argument("--seed", type=int, default=913)
    args = parser.parse_args()
    scale = Scale.named(args.scale)
    if args.committees:
        scale = Scale(committees=args.committees, seed=args.seed)
    counts = generate(args.out, scale)
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
