"""Rules checked while reading files (by committee_cli.store.loader): declared here so that every
code has one place in the catalogue; their checks live with the reading."""

from __future__ import annotations

from committee_cli.i18n import N_
from committee_cli.rules.base import file_rule

file_rule("R001", N_("each file is well-formed YAML, indented with spaces"))
file_rule("R002", N_("each file is UTF-8 and readable"))
file_rule("R003", N_("every text is Unicode NFC"))
file_rule("R004", N_("every date is a real calendar date"))
file_rule("R005", N_("no mapping has the same key twice"))
file_rule("R006", N_("files are of bounded size and nesting"))
file_rule("R007", N_("no anchors or aliases"))
file_rule("R008", N_("no YAML tags"))
file_rule("R009", N_("each file holds one record as a mapping"))
file_rule("R010", N_("the folder is a registry; only registry files in its folders"))
file_rule("R011", N_("ids (file names) are safe: lower-case ASCII letters, digits, hyphens"))
file_rule("R012", N_("no unknown fields"))
file_rule("R013", N_("required fields are present"))
file_rule("R014", N_("every field has the right type and value"))
file_rule("R015", N_("the schema version is one this release reads"))
