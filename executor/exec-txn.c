/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One librpm transaction on the root: erase elements (by rpmdb offset) and install
 * elements (package headers, files opened by the notify callback) in one rpmts, then
 * rpmtsCheck and rpmtsOrder; any problem stops the run before rpmtsRun changes
 * anything. rpmtsRun itself checks disk space, file conflicts and each package's
 * digests (%_pkgverify_level) before its first change, and reports those as problems
 * too. Used by apply and by rollback (which installs from the journal's cache).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmps.h>
#include <rpm/rpmts.h>
#include "aoms-log.h"
#include "exec-private.h"
#include "rpm-setup.h"
#include "strbuf.h"

#define PROBLEMS_SHOWN 5

struct notify {
	aoms_exec_progress_fn progress;
	void *ud;
	unsigned done, total;
	FD_t fd;
	struct exec_strv errors;
};

static void *notify_cb(const void *arg, const rpmCallbackType what, const rpm_loff_t amount,
		       const rpm_loff_t total, fnpyKey key, rpmCallbackData data)
{
	struct notify *n = data;
	Header h = (Header)arg;

	switch (what) {
	case RPMCALLBACK_INST_OPEN_FILE:
		n->fd = Fopen(key, "r.ufdio");
		if (n->fd && Ferror(n->fd)) {
			Fclose(n->fd);
			n->fd = NULL;
		}
		return n->fd;
	case RPMCALLBACK_INST_CLOSE_FILE:
		if (n->fd)
			Fclose(n->fd);
		n->fd = NULL;
		break;
	case RPMCALLBACK_INST_START:
	case RPMCALLBACK_UNINST_START:
		if (n->progress) {
			_cleanup_(freep) char *nevra = h ? exec_header_nevra(h) : NULL;

			n->done++;
			n->progress(what == RPMCALLBACK_INST_START ? "install" : "erase", nevra,
				    n->done, n->total, n->ud);
		}
		break;
	case RPMCALLBACK_SCRIPT_ERROR:
	case RPMCALLBACK_UNPACK_ERROR:
	case RPMCALLBACK_CPIO_ERROR: {
		_cleanup_(freep) char *nevra = h ? exec_header_nevra(h) : NULL;

		exec_strv_addf(&n->errors, "%s: %s", nevra ? nevra : "?",
			       what == RPMCALLBACK_SCRIPT_ERROR ? "scriptlet failed" : "unpacking failed");
		break;
	}
	default:
		break;
	}
	return NULL;
}

/* "problem; problem; ... and N more" of ts into *reason. */
static int problems(rpmts ts, const char *when, char **reason)
{
	rpmps ps = rpmtsProblems(ts);
	rpmpsi it = rpmpsInitIterator(ps);
	struct exec_strv l = { 0 };
	_cleanup_(freep) char *joined = NULL;
	rpmProblem p;

	while ((p = rpmpsiNext(it))) {
		char *s = rpmProblemString(p);

		if (s)
			exec_strv_add(&l, s);
		free(s);
	}
	rpmpsFreeIterator(it);
	rpmpsFree(ps);
	if (!l.n)
		return 0;
	joined = exec_strv_join(&l, PROBLEMS_SHOWN);
	exec_strv_release(&l);
	return exec_fail(reason, -ENOEXEC, "%s: %s", when, joined ? joined : "problems");
}

struct erase_ctx {
	rpmts ts;
	const struct exec_strv *erase;
	struct exec_strv found;
};

static int add_erase(Header h, unsigned offset, const char *nevra, void *ud)
{
	struct erase_ctx *e = ud;

	if (!exec_strv_has(e->erase, nevra))
		return 0;
	if (rpmtsAddEraseElement(e->ts, h, (int)offset) != 0)
		return -EINVAL;
	return exec_strv_add(&e->found, nevra);
}

int exec_txn_run(struct exec_rpmdb *db, const struct exec_root *root, const struct exec_strv *erase,
		 struct exec_rpm *const *install, size_t n_install, bool check_only,
		 aoms_exec_progress_fn progress, void *ud, char **reason)
{
	struct notify n = { .progress = progress, .ud = ud, .total = (unsigned)(erase->n + n_install) };
	struct erase_ctx e = { .ts = db->ts, .erase = erase };
	struct aoms_rpm_capture cap;
	int r, rc;

	aoms_rpm_capture_begin(&cap);
	rpmtsEmpty(db->ts);   /* the check before the journal added the same elements */
	/* signatures were checked with the repository's keys (exec-repo.c); librpm checks
	 * the digests again before its first change */
	rpmtsSetVfyLevel(db->ts, RPMSIG_DIGEST_TYPE);
	r = exec_rpmdb_foreach(db, add_erase, &e);
	exec_strv_sort(&e.found);
	for (size_t i = 0; r == 0 && i < erase->n; i++)
		if (!exec_strv_has(&e.found, erase->v[i]))
			r = exec_fail(reason, -ESTALE, "%s is not installed in the root any more",
				      erase->v[i]);
	for (size_t i = 0; r == 0 && i < n_install; i++)
		if ((install[i]->reinstall ? rpmtsAddReinstallElement(db->ts, install[i]->h, install[i]->path) :
		     rpmtsAddInstallElement(db->ts, install[i]->h, install[i]->path, 0, NULL)) != 0)
			r = exec_fail(reason, -EINVAL, "librpm refuses to install %s%s%s",
				      install[i]->nevra, cap.error ? ": " : "", cap.error ? cap.error : "");
	if (r == 0 && rpmtsCheck(db->ts) != 0)
		r = exec_fail(reason, -EIO, "librpm's dependency check failed");
	if (r == 0)
		r = problems(db->ts, "the transaction does not check", reason);
	if (r == 0 && rpmtsOrder(db->ts) != 0)
		r = exec_fail(reason, -ENOEXEC, "the transaction cannot be ordered (dependency loop)");
	if (r < 0 || check_only)
		goto out;
	/* an interrupted run (apply or rollback) may have left librpm's temporaries */
	if ((r = exec_txn_clear_leftovers(root, install, n_install)) < 0) {
		r = exec_fail(reason, r, "cannot remove what an interrupted transaction left: %s",
			      strerror(-r));
		goto out;
	}
	if (r > 0)
		aoms_log(AOMS_LOG_INFO, "removed %d temporary file(s) an interrupted transaction left", r);
	r = 0;
	rpmtsSetNotifyCallback(db->ts, notify_cb, &n);
	rpmtsClean(db->ts);
	/* a distro-sync or a rollback may go down a version; the newer build is erased in
	 * the same transaction */
	rc = rpmtsRun(db->ts, NULL, RPMPROB_FILTER_OLDPACKAGE);
	if (rc < 0)
		r = exec_fail(reason, -EIO, "the transaction failed%s%s", cap.error ? ": " : "",
			      cap.error ? cap.error : "");
	else if (rc > 0 && (r = problems(db->ts, "the transaction stopped", reason)) == 0)
		r = exec_fail(reason, -EIO, "the transaction stopped: %d element(s) failed%s%s", rc,
			      cap.error ? ": " : "", cap.error ? cap.error : "");
	if (r == 0 && n.errors.n) {
		_cleanup_(freep) char *joined = exec_strv_join(&n.errors, PROBLEMS_SHOWN);

		aoms_log(AOMS_LOG_WARNING, "the transaction completed with errors: %s",
			 joined ? joined : "");
	}
out:
	aoms_rpm_capture_end(&cap);
	exec_strv_release(&e.found);
	exec_strv_release(&n.errors);
	return r;
}
