"""The report's pages of the workflow's tables and texts: a results/pages/<name>.html beside
each CSV, TSV, Markdown or text output, so that the report shows it (Snakemake's report
shows images, PDFs and HTML in place, and offers any other file as a download).
"""

import csv
import html
from pathlib import Path

from convlab.files import atomic_path

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 14px; margin: 1em; color: #222; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 3px 7px; vertical-align: top; }
th { background: #f2f2f2; position: sticky; top: 0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #fafafa; }
pre { font-size: 13px; }
p.source { color: #666; font-size: 12px; }
"""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _shown(text: str) -> str:
    """A long decimal as it is read, to 4 significant digits (the file keeps them all)."""
    if _is_number(text) and "." in text and len(text) > 8:
        return f"{float(text):.4g}"
    return text


def table_html(rows: list[list[str]], header: bool = True) -> str:
    """Rows of text as an HTML table, the first row as its header; numbers right-aligned."""
    head, body = (rows[0], rows[1:]) if header and rows else ([], rows)
    lines = ["<table>"]
    if head:
        lines.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>")
    for row in body:
        row = [_shown(c) for c in row]
        cells = (
            f'<td class="number">{html.escape(c)}</td>'
            if _is_number(c)
            else f"<td>{html.escape(c)}</td>"
            for c in row
        )
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(lines + ["</table>"])


def body_html(path) -> str:
    """The content of ``path`` as HTML: a table for CSV and TSV (a TSV of numbers alone, a
    matrix, has no header), Markdown rendered (its pipe tables as tables), text as is."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".csv", ".tsv"):
        rows = list(csv.reader(text.splitlines(), delimiter="\t" if path.suffix == ".tsv" else ","))
        matrix = bool(rows) and all(_is_number(c) for c in rows[0])
        return table_html(rows, header=not matrix)
    if path.suffix == ".md":
        import markdown

        return markdown.markdown(text, extensions=["tables"])
    return f"<pre>{html.escape(text)}</pre>"


def write_page(source, page, title: str) -> None:
    """results/pages/<name>.html of ``source``: its content, and where the file is."""
    Path(page).parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(page) as partial:
        partial.write_text(
            "<!DOCTYPE html>\n"
            f'<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n"
            f"{body_html(source)}\n"
            f'<p class="source">The file: {html.escape(str(source))}</p>\n'
            "</body></html>\n",
            encoding="utf-8",
        )
