/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A target repository's metadata into a libsolv pool: repodata/repomd.xml, then the
 * primary and filelists files it names, checked against its checksums. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "solve-private.h"   /* first: libsolv's pool.h and repo.h */
#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/repo_repomdxml.h>
#include <solv/repo_rpmmd.h>
#include <solv/solv_xfopen.h>
#include "input-file.h"
#include "strbuf.h"

/* repomd.xml is small; metadata files are capped well above any real repository's. */
#define REPOMD_MAX ((uint64_t)16 << 20)
#define METADATA_MAX ((uint64_t)4 << 30)

static int fail(char **ret_reason, int err, const char *fmt, ...) _printf_(3, 4);
static int fail(char **ret_reason, int err, const char *fmt, ...)
{
	va_list ap;

	if (ret_reason) {
		free(*ret_reason);
		va_start(ap, fmt);
		if (vasprintf(ret_reason, fmt, ap) < 0)
			*ret_reason = NULL;
		va_end(ap);
	}
	return err;
}

/* The location and checksum of repomd.xml's data of type what (libsolv's examples/solv
 * repomd_find): NULL when repomd.xml has none. */
static const char *repomd_find(Repo *repo, const char *what, const unsigned char **ret_sum,
			       Id *ret_type)
{
	Pool *pool = repo->pool;
	Dataiterator di;
	const char *location = NULL;

	*ret_sum = NULL;
	*ret_type = 0;
	dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, what, SEARCH_STRING);
	dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
	if (dataiterator_step(&di)) {
		dataiterator_setpos_parent(&di);
		location = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
		*ret_sum = pool_lookup_bin_checksum(pool, SOLVID_POS, REPOSITORY_REPOMD_CHECKSUM,
						    ret_type);
	}
	dataiterator_free(&di);
	return location;
}

/* Relative, without "..": repomd.xml names files inside the repository only. */
bool solve_location_inside(const char *loc)
{
	if (!*loc || loc[0] == '/' || strstr(loc, "://"))
		return false;
	for (const char *p = loc; p; p = strchr(p, '/')) {
		p += *p == '/';
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
			return false;
	}
	return true;
}

/* Reads fd to its end through a checksum of type; 0 when it is sum. */
static int checksum_matches(int fd, Id type, const unsigned char *sum)
{
	Chksum *c = solv_chksum_create(type);
	unsigned char buf[65536];
	const unsigned char *got;
	ssize_t n;
	int len, r = 0;

	if (!c)
		return -EBADMSG;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		solv_chksum_add(c, buf, (int)n);
	if (n < 0)
		r = -errno;
	got = solv_chksum_get(c, &len);
	if (r == 0 && (!got || memcmp(got, sum, (size_t)len) != 0))
		r = -EBADMSG;
	solv_chksum_free(c, NULL);
	if (r == 0 && lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	return r;
}

/* One metadata file named by repomd.xml into the repository (flags: 0 for primary,
 * REPO_EXTEND_SOLVABLES for filelists; "modules": modules.yaml, solve-modules.c). */
static int load_md(struct aoms_solve_repo *sr, const char *dir, const char *what,
		   bool required, int flags, char **ret_reason)
{
	const unsigned char *sum;
	Id type;
	const char *loc = repomd_find(sr->repo, what, &sum, &type);
	_cleanup_(freep) char *path = NULL;
	FILE *f;
	int fd, r;

	if (!loc)
		return required ? fail(ret_reason, -EBADMSG, "repository '%s': repomd.xml names no "
				       "%s metadata", dir, what) : 0;
	if (!solve_location_inside(loc))
		return fail(ret_reason, -EBADMSG, "repository '%s': repomd.xml's %s location '%s' "
			    "is outside the repository", dir, what, loc);
	if (!sum)
		return fail(ret_reason, -EBADMSG, "repository '%s': repomd.xml gives no checksum "
			    "of '%s'", dir, loc);
	if (!(path = aoms_strdupf("%s/%s", dir, loc)))
		return -ENOMEM;
	if ((fd = aoms_open_untrusted(AT_FDCWD, path, 0, METADATA_MAX)) < 0)
		return fail(ret_reason, fd, "cannot open '%s': %s", path, strerror(-fd));
	if ((r = checksum_matches(fd, type, sum)) < 0) {
		close(fd);
		return fail(ret_reason, r, r == -EBADMSG ? "'%s' does not match its %s checksum "
			    "in repomd.xml" : "cannot read '%s'%s", path,
			    r == -EBADMSG ? solv_chksum_type2str(type) : "");
	}
	if (!(f = solv_xfopen_fd(loc, fd, "r"))) {
		close(fd);
		return fail(ret_reason, -EBADMSG, "cannot decompress '%s'", path);
	}
	if (strcmp(what, "modules") == 0) {
		r = solve_modules_read(&sr->modules, f, path, ret_reason);
		fclose(f);
		return r;
	}
	r = repo_add_rpmmd(sr->repo, f, NULL, flags);
	fclose(f);
	if (r != 0)
		return fail(ret_reason, -EBADMSG, "'%s' is not %s metadata: %s", path, what,
			    pool_errstr(sr->pool));
	return 0;
}

static int load_repomd(struct aoms_solve_repo *sr, const char *dir, char **ret_reason)
{
	_cleanup_(freep) char *path = aoms_strdupf("%s/repodata/repomd.xml", dir);
	FILE *f;
	int fd, r;

	if (!path)
		return -ENOMEM;
	if ((fd = aoms_open_untrusted(AT_FDCWD, path, 0, REPOMD_MAX)) < 0)
		return fail(ret_reason, fd, "cannot open '%s': %s", path, strerror(-fd));
	if (!(f = fdopen(fd, "r"))) {
		close(fd);
		return -errno;
	}
	r = repo_add_repomdxml(sr->repo, f, 0);
	fclose(f);
	if (r != 0)
		return fail(ret_reason, -EBADMSG, "'%s' is not a repomd.xml: %s", path,
			    pool_errstr(sr->pool));
	return 0;
}

int aoms_solve_repo_load(const char *dir, struct aoms_solve_repo **ret, char **ret_reason)
{
	_cleanup_(aoms_solve_repo_freep) struct aoms_solve_repo *sr = calloc(1, sizeof(*sr));
	int r;

	if (!sr || !(sr->pool = pool_create()))
		return -ENOMEM;
	pool_setdisttype(sr->pool, DISTTYPE_RPM);
	if (!(sr->repo = repo_create(sr->pool, "target")))
		return -ENOMEM;
	if ((r = load_repomd(sr, dir, ret_reason)) < 0 ||
	    (r = load_md(sr, dir, "primary", true, 0, ret_reason)) < 0 ||
	    (r = load_md(sr, dir, "filelists", false, REPO_EXTEND_SOLVABLES, ret_reason)) < 0 ||
	    (r = load_md(sr, dir, "modules", false, 0, ret_reason)) < 0)
		return r;
	repo_internalize(sr->repo);
	if ((r = solve_modules_index(&sr->modules, sr->repo)) < 0)
		return r;
	*ret = TAKE_PTR(sr);
	return 0;
}

void aoms_solve_repo_free(struct aoms_solve_repo *r)
{
	if (!r)
		return;
	if (r->pool)
		pool_free(r->pool);
	solve_modules_release(&r->modules);
	free(r);
}

size_t aoms_solve_repo_n_packages(const struct aoms_solve_repo *r)
{
	return (size_t)r->repo->nsolvables;
}
