"""R119's numbering of the execution article follows the built-in templates, for every kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from committee_cli.render.documents import decision_document
from committee_cli.render.markdown import to_markdown
from committee_cli.render.templating import load_templates
from committee_cli.resources import package_data
from committee_cli.rules.body_rules import execution_article
from committee_cli.store import RegistryStore
from tests.conftest import ROOT, SAMPLE
from tests.issuer_checks import executing_articles

REGISTRIES = [SAMPLE, ROOT / "tests" / "fixtures" / "render" / "registry",
              *sorted((ROOT / "tests" / "fixtures" / "issuers").iterdir())]


@pytest.mark.parametrize("root", REGISTRIES, ids=lambda p: p.name)
def test_the_rule_names_the_article_the_document_executes_in(root: Path) -> None:
    reg = RegistryStore(root, use_cache=False).load().registry
    templates = load_templates(package_data("templates"), root)
    checked = 0
    for did, dec in sorted(reg.decisions.items()):
        wanted = execution_article(reg, did, dec)
        if wanted is None:
            continue
        text = to_markdown(decision_document(reg, did, templates))
        assert executing_articles(text)[:1] == [wanted], (root.name, did, dec.kind)
        checked += 1
    assert checked
