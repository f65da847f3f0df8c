#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_index - tests/README.md's index of test groups against CTest.

Reads the index table (group, what it proves, where it lives, runs in),
asks CTest for the tests this build registered (ctest --show-only=json-v1
in the build directory), and fails when a registered group is not in the
index, or a group the index says this kind of build has is missing.

    check_index.py INDEX BUILD_DIR KIND...

KIND: the kinds of build this one is (linux, linux-nosan, linux-libs,
windows, aarch64, musl), as the index's "runs in" column names them.
"""

import json
import re
import subprocess
import sys


def index_groups(path):
    """{group: set of build kinds} from the table's rows."""
    groups = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\| `([a-z0-9-]+)` \|.*\| ([^|]+) \|\s*$", line)
        if m:
            groups[m.group(1)] = set(re.findall(r"`([a-z0-9-]+)`", m.group(2)))
    return groups


def ctest_groups(build_dir):
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build_dir, check=True,
                         capture_output=True, text=True).stdout
    return {t["name"].split(".", 1)[0] for t in json.loads(out)["tests"]}, json.loads(out)


def main():
    index, build_dir, kinds = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    listed = index_groups(index)
    if not listed:
        sys.exit("FAIL: no group rows found in %s" % index)
    registered, doc = ctest_groups(build_dir)
    bad = False
    for name in sorted(t["name"] for t in doc["tests"] if "." not in t["name"]):
        print("FAIL: test %r has no GROUP. prefix" % name)
        bad = True
    for g in sorted(registered - set(listed)):
        print("FAIL: CTest registers group %r, which %s does not list" % (g, index))
        bad = True
    for g, where in sorted(listed.items()):
        if where & kinds and g not in registered:
            print("FAIL: %s says group %r runs in %s builds, but this one (%s) registers none"
                  % (index, g, "/".join(sorted(where)), " ".join(sorted(kinds))))
            bad = True
    if bad:
        sys.exit(1)
    print("ok: %d groups registered, all in the index: %s" % (len(registered),
                                                               " ".join(sorted(registered))))


if __name__ == "__main__":
    main()
