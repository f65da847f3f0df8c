/* SPDX-License-Identifier: MIT */
/*
 * loopprobe.h - the one public header of libloopprobe.
 *
 * loopprobe tells which event-notification mechanisms really work on this
 * machine, at every layer a program reaches them through, and explains any
 * that are missing.  The vocabulary (mechanism, layer, verdict, finding) is
 * defined once, in the X-macro tables below; the enums, the strings the
 * reports print and the documentation in docs/ are all generated from them.
 *
 * Two ways in:
 *  - lp_check(): a cheap in-process check of a SPEC, for worker start-up.
 *  - lp_run() + lp_report_*(): the full matrix, optionally with every probe
 *    isolated in a child process, and the three report writers.
 *
 * Thread safety: every function may be called from several threads at once;
 * the library installs no signal handler, and its only global state is the
 * event libraries it loads at run time, each loaded once, under a lock, and
 * kept for the life of the process.
 */
#ifndef LOOPPROBE_H
#define LOOPPROBE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(LP_SHARED_BUILD)
#define LP_API __declspec(dllexport)
#elif defined(__GNUC__)
#define LP_API __attribute__((visibility("default")))
#else
#define LP_API
#endif

#define LP_VERSION_MAJOR 0
#define LP_VERSION_MINOR 1
#define LP_VERSION_PATCH 0
#define LP_VERSION_STRING "0.1.0"

/* The JSON report schema this library writes. */
#define LP_SCHEMA "loopprobe/1"

/*
 * Mechanisms, in the order the matrix lists them.
 * XX(ID, name, description)
 */
#define LP_MECHANISM_MAP(XX)                                                                       \
  XX(EPOLL, "epoll", "Linux epoll(7): readiness for many descriptors")                             \
  XX(POLL, "poll", "POSIX poll(2)")                                                                \
  XX(SELECT, "select", "select(2) with fd_set bitmaps")                                            \
  XX(IO_URING, "io_uring", "Linux io_uring: a completion ring; probed with poll requests")         \
  XX(LINUXAIO, "linuxaio", "Linux native AIO with IOCB_CMD_POLL (4.18+)")                          \
  XX(KQUEUE, "kqueue", "BSD and macOS kqueue(2)/kevent(2)")                                        \
  XX(IOCP, "iocp", "Windows I/O completion ports")                                                 \
  XX(WSAPOLL, "wsapoll", "Windows WSAPoll()")                                                      \
  XX(EVPORT, "evport", "Solaris and illumos event ports")                                          \
  XX(DEVPOLL, "devpoll", "Solaris /dev/poll")

/*
 * Layers, from the bottom up: the path a program takes to a mechanism.
 * XX(ID, name, description)
 */
#define LP_LAYER_MAP(XX)                                                                           \
  XX(SYSCALL, "syscall",                                                                           \
     "the kernel interface reached directly, bypassing every user-space wrapper")                  \
  XX(API, "api", "the platform's documented C API as an ordinary program links it")                \
  XX(LIBUV, "libuv", "the mechanism reached through libuv")                                        \
  XX(LIBEV, "libev", "the mechanism reached through libev, forced to that backend")                \
  XX(LIBEVENT, "libevent", "the mechanism reached through libevent, forced to that method")        \
  XX(PYTHON, "python",                                                                             \
     "the running Python interpreter's select and selectors modules (binding only)")

/*
 * Verdicts: exactly one per cell.
 * XX(ID, name, meaning)
 */
#define LP_VERDICT_MAP(XX)                                                                         \
  XX(OK, "ok",                                                                                     \
     "a full round trip worked: registration, no event before data, the event after data, the "    \
     "timeout honoured")                                                                           \
  XX(DEGRADED, "degraded",                                                                         \
     "it works but misbehaves: a timeout far off, an edge-triggered event repeated, a lost event") \
  XX(HIDDEN, "hidden",                                                                             \
     "a lower layer works but this layer does not offer or use it (interposition, environment "    \
     "override, monkey-patching, a compatibility layer)")                                          \
  XX(BLOCKED, "blocked",                                                                           \
     "refused by policy: a seccomp filter (errno or SIGSYS), a sysctl, a sandbox")                 \
  XX(EMULATED, "emulated", "provided by a user-space shim over another mechanism")                 \
  XX(MISSING, "missing", "expected here but absent: an old kernel, a library built without it")    \
  XX(NA, "na", "not part of this platform or library")                                             \
  XX(FAILED, "failed", "any other error; the failing call and errno are in the detail")            \
  XX(TIMEOUT, "timeout", "the probe did not finish within its watchdog")                           \
  XX(CRASHED, "crashed", "the probe process died; the signal is named")                            \
  XX(SKIPPED, "skipped", "not built in, or not requested")

/* XX(ID, name) */
#define LP_SEVERITY_MAP(XX)                                                                        \
  XX(ERROR, "error")                                                                               \
  XX(WARNING, "warning")                                                                           \
  XX(INFO, "info")

/*
 * Finding kinds: stable identifiers a tool may match on.
 * XX(ID, name, meaning, what decides it, what to do)
 * The last two columns are the "decided by" and "hint" of every finding of
 * the kind; docs/vocabulary.md, the man page and --explain print them.
 */
#define LP_FINDING_MAP(XX)                                                                         \
  XX(INTERPOSED, "interposed",                                                                     \
     "an API function is served by a shared object other than the library it belongs to, and the " \
     "cell still works",                                                                           \
     "the shared object the dynamic loader resolves the function to, compared with the library's " \
     "own definition of it",                                                                       \
     "Nothing is broken. If the wrapper is not meant to be there, remove it from LD_PRELOAD or "   \
     "/etc/ld.so.preload.")                                                                        \
  XX(HIDDEN_BY_WRAPPER, "hidden-by-wrapper",                                                       \
     "the kernel mechanism works but the API layer fails, and a wrapper library serves the API",   \
     "the syscall layer works, the api layer does not, and a function of the api round trip "      \
     "resolves to a shared object other than the C library",                                       \
     "Remove the wrapper from LD_PRELOAD or /etc/ld.so.preload, or fix it so that it forwards "    \
     "the call; the kernel mechanism itself works.")                                               \
  XX(BLOCKED_BY_SECCOMP, "blocked-by-seccomp", "a seccomp filter refused a call with an errno",    \
     "Seccomp: 2 in /proc/self/status, and the same call with malformed arguments gets the same "  \
     "errno where a kernel would answer EFAULT or EINVAL",                                         \
     "Allow the system call in the seccomp profile (Docker: --security-opt seccomp=PROFILE; "      \
     "Kubernetes: securityContext.seccompProfile), or use a mechanism that is allowed.")           \
  XX(KILLED_BY_SECCOMP, "killed-by-seccomp",                                                       \
     "the probe was killed by SIGSYS, the signal seccomp kills with",                              \
     "the probe process ended with SIGSYS, and the call it was in",                                \
     "Make the seccomp profile answer this call with an errno (SCMP_ACT_ERRNO) instead of "        \
     "killing, so that libraries can fall back, or allow the call.")                               \
  XX(BLOCKED_BY_SYSCTL, "blocked-by-sysctl",                                                       \
     "a sysctl refuses the mechanism (kernel.io_uring_disabled)",                                  \
     "EPERM from io_uring_setup while kernel.io_uring_disabled is 1 or 2",                         \
     "Set the sysctl back (sysctl -w kernel.io_uring_disabled=0, or 1 with "                       \
     "kernel.io_uring_group for the group that needs it), or rely on epoll.")                      \
  XX(BLOCKED_BY_POLICY, "blocked-by-policy",                                                       \
     "refused before the kernel looked at the arguments, with no seccomp filter: a security "      \
     "module or a sandbox",                                                                        \
     "no seccomp filter, tracer or sysctl, and the same call with malformed arguments fails with " \
     "the same errno",                                                                             \
     "Look at the security modules and sandbox this runs in (SELinux and AppArmor logs, the "      \
     "container runtime's profile) for a rule on this call.")                                      \
  XX(INJECTED_BY_TRACER, "injected-by-tracer",                                                     \
     "a tracer is attached and the failure did not come from the kernel's implementation",         \
     "TracerPid in /proc/self/status, with a malformed call failing the same way, a sibling call " \
     "that works, or an EMFILE that leaves descriptors to open",                                   \
     "Run again without the tracer (strace, rr, a debugger); if the failure goes away, the "       \
     "tracer made it.")                                                                            \
  XX(RESOURCE_LIMIT, "resource-limit",                                                             \
     "a limit ran out: descriptors, epoll watches, AIO contexts, locked memory",                   \
     "the call's errno (EMFILE, ENOSPC, EAGAIN, ENOMEM) with the value of its limit: ulimit -n, "  \
     "fs.epoll.max_user_watches, fs.aio-max-nr, RLIMIT_MEMLOCK; after EMFILE, that no "            \
     "descriptor could be opened",                                                                 \
     "Raise the limit named in the evidence (ulimit -n for descriptors; sysctl for "               \
     "fs.epoll.max_user_watches or fs.aio-max-nr), then rerun.")                                   \
  XX(CLOCK_DISTORTED, "clock-distorted",                                                           \
     "the C library's clock runs at another rate than the kernel's: a wrapper rescales time",      \
     "the C library's monotonic clock against the system call's over the whole run: a rate "       \
     "outside 0.8 to 1.25",                                                                        \
     "Remove the time wrapper (libfaketime: unset LD_PRELOAD and FAKETIME) from programs whose "   \
     "timeouts matter.")                                                                           \
  XX(MISSING_IN_KERNEL, "missing-in-kernel",                                                       \
     "the kernel answers ENOSYS or EINVAL and no filter is installed",                             \
     "ENOSYS (EINVAL for an AIO poll request) with no seccomp filter and no tracer attached",      \
     "Use a kernel that provides the mechanism, or rely on one the matrix shows as ok.")           \
  XX(MISSING_IN_LIBRARY, "missing-in-library",                                                     \
     "a library implements the mechanism on this platform but was built without it",               \
     "the library's own list of the backends it was built with (ev_supported_backends(), "         \
     "event_get_supported_methods())",                                                             \
     "Nothing is broken: programs on this build of the library use another mechanism. Rebuild "    \
     "the library with the mechanism if you need it.")                                             \
  XX(PROBE_FAILED, "probe-failed",                                                                 \
     "a call in the round trip failed for a reason loopprobe cannot attribute",                    \
     "a call failed with an errno that no other rule explains",                                    \
     "Look at the failing call and errno in the evidence; rerun the cell with --no-isolate to "    \
     "debug it.")                                                                                  \
  XX(PROBE_TIMEOUT, "probe-timeout",                                                               \
     "the probe did not finish before its watchdog and was killed",                                \
     "the watchdog fired; the last call the probe reported, and the object that serves it",        \
     "Something made the call block: check the object named in the evidence; rerun with a "        \
     "larger --timeout if the machine is only very slow.")                                         \
  XX(PROBE_CRASHED, "probe-crashed", "the probe process died from a signal",                       \
     "the signal the probe process died from (not SIGSYS), and the call it was in",                \
     "Run the cell with --no-isolate under a debugger (loopprobe --only CELL --no-isolate) to "    \
     "see the crash; check the object named in the evidence.")                                     \
  XX(TIMEOUT_DISTORTED, "timeout-distorted",                                                       \
     "a wait lasted far less or far longer than requested",                                        \
     "the timed empty waits, measured with the kernel's clock: the shortest under 80% of the "     \
     "request, or longer than 4 times it plus 0.5 s",                                              \
     "A wrapper rescales time (libfaketime with a speed factor does), or the machine is "          \
     "overloaded; remove the wrapper or rerun on an idle machine.")                                \
  XX(EVENT_MISBEHAVED, "event-misbehaved",                                                         \
     "an event came early, late, twice, with the wrong data, or not at all",                       \
     "what the round trip saw: an event before any data, none after a write, one twice, or the "   \
     "wrong user data",                                                                            \
     "Do not rely on this mechanism here: event loops on it may spin or stall. Check the "         \
     "emulation layer or kernel named in the evidence.")                                           \
  XX(NOT_BUILT, "not-built", "a layer of a native mechanism was not built into this loopprobe",    \
     "no backend for the cell was compiled into this loopprobe",                                   \
     "Install the library's development package and rebuild loopprobe (on Debian, make run does "  \
     "both).")                                                                                     \
  XX(HIDDEN_BY_ENVIRONMENT, "hidden-by-environment",                                               \
     "an environment variable moves a library off a mechanism that works beneath it",              \
     "the library's choice of mechanism with its environment variables honoured and ignored, "     \
     "while the forced cell works",                                                                \
     "Unset the variable named in the summary (check environment files, systemd units and the "    \
     "programs that start this one: tmux once leaked EVENT_NOEPOLL).")                             \
  XX(HIDDEN_BY_COMPAT_LAYER, "hidden-by-compat-layer",                                             \
     "a library's API is served by another library that exports the same names",                   \
     "the library's functions resolve to another library's shared object, one not in "             \
     "LD_PRELOAD",                                                                                 \
     "Link the library itself before the one that imitates it (e.g. -levent before -lev), or "     \
     "stop linking the imitation; only one of them can answer a name.")                            \
  XX(HIDDEN_BY_PATCHING, "hidden-by-patching",                                                     \
     "a monkey-patcher (eventlet, gevent) removed or replaced the mechanism in Python",            \
     "the select and selectors entries against a fresh, unpatched copy of the interpreter's "      \
     "select module, and the module that defines each replacement",                                \
     "Import what needs the mechanism before the patcher runs, or configure the patcher to leave " \
     "the module alone, or use a worker class without monkey-patching.")                           \
  XX(BACKEND_MISMATCH, "backend-mismatch",                                                         \
     "a library names one mechanism but the kernel objects it holds show another",                 \
     "the kernel objects behind the loop (/proc/self/fd links and the epoll instance's fdinfo) "   \
     "against the mechanism the library names",                                                    \
     "The library does not use what it names: check how it was built and whether another "         \
     "library answers its calls.")                                                                 \
  XX(LIBRARY_NO_LOOP, "library-no-loop", "a library cannot create an event loop at all here",      \
     "the library's loop constructor, called as an ordinary program calls it, fails or dies",      \
     "Every program using this library fails to start here: fix the cause named in the evidence "  \
     "(usually a refused mechanism, or an override variable).")                                    \
  XX(EMULATED, "emulated", "a user-space shim provides the mechanism over another one",            \
     "the shared object serving the mechanism, the kind of descriptor it hands out, or a kernel "  \
     "known to emulate (gVisor, WSL1)",                                                            \
     "It works, with the shim's semantics: check its documentation for what differs "              \
     "(edge-triggering, fork, device files).")                                                     \
  XX(VERSION_MISMATCH, "version-mismatch",                                                         \
     "a library loaded at run time is not the version loopprobe was compiled against",             \
     "the version in the headers at build time against the library's own version function at "     \
     "run time",                                                                                   \
     "Rebuild loopprobe against the installed library, or install the one it was built against; "  \
     "behaviour differs between releases.")                                                        \
  XX(HOST_FACTS_DEGRADED, "host-facts-degraded",                                                   \
     "some host facts could not be read, so verdicts rest on less evidence",                       \
     "a source of host facts (/proc/self/status, /proc/sys) could not be read",                    \
     "Mount /proc (or run outside the sandbox) for complete evidence.")                            \
  XX(RUNNER_FAILED, "runner-failed",                                                               \
     "loopprobe could not start or collect a probe (fork, pipe, file descriptors)",                \
     "fork(), pipe() or the file for the probe's output failed in loopprobe itself",               \
     "Raise the limits (ulimit -n, ulimit -u) or free resources, then rerun.")                     \
  XX(MISSING_IN_EMULATOR, "missing-in-emulator",                                                   \
     "an emulator that answers the system calls (qemu-user, gVisor, WSL1) lacks the call; the "    \
     "kernel beneath it may have it",                                                              \
     "ENOSYS with no seccomp filter and no tracer, while host.emulator names the layer that "      \
     "answers the system calls (for qemu-user: /proc/thread-self/exe is the emulator)",            \
     "Nothing is wrong with the kernel as far as loopprobe can tell: run loopprobe natively (on "  \
     "a "                                                                                          \
     "machine of this architecture, outside the emulator) to see the kernel's answer, or use an "  \
     "emulator that implements the call.")                                                         \
  XX(LIBRARY_NOT_INSTALLED, "library-not-installed",                                               \
     "a library loopprobe loads at run time is not installed or cannot be loaded, so the cells "   \
     "that reach a mechanism through it are missing",                                              \
     "the dynamic loader finds no file of the library's soname (libuv.so.1, liburing.so.2) where " \
     "it looks, or cannot load the one it finds (one built for another C library is not loaded)",  \
     "Nothing is broken for programs that do not use the library. To probe it, install a build "   \
     "of it for this C library (on glibc the evidence names the Debian package), or point "        \
     "loopprobe at the copy an application ships with --library NAME=PATH.")

#define LP_MECH_XX(id, name, doc) LP_MECH_##id,
#define LP_LAYER_XX(id, name, doc) LP_LAYER_##id,
#define LP_VERDICT_XX(id, name, doc) LP_VERDICT_##id,
#define LP_SEVERITY_XX(id, name) LP_SEVERITY_##id,
#define LP_FINDING_XX(id, name, doc, decides, hint) LP_FINDING_##id,

enum lp_mechanism { LP_MECHANISM_MAP(LP_MECH_XX) LP_MECH_COUNT };
enum lp_layer { LP_LAYER_MAP(LP_LAYER_XX) LP_LAYER_COUNT };
enum lp_verdict { LP_VERDICT_MAP(LP_VERDICT_XX) LP_VERDICT_COUNT };
enum lp_severity { LP_SEVERITY_MAP(LP_SEVERITY_XX) LP_SEVERITY_COUNT };
enum lp_finding_kind { LP_FINDING_MAP(LP_FINDING_XX) LP_FINDING_COUNT };

#undef LP_MECH_XX
#undef LP_LAYER_XX
#undef LP_VERDICT_XX
#undef LP_SEVERITY_XX
#undef LP_FINDING_XX

/* Names and documentation of the table entries; NULL for an out-of-range id. */
LP_API const char *lp_mechanism_name(enum lp_mechanism m);
LP_API const char *lp_mechanism_doc(enum lp_mechanism m);
LP_API const char *lp_layer_name(enum lp_layer l);
LP_API const char *lp_layer_doc(enum lp_layer l);
LP_API const char *lp_verdict_name(enum lp_verdict v);
LP_API const char *lp_verdict_doc(enum lp_verdict v);
LP_API const char *lp_severity_name(enum lp_severity s);
LP_API const char *lp_finding_kind_name(enum lp_finding_kind k);
LP_API const char *lp_finding_kind_doc(enum lp_finding_kind k);
/* What decides a finding of kind k, and what a person can do about it. */
LP_API const char *lp_finding_kind_decides(enum lp_finding_kind k);
LP_API const char *lp_finding_kind_hint(enum lp_finding_kind k);

/* 1 when m is native to the platform this library was built for. */
LP_API int lp_mechanism_native(enum lp_mechanism m);
/* 1 when this library has a probe for cell (m, l); 0 when the cell is "na"
   or not built in. */
LP_API int lp_cell_built(enum lp_mechanism m, enum lp_layer l);

/* The library's own version, "MAJOR.MINOR.PATCH". */
LP_API const char *lp_version(void);

/* ------------------------------------------------------------------------ */
/* SPEC: a comma-separated list of MECHANISM[@LAYER]; no layer = all layers. */

/*
 * Checks a SPEC.  Returns 0 when it is well formed, -1 otherwise with a
 * one-line message naming the problem in err (when err_len > 0).
 */
LP_API int lp_spec_validate(const char *spec, char *err, size_t err_len);

/* ------------------------------------------------------------------------ */
/* The cheap check for worker start-up. */

/*
 * Probes every cell SPEC names that is built into this library, in-process
 * (no fork, no output, no timed waits), and returns:
 *    0  every named cell gave a full round trip ("ok");
 *    1  one did not: why holds a one-line reason naming the cell, its
 *       verdict and the failing call;
 *   -1  SPEC is malformed: why says what is wrong.
 * A cell that is not built in or not part of this platform counts as not ok.
 * why may be NULL when why_len is 0.  What it leaves to lp_run(): timeout
 * fidelity, isolation from probes that hang or crash, the classifier's
 * cross-layer explanations, and for libev and libevent the kernel's
 * evidence of the mechanism they use (their own answer is trusted).  libuv
 * keeps a signal pipe open for the process from its first loop on.
 */
LP_API int lp_check(const char *spec, char *why, size_t why_len);

/* ------------------------------------------------------------------------ */
/* The full run. */

#define LP_DEFAULT_TIMEOUT_MS 2000u
#define LP_MAX_TIMEOUT_MS 600000u
/* Each timed empty wait of a full run, and the longest wait for an event
   that must come at once (a quarter of the watchdog, at most this). */
#define LP_WAIT_MS 3u
#define LP_EVENT_WAIT_MAX_MS 1000u

struct lp_options {
  /* Watchdog for each cell, in milliseconds (1 .. LP_MAX_TIMEOUT_MS). */
  unsigned timeout_ms;
  /* 1: every cell runs in its own child process (the default).
     0: cells run in the calling process, one after the other. */
  int isolate;
  /* Cells to probe (SPEC); NULL probes every cell built in. */
  const char *only;
  /* Cells the exit code is computed from (SPEC); NULL uses the findings.
     Required cells are always probed, whatever "only" says. */
  const char *require;
  /* Only with isolate == 0: when a cell does not return in time, write a
     message to standard error and _exit(3).  Meant for a command-line tool;
     a server embedding the library leaves it 0. */
  int exit_on_inprocess_timeout;
};

/* Fills defaults: timeout LP_DEFAULT_TIMEOUT_MS, isolate 1, no SPECs. */
LP_API void lp_options_init(struct lp_options *opts);

struct lp_report;

/* ------------------------------------------------------------------------ */
/* Libraries loaded at run time.
 *
 * loopprobe reaches libuv, libev, libevent and liburing through dlopen():
 * by soname (the major of the headers it was built with, e.g. libuv.so.1),
 * loaded once per process and kept.  A library that is not installed makes
 * the cells of its layer "missing" with a library-not-installed finding; it
 * never stops loopprobe from running.  Instead of the system's copy, a run
 * may probe the copy an application ships: "NAME=PATH", NAME one of
 * liburing, libuv, libev, libevent.
 */

/*
 * Checks "NAME=PATH": NAME is a library this loopprobe loads, and PATH an
 * ELF shared library of this architecture whose SONAME is that library's,
 * with the soname major this build expects, which loads and defines every
 * function loopprobe calls.  Returns 0, or -1 with a one-line message in
 * err naming the file and what is wrong with it.  The file stays loaded.
 */
LP_API int lp_library_validate(const char *name_path, char *err, size_t err_len);

/*
 * lp_run() with the libraries named in libraries (a NULL-terminated array
 * of "NAME=PATH", or NULL) taken from those files instead of the system's
 * search; the report's libraries[] names the file each was probed from.
 * Returns what lp_run() returns, and -1 with lp_library_validate()'s
 * message when an entry is invalid or a NAME is given twice.  (A separate
 * function, so that struct lp_options keeps its size for programs built
 * against an older header.)
 */
LP_API int lp_run_libraries(const struct lp_options *opts, const char *const *libraries,
                            struct lp_report **out, char *err, size_t err_len);

/*
 * Runs the probes opts selects and builds a report.  Returns 0 and sets
 * *out (free it with lp_report_free), or -1 with a message in err when the
 * options are invalid (a malformed SPEC, a timeout out of range) or memory
 * runs out.  Probe failures are not errors here: they are in the report,
 * and lp_report_exit_code() says what they add up to.
 */
LP_API int lp_run(const struct lp_options *opts, struct lp_report **out, char *err, size_t err_len);

/* 0 nothing wrong (or every required cell ok), 1 a finding of severity
   error (or a required cell not ok), 3 a probe could not be started. */
LP_API int lp_report_exit_code(const struct lp_report *r);

/* Number of cells, and the parts of cell i (any out pointer may be NULL).
   Returns 0, or -1 when i is out of range. */
LP_API size_t lp_report_cell_count(const struct lp_report *r);
LP_API int lp_report_cell(const struct lp_report *r, size_t i, enum lp_mechanism *mech,
                          enum lp_layer *layer, enum lp_verdict *verdict, const char **detail);

/* The verdict of one cell; LP_VERDICT_SKIPPED when it is not in the report. */
LP_API enum lp_verdict lp_report_verdict(const struct lp_report *r, enum lp_mechanism m,
                                         enum lp_layer l);

/* Number of findings, and the parts of finding i.  Returns 0 or -1. */
LP_API size_t lp_report_finding_count(const struct lp_report *r);
LP_API int lp_report_finding(const struct lp_report *r, size_t i, enum lp_severity *sev,
                             enum lp_finding_kind *kind, const char **summary, const char **hint);

/* Report formats.  XX(ID, name)
   SUMMARY is the text report's last line alone: "verdict: ok (exit 0):
   ...", or "verdict: problems (exit N): ...", never wrapped. */
#define LP_FORMAT_MAP(XX)                                                                          \
  XX(TEXT, "text")                                                                                 \
  XX(JSON, "json")                                                                                 \
  XX(MARKDOWN, "markdown")                                                                         \
  XX(SUMMARY, "summary")

#define LP_FORMAT_XX(id, name) LP_FORMAT_##id,
enum lp_format { LP_FORMAT_MAP(LP_FORMAT_XX) LP_FORMAT_COUNT };
#undef LP_FORMAT_XX

/* "json" for LP_FORMAT_JSON; NULL for an out-of-range id. */
LP_API const char *lp_format_name(enum lp_format f);

/* Writer flags. */
#define LP_WRITE_COLOR 0x1u /* text only: ANSI colours; the caller decides */
#define LP_WRITE_ALL 0x2u   /* text and Markdown: also the rows where every cell is na */

/* The width of a text report when the caller names none (an unknown terminal). */
#define LP_TEXT_WIDTH 80u
/* The size cap the command gives a Markdown report by default, in characters:
   below the 65,536 a GitHub issue body holds. */
#define LP_MARKDOWN_MAX_SIZE 60000u

/*
 * Formats the report: lp_report_format_sized() with width 0 and no size
 * cap.  Returns a NUL-terminated string to release with lp_free(), and its
 * length in *len (when len is not NULL); NULL when memory runs out or fmt
 * is out of range.
 */
LP_API char *lp_report_format(const struct lp_report *r, enum lp_format fmt, unsigned flags,
                              size_t *len);

/*
 * Formats the report for where it will be read.
 *  - width: the text report is wrapped at this many columns, between words
 *    (a single word wider than that keeps its own line), and never
 *    narrower than the matrix; 0 means LP_TEXT_WIDTH.  The last line, the
 *    verdict, is never wrapped.  The other formats ignore it.
 *  - max_size: a Markdown report longer than this many characters (code
 *    points) has its evidence lists and host facts shortened, step by
 *    step, until it fits, and says what was cut; the verdict, the matrix
 *    and the findings' summaries are never cut, so a report may stay
 *    larger when they alone are.  0 means no cap; the other formats
 *    ignore it (JSON always has everything).
 * Returns what lp_report_format() returns.
 */
LP_API char *lp_report_format_sized(const struct lp_report *r, enum lp_format fmt, unsigned flags,
                                    unsigned width, size_t max_size, size_t *len);

/*
 * Records the command line that made the report (tool.command_line in
 * JSON, "command line" in Markdown): argc arguments of argv, each quoted
 * for a POSIX shell when it needs it.  The value of an option or of a
 * NAME=VALUE argument whose name looks secret (TOKEN, KEY, PASSWORD, ...,
 * the rule of the environment allow-list) is written <redacted>; so is the
 * argument after such an option when it does not start with '-'.  argc 0
 * or argv NULL removes it (JSON null), which is also what a report has
 * until this is called.  Returns 0, or -1 when memory runs out (r is then
 * unchanged).
 */
LP_API int lp_report_set_command_line(struct lp_report *r, int argc, const char *const *argv);
/* The recorded command line, or NULL. */
LP_API const char *lp_report_command_line(const struct lp_report *r);

/* Releases a report from lp_run(); NULL is allowed. */
LP_API void lp_report_free(struct lp_report *r);
/* Releases a string from lp_report_format(); NULL is allowed. */
LP_API void lp_free(void *p);

/* ------------------------------------------------------------------------ */
/* Embedding: foreign-function interfaces and bindings (docs/embedding.md).
 *
 * A server calls lp_check() when a worker starts.  When it says no, the
 * server can log the whole matrix: lp_run() with opts.require set to the
 * same SPEC (every cell is probed, so the layers beneath explain the one
 * that failed, and the verdict line names it), then lp_report_format().
 * With isolate 1 (the default) lp_run() forks one short-lived child per
 * cell and reaps every one before it returns; with isolate 0 nothing is
 * forked, but a probe that hangs then hangs the caller.  Neither installs
 * a signal handler or leaves a thread, descriptor or allocation behind.
 * On Linux the child of the Linux AIO cell hands the kernel's slow
 * teardown of its memory (RCU grace periods, tens of ms) to a helper
 * process that is not the caller's child: init, or the nearest subreaper
 * above the caller, reaps it when the teardown is done.  A caller that is
 * itself the init of its PID namespace or a subreaper gets no such helper;
 * its call lasts until the teardown is over instead.
 *
 * The functions below serve callers that cannot lay out struct lp_options
 * (Python's ctypes and other foreign-function interfaces), and bindings
 * that probe a layer themselves: the Python binding probes the python
 * layer inside the interpreter and adds those cells and their findings to
 * the library's report, so that the writers and the exit code cover every
 * layer.
 */

/*
 * lp_run() with the options of lp_options_init() except these: only and
 * require are SPECs or NULL, timeout_ms the watchdog of each cell, isolate
 * 1 or 0.  Returns what lp_run() returns.
 */
LP_API int lp_run_spec(const char *only, const char *require, unsigned timeout_ms, int isolate,
                       struct lp_report **out, char *err, size_t err_len);

/*
 * Monotonic time in nanoseconds, read the way loopprobe's own runner reads
 * it (on Linux the raw system call, which no wrapper of libc or of the
 * vDSO can bend).  For a binding that times the waits of its own probes.
 */
LP_API long long lp_monotonic_ns(void);

/*
 * The numbers a binding needs to follow the library's own rules, by name,
 * so that it copies none.  XX(name, value, meaning)
 */
#define LP_CONSTANT_MAP(XX)                                                                        \
  XX("default_timeout_ms", LP_DEFAULT_TIMEOUT_MS, "each probe's watchdog unless told otherwise")   \
  XX("max_timeout_ms", LP_MAX_TIMEOUT_MS, "the longest watchdog a run accepts")                    \
  XX("wait_ms", LP_WAIT_MS, "the length of each timed empty wait of a full run")                   \
  XX("event_wait_max_ms", LP_EVENT_WAIT_MAX_MS,                                                    \
     "the longest wait for an event that must come at once")                                       \
  XX("write_color", LP_WRITE_COLOR, "the lp_report_format() flag for ANSI colours")

/* The value of a constant of LP_CONSTANT_MAP, or -1 when name is unknown. */
LP_API long long lp_constant(const char *name);

/*
 * The classifier's rule for timed empty waits of requested_us: 1 when the
 * shortest (plus the granularity a library declares for its timers) ended
 * before 80% of the request, which no kernel does, or lasted longer than
 * four times the request plus half a second; 0 when the waits kept time.
 */
LP_API int lp_waits_distorted(long long requested_us, long long shortest_us,
                              long long granularity_us);

/*
 * Sets cell (m, l) of r to verdict v: the cell is added (in matrix order)
 * when r has none, or overwritten.  The report gets a column for l, and
 * its exit code is computed again (lp_report_exit_code()).  detail is one
 * line for a person; errno_name ("EPERM") and provider (the module or
 * shared object that served the mechanism) may be NULL; elapsed_us < 0
 * means not measured.  Returns 0, or -1 when an id is out of range or
 * memory runs out (r is then unchanged).
 */
LP_API int lp_report_set_cell(struct lp_report *r, enum lp_mechanism m, enum lp_layer l,
                              enum lp_verdict v, const char *detail, const char *errno_name,
                              const char *provider, long long elapsed_us);

/*
 * Appends a finding about cell (m, l) - m and l may be -1 for the whole
 * host or every layer - with its cause in one sentence (summary) and what a
 * person can do (hint), and computes the exit code again.  Returns the
 * finding's index for the two functions below, or -1 when an id is out of
 * range, a string is NULL or memory runs out (r is then unchanged).
 */
LP_API int lp_report_add_finding_for(struct lp_report *r, enum lp_severity sev,
                                     enum lp_finding_kind kind, int m, int l, const char *summary,
                                     const char *hint);

/*
 * Sets cell (m, l) from a call the binding made that failed - call names
 * the function ("select.epoll"), errno_name its errno ("EPERM", or NULL),
 * detail one line for a person - and explains it with the library's own
 * rules, against r's host facts and the cells beneath it in r: when a
 * cause beneath explains every layer above it (a seccomp filter, a sysctl,
 * a kernel without the call, a tracer, a wrapper of the C library serving
 * the api layer) the cell takes that cell's verdict and joins its finding;
 * otherwise the errno is judged as the library's own probes' are (a seccomp
 * filter, a tracer, a descriptor limit) and the cell gets a finding of its
 * own.  Returns the index of the finding that explains the cell (for
 * lp_report_finding()) and sets *verdict (when not NULL); -1 when an id is
 * out of range, a string is NULL or memory runs out.
 */
LP_API int lp_report_judge_failure(struct lp_report *r, enum lp_mechanism m, enum lp_layer l,
                                   const char *call, const char *errno_name, const char *detail,
                                   const char *provider, long long elapsed_us,
                                   enum lp_verdict *verdict);

/* Adds a cell name ("epoll@python") or a line of evidence to finding i.
   Returns 0, or -1 when i is out of range, s is NULL or memory runs out. */
LP_API int lp_report_finding_add_cell(struct lp_report *r, size_t i, const char *s);
LP_API int lp_report_finding_add_evidence(struct lp_report *r, size_t i, const char *s);

/* ------------------------------------------------------------------------ */
/* Isolation where there is no fork() (Windows). */

/*
 * Call it first in main(), with main's own arguments.  On Windows lp_run()
 * isolates each probe in a child process of the running program itself,
 * started with hidden arguments; in that child this function probes the
 * one cell it was asked for, hands the observation to the parent and ends
 * the process: it does not return.  In every other case, and on every
 * other platform, it returns 0 at once.  A Windows program that does not
 * call it still gets every probe, run in its own process without the
 * protection of a child (a probe that hangs or crashes takes it along),
 * and each cell's detail says so.
 */
LP_API int lp_child_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* LOOPPROBE_H */
