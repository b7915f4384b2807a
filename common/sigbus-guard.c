/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SIGBUS on guarded mappings turned into -EIO (sigbus-guard.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include "sigbus-guard.h"

struct guard {
	sigjmp_buf jb;
	uintptr_t lo, hi;
	struct guard *prev;
};

/* The innermost guard of this thread (initial-exec TLS: safe in a handler). */
static __thread struct guard *current;
static struct sigaction previous;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t at = (uintptr_t)si->si_addr;

	(void)sig;
	(void)uc;
	for (struct guard *g = current; g; g = g->prev)
		if (at >= g->lo && at < g->hi)
			siglongjmp(g->jb, 1);
	/* Not a guarded read: give the signal back to its previous handler, which sees it
	 * when the faulting access runs again on return. */
	sigaction(SIGBUS, &previous, NULL);
}

static void install(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &previous);
}

int aoms_sigbus_guarded(const void *map, size_t len, int (*fn)(void *ud), void *ud)
{
	struct guard g = { .lo = (uintptr_t)map, .hi = (uintptr_t)map + len, .prev = current };
	int r;

	pthread_once(&installed, install);
	/* savemask: the handler runs with SIGBUS blocked; the jump unblocks it. */
	if (sigsetjmp(g.jb, 1)) {
		current = g.prev;
		return -EIO;
	}
	current = &g;
	r = fn(ud);
	current = g.prev;
	return r;
}
