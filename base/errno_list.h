/* SPDX-License-Identifier: MIT */
/*
 * errno_list.h - the errno names reports print ("EPERM"), in Linux's order.
 *
 * An X-list: each entry is LP_ERRNO(NAME) under a test that the platform
 * defines NAME, so every platform gets the names it has and no others.
 * The file that includes it defines LP_ERRNO first (base/osnames.c).
 */
/* clang-format off */
#ifdef EPERM
LP_ERRNO(EPERM)
#endif
#ifdef ENOENT
LP_ERRNO(ENOENT)
#endif
#ifdef ESRCH
LP_ERRNO(ESRCH)
#endif
#ifdef EINTR
LP_ERRNO(EINTR)
#endif
#ifdef EIO
LP_ERRNO(EIO)
#endif
#ifdef ENXIO
LP_ERRNO(ENXIO)
#endif
#ifdef E2BIG
LP_ERRNO(E2BIG)
#endif
#ifdef ENOEXEC
LP_ERRNO(ENOEXEC)
#endif
#ifdef EBADF
LP_ERRNO(EBADF)
#endif
#ifdef ECHILD
LP_ERRNO(ECHILD)
#endif
#ifdef EAGAIN
LP_ERRNO(EAGAIN)
#endif
#ifdef ENOMEM
LP_ERRNO(ENOMEM)
#endif
#ifdef EACCES
LP_ERRNO(EACCES)
#endif
#ifdef EFAULT
LP_ERRNO(EFAULT)
#endif
#ifdef EBUSY
LP_ERRNO(EBUSY)
#endif
#ifdef EEXIST
LP_ERRNO(EEXIST)
#endif
#ifdef ENODEV
LP_ERRNO(ENODEV)
#endif
#ifdef ENOTDIR
LP_ERRNO(ENOTDIR)
#endif
#ifdef EISDIR
LP_ERRNO(EISDIR)
#endif
#ifdef EINVAL
LP_ERRNO(EINVAL)
#endif
#ifdef ENFILE
LP_ERRNO(ENFILE)
#endif
#ifdef EMFILE
LP_ERRNO(EMFILE)
#endif
#ifdef ENOTTY
LP_ERRNO(ENOTTY)
#endif
#ifdef EFBIG
LP_ERRNO(EFBIG)
#endif
#ifdef ENOSPC
LP_ERRNO(ENOSPC)
#endif
#ifdef ESPIPE
LP_ERRNO(ESPIPE)
#endif
#ifdef EROFS
LP_ERRNO(EROFS)
#endif
#ifdef EPIPE
LP_ERRNO(EPIPE)
#endif
#ifdef EDOM
LP_ERRNO(EDOM)
#endif
#ifdef ERANGE
LP_ERRNO(ERANGE)
#endif
#ifdef EDEADLK
LP_ERRNO(EDEADLK)
#endif
#ifdef ENAMETOOLONG
LP_ERRNO(ENAMETOOLONG)
#endif
#ifdef ENOSYS
LP_ERRNO(ENOSYS)
#endif
#ifdef ENOTEMPTY
LP_ERRNO(ENOTEMPTY)
#endif
#ifdef ELOOP
LP_ERRNO(ELOOP)
#endif
#ifdef ENOTSUP
LP_ERRNO(ENOTSUP)
#endif
#if defined(EOPNOTSUPP) && (!defined(ENOTSUP) || EOPNOTSUPP != ENOTSUP)
LP_ERRNO(EOPNOTSUPP)
#endif
#ifdef ETIME
LP_ERRNO(ETIME)
#endif
#ifdef ETIMEDOUT
LP_ERRNO(ETIMEDOUT)
#endif
#ifdef ECANCELED
LP_ERRNO(ECANCELED)
#endif
#ifdef ENOTSOCK
LP_ERRNO(ENOTSOCK)
#endif
#ifdef EADDRINUSE
LP_ERRNO(EADDRINUSE)
#endif
#ifdef ECONNREFUSED
LP_ERRNO(ECONNREFUSED)
#endif
#ifdef ECONNRESET
LP_ERRNO(ECONNRESET)
#endif
#ifdef EAFNOSUPPORT
LP_ERRNO(EAFNOSUPPORT)
#endif
#ifdef EPROTONOSUPPORT
LP_ERRNO(EPROTONOSUPPORT)
#endif
#ifdef EINPROGRESS
LP_ERRNO(EINPROGRESS)
#endif
#ifdef EALREADY
LP_ERRNO(EALREADY)
#endif
#ifdef ENOBUFS
LP_ERRNO(ENOBUFS)
#endif
#ifdef EOVERFLOW
LP_ERRNO(EOVERFLOW)
#endif
#ifdef EBADFD
LP_ERRNO(EBADFD)
#endif
#ifdef EOWNERDEAD
LP_ERRNO(EOWNERDEAD)
#endif
/* clang-format on */
