#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Secrets never leave the machine, and any byte is escaped.

Runs loopprobe with a wrapper library preloaded from a file name full of
hostile bytes (a quote, a pipe, HTML, a terminal escape sequence, a
backslash, UTF-8 and an invalid byte), an allow-listed variable holding
such bytes, and secret-looking variables, then checks all three formats.

usage: test_hostile.py LOOPPROBE WRAPPER_LIB SCHEMA
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema

HOSTILE = b'we"ird|<b>*\x1b[31m\\\xc3\xa9\xff$.so'
VALUE = b"\x1b[2J|<script>x</script>`*_"
SECRETS = {
    b"EVENT_NO_API_KEY": b"hunter2",  # allow-listed prefix, secret-looking name
    b"AWS_SECRET_ACCESS_KEY": b"hunter3",  # not allow-listed at all
    b"GITHUB_TOKEN": b"hunter4",
    b"FAKETIME_PASS": b"hunter5",  # allow-listed prefix; the name's parts say secret
    b"FAKETIME_DB_PWD": b"hunter6",
}


def check(cond, what, out):
    if not cond:
        print("FAIL: " + what)
        print(out.decode("utf-8", "replace"))
        sys.exit(1)


def run(loopprobe, env, fmt):
    p = subprocess.run([loopprobe, "--only", "epoll", "--timeout", "10000", "--format", fmt], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    check(p.returncode == 0, "%s: exit status %d, expected 0 (stderr %r)" % (fmt, p.returncode, p.stderr),
          p.stdout)
    for secret in SECRETS.values():
        check(secret not in p.stdout, "%s: a secret value leaked" % fmt, p.stdout)
    for name in (b"AWS_SECRET_ACCESS_KEY", b"GITHUB_TOKEN"):
        check(name not in p.stdout, "%s: %s is not on the allow-list" % (fmt, name), p.stdout)
    return p.stdout


def unique_keys(pairs):
    """A key twice in one JSON object is an error, not "the last wins"."""
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("the same key twice in one object: %r" % keys)
    return dict(pairs)


def check_json(out, schema_path):
    try:
        report = json.loads(out.decode("utf-8"), strict=True, object_pairs_hook=unique_keys)
    except ValueError as e:
        check(False, "json: %s" % e, out)
    with open(schema_path) as f:
        jsonschema.validate(report, json.load(f), cls=jsonschema.Draft202012Validator)
    path = HOSTILE.decode("utf-8", "replace")
    evidence = [e for f in report["findings"] for e in f["evidence"]]
    check(any(path in e for e in evidence), "json: the hostile path is not in the evidence", out)
    for name in ("EVENT_NO_API_KEY", "FAKETIME_PASS", "FAKETIME_DB_PWD"):
        check(report["host"]["env"].get(name) == "<redacted>", "json: %s not redacted" % name, out)
    check(report["host"]["env"].get("FAKETIME_LOOPPROBE_TEST") == VALUE.decode(), "json: value", out)
    verdicts = {(c["mechanism"], c["layer"]): c["verdict"] for c in report["cells"]}
    check(verdicts[("epoll", "api")] == "ok", "json: epoll@api is not ok", out)


def check_text(out):
    check(b"\x1b" not in out, "text: a raw escape byte reached the terminal", out)
    check(b'we"ird|<b>*\\x1b[31m\\\\\xc3\xa9\\xff$.so' in out, "text: path not escaped as expected", out)


def check_markdown(out):
    check(b"\x1b" not in out and b"<b>" not in out and b"<script>" not in out,
          "markdown: raw markup or escape byte", out)
    want = 'we"ird\\|&lt;b&gt;\\*&#9243;\\[31m\\\\\u00e9\ufffd$.so'.encode()
    check(want in out, "markdown: path not escaped as expected", out)
    check(b"| env EVENT\\_NO\\_API\\_KEY | &lt;redacted&gt; |" in out, "markdown: redaction", out)


def main():
    loopprobe, wrapper, schema = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="lp-hostile.")
    try:
        lib = os.path.join(os.fsencode(tmp), HOSTILE)
        shutil.copyfile(wrapper, lib)
        env = {k: v for k, v in os.environb.items() if k not in SECRETS}
        env.update(SECRETS)
        env[b"LD_PRELOAD"] = lib
        env[b"FAKETIME_LOOPPROBE_TEST"] = VALUE
        # Two names of a family that differ only in invalid bytes: JSON would
        # write both as FAKETIME_\ufffd (found by fuzz_env); neither is a
        # variable libfaketime reads, and neither is reported.
        env[b"FAKETIME_\xff"] = b"a"
        env[b"FAKETIME_\xfe"] = b"b"
        check_json(run(loopprobe, env, "json"), schema)
        check_text(run(loopprobe, env, "text"))
        check_markdown(run(loopprobe, env, "markdown"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok: secrets redacted or absent, hostile bytes escaped in json, text and markdown")


if __name__ == "__main__":
    main()
