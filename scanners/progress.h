/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where a long run is, for a progress indicator: aoms scan's and aoms db build's line
 * on a TTY (tools/ draws it). The scanners tell it through a throttle that several
 * worker threads may call on every file: at most one call every
 * AOMS_PROGRESS_MS, skipped while another thread is telling, always at a phase's
 * end.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct aoms_progress_info {
	const char *phase;   /* scan: "reading" (walk, classify, read), then "checking";
			      * db build: "libraries", "packages", "kernels" */
	const char *unit;    /* what done and total count: "files", "packages" */
	size_t done;         /* of this phase */
	size_t total;        /* found; while walking, so far */
	bool walking;        /* the walk still finds more */
	bool end;            /* the phase's last call */
};

typedef void (*aoms_progress_fn)(const struct aoms_progress_info *p, void *ud);

#define AOMS_PROGRESS_MS 200

struct aoms_progress {
	aoms_progress_fn fn;   /* NULL: no progress; every call below is then a no-op */
	void *ud;
	long long last_ns;     /* atomic: the last call's CLOCK_MONOTONIC time */
	pthread_mutex_t lock;  /* one call at a time */
};

/* fn may be NULL. */
void aoms_progress_init(struct aoms_progress *pr, aoms_progress_fn fn, void *ud);
void aoms_progress_release(struct aoms_progress *pr);
/* Starts the throttle again (a new phase). */
void aoms_progress_restart(struct aoms_progress *pr);
/* Whether a call is due now (always when end); when true, the caller holds the
 * turn and must pass it on with aoms_progress_tell(). */
bool aoms_progress_due(struct aoms_progress *pr, bool end);
/* Calls fn with p, then gives the turn back. */
void aoms_progress_tell(struct aoms_progress *pr, const struct aoms_progress_info *p);
/* Both: tells p when a call is due. */
void aoms_progress_update(struct aoms_progress *pr, const struct aoms_progress_info *p);
