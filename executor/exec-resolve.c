/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the transaction erases and installs. A plan whose host transaction carries
 * "resolved" (aoms plan --repo, solved with libsolv) is applied exactly: each package
 * read from the --repo whose repodata/repomd.xml has the sha256 the plan records for
 * its repository (wherever it is mounted now), its file checked against the plan's
 * sha256 before librpm reads it. Otherwise the
 * high-level transaction is resolved here against the headers of --repo, the way
 * `dnf distro-sync` and Leapp's upgrade treat a package set: every installed name the
 * target ships is replaced by the target's newest build of it (same arch, else
 * noarch), an installed name the target no longer ships is replaced by the target's
 * packages that obsolete it (a package split or renamed: Obsoletes, as dnf follows
 * them), swap sources and erases are removed, swap targets and installs are added,
 * then the Requires of what is installed that nothing remaining provides are filled
 * from the target repository (exec-closure.c; not a solver: what stays unsatisfiable
 * is librpm's rpmtsCheck to report).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmds.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmts.h>
#include "exec-private.h"
#include "strbuf.h"

struct inst_pkg {
	char *name, *arch, *nevra;
	Header h;             /* linked from the rpmdb: its EVR for Obsoletes ranges */
};

/* A package of the target repository with Obsoletes, and its Obsoletes. */
struct obsoleter {
	struct exec_rpm *k;
	rpmds obsoletes;
};

struct resolve {
	const struct exec_plan *plan;
	struct exec_rpmdb *db;
	struct exec_repo *repo;         /* every --repo's packages (merged into the first) */
	struct exec_repo *repos;
	size_t n_repos;
	struct exec_txn *t;
	struct inst_pkg *inst;
	size_t n_inst, cap_inst;
	struct exec_strv erase_names;   /* sorted */
	struct obsoleter *obs;          /* the repository's packages with Obsoletes */
	size_t n_obs;
	char **reason;
};

static int collect(Header h, unsigned offset, const char *nevra, void *ud)
{
	struct resolve *rs = ud;
	struct inst_pkg *k;

	if (rs->n_inst == rs->cap_inst) {
		size_t cap = rs->cap_inst ? 2 * rs->cap_inst : 256;
		struct inst_pkg *v = realloc(rs->inst, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		rs->inst = v;
		rs->cap_inst = cap;
	}
	k = &rs->inst[rs->n_inst++];
	k->name = strdup(headerGetString(h, RPMTAG_NAME));
	k->arch = strdup(headerGetString(h, RPMTAG_ARCH) ? headerGetString(h, RPMTAG_ARCH) : "");
	k->nevra = strdup(nevra);
	k->h = headerLink(h);
	return k->name && k->arch && k->nevra ? 0 : -ENOMEM;
}

bool exec_txn_has(const struct exec_txn *t, const struct exec_rpm *k)
{
	for (size_t i = 0; i < t->n_install; i++)
		if (t->install[i] == k)
			return true;
	return false;
}

int exec_txn_add(struct exec_txn *t, struct exec_rpm *k)
{
	if (exec_txn_has(t, k))
		return 0;
	if (t->n_install == t->cap_install) {
		size_t cap = t->cap_install ? 2 * t->cap_install : 64;
		struct exec_rpm **v = realloc(t->install, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->install = v;
		t->cap_install = cap;
	}
	t->install[t->n_install++] = k;
	return 0;
}

/* The repository's newest build of name: arch first, then noarch, then (want_arch
 * NULL or noarch) any. */
struct exec_rpm *exec_repo_best(struct exec_repo *repo, const char *name, const char *want_arch)
{
	struct exec_rpm *b = NULL;
	int rank_b = 0;

	for (size_t i = 0; i < repo->n; i++) {
		struct exec_rpm *k = &repo->v[i];
		int rank;

		if (strcmp(k->name, name) != 0)
			continue;
		rank = want_arch && strcmp(k->arch, want_arch) == 0 ? 3 :
		       strcmp(k->arch, "noarch") == 0 ? 2 :
		       !want_arch || strcmp(want_arch, "noarch") == 0 ? 1 : 0;
		if (rank == 0)
			continue;
		if (!b || rank > rank_b || (rank == rank_b && rpmVersionCompare(k->h, b->h) > 0)) {
			b = k;
			rank_b = rank;
		}
	}
	return b;
}

/* The --repo of the plan's repository id: the first whose repodata/repomd.xml has the
 * plan's sha256 (a repository given twice is the same repository). */
static int match_repo(struct resolve *rs, char **sums, const char *id, struct exec_repo **ret)
{
	const struct exec_plan *p = rs->plan;
	long k = *id ? exec_strv_find(&p->r_repo_id, id) : -1;

	if (k < 0) {   /* a plan before 1.4: the first --repo */
		*ret = &rs->repos[0];
		return 0;
	}
	for (size_t i = 0; i < rs->n_repos; i++) {
		if (!sums[i]) {
			_cleanup_(freep) char *path = aoms_strdupf("%s/repodata/repomd.xml", rs->repos[i].dir);
			char hex[65];

			if (!path)
				return -ENOMEM;
			if (!(sums[i] = strdup(exec_sha256_path(path, hex) < 0 ? "" : hex)))
				return -ENOMEM;
		}
		if (strcmp(sums[i], p->r_repo_sum.v[k]) == 0) {
			*ret = &rs->repos[i];
			return 0;
		}
	}
	return exec_fail(rs->reason, -ENOENT, "the plan's repository '%s' (repomd.xml sha256:%.12s..., "
			 "revision '%s', at '%s' when planned) is not among --repo: give its "
			 "directory (a repository changed since the plan needs a new plan)", id,
			 p->r_repo_sum.v[k], p->r_repo_rev.v[k], p->r_repo_path.v[k]);
}

static int resolve_given(struct resolve *rs, const struct exec_installed *inst)
{
	const struct exec_plan *p = rs->plan;
	_cleanup_(freep) char **sums = calloc(rs->n_repos + 1, sizeof(*sums));
	int r = sums ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < p->r_erase.n; i++) {
		if (!exec_strv_has(&inst->nevras, p->r_erase.v[i]))
			r = exec_fail(rs->reason, -ESTALE, "the plan erases %s, which is not "
				      "installed in the root", p->r_erase.v[i]);
		else
			r = exec_strv_add(&rs->t->erase, p->r_erase.v[i]);
	}
	/* every repository first: one that is missing is said before any package is read */
	for (size_t i = 0; r == 0 && i < p->r_install.n; i++) {
		struct exec_repo *repo;

		r = match_repo(rs, sums, p->r_from.v[i], &repo);
	}
	for (size_t i = 0; r == 0 && i < p->r_install.n; i++) {
		struct exec_repo *repo = NULL;
		_cleanup_(freep) char *path = NULL;
		struct exec_rpm *k;
		char hex[65];

		if ((r = match_repo(rs, sums, p->r_from.v[i], &repo)) < 0)
			break;
		if (!(path = aoms_strdupf("%s/%s", repo->dir, p->r_location.v[i])))
			r = -ENOMEM;
		else if ((r = exec_sha256_path(path, hex)) < 0)
			r = exec_fail(rs->reason, r == -ENOENT ? -ENOENT : r, "cannot read %s "
				      "('%s') from the target repository: %s", p->r_install.v[i],
				      path, strerror(-r));
		else if (strcmp(hex, p->r_checksum.v[i]) != 0)
			r = exec_fail(rs->reason, -EBADE, "package '%s' has sha256 %s, the plan "
				      "says %s", path, hex, p->r_checksum.v[i]);
		else if ((r = exec_repo_add(repo, p->r_location.v[i], &k, rs->reason)) == 0 &&
			 strcmp(k->nevra, p->r_install.v[i]) != 0)
			r = exec_fail(rs->reason, -EBADE, "package '%s' is %s, the plan says %s",
				      path, k->nevra, p->r_install.v[i]);
	}
	for (size_t i = 0; sums && i < rs->n_repos; i++)
		free(sums[i]);
	/* the repos' arrays may have moved while they grew: take pointers now */
	for (size_t i = 0; r == 0 && i < rs->n_repos; i++)
		for (size_t k = 0; r == 0 && k < rs->repos[i].n; k++)
			r = exec_txn_add(rs->t, &rs->repos[i].v[k]);
	return r;
}

/* The arch most installed packages have (for new names). */
static const char *main_arch(const struct resolve *rs)
{
	const char *best_arch = NULL;
	size_t best_n = 0;

	for (size_t i = 0; i < rs->n_inst; i++) {
		size_t c = 0;

		if (strcmp(rs->inst[i].arch, "noarch") == 0)
			continue;
		for (size_t j = 0; j < rs->n_inst; j++)
			c += strcmp(rs->inst[j].arch, rs->inst[i].arch) == 0;
		if (c > best_n) {
			best_n = c;
			best_arch = rs->inst[i].arch;
		}
	}
	return best_arch;
}

static bool name_installed_kept(const struct resolve *rs, const char *name)
{
	for (size_t i = 0; i < rs->n_inst; i++)
		if (strcmp(rs->inst[i].name, name) == 0 && !exec_strv_has(&rs->erase_names, name))
			return true;
	return false;
}

static bool name_installing(const struct exec_txn *t, const char *name)
{
	for (size_t i = 0; i < t->n_install; i++)
		if (strcmp(t->install[i]->name, name) == 0)
			return true;
	return false;
}

/* Packages dnf installs beside the old build instead of replacing it (dnf's
 * installonlypkgs): the running kernel stays until the new one has booted. */
static bool install_only(const struct exec_rpm *k)
{
	static const char *const names[] = {
		"kernel", "kernel-core", "kernel-modules", "kernel-modules-extra", "kernel-devel",
		"kernel-debug", "kernel-debug-core", "kernel-debug-modules", "kernel-debug-devel",
	};
	rpmds p = rpmdsNew(k->h, RPMTAG_PROVIDENAME, 0);
	bool yes = false;

	for (size_t i = 0; i < ARRAY_SIZE(names) && !yes; i++)
		yes = strcmp(k->name, names[i]) == 0;
	while (!yes && p && rpmdsNext(p) >= 0)
		yes = strncmp(rpmdsN(p), "installonlypkg(", 15) == 0;
	rpmdsFree(p);
	return yes;
}

/* The repository's packages that obsolete something, once. */
static int load_obsoleters(struct resolve *rs)
{
	if (!(rs->obs = calloc(rs->repo->n + 1, sizeof(*rs->obs))))
		return -ENOMEM;
	for (size_t i = 0; i < rs->repo->n; i++) {
		rpmds ds = rpmdsNew(rs->repo->v[i].h, RPMTAG_OBSOLETENAME, 0);

		if (ds && rpmdsCount(ds) > 0)
			rs->obs[rs->n_obs++] = (struct obsoleter){ &rs->repo->v[i], ds };
		else
			rpmdsFree(ds);
	}
	return 0;
}

/*
 * Adds the target's packages that obsolete installed package k (its name and EVR in
 * the Obsoletes range), each the newest build of its name for k's arch, as dnf
 * distro-sync does for a package split or renamed in the target. *ret_found: whether
 * any does.
 */
static int add_obsoleters(struct resolve *rs, const struct inst_pkg *k, bool *ret_found)
{
	int r = 0;

	*ret_found = false;
	for (size_t i = 0; i < rs->n_obs && r == 0; i++) {
		struct obsoleter *o = &rs->obs[i];
		bool hit = false;

		rpmdsInit(o->obsoletes);
		while (!hit && rpmdsNext(o->obsoletes) >= 0)
			hit = strcmp(rpmdsN(o->obsoletes), k->name) == 0 &&
			      rpmdsNVRMatchesDep(k->h, o->obsoletes, 1) > 0;
		if (!hit || exec_repo_best(rs->repo, o->k->name, k->arch) != o->k)
			continue;
		*ret_found = true;
		r = exec_txn_add(rs->t, o->k);
	}
	return r;
}

static int resolve_high_level(struct resolve *rs)
{
	const struct exec_plan *p = rs->plan;
	bool sync = strcmp(p->method, "none") != 0;
	const char *arch = main_arch(rs);
	struct exec_strv adds = { 0 };
	int r = sync ? load_obsoleters(rs) : 0;

	for (size_t i = 0; i < p->erase.n && r == 0; i++)
		r = exec_strv_add(&rs->erase_names, p->erase.v[i]);
	for (size_t i = 0; i < p->swap_from.n && r == 0; i++)
		r = exec_strv_add(&rs->erase_names, p->swap_from.v[i]);
	exec_strv_sort(&rs->erase_names);
	for (size_t i = 0; i < rs->n_inst && r == 0; i++) {
		struct inst_pkg *k = &rs->inst[i];
		struct exec_rpm *to;

		if (exec_strv_has(&rs->erase_names, k->name)) {
			r = exec_strv_add(&rs->t->erase, k->nevra);
			continue;
		}
		to = sync ? exec_repo_best(rs->repo, k->name, k->arch) : NULL;
		if (!to && sync) {
			/* the target ships the name no more: what obsoletes it replaces it */
			bool obsoleted;

			if ((r = add_obsoleters(rs, k, &obsoleted)) == 0 && obsoleted)
				r = exec_strv_add(&rs->t->erase, k->nevra);
			continue;
		}
		if (!to || strcmp(to->nevra, k->nevra) == 0)
			continue;
		if (!install_only(to))
			r = exec_strv_add(&rs->t->erase, k->nevra);
		if (r == 0)
			r = exec_txn_add(rs->t, to);
	}
	for (size_t i = 0; i < p->install.n && r == 0; i++)
		r = exec_strv_add(&adds, p->install.v[i]);
	for (size_t i = 0; i < p->swap_to.n && r == 0; i++)
		r = exec_strv_add(&adds, p->swap_to.v[i]);
	for (size_t i = 0; i < adds.n && r == 0; i++) {
		struct exec_rpm *to;

		if (name_installing(rs->t, adds.v[i]) || name_installed_kept(rs, adds.v[i]))
			continue;
		if (!(to = exec_repo_best(rs->repo, adds.v[i], arch)))
			r = rs->n_repos > 1 ?
			    exec_fail(rs->reason, -ENOENT, "no target repository (--repo) has a "
				      "package '%s', which the plan installs", adds.v[i]) :
			    exec_fail(rs->reason, -ENOENT, "the target repository '%s' has no package "
				      "'%s', which the plan installs", rs->repo->dir, adds.v[i]);
		else
			r = exec_txn_add(rs->t, to);
	}
	exec_strv_release(&adds);
	return r;
}

static int by_nevra(const void *a, const void *b)
{
	return strcmp((*(struct exec_rpm *const *)a)->nevra, (*(struct exec_rpm *const *)b)->nevra);
}

int exec_resolve(const struct exec_plan *p, const struct exec_installed *inst,
		 struct exec_rpmdb *db, struct exec_repo *repos, size_t n, struct exec_txn *t,
		 char **reason)
{
	struct resolve rs = { .plan = p, .db = db, .repo = &repos[0], .repos = repos, .n_repos = n,
			      .t = t, .reason = reason };
	int r;

	*t = (struct exec_txn){ 0 };
	if (p->resolved)
		r = resolve_given(&rs, inst);
	else if ((r = exec_repo_scan_all(repos, n, reason)) == 0 &&
		 (r = exec_rpmdb_foreach(db, collect, &rs)) == 0 &&
		 (r = resolve_high_level(&rs)) == 0) {
		exec_strv_sort(&t->erase);
		r = exec_closure(db, rs.repo, t);
	}
	for (size_t i = 0; i < rs.n_inst; i++) {
		free(rs.inst[i].name);
		free(rs.inst[i].arch);
		free(rs.inst[i].nevra);
		headerFree(rs.inst[i].h);
	}
	free(rs.inst);
	for (size_t i = 0; i < rs.n_obs; i++)
		rpmdsFree(rs.obs[i].obsoletes);
	free(rs.obs);
	exec_strv_release(&rs.erase_names);
	if (r < 0) {
		exec_txn_release(t);
		return r;
	}
	exec_strv_sort(&t->erase);
	if (t->n_install)
		qsort(t->install, t->n_install, sizeof(*t->install), by_nevra);
	return 0;
}

void exec_txn_release(struct exec_txn *t)
{
	exec_strv_release(&t->erase);
	free(t->install);
	*t = (struct exec_txn){ 0 };
}

int exec_txn_final(const struct exec_txn *t, const struct exec_installed *inst, struct exec_strv *ret)
{
	int r = 0;

	*ret = (struct exec_strv){ 0 };
	for (size_t i = 0; i < inst->nevras.n && r == 0; i++)
		if (!exec_strv_has(&t->erase, inst->nevras.v[i]))
			r = exec_strv_add(ret, inst->nevras.v[i]);
	for (size_t i = 0; i < t->n_install && r == 0; i++)
		r = exec_strv_add(ret, t->install[i]->nevra);
	exec_strv_sort(ret);
	return r;
}
