#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_commands - loopprobe diff, merge, --baseline, --host-name and
--anonymize on real reports, made here by running loopprobe under
different conditions: clean, EVENT_NOEPOLL=1, an LD_PRELOAD wrapper that
makes epoll_wait fail.

    test_commands.py SCENARIO --loopprobe EXE --wrap-fail SO --wrap-pass SO
                     --schemas DOCS_DIR --work DIR [--sanitized]

Scenarios: diff, baseline, merge, many, bad-input, usage, identity,
anonymize, width, and valgrind (--valgrind CMD --data DIR: the same paths under it).  Every JSON document is validated against its schema in docs/;
every check prints what was expected and what came, and exits 1.  A
scenario that cannot run here (unshare refused) exits 77, which CTest
reports as skipped.
"""

import argparse
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import time

A = None


def fail(msg, p=None):
    print("FAIL: " + msg)
    if p is not None:
        print("--- exit %d ---\n--- stdout ---\n%s\n--- stderr ---\n%s" % (p.returncode, p.stdout,
                                                                         p.stderr))
    sys.exit(1)


def run(args, env=None, expect=None, stdin=None, wrap=()):
    e = dict(os.environ)
    e.pop("LOOPPROBE_SALT", None)
    e.pop("COLUMNS", None)
    if A.sanitized:
        e["ASAN_OPTIONS"] = "verify_asan_link_order=0:detect_leaks=1:handle_segv=0"
    e.update(env or {})
    p = subprocess.run(list(wrap) + [A.loopprobe] + args, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace", timeout=280)
    if expect is not None and p.returncode != expect:
        fail("loopprobe %s exited %d, expected %d" % (" ".join(args), p.returncode, expect), p)
    return p


def has(p, *texts, where="stdout"):
    out = getattr(p, where)
    for t in texts:
        if t not in out:
            fail("%s lacks %r" % (where, t), p)


def lacks(p, *texts, where="stdout"):
    out = getattr(p, where)
    for t in texts:
        if t in out:
            fail("%s contains %r" % (where, t), p)


def validate(doc, name):
    import jsonschema  # Debian: python3-jsonschema

    schema = json.load(open(os.path.join(A.schemas, name)))
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    return doc


def report(name, env=None, args=()):
    """A real report, written by loopprobe under env, named name."""
    path = os.path.join(A.work, name + ".json")
    p = run(["--format", "json", "--timeout", "10000", "--host-name", name, "--output", path]
            + list(args), env=env)
    if p.returncode not in (0, 1):
        fail("making report %s" % name, p)
    validate(json.load(open(path)), "loopprobe-1.schema.json")
    return path


def reports():
    return {"clean": report("clean"), "noepoll": report("noepoll", {"EVENT_NOEPOLL": "1"}),
            "wrapped": report("wrapped", {"LD_PRELOAD": A.wrap_fail})}


def scenario_diff():
    r = reports()
    p = run(["diff", r["clean"], r["noepoll"]], expect=1)
    print(p.stdout)
    has(p, "cells that got worse (1)\n  epoll@libevent     ok -> hidden\n",
        "findings that appeared (1)\n  error    hidden-by-environment: epoll@libevent\n",
        "libevent default_mechanism: epoll -> poll", "env.EVENT_NOEPOLL: (none) -> 1",
        "verdict: worse (exit 1): 1 cell got worse, 1 error finding appeared")
    p = run(["diff", r["noepoll"], r["clean"]], expect=0)
    has(p, "cells that got better (1)\n  epoll@libevent     hidden -> ok\n",
        "findings that disappeared (1)", "verdict: not worse (exit 0)")
    p = run(["diff", r["clean"], r["wrapped"], "--format", "json"], expect=1)
    d = validate(json.loads(p.stdout), "loopprobe-diff-1.schema.json")
    worse = {"%s@%s" % (c["mechanism"], c["layer"]): c["new"] for c in d["cells"]["worse"]}
    if worse != {"epoll@api": "hidden", "epoll@libuv": "hidden", "epoll@libev": "hidden",
                 "epoll@libevent": "hidden"}:
        fail("diff clean wrapped: worse cells %r" % worse, p)
    if not d["worse"] or d["exit_code"] != 1 or d["new"]["host"] != "wrapped":
        fail("diff clean wrapped: worse %r, exit_code %r" % (d["worse"], d["exit_code"]), p)
    facts = {f["fact"]: (f["old"], f["new"]) for f in d["host"]}
    if facts.get("preload") != ("none", A.wrap_fail):
        fail("diff clean wrapped: preload %r" % (facts.get("preload"),), p)
    p = run(["diff", r["clean"], r["wrapped"], "--format", "markdown"], expect=1)
    has(p, "### loopprobe diff: clean against wrapped", "| epoll@api | ok | **hidden** |",
        "- **error** hidden-by-wrapper epoll@api (also epoll@libuv")
    out = os.path.join(A.work, "diff.md")
    run(["diff", "-f", "markdown", "-o", out, r["clean"], r["clean"]], expect=0)
    if "**Verdict:** no change (exit 0)" not in open(out).read():
        fail("diff --output: " + open(out).read())
    p = run(["diff", "--format", "summary", r["clean"], r["noepoll"]], expect=1)
    if p.stdout != "verdict: worse (exit 1): 1 cell got worse, 1 error finding appeared\n":
        fail("diff --format summary", p)
    p = run(["diff", r["clean"], r["noepoll"], "--output", "/dev/full"], expect=3)
    has(p, "cannot write the report to '/dev/full'", where="stderr")


def scenario_baseline():
    base = os.path.basename(report("known-good"))
    os.chdir(A.work)  # a short name: the lines below are not wrapped
    p = run(["--baseline", base, "--timeout", "10000"], {"EVENT_NOEPOLL": "1"}, expect=1)
    has(p, "  old  %s: host known-good" % base, "  new  this run: host ",
        "epoll@libevent     ok -> hidden", "verdict: worse (exit 1)")
    p = run(["--baseline", base, "--timeout", "10000", "--format", "json"], expect=0)
    d = validate(json.loads(p.stdout), "loopprobe-diff-1.schema.json")
    if d["new"]["file"] is not None or d["worse"]:
        fail("--baseline on a clean run: %r" % d["cells"], p)
    p = run(["--baseline", base, "--timeout", "10000", "--quiet"], {"EVENT_NOEPOLL": "1"},
            expect=1)
    if p.stdout:
        fail("--quiet --baseline wrote to standard output", p)
    p = run(["--baseline", os.path.join(A.work, "missing.json"), "--only", "epoll"], expect=3)
    has(p, "loopprobe: --baseline: %s: cannot read: No such file or directory"
        % os.path.join(A.work, "missing.json"), where="stderr")
    p = run(["--baseline="], expect=2)
    has(p, "--baseline needs a report file", where="stderr")


def scenario_merge():
    r = reports()
    time.sleep(1.1)  # a newer report of the host "clean", one second later
    newer = report("clean-again", {"EVENT_NOEPOLL": "1"}, ["--host-name", "clean"])
    p = run(["merge", r["clean"], r["noepoll"], r["wrapped"]], expect=1)
    print(p.stdout)
    has(p, "loopprobe merge: 3 hosts from 3 reports",
        # two of three have epoll@libevent hidden: the majority, by cause
        "  epoll@libevent     hidden on 2 of 3\n"
        "    of these, 1 -- hidden-by-environment: libevent avoids epoll because of\n",
        "    of these, 1 -- hidden-by-wrapper: epoll works at the syscall layer, but\n",
        "    ok on 1 of 3: clean -- no finding names this cell\n",
        "  epoll@api          ok on 2 of 3\n    hidden on 1 of 3: wrapped -- hidden-by-wrapper",
        "epoll     ok        ok*       ok*       ok*       hidden*",
        "default mechanism epoll on 2 of 3, poll on",
        "hosts that fail (2 of 3)\n  noepoll: hidden-by-environment (epoll@libevent)\n"
        "  wrapped: hidden-by-wrapper (epoll@api and 3 more)\n",
        "verdict: problems (exit 1): 2 of 3 hosts have error findings")
    p = run(["merge", "--format", "json", r["clean"], newer, r["wrapped"]], expect=1)
    f = validate(json.loads(p.stdout), "loopprobe-fleet-1.schema.json")
    if [h["name"] for h in f["hosts"]] != ["clean", "wrapped"] or f["duplicates"] != [
            {"host": "clean", "used": newer, "left_out": r["clean"],
             "left_out_generated_at": json.load(open(r["clean"]))["generated_at"]}]:
        fail("the newer report of 'clean' was not the one used: %r" % f["duplicates"], p)
    if f["hosts"][0]["why"] != "hidden-by-environment (epoll@libevent)":
        fail("clean's newer report (EVENT_NOEPOLL=1) was not merged: %r" % f["hosts"][0], p)
    # Names relative to the work directory: a deep build directory's path
    # would stand on a line of its own.
    os.chdir(A.work)
    rel = os.path.relpath(newer)
    p = run(["merge", os.path.relpath(r["clean"]), rel], expect=1)
    has(p, "the same host twice: the newer report is used\n  clean: used %s" % rel)
    p = run(["merge", "--format", "summary", r["clean"], r["noepoll"], r["wrapped"]], expect=1)
    if p.stdout != "verdict: problems (exit 1): 2 of 3 hosts have error findings\n":
        fail("merge --format summary", p)
    p = run(["merge", "--require", "poll@api,select", r["clean"], r["noepoll"], r["wrapped"]],
            expect=0)
    has(p, "ok (exit 0): 3 hosts, every one meets the requirement poll@api,select")
    p = run(["merge", "-r", "epoll@libevent", r["clean"], r["noepoll"], r["wrapped"]], expect=1)
    has(p, "noepoll: requirement not met: epoll@libevent is hidden",
        "2 of 3 hosts fail the requirement epoll@libevent")
    p = run(["merge", "--format", "markdown", r["clean"], r["noepoll"], r["wrapped"]], expect=1)
    has(p, "### loopprobe fleet: 3 hosts", "| epoll@libevent | hidden on 2 of 3 | | | |\n",
        "| | of these, 1 | | | hidden-by-environment: libevent avoids",
        "| | | **ok** on 1 | clean | no finding names this cell |")
    # A directory of them: the newer "clean" (EVENT_NOEPOLL=1) is used.
    p = run(["merge", A.work, "--format", "markdown"], expect=1)
    has(p, "| epoll@api | ok on 2 of 3 | | | |\n| | | **hidden** on 1 | wrapped | hidden-by-wrapper: ",
        "| libevent | 2.1.12-stable on 3 of 3 | poll on 2 of 3, epoll on 1: wrapped |",
        "same host twice: clean")


BAD = {
    "empty.json": (b"", "empty file"),
    "blank.json": (b"  \n", "empty"),
    "not-json.json": (b"PK\x03\x04 a zip file", "not JSON: "),
    "other-schema.json": (b'{"schema": "loopprobe-fleet/1"}',
                          "schema 'loopprobe-fleet/1' is not a loopprobe report (loopprobe/1)"),
    "newer.json": (b'{"schema": "loopprobe/2", "cells": []}',
                   "schema 'loopprobe/2' is newer than this loopprobe reads (loopprobe/1)"),
    "escape.json": (b'{"schema": "\\u001b]0;owned\\u0007"}',
                    "schema '\\x1b]0;owned\\x07' is not a loopprobe report"),
}


def bad_inputs():
    d = os.path.join(A.work, "bad")
    os.makedirs(d)
    for name, (data, _) in BAD.items():
        open(os.path.join(d, name), "wb").write(data)
    good = open(report("good")).read()
    open(os.path.join(d, "good.json"), "w").write(good)
    open(os.path.join(d, "truncated.json"), "w").write(good[:len(good) // 2])
    os.makedirs(os.path.join(d, "directory.json"))
    os.symlink("/proc/self/mem", os.path.join(d, "unreadable.json"))  # read() fails: EIO
    reasons = {n: r for n, (_, r) in BAD.items()}
    reasons.update({"truncated.json": "truncated: the JSON ends at line ",
                    "directory.json": "is a directory, not a report",
                    "unreadable.json": "cannot read: Input/output error"})
    return d, reasons


def scenario_bad_input():
    d, reasons = bad_inputs()
    p = run(["merge", d], expect=3)
    for name, why in sorted(reasons.items()):
        has(p, "loopprobe: merge: %s: %s" % (os.path.join(d, name), why), where="stderr")
    lacks(p, "good.json", where="stderr")
    lacks(p, "\x1b", where="stderr")
    has(p, "loopprobe merge: 1 host from 1 report", "unusable input (%d)" % len(reasons),
        "verdict: unusable input (exit 3): %d of %d inputs could not be read;"
        % (len(reasons), len(reasons) + 1))
    print(p.stderr)
    p = run(["merge", "--format", "json", d], expect=3)
    f = validate(json.loads(p.stdout), "loopprobe-fleet-1.schema.json")
    if len(f["unusable"]) != len(reasons) or f["exit_code"] != 3 or len(f["hosts"]) != 1:
        fail("merge --format json: %r" % f["unusable"], p)
    good = os.path.join(d, "good.json")
    for name, why in sorted(reasons.items()):
        p = run(["diff", good, os.path.join(d, name)], expect=3)
        has(p, "loopprobe: diff: %s: %s" % (os.path.join(d, name), why), where="stderr")
        if p.stdout:
            fail("diff with an unusable report wrote a document", p)
    p = run(["merge", os.path.join(d, "none.json"), good], expect=3)
    has(p, "none.json: cannot read: No such file or directory", where="stderr")
    empty = os.path.join(A.work, "empty-dir")
    os.makedirs(empty)
    p = run(["merge", empty], expect=3)
    has(p, "%s: no *.json report in this directory" % empty, where="stderr")
    # A file nobody may read, read by somebody: root reads anything.
    locked = os.path.join(A.work, "locked.json")
    shutil.copy(good, locked)
    os.chmod(locked, 0)
    os.chmod(A.work, 0o755)
    p = run(["merge", locked, good], expect=3,
            wrap=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
    has(p, "loopprobe: merge: %s: cannot read: Permission denied" % locked, where="stderr")


def scenario_usage():
    for args, msg in [
            (["diff"], "diff compares two reports: loopprobe diff OLD.json NEW.json (0 given)"),
            (["diff", "a.json"], "diff compares two reports: loopprobe diff OLD.json NEW.json (1 given)"),
            (["diff", "a", "b", "c"], "diff compares two reports: loopprobe diff OLD.json NEW.json (3 given)"),
            (["merge"], "merge needs reports or a directory of them"),
            (["merge", "--format", "yaml", "x"], "unknown format 'yaml' for --format"),
            (["merge", "--require", "epol", "x"], "--require: unknown mechanism 'epol'"),
            (["diff", "--require", "epoll", "a", "b"], "diff takes no --require (merge does)"),
            (["merge", "--bogus", "x"], "unknown option '--bogus'"),
            (["merge", "--output"], "option '--output' needs a value"),
            (["--host-name="], "--host-name needs a name")]:
        p = run(args, expect=2)
        has(p, "loopprobe: " + msg, where="stderr")
    p = run(["merge", "--help"], expect=0)
    has(p, "loopprobe merge [-f FORMAT] [-o FILE] [--width N] [-r SPEC] REPORT...")


def scenario_identity():
    path = report("named", args=["--host-name", "db-03.example"])
    if json.load(open(path))["host"]["name"] != "db-03.example":
        fail("--host-name was not the host's name")
    p = run(["--format", "json", "--only", "epoll@api"], expect=0)
    name = json.loads(p.stdout)["host"]["name"]
    if name != socket.gethostname():
        fail("host.name %r is not the hostname %r" % (name, socket.gethostname()), p)
    p = run(["--only", "epoll@api"], expect=0)
    has(p, "loopprobe 0.1.0 on %s: " % socket.gethostname())
    # In a UTS namespace of its own, with a hostname set there.
    probe = subprocess.run(["unshare", "--uts", "true"], capture_output=True)
    if probe.returncode != 0:
        print("SKIP: unshare --uts is refused here: %s" % probe.stderr.decode().strip())
        sys.exit(77)
    p = run(["--format", "json", "--only", "epoll@api"], expect=0,
            wrap=["unshare", "--uts", "sh", "-c", 'hostname web-uts-07 && exec "$@"', "sh"])
    if json.loads(p.stdout)["host"]["name"] != "web-uts-07":
        fail("host.name under a hostname of web-uts-07: %r" % json.loads(p.stdout)["host"], p)


def anon_name(salt, name):
    mac = hmac.new(salt, b"loopprobe host name\0" + name.encode(), hashlib.sha256)
    return "host-" + mac.hexdigest()[:12]


def scenario_anonymize():
    home = os.path.join(A.work, "home", "alice")
    os.makedirs(home)
    wrapper = os.path.join(home, "libwrap_passthrough.so")
    shutil.copy(A.wrap_pass, wrapper)
    env = {"HOME": home, "LD_PRELOAD": wrapper, "LOOPPROBE_SALT": "s3cret-fleet-salt"}
    name = "web-secret-07"
    args = ["--anonymize", "--host-name", name, "--only", "epoll", "--timeout", "10000"]
    docs = {}
    for fmt in ("json", "text", "markdown"):
        p = run(args + ["--format", fmt], env, expect=0)
        lacks(p, home, "alice", name, "s3cret")
        docs[fmt] = p
    r = validate(json.loads(docs["json"].stdout), "loopprobe-1.schema.json")
    # The command line names the host and a file under the home directory.
    out = os.path.join(home, "report.json")
    run(args + ["--format", "json", "--output", out], env, expect=0)
    text = open(out).read()
    for secret in (home, "alice", name, "s3cret"):
        if secret in text:
            fail("the report written to %s holds %r" % (out, secret))
    line = json.loads(text)["tool"]["command_line"]
    if "--output '<home path>'" not in line and "--output <home path>" not in line:
        fail("tool.command_line: %r" % line)
    want = anon_name(b"s3cret-fleet-salt", name)
    if r["host"]["name"] != want or not r["host"]["anonymized"]:
        fail("anonymous name %r, expected %r" % (r["host"]["name"], want), docs["json"])
    if r["host"]["preload"] != ["<home path>"]:
        fail("preload %r" % r["host"]["preload"], docs["json"])
    has(docs["json"], '"provider": "<home path>"', "epoll_wait() is served by <home path>")
    has(docs["text"], "loopprobe 0.1.0 on %s: " % want)
    # Stable: the same salt gives the same name; another gives another.
    again = json.loads(run(args + ["--format", "json"], env, expect=0).stdout)
    other = json.loads(run(args + ["--format", "json"], dict(env, LOOPPROBE_SALT="x"),
                           expect=0).stdout)
    if again["host"]["name"] != want or other["host"]["name"] == want:
        fail("names: %r then %r, with another salt %r" % (want, again["host"]["name"],
                                                          other["host"]["name"]))
    # Without LOOPPROBE_SALT, the machine's id is the salt: stable.  A
    # machine without one (a minimal root has no /etc/machine-id) gets a
    # random name, this run's only, and the report says so.
    ids = [open(f).read().strip() for f in ("/etc/machine-id", "/var/lib/dbus/machine-id")
           if os.path.isfile(f)]
    ids = [i for i in ids if i]
    p = run(args + ["--format", "json"], {"HOME": home}, expect=0)
    doc = json.loads(p.stdout)
    if ids and doc["host"]["name"] != anon_name(ids[0].encode(), name):
        fail("without LOOPPROBE_SALT the name is not keyed by the machine id", p)
    if not ids:
        again = json.loads(run(args + ["--format", "json"], {"HOME": home}, expect=0).stdout)
        if again["host"]["name"] == doc["host"]["name"] or not any(
                "the anonymous host name is random" in n for n in doc["host"]["notes"]):
            fail("without a salt or a machine id, the name is not random and said so", p)
    # An anonymized fleet merges like any other, under the anonymous names.
    a = os.path.join(A.work, "a.json")
    run(args + ["--format", "json", "--output", a], env, expect=0)
    p = run(["merge", a], expect=0)
    has(p, "1 host, none with an error finding")


def widest(p):
    """The longest line a width governs: the verdict stays on one line, as
    the report's does, and a word longer than the width (a wrapper's path
    under a deep build directory) stands alone on its line, never cut."""
    return max(len(line) for line in p.stdout.splitlines()
               if not line.startswith("verdict: ") and " " in line.strip())


def scenario_width():
    r = {k: os.path.basename(v) for k, v in reports().items()}
    os.chdir(A.work)  # short file names for the reports themselves
    for cols in ("60", "100"):
        for args in (["merge", r["clean"], r["noepoll"], r["wrapped"]],
                     ["diff", r["clean"], r["wrapped"]]):
            p = run(args, {"COLUMNS": cols})
            longest = widest(p)
            if longest > int(cols):
                fail("COLUMNS=%s: a line of %d columns" % (cols, longest), p)
            if cols == "100" and longest <= 80:
                fail("COLUMNS=100: nothing used the width (longest line %d)" % longest, p)
    p = run(["merge", "--width", "100", r["wrapped"], r["clean"]])
    if not 80 < widest(p) <= 100:
        fail("merge --width 100 did not use the width", p)
    p = run(["merge", r["wrapped"], r["clean"]], {"COLUMNS": "nonsense"})
    if widest(p) > 80:
        fail("an unusable COLUMNS must mean 80", p)


def scenario_many():
    """70 hosts, read by several threads: 34 with EVENT_NOEPOLL=1.  Text
    names 30 hosts of a group and counts the rest; JSON names them all."""
    r = reports()
    many = os.path.join(A.work, "many")
    os.makedirs(many)
    for i in range(70):
        doc = json.load(open(r["noepoll"] if i % 2 and i < 69 else r["clean"]))
        doc["host"]["name"] = "h%02d" % i
        json.dump(doc, open(os.path.join(many, "h%02d.json" % i), "w"))
    p = run(["merge", many, "--require", "epoll@libevent"], {"COLUMNS": "1000"}, expect=1)
    odd = ["h%02d" % i for i in range(1, 69, 2)]
    has(p, "  epoll@libevent     ok on 36 of 70\n    hidden on 34 of 70: %s and 4 more -- "
        "hidden-by-environment:" % " ".join(odd[:30]),
        "34 of 70 hosts fail the requirement epoll@libevent")
    p = run(["merge", "--format", "json", many], expect=1)
    f = validate(json.loads(p.stdout), "loopprobe-fleet-1.schema.json")
    if f["failed_hosts"] != odd or len(f["hosts"]) != 70:
        fail("merge of 70: failed hosts %r" % f["failed_hosts"], p)


def scenario_valgrind():
    """diff, merge (threaded too), --baseline and --anonymize under valgrind:
    any invalid access or definite leak makes it exit 99."""
    vg = A.valgrind.split()
    data = os.path.join(A.data)
    run(["diff", os.path.join(data, "wrapped.json"), os.path.join(data, "noepoll.json")],
        expect=1, wrap=vg)
    run(["merge", "--format", "markdown", data], expect=3, wrap=vg)
    many = os.path.join(A.work, "many")
    os.makedirs(many)
    doc = json.load(open(os.path.join(data, "clean-1.json")))
    for i in range(70):  # enough for the reading threads
        doc["host"]["name"] = "host-%02d" % i
        json.dump(doc, open(os.path.join(many, "h%02d.json" % i), "w"))
    p = run(["merge", "--format", "json", many], expect=0, wrap=vg)
    if len(json.loads(p.stdout)["hosts"]) != 70:
        fail("merge of 70 reports", p)
    run(["--baseline", os.path.join(data, "clean-1.json"), "--only", "epoll@api", "--no-isolate",
         "--timeout", "60000"], expect=1, wrap=vg)
    run(["--anonymize", "--host-name", "web-07", "--only", "epoll@api", "--no-isolate",
         "--timeout", "60000", "--format", "json"], expect=0, wrap=vg)


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    for opt in ("--loopprobe", "--wrap-fail", "--wrap-pass", "--schemas", "--work"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--sanitized", action="store_true")
    ap.add_argument("--valgrind", help="the valgrind command (scenario valgrind)")
    ap.add_argument("--data", help="tests/fleet/data (scenario valgrind)")
    A = ap.parse_args()
    if os.path.isdir(A.work):
        shutil.rmtree(A.work)
    os.makedirs(A.work)
    globals()["scenario_" + A.scenario.replace("-", "_")]()
    print("ok: " + A.scenario)


if __name__ == "__main__":
    main()
