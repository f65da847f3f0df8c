# SPDX-License-Identifier: MIT
"""python3 -m loopprobe: the loopprobe command with the python layer.

The options and exit statuses are the command's: 0 nothing wrong (or every
--require satisfied), 1 an error finding (or a --require not satisfied), 2
a usage error, 3 loopprobe itself failed (the library cannot be loaded, the
report cannot be written, the probes cannot be started).  There is no
--no-isolate: the C layers always run in child processes under their
watchdogs, so that this command never hangs.
"""

import argparse
import os
import sys

import loopprobe

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _error(fmt, *args):
    sys.stderr.write("loopprobe: " + (fmt % args if args else fmt) + "\n")


def _timeout(text):
    try:
        value = int(text, 10)
    except ValueError:
        value = 0
    if not text.isdigit() or not 1 <= value <= loopprobe.MAX_TIMEOUT_MS:
        raise argparse.ArgumentTypeError(
            "--timeout takes milliseconds from 1 to %d, not '%s'"
            % (loopprobe.MAX_TIMEOUT_MS, text))
    return value


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m loopprobe",
        description="Which event-notification mechanisms really work here, at every layer "
                    "including this Python's select and selectors, and what hid the others.")
    p.add_argument("--format", choices=sorted(loopprobe.FORMATS), default="text",
                   help="report format (default: text)")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE")
    p.add_argument("--only", metavar="SPEC", help="probe only these cells, e.g. epoll,poll@python")
    p.add_argument("--require", metavar="SPEC",
                   help="exit 0 only when these cells are ok, e.g. epoll@python")
    p.add_argument("--timeout", metavar="MS", type=_timeout, default=loopprobe.DEFAULT_TIMEOUT_MS,
                   help="watchdog of each cell in ms (default: %d)" % loopprobe.DEFAULT_TIMEOUT_MS)
    p.add_argument("--quiet", action="store_true", help="no report on standard output")
    p.add_argument("--version", action="store_true", help="print the versions and exit")
    return p


def _check_specs(args):
    for opt, value in (("--only", args.only), ("--require", args.require)):
        if value is None:
            continue
        try:
            loopprobe._validate(value)
        except ValueError as e:
            _error("%s: %s", opt, e)
            return False
    if args.output == "":
        _error("--output needs a file name")
        return False
    return True


def _use_color(args):
    term = os.environ.get("TERM", "")
    if args.output or args.format != "text" or "NO_COLOR" in os.environ or term == "dumb":
        return False
    return sys.stdout.isatty()


def _write(args, text):
    where = "'%s'" % args.output if args.output else "standard output"
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as e:
        _error("cannot write the report to %s: %s", where, e.strerror or e)
        return False
    return True


def main(argv=None):
    try:
        parser = _parser()  # its defaults and choices are the library's
    except loopprobe.LibraryNotFound as e:
        _error("%s", e)
        return EXIT_INTERNAL
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: 0 for --help, 2 for a usage error
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    try:
        if args.version:
            print("loopprobe %s (python binding %s, library %s)" % (
                loopprobe._lib.lib().lp_version().decode(), loopprobe.__version__,
                loopprobe.library_path()))
            return EXIT_OK
        if not _check_specs(args):
            return EXIT_USAGE
        with loopprobe.run(args.only, args.require, args.timeout) as report:
            status = report.exit_code
            if args.quiet and not args.output:
                return status
            text = report.format(args.format, color=_use_color(args))
    except loopprobe.LibraryNotFound as e:
        _error("%s", e)
        return EXIT_INTERNAL
    except (RuntimeError, MemoryError, OSError) as e:
        _error("%s", e)
        return EXIT_INTERNAL
    return status if _write(args, text) else EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
