/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The progress throttle (progress.h), shared by the scan and the database build. */
#include <time.h>
#include "progress.h"

static long long progress_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void aoms_progress_init(struct aoms_progress *pr, aoms_progress_fn fn, void *ud)
{
	pr->fn = fn;
	pr->ud = ud;
	pthread_mutex_init(&pr->lock, NULL);
	aoms_progress_restart(pr);
}

void aoms_progress_release(struct aoms_progress *pr)
{
	pthread_mutex_destroy(&pr->lock);
}

void aoms_progress_restart(struct aoms_progress *pr)
{
	__atomic_store_n(&pr->last_ns, progress_now_ns(), __ATOMIC_RELAXED);
}

bool aoms_progress_due(struct aoms_progress *pr, bool end)
{
	long long now;

	if (!pr->fn)
		return false;
	now = progress_now_ns();
	if (!end && now - __atomic_load_n(&pr->last_ns, __ATOMIC_RELAXED) <
			    AOMS_PROGRESS_MS * 1000000LL)
		return false;
	if (end)
		pthread_mutex_lock(&pr->lock);
	else if (pthread_mutex_trylock(&pr->lock) != 0)
		return false;
	__atomic_store_n(&pr->last_ns, now, __ATOMIC_RELAXED);
	return true;
}

void aoms_progress_tell(struct aoms_progress *pr, const struct aoms_progress_info *p)
{
	pr->fn(p, pr->ud);
	pthread_mutex_unlock(&pr->lock);
}

void aoms_progress_update(struct aoms_progress *pr, const struct aoms_progress_info *p)
{
	if (aoms_progress_due(pr, p->end))
		aoms_progress_tell(pr, p);
}
