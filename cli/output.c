/* SPDX-License-Identifier: MIT */
/*
 * output.c - where the report goes and how it looks there, and exit status
 * 3 when it cannot get there: a missing directory, a full disk, a closed
 * pipe.  Every write is checked, and so is the final flush and close.
 *
 * The command decides what the library's writers only take as numbers:
 *  - the width: --width, else the terminal's own (TIOCGWINSZ; the console
 *    buffer's window on Windows), else COLUMNS, else the library's 80;
 *  - colour (text only), first rule that applies:
 *      --color=always / --color=never   the command line wins;
 *      FORCE_COLOR non-empty            colour (force-color.org: it is
 *                                       checked after NO_COLOR, so it wins);
 *      NO_COLOR non-empty               no colour (no-color.org; an empty
 *                                       NO_COLOR is as good as unset);
 *      CLICOLOR_FORCE non-empty, not 0  colour (bixense.com/clicolors);
 *      otherwise                        colour on a terminal, unless
 *                                       TERM=dumb.
 * Traps: SIGPIPE is ignored only once the probes are done (a probe's
 * child inherits the disposition), and a closed pipe ends loopprobe with
 * status 3 without a message: whoever closed it is not reading.
 */
#define _POSIX_C_SOURCE 200809L
#include "tool.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <sys/ioctl.h>
#include <unistd.h>
#endif

FILE *tool_open_output(const struct tool_args *a)
{
  FILE *f = NULL;

  if (!a->output)
    return stdout;
  f = fopen(a->output, "w");
  if (!f)
    tool_error("cannot write the report to '%s': %s", a->output, strerror(errno));
  return f;
}

int tool_write_report(FILE *f, const struct tool_args *a, const char *text, size_t len)
{
  const char *where = a->output ? a->output : "standard output";
  int failed = 0, err = 0;

  if (len && fwrite(text, 1, len, f) != len) {
    failed = 1;
    err = errno;
  }
  if (fflush(f) != 0 && !failed) {
    failed = 1;
    err = errno;
  }
  if (ferror(f) && !failed) {
    failed = 1;
    err = EIO;
  }
  if (f != stdout && fclose(f) != 0 && !failed) {
    failed = 1;
    err = errno;
  }
  if (failed && err != EPIPE)
    tool_error("cannot write the report to %s%s%s: %s", a->output ? "'" : "", where,
               a->output ? "'" : "", strerror(err ? err : EIO));
  return failed ? -1 : 0;
}

void tool_ignore_sigpipe(void)
{
#ifdef SIGPIPE
  signal(SIGPIPE, SIG_IGN);
#endif
}

static int set(const char *name)
{
  const char *v = getenv(name);

  return v && *v;
}

static int is_terminal(FILE *f)
{
#ifdef _WIN32
  return _isatty(_fileno(f));
#else
  return isatty(fileno(f));
#endif
}

int tool_use_color(const struct tool_args *a, FILE *f)
{
  const char *term = getenv("TERM"), *force = getenv("CLICOLOR_FORCE");

  if (a->format != LP_FORMAT_TEXT || a->color == TOOL_COLOR_NEVER)
    return 0;
  if (a->color == TOOL_COLOR_ALWAYS || set("FORCE_COLOR"))
    return 1;
  if (set("NO_COLOR"))
    return 0;
  if (force && *force && strcmp(force, "0") != 0)
    return 1;
  if (term && strcmp(term, "dumb") == 0)
    return 0;
  return is_terminal(f);
}

/* The terminal's width, or 0 when f is not a terminal. */
static unsigned terminal_width(FILE *f)
{
#ifdef _WIN32
  CONSOLE_SCREEN_BUFFER_INFO info;
  HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));

  if (h == INVALID_HANDLE_VALUE || !GetConsoleScreenBufferInfo(h, &info))
    return 0;
  return (unsigned)(info.srWindow.Right - info.srWindow.Left + 1);
#else
  struct winsize ws;

  if (ioctl(fileno(f), TIOCGWINSZ, &ws) < 0)
    return 0;
  return ws.ws_col;
#endif
}

unsigned tool_text_width(const struct tool_args *a, FILE *f)
{
  const char *columns = getenv("COLUMNS");
  unsigned w = a->width;
  char *end = NULL;
  unsigned long v;

  if (!w && f)
    w = terminal_width(f);
  if (!w && columns && *columns >= '1' && *columns <= '9') {
    errno = 0;
    v = strtoul(columns, &end, 10);
    if (*end == '\0' && errno == 0 && v <= 10000)
      w = (unsigned)v;
  }
  return w;
}
