/* SPDX-License-Identifier: MIT */
/*
 * backend.h - the interface every backend implements, and what a probe
 * records.
 *
 * A backend is one .c file exporting one const struct lp_backend.  It
 * speaks for the cells (mechanism x layer) its two masks name; the runner
 * calls probe() once per cell, in a child process or in-process, and the
 * probe fills a struct lp_obs with what happened - never with a verdict.
 * Verdicts are the classifier's job (classify/classify.c), because they need
 * the other layers and the host facts to be right.
 *
 * Every descriptor is declared in registry.h, which the defining file also
 * includes, so the compiler checks the type and the const.
 */
#ifndef LP_BACKEND_H
#define LP_BACKEND_H

#include "loopprobe.h"

#include "../loader/dynlib.h"
#include "../loader/provenance.h"

#include <stdint.h>

#define LP_BIT(x) (1u << (x))

/* What a probe saw, before any classification. */
enum lp_obs_status {
  LP_OBS_OK,         /* the whole round trip behaved as it must */
  LP_OBS_FAILED,     /* a call failed: obs.call and obs.err say which and how */
  LP_OBS_MISBEHAVED, /* every call succeeded but the behaviour was wrong: obs.misbehaviour */
  LP_OBS_NA,         /* not part of this platform, or not implemented by the library */
  LP_OBS_MISSING,    /* implemented by the library in general, but this build lacks it */
  LP_OBS_SKIPPED,    /* not built into loopprobe */
};

/* Misbehaviour bits, for LP_OBS_MISBEHAVED. */
#define LP_MIS_EARLY_EVENT 0x01u   /* an event before any data was written */
#define LP_MIS_LOST_EVENT 0x02u    /* no event after the data was written */
#define LP_MIS_WRONG_DATA 0x04u    /* the event carried the wrong user data or descriptor */
#define LP_MIS_REPEATED 0x08u      /* an edge-triggered or one-shot event came twice */
#define LP_MIS_WRONG_BACKEND 0x10u /* a library used another mechanism than requested */

/* A second opinion a probe asks for when a call is refused. */
struct lp_check {
  char call[48]; /* what was tried, e.g. "epoll_create1(flags=-1)"; empty: not tried */
  int err;       /* its errno; 0 when it succeeded */
  char err_name[24];
};

/* What a library backend's describe() records about its library (its
   versions and file come from the loader, loader/dynlib.h). */
struct lp_libinfo {
  char default_mech[24]; /* the mechanism of a loop created the ordinary way, with the
                            environment honoured; empty when no loop could be created (a
                            shim's probe: the mechanism it runs over) */
  char clean_mech[24];   /* the same with the environment ignored; empty when the library
                            cannot ignore it */
  char env[200];         /* the override variables set, "NAME=value NAME=value" */
  char version[48];      /* the version the library gave inside a probe, for one that says it
                            only through an object of its own (libkqueue answers a query on a
                            kqueue, which loopprobe's own process must not create) */
};
#define LP_MAX_PROVIDERS 8
#define LP_FD_ROOM_WANT 16

struct lp_obs {
  enum lp_obs_status status;
  unsigned misbehaviour;
  char call[48];     /* the failing call, e.g. "epoll_create1" */
  int err;           /* its errno */
  char err_name[24]; /* "EPERM"; empty when err has no name here */
  char detail[320];  /* one line for a person */
  /* Timed empty waits: the requested length and the real durations,
     measured with a clock no libc wrapper can bend. */
  int64_t wait_requested_us;
  int64_t wait_min_us;
  int64_t wait_max_us;
  unsigned wait_samples;
  unsigned nproviders;
  struct lp_provider providers[LP_MAX_PROVIDERS];
  char used[32];               /* library layers: the mechanism the library reported using */
  int64_t wait_granularity_us; /* how early a timer may fire by design (libuv: 1 ms) */
  /* When a call is refused: the same call with malformed arguments (a real
     implementation answers EFAULT or EINVAL, a filter the same errno as
     before) and a sibling call of the mechanism (epoll_create for
     epoll_create1).  Filled by the syscall layer. */
  struct lp_check malformed;
  struct lp_check sibling;
  /* After EMFILE or ENFILE: how many descriptors could be opened right
     after, up to LP_FD_ROOM_WANT (enough for any probe's call); -1 when not
     measured.  A full table has no room; an injected error leaves plenty. */
  int fd_room;
  struct lp_libinfo lib; /* describe(), and a shim's probe (version, default_mech) */
  char step[48];         /* the call in progress, for a probe that hangs or crashes */
  /* Set by the runner: called on every step and checkpoint so that the
     parent knows where a child stopped.  NULL in-process. */
  void (*report)(const struct lp_obs *o, int full, void *arg);
  void *report_arg;
  unsigned char err_win;   /* err is a Windows error code (GetLastError, WSAGetLastError) and
                              err_name its name ("WSAECONNRESET"), not an errno */
  char emulated_by[64];    /* the mechanism works but a user-space shim provides it: the
                              shim and what it runs over ("libkqueue 2.7.0 over epoll"); empty
                              when the mechanism is the platform's own */
  char beneath[400];       /* with emulated_by: the facts that show what the shim runs over
                              (its descriptors, the kernel objects behind them), one a line */
  unsigned char slow_exit; /* the probe left a kernel object to its process's exit whose
                              teardown is slow (a Linux AIO context): the runner takes that
                              exit off its wait (lp_sys_hand_off_exit()) */
};

struct lp_probe_ctx {
  /* Length of each timed empty wait, in ms; 0 = quick mode (lp_check):
     the empty waits use a zero timeout and nothing is timed. */
  unsigned wait_ms;
  /* Upper bound of a wait that must return an event at once. */
  unsigned event_wait_ms;
  /* The libraries this run takes from files a person named (--library);
     any other library is the system's copy (lp_dynlib_system()). */
  const struct lp_dynlib *const *libs;
  size_t nlibs;
  /* The probe runs in a process of its own that exits right after it: a
     kernel object whose teardown is slow may be left to that exit (with
     obs->slow_exit set) instead of destroyed.  0 in-process. */
  int exits_after;
};

struct lp_backend {
  const char *name;    /* "epoll", "libuv" */
  unsigned mechanisms; /* LP_BIT(LP_MECH_...) of each mechanism it speaks for */
  unsigned layers;     /* LP_BIT(LP_LAYER_...) of each layer it speaks for */
  void (*probe)(enum lp_mechanism mech, enum lp_layer layer, const struct lp_probe_ctx *ctx,
                struct lp_obs *obs);
  /* Library backends: creates a loop the way an ordinary program does and
     fills obs->lib (and obs->call/err when no loop can be created), plus
     the provenance of the library's API.  NULL for other backends. */
  void (*describe)(const struct lp_probe_ctx *ctx, struct lp_obs *obs);
  /* The library loaded at run time that the cells of library_layers reach
     the mechanism through (loader/dynlib.h); NULL for none.  A cell whose
     library is not loaded is not probed: it is "missing". */
  const struct lp_libdesc *library;
  unsigned library_layers; /* LP_BIT(LP_LAYER_...) */
};

/* --- helpers for probes (backends/support/obs.c) --- */

void lp_obs_init(struct lp_obs *o);
/* Records that call failed with err; returns -1 so a probe can
   "return lp_obs_fail(...)" or "goto out" after it. */
int lp_obs_fail(struct lp_obs *o, const char *call, int err);
/* Records a misbehaviour bit and a line of detail; returns -1. */
int lp_obs_misbehave(struct lp_obs *o, unsigned bit, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void lp_obs_status(struct lp_obs *o, enum lp_obs_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Records one timed empty wait. */
void lp_obs_sample(struct lp_obs *o, int64_t requested_us, int64_t measured_us);
/* Records which object serves function; family names the library it
   belongs to ("c" for the C library, "uring", "uv", "ev", "event"). */
void lp_obs_provider(struct lp_obs *o, const char *function, const char *family);
/* Names the call about to be made (it may hang or crash). */
void lp_obs_enter(struct lp_obs *o, const char *call);
/* Sends everything observed so far to the runner (after provenance). */
void lp_obs_checkpoint(struct lp_obs *o);
/* Records a second opinion: what was tried and its raw result (>= 0, or
   -errno). */
void lp_obs_check(struct lp_check *c, const char *call, long rc);
/* Marks a successful round trip, with a line of detail. */
void lp_obs_ok(struct lp_obs *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Adds one fact about what a shim runs over to o->beneath (a line of the
   finding's evidence). */
void lp_obs_beneath(struct lp_obs *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The timeout of an empty wait in ms, per ctx (0 in quick mode). */
int lp_ctx_wait_ms(const struct lp_probe_ctx *ctx);

/* --- helpers for the backends of libraries loaded at run time
   (backends/support/libs.c) --- */

/* The copy of library d this run uses: the file named for it, or the
   system's. */
const struct lp_dynlib *lp_ctx_library(const struct lp_probe_ctx *ctx, const struct lp_libdesc *d);
/* Why library lib is not loaded, for a cell that reaches its mechanism
   through it.  Returns 1 when that cell is na (lib is a shim of a mechanism
   foreign to the platform: without it the platform simply lacks the
   mechanism), 0 when it is missing. */
int lp_library_unavailable(const struct lp_dynlib *lib, char *why, size_t size);
/* The table of library d's functions for a probe, and the library in
   *lib.  When the library is not loaded, records the cell missing (or na,
   for a shim) and returns NULL (lp_run() never gets there: it does not
   probe such cells; lp_check() does). */
const void *lp_library_table(const struct lp_probe_ctx *ctx, const struct lp_libdesc *d,
                             struct lp_obs *o, const struct lp_dynlib **lib);
/* Records which object serves function, which the loaded library lib
   defines. */
void lp_obs_lib_provider(struct lp_obs *o, const struct lp_dynlib *lib, const char *function);

#endif
