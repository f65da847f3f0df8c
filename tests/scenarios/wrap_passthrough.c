/* SPDX-License-Identifier: MIT */
/*
 * wrap_passthrough.c - an LD_PRELOAD wrapper that changes nothing: it
 * counts calls to epoll_wait and forwards them with dlsym(RTLD_NEXT).
 * loopprobe must keep epoll@api "ok" and add a warning naming this object.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <sys/epoll.h>

static unsigned long calls;

int epoll_wait(int ep, struct epoll_event *ev, int n, int timeout)
{
  int (*real)(int, struct epoll_event *, int, int) = NULL;

  *(void **)&real = dlsym(RTLD_NEXT, "epoll_wait");
  calls++;
  return real ? real(ep, ev, n, timeout) : -1;
}
