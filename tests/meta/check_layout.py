#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_layout - includes run one way between the library's folders.

The README's "Layout" table lists the folders from the bottom up; a file
may include a header of its own folder or of a folder listed before its
own, never one listed after it.  Every quoted #include of every C file and
header under those folders is resolved relative to the including file and
checked.

    check_layout.py SOURCE_DIR
"""

import os
import re
import sys


def layers(readme):
    """The folders of the Layout table, in order, up to cli/."""
    text = open(readme, encoding="utf-8").read()
    section = text[text.index("## Layout"):]
    order = []
    for m in re.finditer(r"^\| `([a-z]+)/` \|", section, re.M):
        order.append(m.group(1))
        if m.group(1) == "cli":
            break
    return order


def main():
    src = sys.argv[1]
    order = layers(os.path.join(src, "README.md"))
    if len(order) < 5 or order[0] != "include":
        sys.exit("FAIL: README.md's Layout table lists no folders from include/ up: %r" % order)
    rank = {name: i for i, name in enumerate(order)}
    bad, seen = 0, 0
    for top in order:
        for root, _, files in os.walk(os.path.join(src, top)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, f)
                for n, line in enumerate(open(path, encoding="utf-8"), 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    seen += 1
                    target = os.path.relpath(os.path.normpath(os.path.join(root, m.group(1))), src)
                    tfolder = target.split(os.sep)[0]
                    if tfolder not in rank:
                        if not os.path.exists(os.path.join(src, "include", m.group(1))):
                            print("FAIL: %s:%d includes %s, outside the layout" % (
                                os.path.relpath(path, src), n, m.group(1)))
                            bad += 1
                        continue
                    if rank[tfolder] > rank[top]:
                        print("FAIL: %s:%d (%s/) includes %s (%s/), which comes after it" % (
                            os.path.relpath(path, src), n, top, target, tfolder))
                        bad += 1
    if bad:
        sys.exit(1)
    print("ok: %d includes in %s run one way" % (seen, " <- ".join(order)))


if __name__ == "__main__":
    main()
