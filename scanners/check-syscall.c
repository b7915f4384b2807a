/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The syscall check (check-syscall.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check-syscall.h"
#include "elf-model.h"
#include "strbuf.h"
#include "syscall-table.h"

#define DEFAULT_TABLE "4.18-el8"

/* 1 when the database has table label for arch (number 0 is in every table). */
static int table_exists(struct aoms_abidb *db, const char *arch, const char *label)
{
	struct aoms_abidb_syscall s;
	int r = aoms_abidb_find_syscall(db, arch, NULL, 0, label, &s);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	aoms_abidb_syscall_release(&s);
	return 1;
}

int aoms_syscall_table_label(struct aoms_abidb *db, const char *arch, const char *kernel,
			     char **ret)
{
	char cand[3][64];
	size_t n = 0;
	unsigned maj, min;
	int r;

	if (!kernel) {
		char *meta = NULL;

		r = aoms_abidb_read_meta(db, "syscall_kernel", &meta);
		if (r < 0 && r != -ENOENT)
			return r;
		snprintf(cand[n++], sizeof(*cand), "%s", meta ? meta : DEFAULT_TABLE);
		free(meta);
	} else {
		snprintf(cand[n++], sizeof(*cand), "%s", kernel);
		if (sscanf(kernel, "%u.%u.", &maj, &min) == 2) {
			bool el8 = strstr(kernel, "el8") || (maj == 4 && min == 18);

			snprintf(cand[n++], sizeof(*cand), "%u.%u-%s", maj, min, el8 ? "el8" : "anck");
			snprintf(cand[n++], sizeof(*cand), "%u.%u", maj, min);
		}
	}
	for (size_t i = 0; i < n; i++) {
		r = table_exists(db, arch, cand[i]);
		if (r < 0)
			return r;
		if (r) {
			*ret = strdup(cand[i]);
			return *ret ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

struct table_of_arch {
	const char *arch;        /* aoms_elf_arch()'s static string */
	char *label;             /* NULL: the database has none */
};

struct aoms_syscall_tables {
	struct aoms_abidb *db;
	const char *kernel;
	pthread_mutex_t lock;
	struct table_of_arch v[8];
	size_t n;
};

int aoms_syscall_tables_new(struct aoms_abidb *db, const char *kernel,
			    struct aoms_syscall_tables **ret)
{
	struct aoms_syscall_tables *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->db = db;
	t->kernel = kernel;
	pthread_mutex_init(&t->lock, NULL);
	*ret = t;
	return 0;
}

void aoms_syscall_tables_free(struct aoms_syscall_tables *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].label);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* t's label for arch into *ret (a copy, the caller's; NULL when there is none). */
static int tables_label(struct aoms_syscall_tables *t, const char *arch, char **ret)
{
	char *label = NULL;
	int r = 0;

	*ret = NULL;
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].arch, arch) == 0) {
			r = t->v[i].label && !(*ret = strdup(t->v[i].label)) ? -ENOMEM : 1;
			break;
		}
	if (r == 0) {
		r = aoms_syscall_table_label(t->db, arch, t->kernel, &label);
		if (r == 0 || r == -ENOENT) {
			r = label && !(*ret = strdup(label)) ? -ENOMEM : 0;
			if (t->n < ARRAY_SIZE(t->v))   /* a ninth arch is looked up each time */
				t->v[t->n++] = (struct table_of_arch){ arch, TAKE_PTR(label) };
		}
		free(label);
	}
	pthread_mutex_unlock(&t->lock);
	return r < 0 ? r : 0;
}

struct judge {
	struct aoms_abidb *db;
	struct aoms_report *report;
	const struct aoms_file *file;
	const struct aoms_elf_syscalls *sc;
	const char *arch, *table;
	const char **names;       /* for the summary */
	size_t n_names;
};

static int first_named(const struct aoms_abidb_syscall *s, void *ud)
{
	char **name = ud;

	if (!s->entry)
		return 0;
	*name = strdup(s->name);
	return *name ? 1 : -ENOMEM;
}

/* The name of number nr (any shipped table, else the curated list past them), or
 * "#nr"; *ret is the caller's. */
static int name_of(struct judge *j, int nr, char **ret)
{
	const char *known;
	int r;

	*ret = NULL;
	r = aoms_abidb_foreach_syscall(j->db, j->arch, NULL, nr, NULL, first_named, ret);
	if (r < 0)
		return r;
	if (*ret)
		return 0;
	known = aoms_syscall_name_new(nr);
	*ret = known ? strdup(known) : aoms_strdupf("#%d", nr);
	return *ret ? 0 : -ENOMEM;
}

struct have_ctx {
	const char *skip;
	char **tables;
	size_t n;
};

static int collect_table(const struct aoms_abidb_syscall *s, void *ud)
{
	struct have_ctx *h = ud;

	if (!s->entry || strcmp(s->kernel, h->skip) == 0 || h->n == 8)
		return 0;
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->tables[i], s->kernel) == 0)
			return 0;
	if (!(h->tables[h->n] = strdup(s->kernel)))
		return -ENOMEM;
	h->n++;
	return 0;
}

static struct aoms_finding *new_finding(struct judge *j, const char *rule, enum aoms_severity sev,
					enum aoms_confidence conf)
{
	struct aoms_finding *f;

	if (aoms_finding_new_at(rule, sev, AOMS_DIM_KERNEL, j->file->subject, j->file->rel,
				j->file->package, &f) < 0)
		return NULL;
	f->confidence = conf;
	return f;
}

static const char *via_text(unsigned via)
{
	if (via & AOMS_SYSCALL_VIA_INSN)
		return "syscall instruction";
	if (via & AOMS_SYSCALL_VIA_LIBC)
		return "syscall() call";
	if (via & AOMS_SYSCALL_VIA_GO)
		return "Go syscall stub call";
	return "imported wrapper";
}

/* Whether the C library is linked into the object (a static program: no DT_NEEDED),
 * so that its wrappers' fallbacks are the object's own code. */
static bool runtime_linked_in(const struct judge *j)
{
	return j->file->elf && j->file->elf->n_needed == 0;
}

/* syscall.missing for name (number nr, or -1 for an import). */
static int report_missing(struct judge *j, const char *name, int nr, unsigned via, unsigned sites)
{
	struct have_ctx h = { .skip = j->table };
	char *tables[8];
	const char *since = aoms_syscall_introduced(name), *fallback;
	/* A wrapper import (via 0) is the C library's, glibc's unless musl's. */
	enum aoms_syscall_runtime rt = via || j->sc->runtime == AOMS_SYSCALL_RT_MUSL
		? j->sc->runtime : AOMS_SYSCALL_RT_GLIBC;
	struct aoms_finding *f;
	int r;

	/* A runtime falls back in its own code: Go's is in every Go program, a C
	 * library's only in a program it is linked into. A dynamic object's own sites
	 * (bun's clone3, a Rust program's pidfd_open) have no glibc wrapper around them. */
	fallback = via == 0 || rt == AOMS_SYSCALL_RT_GO || runtime_linked_in(j) ?
		   aoms_syscall_fallback(rt, name) : NULL;
	h.tables = tables;
	r = aoms_abidb_foreach_syscall(j->db, j->arch, name, -1, NULL, collect_table, &h);
	if (r < 0)
		goto out;
	/* likely either way: a known fallback makes it low, and leaves the file
	 * compatible (a static glibc 2.34 program's own clone3 is no doubt about it) */
	f = new_finding(j, "syscall.missing", fallback ? AOMS_SEV_LOW : AOMS_SEV_HIGH, AOMS_CONF_LIKELY);
	if (!f) { r = -ENOMEM; goto out; }
	aoms_finding_set_title(f, "%s uses syscall %s, which the %s kernel lacks",
			       j->file->subject, name, j->table);
	aoms_finding_set_summary(f, "%s makes syscall %s (%s%s%s), which is not in the %s "
				 "syscall table for %s: the kernel answers ENOSYS. %s%s%s",
				 j->file->subject, name, via_text(via),
				 since ? ", added in Linux " : "", since ? since : "", j->table,
				 j->arch, fallback ? "Fallback: " : "No fallback of the "
				 "runtime is known; the feature that needs it fails.",
				 fallback ? fallback : "", fallback ? "." : "");
	aoms_finding_add_identity(f, "syscall", name);
	aoms_finding_add_evidence(f, "kernel", j->table);
	aoms_finding_add_evidence(f, "arch", j->arch);
	if (nr >= 0)
		aoms_finding_add_evidencef(f, "number", "%d", nr);
	if (since)
		aoms_finding_add_evidence(f, "introduced", since);
	aoms_finding_add_evidence(f, "via", via_text(via));
	if (sites)
		aoms_finding_add_evidencef(f, "sites", "%u", sites);
	aoms_finding_add_evidence(f, "runtime", aoms_syscall_runtime_name(rt));
	aoms_finding_add_evidence(f, "fallback", fallback ? fallback : "none known");
	aoms_finding_add_evidence_list(f, "available_in", (const char *const *)tables, h.n);
	if (h.n)
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "The %s kernel table has %s: scan with "
					"--kernel %s to judge against that kernel.", tables[0],
					name, tables[0]);
	if (fallback) {   /* the runtime copes: nothing to rebuild */
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Nothing to do: the runtime falls back "
					"on the target; waive this once the fallback is confirmed.");
	} else {
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild with a fallback for ENOSYS, or "
					"confirm the code path is not taken on the target and waive "
					"this.");
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, NULL);
	}
	r = aoms_report_add(j->report, f);
out:
	for (size_t i = 0; i < h.n; i++)
		free(tables[i]);
	return r;
}

static int add_name(struct judge *j, const char *name)
{
	const char **nv = realloc(j->names, (j->n_names + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	j->names = nv;
	j->names[j->n_names++] = name;
	return 0;
}

/* 1 when table has name (import) or nr (code), 0 when not. */
static int table_has(struct judge *j, const char *name, int nr)
{
	struct aoms_abidb_syscall s;
	int r = aoms_abidb_find_syscall(j->db, j->arch, name, name ? -1 : nr, j->table, &s);
	bool has;

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	has = s.entry != NULL;
	aoms_abidb_syscall_release(&s);
	return has;
}

static int judge_code(struct judge *j, char **owned)
{
	for (size_t i = 0; i < j->sc->n_calls; i++) {
		const struct aoms_elf_syscall *c = &j->sc->calls[i];
		struct aoms_abidb_syscall s;
		int r = j->table ? aoms_abidb_find_syscall(j->db, j->arch, NULL, c->nr, j->table, &s)
				 : -ENOENT;
		bool has = false;

		if (r < 0 && r != -ENOENT)
			return r;
		/* One lookup in the target's table names most; the others only the rest. */
		if (r == 0) {
			has = s.entry != NULL;
			owned[i] = has ? strdup(s.name) : NULL;
			aoms_abidb_syscall_release(&s);
			if (has && !owned[i])
				return -ENOMEM;
		}
		if (!has && (r = name_of(j, c->nr, &owned[i])) < 0)
			return r;
		if ((r = add_name(j, owned[i])) < 0)
			return r;
		if (j->table && !has &&
		    (r = report_missing(j, owned[i], c->nr, c->via, c->sites)) < 0)
			return r;
	}
	return 0;
}

static int judge_imports(struct judge *j, const struct aoms_elf *m)
{
	for (size_t i = 0; i < m->n_imports; i++) {
		const char *name = aoms_syscall_of_import(m->imports[i].name);
		bool seen = false;
		int r;

		if (!name)
			continue;
		for (size_t k = 0; k < j->n_names && !seen; k++)
			seen = strcmp(j->names[k], name) == 0;
		if (seen)
			continue;
		if ((r = add_name(j, name)) < 0)
			return r;
		if (!j->table)
			continue;
		if ((r = table_has(j, name, -1)) < 0)
			return r;
		if (!r && (r = report_missing(j, name, -1, 0, 0)) < 0)
			return r;
	}
	return 0;
}

static int report_counts(struct judge *j)
{
	struct aoms_finding *f;

	if (j->sc->unresolved) {
		f = new_finding(j, "syscall.unresolved", AOMS_SEV_INFO, AOMS_CONF_POSSIBLE);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%u syscall sites of %s have no recovered number",
				       j->sc->unresolved, j->file->subject);
		aoms_finding_set_summary(f, "At %u sites of %s the syscall number is not an "
					 "immediate in the straight-line code before the site, so "
					 "those syscalls are not known.", j->sc->unresolved,
					 j->file->subject);
		aoms_finding_add_evidencef(f, "count", "%u", j->sc->unresolved);
		if (aoms_report_add(j->report, f) < 0)
			return -ENOMEM;
	}
	if (j->sc->partial) {
		f = new_finding(j, "syscall.scan-partial", AOMS_SEV_LOW, AOMS_CONF_POSSIBLE);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "The code of %s was decoded only in part", j->file->subject);
		aoms_finding_set_summary(f, "Decoding stopped after %llu instructions (the bound "
					 "is %u instructions or %d seconds); syscalls after that "
					 "point are not known.", (unsigned long long)j->sc->n_insns,
					 AOMS_SYSCALL_MAX_INSNS, AOMS_SYSCALL_MAX_SECONDS);
		aoms_finding_add_evidencef(f, "instructions", "%llu", (unsigned long long)j->sc->n_insns);
		if (aoms_report_add(j->report, f) < 0)
			return -ENOMEM;
	}
	if (j->sc->skipped == AOMS_SYSCALL_SKIP_NO_DECODER && !j->file->elf->n_needed) {
		f = new_finding(j, "syscall.not-decoded", AOMS_SEV_INFO, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "The syscalls of %s were not looked for", j->file->subject);
		aoms_finding_set_summary(f, "%s is statically linked and this aoms was built "
					 "without capstone, so its code was not decoded.",
					 j->file->subject);
		if (aoms_report_add(j->report, f) < 0)
			return -ENOMEM;
	}
	return 0;
}

int aoms_check_syscalls(struct aoms_syscall_tables *t, struct aoms_report *report,
			const struct aoms_file *file, struct aoms_file_summary *summary)
{
	const struct aoms_elf *m = file->elf;
	struct aoms_abidb *db = t->db;
	struct judge j = { .db = db, .report = report, .file = file, .sc = m->syscalls };
	_cleanup_(freep) char *table = NULL;
	char **owned = NULL;
	int r;

	j.arch = aoms_elf_arch(m->elf_class, m->machine);
	if (!j.arch || !j.sc)
		return 0;
	/* The C library itself: the target brings its own. */
	if (m->soname && (r = aoms_abidb_soname_is_glibc(db, m->soname)) != 0)
		return r < 0 ? r : 0;
	r = tables_label(t, j.arch, &table);
	if (r < 0)
		return r;
	j.table = table;   /* NULL: no table to judge against; names only */
	owned = calloc(j.sc->n_calls + 1, sizeof(*owned));
	if (!owned)
		return -ENOMEM;
	r = judge_code(&j, owned);
	if (r >= 0)
		r = judge_imports(&j, m);
	if (r >= 0)
		r = report_counts(&j);
	if (r >= 0 && summary && j.n_names)
		r = aoms_file_summary_set_syscalls(summary, j.names, j.n_names);
	for (size_t i = 0; i < j.sc->n_calls; i++)
		free(owned[i]);
	free(owned);
	free(j.names);
	return r;
}
