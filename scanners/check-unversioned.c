/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unversioned imports, judged over the whole dependency closure as the loader's
 * global scope would bind them (elf.symbol-unresolved; host-provided symbols of
 * plug-ins go to check-host.c). Only when every library of the closure is known
 * with its symbols: partial coverage never produces a false "missing".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check-elf-private.h"

#define MAX_CLOSURE 512

struct closure {
	const struct aoms_libabi *abi[MAX_CLOSURE];
	const struct aoms_file *file[MAX_CLOSURE];
	size_t n;
	bool incomplete;
};

static void closure_add(struct closure *cl, const struct aoms_provider *p)
{
	if (!aoms_elf_provider_usable(p)) {
		cl->incomplete = true;
		return;
	}
	for (size_t i = 0; i < cl->n; i++)
		if (cl->abi[i] == p->abi)
			return;
	if (cl->n == MAX_CLOSURE) {
		cl->incomplete = true;
		return;
	}
	cl->abi[cl->n] = p->abi;
	cl->file[cl->n++] = p->file;
}

/* Breadth-first over DT_NEEDED of everything loaded, as the loader's global scope. */
static int build_closure(struct check *c, struct closure *cl)
{
	for (size_t i = 0; i < c->m->n_needed; i++)
		closure_add(cl, &c->prov[i]);
	for (size_t i = 0; i < cl->n && !cl->incomplete; i++) {
		const struct aoms_libabi *lib = cl->abi[i];

		for (size_t k = 0; k < lib->n_needed && !cl->incomplete; k++) {
			struct aoms_provider p = { 0 };
			const struct aoms_libabi *t;
			int r;

			if (cl->file[i]) {
				r = aoms_resolve_needed(&c->ctx->rs, cl->file[i], lib->needed[k],
							c->arch, &p);
			} else {
				r = aoms_abidb_find_library(c->ctx->rs.db, lib->needed[k], c->arch, &t);
				if (r == 0)
					p = (struct aoms_provider){ AOMS_PROV_TARGET, t, t->path, NULL };
				else if (r == -ENOENT)
					r = 0;
			}
			if (r < 0)
				return r;
			closure_add(cl, &p);
		}
	}
	return 0;
}

/* The shared objects beside library c (its directory, same machine and class) that
 * define every one of the n missing symbols between them, sorted by name into
 * *ret_by (caller frees the array; subjects point into the tree); 0 when one of the
 * symbols is defined by none, or nothing beside it. An application's libraries
 * lean on each other that way (the JDK's libfontmanager.so on libawt_xawt.so, which
 * the JVM loads first); the loader's global scope binds them. */
static size_t siblings_defining(const struct check *c, const char *const *missing, size_t n,
				const char ***ret_by)
{
	const struct aoms_tree *t = c->ctx->rs.tree;
	const char *slash = strrchr(c->file->path, '/');
	_cleanup_(freep) char *dir = slash ? strndup(c->file->path, (size_t)(slash - c->file->path) + 1) : NULL;
	const char **by = calloc(n + 1, sizeof(*by));
	size_t n_by = 0, plen;
	bool *found = calloc(n + 1, sizeof(*found));
	size_t left = n;

	*ret_by = NULL;
	/* out of memory: said as if nothing beside it helped (the finding stays low) */
	if (!dir || !by || !found || !t || !t->n_files) {
		free(by);
		free(found);
		return 0;
	}
	plen = strlen(dir);
	for (size_t i = aoms_elf_first_at((const struct aoms_file *const *)t->files, t->n_files, dir);
	     i < t->n_files && left; i++) {
		const struct aoms_file *s = t->files[i];
		bool used = false;

		if (strncmp(s->path, dir, plen) != 0)
			break;
		if (s == c->file || strchr(s->path + plen, '/') || !s->elf || !s->elf->exports ||
		    s->elf->machine != c->m->machine || s->elf->elf_class != c->m->elf_class)
			continue;
		for (size_t k = 0; k < n; k++)
			if (!found[k] && aoms_libabi_has_symbol(s->elf->exports, missing[k], NULL)) {
				found[k] = used = true;
				left--;
			}
		if (used)
			by[n_by++] = s->subject;
	}
	free(found);
	if (left) {
		free(by);
		return 0;
	}
	qsort(by, n_by, sizeof(*by), aoms_elf_cmp_str);
	*ret_by = by;
	return n_by;
}

int aoms_check_unversioned(struct check *c)
{
	struct closure *cl = calloc(1, sizeof(*cl));
	const char **missing = NULL, **hosted = NULL, **by = NULL;
	size_t n = 0, n_hosted = 0, n_by = 0;
	bool library = !c->m->interp;
	struct aoms_finding *f;
	int r;

	if (!cl)
		return -ENOMEM;
	r = build_closure(c, cl);
	if (r < 0 || (cl->incomplete && !c->m->hosts))
		goto out;
	missing = calloc(c->m->n_imports + 1, sizeof(*missing));
	hosted = calloc(c->m->n_imports + 1, sizeof(*hosted));
	if (!missing || !hosted) { r = -ENOMEM; goto out; }
	for (size_t k = 0; k < c->m->n_imports; k++) {
		const struct aoms_elf_import *imp = &c->m->imports[k];
		bool found = false;

		if (imp->need >= 0 || imp->weak)
			continue;
		for (size_t i = 0; i < cl->n && !found && !cl->incomplete; i++)
			found = aoms_libabi_has_symbol(cl->abi[i], imp->name, NULL);
		if (found)
			continue;
		/* A plug-in's host defines these; with a partial closure nothing else is said. */
		if (c->m->hosts && aoms_host_provides_symbol(c->m->hosts, imp->name))
			hosted[n_hosted++] = imp->name;
		else if (!cl->incomplete)
			missing[n++] = imp->name;
	}
	qsort(hosted, n_hosted, sizeof(*hosted), aoms_elf_cmp_str);
	r = aoms_check_host_symbols(c, hosted, n_hosted);
	if (r < 0 || !n)
		goto out;
	qsort(missing, n, sizeof(*missing), aoms_elf_cmp_str);
	if (library)
		n_by = siblings_defining(c, missing, n, &by);
	/* A library's undefined symbols may come from the program that loads it
	 * (plugins), or from the libraries beside it that the program loads first (then
	 * it is information); an executable's can come from nowhere else. */
	f = aoms_elf_check_finding(c, "elf.symbol-unresolved",
		    n_by ? AOMS_SEV_INFO : library ? AOMS_SEV_LOW :
		    c->m->bind_now ? AOMS_SEV_HIGH : AOMS_SEV_MEDIUM,
		    !library && c->m->bind_now, library ? AOMS_CONF_POSSIBLE : AOMS_CONF_LIKELY);
	if (!f) { r = -ENOMEM; goto out; }
	aoms_finding_set_title(f, "%s has %zu undefined symbol%s no needed library provides",
			       c->file->subject, n, n == 1 ? "" : "s");
	if (n_by)
		aoms_finding_set_summary(f, "None of the libraries %s loads on %s defines %s%s, but "
					 "%s%s beside it define%s them: the application loads "
					 "%s first, and the loader binds them there, on any "
					 "system.", c->file->subject, aoms_elf_check_target(c),
					 missing[0], n > 1 ? " (and others)" : "", by[0],
					 n_by > 1 ? " and others" : "", n_by > 1 ? "" : "s",
					 n_by > 1 ? "those" : "it");
	else
		aoms_finding_set_summary(f, "None of the libraries %s loads on %s defines %s%s. %s",
					 c->file->subject, aoms_elf_check_target(c), missing[0],
					 n > 1 ? " (and others)" : "",
					 library ? "A program that loads this library may provide them."
					 : c->m->bind_now ? "It is linked with BIND_NOW, so it fails to start."
					 : "The first call to one of them aborts the program.");
	aoms_finding_add_evidence(f, "symbol", missing[0]);
	aoms_finding_add_evidence_list(f, "symbols", missing, n);
	if (n_by) {
		aoms_finding_add_evidence_list(f, "defined_beside", by, n_by);
	} else {
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Find the library that used to define "
					"them and bundle it or add it to DT_NEEDED.");
		aoms_finding_add_action(f, AOMS_ACTION_RELINK, NULL);
	}
	r = aoms_elf_check_emit(c, f);
out:
	free(missing);
	free(hosted);
	free(by);
	free(cl);
	return r;
}

