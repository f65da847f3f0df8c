#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_gfm - renders Markdown reports with Debian's cmark-gfm (GitHub's
fork of cmark, with its table extension) and checks what a reader of the
rendered page sees: the summary paragraph first, the matrix as one table
whose cells are verdicts, error cells in bold and warning cells in italics,
every table row whole (no escaped '|' splitting a cell), the host facts'
table inside its <details>, and no markup or escape byte leaking through.

usage: check_gfm.py REPORT.md...   (lpcheck.py imports check() as well)
Raw HTML is let through (--unsafe), as GitHub lets <details> through: an
injection would then show.  Exits 1 with the problems found.
"""

import html.parser
import re
import subprocess
import sys

VERDICTS = {"ok", "degraded", "hidden", "blocked", "emulated", "missing", "na", "failed",
            "timeout", "crashed", "skipped"}
HOSTILE_RENDERED = './we"ird|<b>*\u241b[31m\\\u00e9\ufffd$.so'


class Tables(html.parser.HTMLParser):
    """The tables of a page: rows of (tag path, text) cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.row, self.cell, self.stack = [], None, None, []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ["", set()]
        elif self.cell is not None:
            self.cell[1].add(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if tag in ("td", "th") and self.cell is not None:
            self.row.append((self.cell[0], self.cell[1]))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


def render(text):
    p = subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough"],
                       input=text.encode("utf-8"), stdout=subprocess.PIPE, check=True)
    return p.stdout.decode("utf-8")


def source_rows(text):
    """The Markdown matrix's rows as the source has them (after the header)."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("| mechanism |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("| "):
            break
        rows.append(line)
    return rows


def check_matrix(text, matrix, problems):
    header = [c[0] for c in matrix[0]]
    if header[0] != "mechanism":
        problems.append("the first table is not the matrix: %r" % header)
        return
    rows = source_rows(text)
    if len(matrix) - 1 != len(rows):
        problems.append("%d rows in the source, %d rendered" % (len(rows), len(matrix) - 1))
    for src, row in zip(rows, matrix[1:]):
        if len(row) != len(header):
            problems.append("row %r renders %d cells, not %d" % (src, len(row), len(header)))
        for (cell, tags), raw in zip(row[1:], src.split(" | ")[1:]):
            word, _, mark = cell.partition(" ")
            if word not in VERDICTS:
                problems.append("cell %r is not a verdict" % cell)
            if mark == "(error)" and tags != {"strong"}:
                problems.append("error cell %r is not bold alone (%s)" % (cell, tags))
            elif mark == "(warning)" and tags != {"em"}:
                problems.append("warning cell %r is not in italics alone (%s)" % (cell, tags))
            elif mark not in ("", "(error)", "(warning)"):
                problems.append("cell %r has an unknown mark" % cell)
            elif not mark and tags:
                problems.append("unmarked cell %r has markup %s" % (cell, tags))


def check(text, hostile=False):
    """The problems a reader of the rendered report would see, as strings.
    hostile: the report is the golden one, whose LD_PRELOAD value (when the
    size cap kept it) must render as the bytes it holds."""
    problems = []
    out = render(text)
    parsed = Tables()
    parsed.feed(out)
    if "\x1b" in out or "<b>" in out or "<script" in out:
        problems.append("markup or an escape byte leaked into the rendered page")
    if not re.match(r"<h3>loopprobe report</h3>\n<p><strong>Verdict: [^<]*\.</strong> "
                    r"loopprobe .*</p>\n", out):
        problems.append("the page does not start with the summary paragraph:\n" + out[:400])
    if len(parsed.tables) < 2:
        problems.append("%d tables rendered, expected the matrix and the facts"
                        % len(parsed.tables))
        return problems
    check_matrix(text, parsed.tables[0], problems)
    facts = parsed.tables[-1]
    if [c[0] for c in facts[0]] != ["fact", "value"]:
        problems.append("the last table is not the host facts")
    for row in facts[1:]:
        if len(row) != 2:
            problems.append("a facts row renders %d cells: %r" % (len(row), row))
    if hostile:
        values = {row[0][0]: row[1][0] for row in facts[1:] if len(row) == 2}
        want = "./libwrap.so " + HOSTILE_RENDERED
        if "env LD_PRELOAD" in values and values["env LD_PRELOAD"] != want:
            problems.append("LD_PRELOAD renders as %r, not %r" % (values.get("env LD_PRELOAD"), want))
    if "<details><summary>Environment</summary>" not in out:
        problems.append("no Environment <details> block")
    return problems


def main():
    failed = False
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        problems = check(text, hostile=True)
        for p in problems:
            print("FAIL: %s: %s" % (path, p))
        failed = failed or bool(problems)
        if not problems:
            print("ok: %s renders as intended" % path)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
