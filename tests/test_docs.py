"""The pages of docs/ made from the workflow (convlab.reference, scripts/make_docs.py) are
up to date: the configuration reference with the schema and config.yaml, the rule graph
with what real `snakemake --rulegraph mermaid-js` draws."""

import re

from conftest import REPO
from convlab.reference import RULEGRAPH_HEAD, config_reference, load, undescribed

OUT_OF_DATE = "out of date: run .venv/bin/python scripts/make_docs.py"


def test_every_key_of_the_schema_has_a_description():
    assert undescribed(load(REPO / "schemas" / "config.schema.yaml")) == []


def test_the_configuration_reference_is_made_from_the_schema_and_the_defaults():
    made = config_reference(
        load(REPO / "schemas" / "config.schema.yaml"), load(REPO / "config.yaml")
    )
    page = (REPO / "docs" / "config-reference.md").read_text(encoding="utf-8")
    assert page == made, f"docs/config-reference.md is {OUT_OF_DATE}"
    for key in ("`training.batch_size`", "`sweeps.<name>.setting`", "`claims.n_gain`"):
        assert key in page


def named_graph(mermaid: str) -> tuple[set, set]:
    """The rules and the edges (by rule name) of a Mermaid flowchart from Snakemake."""
    names = dict(re.findall(r"^\s*(id\d+)\[(\w+)\]", mermaid, re.M))
    edges = re.findall(r"^\s*(id\d+) --> (id\d+)", mermaid, re.M)
    return set(names.values()), {(names[a], names[b]) for a, b in edges}


def test_the_rule_graph_page_is_what_snakemake_draws(tiny_workflow):
    graph = tiny_workflow.snakemake("--rulegraph", "mermaid-js").stdout
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page.startswith(RULEGRAPH_HEAD), f"docs/rules.md is {OUT_OF_DATE}"
    # Snakemake numbers the rules and orders the edges its own way from one run to the next.
    assert named_graph(page) == named_graph(graph), f"docs/rules.md is {OUT_OF_DATE}"
    rules, edges = named_graph(page)
    assert {("prepare_data", "train"), ("train", "train")} <= edges and "claims" in rules
