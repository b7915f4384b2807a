/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "dbbuild-private.h"
#include "elf-model.h"
#include "strbuf.h"

struct export_row {
	const char *name, *version, *type;
	bool is_default;
};

struct exports {
	struct aoms_arena *arena;
	struct export_row *rows;
	size_t n, cap;
};

int aoms_dbsink_init(struct aoms_dbsink *s, struct aoms_abidb *db, struct aoms_report *report)
{
	*s = (struct aoms_dbsink){ .db = db, .report = report, .seen = AOMS_STRMAP_INIT };
	pthread_mutex_init(&s->lock, NULL);
	return 0;
}

void aoms_dbsink_release(struct aoms_dbsink *s)
{
	for (size_t i = 0; i < s->n_keys; i++)
		free(s->keys[i]);
	free(s->keys);
	aoms_strmap_release(&s->seen);
	pthread_mutex_destroy(&s->lock);
}

/* Under lock. false when seen before or out of memory. */
static bool seen_add(struct aoms_dbsink *s, const char *key)
{
	char **nk;
	char *k;

	if (aoms_strmap_get(&s->seen, key))
		return false;
	nk = realloc(s->keys, (s->n_keys + 1) * sizeof(*nk));
	if (!nk)
		return false;
	s->keys = nk;
	if (!(k = strdup(key)))
		return false;
	s->keys[s->n_keys++] = k;
	return aoms_strmap_put(&s->seen, k, k) == 0;
}

/* Under lock. */
static void note_arch(struct aoms_dbsink *s, const char *arch)
{
	size_t n = strlen(arch);
	const char *p = s->arches;

	while ((p = strstr(p, arch))) {
		if ((p == s->arches || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return;
		p += n;
	}
	if (strlen(s->arches) + n + 2 < sizeof(s->arches)) {
		if (s->arches[0])
			strcat(s->arches, " ");
		strcat(s->arches, arch);
	}
}

static int collect_export(const char *name, const char *version, bool is_default,
			  const char *type, void *ud)
{
	struct exports *x = ud;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct export_row *nr = realloc(x->rows, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		x->rows = nr;
		x->cap = cap;
	}
	x->rows[x->n] = (struct export_row){
		.name = aoms_arena_strdup(x->arena, name),
		.version = version ? aoms_arena_strdup(x->arena, version) : "",
		.type = type,
		.is_default = is_default,
	};
	if (!x->rows[x->n].name || !x->rows[x->n].version)
		return -ENOMEM;
	x->n++;
	return 0;
}

/* Under lock. */
static int store_library(struct aoms_dbsink *s, const struct aoms_elf *m, const char *arch,
			 const char *soname, const struct aoms_dbsink_file *file,
			 const struct exports *x)
{
	int64_t id;
	int r = aoms_abidb_add_library(s->db, file->source, soname, arch, file->canon,
				       file->package, &id);

	if (r >= 0 && !file->installed)
		r = aoms_abidb_set_library_installed(s->db, id, false);
	if (r >= 0 && m->exports->symbols_known)
		r = aoms_abidb_set_symbols_known(s->db, id);
	for (size_t i = 0; r >= 0 && i < m->exports->n_verdefs; i++)
		r = aoms_abidb_add_verdef(s->db, id, m->exports->verdefs[i]);
	for (size_t i = 0; r >= 0 && i < m->n_needed; i++)
		r = aoms_abidb_add_needed(s->db, id, m->needed[i]);
	for (size_t i = 0; r >= 0 && i < x->n; i++)
		r = aoms_abidb_add_symbol(s->db, id, x->rows[i].name, x->rows[i].version,
					  x->rows[i].is_default, x->rows[i].type);
	return r < 0 ? r : 1;
}

/* Under lock. The loader finds an interpreter by the path in PT_INTERP. */
static int store_interpreter(struct aoms_dbsink *s, const char *arch,
			     const struct aoms_dbsink_file *file)
{
	int r = aoms_abidb_add_interpreter(s->db, file->source, file->path, arch, file->package);

	if (r >= 0 && strcmp(file->path, file->canon) != 0)
		r = aoms_abidb_add_interpreter(s->db, file->source, file->canon, arch, file->package);
	return r;
}

static int record(struct aoms_dbsink *s, const struct aoms_elf *m,
		  const struct aoms_dbsink_file *file, const struct exports *x)
{
	const char *name = strrchr(file->path, '/');
	const char *arch = aoms_elf_arch(m->elf_class, m->machine);
	_cleanup_(freep) char *key = NULL;
	const char *soname;
	int r = 0;

	name = name ? name + 1 : file->path;
	if (!m->exports || !arch)
		return 0;
	soname = m->soname ? m->soname : name;
	key = aoms_strdupf("%s\t%s\t%s", soname, arch, file->package ? file->package : "");
	if (!key)
		return -ENOMEM;
	pthread_mutex_lock(&s->lock);
	if (!strncmp(name, "ld-", 3) || !strncmp(name, "ld64", 4))
		r = store_interpreter(s, arch, file);
	if (r >= 0 && seen_add(s, key)) {
		note_arch(s, arch);
		r = store_library(s, m, arch, soname, file, x);
		if (r > 0)
			s->libraries++;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

int aoms_dbsink_add_elf(struct aoms_dbsink *s, int fd, const void *mem, size_t size,
			const struct aoms_dbsink_file *file)
{
	_cleanup_(aoms_elf_freep) struct aoms_elf *m = NULL;
	_cleanup_(freep) char *reason = NULL;
	struct exports x = { 0 };
	struct aoms_elf_read_opts o = { .on_export = collect_export, .ud = &x };
	int r;

	if (aoms_arena_new(&x.arena) < 0)
		return -ENOMEM;
	r = mem ? aoms_elf_read_mem(mem, size, file->path, &o, &m, &reason)
		: aoms_elf_read_fd(fd, file->path, &o, &m, &reason);
	if (r == -EBADMSG && s->report)
		aoms_report_add_error(s->report, file->path, 0, "cannot read ELF '%s': %s",
				      file->path, reason ? reason : "damaged");
	if (r >= 0)
		r = record(s, m, file, &x);
	free(x.rows);
	aoms_arena_free(x.arena);
	return r == -EBADMSG || r == -ENOEXEC ? 0 : r;
}

static int cmp_arch(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int aoms_dbsink_finish(struct aoms_dbsink *s, const char *name)
{
	char *v[16], copy[128], sorted[128] = "", *save = NULL;
	size_t n = 0;
	int r;

	snprintf(copy, sizeof(copy), "%s", s->arches);
	for (char *t = strtok_r(copy, " ", &save); t && n < ARRAY_SIZE(v); t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	if (n)
		qsort(v, n, sizeof(*v), cmp_arch);
	for (size_t i = 0; i < n; i++) {
		strcat(sorted, i ? " " : "");
		strcat(sorted, v[i]);
	}
	r = aoms_abidb_set_meta(s->db, "name", name ? name : "the target");
	if (r >= 0)
		r = aoms_abidb_set_meta(s->db, "coverage", "complete");
	if (r >= 0)
		r = aoms_abidb_set_meta(s->db, "arches", sorted);
	if (r >= 0)
		r = aoms_abidb_derive_target(s->db);
	return r;
}
