/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * aoms_apply(): the checks that refuse before any change (lock, an interrupted
 * journal, the plan's host and decision, staleness, repositories, librpm's check),
 * then the journal's preparation steps, the transaction and the post-steps, each
 * recorded as started and done (docs/journal.md). An apply interrupted after the
 * transaction is finished by the next apply; one interrupted inside it is refused
 * (roll it back); one interrupted before it had changed nothing and starts over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmtag.h>
#include "config.h"
#include "exec-private.h"
#include "rootfs.h"
#include "strbuf.h"

#define APPLY_TEXT_MAX (256u << 20)

struct apply {
	const struct aoms_apply_opts *o;
	struct exec_root root;
	int lockfd;
	struct exec_rpmdb db;
	struct exec_installed inst;
	struct exec_plan plan;
	struct exec_repo *repos, *srcs;  /* each --repo, each --source-repo */
	struct exec_txn txn;
	struct exec_strv kernels;        /* kvers of the kernels installed */
	struct exec_rpm **cache;         /* the erased packages' RPMs, parallel to txn.erase */
	struct exec_files files;
	struct exec_journal j;
	struct exec_post post;
	struct aoms_apply_result *res;
	char **reason;
};

void aoms_apply_result_free(struct aoms_apply_result *r)
{
	if (!r)
		return;
	free(r->host);
	free(r->journal);
	for (size_t i = 0; i < r->n_erase; i++)
		free(r->erase[i]);
	for (size_t i = 0; i < r->n_install; i++)
		free(r->install[i]);
	for (size_t i = 0; i < r->n_changes; i++) {
		free(r->changes[i].path);
		free(r->changes[i].what);
	}
	for (size_t i = 0; i < r->n_notes; i++)
		free(r->notes[i]);
	free(r->erase);
	free(r->install);
	free(r->changes);
	free(r->notes);
	free(r);
}

static int add_change(struct aoms_apply_result *res, const char *path, const char *what)
{
	struct aoms_exec_change *v = realloc(res->changes, (res->n_changes + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	res->changes = v;
	v[res->n_changes] = (struct aoms_exec_change){ strdup(path), strdup(what) };
	if (!v[res->n_changes].path || !v[res->n_changes].what)
		return -ENOMEM;
	res->n_changes++;
	return 0;
}

static int add_note(struct aoms_apply_result *res, const char *note)
{
	char **v = realloc(res->notes, (res->n_notes + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	res->notes = v;
	if (!(v[res->n_notes] = strdup(note)))
		return -ENOMEM;
	res->n_notes++;
	return 0;
}

/* ---- checks before any change ---- */

/* The root's host name as `aoms assess` reads it (etc/hostname, first word); NULL
 * when the root has none. */
/* A plan entry is for one host: the root must be that host (its etc/hostname, when it
 * has one, is the name assess gave it), whatever --host names. */
static int check_host(struct apply *a)
{
	_cleanup_(freep) char *name = aoms_root_hostname(a->o->root);

	if (name && strcmp(name, a->plan.host) != 0)
		return exec_fail(a->reason, -ESTALE, "the plan's host '%s' is not this root: its "
				 "etc/hostname says '%s'; apply the plan of host '%s' (or assess and plan "
				 "this root)", a->plan.host, name, name);
	return 0;
}

static int check_plan(struct apply *a)
{
	const struct exec_plan *p = &a->plan;

	/* before anything the entry says is believed */
	if (p->digest == -ENOKEY)
		return exec_fail(a->reason, -EBADMSG, "host '%s' of the plan has no digest (a plan "
				 "written before plan schema 1.2, or edited by hand): plan again with "
				 "this aoms", p->host);
	if (p->digest < 0)
		return exec_fail(a->reason, -EBADMSG, "host '%s' of the plan was edited by hand: its "
				 "digest does not match its content; plan again", p->host);
	if (strcmp(p->decision, "block") == 0)
		return exec_fail(a->reason, -ECANCELED, "the plan blocks host '%s' (%zu blocking "
				 "item(s)): nothing was changed", p->host, p->n_blocking);
	if (strcmp(p->fp_fingerprint, a->inst.fingerprint) != 0 ||
	    strtoull(p->fp_packages, NULL, 10) != a->inst.nevras.n)
		return exec_fail(a->reason, -ESTALE, "the plan is stale: host '%s' was assessed with "
				 "%s packages (fingerprint %s), the root has %zu (fingerprint %s); "
				 "assess and plan again", p->host, p->fp_packages, p->fp_fingerprint,
				 a->inst.nevras.n, a->inst.fingerprint);
	if (strcmp(p->fp_aoms, AOMS_VERSION) != 0)
		return exec_fail(a->reason, -ESTALE, "the plan is stale: it was assessed by aoms %s, "
				 "this is aoms %s; assess and plan again", p->fp_aoms, AOMS_VERSION);
	/* the embedded database is this binary's; a database file must still be there */
	if (strcmp(p->fp_database, "embedded") != 0 && access(p->fp_database, R_OK) < 0)
		return exec_fail(a->reason, -ESTALE, "the plan is stale: its database '%s' is gone",
				 p->fp_database);
	return 0;
}

struct digest_ctx {
	const struct exec_strv *want;
	struct exec_strv nevra_digest;   /* "NEVRA DIGEST" of the installed packages in want */
};

static const char *header_digest(Header h)
{
	const char *d = headerGetString(h, RPMTAG_SHA256HEADER);

	return d ? d : headerGetString(h, RPMTAG_SHA1HEADER);
}

static int on_digest(Header h, unsigned offset, const char *nevra, void *ud)
{
	struct digest_ctx *c = ud;

	if (!exec_strv_has(c->want, nevra))
		return 0;
	return exec_strv_addf(&c->nevra_digest, "%s %s", nevra, header_digest(h) ? header_digest(h) : "-");
}

/* The erased packages' own builds in the --source-repo directories (as one set), for
 * the rollback. */
static int find_sources(struct apply *a)
{
	struct digest_ctx c = { .want = &a->txn.erase };
	struct exec_repo *src = &a->srcs[0];
	int r;

	if (!a->txn.erase.n)
		return 0;
	if ((r = exec_repo_scan_all(a->srcs, a->o->n_source_repos, a->reason)) < 0 ||
	    (r = exec_rpmdb_foreach(&a->db, on_digest, &c)) < 0)
		goto out;
	exec_strv_sort(&c.nevra_digest);
	if (!(a->cache = calloc(a->txn.erase.n, sizeof(*a->cache)))) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; r == 0 && i < a->txn.erase.n; i++) {
		const char *nevra = a->txn.erase.v[i], *installed = NULL;
		size_t len = strlen(nevra);

		for (size_t k = 0; k < c.nevra_digest.n && !installed; k++)
			if (strncmp(c.nevra_digest.v[k], nevra, len) == 0 && c.nevra_digest.v[k][len] == ' ')
				installed = c.nevra_digest.v[k] + len + 1;
		for (size_t k = 0; k < src->n && !a->cache[i]; k++)
			if (strcmp(src->v[k].nevra, nevra) == 0)
				a->cache[i] = &src->v[k];
		if (!a->cache[i] && a->o->n_source_repos > 1)
			r = exec_fail(a->reason, -ENOENT, "no source repository (--source-repo) has an "
				      "RPM of installed package %s, which a rollback needs", nevra);
		else if (!a->cache[i])
			r = exec_fail(a->reason, -ENOENT, "the source repository '%s' has no RPM of "
				      "installed package %s, which a rollback needs", src->dir, nevra);
		else if (installed && strcmp(installed, "-") != 0 && header_digest(a->cache[i]->h) &&
			 strcmp(installed, header_digest(a->cache[i]->h)) != 0)
			r = exec_fail(a->reason, -EBADE, "'%s' is another build of %s than the "
				      "installed one (header digests differ)", a->cache[i]->path, nevra);
	}
out:
	exec_strv_release(&c.nevra_digest);
	return r;
}

/* librpm's whole-package check of everything the transaction and the rollback read. */
static int verify_packages(struct apply *a)
{
	unsigned total = (unsigned)(a->txn.n_install + (a->cache ? a->txn.erase.n : 0)), done = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < a->txn.n_install; i++) {
		if (a->o->progress)
			a->o->progress("verify", a->txn.install[i]->nevra, ++done, total, a->o->progress_ud);
		r = exec_rpm_verify(a->txn.install[i]->path, a->txn.install[i]->repo->keyring,
				    a->txn.install[i]->repo->n_keys, a->reason);
	}
	for (size_t i = 0; r == 0 && a->cache && i < a->txn.erase.n; i++) {
		if (a->o->progress)
			a->o->progress("verify", a->cache[i]->nevra, ++done, total, a->o->progress_ud);
		r = exec_rpm_verify(a->cache[i]->path, a->cache[i]->repo->keyring,
				    a->cache[i]->repo->n_keys, a->reason);
	}
	return r;
}

static int find_kernels(struct apply *a)
{
	for (size_t i = 0; i < a->txn.n_install; i++) {
		Header h = a->txn.install[i]->h;
		const char *n = a->txn.install[i]->name;
		int r;

		_cleanup_(freep) char *kver = NULL;
		bool seen = false;

		/* EL8's "kernel" is a meta package next to "kernel-core" of the same build */
		if (strcmp(n, "kernel-core") != 0 && strcmp(n, "kernel") != 0)
			continue;
		if (!(kver = aoms_strdupf("%s-%s.%s", headerGetString(h, RPMTAG_VERSION),
					  headerGetString(h, RPMTAG_RELEASE), a->txn.install[i]->arch)))
			return -ENOMEM;
		for (size_t k = 0; k < a->kernels.n; k++)
			seen = seen || strcmp(a->kernels.v[k], kver) == 0;
		if (!seen && (r = exec_strv_add(&a->kernels, kver)) < 0)
			return r;
	}
	exec_strv_sort(&a->kernels);
	return 0;
}

/* ---- the journal's artifacts ---- */

static int put_text(struct apply *a, const char *name, const struct aoms_strbuf *sb)
{
	int r = exec_journal_put(&a->j, name, aoms_strbuf_str(sb), sb->len);

	return r < 0 ? exec_fail(a->reason, r, "cannot write journal file '%s': %s", name,
				 strerror(-r)) : 0;
}

static int step_journal(struct apply *a)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	_cleanup_(freep) char *files = exec_files_format(&a->files);
	int r = exec_journal_put(&a->j, "plan.json", a->plan.text, a->plan.text_len);

	if (r < 0 || !files)
		return exec_fail(a->reason, r < 0 ? r : -ENOMEM, "cannot write the journal: %s",
				 strerror(r < 0 ? -r : ENOMEM));
	aoms_strbuf_addf(&sb, "host %s\nfingerprint %s\npackages %zu\naoms %s\n",
			 a->plan.host, a->inst.fingerprint, a->inst.nevras.n, AOMS_VERSION);
	for (size_t i = 0; i < a->o->n_repos; i++)
		aoms_strbuf_addf(&sb, "repo %s\n", a->o->repos[i]);
	for (size_t i = 0; i < a->o->n_source_repos; i++)
		aoms_strbuf_addf(&sb, "source-repo %s\n", a->o->source_repos[i]);
	r = put_text(a, "host", &sb);
	aoms_strbuf_reset(&sb);
	for (size_t i = 0; r == 0 && i < a->inst.nevras.n; i++)
		aoms_strbuf_addf(&sb, "%s\n", a->inst.nevras.v[i]);
	if (r == 0)
		r = put_text(a, "packages", &sb);
	aoms_strbuf_reset(&sb);
	for (size_t i = 0; i < a->txn.erase.n; i++)
		aoms_strbuf_addf(&sb, "erase %s\n", a->txn.erase.v[i]);
	for (size_t i = 0; i < a->txn.n_install; i++)
		aoms_strbuf_addf(&sb, "install %s\n", a->txn.install[i]->nevra);
	for (size_t i = 0; i < a->kernels.n; i++)
		aoms_strbuf_addf(&sb, "kernel %s\n", a->kernels.v[i]);
	if (r == 0)
		r = put_text(a, "transaction", &sb);
	aoms_strbuf_release(&sb);
	if (r == 0 && (r = exec_journal_put(&a->j, "files", files, strlen(files))) < 0)
		r = exec_fail(a->reason, r, "cannot write the journal: %s", strerror(-r));
	return r;
}

/* Copies of the regular files of the watch list: files.d/SHA256, checked after. */
static int step_backup(struct apply *a)
{
	_cleanup_(closep) int dir = exec_journal_subdir(&a->j, "files.d");

	if (dir < 0)
		return exec_fail(a->reason, dir, "cannot write the journal: %s", strerror(-dir));
	for (size_t i = 0; i < a->files.n; i++) {
		struct exec_file *e = &a->files.v[i];
		const char *base;
		_cleanup_(closep) int dfd = -1, in = -1;
		char hex[65];
		int r;

		if (e->kind != EXEC_REG || faccessat(dir, e->sha256, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		if ((dfd = exec_root_parent(&a->root, e->path, false, &base)) < 0 ||
		    (in = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			return exec_fail(a->reason, dfd < 0 ? dfd : -errno, "cannot read '%s': %s",
					 e->path, strerror(dfd < 0 ? -dfd : errno));
		r = exec_copy_at(dir, e->sha256, in, NULL);
		if (r == 0 && (r = exec_sha256_at(dir, e->sha256, hex)) == 0 && strcmp(hex, e->sha256) != 0)
			r = exec_fail(a->reason, -EAGAIN, "'%s' changed while it was saved", e->path);
		if (r < 0)
			return exec_fail(a->reason, r, "cannot save '%s' in the journal: %s", e->path,
					 strerror(-r));
	}
	return exec_fsync_dir(a->j.dirfd);
}

/* The erased packages' RPMs: rpms/NEVRA.rpm, checked against the source's sha256. */
static int step_cache(struct apply *a)
{
	_cleanup_(closep) int dir = exec_journal_subdir(&a->j, "rpms");

	if (dir < 0)
		return exec_fail(a->reason, dir, "cannot write the journal: %s", strerror(-dir));
	for (size_t i = 0; i < a->txn.erase.n; i++) {
		_cleanup_(freep) char *name = aoms_strdupf("%s.rpm", a->txn.erase.v[i]);
		_cleanup_(closep) int in = open(a->cache[i]->path, O_RDONLY | O_CLOEXEC);
		char want[65], got[65];
		int r;

		if (a->o->progress)
			a->o->progress("cache", a->txn.erase.v[i], (unsigned)i + 1,
				       (unsigned)a->txn.erase.n, a->o->progress_ud);
		if (!name)
			return -ENOMEM;
		if (in < 0 || (r = exec_sha256_path(a->cache[i]->path, want)) < 0 ||
		    (r = exec_copy_at(dir, name, in, NULL)) < 0 || (r = exec_sha256_at(dir, name, got)) < 0)
			return exec_fail(a->reason, in < 0 ? -errno : r, "cannot cache '%s' in the "
					 "journal: %s", a->cache[i]->path, strerror(in < 0 ? errno : -r));
		if (strcmp(want, got) != 0)
			return exec_fail(a->reason, -EIO, "the journal's copy of '%s' differs from it",
					 a->cache[i]->path);
	}
	return exec_fsync_dir(a->j.dirfd);
}

static int step_post(struct apply *a, const char *step)
{
	if (strcmp(step, "repo-files") == 0)
		return exec_post_repo_files(&a->root, &a->db, &a->post, a->reason);
	if (strcmp(step, "config") == 0)
		return exec_post_config(&a->root, a->j.dirfd, &a->files, &a->post, a->reason);
	if (strcmp(step, "bootloader") == 0)
		return exec_post_bootloader(&a->root, &a->kernels, &a->j, &a->post, a->reason);
	return 0;
}

/* librpm said yes: the rpmdb, read again from its files, must now hold exactly the
 * planned set, and the installed packages their files (a full disk can make the
 * database lose a commit, or a file, that rpmtsRun does not report). */
static int check_landed(struct apply *a)
{
	struct exec_strv want = { 0 }, installed = { 0 }, damaged = { 0 };
	struct exec_installed now = { 0 };
	int r = exec_txn_final(&a->txn, &a->inst, &want);
	bool same;

	if (r == 0)
		r = exec_installed_read(&a->db, &now);
	same = r == 0 && want.n == now.nevras.n;
	for (size_t i = 0; same && i < want.n; i++)
		same = strcmp(want.v[i], now.nevras.v[i]) == 0;
	if (r == 0 && !same)
		r = exec_fail(a->reason, -EIO, "after the transaction the rpmdb holds %zu packages "
			      "(fingerprint %s), not the %zu planned", now.nevras.n, now.fingerprint,
			      want.n);
	for (size_t i = 0; r == 0 && i < a->txn.n_install; i++)
		r = exec_strv_add(&installed, a->txn.install[i]->nevra);
	exec_strv_sort(&installed);
	if (r == 0)
		r = exec_rpmdb_damaged(&a->db, &a->root, &installed, &damaged);
	if (r == 0 && damaged.n) {
		_cleanup_(freep) char *joined = exec_strv_join(&damaged, 3);

		r = exec_fail(a->reason, -EIO, "after the transaction files of %zu installed "
			      "package(s) are missing or differ: %s", damaged.n, joined ? joined : "");
	}
	exec_strv_release(&want);
	exec_strv_release(&installed);
	exec_strv_release(&damaged);
	exec_installed_release(&now);
	return r;
}

/* The space check, the transaction, then its result read back through a new rpmdb
 * handle. A failure on a full file system says so: librpm's own words for it vary. */
static int step_transaction(struct apply *a)
{
	_cleanup_(freep) char *why = NULL;
	unsigned long long avail = 0;
	int r, e;

	/* the space the transaction and its rollback need, checked now that the journal
	 * takes its room: a refusal here changed nothing */
	if ((r = exec_space_check(a->o->root, &a->txn, a->cache, a->reason)) < 0)
		return r;
	r = exec_txn_run(&a->db, &a->root, &a->txn.erase, a->txn.install, a->txn.n_install, false,
			 a->o->progress, a->o->progress_ud, &why);
	e = exec_rpmdb_reopen(&a->db, a->o->root, true, r < 0 ? NULL : &why);
	if (r == 0 && e < 0)
		r = e;
	if (r == 0)
		r = check_landed(a) < 0 ? -EIO : 0;
	if (r == 0)
		return 0;
	if (!why && a->reason && *a->reason)
		why = strdup(*a->reason);
	if (a->reason) {
		free(*a->reason);
		*a->reason = NULL;
	}
	if (exec_root_fs_full(a->o->root, &avail))
		return exec_fail(a->reason, -ENOSPC, "no space left on the root's file system "
				 "(%llu bytes free): %s", avail, why ? why : strerror(-r));
	return exec_fail(a->reason, r, "%s", why ? why : strerror(-r));
}

static int run_step(struct apply *a, const char *step)
{
	int r = exec_journal_step(&a->j, step, "started");

	if (r < 0)
		return exec_fail(a->reason, r, "cannot write the journal's step log: %s", strerror(-r));
	if (strcmp(step, "journal") == 0)
		r = step_journal(a);
	else if (strcmp(step, "backup") == 0)
		r = step_backup(a);
	else if (strcmp(step, "cache") == 0)
		r = step_cache(a);
	else if (strcmp(step, "seal") == 0)
		r = exec_journal_seal(&a->j);
	else if (strcmp(step, "transaction") == 0)
		r = step_transaction(a);
	else
		r = step_post(a, step);
	if (r < 0)
		return exec_fail(a->reason, r, "step '%s' failed: %s", step, strerror(-r));
	r = exec_journal_step(&a->j, step, "done");
	return r < 0 ? exec_fail(a->reason, r, "cannot write the journal's step log: %s",
				 strerror(-r)) : 0;
}

/* ---- an interrupted apply ---- */

/* Finishes the post-steps of the journal's apply: the transaction is done. */
static int resume(struct apply *a, const struct exec_journal_state *st)
{
	struct exec_strv lines = { 0 }, bad = { 0 };
	_cleanup_(freep) char *text = NULL;
	size_t len;
	int r = exec_journal_verify(&a->j, &bad);

	if (r == 0 && bad.n)
		r = exec_fail(a->reason, -EBADMSG, "the interrupted apply's journal %s is damaged "
			      "(%s): not resuming it", a->j.id, bad.v[0]);
	if (r == 0 && (r = exec_read_lines(a->j.dirfd, "host", &lines)) == 0)
		for (size_t i = 0; r == 0 && i < lines.n && !a->plan.host; i++)
			if (strncmp(lines.v[i], "host ", 5) == 0 && !(a->plan.host = strdup(lines.v[i] + 5)))
				r = -ENOMEM;
	exec_strv_release(&lines);
	if (r == 0 && (r = exec_read_lines(a->j.dirfd, "transaction", &lines)) == 0)
		for (size_t i = 0; r == 0 && i < lines.n; i++)
			if (strncmp(lines.v[i], "kernel ", 7) == 0)
				r = exec_strv_add(&a->kernels, lines.v[i] + 7);
	if (r == 0 && (r = exec_read_at(a->j.dirfd, "files", APPLY_TEXT_MAX, &text, &len)) == 0)
		r = exec_files_parse(text, &a->files);
	if (r == 0 && !st->done[exec_step_index("transaction")])
		r = exec_journal_step(&a->j, "transaction", "done");
	for (int i = exec_step_index("repo-files"); r == 0 && aoms_apply_steps[i]; i++)
		if (!st->done[i])
			r = run_step(a, aoms_apply_steps[i]);
	exec_strv_release(&lines);
	exec_strv_release(&bad);
	if (r == 0)
		a->res->resumed = true;
	return r;
}

/* Whether the root's packages are what the journal's transaction leads to. */
static int transaction_landed(struct apply *a, bool *ret)
{
	struct exec_strv orig = { 0 }, lines = { 0 }, final = { 0 };
	int r = exec_read_lines(a->j.dirfd, "packages", &orig);

	if (r == 0)
		r = exec_read_lines(a->j.dirfd, "transaction", &lines);
	exec_strv_sort(&lines);
	for (size_t i = 0; r == 0 && i < orig.n; i++) {
		_cleanup_(freep) char *e = aoms_strdupf("erase %s", orig.v[i]);

		if (!e)
			r = -ENOMEM;
		else if (!exec_strv_has(&lines, e))
			r = exec_strv_add(&final, orig.v[i]);
	}
	for (size_t i = 0; r == 0 && i < lines.n; i++)
		if (strncmp(lines.v[i], "install ", 8) == 0)
			r = exec_strv_add(&final, lines.v[i] + 8);
	exec_strv_sort(&final);
	*ret = r == 0 && final.n == a->inst.nevras.n;
	for (size_t i = 0; r == 0 && *ret && i < final.n; i++)
		*ret = strcmp(final.v[i], a->inst.nevras.v[i]) == 0;
	exec_strv_release(&orig);
	exec_strv_release(&lines);
	exec_strv_release(&final);
	return r;
}

/* 1: an interrupted apply was finished; 0: go on with a new apply; -errno: refuse. */
static int handle_previous(struct apply *a)
{
	struct exec_journal_state st;
	int tx = exec_step_index("transaction");
	bool landed = false;
	int r = exec_journal_open(&a->root, &a->j, a->reason);

	if (r == -ENOENT)
		return 0;
	if (r < 0 || (r = exec_journal_state(&a->j, &st)) < 0)
		return exec_fail(a->reason, r, "cannot read the journal: %s", strerror(-r));
	if (st.rolled_back || st.abandoned) {
		exec_journal_close(&a->j);
		return 0;
	}
	if (st.done[exec_step_index("complete")])
		return exec_fail(a->reason, -EALREADY, "the root was migrated already (journal %s); "
				 "'aoms rollback --root %s' undoes it", a->j.id, a->o->root);
	if (st.rollback_started)
		return exec_fail(a->reason, -EALREADY, "a rollback of journal %s did not finish; run "
				 "'aoms rollback --root %s' again", a->j.id, a->o->root);
	if (!st.started[tx]) {
		/* stopped before the transaction: the root is as it was; start over */
		if ((r = exec_journal_step(&a->j, "abandoned", "done")) < 0)
			return r;
		r = exec_strv_addf(&a->post.notes, "an interrupted apply (journal %s) stopped before "
				   "changing the root; it was set aside and this apply starts over", a->j.id);
		exec_journal_close(&a->j);
		return r;
	}
	if (!st.done[tx] && ((r = transaction_landed(a, &landed)) < 0 || !landed))
		return exec_fail(a->reason, -EALREADY, "an apply (journal %s) was interrupted during "
				 "the package transaction; 'aoms rollback --root %s' returns the root "
				 "to its original state", a->j.id, a->o->root);
	if (a->o->dry_run)
		return exec_fail(a->reason, -EALREADY, "an apply (journal %s) was interrupted after its "
				 "transaction; 'aoms apply' without --dry-run finishes it", a->j.id);
	return (r = resume(a, &st)) < 0 ? r : 1;
}

/* ---- the result ---- */

static int fill_result(struct apply *a)
{
	struct aoms_apply_result *res = a->res;
	struct exec_strv inst = { 0 }, erase = { 0 };
	int r = 0;

	if (!(res->host = strdup(a->plan.host ? a->plan.host : "")))
		return -ENOMEM;
	if (a->j.dirfd >= 0 && !(res->journal = strdup(a->j.id)))
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < a->txn.erase.n; i++)
		r = exec_strv_add(&erase, a->txn.erase.v[i]);
	for (size_t i = 0; r == 0 && i < a->txn.n_install; i++)
		r = exec_strv_add(&inst, a->txn.install[i]->nevra);
	exec_strv_take(&erase, &res->erase, &res->n_erase);
	exec_strv_take(&inst, &res->install, &res->n_install);
	for (size_t i = 0; r == 0 && i < a->post.changes_path.n; i++)
		r = add_change(res, a->post.changes_path.v[i], a->post.changes_what.v[i]);
	for (size_t i = 0; r == 0 && a->o->dry_run && i < a->files.n; i++) {
		const struct exec_file *e = &a->files.v[i];

		if (e->config_user)
			r = add_change(res, e->path, "user-modified %config: saved, the user's content "
				       "is kept after the upgrade");
		else if (e->kind == EXEC_REG || e->kind == EXEC_LINK)
			r = add_change(res, e->path, "saved in the journal (may change)");
	}
	for (size_t i = 0; r == 0 && a->o->dry_run && i < a->kernels.n; i++)
		r = exec_strv_addf(&a->post.notes, "kernel %s: a BLS entry is written if the root "
				   "uses BLS and the kernel's scriptlets made none", a->kernels.v[i]);
	for (size_t i = 0; r == 0 && i < a->post.notes.n; i++)
		r = add_note(res, a->post.notes.v[i]);
	return r;
}

static int prepare(struct apply *a)
{
	int r;

	if (!a->o->n_repos || !a->o->n_source_repos)
		return exec_fail(a->reason, -EINVAL, "no --repo or no --source-repo");
	if (!(a->repos = calloc(a->o->n_repos, sizeof(*a->repos))) ||
	    !(a->srcs = calloc(a->o->n_source_repos, sizeof(*a->srcs))))
		return -ENOMEM;
	for (size_t i = 0; i < a->o->n_repos; i++)
		if ((r = exec_repo_init(&a->repos[i], a->o->repos[i], a->reason)) < 0)
			return r;
	for (size_t i = 0; i < a->o->n_source_repos; i++)
		if ((r = exec_repo_init(&a->srcs[i], a->o->source_repos[i], a->reason)) < 0)
			return r;
	if ((r = exec_resolve(&a->plan, &a->inst, &a->db, a->repos, a->o->n_repos, &a->txn,
			      a->reason)) < 0 ||
	    (r = find_kernels(a)) < 0)
		return r;
	if (!a->txn.erase.n && !a->txn.n_install)
		return 0;
	if ((r = find_sources(a)) < 0 || (r = verify_packages(a)) < 0 ||
	    (r = exec_files_collect(&a->root, &a->db, &a->txn, &a->files, a->reason)) < 0)
		return r;
	/* librpm's check now, before the journal: a transaction it would refuse is
	 * refused with nothing written; so is one the root has no room for */
	return exec_txn_run(&a->db, &a->root, &a->txn.erase, a->txn.install, a->txn.n_install, true,
			    NULL, NULL, a->reason);
}

/* The reason of a failed step, with the journal and what to do now. */
static int step_failed(struct apply *a, const char *step, int r)
{
	bool changed = exec_step_index(step) >= exec_step_index("transaction");
	char *why = a->reason ? *a->reason : NULL;
	char *line = changed ?
		aoms_strdupf("%s (journal %s; 'aoms rollback --root %s' returns the root to its "
			     "state before the apply)", why ? why : strerror(-r), a->j.id, a->o->root) :
		aoms_strdupf("%s (journal %s; the root's packages and files were not changed)",
			     why ? why : strerror(-r), a->j.id);

	if (a->reason && line) {
		free(why);
		*a->reason = line;
	} else {
		free(line);
	}
	return r;
}

static int run(struct apply *a)
{
	int r;

	if ((r = exec_root_open(a->o->root, &a->root)) < 0)
		return exec_fail(a->reason, r, "cannot open root '%s': %s", a->o->root, strerror(-r));
	if (!a->o->dry_run && (r = exec_lock(&a->root, &a->lockfd, a->reason)) < 0)
		return r;
	if ((r = exec_rpmdb_open(a->o->root, !a->o->dry_run, NULL, &a->db, a->reason)) < 0 ||
	    (r = exec_installed_read(&a->db, &a->inst)) < 0)
		return exec_fail(a->reason, r, "cannot read the rpmdb of '%s'", a->o->root);
	if ((r = handle_previous(a)) != 0)
		return r < 0 ? r : 0;
	_cleanup_(freep) char *hostname = a->o->host ? NULL : aoms_root_hostname(a->o->root);

	if ((r = exec_plan_read(a->o->plan, a->o->host, hostname, a->inst.fingerprint, &a->plan,
				a->reason)) < 0 ||
	    (r = check_plan(a)) < 0 || (r = check_host(a)) < 0 || (r = prepare(a)) < 0)
		return r;
	if (a->o->dry_run || (!a->txn.erase.n && !a->txn.n_install)) {
		if (!a->txn.erase.n && !a->txn.n_install)
			r = exec_strv_add(&a->post.notes, "nothing to apply: the root has the target's "
					  "packages already");
		return r;
	}
	if ((r = exec_journal_create(&a->root, &a->j, a->reason)) < 0)
		return r;
	for (size_t i = 0; aoms_apply_steps[i]; i++)
		if ((r = run_step(a, aoms_apply_steps[i])) < 0)
			return step_failed(a, aoms_apply_steps[i], r);
	return 0;
}

int aoms_apply(const struct aoms_apply_opts *opts, struct aoms_apply_result **ret, char **ret_reason)
{
	/* librpm wants an absolute root */
	_cleanup_(freep) char *root = realpath(opts->root, NULL);
	struct aoms_apply_opts oo = *opts, *o = &oo;
	struct apply a = { .o = o, .root = { .fd = -1 }, .lockfd = -1,
			   .j = { .dirfd = -1, .basefd = -1 }, .reason = ret_reason };
	int r;

	if (!root)
		return exec_fail(ret_reason, -errno, "cannot open root '%s': %s", opts->root,
				 strerror(errno));
	oo.root = root;
	if (!(a.res = calloc(1, sizeof(*a.res))))
		return -ENOMEM;
	r = run(&a);
	if (r >= 0)
		r = fill_result(&a);
	exec_journal_close(&a.j);
	exec_post_release(&a.post);
	exec_files_release(&a.files);
	free(a.cache);
	exec_strv_release(&a.kernels);
	exec_txn_release(&a.txn);
	for (size_t i = 0; a.repos && i < o->n_repos; i++)
		exec_repo_release(&a.repos[i]);
	for (size_t i = 0; a.srcs && i < o->n_source_repos; i++)
		exec_repo_release(&a.srcs[i]);
	free(a.repos);
	free(a.srcs);
	exec_plan_release(&a.plan);
	exec_installed_release(&a.inst);
	exec_rpmdb_close(&a.db);
	if (a.lockfd >= 0)
		close(a.lockfd);
	exec_root_close(&a.root);
	if (r < 0) {
		aoms_apply_result_free(a.res);
		return r;
	}
	*ret = a.res;
	return 0;
}
