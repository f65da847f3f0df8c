#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs a Windows loopprobe (under Wine, or natively) and checks its matrix.

usage: check_matrix.py [--schema FILE] [EMULATOR...] LOOPPROBE_EXE

The Windows mechanisms must be ok at the api layer and na at the syscall
layer (Windows has no stable system call interface), every POSIX mechanism
na, the library layers skipped (no library is built for Windows), and the
JSON valid against the loopprobe/1 schema.  Prints the text matrix, then
one line per check and a closing "N passed, N failed" line.
"""
import argparse
import json
import subprocess
import sys

WINDOWS = ("iocp", "wsapoll", "select")
LIBRARY_LAYERS = ("libuv", "libev", "libevent")

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok      " if ok else "FAILED  ") + name + ("" if ok or not detail else ": " + detail))


def run(cmd, *args):
    p = subprocess.run(list(cmd) + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=240)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def cells_of(report):
    return {(c["mechanism"], c["layer"]): c for c in report["cells"]}


def mechanisms(schema, report):
    """The vocabulary's mechanisms: the schema's enum, or (without a schema)
    those of the report's own cells."""
    if schema:
        with open(schema, encoding="utf-8") as f:
            return json.load(f)["$defs"]["mechanism"]["enum"]
    return sorted({c["mechanism"] for c in report["cells"]})


def check_full_run(cmd, schema):
    rc, out, err = run(cmd, "--format", "json")
    check("loopprobe --format json exits 0", rc == 0, "exit %d, stderr %r" % (rc, err[-400:]))
    try:
        report = json.loads(out)
    except ValueError as e:
        check("the report is JSON", False, str(e))
        return
    check("schema is loopprobe/1", report.get("schema") == "loopprobe/1")
    check("host.os is windows", report["host"]["os"] == "windows", str(report["host"]))
    cells = cells_of(report)
    for m in WINDOWS:
        c = cells.get((m, "api"), {})
        check("%s@api is ok" % m, c.get("verdict") == "ok", json.dumps(c))
        check("%s@api names its provider" % m, bool(c.get("provider")), json.dumps(c))
        c = cells.get((m, "syscall"), {})
        check("%s@syscall is na" % m, c.get("verdict") == "na", json.dumps(c))
        for layer in LIBRARY_LAYERS:
            c = cells.get((m, layer), {})
            check("%s@%s is skipped" % (m, layer), c.get("verdict") == "skipped", json.dumps(c))
    # Every other mechanism of the vocabulary (the schema's enum, generated
    # from the table in loopprobe.h) must have cells, all na.
    for m in mechanisms(schema, report):
        if m in WINDOWS:
            continue
        check("%s has cells" % m, any(mm == m for mm, _ in cells), "no cell of " + m)
        bad = [l for (mm, l), c in cells.items() if mm == m and c["verdict"] != "na"]
        check("%s is na at every layer" % m, not bad, "not na at " + ", ".join(bad))
    check("no error finding", all(f["severity"] != "error" for f in report["findings"]),
          json.dumps(report["findings"]))
    if schema:
        try:
            import jsonschema
        except ImportError:
            check("the report validates against the schema", False,
                  "python3-jsonschema is not installed")
            return
        with open(schema) as f:
            s = json.load(f)
        try:
            jsonschema.validate(report, s, cls=jsonschema.Draft202012Validator)
            check("the report validates against the schema", True)
        except jsonschema.ValidationError as e:
            check("the report validates against the schema", False, e.message)


def check_no_isolate(cmd):
    rc, out, err = run(cmd, "--no-isolate", "--only", "iocp,wsapoll,select", "--format", "json")
    check("--no-isolate exits 0", rc == 0, "exit %d, stderr %r" % (rc, err[-400:]))
    if rc == 0:
        cells = cells_of(json.loads(out))
        for m in WINDOWS:
            check("%s@api is ok in-process" % m, cells[(m, "api")]["verdict"] == "ok",
                  json.dumps(cells[(m, "api")]))


def check_require(cmd):
    rc, out, err = run(cmd, "--quiet", "--require", "epoll@api")
    check("--require epoll@api exits 1 on Windows", rc == 1, "exit %d" % rc)
    rc, out, err = run(cmd, "--quiet", "--require", "iocp@api,wsapoll@api,select@api")
    check("--require of the Windows mechanisms exits 0", rc == 0, "exit %d" % rc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema")
    ap.add_argument("command", nargs="+")
    a = ap.parse_args()
    rc, out, err = run(a.command, "--format", "text")
    sys.stdout.write(out)
    check_full_run(a.command, a.schema)
    check_no_isolate(a.command)
    check_require(a.command)
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
