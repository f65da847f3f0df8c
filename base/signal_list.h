/* SPDX-License-Identifier: MIT */
/*
 * signal_list.h - the signal names reports print ("SIGSYS"), in Linux's order.
 *
 * An X-list: each entry is LP_SIGNAL(NAME) under a test that the platform
 * defines NAME, so every platform gets the names it has and no others.
 * The file that includes it defines LP_SIGNAL first (base/osnames.c).
 */
/* clang-format off */
#ifdef SIGHUP
LP_SIGNAL(SIGHUP)
#endif
#ifdef SIGINT
LP_SIGNAL(SIGINT)
#endif
#ifdef SIGQUIT
LP_SIGNAL(SIGQUIT)
#endif
#ifdef SIGILL
LP_SIGNAL(SIGILL)
#endif
#ifdef SIGTRAP
LP_SIGNAL(SIGTRAP)
#endif
#ifdef SIGABRT
LP_SIGNAL(SIGABRT)
#endif
#ifdef SIGBUS
LP_SIGNAL(SIGBUS)
#endif
#ifdef SIGFPE
LP_SIGNAL(SIGFPE)
#endif
#ifdef SIGKILL
LP_SIGNAL(SIGKILL)
#endif
#ifdef SIGUSR1
LP_SIGNAL(SIGUSR1)
#endif
#ifdef SIGSEGV
LP_SIGNAL(SIGSEGV)
#endif
#ifdef SIGUSR2
LP_SIGNAL(SIGUSR2)
#endif
#ifdef SIGPIPE
LP_SIGNAL(SIGPIPE)
#endif
#ifdef SIGALRM
LP_SIGNAL(SIGALRM)
#endif
#ifdef SIGTERM
LP_SIGNAL(SIGTERM)
#endif
#ifdef SIGCHLD
LP_SIGNAL(SIGCHLD)
#endif
#ifdef SIGSTOP
LP_SIGNAL(SIGSTOP)
#endif
#ifdef SIGXCPU
LP_SIGNAL(SIGXCPU)
#endif
#ifdef SIGXFSZ
LP_SIGNAL(SIGXFSZ)
#endif
#ifdef SIGSYS
LP_SIGNAL(SIGSYS)
#endif
/* clang-format on */
