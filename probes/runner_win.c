/* SPDX-License-Identifier: MIT */
/*
 * runner_win.c - the runner for Windows.  There is no fork(): every cell
 * runs in a child process of the program itself, started with hidden
 * arguments that lp_child_main() recognises at the top of main(), with a
 * watchdog per child, several at once, and an in-process mode.
 *
 * The child speaks the framed protocol of the POSIX runner (STEP,
 * CHECKPOINT, FINAL) over an inherited anonymous pipe, plus HELLO once it
 * has reached lp_child_main(): starting a process costs far more here
 * (and under Wine) than a fork, so the watchdog counts from HELLO and a
 * separate, generous grace covers the start.  Standard error and output
 * of the child go to a second pipe and become the job's output.  Anonymous
 * pipes cannot be waited on, so the parent polls them with PeekNamedPipe()
 * between short waits for the processes themselves.  A child that dies of
 * an exception (its exit code is the exception code, as Windows and the
 * filter installed here make it) is reported with the nearest POSIX
 * signal.  The child runs the very descriptor the parent chose: its
 * offset inside the program or inside this library's module travels on
 * the command line, so test doubles work as well as the registry's
 * backends.  Everything the runner waits with, reads the clock with and
 * kills with is kernel32, which no probe exercises.
 */
#include "runner.h"

#include "runner_proto.h"

#include "../sys/sys.h"
#include "../base/util.h"
#include "../sys/win.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define SERVE_ARG "--lp-serve-cell"
#define MAX_SLOTS 8
#define PIPE_SIZE 65536
#define POLL_MS 5
#define START_GRACE_MS 15000 /* for a child to reach lp_child_main() */
#define EXIT_BAD_ARGS 125
#define CODE_ABORT                                                                                 \
  0xC0000409u /* STATUS_STACK_BUFFER_OVERRUN, what abort() ends with in the UCRT                   \
               */

#define NOTE_NO_CHILD_MAIN                                                                         \
  "run in-process: the program did not call lp_child_main(), so no child could serve the cell"
#define NOTE_FOREIGN "run in-process: the backend lives in a module a child process cannot locate"

/* Set once lp_child_main() was called: the program's children will serve
   cells.  The only mutable state of the library, written once. */
static volatile LONG child_main_seen;

static HMODULE library_module(void)
{
  return lp_win_module_of((const void *)&lp_child_main);
}

static size_t image_size(HMODULE m)
{
  const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)m;
  const IMAGE_NT_HEADERS *nt = NULL;

  if (!m || dos->e_magic != IMAGE_DOS_SIGNATURE)
    return 0;
  nt = (const IMAGE_NT_HEADERS *)((const unsigned char *)m + dos->e_lfanew);
  return nt->Signature == IMAGE_NT_SIGNATURE ? nt->OptionalHeader.SizeOfImage : 0;
}

/* Where descriptor b lives: 'E' in the program, 'L' in this library's
   module (a DLL build); *off is its offset there.  Returns 0 or -1. */
static int locate(const struct lp_backend *b, char *where, uintptr_t *off)
{
  HMODULE m = lp_win_module_of(b);

  if (!m)
    return -1;
  if (m == GetModuleHandleA(NULL))
    *where = 'E';
  else if (m == library_module())
    *where = 'L';
  else
    return -1;
  *off = (uintptr_t)b - (uintptr_t)m;
  return 0;
}

static const struct lp_backend *relocate(char where, uintptr_t off)
{
  HMODULE m = where == 'E' ? GetModuleHandleA(NULL) : where == 'L' ? library_module() : NULL;

  if (!m || off + sizeof(struct lp_backend) > image_size(m))
    return NULL;
  return (const struct lp_backend *)((uintptr_t)m + off);
}

/* --- the child --- */

static void write_handle(void *ctx, const void *p, size_t n)
{
  HANDLE h = *(HANDLE *)ctx;
  const char *c = p;

  while (n > 0) {
    DWORD w = 0;
    if (!WriteFile(h, c, (DWORD)(n > 65536 ? 65536 : n), &w, NULL) || w == 0)
      return;
    c += w;
    n -= w;
  }
}

/* A crash ends the child at once with the exception code as exit code:
   no debugger, no error box, no handler of the C runtime. */
static LONG WINAPI crash_filter(EXCEPTION_POINTERS *ep)
{
  TerminateProcess(GetCurrentProcess(), (UINT)ep->ExceptionRecord->ExceptionCode);
  return EXCEPTION_EXECUTE_HANDLER;
}

static void on_abort(int sig)
{
  (void)sig;
  TerminateProcess(GetCurrentProcess(), CODE_ABORT);
}

struct serve_args {
  HANDLE pipe;
  const struct lp_backend *backend;
  enum lp_mechanism mech;
  enum lp_layer layer;
  int describe;
  struct lp_probe_ctx ctx;
};

static int parse_serve(int argc, char **argv, struct serve_args *a)
{
  char *end = NULL;
  unsigned long long h, off;
  long m, l;

  if (argc != 9 || (argv[3][0] != 'E' && argv[3][0] != 'L'))
    return -1;
  h = strtoull(argv[2], &end, 10);
  if (*end)
    return -1;
  off = strtoull(argv[3] + 1, &end, 16);
  if (*end)
    return -1;
  m = strtol(argv[4], &end, 10);
  if (*end)
    return -1;
  l = strtol(argv[5], &end, 10);
  if (*end || m < 0 || m >= LP_MECH_COUNT || l < 0 || l >= LP_LAYER_COUNT)
    return -1;
  a->pipe = (HANDLE)(uintptr_t)h;
  a->backend = relocate(argv[3][0], (uintptr_t)off);
  a->mech = (enum lp_mechanism)m;
  a->layer = (enum lp_layer)l;
  a->ctx.wait_ms = (unsigned)strtoul(argv[6], NULL, 10);
  a->ctx.event_wait_ms = (unsigned)strtoul(argv[7], NULL, 10);
  a->describe = strcmp(argv[8], "1") == 0;
  if (!a->backend || (a->describe && !a->backend->describe))
    return -1;
  return 0;
}

static void serve(int argc, char **argv)
{
  struct serve_args a;
  struct lp_msg_channel ch;
  struct lp_job *job = NULL;
  struct lp_obs *o = NULL;

  memset(&a, 0, sizeof(a));
  if (parse_serve(argc, argv, &a) < 0) {
    fputs("loopprobe: malformed " SERVE_ARG " arguments\n", stderr);
    ExitProcess(EXIT_BAD_ARGS);
  }
  SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
  SetUnhandledExceptionFilter(crash_filter);
  signal(SIGABRT, on_abort);
  ch.write_all = write_handle;
  ch.ctx = &a.pipe;
  lp_msg_send(&ch, LP_MSG_HELLO, NULL, 0);
  job = calloc(1, sizeof(*job));
  if (!job)
    ExitProcess(ERROR_NOT_ENOUGH_MEMORY);
  job->mech = a.mech;
  job->layer = a.layer;
  job->backend = a.backend;
  job->describe = a.describe;
  o = &job->obs;
  lp_obs_init(o);
  o->report = lp_msg_report;
  o->report_arg = &ch;
  lp_job_call(job, &a.ctx);
  o->report = NULL;
  o->report_arg = NULL;
  fflush(stdout);
  fflush(stderr);
  lp_msg_send(&ch, LP_MSG_FINAL, o, sizeof(*o));
  ExitProcess(0);
}

int lp_child_main(int argc, char **argv)
{
  InterlockedExchange(&child_main_seen, 1);
  if (argc >= 2 && argv && argv[1] && strcmp(argv[1], SERVE_ARG) == 0)
    serve(argc, argv);
  return 0;
}

/* --- the parent --- */

struct slot {
  struct lp_job *job;
  HANDLE process;
  HANDLE rd;  /* the result pipe */
  HANDLE err; /* the child's standard error and output */
  int64_t spawn_ns;
  int64_t start_ns; /* HELLO */
  int64_t deadline_ns;
  unsigned timeout_ms;
  int hello;
  size_t out_len;
  struct lp_msg_reader reader;
};

static void got_hello(struct slot *s)
{
  s->hello = 1;
  s->start_ns = lp_mono_ns();
  s->deadline_ns = s->start_ns + (int64_t)s->timeout_ms * 1000000;
}

static void keep_output(struct slot *s, const char *p, size_t n)
{
  size_t room = sizeof(s->job->output) - 1 - s->out_len;

  if (n > room)
    n = room;
  memcpy(s->job->output + s->out_len, p, n);
  s->out_len += n;
  s->job->output[s->out_len] = '\0';
}

/* Reads whatever pipe h holds now, without blocking. */
static void pump(struct slot *s, HANDLE h, int is_output)
{
  char buf[8192];
  DWORD avail = 0, n = 0;

  while (h && PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL) && avail > 0) {
    if (!ReadFile(h, buf, avail < sizeof(buf) ? avail : (DWORD)sizeof(buf), &n, NULL) || n == 0)
      return;
    if (is_output) {
      keep_output(s, buf, n);
      continue;
    }
    lp_msg_feed(&s->reader, buf, n);
    if (s->reader.hello_seen && !s->hello)
      got_hello(s);
  }
}

static void close_handle(HANDLE *h)
{
  if (*h)
    CloseHandle(*h);
  *h = NULL;
}

static void finish(struct slot *s, int timed_out)
{
  struct lp_job *job = s->job;
  DWORD code = 0;

  pump(s, s->rd, 0);
  pump(s, s->err, 1);
  GetExitCodeProcess(s->process, &code);
  job->elapsed_us = (lp_mono_ns() - (s->hello ? s->start_ns : s->spawn_ns)) / 1000;
  if (timed_out)
    job->status = LP_JOB_TIMEOUT;
  else if (s->reader.final_seen)
    job->status = LP_JOB_DONE;
  else if (lp_win_exit_is_exception((uint32_t)code)) {
    job->status = LP_JOB_SIGNALED;
    job->signal = lp_win_exception_signal((uint32_t)code);
    job->exception = (uint32_t)code;
  } else {
    job->status = LP_JOB_NO_RESULT;
    job->exit_code = (int)code;
  }
  close_handle(&s->process);
  close_handle(&s->rd);
  close_handle(&s->err);
  lp_msg_reader_free(&s->reader);
  memset(s, 0, sizeof(*s));
}

static void not_started(struct lp_job *job, const char *call, DWORD err)
{
  job->status = LP_JOB_NOT_STARTED;
  lp_strlcpy(job->start_call, call, sizeof(job->start_call));
  job->start_err = lp_win_errno(err);
}

/* Appends ASCII s to the wide string at *w. */
static void put_ascii(wchar_t **w, const char *s)
{
  while (*s)
    *(*w)++ = (wchar_t)(unsigned char)*s++;
  **w = L'\0';
}

/* "PROGRAM" --lp-serve-cell PIPE WHERE+OFFSET MECH LAYER WAIT EVENT_WAIT DESCRIBE */
static wchar_t *command_line(HANDLE pipe, char where, uintptr_t off, const struct lp_job *job,
                             const struct lp_probe_ctx *ctx)
{
  wchar_t path[32768], *cmd = NULL, *w = NULL;
  DWORD n = GetModuleFileNameW(NULL, path, (DWORD)(sizeof(path) / sizeof(path[0])));
  char args[256];

  if (n == 0 || n >= sizeof(path) / sizeof(path[0]))
    return NULL;
  lp_fmt(args, sizeof(args), "\" %s %llu %c%llx %d %d %u %u %d", SERVE_ARG,
         (unsigned long long)(uintptr_t)pipe, where, (unsigned long long)off, (int)job->mech,
         (int)job->layer, ctx->wait_ms, ctx->event_wait_ms, job->describe ? 1 : 0);
  cmd = malloc((n + 1 + strlen(args) + 1) * sizeof(wchar_t));
  if (!cmd)
    return NULL;
  w = cmd;
  *w++ = L'"';
  memcpy(w, path, n * sizeof(wchar_t));
  w += n;
  put_ascii(&w, args);
  return cmd;
}

static int make_pipe(HANDLE *rd, HANDLE *wr)
{
  SECURITY_ATTRIBUTES sa;

  sa.nLength = sizeof(sa);
  sa.lpSecurityDescriptor = NULL;
  sa.bInheritHandle = TRUE;
  if (!CreatePipe(rd, wr, &sa, PIPE_SIZE))
    return -1;
  SetHandleInformation(*rd, HANDLE_FLAG_INHERIT, 0);
  return 0;
}

/* The child inherits the two write ends and nothing else, where the
   system allows saying so. */
static LPPROC_THREAD_ATTRIBUTE_LIST inherit_only(HANDLE *handles, size_t n)
{
  LPPROC_THREAD_ATTRIBUTE_LIST list = NULL;
  SIZE_T size = 0;

  InitializeProcThreadAttributeList(NULL, 1, 0, &size);
  list = size ? malloc(size) : NULL;
  if (!list)
    return NULL;
  if (!InitializeProcThreadAttributeList(list, 1, 0, &size)) {
    free(list);
    return NULL;
  }
  if (!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles,
                                 n * sizeof(HANDLE), NULL, NULL)) {
    DeleteProcThreadAttributeList(list);
    free(list);
    return NULL;
  }
  return list;
}

static BOOL spawn(wchar_t *cmd, HANDLE result_wr, HANDLE err_wr, PROCESS_INFORMATION *pi)
{
  STARTUPINFOEXW si;
  HANDLE inherit[2];
  BOOL ok;

  inherit[0] = result_wr;
  inherit[1] = err_wr;
  memset(&si, 0, sizeof(si));
  si.StartupInfo.cb = sizeof(si);
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = NULL;
  si.StartupInfo.hStdOutput = err_wr;
  si.StartupInfo.hStdError = err_wr;
  si.lpAttributeList = inherit_only(inherit, 2);
  if (!si.lpAttributeList)
    si.StartupInfo.cb = sizeof(si.StartupInfo);
  ok = CreateProcessW(NULL, cmd, NULL, NULL, TRUE,
                      CREATE_NO_WINDOW | (si.lpAttributeList ? EXTENDED_STARTUPINFO_PRESENT : 0),
                      NULL, NULL, &si.StartupInfo, pi);
  if (si.lpAttributeList) {
    DeleteProcThreadAttributeList(si.lpAttributeList);
    free(si.lpAttributeList);
  }
  return ok;
}

/* Starts job in slot s.  Returns 0, or -1 after marking the job not
   started. */
static int start(struct slot *s, struct lp_job *job, char where, uintptr_t off,
                 const struct lp_runner_opts *ro)
{
  HANDLE rd = NULL, wr = NULL, erd = NULL, ewr = NULL;
  PROCESS_INFORMATION pi;
  wchar_t *cmd = NULL;
  int rc = -1;

  lp_obs_init(&job->obs);
  if (make_pipe(&rd, &wr) < 0 || make_pipe(&erd, &ewr) < 0) {
    not_started(job, "CreatePipe", GetLastError());
    goto out;
  }
  cmd = command_line(wr, where, off, job, &ro->ctx);
  if (!cmd) {
    not_started(job, "GetModuleFileName", GetLastError());
    goto out;
  }
  if (!spawn(cmd, wr, ewr, &pi)) {
    not_started(job, "CreateProcess", GetLastError());
    goto out;
  }
  CloseHandle(pi.hThread);
  memset(s, 0, sizeof(*s));
  s->job = job;
  s->process = pi.hProcess;
  s->rd = rd;
  s->err = erd;
  rd = erd = NULL;
  s->timeout_ms = ro->timeout_ms;
  s->spawn_ns = lp_mono_ns();
  s->deadline_ns = s->spawn_ns + ((int64_t)START_GRACE_MS + ro->timeout_ms) * 1000000;
  lp_msg_reader_init(&s->reader, job);
  rc = 0;
out:
  free(cmd);
  close_handle(&wr);
  close_handle(&ewr);
  close_handle(&rd);
  close_handle(&erd);
  return rc;
}

static void kill_slot(struct slot *s)
{
  TerminateProcess(s->process, 1);
  WaitForSingleObject(s->process, 5000);
  finish(s, 1);
}

static size_t running(const struct slot *slots, size_t nslots)
{
  size_t i, k = 0;

  for (i = 0; i < nslots; i++)
    k += slots[i].job != NULL;
  return k;
}

static void run_inprocess(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro,
                          const char *note);

/* Fills free slots.  Returns the index of the next job to start. */
static size_t start_more(struct lp_job *jobs, size_t n, size_t next, struct slot *slots,
                         size_t nslots, const struct lp_runner_opts *ro)
{
  size_t i;

  for (i = 0; i < nslots && next < n; i++) {
    char where = 0;
    uintptr_t off = 0;
    if (slots[i].job)
      continue;
    if (locate(jobs[next].backend, &where, &off) < 0)
      run_inprocess(&jobs[next], 1, ro, NOTE_FOREIGN);
    else
      start(&slots[i], &jobs[next], where, off, ro);
    next++;
  }
  return next;
}

static void service(struct slot *slots, size_t nslots)
{
  HANDLE procs[MAX_SLOTS];
  DWORD k = 0;
  size_t i;

  for (i = 0; i < nslots; i++) {
    if (!slots[i].job)
      continue;
    pump(&slots[i], slots[i].rd, 0);
    pump(&slots[i], slots[i].err, 1);
    procs[k++] = slots[i].process;
  }
  if (k == 0)
    return;
  WaitForMultipleObjects(k, procs, FALSE, POLL_MS);
  for (i = 0; i < nslots; i++) {
    if (!slots[i].job)
      continue;
    if (WaitForSingleObject(slots[i].process, 0) == WAIT_OBJECT_0)
      finish(&slots[i], 0);
    else if (lp_mono_ns() >= slots[i].deadline_ns)
      kill_slot(&slots[i]);
  }
}

static void run_isolated(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro)
{
  struct slot slots[MAX_SLOTS];
  size_t nslots = n < MAX_SLOTS ? n : MAX_SLOTS, next = 0;

  memset(slots, 0, sizeof(slots));
  while (next < n || running(slots, nslots) > 0) {
    next = start_more(jobs, n, next, slots, nslots, ro);
    service(slots, nslots);
  }
}

/* --- in-process --- */

struct watchdog {
  CRITICAL_SECTION lock;
  int stop;
  int64_t deadline_ns;
  const struct lp_job *job;
  char step[sizeof(((struct lp_obs *)0)->step)];
};

static void inproc_report(const struct lp_obs *o, int full, void *arg)
{
  struct watchdog *w = arg;

  (void)full;
  EnterCriticalSection(&w->lock);
  lp_strlcpy(w->step, o->step, sizeof(w->step));
  LeaveCriticalSection(&w->lock);
}

static DWORD WINAPI watchdog_main(void *arg)
{
  struct watchdog *w = arg;
  char msg[256];

  for (;;) {
    int stop, over = 0;
    Sleep(20);
    EnterCriticalSection(&w->lock);
    stop = w->stop;
    if (w->job && lp_mono_ns() > w->deadline_ns) {
      over = 1;
      lp_watchdog_message(msg, sizeof(msg), w->job, w->step);
    }
    LeaveCriticalSection(&w->lock);
    if (stop)
      return 0;
    if (over) {
      DWORD wrote = 0;
      WriteFile(GetStdHandle(STD_ERROR_HANDLE), msg, (DWORD)strlen(msg), &wrote, NULL);
      TerminateProcess(GetCurrentProcess(), 3);
    }
  }
}

static void probe_inprocess(struct lp_job *job, const struct lp_runner_opts *ro, struct watchdog *w)
{
  int64_t t0 = lp_mono_ns();

  if (w) {
    EnterCriticalSection(&w->lock);
    w->job = job;
    w->step[0] = '\0';
    w->deadline_ns = t0 + (int64_t)ro->timeout_ms * 1000000;
    LeaveCriticalSection(&w->lock);
  }
  lp_obs_init(&job->obs);
  if (w) {
    job->obs.report = inproc_report;
    job->obs.report_arg = w;
  }
  lp_job_call(job, &ro->ctx);
  job->obs.report = NULL;
  job->obs.report_arg = NULL;
  job->status = LP_JOB_DONE;
  job->elapsed_us = (lp_mono_ns() - t0) / 1000;
}

/* Says in the job, and in its detail, that isolation was not possible. */
static void mark(struct lp_job *job, const char *note)
{
  size_t used = strlen(job->obs.detail);

  lp_strlcpy(job->note, note, sizeof(job->note));
  if (used + 4 < sizeof(job->obs.detail))
    lp_fmt(job->obs.detail + used, sizeof(job->obs.detail) - used, "%s(%s)", used ? " " : "", note);
}

static void run_inprocess(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro,
                          const char *note)
{
  struct watchdog w;
  HANDLE thread = NULL;
  size_t i;

  memset(&w, 0, sizeof(w));
  InitializeCriticalSection(&w.lock);
  if (ro->exit_on_timeout)
    thread = CreateThread(NULL, 0, watchdog_main, &w, 0, NULL);
  for (i = 0; i < n; i++) {
    probe_inprocess(&jobs[i], ro, thread ? &w : NULL);
    if (note)
      mark(&jobs[i], note);
  }
  EnterCriticalSection(&w.lock);
  w.stop = 1;
  w.job = NULL;
  LeaveCriticalSection(&w.lock);
  if (thread) {
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
  }
  DeleteCriticalSection(&w.lock);
}

void lp_run_jobs(struct lp_job *jobs, size_t n, const struct lp_runner_opts *ro)
{
  if (!ro->isolate)
    run_inprocess(jobs, n, ro, NULL);
  else if (!InterlockedCompareExchange(&child_main_seen, 0, 0))
    run_inprocess(jobs, n, ro, NOTE_NO_CHILD_MAIN);
  else
    run_isolated(jobs, n, ro);
}

/* No fork() here, so no child a binding forked to collect. */
int lp_child_collect(long pid, int fd, unsigned timeout_ms, char *buf, size_t size, int *status)
{
  (void)pid, (void)fd, (void)timeout_ms;
  if (buf && size)
    buf[0] = '\0';
  if (status)
    *status = 0;
  return -1;
}
