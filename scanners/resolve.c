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

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char *aoms_resolve_expand(const char *s, const char *origin, int elf_class, const char *arch)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	const struct { const char *name; const char *value; } dst[] = {
		{ "ORIGIN", origin },
		/* the target's (EL8) ld.so: lib64 for 64-bit objects */
		{ "LIB", elf_class == 2 /* ELFCLASS64 */ ? "lib64" : "lib" },
		{ "PLATFORM", arch },
	};

	for (const char *p = s; *p; p++) {
		bool done = false;

		if (*p == '$') {
			bool brace = p[1] == '{';

			for (size_t i = 0; i < ARRAY_SIZE(dst) && !done; i++) {
				size_t n = strlen(dst[i].name);

				/* $ORIGINAL is no $ORIGIN: the name ends where ld.so's does */
				if (strncmp(p + 1 + brace, dst[i].name, n) != 0 ||
				    (brace && p[1 + n + 1] != '}') ||
				    (!brace && is_name_char(p[1 + n])))
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

/* dir with $ORIGIN (obj's directory), $LIB and $PLATFORM expanded; NULL on -ENOMEM. */
static char *expand_dst(const char *dir, const struct aoms_file *obj, const char *arch)
{
	_cleanup_(freep) char *origin = aoms_path_dirname(obj->path);

	return origin ? aoms_resolve_expand(dir, origin, obj->elf->elf_class, arch) : NULL;
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

/* Whether dir is root + name, or root itself ending in name. */
static bool dir_is_root_plus(const char *dir, const char *root, const char *name)
{
	size_t rl = strlen(root), nl = strlen(name);

	while (rl && root[rl - 1] == '/')
		rl--;
	if (!strncmp(dir, root, rl) && !strcmp(dir + rl, name))
		return true;
	return !strcmp(dir, root) && rl >= nl && !strncmp(root + rl - nl, name, nl);
}

bool aoms_resolve_default_dir(const struct aoms_tree *t, const char *path, int elf_class)
{
	static const char *const dirs64[] = { "/usr/lib64", "/lib64" }, *const dirs32[] = { "/usr/lib", "/lib" };
	const char *const *dirs = elf_class == 2 /* ELFCLASS64 */ ? dirs64 : dirs32;
	_cleanup_(freep) char *dir = aoms_path_dirname(path);

	if (!dir || strchr(dir, '!'))
		return false;
	for (size_t i = 0; i < 2; i++) {
		if (!strcmp(dir, dirs[i]))
			return true;
		for (size_t k = 0; k < t->n_roots; k++)
			if (dir_is_root_plus(dir, t->roots[k], dirs[i]))
				return true;
	}
	return false;
}

/* A library in a default directory of a scanned package ("X.rpm!/usr/lib64/..."):
 * installed together with the package needing it, the loader finds it there. So
 * does it a library in a scanned directory that is itself a default directory
 * (/usr/lib64, or ROOT/usr/lib64 of an extracted root given as input). */
static const struct aoms_file *package_library(const struct aoms_tree *t,
					       const struct aoms_tree_candidate *c,
					       const struct aoms_file *obj)
{
	static const char *const dirs[] = { "/usr/lib64/", "/lib64/", "/usr/lib/", "/lib/" };

	for (; c; c = c->next) {
		const char *inner = strchr(c->file->path, '!');

		if (!same_machine(c->file->elf, obj->elf))
			continue;
		if (!inner && aoms_resolve_default_dir(t, c->file->path, c->file->elf->elf_class))
			return c->file;
		for (size_t i = 0; inner && i < ARRAY_SIZE(dirs); i++)
			if (!strncmp(inner + 1, dirs[i], strlen(dirs[i])) &&
			    !strchr(inner + 1 + strlen(dirs[i]), '/'))
				return c->file;
	}
	return NULL;
}

/* A DT_NEEDED path (after expansion): opened as is, in the tree when absolute. */
static int resolve_path(const struct aoms_resolver *rs, const struct aoms_file *obj,
			const char *path, struct aoms_provider *ret)
{
	_cleanup_(freep) char *norm = path[0] == '/' ? aoms_path_join_normalize(NULL, path) : NULL;
	const struct aoms_file *f;

	if (path[0] != '/')
		return 0;   /* relative to the working directory: unknowable */
	if (!norm)
		return -ENOMEM;
	f = aoms_tree_resolve(rs->tree, norm);
	if (f && f->elf && f->elf->exports && same_machine(f->elf, obj->elf))
		*ret = (struct aoms_provider){ AOMS_PROV_TREE, f->elf->exports, f->subject, f };
	return 0;
}

int aoms_resolve_needed(const struct aoms_resolver *rs, const struct aoms_file *obj,
			const char *soname, const char *arch, struct aoms_provider *ret)
{
	const struct aoms_elf *m = obj->elf;
	const struct aoms_file *f = NULL;
	const struct aoms_libabi *lib;
	_cleanup_(freep) char *expanded = NULL;
	int glibc, r;

	*ret = (struct aoms_provider){ .where = AOMS_PROV_NONE };
	/* ld.so expands DSTs in DT_NEEDED too; a name with a '/' then is a path. */
	if (strchr(soname, '$')) {
		expanded = expand_dst(soname, obj, arch);
		if (!expanded)
			return -ENOMEM;
		soname = expanded;
		if (strchr(soname, '/'))
			return resolve_path(rs, obj, soname, ret);
	}
	glibc = aoms_abidb_soname_is_glibc(rs->db, soname);
	if (glibc < 0)
		return glibc;
	if (!glibc && !strchr(soname, '/')) {
		if (m->rpath && !m->runpath)
			f = search_dirs(rs, m->rpath, obj, soname, arch);
		/* A library's siblings; in a default directory, the default search below. */
		if (!f && !m->interp && !aoms_resolve_default_dir(rs->tree, obj->path, m->elf_class))
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
	    (f = package_library(rs->tree, aoms_strmap_get(rs->tree_sonames, soname), obj))) {
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
