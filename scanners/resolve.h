/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replaying the dynamic loader's search for a DT_NEEDED soname (private to scanners/). */
#pragma once

#include <errno.h>
#include "abidb.h"
#include "libabi.h"
#include "strmap.h"
#include "tree.h"

enum aoms_provider_where {
	AOMS_PROV_NONE = 0,        /* nowhere: missing or unknown, per the DB's coverage */
	AOMS_PROV_TREE,            /* in the scanned tree, on the loader's path */
	AOMS_PROV_TREE_OFFPATH,    /* in the scanned tree, but not on the loader's path */
	AOMS_PROV_TARGET,          /* in the target database */
};

struct aoms_provider {
	enum aoms_provider_where where;
	const struct aoms_libabi *abi;   /* owned by the tree or the db */
	const char *path;                /* subject in the tree, or the target path (may be NULL) */
	const struct aoms_file *file;    /* the tree's file, NULL for the target */
};

/* One shared object of the tree known by a soname or file name. */
struct aoms_tree_candidate {
	struct aoms_file *file;
	struct aoms_tree_candidate *next;
};

struct aoms_resolver {
	struct aoms_abidb *db;
	const struct aoms_tree *tree;
	const struct aoms_strmap *tree_sonames;   /* name -> struct aoms_tree_candidate list */
};

/* Whether any glibc object of the target (aoms_abidb_glibc_sonames(); they are
 * always the target's, never a bundled copy) exports name@version: ld.so binds a
 * versioned reference across glibc's sonames (EL8 carries upstream f0b2132b).
 * 1 yes, 0 no, a negative errno from the db. */
int aoms_glibc_has_symbol(struct aoms_abidb *db, const char *arch, const char *name,
			  const char *version);

/*
 * s with ld.so's dynamic string tokens expanded as EL8's ld.so does: $ORIGIN and
 * ${ORIGIN} to origin (the object's directory), $LIB to lib64 (ELFCLASS64) or lib,
 * $PLATFORM to arch (NULL: empty). A token must end where a name ends ($ORIGINAL is
 * left alone), unknown ones are kept. Returns the string (caller frees) or NULL on
 * -ENOMEM.
 */
char *aoms_resolve_expand(const char *s, const char *origin, int elf_class, const char *arch);

/* Whether the file at path (absolute, in t) lies in a directory that is the target's
 * default library directory for its class: /usr/lib64 and /lib64 (ELFCLASS64) or
 * /usr/lib and /lib, either as such (a live system) or below one of t's input roots
 * (ROOT/usr/lib64 of an extracted root), or an input that ends in one. */
bool aoms_resolve_default_dir(const struct aoms_tree *t, const char *path, int elf_class);

/* Fills *ret (where NONE when not found); glibc's sonames come from the target
 * only. A soname with $ORIGIN, $LIB or $PLATFORM is expanded first (DT_NEEDED
 * "$ORIGIN/../lib/libx.so" is then a path in the tree). Returns 0, or a negative
 * errno from the db. */
int aoms_resolve_needed(const struct aoms_resolver *rs, const struct aoms_file *obj,
			const char *soname, const char *arch, struct aoms_provider *ret);
