/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librpm's process-wide set-up, for every aoms layer that uses librpm (the
 * package readers of scanners/, the executor).
 *
 * librpm keeps process-global state: its macro context (which the rpmdb reader
 * changes for the duration of a read), its log callback, its configuration. aoms
 * code that uses librpm therefore
 *  - calls aoms_rpm_lib_init() first, never rpmReadConfigFiles() or
 *    rpmlogSetCallback() itself: librpm is initialised once per process, and its
 *    messages go to aoms_log() or into a capture (below), so librpm never prints
 *    on its own while aoms runs;
 *  - holds the process-wide recursive lock around whatever depends on that global
 *    state (walking an rpmdb, a transaction, forking a package reader): such
 *    sections never run concurrently (a caller on another thread waits). Work on
 *    distinct objects that needs no global state (payload streaming) runs in
 *    parallel.
 * Depends on common/ and librpm only.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/*
 * Initialises librpm once per process (thread-safe): reads rpm's configuration
 * and installs the log routing. Returns 0, or -EIO with a one-line reason in
 * *ret_reason (if given; the caller frees it) when rpm's configuration cannot be
 * read. Later calls return the first call's result.
 */
int aoms_rpm_lib_init(char **ret_reason);

/* The process-wide librpm lock (recursive). */
void aoms_rpm_lock(void);
void aoms_rpm_unlock(void);

/*
 * fork() while holding the librpm lock (for a child that only calls librpm; the
 * package readers spawn instead, scanners/rpm-child.h), so that the child never inherits
 * librpm's global state half-changed by another thread; in the child the lock is
 * fresh (unlocked) and the child is the only thread. Returns what fork()
 * returns (-1 and errno on failure). The child must leave with _exit().
 */
pid_t aoms_rpm_fork(void);

/*
 * Collects librpm's messages logged by the calling thread between begin and end
 * instead of passing them to aoms_log(): the first error and the first warning,
 * each one line. Captures nest. Both strings are heap strings freed by end();
 * steal them with TAKE_PTR before.
 */
struct aoms_rpm_capture {
	char *error;
	char *warning;
	struct aoms_rpm_capture *prev;
};
void aoms_rpm_capture_begin(struct aoms_rpm_capture *c);
void aoms_rpm_capture_end(struct aoms_rpm_capture *c);

/* Whether the running librpm is at least major.minor (RPMVERSION). */
bool aoms_rpm_version_atleast(int major, int minor);
