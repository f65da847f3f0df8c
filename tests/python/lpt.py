# SPDX-License-Identifier: MIT
"""Helpers of the Python tests: exact comparisons that say what differed."""

import json
import os
import sys

# The mechanisms, in matrix order, from the library's own table
# (LP_MECHANISM_MAP): a mechanism added there is covered here, or a test
# that lists expectations fails loudly.
from loopprobe import _lib  # noqa: E402  (PYTHONPATH names the build tree's copy)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import consistency  # noqa: E402  (tests/cli/consistency.py)

MECHS = _lib.names("lp_mechanism_name")
LAYERS = _lib.names("lp_layer_name")


def eq(got, want, what):
    if got != want:
        sys.stderr.write("FAIL: %s\n  got:  %r\n  want: %r\n" % (what, got, want))
        sys.exit(1)


def true(cond, what, context=""):
    if not cond:
        sys.stderr.write("FAIL: %s\n%s\n" % (what, context))
        sys.exit(1)


def cell(report, mech, layer):
    """The cell (mech, layer) of a report."""
    return [c for c in report["cells"] if (c["mechanism"], c["layer"]) == (mech, layer)][0]


def python_verdicts(report):
    return {c["mechanism"]: c["verdict"] for c in report["cells"] if c["layer"] == "python"}


def expect_python_row(report, **verdicts):
    """The python column: the verdicts given, "na" for every other mechanism."""
    want = {m: verdicts.get(m, "na") for m in MECHS}
    eq(python_verdicts(report), want, "the python column")


def finding(report, cell):
    found = [f for f in report["findings"] if cell in f["cells"]]
    eq(len(found), 1, "findings about %s" % cell)
    return found[0]


def no_finding(report, cell):
    about = [f["summary"] for f in report["findings"] if cell in f["cells"]]
    eq(about, [], "findings about " + cell)


def valid(report):
    """The report validates against the loopprobe/1 schema (LP_SCHEMA, set
    by CTest when docs/loopprobe-1.schema.json exists), and no finding's
    evidence contradicts its kind (tests/cli/consistency.py)."""
    schema = os.environ.get("LP_SCHEMA")
    if schema:
        import jsonschema
        with open(schema, encoding="utf-8") as f:
            jsonschema.validate(report, json.load(f))
    wrong = consistency.contradictions(report)
    true(not wrong, "evidence consistent with its finding", "\n".join(wrong))
    return report
