/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Curated syscall facts (syscall-table.h). */
#include <stddef.h>
#include <string.h>
#include "syscall-table.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

/* libc wrappers named after a syscall that is newer than the 3.10 era (glibc's
 * sysdeps/unix/sysv/linux/syscalls.list and *.c wrappers; liburing's own entry points
 * for io_uring). Wrappers of old syscalls are left out: every target has those. */
static const struct { const char *import, *syscall; } imports[] = {
	{ "cachestat", "cachestat" }, { "close_range", "close_range" },
	{ "copy_file_range", "copy_file_range" }, { "epoll_pwait2", "epoll_pwait2" },
	{ "execveat", "execveat" }, { "fchmodat2", "fchmodat2" }, { "fsconfig", "fsconfig" },
	{ "fsmount", "fsmount" }, { "fsopen", "fsopen" }, { "fspick", "fspick" },
	{ "getrandom", "getrandom" }, { "io_uring_enter", "io_uring_enter" },
	{ "io_uring_register", "io_uring_register" }, { "io_uring_setup", "io_uring_setup" },
	{ "landlock_add_rule", "landlock_add_rule" },
	{ "landlock_create_ruleset", "landlock_create_ruleset" },
	{ "landlock_restrict_self", "landlock_restrict_self" },
	{ "memfd_create", "memfd_create" }, { "memfd_secret", "memfd_secret" },
	{ "mlock2", "mlock2" }, { "mount_setattr", "mount_setattr" },
	{ "move_mount", "move_mount" }, { "open_tree", "open_tree" },
	{ "pidfd_getfd", "pidfd_getfd" }, { "pidfd_open", "pidfd_open" },
	{ "pidfd_send_signal", "pidfd_send_signal" }, { "pkey_alloc", "pkey_alloc" },
	{ "pkey_free", "pkey_free" }, { "pkey_mprotect", "pkey_mprotect" },
	{ "preadv2", "preadv2" }, { "process_madvise", "process_madvise" },
	{ "process_mrelease", "process_mrelease" }, { "pwritev2", "pwritev2" },
	{ "renameat2", "renameat2" }, { "sched_getattr", "sched_getattr" },
	{ "sched_setattr", "sched_setattr" }, { "statx", "statx" },
};

/* Upstream introduction, from the history of arch/x86/entry/syscalls/syscall_64.tbl
 * and include/uapi/asm-generic/unistd.h (torvalds/linux) as the man-pages' VERSIONS
 * sections state it. Numbers 441 on carry their name for lookups past the tables. */
static const struct { int nr; const char *name, *version; } introduced[] = {
	{ -1, "sched_setattr", "3.14" }, { -1, "sched_getattr", "3.14" },
	{ -1, "renameat2", "3.15" }, { -1, "seccomp", "3.17" }, { -1, "getrandom", "3.17" },
	{ -1, "memfd_create", "3.17" }, { -1, "kexec_file_load", "3.17" }, { -1, "bpf", "3.18" },
	{ -1, "execveat", "3.19" }, { -1, "userfaultfd", "4.3" }, { -1, "membarrier", "4.3" },
	{ -1, "mlock2", "4.4" }, { -1, "copy_file_range", "4.5" }, { -1, "preadv2", "4.6" },
	{ -1, "pwritev2", "4.6" }, { -1, "pkey_mprotect", "4.9" }, { -1, "pkey_alloc", "4.9" },
	{ -1, "pkey_free", "4.9" }, { -1, "statx", "4.11" }, { -1, "io_pgetevents", "4.18" },
	{ -1, "rseq", "4.18" },
	{ 424, "pidfd_send_signal", "5.1" }, { 425, "io_uring_setup", "5.1" },
	{ 426, "io_uring_enter", "5.1" }, { 427, "io_uring_register", "5.1" },
	{ 428, "open_tree", "5.2" }, { 429, "move_mount", "5.2" }, { 430, "fsopen", "5.2" },
	{ 431, "fsconfig", "5.2" }, { 432, "fsmount", "5.2" }, { 433, "fspick", "5.2" },
	{ 434, "pidfd_open", "5.3" }, { 435, "clone3", "5.3" }, { 436, "close_range", "5.9" },
	{ 437, "openat2", "5.6" }, { 438, "pidfd_getfd", "5.6" }, { 439, "faccessat2", "5.8" },
	{ 440, "process_madvise", "5.10" }, { 441, "epoll_pwait2", "5.11" },
	{ 442, "mount_setattr", "5.12" }, { 443, "quotactl_fd", "5.14" },
	{ 444, "landlock_create_ruleset", "5.13" }, { 445, "landlock_add_rule", "5.13" },
	{ 446, "landlock_restrict_self", "5.13" }, { 447, "memfd_secret", "5.14" },
	{ 448, "process_mrelease", "5.15" }, { 449, "futex_waitv", "5.16" },
	{ 450, "set_mempolicy_home_node", "5.17" }, { 451, "cachestat", "6.5" },
	{ 452, "fchmodat2", "6.6" }, { 453, "map_shadow_stack", "6.6" },
	{ 454, "futex_wake", "6.7" }, { 455, "futex_wait", "6.7" },
	{ 456, "futex_requeue", "6.7" }, { 457, "statmount", "6.8" },
	{ 458, "listmount", "6.8" }, { 459, "lsm_get_self_attr", "6.8" },
	{ 460, "lsm_set_self_attr", "6.8" }, { 461, "lsm_list_modules", "6.8" },
	{ 462, "mseal", "6.10" },
};

/* Fallbacks on ENOSYS, each with where the code says so. */
static const struct {
	enum aoms_syscall_runtime rt;
	const char *name, *what;
} fallbacks[] = {
	{ AOMS_SYSCALL_RT_GLIBC, "statx", "glibc's statx() emulates it with fstatat() "
	  "(sysdeps/unix/sysv/linux/statx.c, statx_generic.c, glibc 2.28)" },
	{ AOMS_SYSCALL_RT_GLIBC, "clone3", "glibc creates threads and processes with clone() "
	  "when clone3 fails with ENOSYS (sysdeps/unix/sysv/linux/clone-internal.c, glibc 2.34)" },
	{ AOMS_SYSCALL_RT_GLIBC, "faccessat2", "glibc's faccessat() falls back to faccessat "
	  "and fstatat() (sysdeps/unix/sysv/linux/faccessat.c, glibc 2.33)" },
	{ AOMS_SYSCALL_RT_GLIBC, "close_range", "glibc's closefrom() falls back to closing "
	  "the descriptors of /proc/self/fd (sysdeps/unix/sysv/linux/closefrom.c, glibc 2.34); "
	  "a direct close_range() call gets ENOSYS" },
	{ AOMS_SYSCALL_RT_GLIBC, "rseq", "glibc goes on without restartable sequences when "
	  "the registration fails (sysdeps/nptl/dl-tls_init_tp.c, glibc 2.35)" },
	{ AOMS_SYSCALL_RT_GLIBC, "fchmodat2", "glibc's fchmodat() falls back to the old "
	  "emulation through /proc/self/fd (sysdeps/unix/sysv/linux/fchmodat.c, glibc 2.39)" },
	{ AOMS_SYSCALL_RT_MUSL, "statx", "musl's fstatat() falls back to fstatat/stat "
	  "(src/stat/fstatat.c, musl 1.2.3)" },
	{ AOMS_SYSCALL_RT_GO, "pidfd_open", "Go's os package checks pidfd support once and "
	  "uses the classic wait otherwise (os/pidfd_linux.go, Go 1.23)" },
	{ AOMS_SYSCALL_RT_GO, "pidfd_send_signal", "Go's os package uses it only when "
	  "pidfd_open worked (os/pidfd_linux.go, Go 1.23)" },
	{ AOMS_SYSCALL_RT_GO, "faccessat2", "Go's syscall.Faccessat falls back to its own "
	  "check on ENOSYS (syscall/syscall_linux.go, Go 1.17)" },
	{ AOMS_SYSCALL_RT_GO, "getrandom", "Go reads /dev/urandom when getrandom is missing "
	  "(crypto/rand/rand_unix.go, internal/syscall/unix/getrandom.go)" },
	{ AOMS_SYSCALL_RT_GO, "copy_file_range", "Go's os copies with read/write on ENOSYS "
	  "(internal/poll/copy_file_range_linux.go)" },
	{ AOMS_SYSCALL_RT_GO, "clone3", "Go's os/exec uses clone3 only for a cgroup file "
	  "descriptor (SysProcAttr.UseCgroupFD) and clone otherwise (syscall/exec_linux.go, "
	  "Go 1.20)" },
	{ AOMS_SYSCALL_RT_GO, "fchmodat2", "Go's syscall.Fchmodat (and x/sys/unix's) calls "
	  "fchmodat2 only with flags, and on ENOSYS returns EOPNOTSUPP as Go did before 1.22 "
	  "(syscall/syscall_linux.go)" },
};

const char *aoms_syscall_of_import(const char *name)
{
	/* by name (the table is sorted; test-scanners-syscall checks): this runs for
	 * every import of every object scanned */
	size_t a = 0, b = N(imports);

	while (a < b) {
		size_t mid = (a + b) / 2;
		int c = strcmp(imports[mid].import, name);

		if (c == 0)
			return imports[mid].syscall;
		if (c < 0)
			a = mid + 1;
		else
			b = mid;
	}
	return NULL;
}

const char *aoms_syscall_import_at(size_t i)
{
	return i < N(imports) ? imports[i].import : NULL;
}

const char *aoms_syscall_introduced(const char *name)
{
	for (size_t i = 0; i < N(introduced); i++)
		if (strcmp(introduced[i].name, name) == 0)
			return introduced[i].version;
	return NULL;
}

const char *aoms_syscall_name_new(int nr)
{
	for (size_t i = 0; i < N(introduced); i++)
		if (introduced[i].nr == nr)
			return introduced[i].name;
	return NULL;
}

const char *aoms_syscall_fallback(enum aoms_syscall_runtime rt, const char *name)
{
	for (size_t i = 0; i < N(fallbacks); i++)
		if (fallbacks[i].rt == rt && strcmp(fallbacks[i].name, name) == 0)
			return fallbacks[i].what;
	return NULL;
}

const char *aoms_syscall_runtime_name(enum aoms_syscall_runtime rt)
{
	switch (rt) {
	case AOMS_SYSCALL_RT_GLIBC: return "glibc";
	case AOMS_SYSCALL_RT_MUSL: return "musl";
	case AOMS_SYSCALL_RT_GO: return "Go";
	default: return "unknown";
	}
}
