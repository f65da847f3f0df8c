/* SPDX-License-Identifier: MIT */
/*
 * uv_server.c - a libuv TCP echo server that asks loopprobe, when its
 * worker starts, whether the event mechanism it depends on really works
 * here, and refuses to start with the reason in its log when it does not.
 *
 *   lp_uv_server [--port N] [--host ADDR] [--require SPEC] [--max-connections N]
 *
 * Without --require it checks epoll through libc (the calls libuv makes on
 * Linux) and, when this libloopprobe can probe it, epoll through libuv.
 * The check is lp_check(): in-process, no fork, no output, a few tens of
 * microseconds.  Only when it fails does the server pay for the full
 * matrix (lp_run(), one child process per cell) to put in its log.
 *
 * Exit status: 0 after a clean stop, 1 when the check fails (or libuv
 * cannot start), 2 for a usage error.  It prints "listening on HOST:PORT"
 * on standard output once it accepts connections.
 */
#define _POSIX_C_SOURCE 200809L
#include "loopprobe.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

/* libuv's readiness mechanism here, as a name and as loopprobe's id. */
#if defined(__linux__)
#define MECH "epoll"
#define MECH_ID LP_MECH_EPOLL
#else
#define MECH "kqueue"
#define MECH_ID LP_MECH_KQUEUE
#endif

struct server {
  uv_loop_t loop;
  uv_tcp_t listener;
  uv_signal_t sigint, sigterm;
  long max_connections; /* 0: no limit */
  long accepted;
};

struct echo_write {
  uv_write_t req;
  uv_buf_t buf;
};

static void log_line(const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "uv_server[%ld]: ", (long)getpid());
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* --- the start-up check --- */

static const char *default_spec(void)
{
  return lp_cell_built(MECH_ID, LP_LAYER_LIBUV) ? MECH "@api," MECH "@libuv" : MECH "@api";
}

/* The full matrix, judged against spec, for the log: every cell, so that
   the layers beneath explain the one that failed. */
static void log_matrix(const char *spec)
{
  struct lp_options opts;
  struct lp_report *r = NULL;
  char err[512];
  char *text = NULL;

  lp_options_init(&opts);
  opts.require = spec;
  if (lp_run(&opts, &r, err, sizeof(err)) < 0) {
    log_line("lp_run failed: %s", err);
    return;
  }
  text = lp_report_format(r, LP_FORMAT_TEXT, 0, NULL);
  if (text)
    fprintf(stderr, "%s", text);
  else
    log_line("lp_report_format failed: out of memory");
  lp_free(text);
  lp_report_free(r);
}

/* 0 when the worker may start; otherwise the exit status. */
static int startup_check(const char *spec)
{
  char why[512];
  int rc = lp_check(spec, why, sizeof(why));

  if (rc < 0) {
    log_line("bad --require: %s", why);
    return 2;
  }
  if (rc > 0) {
    log_line("refusing to start: %s", why);
    log_line("what loopprobe sees:");
    log_matrix(spec);
    return 1;
  }
  log_line("loopprobe %s: %s ok", lp_version(), spec);
  return 0;
}

/* --- the echo server --- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
  (void)h;
  buf->base = malloc(suggested);
  buf->len = buf->base ? suggested : 0;
}

static void on_close_free(uv_handle_t *h)
{
  free(h);
}

static void on_written(uv_write_t *req, int status)
{
  struct echo_write *w = (struct echo_write *)req;

  if (status < 0)
    log_line("uv_write: %s", uv_strerror(status));
  free(w->buf.base);
  free(w);
}

static void on_read(uv_stream_t *client, ssize_t n, const uv_buf_t *buf)
{
  struct echo_write *w = NULL;

  if (n <= 0) {
    free(buf->base);
    if (n < 0) {
      if (n != UV_EOF)
        log_line("uv_read: %s", uv_strerror((int)n));
      uv_close((uv_handle_t *)client, on_close_free);
    }
    return;
  }
  w = malloc(sizeof(*w));
  if (!w) {
    free(buf->base);
    uv_close((uv_handle_t *)client, on_close_free);
    return;
  }
  w->buf = uv_buf_init(buf->base, (unsigned)n);
  if (uv_write(&w->req, client, &w->buf, 1, on_written) < 0)
    on_written(&w->req, -1);
}

static void close_once(uv_handle_t *h)
{
  if (!uv_is_closing(h))
    uv_close(h, NULL);
}

static void stop(struct server *s)
{
  close_once((uv_handle_t *)&s->listener);
  close_once((uv_handle_t *)&s->sigint);
  close_once((uv_handle_t *)&s->sigterm);
}

static void on_connection(uv_stream_t *listener, int status)
{
  struct server *s = listener->data;
  uv_tcp_t *client = NULL;

  if (status < 0) {
    log_line("connection: %s", uv_strerror(status));
    return;
  }
  client = malloc(sizeof(*client));
  if (!client || uv_tcp_init(&s->loop, client) < 0) {
    free(client);
    return;
  }
  if (uv_accept(listener, (uv_stream_t *)client) < 0 ||
      uv_read_start((uv_stream_t *)client, on_alloc, on_read) < 0) {
    uv_close((uv_handle_t *)client, on_close_free);
    return;
  }
  if (s->max_connections && ++s->accepted >= s->max_connections)
    stop(s); /* the accepted connection is served to its end */
}

static void on_signal(uv_signal_t *h, int sig)
{
  log_line("stopping on signal %d", sig);
  stop(h->data);
}

static void walk_close(uv_handle_t *h, void *arg)
{
  (void)arg;
  close_once(h);
}

static int listen_on(struct server *s, const char *host, int port)
{
  struct sockaddr_storage addr;
  int len = sizeof(addr), rc;
  char name[64];

  rc = uv_ip4_addr(host, port, (struct sockaddr_in *)&addr);
  if (rc == 0)
    rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
  if (rc == 0)
    rc = uv_listen((uv_stream_t *)&s->listener, 64, on_connection);
  if (rc == 0)
    rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&addr, &len);
  if (rc < 0) {
    log_line("cannot listen on %s:%d: %s", host, port, uv_strerror(rc));
    return -1;
  }
  uv_ip4_name((struct sockaddr_in *)&addr, name, sizeof(name));
  printf("listening on %s:%d\n", name, ntohs(((struct sockaddr_in *)&addr)->sin_port));
  fflush(stdout);
  return 0;
}

static int serve(const char *host, int port, long max_connections)
{
  struct server s;
  int rc;

  memset(&s, 0, sizeof(s));
  s.max_connections = max_connections;
  rc = uv_loop_init(&s.loop);
  if (rc < 0) {
    log_line("uv_loop_init: %s", uv_strerror(rc));
    return 1;
  }
  uv_tcp_init(&s.loop, &s.listener);
  uv_signal_init(&s.loop, &s.sigint);
  uv_signal_init(&s.loop, &s.sigterm);
  s.listener.data = s.sigint.data = s.sigterm.data = &s;
  uv_signal_start(&s.sigint, on_signal, SIGINT);
  uv_signal_start(&s.sigterm, on_signal, SIGTERM);
  rc = listen_on(&s, host, port) < 0 ? 1 : 0;
  if (rc)
    stop(&s);
  uv_run(&s.loop, UV_RUN_DEFAULT);
  uv_walk(&s.loop, walk_close, NULL);
  uv_run(&s.loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&s.loop) < 0)
    log_line("uv_loop_close: handles still open");
  return rc;
}

/* --- main --- */

static int usage(void)
{
  fprintf(stderr, "usage: lp_uv_server [--port N] [--host ADDR] [--require SPEC] "
                  "[--max-connections N]\n");
  return 2;
}

int main(int argc, char **argv)
{
  const char *host = "127.0.0.1", *spec = default_spec();
  long port = 7000, max_connections = 0;
  int i, rc;

  for (i = 1; i < argc; i++) {
    const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (!val)
      return usage();
    if (strcmp(opt, "--port") == 0)
      port = strtol(val, NULL, 10);
    else if (strcmp(opt, "--host") == 0)
      host = val;
    else if (strcmp(opt, "--require") == 0)
      spec = val;
    else if (strcmp(opt, "--max-connections") == 0)
      max_connections = strtol(val, NULL, 10);
    else
      return usage();
    i++;
  }
  if (port < 0 || port > 65535 || max_connections < 0)
    return usage();
  rc = startup_check(spec);
  if (rc)
    return rc;
  return serve(host, (int)port, max_connections);
}
