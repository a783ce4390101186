"""The report's pages: tables, Markdown and text as HTML the report shows in place."""

import re

from convlab.pages import body_html, table_html, write_page


def test_a_csv_is_a_table_with_a_header_and_numbers_to_the_right(tmp_path):
    source = tmp_path / "runs.csv"
    source.write_text("arch,n,test_accuracy\nbaseline,5000,0.41200000047683716\n<b>,,x\n")
    html = body_html(source)
    assert "<tr><th>arch</th><th>n</th><th>test_accuracy</th></tr>" in html
    assert '<td>baseline</td><td class="number">5000</td><td class="number">0.412</td>' in html
    assert "<td>&lt;b&gt;</td>" in html  # text is escaped


def test_a_matrix_of_numbers_has_no_header(tmp_path):
    source = tmp_path / "table.tsv"
    source.write_text("1\t2\n3\t4\n")
    assert "<th>" not in body_html(source) and body_html(source).count("<tr>") == 2


def test_markdown_pipe_tables_become_tables(tmp_path):
    source = tmp_path / "claims.md"
    source.write_text("# Title\n\nSome **bold** text.\n\n| # | claim |\n|---|---|\n| 1 | holds |\n")
    html = body_html(source)
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert re.search(r"<th>#</th>\s*<th>claim</th>", html)
    assert re.search(r"<td>1</td>\s*<td>holds</td>", html)


def test_text_is_kept_as_it_is_and_the_page_names_its_file(tmp_path):
    source = tmp_path / "summary.txt"
    source.write_text("┏━━┓ a < b\n")
    page = tmp_path / "pages" / "summary.html"
    write_page(source, page, "Model summary")
    html = page.read_text(encoding="utf-8")
    assert "<pre>┏━━┓ a &lt; b\n</pre>" in html
    assert "<title>Model summary</title>" in html and f"The file: {source}" in html


def test_an_empty_table_is_an_empty_table():
    assert table_html([]) == "<table>\n</table>"
