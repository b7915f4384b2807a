/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The executor: applies the package transaction an `aoms plan` approved for one host
 * on a system root with librpm, with a journal under the root that makes the change
 * reversible (`aoms rollback`), verified. docs/journal.md documents the journal, its
 * steps and the crash behaviour. Nothing here prints or reads argv; the one
 * environment variable it reads is the test hook AOMS_TEST_APPLY_KILL_AT.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "aoms-macro.h"

/* The steps of an apply in their order (docs/journal.md), NULL-terminated. A journal
 * records each as started, then done. */
extern const char *const aoms_apply_steps[];

/* Progress of a long phase: phase ("verify", "install", "erase", "cache"), the item
 * (a NEVRA or NULL), done of total. Called on the caller's thread. */
typedef void (*aoms_exec_progress_fn)(const char *phase, const char *item, unsigned done,
				      unsigned total, void *ud);

struct aoms_apply_opts {
	const char *plan;           /* the plan file (docs/plan-schema.md) */
	const char *root;           /* the system root ("/" for the running system) */
	/* directories of the target's RPMs: a plan's resolved package is read from the one
	 * whose repodata/repomd.xml is the repository the plan names (the first, before
	 * plan schema 1.4); otherwise they are one set */
	const char *const *repos;
	size_t n_repos;
	const char *const *source_repos;   /* of the installed packages' RPMs: one set */
	size_t n_source_repos;
	const char *host;           /* the plan's host entry; NULL: the one whose
				     * fingerprint matches the root */
	bool dry_run;               /* compute and describe, change nothing */
	aoms_exec_progress_fn progress;
	void *progress_ud;
};

/* One line of the description of what apply does or did to a file. */
struct aoms_exec_change {
	char *path;                 /* root-relative, "/etc/os-release" */
	char *what;                 /* "back up", "keep user's content (new: X.rpmnew)", ... */
};

struct aoms_apply_result {
	char *host;                 /* the plan's host entry used */
	char *journal;              /* the journal id (NULL for a dry run) */
	bool resumed;               /* an interrupted apply was finished */
	char **erase, **install;    /* NEVRAs, sorted */
	size_t n_erase, n_install;
	struct aoms_exec_change *changes;
	size_t n_changes;
	char **notes;               /* what was left to the operator, one line each */
	size_t n_notes;
};
void aoms_apply_result_free(struct aoms_apply_result *r);
DEFINE_FREE_FUNC(struct aoms_apply_result, aoms_apply_result_free)

/*
 * Applies the plan's transaction for one host on o->root (or, with o->dry_run, only
 * works it out). Returns 0 and *ret (caller frees) when applied or described;
 * otherwise nothing under the root has changed except, for a failure after the journal
 * was started, the journal itself, and *ret_reason (caller frees) says why in one line:
 *   -ECANCELED  the plan blocks this host (the CLI's exit 8);
 *   -ESTALE     the root's packages, the database or aoms changed since the assessment,
 *               or no host of the plan matches this root;
 *   -EBADMSG    the plan is not a well-formed aoms plan (edited by hand);
 *   -EBUSY      another apply or rollback holds the root's lock;
 *   -EALREADY   this plan was applied already (journal complete), or an interrupted
 *               apply cannot be resumed: roll it back first;
 *   -ENOENT     a package the transaction needs is in no repository given, or a
 *               repository the plan names is not among o->repos;
 *   -EBADE      a package's checksum or signature does not verify;
 *   -ENOEXEC    librpm finds problems with the transaction (dependencies, conflicts,
 *               disk space); nothing was changed;
 *   -EROFS, -ENOSPC, -EIO, -ENOMEM, another -errno.
 */
int aoms_apply(const struct aoms_apply_opts *o, struct aoms_apply_result **ret,
	       char **ret_reason);

struct aoms_rollback_opts {
	const char *root;
	aoms_exec_progress_fn progress;
	void *progress_ud;
};

struct aoms_rollback_result {
	char *journal;
	char **unrestored;          /* what could not be restored or verified, one line each */
	size_t n_unrestored;
	char **notes;               /* what rollback did */
	size_t n_notes;
};
void aoms_rollback_result_free(struct aoms_rollback_result *r);
DEFINE_FREE_FUNC(struct aoms_rollback_result, aoms_rollback_result_free)

/*
 * Returns the root to the state the newest journal recorded before its apply: the same
 * NEVRA set in the rpmdb and byte-identical saved files, then verifies both. Returns 0
 * and *ret (caller frees): the root is restored when (*ret)->n_unrestored is 0,
 * otherwise each thing not restored is listed. Errors (nothing changed), with
 * *ret_reason: -ENOENT no journal; -EBADMSG the journal is damaged (a checksum of the
 * manifest fails) and is not trusted; -EBUSY the lock is held; -errno.
 */
int aoms_rollback(const struct aoms_rollback_opts *o, struct aoms_rollback_result **ret,
		  char **ret_reason);
