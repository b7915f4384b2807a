/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Packages and what they provide, in RPM's own spelling: a library soname
 * "libfoo.so.1()(64bit)", a version node "libc.so.6(GLIBC_2.14)(64bit)", a file
 * "/usr/bin/python3", a package name, a virtual capability. A package is
 * installed (in the root, the default install) or only available (from a
 * repository): a need that only an available package meets is remediated with
 * "install PACKAGE", not reported missing. Included by abidb.h.
 */
#pragma once

/* ---- writing ------------------------------------------------------------ */

/*
 * Adds a package. epoch < 0: the package has no Epoch. nevra NULL or "": made as
 * RPM prints it, "name-[epoch:]version-release.arch". *ret_id (may be NULL) is the
 * package's row id for aoms_abidb_add_provide(). The same NEVRA may be added by
 * several sources (the root, a repository): rows are not merged.
 * Returns 0, -EINVAL for a NULL or empty name, version, release or arch, or as
 * the other writers do (-EROFS, -ENOMEM, -EIO).
 */
int aoms_abidb_add_package(struct aoms_abidb *db, int64_t source_id, const char *name,
			   int64_t epoch, const char *version, const char *release,
			   const char *arch, const char *nevra, bool installed, int64_t *ret_id);

/*
 * Adds a Provides of package pkg_id. op NULL or "" for an unversioned provide
 * (then evr must be NULL or ""), else one of "=", "<", ">", "<=", ">=" with a
 * non-empty evr ("[epoch:]version[-release]"). File paths the package owns are
 * provides too: a builder adds them (all, or those repository metadata lists).
 * Adding the same provide twice is a no-op. Returns 0, -EINVAL, or as the other
 * writers do.
 */
int aoms_abidb_add_provide(struct aoms_abidb *db, int64_t pkg_id, const char *name,
			   const char *op, const char *evr);

/*
 * Records that the target's repository repo ("BaseOS", "AppStream", ...) has a
 * package called name (table repo_package, schema 2.5; names only). Adding a pair
 * twice is a no-op. Returns 0, -EINVAL for an empty name or repo, -EOPNOTSUPP for a
 * database older than 2.5, or as the other writers do.
 */
int aoms_abidb_add_repo_package(struct aoms_abidb *db, int64_t source_id, const char *name,
				const char *repo);

/* ---- lookups (thread-safe) ---------------------------------------------- */

/*
 * The repository of the target that has a package called name (the first by name
 * when several do; the caller frees *ret_repo): 0, -ENOENT when none does (or the
 * database predates 2.5), -EINVAL, -ENOMEM, -EIO.
 */
int aoms_abidb_repo_package(struct aoms_abidb *db, const char *name, char **ret_repo);

/* One package providing a capability. In aoms_abidb_find_provider() the strings
 * belong to the caller: aoms_abidb_provider_release() frees them. In a
 * aoms_abidb_foreach_provider() callback they are valid during the call. */
struct aoms_abidb_provider {
	char *name;        /* package name, e.g. "compat-openssl10" */
	char *nevra;       /* e.g. "compat-openssl10-1:1.0.2o-4.el8_6.x86_64" */
	char *arch;        /* package arch; "noarch" possible */
	char *evr;         /* "[epoch:]version-release" of the package */
	bool installed;
	char *provide_op;  /* the matching provide's "=", ">="...; NULL: unversioned */
	char *provide_evr; /* its version; NULL: unversioned */
};
void aoms_abidb_provider_release(struct aoms_abidb_provider *p);

/*
 * Calls fn for every package providing capability exactly (no version
 * comparison), best first: installed before available, the wanted arch before
 * noarch, then by name, newest EVR first (rpmvercmp order), NEVRA. arch NULL or
 * "noarch" (the needs of a noarch package): any package arch; else that arch or
 * noarch. fn's non-zero return stops and is
 * returned. Returns 0 (also when nothing provides it), -EINVAL for a NULL
 * capability, -ENOMEM, -EIO.
 */
int aoms_abidb_foreach_provider(struct aoms_abidb *db, const char *capability, const char *arch,
				int (*fn)(const struct aoms_abidb_provider *p, void *ud),
				void *ud);

/* The best provider of capability (the first of aoms_abidb_foreach_provider()).
 * Returns 0 and *ret (release it); -ENOENT when no package provides it; -EINVAL,
 * -ENOMEM, -EIO. */
int aoms_abidb_find_provider(struct aoms_abidb *db, const char *capability, const char *arch,
			     struct aoms_abidb_provider *ret);

/* ---- RPM spellings ------------------------------------------------------ */

/*
 * Splits a library capability: "libc.so.6(GLIBC_2.14)(64bit)" gives soname
 * "libc.so.6", version "GLIBC_2.14", is_64bit true; "libfoo.so.1()(64bit)" and
 * "libfoo.so.1" give version NULL. *ret_soname and *ret_version are the
 * caller's to free. Returns 0, or -EINVAL when capability is not a soname
 * capability (a path, a name without ".so", unbalanced parentheses), -ENOMEM.
 */
int aoms_abidb_parse_soname_capability(const char *capability, char **ret_soname,
				       char **ret_version, bool *ret_64bit);

/*
 * The library that meets a soname capability on arch without package facts: the
 * library with the capability's soname, defining its version node when it names
 * one. Returns 0 and *ret as aoms_abidb_find_library() does (owned by the db);
 * -ENOENT when no library meets it; -EINVAL when capability is not a soname
 * capability or arch is NULL; -ENOMEM, -EIO.
 */
int aoms_abidb_find_capability_library(struct aoms_abidb *db, const char *capability,
				       const char *arch, const struct aoms_libabi **ret);

/* The capability RPM generates for a soname (and version node, or NULL): the
 * reverse of the above. Returns a string the caller frees, NULL on -ENOMEM. */
char *aoms_abidb_soname_capability(const char *soname, const char *version, bool is_64bit);

/* rpmvercmp(): <0, 0, >0 as version string a sorts before, with, after b ("1.10"
 * after "1.9", "1.0~rc1" before "1.0", "1.0^git1" after "1.0"). NULL sorts first. */
int aoms_abidb_rpmvercmp(const char *a, const char *b);
/* "[epoch:]version[-release]" compared like rpm: epoch (missing = 0), then version,
 * then release when both have one. <0, 0, >0. */
int aoms_abidb_evrcmp(const char *a, const char *b);
/* Whether a provide "pop pevr" satisfies a requirement "op evr". Unversioned on
 * either side satisfies (as rpm); a provide with an operator other than "=" is not
 * compared and satisfies. */
bool aoms_abidb_provide_satisfies(const char *pop, const char *pevr, const char *op,
				  const char *evr);
