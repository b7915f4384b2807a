/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The package transaction solved with libsolv (the solver dnf uses) against target
 * repositories' metadata (DIR/repodata/ as createrepo_c writes it) and a host's
 * installed packages as its assessment recorded them (report/installed.h). libsolv is
 * used here only. docs/plan-schema.md "transaction.resolved" documents the result.
 * Not thread-safe: the repositories' pool serves one host at a time.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "aoms-macro.h"
#include "report.h"

struct aoms_solve_repo;

/* One target repository of the pool: what the plan records of it so that the executor
 * finds it again wherever it is mounted (docs/plan-schema.md "transaction.resolved"). */
struct aoms_solve_source {
	char *id;          /* unique in the pool: DIR's last component ("BaseOS"), "-2"... on a clash */
	char *dir;         /* as given */
	char *repomd;      /* "sha256:HEX" of DIR/repodata/repomd.xml: the identity */
	char *revision;    /* repomd.xml's <revision>, "" when it has none */
	size_t n_packages;
};

/* An empty set of target repositories (one libsolv pool). 0 or -ENOMEM. */
int aoms_solve_repo_new(struct aoms_solve_repo **ret);
/*
 * Adds the repository in dir to the pool: loads dir's repodata/repomd.xml, then the
 * primary metadata it names and the filelists and modules (modules.yaml) when it names
 * them (gzip, xz, zstd, bzip2 or plain), each checked against the checksum repomd.xml
 * gives. Every repository has the same priority: the solver chooses among them by
 * version, as dnf does among repositories of equal priority; module metadata is merged
 * across them. Returns 0; or, with a one-line reason in *ret_reason (caller frees):
 * -ENOENT no repodata/repomd.xml or a file it names is missing; -EEXIST dir's
 * repomd.xml is byte-identical to that of a repository added before (the same
 * repository twice); -EBADMSG repomd.xml or a metadata file is not what createrepo_c
 * writes (not XML, no primary, a location outside dir, a checksum mismatch, modules.yaml
 * that is not YAML or has a module document without name and stream); -ENOTSUP the
 * repository has module metadata and aoms was built without libyaml; -ENOMEM; -errno
 * of opening or reading. On an error the pool is as before only for -EEXIST; otherwise
 * free it.
 */
int aoms_solve_repo_add(struct aoms_solve_repo *r, const char *dir, char **ret_reason);
void aoms_solve_repo_free(struct aoms_solve_repo *r);
DEFINE_FREE_FUNC(struct aoms_solve_repo, aoms_solve_repo_free)
/* The number of packages the repositories offer. */
size_t aoms_solve_repo_n_packages(const struct aoms_solve_repo *r);
/* The repositories, in the order added (owned by r). */
size_t aoms_solve_repo_n_sources(const struct aoms_solve_repo *r);
const struct aoms_solve_source *aoms_solve_repo_source(const struct aoms_solve_repo *r, size_t i);

/* What to solve for one host. Names are package names. */
struct aoms_solve_request {
	const char *arch;                  /* the host's arch ("x86_64"); NULL: x86_64 */
	const struct aoms_report *report;  /* its installed packages (installed.h) */
	bool distro_sync;                  /* every installed package to the repo's build */
	const char *const *erase;
	size_t n_erase;
	const char *const *install;
	size_t n_install;
	/* module streams ("module:stream") the plan enables for the host; with the streams
	 * its installed packages came from (their module_stream) and the repository's
	 * defaults they decide which packages of a repository with module metadata the
	 * solve considers (dnf's modular filtering, solve-private.h) */
	const char *const *streams;
	size_t n_streams;
};

/* A package to install: NEVRA, location (relative to its repository's directory) and
 * checksum ("sha256:HEX", the type as primary.xml gives it). */
struct aoms_solve_pkg {
	char *nevra, *location, *checksum;
	const char *repo;      /* the id of the repository it comes from (owned by the pool) */
	char *module_stream;   /* "module:stream" it is an artifact of; NULL: not modular */
};

/* Why no transaction exists: the package that cannot be satisfied (a name; "" for a
 * request of the job itself), its NEVRA ("" likewise), the capability nothing
 * provides or that cannot be installed, and libsolv's sentence. */
struct aoms_solve_problem {
	char *package, *nevra, *capability, *text;
};

struct aoms_solve_result {
	char **erase;                      /* NEVRAs the host loses, sorted */
	size_t n_erase;
	struct aoms_solve_pkg *install;    /* sorted by NEVRA */
	size_t n_install;
	struct aoms_solve_problem *problems;   /* none when the transaction exists */
	size_t n_problems;
};

/*
 * Solves req against repo: erase by name, install by name or else by what provides
 * the name (as dnf install does), and with distro_sync a
 * distribution sync of everything else (installed packages the repository does not
 * have stay). Kernel packages are install-only, as dnf keeps them. erase in the result
 * is every installed package that leaves (also those a package of install replaces),
 * so that the installed set after is the one before less erase plus install.
 * Returns 0 and *ret (problems set when unsolvable; erase and install then empty);
 * -EBADMSG with *ret_reason when an installed package's dependency cannot be parsed
 * or a package to install lies outside the repository directory; -ENOMEM.
 */
int aoms_solve(struct aoms_solve_repo *repo, const struct aoms_solve_request *req,
	       struct aoms_solve_result *ret, char **ret_reason);
void aoms_solve_result_release(struct aoms_solve_result *r);
