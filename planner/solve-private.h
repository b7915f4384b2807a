/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What solve-repo.c (loading the repositories) and solve.c (the solving) share. */
#pragma once

#include <solv/pool.h>
#include <solv/repo.h>
#include <stdio.h>
#include "solve.h"
#include "strbuf.h"
#include "strmap.h"

/* One stream of a module (a modulemd document of the repository's modules.yaml). */
struct solve_module_stream {
	char *name;                 /* "module:stream" */
	size_t module_len;          /* of "module" */
	bool is_default;            /* a modulemd-defaults document names it */
};

/* The module metadata of every repository of the pool, merged as dnf merges it (a
 * module's streams may come from several repositories; their defaults are merged)
 * (solve-modules.c): the streams, and for each package the stream it is an artifact of. */
struct solve_modules {
	bool present;                       /* a repomd.xml names "modules" metadata */
	struct solve_module_stream *streams;
	size_t n_streams, cap_streams;
	char **artifacts;                   /* "name-EPOCH:VERSION-RELEASE.ARCH", owned */
	size_t n_artifacts, cap_artifacts;
	struct aoms_strmap by_artifact;     /* artifact -> struct solve_module_stream * */
	struct aoms_strbuf defaults;        /* "module:stream\n" of every defaults document */
	struct solve_module_stream **of;    /* per solvable id below n_of (the repositories') */
	size_t n_of;
};

struct aoms_solve_repo {
	Pool *pool;
	struct aoms_solve_source *src;      /* each repository, in the order added */
	Repo **repos;                       /* parallel to src: its packages */
	size_t n_src;
	struct solve_modules modules;
};

/*
 * Reads the modules.yaml stream f (modulemd and modulemd-defaults documents; others are
 * skipped) into m. Returns 0; -EBADMSG with *ret_reason (caller frees; where names the
 * file) when it is not YAML or a document lacks data.name/data.stream; -ENOTSUP when
 * aoms was built without libyaml; -ENOMEM.
 */
int solve_modules_read(struct solve_modules *m, FILE *f, const char *where, char **ret_reason);
/* After every repository is loaded (before the installed one is added): the default
 * streams (a module two repositories give different defaults has none, as libmodulemd
 * merges them) and each package's stream. 0 or -ENOMEM. */
int solve_modules_index(struct solve_modules *m, Pool *pool);
void solve_modules_release(struct solve_modules *m);
/*
 * The packages of the repositories dnf would not consider for a host that enables
 * streams[0..n) and has installed[0..n_installed) streams: of each module, the stream
 * enabled, else the installed one, else the default, is active; a package of another
 * stream, and a non-modular package of the name of an active stream's package, is left
 * out (dnf's modular filtering). Sets pool->considered (a new map the caller frees with
 * solve_modules_done()) when a repository has module metadata. 0 or -ENOMEM.
 */
int solve_modules_consider(const struct solve_modules *m, Pool *pool,
			   const char *const *streams, size_t n,
			   const char *const *installed, size_t n_installed);
void solve_modules_done(Pool *pool);
/* The stream package p is an artifact of, or NULL. */
const char *solve_modules_stream_of(const struct solve_modules *m, Id p);

/* Whether loc is a relative path without "..": the files a repository's metadata
 * names (repomd.xml's data, primary.xml's packages) must be inside its directory. */
bool solve_location_inside(const char *loc);
