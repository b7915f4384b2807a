/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ABI a shared library offers, whoever read it: abi-db builds one from the
 * target database, scanners/ from a library inside the scanned tree. The ELF check
 * consumes both the same way.
 *
 * Exported symbols are kept as 64-bit hashes of "name" and "name\0version" only:
 * the check asks membership, never enumerates, and /usr holds ~10^6 exports.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aoms_symset {
	uint64_t *slots; /* open addressing, 0 = empty */
	size_t cap;      /* power of two */
	size_t len;
};

struct aoms_libabi {
	char *soname;
	char *arch;          /* "x86_64", "aarch64", ... */
	char *path;          /* NULL when unknown */
	char *package;       /* owning package, NULL when unknown */
	bool symbols_known;  /* false: only the library's presence is a fact */
	bool available_only; /* true: only packages not installed by default (a repository)
			      * hold it: "install PACKAGE", not "present" */
	char **verdefs;      /* defined version nodes, base node excluded */
	size_t n_verdefs;
	char **needed;       /* DT_NEEDED sonames */
	size_t n_needed;
	struct aoms_symset syms;
};

/* Returns 0 or -ENOMEM. soname and arch are copied; arch may be NULL. */
int aoms_libabi_new(const char *soname, const char *arch, struct aoms_libabi **ret);
/* Accepts NULL. */
void aoms_libabi_free(struct aoms_libabi *lib);

/* Setters copy their strings; 0 or -ENOMEM. */
int aoms_libabi_set_path(struct aoms_libabi *lib, const char *path);
int aoms_libabi_set_package(struct aoms_libabi *lib, const char *package);
/* Adding an existing version is a no-op. */
int aoms_libabi_add_verdef(struct aoms_libabi *lib, const char *version);
int aoms_libabi_add_needed(struct aoms_libabi *lib, const char *soname);
/* version NULL or "" records an unversioned export. Marks symbols_known. */
int aoms_libabi_add_symbol(struct aoms_libabi *lib, const char *name, const char *version);

bool aoms_libabi_has_verdef(const struct aoms_libabi *lib, const char *version);
/* version NULL: exported at any version (or unversioned). */
bool aoms_libabi_has_symbol(const struct aoms_libabi *lib, const char *name, const char *version);

/* The set on its own, for tests and other users. */
int aoms_symset_add(struct aoms_symset *set, uint64_t key);
bool aoms_symset_contains(const struct aoms_symset *set, uint64_t key);
void aoms_symset_release(struct aoms_symset *set);
uint64_t aoms_symkey(const char *name, const char *version);
