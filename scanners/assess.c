/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The whole-system assessment: source, packages, files, configuration, decision. */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "assess.h"
#include "rootfs.h"
#include "scan.h"
#include "strbuf.h"

/* Unowned software lives here on EL systems (FHS: add-on packages, local builds, site
 * data). The scan reads every file under them, owned or not. */
static const char *const local_dirs[] = { "opt", "usr/local", "srv" };

static int read_host(const struct aoms_assess_options *o, struct aoms_report *r)
{
	_cleanup_(freep) char *name = NULL;

	if (o->role && aoms_report_set_meta(r, "role", o->role) < 0)
		return -ENOMEM;
	if (o->host)
		return aoms_report_set_meta(r, "host", o->host);
	name = aoms_root_hostname(o->root);
	return aoms_report_set_meta(r, "host", name ? name : "localhost");
}

static int scan_local(const struct aoms_assess_options *o, char **paths, size_t n)
{
	struct aoms_scan_options so = {
		.db = o->db, .report = o->report, .jobs = o->jobs, .kernel = o->kernel,
		.target_name = "Anolis OS 8", .system_root = o->root,
	};
	_cleanup_(freep) char **all = calloc(n + ARRAY_SIZE(local_dirs) + 1, sizeof(*all));
	_cleanup_(freep) char **joined = calloc(ARRAY_SIZE(local_dirs) + 1, sizeof(*joined));
	size_t k = 0, nj = 0;
	int r = 0;

	if (!all || !joined)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		all[k++] = paths[i];
	for (size_t i = 0; i < ARRAY_SIZE(local_dirs); i++) {
		_cleanup_(freep) char *real = aoms_root_realpath(o->root, local_dirs[i]);
		struct stat st;

		if (!real)
			continue;
		if (!(joined[nj] = aoms_root_join(o->root, real))) {
			r = -ENOMEM;
			break;
		}
		if (stat(joined[nj], &st) == 0 && S_ISDIR(st.st_mode))
			all[k++] = joined[nj];
		nj++;
		if ((r = aoms_assess_scripts(o, real)) < 0)
			break;
	}
	if (r == 0 && k > 0)
		r = aoms_scan(&so, all, k);
	for (size_t i = 0; i < nj; i++)
		free(joined[i]);
	return r;
}

static int decide(struct aoms_report *r)
{
	bool block = false;

	for (size_t i = 0; i < aoms_report_n_findings(r); i++)
		block |= aoms_report_finding(r, i)->inhibitor;
	return aoms_report_set_meta(r, "decision", block ? "block" : "proceed");
}

static int describe(struct aoms_report *r, const struct aoms_assess_source *src)
{
	char version[32];

	snprintf(version, sizeof(version), "%u.%u", src->major, src->minor);
	if (aoms_report_set_meta(r, "source", *src->id ? src->id : "unknown") < 0 ||
	    aoms_report_set_meta(r, "source_name", *src->name ? src->name : "unknown") < 0 ||
	    aoms_report_set_meta(r, "source_version", version) < 0 ||
	    aoms_report_set_meta(r, "source_arch", *src->arch ? src->arch : "unknown") < 0 ||
	    aoms_report_set_meta(r, "migration_path", src->path ? src->path : "none") < 0)
		return -ENOMEM;
	return 0;
}

int aoms_assess(const struct aoms_assess_options *o, char **ret_reason)
{
	struct aoms_assess_source src;
	struct aoms_assess_paths scan = { 0 };
	struct aoms_assess_units *units = NULL;
	struct stat st;
	int r;

	if (stat(o->root, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	aoms_assess_source_read(o->root, &src);
	if ((r = read_host(o, o->report)) < 0 || (r = aoms_report_add_input(o->report, o->root)) < 0)
		return r;
	/* the units' programs first: the package walk tells which of them it owns */
	if ((r = aoms_assess_units_read(o, &units)) < 0)
		return r;
	r = aoms_assess_packages(o, &src, aoms_assess_units_wanted(units), &scan.v, &scan.n,
				 ret_reason);
	scan.cap = scan.n;
	if (r == 0 && (r = describe(o->report, &src)) == 0 &&
	    (r = aoms_assess_config(o, &src)) == 0 && (r = aoms_assess_kernel(o, &src, &scan)) == 0 &&
	    (r = aoms_assess_units_judge(o, units, &scan)) == 0)
		r = scan_local(o, scan.v, scan.n);
	aoms_assess_units_free(units);
	aoms_assess_paths_release(&scan);
	if (r < 0)
		return r;
	return decide(o->report);
}

/* ---- helpers of the parts (assess.h) ---- */

int aoms_assess_paths_add(struct aoms_assess_paths *p, const char *root, const char *rel)
{
	_cleanup_(freep) char *real = aoms_root_realpath(root, rel);
	char *joined;

	if (!real)
		return errno == ENOMEM ? -ENOMEM : 0;
	for (size_t i = 0; i < p->n; i++)   /* a unit and a package may name one file */
		if (!strcmp(p->v[i] + (strcmp(root, "/") ? strlen(root) : 0), real))
			return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		char **v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	if (!(joined = aoms_root_join(root, real)))
		return -ENOMEM;
	p->v[p->n++] = joined;
	return 1;
}

bool aoms_assess_same_place(const char *root, const char *rel, const char *tail)
{
	_cleanup_(freep) char *real = aoms_root_realpath(root, rel);
	size_t n = real ? strlen(real) : 0, t = strlen(tail);

	return real && n > t && real[n - t - 1] == '/' && !strcmp(real + n - t, tail);
}

void aoms_assess_paths_release(struct aoms_assess_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	*p = (struct aoms_assess_paths){ 0 };
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int aoms_assess_list_dir(const char *root, const char *dir, size_t max, char ***ret)
{
	_cleanup_(freep) char *real = aoms_root_realpath(root, dir);
	_cleanup_(freep) char *path = real ? aoms_root_join(root, real) : NULL;
	DIR *d = path ? opendir(path) : NULL;
	char **names = NULL;
	struct dirent *de;
	int n = 0;

	*ret = NULL;
	if (!real || !path)
		return errno == ENOMEM ? -ENOMEM : 0;
	while (d && (size_t)n < max && (de = readdir(d))) {
		char **v;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!(v = realloc(names, (size_t)(n + 1) * sizeof(*v))) || !(v[n] = strdup(de->d_name))) {
			aoms_assess_names_free(v ? v : names, n);
			closedir(d);
			return -ENOMEM;
		}
		names = v;
		n++;
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, (size_t)n, sizeof(*names), cmp_names);
	*ret = names;
	return n;
}

void aoms_assess_names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

struct walk {
	int (*fn)(const char *rel, const struct stat *st, void *ud);
	void *ud;
	unsigned max_depth;
	size_t left;
};

/* dirfd is taken over. */
static int walk_fd(struct walk *w, int dirfd, const char *rel, unsigned depth)
{
	DIR *d = fdopendir(dirfd);
	_cleanup_(freep) char **names = NULL;
	struct dirent *de;
	size_t n = 0, cap = 0;
	int r = 0;

	if (!d) {
		close(dirfd);
		return 0;
	}
	while ((de = readdir(d)) && n < w->left) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof(*v));

			if (!v) {
				r = -ENOMEM;
				break;
			}
			names = v;
		}
		if (!(names[n] = strdup(de->d_name))) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);   /* same root, same report */
	for (size_t i = 0; r == 0 && i < n && w->left; i++) {
		_cleanup_(freep) char *sub = aoms_strdupf("%s/%s", rel, names[i]);
		struct stat st;

		if (!sub) {
			r = -ENOMEM;
			break;
		}
		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		w->left--;
		r = w->fn(sub, &st, w->ud);
		if (r == 0 && S_ISDIR(st.st_mode) && depth < w->max_depth) {
			int fd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				r = walk_fd(w, fd, sub, depth + 1);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	closedir(d);
	return r;
}

int aoms_assess_walk(const char *root, const char *dir, unsigned max_depth, size_t max,
		     int (*fn)(const char *rel, const struct stat *st, void *ud), void *ud)
{
	_cleanup_(freep) char *real = aoms_root_realpath(root, dir);
	_cleanup_(freep) char *path = real ? aoms_root_join(root, real) : NULL;
	struct walk w = { fn, ud, max_depth, max };
	int fd;

	if (!real || !path)
		return errno == ENOMEM ? -ENOMEM : 0;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	return walk_fd(&w, fd, strcmp(real, "/") ? real : "", 0);
}

int aoms_assess_finding(const char *rule, enum aoms_severity sev, bool inhibitor,
			enum aoms_dimension dim, const char *subject, const char *hint,
			struct aoms_finding **ret, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = aoms_assess_findingv(rule, sev, inhibitor, dim, subject, hint, ret, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_assess_findingv(const char *rule, enum aoms_severity sev, bool inhibitor,
			 enum aoms_dimension dim, const char *subject, const char *hint,
			 struct aoms_finding **ret, const char *fmt, va_list ap)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	_cleanup_(freep) char *title = NULL;
	int r;

	if (vasprintf(&title, fmt, ap) < 0)
		return -ENOMEM;
	if ((r = aoms_finding_new(rule, sev, dim, subject, &f)) < 0)
		return r;
	f->inhibitor = inhibitor;
	if (aoms_finding_set_title(f, "%s", title) < 0 ||
	    aoms_finding_set_summary(f, "%s: %s", title, hint ? hint : "see aoms explain") < 0 ||
	    (hint && aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s", hint) < 0))
		return -ENOMEM;
	*ret = TAKE_PTR(f);
	return 0;
}
