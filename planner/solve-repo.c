/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Target repositories' metadata into one libsolv pool, a libsolv repository each:
 * repodata/repomd.xml (its sha256 the repository's identity in the plan), then the
 * primary, filelists and modules files it names, checked against its checksums. */
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
#include <solv/util.h>
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

/* Reads fd to its end through a checksum of type, then rewinds it: sum matches it
 * (-EBADMSG when not) or, sum NULL, *ret_hex is it in hex (caller frees). */
static int checksum_fd(int fd, Id type, const unsigned char *sum, char **ret_hex)
{
	Chksum *c = solv_chksum_create(type);
	unsigned char buf[65536];
	const unsigned char *got;
	char hex[129];
	ssize_t n;
	int len, r = 0;

	if (!c)
		return -EBADMSG;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		solv_chksum_add(c, buf, (int)n);
	if (n < 0)
		r = -errno;
	got = solv_chksum_get(c, &len);
	if (r == 0 && !got)
		r = -EBADMSG;
	else if (r == 0 && sum && memcmp(got, sum, (size_t)len) != 0)
		r = -EBADMSG;
	else if (r == 0 && !sum && (len > 64 || !solv_bin2hex(got, len, hex) || !(*ret_hex = strdup(hex))))
		r = -ENOMEM;
	solv_chksum_free(c, NULL);
	if (r == 0 && lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	return r;
}

/* One metadata file named by repomd.xml into the repository (flags: 0 for primary,
 * REPO_EXTEND_SOLVABLES for filelists; "modules": modules.yaml, solve-modules.c). */
static int load_md(struct aoms_solve_repo *sr, Repo *repo, const char *dir, const char *what,
		   bool required, int flags, char **ret_reason)
{
	const unsigned char *sum;
	Id type;
	const char *loc = repomd_find(repo, what, &sum, &type);
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
	if ((r = checksum_fd(fd, type, sum, NULL)) < 0) {
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
	r = repo_add_rpmmd(repo, f, NULL, flags);
	fclose(f);
	if (r != 0)
		return fail(ret_reason, -EBADMSG, "'%s' is not %s metadata: %s", path, what,
			    pool_errstr(sr->pool));
	return 0;
}

/* repomd.xml into repo; its sha256 and revision into src. */
static int load_repomd(Repo *repo, const char *dir, struct aoms_solve_source *src,
		       char **ret_reason)
{
	_cleanup_(freep) char *path = aoms_strdupf("%s/repodata/repomd.xml", dir);
	_cleanup_(freep) char *hex = NULL;
	const char *rev;
	FILE *f;
	int fd, r;

	if (!path)
		return -ENOMEM;
	if ((fd = aoms_open_untrusted(AT_FDCWD, path, 0, REPOMD_MAX)) < 0)
		return fail(ret_reason, fd, "cannot open '%s': %s", path, strerror(-fd));
	if ((r = checksum_fd(fd, REPOKEY_TYPE_SHA256, NULL, &hex)) < 0 || !(f = fdopen(fd, "r"))) {
		r = r < 0 ? r : -errno;
		close(fd);
		return fail(ret_reason, r, "cannot read '%s': %s", path, strerror(-r));
	}
	r = repo_add_repomdxml(repo, f, 0);
	fclose(f);
	if (r != 0)
		return fail(ret_reason, -EBADMSG, "'%s' is not a repomd.xml: %s", path,
			    pool_errstr(repo->pool));
	rev = repo_lookup_str(repo, SOLVID_META, REPOSITORY_REVISION);
	if (!(src->repomd = aoms_strdupf("sha256:%s", hex)) || !(src->revision = strdup(rev ? rev : "")))
		return -ENOMEM;
	return 0;
}

int aoms_solve_repo_new(struct aoms_solve_repo **ret)
{
	struct aoms_solve_repo *sr = calloc(1, sizeof(*sr));

	if (!sr || !(sr->pool = pool_create())) {
		free(sr);
		return -ENOMEM;
	}
	pool_setdisttype(sr->pool, DISTTYPE_RPM);
	*ret = sr;
	return 0;
}

static void source_release(struct aoms_solve_source *s)
{
	free(s->id);
	free(s->dir);
	free(s->repomd);
	free(s->revision);
}

/* dir's last component, unique among the repositories: "-2", "-3"... on a clash. */
static char *source_id(const struct aoms_solve_repo *sr, const char *dir)
{
	size_t len = strlen(dir), start;
	_cleanup_(freep) char *base = NULL;
	char *id = NULL;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (start = len; start > 0 && dir[start - 1] != '/'; start--)
		;
	if (!(base = len > start && strncmp(dir + start, ".", len - start) != 0 ?
		     strndup(dir + start, len - start) : strdup("repo")))
		return NULL;
	for (unsigned n = 1; n < 10000; n++) {
		bool taken = false;

		free(id);
		if (!(id = n == 1 ? strdup(base) : aoms_strdupf("%s-%u", base, n)))
			return NULL;
		for (size_t i = 0; i < sr->n_src && !taken; i++)
			taken = strcmp(sr->src[i].id, id) == 0;
		if (!taken)
			return id;
	}
	free(id);
	return NULL;
}

int aoms_solve_repo_add(struct aoms_solve_repo *sr, const char *dir, char **ret_reason)
{
	struct aoms_solve_source src = { 0 };
	Repo *repo, **repos;
	struct aoms_solve_source *v;
	int r;

	if (!(repos = realloc(sr->repos, (sr->n_src + 1) * sizeof(*repos))))
		return -ENOMEM;
	sr->repos = repos;
	if (!(v = realloc(sr->src, (sr->n_src + 1) * sizeof(*v))))
		return -ENOMEM;
	sr->src = v;
	if (!(src.id = source_id(sr, dir)) || !(src.dir = strdup(dir)) ||
	    !(repo = repo_create(sr->pool, src.id))) {
		source_release(&src);
		return -ENOMEM;
	}
	r = load_repomd(repo, dir, &src, ret_reason);
	for (size_t i = 0; r == 0 && i < sr->n_src; i++)
		if (strcmp(sr->src[i].repomd, src.repomd) == 0)
			r = fail(ret_reason, -EEXIST, "repository '%s' is the same as '%s' (the same "
				 "repomd.xml, %s)", dir, sr->src[i].dir, src.repomd);
	if (r == 0 && (r = load_md(sr, repo, dir, "primary", true, 0, ret_reason)) == 0 &&
	    (r = load_md(sr, repo, dir, "filelists", false, REPO_EXTEND_SOLVABLES, ret_reason)) == 0)
		r = load_md(sr, repo, dir, "modules", false, 0, ret_reason);
	if (r < 0) {
		repo_free(repo, 1);
		source_release(&src);
		return r;
	}
	repo_internalize(repo);
	src.n_packages = (size_t)repo->nsolvables;
	/* the streams' packages are indexed again at the next solve */
	free(sr->modules.of);
	sr->modules.of = NULL;
	sr->modules.n_of = 0;
	sr->repos[sr->n_src] = repo;
	sr->src[sr->n_src++] = src;
	return 0;
}

void aoms_solve_repo_free(struct aoms_solve_repo *r)
{
	if (!r)
		return;
	if (r->pool)
		pool_free(r->pool);
	for (size_t i = 0; i < r->n_src; i++)
		source_release(&r->src[i]);
	free(r->src);
	free(r->repos);
	solve_modules_release(&r->modules);
	free(r);
}

size_t aoms_solve_repo_n_packages(const struct aoms_solve_repo *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_src; i++)
		n += r->src[i].n_packages;
	return n;
}

size_t aoms_solve_repo_n_sources(const struct aoms_solve_repo *r)
{
	return r->n_src;
}

const struct aoms_solve_source *aoms_solve_repo_source(const struct aoms_solve_repo *r, size_t i)
{
	return i < r->n_src ? &r->src[i] : NULL;
}
