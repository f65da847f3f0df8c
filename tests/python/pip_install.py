# SPDX-License-Identifier: MIT
"""pip install bindings/python works offline, into a virtual environment.

    pip_install.py SOURCE_DIR WORK_DIR LIBRARY

Creates WORK_DIR/venv (with the system's site packages, as the binding's
README suggests for Debian), installs SOURCE_DIR with pip and no package
index at all, and uses the installed package from another directory, with
LOOPPROBE_LIBRARY naming the library: check(), report() and the command.
"""

import json
import os
import shutil
import subprocess
import sys

TIMEOUT = 300


def sh(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kw)
    if p.returncode != 0:
        sys.stderr.write("FAIL: %s exited with %d\n%s\n%s\n" % (cmd, p.returncode, p.stdout,
                                                               p.stderr))
        sys.exit(1)
    return p.stdout


def main():
    source, work, library = sys.argv[1:4]
    venv = os.path.join(work, "venv")
    shutil.rmtree(venv, ignore_errors=True)
    sh([sys.executable, "-m", "venv", "--system-site-packages", venv])
    python = os.path.join(venv, "bin", "python")
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    sh([python, "-m", "pip", "install", source], env=env)
    env["LOOPPROBE_LIBRARY"] = library
    code = ("import json, loopprobe; print(json.dumps([loopprobe.__file__, "
            "loopprobe.check('epoll@python'), loopprobe.library_path()]))")
    where, check, lib = json.loads(sh([python, "-c", code], env=env, cwd=work))
    if not where.startswith(venv) or check != [True, ""] or lib != library:
        sys.stderr.write("FAIL: got %r %r %r\n" % (where, check, lib))
        sys.exit(1)
    doc = json.loads(sh([python, "-m", "loopprobe", "--format", "json", "--only", "epoll@python"],
                        env=env, cwd=work))
    if doc["python"]["executable"] != python and not doc["python"]["executable"].startswith(venv):
        sys.stderr.write("FAIL: the report names %s\n" % doc["python"]["executable"])
        sys.exit(1)
    shutil.rmtree(venv)
    print("ok: installed, imported from %s, checked" % where)


if __name__ == "__main__":
    main()
