/* SPDX-License-Identifier: MIT */
/*
 * host_linux.c - host facts on Linux.
 *
 * Traps: /proc may be missing (a bwrap sandbox, an early boot, a chroot),
 * so every read is allowed to fail and leaves a note instead.  The seccomp
 * mode is read from /proc/self/status, never with prctl(PR_GET_SECCOMP),
 * which kills the caller in strict mode.  Container detection follows the
 * order systemd-detect-virt uses, and records each piece of evidence it
 * found, because a best guess is only as good as what it rests on.  glibc
 * names its version (confstr); musl knows the name of that request but
 * answers EINVAL, and has no other, so there the C library is named by
 * the family of the one loopprobe is linked with.
 */
#define _GNU_SOURCE
#include "host.h"

#include "../loader/elf_file.h"
#include "../loader/provenance.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_CPUID 1
#endif

#define LP_HOST_PATH 512

extern char **environ;

char **lp_os_environ(void)
{
  return environ;
}

/* Reads a small file into buf; returns its length or -errno. */
static long read_small(const char *path, char *buf, size_t size)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return -errno;
  n = read(fd, buf, size - 1);
  if (n < 0) {
    int err = errno;
    close(fd);
    return -err;
  }
  close(fd);
  buf[n] = '\0';
  return (long)n;
}

static void chomp(char *s)
{
  size_t n = strlen(s);

  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
    s[--n] = '\0';
}

static long status_field(const char *status, const char *name)
{
  const char *p = strstr(status, name);

  return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static int exists(const char *path)
{
  struct stat st;

  return stat(path, &st) == 0;
}

static int read_status(struct lp_host *h)
{
  char buf[4096], path[64], comm[64];
  long n = read_small("/proc/self/status", buf, sizeof(buf));

  h->seccomp_mode = h->seccomp_filters = -1;
  h->tracer_pid = -1;
  if (n < 0) {
    const char *e = lp_errno_name((int)-n);
    h->proc_ok = 0;
    return lp_strv_addf(&h->notes,
                        "/proc/self/status could not be read (%s): seccomp mode, seccomp filters "
                        "and tracer are unknown",
                        e ? e : "error");
  }
  h->proc_ok = 1;
  h->seccomp_mode = (int)status_field(buf, "\nSeccomp:");
  h->seccomp_filters = (int)status_field(buf, "\nSeccomp_filters:");
  h->tracer_pid = status_field(buf, "\nTracerPid:");
  if (h->tracer_pid > 0) {
    lp_fmt(path, sizeof(path), "/proc/%ld/comm", h->tracer_pid);
    if (read_small(path, comm, sizeof(comm)) > 0) {
      chomp(comm);
      h->tracer_name = lp_strdup(comm);
    }
  }
  return 0;
}

static long long read_number(const char *path)
{
  char buf[64];

  return read_small(path, buf, sizeof(buf)) > 0 ? atoll(buf) : -1;
}

static long long rlimit_value(rlim_t v)
{
  return v == RLIM_INFINITY ? -1 : (long long)v;
}

static void read_sysctls(struct lp_host *h)
{
  struct rlimit rl;

  h->io_uring_disabled = (int)read_number("/proc/sys/kernel/io_uring_disabled");
  h->limits.known = 1;
  h->limits.nofile_soft = h->limits.nofile_hard = h->limits.memlock_soft = -1;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    h->limits.nofile_soft = rlimit_value(rl.rlim_cur);
    h->limits.nofile_hard = rlimit_value(rl.rlim_max);
  }
  if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
    h->limits.memlock_soft = rlimit_value(rl.rlim_cur);
  h->limits.epoll_max_user_watches = read_number("/proc/sys/fs/epoll/max_user_watches");
  h->limits.aio_max_nr = read_number("/proc/sys/fs/aio-max-nr");
  h->limits.aio_nr = read_number("/proc/sys/fs/aio-nr");
}

/* A symbolic link's target, or "" when it cannot be read. */
static void link_of(const char *path, char *buf, size_t size)
{
  ssize_t n = readlink(path, buf, size - 1);

  buf[n > 0 ? n : 0] = '\0';
}

/* User-mode emulation (qemu-user, directly or through binfmt_misc): the
   emulator answers /proc/self/exe and /proc/self/maps itself with the
   guest program, but not /proc/thread-self/exe, which the kernel answers
   with what really runs - the emulator.  (An emulator that fakes that too
   still leaves its name as the process's comm, in /proc/self/status.) */
static int detect_user_mode(struct lp_host *h)
{
  char self[LP_HOST_PATH], real[LP_HOST_PATH], status[4096], name[64] = "";
  const char *base = NULL, *p = NULL;

  link_of("/proc/self/exe", self, sizeof(self));
  link_of("/proc/thread-self/exe", real, sizeof(real));
  if (read_small("/proc/self/status", status, sizeof(status)) > 0 &&
      (p = strstr(status, "Name:\t")) != NULL)
    sscanf(p + 6, "%63s", name);
  base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
  if (!real[0] || strcmp(self, real) == 0 || strncmp(base, "qemu-", 5) != 0)
    return 0;
  h->emulator_translates = 1;
  h->emulator = lp_strdup(base);
  if (lp_strv_addf(&h->emulator_evidence,
                   "/proc/thread-self/exe is %s while /proc/self/exe answers %s: a user-mode "
                   "emulator answers /proc/self itself",
                   real, self[0] ? self : "nothing") < 0 ||
      (name[0] && lp_strv_addf(&h->emulator_evidence,
                               "the process's name is %s (/proc/self/status)", name) < 0))
    return -1;
  return 1;
}

/* The interpreters binfmt_misc runs foreign binaries with, as evidence:
   "qemu-aarch64 (enabled) for /usr/bin/qemu-aarch64-static". */
static int binfmt_evidence(struct lp_host *h)
{
  DIR *d = opendir("/proc/sys/fs/binfmt_misc");
  struct dirent *e;
  char path[300], buf[512];
  int rc = 0;

  if (!d)
    return 0;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    char *interp = NULL;
    if (strncmp(e->d_name, "qemu-", 5) != 0)
      continue;
    lp_fmt(path, sizeof(path), "/proc/sys/fs/binfmt_misc/%s", e->d_name);
    if (read_small(path, buf, sizeof(buf)) <= 0)
      continue;
    interp = strstr(buf, "interpreter ");
    if (interp)
      interp[strcspn(interp, "\n")] = '\0';
    rc = lp_strv_addf(&h->emulator_evidence, "binfmt_misc registers %s (%s%s%s)", e->d_name,
                      strncmp(buf, "enabled", 7) == 0 ? "enabled" : "disabled", interp ? ", " : "",
                      interp ? interp : "");
  }
  closedir(d);
  return rc;
}

/* gVisor and WSL1 implement Linux system calls in user space: every
   mechanism there is emulated, whatever the round trip says.  qemu-user
   translates them to the host kernel's: what works is the kernel's, and an
   ENOSYS may be the emulator's own. */
static int detect_emulator(struct lp_host *h)
{
  char buf[256];
  int user_mode = detect_user_mode(h);

  if (user_mode < 0)
    return -1;
  if (user_mode)
    return binfmt_evidence(h);
  if (access("/proc/gvisor/kernel_is_gvisor", F_OK) == 0) {
    h->emulator = lp_strdup("gVisor, a user-space kernel");
    return lp_strv_add(&h->emulator_evidence, "/proc/gvisor/kernel_is_gvisor exists");
  }
  if (read_small("/proc/version", buf, sizeof(buf)) > 0 && strstr(buf, "gvisor")) {
    h->emulator = lp_strdup("gVisor, a user-space kernel");
    return lp_strv_add(&h->emulator_evidence, "/proc/version names gvisor");
  }
  if (read_small("/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0 && strstr(buf, "Microsoft") &&
      !strstr(buf, "WSL2")) {
    chomp(buf);
    h->emulator = lp_strdup("WSL1, which translates Linux system calls for Windows");
    return lp_strv_addf(&h->emulator_evidence, "kernel.osrelease is %s", buf);
  }
  return 0;
}

static int read_preloads(struct lp_host *h)
{
  char buf[4096];
  const char *env = getenv("LD_PRELOAD");
  char *p;

  if (env && lp_split_list(env, &h->preload) < 0)
    return -1;
  if (read_small("/etc/ld.so.preload", buf, sizeof(buf)) <= 0)
    return 0;
  for (p = buf; *p; p++)
    if (*p == '\n' || *p == '\t')
      *p = ' ';
  return lp_split_list(buf, &h->ld_so_preload);
}

static void set_virt(struct lp_host *h, const char *guess)
{
  if (!h->virt)
    h->virt = lp_strdup(guess);
}

static int detect_container(struct lp_host *h)
{
  char buf[512];
  const char *env = getenv("container");

  if (exists("/proc/gvisor/kernel_is_gvisor")) {
    set_virt(h, "gvisor");
    if (lp_strv_add(&h->virt_evidence, "/proc/gvisor/kernel_is_gvisor exists") < 0)
      return -1;
  }
  if (read_small("/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0 &&
      (strstr(buf, "Microsoft") || strstr(buf, "microsoft") || strstr(buf, "WSL"))) {
    chomp(buf);
    set_virt(h, strstr(buf, "WSL2") ? "wsl2" : "wsl");
    if (lp_strv_addf(&h->virt_evidence, "kernel.osrelease is %s", buf) < 0)
      return -1;
  }
  if (exists("/proc/vz") && !exists("/proc/bc")) {
    set_virt(h, "openvz");
    if (lp_strv_add(&h->virt_evidence, "/proc/vz exists without /proc/bc") < 0)
      return -1;
  }
  if (read_small("/run/systemd/container", buf, sizeof(buf)) > 0) {
    chomp(buf);
    set_virt(h, buf);
    if (lp_strv_addf(&h->virt_evidence, "/run/systemd/container says %s", buf) < 0)
      return -1;
  }
  if (env && *env) {
    set_virt(h, env);
    if (lp_strv_addf(&h->virt_evidence, "the environment has container=%s", env) < 0)
      return -1;
  }
  if (exists("/run/.containerenv")) {
    set_virt(h, "podman");
    if (lp_strv_add(&h->virt_evidence, "/run/.containerenv exists") < 0)
      return -1;
  }
  if (exists("/.dockerenv")) {
    set_virt(h, "docker");
    if (lp_strv_add(&h->virt_evidence, "/.dockerenv exists") < 0)
      return -1;
  }
  return 0;
}

static int detect_vm(struct lp_host *h)
{
  char buf[128];
#ifdef HAVE_CPUID
  unsigned a, b, c, d;
  char vendor[13];

  if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 31))) {
    __cpuid(0x40000000, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &c, 4);
    memcpy(vendor + 8, &d, 4);
    vendor[12] = '\0';
    set_virt(h, strcmp(vendor, "KVMKVMKVM") == 0      ? "kvm"
                : strcmp(vendor, "Microsoft Hv") == 0 ? "microsoft"
                : strcmp(vendor, "VMwareVMware") == 0 ? "vmware"
                : strcmp(vendor, "XenVMMXenVMM") == 0 ? "xen"
                : strcmp(vendor, "TCGTCGTCGTCG") == 0 ? "qemu"
                                                      : "vm-other");
    if (lp_strv_addf(&h->virt_evidence, "CPUID reports a hypervisor, vendor \"%s\"", vendor) < 0)
      return -1;
  }
#endif
  if (read_small("/sys/hypervisor/type", buf, sizeof(buf)) > 0) {
    chomp(buf);
    set_virt(h, buf);
    if (lp_strv_addf(&h->virt_evidence, "/sys/hypervisor/type says %s", buf) < 0)
      return -1;
  }
  return 0;
}

static void read_uname(struct lp_host *h)
{
  struct utsname u;
  char libc[64];

  h->os = lp_strdup("linux");
  if (uname(&u) == 0) {
    h->name = lp_strdup(u.nodename[0] ? u.nodename : NULL);
    h->kernel = lp_strdup(u.release);
    h->arch = lp_strdup(u.machine);
  }
#ifdef _CS_GNU_LIBC_VERSION
  if (confstr(_CS_GNU_LIBC_VERSION, libc, sizeof(libc)) > 0) {
    h->libc = lp_strdup(libc);
    return;
  }
#endif
  /* musl defines the name but answers EINVAL, and says nothing of its
     version to a running program: the C library loopprobe is linked with
     is named by its family alone */
  if (lp_self_needed("c", libc, sizeof(libc)) == 0 && lp_elf_libc_family(libc))
    h->libc = lp_strdup(lp_elf_libc_family(libc));
}

int lp_host_collect(struct lp_host *h)
{
  memset(h, 0, sizeof(*h));
  read_uname(h);
  if (read_status(h) < 0 || read_preloads(h) < 0 || detect_container(h) < 0 || detect_vm(h) < 0 ||
      lp_env_collect(h) < 0)
    return -1;
  read_sysctls(h);
  return detect_emulator(h);
}
