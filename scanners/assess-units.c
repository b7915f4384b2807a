/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The programs enabled services run. An enabled unit is a link in
 * etc/systemd/system/NAME.wants/; its file is looked up by name the way systemd does
 * (etc, run, usr/lib, lib: the first wins; foo@bar.service falls back to the
 * template foo@.service), then the drop-ins NAME.d/X.conf of those directories
 * apply in file-name order (an empty ExecStart= resets the list). Every path is
 * resolved inside the root, so a unit naming /usr/bin/x of a hostile root never
 * leads to the host's /usr/bin/x.
 */
#define _GNU_SOURCE 1
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "assess.h"
#include "grow.h"
#include "rootfs.h"
#include "strbuf.h"
#include "strmap.h"

#define UNITS_MAX 4096              /* enabled units judged */
#define UNITS_MAX_FILE (1u << 20)   /* a unit file or drop-in */
#define UNITS_MAX_EXECS 64          /* Exec lines kept per key and unit */

static const char *const unit_dirs[] = {
	"etc/systemd/system", "run/systemd/system", "usr/lib/systemd/system", "lib/systemd/system",
};
static const char *const exec_keys[] = { "ExecStartPre", "ExecStart", "ExecStartPost" };
/* Where systemd >= 239 looks up a program given without a path (EL7's 219 needs one). */
static const char *const exec_search[] = { "usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin" };

struct exec {
	char *unit;       /* the unit file, root-relative: "/etc/systemd/system/a.service" */
	char *name;       /* "a.service" */
	const char *key;  /* "ExecStart" */
	char *program;    /* as written, prefixes stripped: "/opt/acme/bin/acmed" */
	char *real;       /* resolved inside the root; NULL: missing */
	bool *owned[2];   /* program's and real's flags in wanted */
};

struct aoms_assess_units {
	struct exec *v;
	size_t n, cap;
	struct aoms_strmap wanted;   /* path -> bool * (flags[]) */
	bool *flags;
	size_t n_flags;
};

static void exec_release(struct exec *e)
{
	free(e->unit);
	free(e->name);
	free(e->program);
	free(e->real);
}

void aoms_assess_units_free(struct aoms_assess_units *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		exec_release(&u->v[i]);
	free(u->v);
	free(u->flags);
	aoms_strmap_release(&u->wanted);
	free(u);
}

struct aoms_strmap *aoms_assess_units_wanted(struct aoms_assess_units *u)
{
	return &u->wanted;
}

/* The program of an Exec line's value: prefixes "-@:+!" stripped, the first word
 * (unquoted); NULL when it is a variable ("${X}") or empty. Caller frees. */
static char *exec_program(const char *v)
{
	size_t n;

	v += strspn(v, " \t");
	v += strspn(v, "-@:+!");
	if (*v == '"' || *v == '\'') {
		const char *end = strchr(v + 1, *v);

		n = end ? (size_t)(end - v - 1) : strlen(v + 1);
		v++;
	} else {
		n = strcspn(v, " \t\r\n");
	}
	if (!n || memchr(v, '$', n) || memchr(v, '%', n))
		return NULL;
	return strndup(v, n);
}

/* Lines of one Exec key collected over the unit and its drop-ins. */
struct lines {
	char *v[UNITS_MAX_EXECS];
	size_t n;
};

static void lines_clear(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* Reads root-relative path's [Service] Exec lines into lines[] (per exec_keys). */
static int unit_parse(const char *root, const char *path, struct lines *lines)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char buf[4096];
	bool service = false;

	if (aoms_root_fopen(root, path, UNITS_MAX_FILE, &f) < 0)
		return 0;
	while (fgets(buf, sizeof(buf), f)) {
		char *l = buf + strspn(buf, " \t"), *eq;

		l[strcspn(l, "\r\n")] = '\0';
		if (*l == '[') {
			service = !strcmp(l, "[Service]");
			continue;
		}
		if (!service || !(eq = strchr(l, '=')))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(exec_keys); k++) {
			size_t kl = strlen(exec_keys[k]), vl;
			char *value;

			if (strncmp(l, exec_keys[k], kl) || (l[kl] != '=' && l[kl] != ' '))
				continue;
			value = eq + 1 + strspn(eq + 1, " \t");
			vl = strlen(value);
			while (vl && isspace((unsigned char)value[vl - 1]))
				value[--vl] = '\0';
			if (!*value)
				lines_clear(&lines[k]);   /* "ExecStart=" resets */
			else if (lines[k].n < UNITS_MAX_EXECS && !(lines[k].v[lines[k].n++] = strdup(value)))
				return -ENOMEM;
		}
	}
	return 0;
}

/* The unit file of name (etc first), root-relative; NULL when none. */
static char *unit_find(const char *root, const char *name)
{
	const char *at = strchr(name, '@'), *dot = strrchr(name, '.');

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ARRAY_SIZE(unit_dirs); i++) {
			_cleanup_(freep) char *p = pass == 0 ? aoms_strdupf("%s/%s", unit_dirs[i], name) :
				aoms_strdupf("%s/%.*s%s", unit_dirs[i], (int)(at - name + 1), name, dot);
			_cleanup_(freep) char *real = p ? aoms_root_realpath(root, p) : NULL;
			int fd = real ? aoms_root_open(root, real, UNITS_MAX_FILE) : -ENOENT;

			if (fd >= 0) {
				close(fd);
				return aoms_strdupf("/%s", p);
			}
		}
		if (!at || !dot || dot < at)   /* no template to fall back to */
			break;
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The drop-ins of name in every unit directory, by file name (a later directory's
 * file of the same name is shadowed by the earlier one, as systemd does). */
static int unit_dropins(const char *root, const char *name, struct lines *lines)
{
	struct aoms_strmap seen = AOMS_STRMAP_INIT;
	char *all[256];
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(unit_dirs); i++) {
		_cleanup_(freep) char *dir = aoms_strdupf("%s/%s.d", unit_dirs[i], name);
		char **names = NULL;
		int k = dir ? aoms_assess_list_dir(root, dir, 64, &names) : -ENOMEM;

		for (int j = 0; k > 0 && j < k && n < ARRAY_SIZE(all); j++) {
			size_t len = strlen(names[j]);

			if (len < 6 || strcmp(names[j] + len - 5, ".conf"))
				continue;
			/* "NAME.conf\tdir/NAME.conf": sorts by file name, keeps the path */
			if (!(all[n] = aoms_strdupf("%s\t%s/%s", names[j], dir, names[j]))) {
				r = -ENOMEM;
				break;
			}
			n++;
		}
		aoms_assess_names_free(names, k);
		r = k < 0 ? k : r;
	}
	if (n)
		qsort(all, n, sizeof(*all), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *tab = strchr(all[i], '\t');

		*tab = '\0';
		if (r >= 0 && !aoms_strmap_get(&seen, all[i])) {
			r = aoms_strmap_put(&seen, all[i], all[i]) < 0 ? -ENOMEM : 0;
			if (r >= 0)
				r = unit_parse(root, tab + 1, lines);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	aoms_strmap_release(&seen);
	return r;
}

/* The flag of path in wanted, a new one when path is new. */
static bool *units_want(struct aoms_assess_units *u, const char *path)
{
	bool *flag = aoms_strmap_get(&u->wanted, path);

	if (flag)
		return flag;
	flag = &u->flags[u->n_flags++];
	return aoms_strmap_put(&u->wanted, path, flag) < 0 ? NULL : flag;
}

/* program resolved inside the root: as written when absolute, else searched. */
static char *exec_resolve(const char *root, const char *program)
{
	if (program[0] == '/')
		return aoms_root_realpath(root, program);
	for (size_t i = 0; !strchr(program, '/') && i < ARRAY_SIZE(exec_search); i++) {
		_cleanup_(freep) char *p = aoms_strdupf("%s/%s", exec_search[i], program);
		char *real = p ? aoms_root_realpath(root, p) : NULL;

		if (real)
			return real;
	}
	return NULL;
}

static int units_add(struct aoms_assess_units *u, const char *root, const char *unit,
		     const char *name, const char *key, const char *value)
{
	_cleanup_(freep) char *program = exec_program(value);
	struct exec *e;

	if (!program)
		return 0;
	if (aoms_grow((void **)&u->v, &u->cap, u->n, sizeof(*u->v)) < 0)
		return -ENOMEM;
	e = &u->v[u->n];
	*e = (struct exec){ .key = key, .program = TAKE_PTR(program) };
	e->real = exec_resolve(root, e->program);
	e->unit = strdup(unit);
	e->name = strdup(name);
	u->n++;
	if (!e->unit || !e->name)
		return -ENOMEM;
	return 0;
}

/* One enabled unit: its file, drop-ins and Exec lines. */
static int units_read_one(struct aoms_assess_units *u, const char *root, const char *name)
{
	_cleanup_(freep) char *unit = unit_find(root, name);
	struct lines lines[ARRAY_SIZE(exec_keys)] = { 0 };
	int r;

	if (!unit)
		return 0;   /* a dangling link: systemd ignores it too */
	r = unit_parse(root, unit, lines);
	if (r >= 0)
		r = unit_dropins(root, name, lines);
	for (size_t k = 0; k < ARRAY_SIZE(exec_keys); k++) {
		for (size_t i = 0; r >= 0 && i < lines[k].n; i++)
			r = units_add(u, root, unit, name, exec_keys[k], lines[k].v[i]);
		lines_clear(&lines[k]);
	}
	return r;
}

/* The enabled services: the *.wants/ (and *.requires/) links of etc/systemd/system,
 * by name, each once. */
static int units_enabled(const char *root, char ***ret, int *ret_n)
{
	char **dirs = NULL, **all = NULL;
	int nd = aoms_assess_list_dir(root, "etc/systemd/system", 4096, &dirs), n = 0, r = 0;
	size_t cap = 0;

	for (int i = 0; r >= 0 && i < nd; i++) {
		size_t len = strlen(dirs[i]);
		_cleanup_(freep) char *dir = NULL;
		char **names = NULL;
		int k;

		if (!(len > 6 && !strcmp(dirs[i] + len - 6, ".wants")) &&
		    !(len > 9 && !strcmp(dirs[i] + len - 9, ".requires")))
			continue;
		if (!(dir = aoms_strdupf("etc/systemd/system/%s", dirs[i])))
			r = -ENOMEM;
		k = dir ? aoms_assess_list_dir(root, dir, UNITS_MAX, &names) : 0;
		for (int j = 0; k > 0 && j < k && n < UNITS_MAX; j++) {
			size_t nl = strlen(names[j]);

			if (nl < 9 || strcmp(names[j] + nl - 8, ".service"))
				continue;
			if (aoms_grow((void **)&all, &cap, (size_t)n, sizeof(*all)) < 0) {
				r = -ENOMEM;
				break;
			}
			all[n++] = TAKE_PTR(names[j]);
		}
		aoms_assess_names_free(names, k);
		r = k < 0 ? k : r;
	}
	aoms_assess_names_free(dirs, nd);
	if (n) {
		int u = 1;

		/* a unit several targets want is read once: sorted, then each name once */
		qsort(all, (size_t)n, sizeof(*all), cmp_str);
		for (int i = 1; i < n; i++) {
			if (!strcmp(all[i], all[u - 1]))
				free(all[i]);
			else
				all[u++] = all[i];
		}
		n = u;
	}
	*ret = all;
	*ret_n = n;
	return nd < 0 ? nd : r;
}

int aoms_assess_units_read(const struct aoms_assess_options *o, struct aoms_assess_units **ret)
{
	struct aoms_assess_units *u = calloc(1, sizeof(*u));
	char **names = NULL;
	int n = 0, r = u ? units_enabled(o->root, &names, &n) : -ENOMEM;

	for (int i = 0; r >= 0 && i < n; i++)
		r = units_read_one(u, o->root, names[i]);
	aoms_assess_names_free(names, n);
	if (r >= 0 && u->n && !(u->flags = calloc(2 * u->n, sizeof(*u->flags))))
		r = -ENOMEM;
	for (size_t i = 0; r >= 0 && i < u->n; i++) {
		struct exec *e = &u->v[i];

		if (!(e->owned[0] = units_want(u, e->program)) ||
		    (e->real && !(e->owned[1] = units_want(u, e->real))))
			r = -ENOMEM;
	}
	if (r < 0) {
		aoms_assess_units_free(u);
		return r;
	}
	*ret = u;
	return 0;
}

static int exec_missing(const struct aoms_assess_options *o, const struct exec *e)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	int r = aoms_assess_finding("assess.unit-exec-missing", AOMS_SEV_MEDIUM, false,
				    AOMS_DIM_CONFIGURATION, e->unit,
				    "install or restore the program, or fix or disable the unit "
				    "(systemctl disable); the service fails on the target as it does "
				    "here", &f, "%s runs %s (%s=), which the root does not have",
				    e->name, e->program, e->key);

	if (r < 0)
		return r;
	if (aoms_finding_add_identity(f, "program", e->program) < 0 ||
	    aoms_finding_add_evidence(f, "exec_key", e->key) < 0 ||
	    aoms_finding_add_evidence(f, "unit", e->name) < 0)
		return -ENOMEM;
	return aoms_report_add(o->report, TAKE_PTR(f));
}

/* What the assessment walks anyway (assess.c's local_dirs): not again. */
static bool walked(const char *real)
{
	static const char *const dirs[] = { "/opt/", "/usr/local/", "/srv/" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!strncmp(real, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

int aoms_assess_units_judge(const struct aoms_assess_options *o, struct aoms_assess_units *u,
			    struct aoms_assess_paths *scan)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < u->n; i++) {
		const struct exec *e = &u->v[i];
		bool owned = *e->owned[0] || (e->owned[1] && *e->owned[1]);
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)   /* one program, one judgement */
			dup = !strcmp(u->v[j].program, e->program) && !strcmp(u->v[j].unit, e->unit);
		if (dup)
			continue;
		if (!e->real)
			r = exec_missing(o, e);
		else if (!owned && !walked(e->real) && (r = aoms_assess_paths_add(scan, o->root, e->real)) > 0)
			r = aoms_assess_script(o, e->real);
	}
	return r < 0 ? r : 0;
}
