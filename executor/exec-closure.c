/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Requires closure of the fallback resolver (exec-resolve.c): each package to
 * install is visited once (a work list); a Requires that neither the packages to
 * install, nor the installed packages that stay, satisfy is filled with the
 * repository's newest build of a package that provides it. Providers are found
 * through indexes built once — Provides names and file paths of the repository's
 * headers — then matched with librpm's rpmdsAnyMatchesDep (versions, flags), so the
 * cost grows with the number of Requires, not with packages squared. Not a solver:
 * conflicts and choices among providers are rpmtsCheck's to report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmds.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmts.h>
#include "arena.h"
#include "exec-private.h"
#include "strmap.h"

struct prov {
	struct exec_rpm *k;
	struct prov *next;
};

struct closure {
	struct exec_rpmdb *db;
	struct exec_repo *repo;
	struct exec_txn *t;
	struct aoms_arena *arena;
	struct aoms_strmap repo_prov;   /* Provides name or file path -> struct prov list */
	struct aoms_strmap inst_prov;   /* the same for the packages to install */
};

static int index_add(struct closure *c, struct aoms_strmap *m, const char *key, struct exec_rpm *k)
{
	struct prov *head = aoms_strmap_get(m, key), *p;
	char *kk;

	for (struct prov *q = head; q; q = q->next)
		if (q->k == k)
			return 0;
	p = aoms_arena_alloc(c->arena, sizeof(*p));
	kk = aoms_arena_strdup(c->arena, key);   /* the map does not copy keys */
	if (!p || !kk)
		return -ENOMEM;
	*p = (struct prov){ k, head };
	return aoms_strmap_put(m, kk, p);
}

/* Indexes k's Provides names and file paths into m. */
static int index_rpm(struct closure *c, struct aoms_strmap *m, struct exec_rpm *k)
{
	rpmds p = rpmdsNew(k->h, RPMTAG_PROVIDENAME, 0);
	rpmfi fi = rpmfiNew(NULL, k->h, RPMTAG_BASENAMES, RPMFI_NOHEADER);
	int r = 0;

	while (r == 0 && p && rpmdsNext(p) >= 0)
		r = index_add(c, m, rpmdsN(p), k);
	while (r == 0 && fi && rpmfiNext(fi) >= 0)
		r = index_add(c, m, rpmfiFN(fi), k);
	rpmdsFree(p);
	rpmfiFree(fi);
	return r;
}

/* The first in list whose header satisfies req (a file path is satisfied by its
 * presence in the file index). */
static struct exec_rpm *match(const struct prov *list, rpmds req)
{
	bool file = rpmdsN(req)[0] == '/';

	for (; list; list = list->next)
		if (file || rpmdsAnyMatchesDep(list->k->h, req, 1))
			return list->k;
	return NULL;
}

/* Whether installed packages that stay satisfy req. */
static bool installed_provides(struct closure *c, rpmds req)
{
	const char *n = rpmdsN(req);
	rpmDbiTagVal tag = n[0] == '/' ? RPMDBI_INSTFILENAMES : RPMDBI_PROVIDENAME;
	rpmdbMatchIterator mi = rpmtsInitIterator(c->db->ts, tag, n, 0);
	bool ok = false;
	Header h;

	while (!ok && mi && (h = rpmdbNextIterator(mi))) {
		_cleanup_(freep) char *nevra = exec_header_nevra(h);

		if (nevra && !exec_strv_has(&c->t->erase, nevra))
			ok = tag == RPMDBI_INSTFILENAMES || rpmdsAnyMatchesDep(h, req, 1);
	}
	rpmdbFreeIterator(mi);
	return ok;
}

/* Visits install[i]: adds a provider for each of its unsatisfied Requires. */
static int visit(struct closure *c, size_t i)
{
	rpmds req = rpmdsNew(c->t->install[i]->h, RPMTAG_REQUIRENAME, 0);
	const char *arch = c->t->install[i]->arch;
	int r = 0;

	while (r == 0 && req && rpmdsNext(req) >= 0) {
		struct exec_rpm *prov;

		if ((rpmdsFlags(req) & RPMSENSE_RPMLIB) || match(aoms_strmap_get(&c->inst_prov, rpmdsN(req)), req) ||
		    installed_provides(c, req))
			continue;
		prov = match(aoms_strmap_get(&c->repo_prov, rpmdsN(req)), req);
		if (prov)
			prov = exec_repo_best(c->repo, prov->name, arch);
		if (!prov || exec_txn_has(c->t, prov))
			continue;   /* rpmtsCheck reports what stays unsatisfied */
		if ((r = exec_txn_add(c->t, prov)) == 0)
			r = index_rpm(c, &c->inst_prov, prov);
	}
	rpmdsFree(req);
	return r;
}

int exec_closure(struct exec_rpmdb *db, struct exec_repo *repo, struct exec_txn *t)
{
	struct closure c = { .db = db, .repo = repo, .t = t };
	int r = aoms_arena_new(&c.arena);

	for (size_t i = 0; r == 0 && i < repo->n; i++)
		r = index_rpm(&c, &c.repo_prov, &repo->v[i]);
	for (size_t i = 0; r == 0 && i < t->n_install; i++)
		r = index_rpm(&c, &c.inst_prov, t->install[i]);
	/* the list grows while it is walked: each package is visited once */
	for (size_t i = 0; r == 0 && i < t->n_install; i++)
		r = visit(&c, i);
	aoms_strmap_release(&c.repo_prov);
	aoms_strmap_release(&c.inst_prov);
	aoms_arena_free(c.arena);
	return r;
}
