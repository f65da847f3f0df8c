#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shell completions, in real interactive shells.

bash: an interactive bash in a pseudo-terminal types command lines with TAB
the way a person does; readline and bash split the words (--color=al at
the '='), the completion function runs, and Enter then runs a shell
function named loopprobe that prints the arguments it got - what the
completion wrote into the line.  Listing (show-all-if-ambiguous) checks
that every candidate is offered.  The words come from the binary first in
PATH (the build's), so they are the tables' own.

zsh: the same lines through zsh's completion system (compinit, with the
completion file's directory in fpath).

usage: test_completion.py bash|zsh LOOPPROBE_DIR (COMPLETION_FILE | --loader DATA_DIR)
  --loader: load the completion the way bash-completion does for an
  installed package (XDG_DATA_DIRS=DATA_DIR), or for zsh the fpath entry
  DATA_DIR/zsh/vendor-completions.
"""

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r|\x07")


def fail(msg, screen=""):
    print("FAIL: " + msg)
    print("--- the terminal showed ---")
    print(screen[-3000:])
    sys.exit(1)


class Shell:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        self.seen = ""

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def poll(self, seconds):
        """Adds what the terminal shows within seconds; the screen so far."""
        r, _, _ = select.select([self.fd], [], [], seconds)
        if r:
            try:
                self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
            except OSError:
                pass
        return ANSI.sub("", self.seen)

    def read_until(self, pattern, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            m = re.search(pattern, self.poll(0.5))
            if m:
                return m
        fail("waited for %r" % pattern, ANSI.sub("", self.seen))

    def mark(self):
        self.seen = ""

    def close(self):
        os.write(self.fd, b"\x04exit\n")
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def start(shell, lpdir, source, loader):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASH_COMPLETION")}
    env.update(PATH=lpdir + ":" + env.get("PATH", "/usr/bin:/bin"), TERM="xterm", HOME=os.getcwd(),
               INPUTRC="/dev/null", PS1="$ ", COLUMNS="200", LINES="50")
    if shell == "bash":
        sh = Shell(["bash", "--norc", "--noprofile", "-i"], env)
        setup = ["bind 'set show-all-if-ambiguous on'", "bind 'set bell-style none'",
                 "bind 'set completion-query-items 1000'", "bind 'set page-completions off'"]
        if loader:
            env_line = "export XDG_DATA_DIRS=%s" % loader
            setup += [env_line, ". /usr/share/bash-completion/bash_completion"]
        else:
            setup += [". %s" % source]
    else:
        sh = Shell(["zsh", "-f", "-i"], env)
        fdir = os.path.join(loader, "zsh", "vendor-completions") if loader else \
            os.path.dirname(os.path.abspath(source))
        if not loader:  # zsh finds completions by file name (_loopprobe) in fpath
            tmp = os.path.join(os.getcwd(), "zsh-fpath")
            os.makedirs(tmp, exist_ok=True)
            shutil.copy(source, os.path.join(tmp, "_loopprobe"))
            fdir = tmp
        setup = ["PS1='$ '", "fpath=(%s $fpath)" % fdir, "autoload -Uz compinit",
                 "compinit -u -d %s/zcompdump" % os.getcwd(), "setopt nobeep",
                 "zstyle ':completion:*' list-prompt ''", "unsetopt list_ambiguous",
                 "setopt auto_list"]
    setup.append("loopprobe() { printf 'ARGS:'; printf '<%s>' \"$@\"; printf ':END\\n'; }")
    for line in setup:
        sh.send(line + "\n")
    sh.send("echo READY\n")
    sh.read_until(r"\nREADY\n")
    return sh


def completes_to(sh, keys, want):
    """Types keys (with TABs), presses Enter; the arguments must be want."""
    sh.mark()
    for chunk in keys.split("\t")[:-1]:  # zsh drops what is typed ahead of a completion
        sh.send(chunk + "\t")
        time.sleep(0.7)
    sh.send(keys.split("\t")[-1] + "\n")
    m = sh.read_until(r"ARGS:(.*):END")
    got = re.findall(r"<([^>]*)>", m.group(1))
    if got != want:
        fail("%r completed to %r, expected %r" % (keys, got, want), ANSI.sub("", sh.seen))
    print("ok: %-40r -> %s" % (keys, " ".join(got)))


def lists(sh, keys, words, patterns=None):
    """Types keys ending in TAB; every word (or regular expression of
    patterns) must be listed."""
    patterns = patterns or [re.escape(w) for w in words]

    def missing(screen):
        return [p for p in patterns if not re.search(r"(^|\s)%s(\s|$)" % p, screen)]

    sh.mark()
    sh.send(keys)
    time.sleep(0.7)
    deadline = time.monotonic() + 30
    while missing(sh.poll(0.5)) and time.monotonic() < deadline:
        pass
    if missing(sh.poll(0)):
        fail("%r does not list %r" % (keys, missing(sh.poll(0))), sh.poll(0))
    sh.send("\x03")  # abandon the line
    sh.read_until(r"\$ $")
    print("ok: %-40r lists %d words" % (keys, len(words)))


def main():
    shell, lpdir = sys.argv[1], sys.argv[2]
    source = loader = None
    if sys.argv[3] == "--loader":
        loader = sys.argv[4]
    else:
        source = sys.argv[3]
    words = {}
    for what in ("options", "mechanisms", "layers", "kinds", "formats", "colors"):
        out = subprocess.run([os.path.join(lpdir, "loopprobe"), "--complete-words", what],
                             stdout=subprocess.PIPE, check=True).stdout.decode()
        words[what] = out.split()
    if len(words["options"]) < 15 or "--explain" not in words["options"]:
        fail("--complete-words options: %r" % words["options"])
    sh = start(shell, lpdir, source, loader)
    # an option that takes a value: bash ends it with a space, zsh with '='
    if shell == "bash":
        completes_to(sh, "loopprobe --expl\tblocked-by-sec\t", ["--explain", "blocked-by-seccomp"])
    else:
        completes_to(sh, "loopprobe --expl\tblocked-by-sec\t", ["--explain=blocked-by-seccomp"])
    completes_to(sh, "loopprobe --explain hidden-by-w\t", ["--explain", "hidden-by-wrapper"])
    completes_to(sh, "loopprobe --format mark\t", ["--format", "markdown"])
    completes_to(sh, "loopprobe --color=al\t", ["--color=always"])
    completes_to(sh, "loopprobe --summ\t", ["--summary"])
    completes_to(sh, "loopprobe --only epoll,io_\t", ["--only", "epoll,io_uring"])
    completes_to(sh, "loopprobe --require io_uring@a\t", ["--require", "io_uring@api"])
    completes_to(sh, "loopprobe -O linuxaio@sys\t", ["-O", "linuxaio@syscall"])
    # each lists what it replaces: zsh after the '@', bash from the '@' on,
    # or the whole word where '@' breaks no word (bash-completion takes it
    # out of COMP_WORDBREAKS)
    at = "(?:epoll)?@" if shell == "bash" else ""
    lists(sh, "loopprobe --only epoll@\t", words["layers"],
          [at + re.escape(l) for l in words["layers"]])
    lists(sh, "loopprobe --only \t", words["mechanisms"])
    lists(sh, "loopprobe --explain \t", words["kinds"])
    lists(sh, "loopprobe --color \t", words["colors"])
    lists(sh, "loopprobe --format \t", words["formats"])
    lists(sh, "loopprobe --\t", words["options"])
    sh.close()


if __name__ == "__main__":
    main()
