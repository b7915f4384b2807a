/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What solve-repo.c (loading the repository) and solve.c (the solving) share. */
#pragma once

#include <solv/pool.h>
#include <solv/repo.h>
#include <stdio.h>
#include "solve.h"
#include "strmap.h"

/* One stream of a module (a modulemd document of the repository's modules.yaml). */
struct solve_module_stream {
	char *name;                 /* "module:stream" */
	size_t module_len;          /* of "module" */
	bool is_default;            /* a modulemd-defaults document names it */
};

/* The repository's module metadata (solve-modules.c): its streams, and for each of the
 * repository's packages the stream it is an artifact of. */
struct solve_modules {
	bool present;                       /* repomd.xml names "modules" metadata */
	struct solve_module_stream *streams;
	size_t n_streams;
	char **artifacts;                   /* "name-EPOCH:VERSION-RELEASE.ARCH", owned */
	size_t n_artifacts;
	struct aoms_strmap by_artifact;     /* artifact -> struct solve_module_stream * */
	struct solve_module_stream **of;    /* per solvable of the repository (id - start) */
};

struct aoms_solve_repo {
	Pool *pool;
	Repo *repo;       /* the target repository's packages */
	struct solve_modules modules;
};

/*
 * Reads the modules.yaml stream f (modulemd and modulemd-defaults documents; others are
 * skipped) into m. Returns 0; -EBADMSG with *ret_reason (caller frees; where names the
 * file) when it is not YAML or a document lacks data.name/data.stream; -ENOTSUP when
 * aoms was built without libyaml; -ENOMEM.
 */
int solve_modules_read(struct solve_modules *m, FILE *f, const char *where, char **ret_reason);
/* After the repository is internalized: each of its packages' stream. 0 or -ENOMEM. */
int solve_modules_index(struct solve_modules *m, Repo *repo);
void solve_modules_release(struct solve_modules *m);
/*
 * The packages of the repository dnf would not consider for a host that enables
 * streams[0..n) and has installed[0..n_installed) streams: of each module, the stream
 * enabled, else the installed one, else the default, is active; a package of another
 * stream, and a non-modular package of the name of an active stream's package, is left
 * out (dnf's modular filtering). Sets pool->considered (a new map the caller frees with
 * solve_modules_done()) when the repository has module metadata. 0 or -ENOMEM.
 */
int solve_modules_consider(const struct solve_modules *m, Repo *repo,
			   const char *const *streams, size_t n,
			   const char *const *installed, size_t n_installed);
void solve_modules_done(Pool *pool);
/* The stream package p of the repository is an artifact of, or NULL. */
const char *solve_modules_stream_of(const struct solve_modules *m, Repo *repo, Id p);

/* Whether loc is a relative path without "..": the files a repository's metadata
 * names (repomd.xml's data, primary.xml's packages) must be inside its directory. */
bool solve_location_inside(const char *loc);
