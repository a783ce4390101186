"""Write the pages of docs/ that are made from the workflow (convlab.reference):

    .venv/bin/python scripts/make_docs.py

docs/config-reference.md from the schema and config.yaml, docs/rules.md from
`snakemake --rulegraph mermaid-js` run in this checkout. tests/test_docs.py fails until they are
written again after a change of either.
"""

import subprocess
import sys
from pathlib import Path

from convlab.reference import config_reference, load, rulegraph_page, undescribed

root = Path(__file__).resolve().parents[1]
schema = load(root / "schemas" / "config.schema.yaml")
if missing := undescribed(schema):
    sys.exit(f"Error: schema keys without a description: {', '.join(missing)}")
graph = subprocess.run(
    [sys.executable, "-m", "snakemake", "--rulegraph", "mermaid-js"],
    cwd=root,
    capture_output=True,
    text=True,
)
if graph.returncode != 0:
    sys.exit(f"Error: snakemake --rulegraph failed:\n{graph.stderr[-2000:]}")
pages = {
    "config-reference.md": config_reference(schema, load(root / "config.yaml")),
    "rules.md": rulegraph_page(graph.stdout),
}
for name, text in pages.items():
    (root / "docs" / name).write_text(text, encoding="utf-8")
    print(f"wrote docs/{name}")
