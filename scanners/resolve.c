/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where a DT_NEEDED soname comes from, in the loader's order: DT_RPATH (when there
 * is no DT_RUNPATH), the library's own directory (libraries are found through the
 * same path as their siblings: the application's RPATH or LD_LIBRARY_PATH), then
 * DT_RUNPATH, then the target system. glibc is always the target's: the system
 * ld.so cannot run with a bundled libc.
 */
#define _GNU_SOURCE
#include <string.h>
#include "elf-model.h"
#include "path.h"
#include "resolve.h"
#include "strbuf.h"

static bool same_machine(const struct aoms_elf *a, const struct aoms_elf *b)
{
	return a->elf_class == b->elf_class && a->machine == b->machine;
}

/* dir with $ORIGIN, $LIB and $PLATFORM expanded; NULL on -ENOMEM. */
static char *expand_dst(const char *dir, const struct aoms_file *obj, const char *arch)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	_cleanup_(freep) char *origin = aoms_path_dirname(obj->path);
	const struct { const char *name; const char *value; } dst[] = {
		{ "ORIGIN", origin },
		{ "LIB", obj->elf->elf_class == 2 /* ELFCLASS64 */ ? "lib64" : "lib" },
		{ "PLATFORM", arch },
	};

	if (!origin)
		return NULL;
	for (const char *p = dir; *p; p++) {
		bool done = false;

		if (*p == '$') {
			bool brace = p[1] == '{';

			for (size_t i = 0; i < ARRAY_SIZE(dst) && !done; i++) {
				size_t n = strlen(dst[i].name);

				if (strncmp(p + 1 + brace, dst[i].name, n) != 0 ||
				    (brace && p[1 + n + 1] != '}'))
					continue;
				aoms_strbuf_adds(&sb, dst[i].value ? dst[i].value : "");
				p += n + (brace ? 2 : 0);
				done = true;
			}
		}
		if (!done)
			aoms_strbuf_addc(&sb, *p);
	}
	return aoms_strbuf_detach(&sb);
}

/* Looks soname up in each directory of the colon-separated list. */
static const struct aoms_file *search_dirs(const struct aoms_resolver *rs, const char *list,
					   const struct aoms_file *obj, const char *soname,
					   const char *arch)
{
	_cleanup_(freep) char *copy = list ? strdup(list) : NULL;
	char *save = NULL;

	if (!copy)
		return NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_(freep) char *exp = expand_dst(dir, obj, arch);
		_cleanup_(freep) char *path = NULL;
		const struct aoms_file *f;

		if (!exp || exp[0] != '/')
			continue;   /* relative to the working directory: unknowable */
		path = aoms_path_join_normalize(exp, soname);
		f = path ? aoms_tree_resolve(rs->tree, path) : NULL;
		if (f && f->elf && f->elf->exports && same_machine(f->elf, obj->elf))
			return f;
	}
	return NULL;
}

/* The candidate sharing the longest directory prefix with obj: a tree holding two
 * products (two JDKs) must pair each binary with its own product's library. */
static const struct aoms_file *nearest(const struct aoms_tree_candidate *c,
				       const struct aoms_file *obj)
{
	const struct aoms_file *best = NULL;
	size_t best_len = 0;

	for (; c; c = c->next) {
		size_t n = 0, last_slash = 0;

		if (!same_machine(c->file->elf, obj->elf))
			continue;
		for (; c->file->path[n] && c->file->path[n] == obj->path[n]; n++)
			if (obj->path[n] == '/')
				last_slash = n;
		if (!best || last_slash > best_len) {
			best = c->file;
			best_len = last_slash;
		}
	}
	return best;
}

/* A library in a default directory of a scanned package ("X.rpm!/usr/lib64/..."):
 * installed together with the package needing it, the loader finds it there. */
static const struct aoms_file *package_library(const struct aoms_tree_candidate *c,
					       const struct aoms_file *obj)
{
	static const char *const dirs[] = { "/usr/lib64/", "/lib64/", "/usr/lib/", "/lib/" };

	for (; c; c = c->next) {
		const char *inner = strchr(c->file->path, '!');

		if (!inner || !same_machine(c->file->elf, obj->elf))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
			if (!strncmp(inner + 1, dirs[i], strlen(dirs[i])) &&
			    !strchr(inner + 1 + strlen(dirs[i]), '/'))
				return c->file;
	}
	return NULL;
}

int aoms_resolve_needed(const struct aoms_resolver *rs, const struct aoms_file *obj,
			const char *soname, const char *arch, struct aoms_provider *ret)
{
	const struct aoms_elf *m = obj->elf;
	const struct aoms_file *f = NULL;
	const struct aoms_libabi *lib;
	int glibc, r;

	*ret = (struct aoms_provider){ .where = AOMS_PROV_NONE };
	glibc = aoms_abidb_soname_is_glibc(rs->db, soname);
	if (glibc < 0)
		return glibc;
	if (!glibc && !strchr(soname, '/')) {
		if (m->rpath && !m->runpath)
			f = search_dirs(rs, m->rpath, obj, soname, arch);
		if (!f && !m->interp)
			f = search_dirs(rs, "$ORIGIN", obj, soname, arch);
		if (!f && m->runpath)
			f = search_dirs(rs, m->runpath, obj, soname, arch);
		if (f) {
			*ret = (struct aoms_provider){ AOMS_PROV_TREE, f->elf->exports, f->subject, f };
			return 0;
		}
	}
	r = aoms_abidb_find_library(rs->db, soname, arch, &lib);
	if (r == 0) {
		*ret = (struct aoms_provider){ AOMS_PROV_TARGET, lib, lib->path, NULL };
		return 0;
	}
	if (r != -ENOENT)
		return r;
	if (!glibc && rs->tree_sonames &&
	    (f = package_library(aoms_strmap_get(rs->tree_sonames, soname), obj))) {
		*ret = (struct aoms_provider){ AOMS_PROV_TREE, f->elf->exports, f->subject, f };
		return 0;
	}
	if (!glibc && rs->tree_sonames) {
		f = nearest(aoms_strmap_get(rs->tree_sonames, soname), obj);
		if (f)
			*ret = (struct aoms_provider){ AOMS_PROV_TREE_OFFPATH, f->elf->exports, f->subject, f };
	}
	return 0;
}

int aoms_glibc_has_symbol(struct aoms_abidb *db, const char *arch, const char *name,
			  const char *version)
{
	const char *const *sonames;
	size_t n;
	int r = aoms_abidb_glibc_sonames(db, &sonames, &n);

	for (size_t i = 0; r >= 0 && i < n; i++) {
		const struct aoms_libabi *lib;

		r = aoms_abidb_find_library(db, sonames[i], arch, &lib);
		if (r == 0 && aoms_libabi_has_symbol(lib, name, version))
			return 1;
		if (r == -ENOENT)
			r = 0;
	}
	return r < 0 ? r : 0;
}
