/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * aoms_rollback(): from the current journal only (never from the plan or a
 * repository), after its manifest verifies: one transaction that erases what the root
 * has and the journal's original set lacks and reinstalls from the journal's cached
 * RPMs what it lacks, then every saved file back byte for byte (content, type, mode,
 * owner, mtime), what the apply created removed, and a check of both against the
 * journal. Whatever does not match is listed; the journal stays current until a
 * rollback verifies, so a rollback can be run again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "exec-private.h"
#include "strbuf.h"

#define ROLLBACK_TEXT_MAX (256u << 20)

struct rollback {
	const struct aoms_rollback_opts *o;
	struct exec_root root;
	int lockfd;
	struct exec_journal j;
	struct exec_rpmdb db;
	struct exec_strv orig;        /* the original NEVRAs */
	struct exec_files files;
	struct exec_strv created;
	struct exec_strv touched;     /* the NEVRAs the apply's transaction erased, sorted */
	struct exec_strv changed;     /* of those, installed still, with files changed */
	struct exec_repo cache;       /* the journal's rpms/ */
	struct exec_strv unrestored, notes;
	char **reason;
};

void aoms_rollback_result_free(struct aoms_rollback_result *r)
{
	if (!r)
		return;
	free(r->journal);
	for (size_t i = 0; i < r->n_unrestored; i++)
		free(r->unrestored[i]);
	for (size_t i = 0; i < r->n_notes; i++)
		free(r->notes[i]);
	free(r->unrestored);
	free(r->notes);
	free(r);
}

static int load(struct rollback *rb, bool sealed)
{
	_cleanup_(freep) char *text = NULL;
	size_t len;
	int r = exec_read_lines(rb->j.dirfd, "packages", &rb->orig);

	if (r < 0)
		return exec_fail(rb->reason, sealed ? -EBADMSG : r, "journal %s: cannot read its "
				 "package list: %s", rb->j.id, strerror(-r));
	exec_strv_sort(&rb->orig);
	r = exec_read_at(rb->j.dirfd, "files", ROLLBACK_TEXT_MAX, &text, &len);
	if (r == 0)
		r = exec_files_parse(text, &rb->files);
	if (r < 0)
		return exec_fail(rb->reason, r == -ENOMEM ? r : -EBADMSG, "journal %s: cannot read its "
				 "file list: %s", rb->j.id, strerror(-r));
	if ((r = exec_journal_created_list(&rb->j, &rb->created)) < 0)
		return r;
	/* "erase NEVRA" lines of the transaction */
	{
		struct exec_strv lines = { 0 };

		r = exec_read_lines(rb->j.dirfd, "transaction", &lines);
		for (size_t i = 0; r == 0 && i < lines.n; i++)
			if (strncmp(lines.v[i], "erase ", 6) == 0)
				r = exec_strv_add(&rb->touched, lines.v[i] + 6);
		exec_strv_release(&lines);
		exec_strv_sort(&rb->touched);
	}
	return r == -ENOENT && !sealed ? 0 : r;
}

/* Collects the packages of the apply's transaction whose files differ now. */
static int on_touched(struct headerToken_s *h, unsigned offset, const char *nevra, void *ud)
{
	struct rollback *rb = ud;

	if (!exec_strv_has(&rb->touched, nevra) || !exec_header_files_changed(&rb->root, h))
		return 0;
	return exec_strv_add(&rb->changed, nevra);
}

/* The transaction back to the original package set, from the journal's rpms/. */
static int restore_packages(struct rollback *rb)
{
	struct exec_installed now = { 0 };
	struct exec_strv erase = { 0 };
	struct exec_rpm **install = NULL;
	size_t n_install = 0;
	_cleanup_(freep) char *rpms = aoms_strdupf("/proc/self/fd/%d/rpms", rb->j.dirfd);
	int r = 0;

	if (!rpms || (r = exec_installed_read(&rb->db, &now)) < 0 ||
	    (r = exec_rpmdb_foreach(&rb->db, on_touched, rb)) < 0)
		return r < 0 ? r : -ENOMEM;
	exec_strv_sort(&rb->changed);
	/* a package of the transaction listed twice (a transaction that died between
	 * writing the new entry and removing the old one): reinstalled from the cache,
	 * which replaces every entry of it */
	for (size_t i = 0; r == 0 && i + 1 < now.nevras.n; i++)
		if (strcmp(now.nevras.v[i], now.nevras.v[i + 1]) == 0 &&
		    exec_strv_has(&rb->touched, now.nevras.v[i]) &&
		    !exec_strv_has(&rb->changed, now.nevras.v[i]))
			r = exec_strv_add(&rb->changed, now.nevras.v[i]);
	exec_strv_sort(&rb->changed);
	exec_strv_uniq(&rb->changed);
	rb->cache.dir = rpms;
	for (size_t i = 0; r == 0 && i < now.nevras.n; i++)
		if (!exec_strv_has(&rb->orig, now.nevras.v[i]))
			r = exec_strv_add(&erase, now.nevras.v[i]);
	if (r == 0 && !(install = calloc(rb->orig.n + 1, sizeof(*install))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < rb->orig.n; i++) {
		_cleanup_(freep) char *name = NULL, *why = NULL;

		if (exec_strv_has(&now.nevras, rb->orig.v[i]))
			continue;
		if (!(name = aoms_strdupf("%s.rpm", rb->orig.v[i])))
			r = -ENOMEM;
		else if (exec_repo_add(&rb->cache, name, NULL, &why) < 0)
			r = exec_strv_addf(&rb->unrestored, "%s: not reinstalled: %s", rb->orig.v[i],
					   why ? why : "no usable RPM in the journal");
	}
	/* packages of the transaction still installed whose files it changed before it
	 * died: reinstalled from the cache */
	for (size_t i = 0; r == 0 && i < rb->touched.n; i++) {
		_cleanup_(freep) char *name = NULL, *why = NULL;
		struct exec_rpm *k;

		if (!exec_strv_has(&rb->changed, rb->touched.v[i]))
			continue;
		if (!(name = aoms_strdupf("%s.rpm", rb->touched.v[i])))
			r = -ENOMEM;
		else if (exec_repo_add(&rb->cache, name, &k, &why) < 0)
			r = exec_strv_addf(&rb->unrestored, "%s: files changed, not reinstalled: %s",
					   rb->touched.v[i], why ? why : "no usable RPM in the journal");
		else
			k->reinstall = true;
	}
	/* the cache's array is complete: take the pointers */
	for (size_t i = 0; r == 0 && i < rb->cache.n; i++)
		install[n_install++] = &rb->cache.v[i];
	exec_strv_sort(&erase);
	if (r == 0 && (erase.n || n_install)) {
		_cleanup_(freep) char *why = NULL;

		if (exec_txn_run(&rb->db, &rb->root, &erase, install, n_install, false, rb->o->progress,
				 rb->o->progress_ud, &why) < 0)
			r = exec_strv_addf(&rb->unrestored, "the package transaction failed: %s",
					   why ? why : "librpm error");
		else
			r = rb->changed.n ?
			    exec_strv_addf(&rb->notes, "erased %zu package(s), installed %zu from the "
					   "journal (%zu reinstalled: the interrupted transaction had "
					   "changed their files)", erase.n, n_install, rb->changed.n) :
			    exec_strv_addf(&rb->notes, "erased %zu package(s), installed %zu from the "
					   "journal", erase.n, n_install);
	}
	free(install);
	exec_strv_release(&erase);
	exec_installed_release(&now);
	return r;
}

static bool same_state(const struct exec_file *want, const struct exec_file *now)
{
	if (want->kind != now->kind && !(want->kind == EXEC_NODIR && now->kind == EXEC_ABSENT))
		return false;
	if (want->kind == EXEC_REG)
		return strcmp(want->sha256, now->sha256) == 0 && (want->mode & 07777) == (now->mode & 07777) &&
		       want->uid == now->uid && want->gid == now->gid;
	if (want->kind == EXEC_LINK)
		return strcmp(want->link, now->link) == 0;
	return true;
}

/* Removes directory dfd/name and everything under it, never following a symlink. */
static int remove_tree(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	int r = 0;

	if (!d) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type == DT_DIR)
			r = remove_tree(dirfd(d), de->d_name);
		else if (unlinkat(dirfd(d), de->d_name, 0) < 0)
			r = errno == EISDIR ? remove_tree(dirfd(d), de->d_name) : -errno;
	}
	closedir(d);
	if (r == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	return r;
}

static int put_back(struct rollback *rb, const struct exec_file *e)
{
	const char *base;
	_cleanup_(closep) int dfd = exec_root_parent(&rb->root, e->path, e->kind == EXEC_REG ||
						     e->kind == EXEC_LINK, &base);
	struct stat st;

	if (dfd == -ENOENT && (e->kind == EXEC_ABSENT || e->kind == EXEC_NODIR))
		return 0;
	if (dfd < 0)
		return dfd;
	if (e->kind == EXEC_NODIR)
		return unlinkat(dfd, base, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : exec_fsync_dir(dfd);
	if (e->kind == EXEC_ABSENT) {
		if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return errno == ENOENT ? 0 : -errno;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		return unlinkat(dfd, base, 0) < 0 ? -errno : exec_fsync_dir(dfd);
	}
	if (e->kind == EXEC_LINK) {
		_cleanup_(freep) char *tmp = aoms_strdupf(".%s.aoms-link", base);

		if (!tmp)
			return -ENOMEM;
		unlinkat(dfd, tmp, 0);
		if (symlinkat(e->link, dfd, tmp) < 0 || fchownat(dfd, tmp, e->uid, e->gid, AT_SYMLINK_NOFOLLOW) < 0)
			goto link_failed;
		/* a directory where the link was (a link to a directory out of the root, which
		 * librpm replaced by a directory inside it): made by the apply's transaction
		 * or the rollback's, with what they put there -- the link comes back */
		if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
			int r = remove_tree(dfd, base);

			if (r < 0) {
				unlinkat(dfd, tmp, 0);
				return r;
			}
		}
		if (renameat(dfd, tmp, dfd, base) < 0)
			goto link_failed;
		return exec_fsync_dir(dfd);
link_failed:
		{
			int r = -errno;

			unlinkat(dfd, tmp, 0);
			return r;
		}
	}
	{
		_cleanup_(freep) char *copy = aoms_strdupf("files.d/%s", e->sha256);
		_cleanup_(closep) int in = copy ? openat(rb->j.dirfd, copy, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
		struct stat meta = { .st_mode = e->mode, .st_uid = e->uid, .st_gid = e->gid };
		int r;

		if (in < 0)
			return copy ? -errno : -ENOMEM;
		meta.st_mtim = (struct timespec){ e->mtime, e->mtime_ns };
		meta.st_atim = meta.st_mtim;
		/* a directory where the file was (rare): not ours to remove */
		if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			return -EISDIR;
		r = exec_copy_at(dfd, base, in, &meta);
		return r < 0 ? r : exec_file_relabel(dfd, base, e);
	}
}

static int restore_files(struct rollback *rb)
{
	size_t restored = 0;
	int r = 0;

	/* what a post-step created and the apply did not find there */
	for (size_t i = 0; r == 0 && i < rb->created.n; i++) {
		struct exec_file e = { .path = rb->created.v[i], .kind = EXEC_ABSENT };
		bool watched = false;
		int e2;

		for (size_t k = 0; k < rb->files.n; k++)
			watched = watched || strcmp(rb->files.v[k].path, e.path) == 0;
		if (!watched && (e2 = put_back(rb, &e)) < 0)
			r = exec_strv_addf(&rb->unrestored, "%s: cannot remove: %s", e.path, strerror(-e2));
	}
	/* deepest first, so that new directories are empty when their turn comes */
	for (size_t i = rb->files.n; r == 0 && i-- > 0;) {
		struct exec_file *want = &rb->files.v[i], now = { .path = want->path, .kind = want->kind };
		int e = exec_file_stat(&rb->root, &now);

		if (e == 0 && same_state(want, &now)) {
			/* the mtime is restored too when the bytes are the same */
			if (want->kind == EXEC_REG && (now.mtime != want->mtime || now.mtime_ns != want->mtime_ns))
				e = put_back(rb, want);
		} else {
			e = put_back(rb, want);
			restored += e == 0;
		}
		free(now.link);
		free(now.label);
		if (e < 0)
			r = exec_strv_addf(&rb->unrestored, "%s: cannot restore: %s", want->path, strerror(-e));
	}
	return r < 0 ? r : exec_strv_addf(&rb->notes, "restored %zu file(s) of %zu saved", restored,
					   rb->files.n);
}

/* The packages and saved files against the journal, the rpmdb read again from its
 * files (the transaction's own handle may show a commit a full disk lost). */
static int verify(struct rollback *rb)
{
	struct exec_installed now = { 0 };
	struct exec_strv damaged = { 0 };
	int r = exec_rpmdb_reopen(&rb->db, rb->o->root, false, rb->reason);

	if (r == 0)
		r = exec_installed_read(&rb->db, &now);
	for (size_t i = 0; r == 0 && i < rb->orig.n; i++)
		if (!exec_strv_has(&now.nevras, rb->orig.v[i]))
			r = exec_strv_addf(&rb->unrestored, "%s: not installed after the rollback", rb->orig.v[i]);
	for (size_t i = 0; r == 0 && i < now.nevras.n; i++)
		if (!exec_strv_has(&rb->orig, now.nevras.v[i]))
			r = exec_strv_addf(&rb->unrestored, "%s: installed, not in the original set",
					   now.nevras.v[i]);
		else if (i > 0 && strcmp(now.nevras.v[i - 1], now.nevras.v[i]) == 0)
			r = exec_strv_addf(&rb->unrestored, "%s: listed twice in the rpmdb",
					   now.nevras.v[i]);
	/* the packages the apply's transaction erased are back with all their files */
	if (r == 0 && rb->touched.n && (r = exec_rpmdb_damaged(&rb->db, &rb->root, &rb->touched, &damaged)) == 0)
		for (size_t i = 0; r == 0 && i < damaged.n; i++)
			r = exec_strv_addf(&rb->unrestored, "%s: files missing or differing after the "
					   "rollback", damaged.v[i]);
	exec_strv_release(&damaged);
	for (size_t i = 0; r == 0 && i < rb->files.n; i++) {
		struct exec_file *want = &rb->files.v[i], now_f = { .path = want->path, .kind = want->kind };
		int e = exec_file_stat(&rb->root, &now_f);

		if (e < 0 || (e == 0 && !same_state(want, &now_f)) || (e > 0 && want->kind != EXEC_NODIR))
			r = exec_strv_addf(&rb->unrestored, "%s: differs from the journal's copy after the "
					   "rollback", want->path);
		free(now_f.link);
		free(now_f.label);
	}
	exec_installed_release(&now);
	return r;
}

static int run(struct rollback *rb)
{
	struct exec_journal_state st;
	struct exec_strv bad = { 0 };
	bool sealed, changed, incomplete = false;
	int r;

	if ((r = exec_root_open(rb->o->root, &rb->root)) < 0)
		return exec_fail(rb->reason, r, "cannot open root '%s': %s", rb->o->root, strerror(-r));
	if ((r = exec_lock(&rb->root, &rb->lockfd, rb->reason)) < 0)
		return r;
	r = exec_journal_open(&rb->root, &rb->j, rb->reason);
	if (r == -ENOENT)
		return exec_fail(rb->reason, r, "no journal under '%s%s': nothing to roll back",
				 rb->o->root, EXEC_JOURNAL_DIR);
	if (r < 0 || (r = exec_journal_state(&rb->j, &st)) < 0)
		return exec_fail(rb->reason, r, "cannot read the journal: %s", strerror(-r));
	r = exec_journal_verify(&rb->j, &bad);
	sealed = r != -ENOENT;
	if (r == 0 && bad.n) {
		_cleanup_(freep) char *joined = exec_strv_join(&bad, 5);

		r = exec_fail(rb->reason, -EBADMSG, "journal %s is damaged and not trusted: %s",
			      rb->j.id, joined ? joined : "");
	}
	exec_strv_release(&bad);
	if (r < 0 && r != -ENOENT)
		return exec_fail(rb->reason, r, "cannot verify journal %s: %s", rb->j.id, strerror(-r));
	if (!sealed && st.started[exec_step_index("transaction")])
		return exec_fail(rb->reason, -EBADMSG, "journal %s has no manifest but its transaction "
				 "started: it is damaged and not trusted", rb->j.id);
	changed = st.started[exec_step_index("transaction")];
	if ((r = load(rb, sealed)) < 0 && changed)
		return r;
	if (r < 0) {
		/* the apply died while it wrote its first artifacts (a full disk, a kill):
		 * it had not touched the root, and there is nothing to check it against */
		if (rb->reason) {
			free(*rb->reason);
			*rb->reason = NULL;
		}
		incomplete = true;
	}
	if (!st.rolled_back && (r = exec_journal_step(&rb->j, "rollback", "started")) < 0)
		return exec_fail(rb->reason, r, "cannot write the journal's step log: %s", strerror(-r));
	if ((r = exec_rpmdb_open(rb->o->root, true, NULL, &rb->db, rb->reason)) < 0)
		return r;
	if (st.rolled_back)
		r = exec_strv_addf(&rb->notes, "journal %s was rolled back already; verified again", rb->j.id);
	else if (!changed)
		r = exec_strv_addf(&rb->notes, "the apply of journal %s stopped before its transaction: "
				   "the packages were not changed%s", rb->j.id, incomplete ?
				   " (its journal is incomplete: nothing to restore)" : "");
	if (r == 0 && !st.rolled_back && changed)
		r = restore_packages(rb);
	if (r == 0 && !st.rolled_back)
		r = restore_files(rb);
	if (r == 0 && !incomplete)
		r = verify(rb);
	if (r == 0 && !rb->unrestored.n && !st.rolled_back)
		r = exec_journal_step(&rb->j, "rollback", "done");
	return r;
}

int aoms_rollback(const struct aoms_rollback_opts *opts, struct aoms_rollback_result **ret,
		  char **ret_reason)
{
	/* librpm wants an absolute root */
	_cleanup_(freep) char *root = realpath(opts->root, NULL);
	struct aoms_rollback_opts oo = *opts, *o = &oo;
	struct rollback rb = { .o = o, .root = { .fd = -1 }, .lockfd = -1,
			       .j = { .dirfd = -1, .basefd = -1 }, .reason = ret_reason };
	struct aoms_rollback_result *res;
	int r;

	if (!root)
		return exec_fail(ret_reason, -errno, "cannot open root '%s': %s", opts->root,
				 strerror(errno));
	oo.root = root;
	res = calloc(1, sizeof(*res));
	r = res ? run(&rb) : -ENOMEM;

	if (r >= 0 && !(res->journal = strdup(rb.j.id)))
		r = -ENOMEM;
	if (r >= 0) {
		exec_strv_take(&rb.unrestored, &res->unrestored, &res->n_unrestored);
		exec_strv_take(&rb.notes, &res->notes, &res->n_notes);
	}
	exec_rpmdb_close(&rb.db);
	rb.cache.dir = NULL;
	exec_repo_release(&rb.cache);
	exec_files_release(&rb.files);
	exec_strv_release(&rb.created);
	exec_strv_release(&rb.touched);
	exec_strv_release(&rb.changed);
	exec_strv_release(&rb.orig);
	exec_strv_release(&rb.unrestored);
	exec_strv_release(&rb.notes);
	exec_journal_close(&rb.j);
	if (rb.lockfd >= 0)
		close(rb.lockfd);
	exec_root_close(&rb.root);
	if (r < 0) {
		aoms_rollback_result_free(res);
		return r;
	}
	*ret = res;
	return 0;
}
