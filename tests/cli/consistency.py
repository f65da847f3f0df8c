# SPDX-License-Identifier: MIT
"""consistency - a finding's evidence never asserts a cause its kind denies.

Every "decided by:" line of a finding is the reason its kind was chosen; a
cause it asserts (the kernel, a seccomp filter, a tracer, a sysctl, an
emulator, a preloaded object, a wrapper, a descriptor limit) must be one
the kind stands for.  lpcheck.py applies this to every JSON report the
command's tests produce, and the Python tests' valid() to the binding's.
"""

# (what a "decided by:" line says when it asserts a cause, kinds that may)
CAUSES = (
    ("ENOSYS comes from the kernel", {"missing-in-kernel"}),
    ("a seccomp filter is installed", {"blocked-by-seccomp"}),
    ("but a tracer is attached", {"injected-by-tracer"}),
    ("kernel.io_uring_disabled is", {"blocked-by-sysctl"}),
    ("answers the system calls", {"missing-in-emulator"}),
    ("no seccomp filter, no tracer, no sysctl", {"blocked-by-policy"}),
    ("is preloaded into every probe", {"probe-timeout", "probe-crashed"}),
    ("works at the syscall layer, and", {"hidden-by-wrapper"}),
    ("the descriptor limit (ulimit -n) is", {"resource-limit"}),
    ("fs.epoll.max_user_watches is", {"resource-limit"}),
    ("a user-space shim, not by the platform", {"emulated"}),
)


def contradictions(report):
    """One message per "decided by:" line that asserts a cause its
    finding's kind does not stand for."""
    found = []
    for f in report.get("findings", []):
        for line in f.get("evidence", []):
            if not line.startswith("decided by: "):
                continue
            for phrase, kinds in CAUSES:
                if phrase in line and f["kind"] not in kinds:
                    found.append("a %s finding about %s says %r: %r" % (
                        f["kind"], ", ".join(f.get("cells", [])) or "the host", phrase, line))
    return found
