/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "arena.h"
#include "dbbuild.h"
#include "elf-model.h"
#include "rootfs.h"
#include "strbuf.h"
#include "strmap.h"

#define MAX_INCLUDE_DEPTH 8

struct export_row {
	const char *name, *version, *type;
	bool is_default;
};

struct build {
	struct aoms_abidb *db;
	struct aoms_report *report;
	const char *root;
	int64_t source;
	char **dirs;               /* root-relative library directories, in search order */
	size_t n_dirs;
	struct aoms_strmap seen;   /* canonical file or "soname\tarch" -> non-NULL */
	char **keys;               /* storage for seen's keys */
	size_t n_keys;
	char arches[128];
	int count;
};

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
	_cleanup_(freep) char *full = aoms_root_join(b->root, conf);
	_cleanup_(fclosep) FILE *f = NULL;
	char line[4096];
	int r = 0;

	if (!full)
		return -ENOMEM;
	if (depth > MAX_INCLUDE_DEPTH || !(f = fopen(full, "re")))
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

static bool seen_add(struct build *b, const char *key)
{
	char **nk;
	char *k;

	if (aoms_strmap_get(&b->seen, key))
		return false;
	nk = realloc(b->keys, (b->n_keys + 1) * sizeof(*nk));
	if (!nk)
		return false;
	b->keys = nk;
	if (!(k = strdup(key)))
		return false;
	b->keys[b->n_keys++] = k;
	return aoms_strmap_put(&b->seen, k, k) == 0;
}

static void note_arch(struct build *b, const char *arch)
{
	size_t n = strlen(arch);
	const char *p = b->arches;

	while ((p = strstr(p, arch))) {
		if ((p == b->arches || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return;
		p += n;
	}
	if (strlen(b->arches) + n + 2 < sizeof(b->arches)) {
		if (b->arches[0])
			strcat(b->arches, " ");
		strcat(b->arches, arch);
	}
}

struct exports {
	struct aoms_arena *arena;
	struct export_row *rows;
	size_t n, cap;
};

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

static int store_library(struct build *b, const struct aoms_elf *m, const char *arch,
			 const char *soname, const char *path, const struct exports *x)
{
	int64_t id;
	int r = aoms_abidb_add_library(b->db, b->source, soname, arch, path, NULL, &id);

	if (r >= 0 && m->exports->symbols_known)
		r = aoms_abidb_set_symbols_known(b->db, id);

	for (size_t i = 0; r >= 0 && i < m->exports->n_verdefs; i++)
		r = aoms_abidb_add_verdef(b->db, id, m->exports->verdefs[i]);
	for (size_t i = 0; r >= 0 && i < m->n_needed; i++)
		r = aoms_abidb_add_needed(b->db, id, m->needed[i]);
	for (size_t i = 0; r >= 0 && i < x->n; i++)
		r = aoms_abidb_add_symbol(b->db, id, x->rows[i].name, x->rows[i].version,
					  x->rows[i].is_default, x->rows[i].type);
	return r < 0 ? r : 1;
}

/* One directory entry: dir is root-relative as listed, name the entry. */
static int build_entry(struct build *b, const char *dir, const char *name)
{
	_cleanup_(freep) char *listed = aoms_strdupf("%s/%s", strcmp(dir, "/") ? dir : "", name);
	_cleanup_(freep) char *canon = NULL, *full = NULL, *reason = NULL, *key = NULL;
	_cleanup_(aoms_elf_freep) struct aoms_elf *m = NULL;
	struct exports x = { 0 };
	_cleanup_(closep) int fd = -1;
	const char *arch, *soname;
	unsigned char magic[SELFMAG];
	struct stat st;
	int r;

	if (!listed)
		return -ENOMEM;
	canon = aoms_root_realpath(b->root, listed);
	if (!canon)
		return errno == ENOMEM ? -ENOMEM : 0;   /* dangling link: nothing to record */
	full = aoms_root_join(b->root, canon);
	if (!full)
		return -ENOMEM;
	fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (b->report)
			aoms_report_add_error(b->report, listed, errno, "cannot open '%s': %s", listed,
					      strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, ELFMAG, SELFMAG) != 0)
		return 0;
	if (aoms_arena_new(&x.arena) < 0)
		return -ENOMEM;
	r = aoms_elf_read_fd(fd, listed,
			     &(struct aoms_elf_read_opts){ .on_export = collect_export, .ud = &x },
			     &m, &reason);
	if (r == -EBADMSG && b->report)
		aoms_report_add_error(b->report, listed, 0, "cannot read ELF '%s': %s", listed,
				      reason ? reason : "damaged");
	if (r < 0 || !m->exports || !(arch = aoms_elf_arch(m->elf_class, m->machine)))
		goto out;
	/* The loader looks for a file named like the soname. */
	if (!strncmp(name, "ld-", 3) || !strncmp(name, "ld64", 4)) {
		r = aoms_abidb_add_interpreter(b->db, b->source, listed, arch, NULL);
		if (r >= 0 && strcmp(listed, canon) != 0)
			r = aoms_abidb_add_interpreter(b->db, b->source, canon, arch, NULL);
		if (r < 0)
			goto out;
	}
	soname = m->soname ? m->soname : name;
	key = aoms_strdupf("%s\t%s", soname, arch);
	if (!key) { r = -ENOMEM; goto out; }
	r = 0;
	if (!seen_add(b, key))
		goto out;
	note_arch(b, arch);
	r = store_library(b, m, arch, soname, canon, &x);
out:
	free(x.rows);
	aoms_arena_free(x.arena);
	return r == -EBADMSG || r == -ENOEXEC ? 0 : r;
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
		if (r > 0)
			b->count += r;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r < 0 ? r : 0;
}

static int cmp_arch(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "x86_64 aarch64" -> "aarch64 x86_64": meta arches is sorted. */
static void sort_arches(char *s)
{
	char *v[16], copy[128], *save = NULL;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", s);
	for (char *t = strtok_r(copy, " ", &save); t && n < ARRAY_SIZE(v); t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	qsort(v, n, sizeof(*v), cmp_arch);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(s, i ? " " : "");
		strcat(s, v[i]);
	}
}

int aoms_dbbuild_root(struct aoms_abidb *db, const char *root, const char *name,
		      struct aoms_report *report)
{
	static const char *const default_dirs[] = { "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
	struct build b = { .db = db, .report = report, .root = root, .seen = AOMS_STRMAP_INIT };
	_cleanup_(freep) char *prov = aoms_strdupf("aoms db build --root %s", root);
	struct stat st;
	int r;

	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		return -ENOENT;
	elf_version(EV_CURRENT);
	r = prov ? aoms_abidb_begin(db) : -ENOMEM;
	if (r >= 0)
		r = aoms_abidb_add_source(db, "root", prov, &b.source);
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(default_dirs); i++)
		r = add_dir(&b, default_dirs[i]);
	if (r >= 0)
		r = read_ld_conf(&b, "/etc/ld.so.conf", 0);
	for (size_t i = 0; r >= 0 && i < b.n_dirs; i++)
		r = build_dir(&b, b.dirs[i], 0);
	sort_arches(b.arches);
	if (r >= 0)
		r = aoms_abidb_set_meta(db, "name", name ? name : "root");
	if (r >= 0)
		r = aoms_abidb_set_meta(db, "coverage", "complete");
	if (r >= 0)
		r = aoms_abidb_set_meta(db, "arches", b.arches);
	if (r >= 0)
		r = aoms_abidb_commit(db);
	for (size_t i = 0; i < b.n_dirs; i++)
		free(b.dirs[i]);
	free(b.dirs);
	for (size_t i = 0; i < b.n_keys; i++)
		free(b.keys[i]);
	free(b.keys);
	aoms_strmap_release(&b.seen);
	return r < 0 ? r : b.count;
}
