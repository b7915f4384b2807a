/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The RPM side of `aoms db build`: the root's rpmdb (which package owns which file,
 * what every installed package provides) and a directory of .rpm files (header and
 * payload, read with librpm in parallel; only ELF payload files are held in memory,
 * one at a time per thread).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "aoms-log.h"
#include "arena.h"
#include "dbbuild-private.h"
#include "rpm-file.h"
#include "rpmdb.h"
#include "strbuf.h"

/* Executables other packages require by path; library paths are facts of their own. */
static bool is_command_path(const char *path)
{
	static const char *const dirs[] = { "/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/",
					    "/usr/libexec/" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0 && !strchr(path + strlen(dirs[i]), '/'))
			return true;
	return false;
}

/* Under the sink's lock. */
static int store_package(struct aoms_dbsink *s, int64_t source, const struct aoms_rpm_pkg *p,
			 bool installed)
{
	int64_t id;
	int r = aoms_abidb_add_package(s->db, source, p->name, p->epoch ? strtoll(p->epoch, NULL, 10) : -1,
				       p->version, p->release, p->arch, p->nevra, installed, &id);

	for (size_t i = 0; r >= 0 && i < p->n_provides; i++)
		r = aoms_abidb_add_provide(s->db, id, p->provides[i].name, p->provides[i].op,
					   p->provides[i].evr);
	for (size_t i = 0; r >= 0 && i < p->n_files; i++)
		if (S_ISREG(p->files[i].mode) || S_ISLNK(p->files[i].mode))
			if (is_command_path(p->files[i].path))
				r = aoms_abidb_add_provide(s->db, id, p->files[i].path, "", "");
	return r;
}

struct rpmdb_walk {
	struct aoms_dbsink *sink;
	int64_t source;
	struct aoms_strmap *owners, *nevras;
	struct aoms_arena *arena;
};

static int on_installed(const struct aoms_rpm_pkg *p, void *ud)
{
	struct rpmdb_walk *w = ud;
	const char *name = aoms_arena_strdup(w->arena, p->name);
	const char *nevra = aoms_arena_strdup(w->arena, p->nevra);
	int r;

	if (!name || !nevra)
		return -ENOMEM;
	pthread_mutex_lock(&w->sink->lock);
	r = store_package(w->sink, w->source, p, true);
	pthread_mutex_unlock(&w->sink->lock);
	if (r >= 0)
		r = aoms_strmap_put(w->nevras, nevra, (void *)nevra);
	for (size_t i = 0; r >= 0 && i < p->n_files; i++) {
		const char *path;

		if (!S_ISREG(p->files[i].mode) && !S_ISLNK(p->files[i].mode))
			continue;
		if (!(path = aoms_arena_strdup(w->arena, p->files[i].path)))
			return -ENOMEM;
		r = aoms_strmap_put(w->owners, path, (void *)name);
	}
	return r;
}

int aoms_dbbuild_rpmdb(struct aoms_dbsink *sink, const char *root, int64_t source,
		       struct aoms_strmap *owners, struct aoms_strmap *nevras,
		       struct aoms_arena *arena, char **ret_reason)
{
	struct rpmdb_walk w = { sink, source, owners, nevras, arena };

	return aoms_rpmdb_foreach(root, on_installed, &w, ret_reason);
}

/* ---- a directory of .rpm files ---- */

struct rpms_build {
	struct aoms_dbsink *sink;
	int64_t source;
	bool installed;
	const struct aoms_strmap *skip;
	char **files;
	size_t n_files, cap;
	atomic_size_t next;
	atomic_size_t done;      /* packages read (progress) */
	atomic_size_t skipped;   /* damaged packages (malformed, crashed or timed out) */
	atomic_int error;
};

static int collect_rpms(struct rpms_build *b, const char *dir, unsigned depth)
{
	DIR *d = depth < 16 ? opendir(dir) : NULL;
	struct dirent *de;
	int r = 0;

	if (!d)
		return 0;
	while (r >= 0 && (de = readdir(d))) {
		_cleanup_(freep) char *path = NULL;
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		path = aoms_strdupf("%s/%s", dir, de->d_name);
		if (!path) { r = -ENOMEM; break; }
		if (de->d_type == DT_DIR) {
			r = collect_rpms(b, path, depth + 1);
			continue;
		}
		if (de->d_type != DT_REG || n < 5 || strcmp(de->d_name + n - 4, ".rpm") != 0 ||
		    (n > 8 && strcmp(de->d_name + n - 8, ".src.rpm") == 0))
			continue;
		if (b->n_files == b->cap) {
			char **nf = realloc(b->files, (b->cap = b->cap ? b->cap * 2 : 64) * sizeof(*nf));

			if (!nf) { r = -ENOMEM; break; }
			b->files = nf;
		}
		b->files[b->n_files++] = TAKE_PTR(path);
	}
	closedir(d);
	return r;
}

struct payload_ctx {
	struct rpms_build *b;
	const struct aoms_rpm_pkg *pkg;
};

static int on_payload(const struct aoms_rpm_file_entry *f, const void *data, size_t size, void *ud)
{
	struct payload_ctx *c = ud;

	return aoms_dbsink_add_elf(c->b->sink, -1, data, size, &(struct aoms_dbsink_file){
		.path = f->path, .canon = f->path, .package = c->pkg->name,
		.installed = c->b->installed, .source = c->b->source });
}

/* A package that cannot be read is skipped with a message: the build goes on. */
static int skip_rpm(struct rpms_build *b, const char *path, const char *what, int err,
		    const char *reason)
{
	atomic_fetch_add(&b->skipped, 1);
	if (!b->sink->report)
		return 0;
	return aoms_report_add_error(b->sink->report, path, err == -EBADMSG ? 0 : -err,
				     "skipped %s'%s': %s", what, path,
				     reason ? reason : strerror(-err));
}

static int build_one_rpm(struct rpms_build *b, const char *path)
{
	_cleanup_(freep) char *reason = NULL;
	struct aoms_rpm *rpm = NULL;
	const struct aoms_rpm_pkg *pkg;
	int r = aoms_rpm_open(path, &rpm, &reason);

	if (r == -ENOEXEC)
		return 0;
	if (r < 0)
		return r == -ENOMEM ? r : skip_rpm(b, path, "RPM ", r, reason);
	pkg = aoms_rpm_pkg(rpm);
	if (!b->skip || !aoms_strmap_get(b->skip, pkg->nevra)) {
		pthread_mutex_lock(&b->sink->lock);
		r = store_package(b->sink, b->source, pkg, b->installed);
		pthread_mutex_unlock(&b->sink->lock);
		if (r >= 0)
			r = aoms_rpm_foreach_payload_file(rpm, on_payload,
							  &(struct payload_ctx){ b, pkg }, &reason);
		/* The header's facts are recorded; the payload's ELF files up to the
		 * damage too (each is whole: the reader hands over complete files). */
		if (r < 0 && r != -ENOMEM && r != -EIO)
			r = skip_rpm(b, path, "the payload of RPM ", r, reason);
	}
	aoms_rpm_free(rpm);
	return r;
}

static void rpms_progress(struct rpms_build *b, size_t done, bool end)
{
	aoms_progress_update(&b->sink->progress, &(struct aoms_progress_info){
		.phase = "packages", .unit = "packages", .done = done, .total = b->n_files,
		.end = end });
}

static void *rpms_worker(void *arg)
{
	struct rpms_build *b = arg;

	for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n_files && !atomic_load(&b->error);) {
		int r = build_one_rpm(b, b->files[i]);

		if (r < 0) {
			int zero = 0;

			atomic_compare_exchange_strong(&b->error, &zero, r);
		}
		rpms_progress(b, atomic_fetch_add(&b->done, 1) + 1, false);
	}
	return NULL;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int aoms_dbbuild_rpms(struct aoms_dbsink *sink, const char *dir, int64_t source, bool installed,
		      const struct aoms_strmap *skip, unsigned jobs)
{
	struct rpms_build b = { .sink = sink, .source = source, .installed = installed, .skip = skip };
	pthread_t tids[64];
	unsigned started = 0;
	int r = collect_rpms(&b, dir, 0);

	if (r >= 0 && b.n_files)
		qsort(b.files, b.n_files, sizeof(*b.files), cmp_paths);
	if (!jobs)
		jobs = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	jobs = jobs < 1 ? 1 : jobs > ARRAY_SIZE(tids) ? ARRAY_SIZE(tids) : jobs;
	for (unsigned i = 1; r >= 0 && i < jobs; i++)
		if (pthread_create(&tids[started], NULL, rpms_worker, &b) == 0)
			started++;
	if (r >= 0)
		rpms_worker(&b);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (r >= 0)
		rpms_progress(&b, atomic_load(&b.done), true);
	for (size_t i = 0; i < b.n_files; i++)
		free(b.files[i]);
	free(b.files);
	if (atomic_load(&b.skipped))
		aoms_warn("skipped %zu of %zu packages under '%s' that cannot be read",
			  atomic_load(&b.skipped), b.n_files, dir);
	return r < 0 ? r : atomic_load(&b.error);
}
