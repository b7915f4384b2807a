/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "input-file.h"
#include "dbbuild-private.h"
#include "dbbuild.h"
#include "elf-model.h"
#include "rootfs.h"
#include "strbuf.h"
#include "strmap.h"

#define MAX_INCLUDE_DEPTH 8

struct build {
	struct aoms_dbsink *sink;
	const char *root;
	int64_t source;
	char **dirs;               /* root-relative library directories, in search order */
	size_t n_dirs;
	const struct aoms_strmap *owners;   /* root path -> package name */
	size_t done, found;        /* files of the library directories (progress) */
};

static void build_progress(struct build *b, bool end)
{
	aoms_progress_update(&b->sink->progress, &(struct aoms_progress_info){
		.phase = "libraries", .unit = "files", .done = b->done, .total = b->found,
		.walking = !end, .end = end });
}

static int add_dir(struct build *b, const char *dir)
{
	char **nd;

	for (size_t i = 0; i < b->n_dirs; i++)
		if (strcmp(b->dirs[i], dir) == 0)
			return 0;
	nd = realloc(b->dirs, (b->n_dirs + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	b->dirs = nd;
	if (!(b->dirs[b->n_dirs] = strdup(dir)))
		return -ENOMEM;
	b->n_dirs++;
	return 0;
}

static int read_ld_conf(struct build *b, const char *conf, unsigned depth);

static int ld_conf_include(struct build *b, const char *conf, const char *pattern, unsigned depth)
{
	_cleanup_(freep) char *rel = NULL, *full = NULL;
	glob_t g;
	int r = 0;

	if (pattern[0] == '/') {
		rel = strdup(pattern);
	} else {
		/* relative includes are relative to the including file's directory */
		_cleanup_(freep) char *copy = strdup(conf);
		char *slash = copy ? strrchr(copy, '/') : NULL;

		if (slash)
			*slash = '\0';
		rel = copy ? aoms_strdupf("%s/%s", copy, pattern) : NULL;
	}
	full = rel ? aoms_root_join(b->root, rel) : NULL;
	if (!full)
		return -ENOMEM;
	if (glob(full, 0, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc && r >= 0; i++)
		r = read_ld_conf(b, g.gl_pathv[i] + strlen(b->root), depth + 1);
	globfree(&g);
	return r;
}

/* conf is root-relative. */
static int read_ld_conf(struct build *b, const char *conf, unsigned depth)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[4096];
	int r = 0;

	/* Inside the root, a regular file of sane size: never a FIFO or a device. */
	if (depth > MAX_INCLUDE_DEPTH || aoms_root_fopen(b->root, conf, 1u << 20, &f) < 0)
		return 0;
	while (r >= 0 && fgets(line, sizeof(line), f)) {
		char *p = line, *e;

		line[strcspn(line, "#\n")] = '\0';
		p += strspn(p, " \t");
		for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			e[-1] = '\0';
		if (!*p || strncmp(p, "hwcap", 5) == 0)
			continue;
		if (strncmp(p, "include", 7) == 0 && (p[7] == ' ' || p[7] == '\t'))
			r = ld_conf_include(b, conf, p + 8 + strspn(p + 8, " \t"), depth);
		else if (p[0] == '/')
			r = add_dir(b, p);
	}
	return r;
}

/* One directory entry: dir is root-relative as listed, name the entry. */
static int build_entry(struct build *b, const char *dir, const char *name)
{
	_cleanup_(freep) char *listed = aoms_strdupf("%s/%s", strcmp(dir, "/") ? dir : "", name);
	_cleanup_(freep) char *canon = NULL, *full = NULL;
	_cleanup_(closep) int fd = -1;
	unsigned char magic[SELFMAG];
	const char *owner;

	if (!listed)
		return -ENOMEM;
	canon = aoms_root_realpath(b->root, listed);
	if (!canon)
		return errno == ENOMEM ? -ENOMEM : 0;   /* dangling link: nothing to record */
	full = aoms_root_join(b->root, canon);
	if (!full)
		return -ENOMEM;
	fd = aoms_open_untrusted(AT_FDCWD, full, AOMS_OPEN_NOFOLLOW, 0);
	if (fd == -EINVAL || fd == -EISDIR)
		return 0;   /* not a regular file: nothing to record */
	if (fd < 0) {
		if (b->sink->report)
			aoms_report_add_error(b->sink->report, listed, -fd, "cannot open '%s': %s",
					      listed, strerror(-fd));
		return 0;
	}
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, ELFMAG, SELFMAG) != 0)
		return 0;
	owner = b->owners ? aoms_strmap_get(b->owners, canon) : NULL;
	if (!owner && b->owners)
		owner = aoms_strmap_get(b->owners, listed);
	return aoms_dbsink_add_elf(b->sink, fd, NULL, 0, &(struct aoms_dbsink_file){
		.path = listed, .canon = canon, .package = owner, .installed = true,
		.source = b->source });
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Private library directories (/usr/lib64/systemd, /usr/lib/man-db) are reached
 * through RUNPATH, so the build looks this far below each library directory. */
#define MAX_SUBDIR_DEPTH 2

static bool is_listed_dir(const struct build *b, const char *dir)
{
	for (size_t i = 0; i < b->n_dirs; i++)
		if (strcmp(b->dirs[i], dir) == 0)
			return true;
	return false;
}

static int build_dir(struct build *b, const char *dir, unsigned depth)
{
	_cleanup_(freep) char *full = aoms_root_join(b->root, dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	DIR *d;
	int r = 0;

	if (!full)
		return -ENOMEM;
	d = opendir(full);
	if (!d)
		return 0;   /* a listed directory that does not exist is normal */
	while ((de = readdir(d))) {
		bool sub = de->d_type == DT_DIR && depth < MAX_SUBDIR_DEPTH && de->d_name[0] != '.';
		char **nn;

		if (!sub && !strstr(de->d_name, ".so"))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*nn));
		/* a leading '/' marks a subdirectory */
		if (!nn || !(nn[n] = aoms_strdupf("%s%s", sub ? "/" : "", de->d_name))) {
			names = nn ? nn : names;
			r = -ENOMEM;
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (r == 0 && n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++)
		b->found += names[i][0] != '/';
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (names[i][0] == '/') {
			_cleanup_(freep) char *subdir = aoms_strdupf("%s%s", strcmp(dir, "/") ? dir : "",
								     names[i]);

			if (!subdir)
				r = -ENOMEM;
			else if (!is_listed_dir(b, subdir))
				r = build_dir(b, subdir, depth + 1);
			continue;
		}
		r = build_entry(b, dir, names[i]);
		b->done++;
		build_progress(b, false);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r < 0 ? r : 0;
}

int aoms_dbbuild_root_libraries(struct aoms_dbsink *sink, const char *root, int64_t source,
				const struct aoms_strmap *owners)
{
	static const char *const default_dirs[] = { "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
	struct build b = { .sink = sink, .root = root, .source = source, .owners = owners };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(default_dirs); i++)
		r = add_dir(&b, default_dirs[i]);
	if (r >= 0)
		r = read_ld_conf(&b, "/etc/ld.so.conf", 0);
	for (size_t i = 0; r >= 0 && i < b.n_dirs; i++)
		r = build_dir(&b, b.dirs[i], 0);
	if (r >= 0)
		build_progress(&b, true);
	for (size_t i = 0; i < b.n_dirs; i++)
		free(b.dirs[i]);
	free(b.dirs);
	return r;
}
