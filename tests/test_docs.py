"""The pages of docs/ made from the workflow (convlab.reference, scripts/make_docs.py) are
up to date: the configuration reference with the schema and config.yaml, the rule graph
with what real `snakemake --rulegraph` draws."""

from conftest import REPO
from convlab.reference import config_reference, load, mermaid, rulegraph_page, undescribed

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


def test_the_rule_graph_page_is_what_snakemake_draws(tiny_workflow):
    graph = tiny_workflow.snakemake("--rulegraph").stdout
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rulegraph_page(graph), f"docs/rules.md is {OUT_OF_DATE}"
    assert "    prepare_data --> train\n" in page and "    train --> train\n" in page


def test_mermaid_names_each_rule_and_edge_once():
    dot = '0[label = "all", color = "x"];\n1[label = "b"];\n\t1 -> 0\n\t1 -> 0\n\t1 -> 1\n'
    assert mermaid(dot) == "flowchart LR\n    all\n    b\n    b --> all\n    b --> b"
