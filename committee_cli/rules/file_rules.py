"""Rules checked while reading files (by committee_cli.store.loader): declared here so that every
code has one place in the catalogue; their checks live with the reading."""

from __future__ import annotations

from committee_cli.i18n import N_
from committee_cli.rules.base import file_rule

file_rule("R001", N_("each file is well-formed YAML, indented with spaces"),
          detail="each file is well-formed YAML, indented with spaces (no tabs)",
          fix="fix the syntax at the line shown")
file_rule("R002", N_("each file is UTF-8 and readable"),
          detail="each file is UTF-8 and readable; a BOM is accepted and never written",
          fix="re-save as UTF-8; convert TCVN3/VNI/Windows-1258 text")
file_rule("R003", N_("every text is Unicode NFC"),
          detail="every text is Unicode NFC",
          fix="`committee fmt` rewrites the file in NFC")
file_rule("R004", N_("every date is a real calendar date"),
          detail="every date is a real calendar date (`2021-02-30` is not)",
          fix="correct the date")
file_rule("R005", N_("no mapping has the same key twice"),
          detail="no mapping has the same key twice",
          fix="keep one of the two keys")
file_rule("R006", N_("files are of bounded size and nesting"),
          detail="a file is at most 5 MiB and nested at most 64 levels",
          fix="split the file; registry files are shallow")
file_rule("R007", N_("no anchors or aliases"),
          detail="no anchors or aliases (`&x`, `*x`): refused before anything is built, so alias bombs "
                 "cost nothing",
          fix="write values out")
file_rule("R008", N_("no YAML tags"),
          detail="no YAML tags (`!!python/...`, `!x`)",
          fix="remove the tag")
file_rule("R009", N_("each file holds one record as a mapping"),
          detail="each file holds one record as a mapping (not empty, not a list)",
          fix="write the record's fields")
file_rule("R010", N_("the folder is a registry; only registry files in its folders"),
          detail="the folder is a registry (`registry.yaml` exists); the registry folders hold only "
                 "`<id>.yaml` files; no symlink leads out of the registry",
          fix="`committee init`, or move stray files away")
file_rule("R011", N_("ids (file names) are safe: lower-case ASCII letters, digits, hyphens"),
          detail="ids (file names) are safe: lower-case ASCII letters, digits, single hyphens",
          fix="rename the file (e.g. `pham-thi-thanh-tra.yaml`)")
file_rule("R012", N_("no unknown fields"),
          detail="no unknown fields (with \"did you mean\" for a misspelt one)",
          fix="fix the field name")
file_rule("R013", N_("required fields are present"),
          detail="required fields are present",
          fix="add the field")
file_rule("R014", N_("every field has the right type and value"),
          detail="every field has the right type and value (dates, enums, id patterns, numbers)",
          fix="correct the value")
file_rule("R015", N_("the schema version is one this release reads"),
          detail="the schema version is one this release reads",
          fix="upgrade committee-cli")
