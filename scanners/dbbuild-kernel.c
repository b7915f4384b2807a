/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel facts of a root for `aoms db build --root`: each installed kernel's
 * exported symbols with CRCs (boot/symvers-R.gz, lib/modules/R/symvers.gz, the
 * kernel-devel Module.symvers), its configuration (boot/config-R), and the kABI
 * stablelists (lib/modules/kabi-*). Everything is read through --root.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include "input-file.h"
#include "dbbuild-private.h"
#include "rootfs.h"
#include "strbuf.h"

/* The most a kernel fact file may hold, compressed or not: Module.symvers of a
 * distribution kernel is ~2 MB, its config ~200 KB. A file or gzip stream past this
 * is hostile (a bomb, /dev/zero behind a link) and is cut off with an error. */
#define KFACT_MAX (256u << 20)

struct gz_cookie {
	gzFile gz;
	uint64_t left;   /* bytes still allowed out of the stream */
};

/* A gzip file as a FILE *, so abi-db's text importers read it unchanged. */
static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
	struct gz_cookie *c = cookie;
	int n;

	if (c->left == 0) {
		errno = EFBIG;
		return -1;
	}
	if (size > c->left)
		size = (size_t)c->left;
	n = gzread(c->gz, buf, size > INT32_MAX ? INT32_MAX : (unsigned)size);
	if (n > 0)
		c->left -= (uint64_t)n;
	return n < 0 ? -1 : n;
}

static int gz_close(void *cookie)
{
	struct gz_cookie *c = cookie;
	int r = gzclose(c->gz) == Z_OK ? 0 : EOF;

	free(c);
	return r;
}

/* Opens a root-relative path inside the root (common/rootfs.h: never a FIFO, a
 * device or a link out of the root), transparently gunzipping *.gz. NULL when
 * absent or not a regular file. */
FILE *aoms_dbbuild_fopen(const char *root, const char *path)
{
	size_t n = strlen(path);
	struct gz_cookie *c;
	FILE *f = NULL;
	int fd;

	if (n < 3 || strcmp(path + n - 3, ".gz") != 0)
		return aoms_root_fopen(root, path, KFACT_MAX, &f) < 0 ? NULL : f;
	fd = aoms_root_open(root, path, KFACT_MAX);
	if (fd < 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->gz = gzdopen(fd, "rb"))) {
		free(c);
		close(fd);
		return NULL;
	}
	c->left = KFACT_MAX;
	f = fopencookie(c, "r", (cookie_io_functions_t){ .read = gz_read, .close = gz_close });
	if (!f)
		gz_close(c);
	return f;
}

/* "4.18.0-477.el8.x86_64" -> "x86_64"; NULL when the release does not say. */
static const char *release_arch(const char *release)
{
	static const char *const arches[] = { "x86_64", "aarch64", "ppc64le", "s390x", "loongarch64" };
	const char *dot = strrchr(release, '.');

	for (size_t i = 0; dot && i < ARRAY_SIZE(arches); i++)
		if (strcmp(dot + 1, arches[i]) == 0)
			return arches[i];
	return NULL;
}

typedef int (*import_fn)(struct aoms_abidb *db, FILE *in, int64_t source, const char *what,
			 const char *arch, unsigned *ret_line);

/* Imports the first of paths that exists; a damaged one is a report error. */
static int import_first(struct aoms_dbsink *s, const char *root, const char *const *paths,
			size_t n, import_fn fn, int64_t source, const char *what, const char *arch)
{
	for (size_t i = 0; i < n; i++) {
		FILE *f = aoms_dbbuild_fopen(root, paths[i]);
		unsigned line = 0;
		int r;

		if (!f)
			continue;
		pthread_mutex_lock(&s->lock);
		r = fn(s->db, f, source, what, arch, &line);
		pthread_mutex_unlock(&s->lock);
		fclose(f);
		if (r == -EINVAL || r == -EBADMSG) {
			if (s->report)
				aoms_report_add_error(s->report, paths[i], 0,
						      "cannot read '%s' line %u: %s", paths[i], line,
						      aoms_abidb_errmsg(s->db));
			continue;
		}
		return r < 0 ? r : 1;
	}
	return 0;
}

static int kernel_release(struct aoms_dbsink *s, const char *root, const char *release,
			  int64_t source)
{
	const char *arch = release_arch(release);
	_cleanup_(freep) char *a = aoms_strdupf("/boot/symvers-%s.gz", release);
	_cleanup_(freep) char *b = aoms_strdupf("/lib/modules/%s/symvers.gz", release);
	_cleanup_(freep) char *c = aoms_strdupf("/usr/src/kernels/%s/Module.symvers", release);
	_cleanup_(freep) char *d = aoms_strdupf("/lib/modules/%s/build/Module.symvers", release);
	_cleanup_(freep) char *e = aoms_strdupf("/boot/config-%s", release);
	_cleanup_(freep) char *g = aoms_strdupf("/lib/modules/%s/config", release);
	const char *symvers[] = { a, b, c, d }, *config[] = { e, g };
	int r;

	if (!a || !b || !c || !d || !e || !g)
		return -ENOMEM;
	if (!arch)
		arch = "unknown";
	pthread_mutex_lock(&s->lock);
	r = aoms_abidb_add_kernel(s->db, source, release, arch, NULL);
	pthread_mutex_unlock(&s->lock);
	if (r >= 0)
		r = import_first(s, root, symvers, ARRAY_SIZE(symvers), aoms_abidb_import_symvers,
				 source, release, arch);
	if (r >= 0)
		r = import_first(s, root, config, ARRAY_SIZE(config), aoms_abidb_import_kconfig,
				 source, release, arch);
	for (int builtin = 0; r >= 0 && builtin < 2; builtin++) {
		_cleanup_(freep) char *list = aoms_strdupf("/lib/modules/%s/%s", release,
							   builtin ? "modules.builtin" : "modules.dep");

		r = list ? aoms_dbbuild_module_list(s, root, list, source, release, arch, builtin)
			 : -ENOMEM;
	}
	if (r >= 0) {
		struct aoms_dbbuild_btf btf = { .root = root, .release = release, .arch = arch,
						.source = source };
		_cleanup_(freep) char *reason = NULL;

		r = aoms_dbbuild_kernel_btf(s, &btf, &reason);
	}
	return r;
}

/* Releases named by lib/modules/R and boot/symvers-R.gz, sorted and unique. */
static int kernel_releases(const char *root, char ***ret, size_t *ret_n)
{
	_cleanup_(freep) char *mods = aoms_root_join(root, "/lib/modules/*/modules.dep");
	_cleanup_(freep) char *boot = aoms_root_join(root, "/boot/symvers-*.gz");
	glob_t g = { 0 };
	int flags = 0;

	if (!mods || !boot)
		return -ENOMEM;
	if (glob(mods, flags, NULL, &g) == 0)
		flags = GLOB_APPEND;
	glob(boot, flags, NULL, &g);
	*ret = calloc(g.gl_pathc + 1, sizeof(**ret));
	*ret_n = 0;
	for (size_t i = 0; *ret && i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i] + strlen(root);
		char *rel = strstr(p, "/lib/modules/") == p
			? strndup(p + 13, strcspn(p + 13, "/"))
			: strndup(p + 14, strlen(p + 14) - 3);   /* /boot/symvers-R.gz */
		bool dup = false;

		for (size_t k = 0; rel && k < *ret_n; k++)
			dup = dup || strcmp((*ret)[k], rel) == 0;
		if (rel && !dup)
			(*ret)[(*ret_n)++] = rel;
		else
			free(rel);
	}
	globfree(&g);
	return *ret ? 0 : -ENOMEM;
}

static int kabi_lists(struct aoms_dbsink *s, const char *root, int64_t source)
{
	_cleanup_(freep) char *pattern = aoms_root_join(root, "/lib/modules/kabi-*/kabi_*list_*");
	glob_t g = { 0 };
	int r = 0;

	if (!pattern)
		return -ENOMEM;
	if (glob(pattern, 0, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; r >= 0 && i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i] + strlen(root);
		const char *file = strrchr(p, '/') + 1;
		/* kabi_stablelist_x86_64 (RHEL 8.3+) or kabi_whitelist_x86_64 */
		const char *arch = strchr(strchr(file, '_') + 1, '_');
		_cleanup_(freep) char *dir = strndup(p + 13, strcspn(p + 13, "/"));
		_cleanup_(freep) char *dirpath = dir ? aoms_strdupf("%.*s", (int)(file - g.gl_pathv[i] - 1), g.gl_pathv[i]) : NULL;
		const char *paths[] = { p };
		struct stat st;

		if (!dir || !dirpath) {
			r = -ENOMEM;
			break;
		}
		/* kabi-current is a link to one of the others: read each list once */
		if (!arch || lstat(dirpath, &st) < 0 || S_ISLNK(st.st_mode))
			continue;
		r = import_first(s, root, paths, 1, aoms_abidb_import_kabi, source,
				 strncmp(dir, "kabi-", 5) == 0 ? dir + 5 : dir, arch + 1);
	}
	globfree(&g);
	return r < 0 ? r : 0;
}

int aoms_dbbuild_kernel(struct aoms_dbsink *s, const char *root, int64_t source)
{
	char **releases = NULL;
	size_t n = 0;
	int r = kernel_releases(root, &releases, &n);

	for (size_t i = 0; r >= 0 && i < n; i++)
		r = kernel_release(s, root, releases[i], source);
	if (r >= 0)
		r = kabi_lists(s, root, source);
	for (size_t i = 0; i < n; i++)
		free(releases[i]);
	free(releases);
	return r < 0 ? r : 0;
}
