/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CO-RE check (check-bpf-core.h). A relocation libbpf cannot resolve on the
 * target poisons its instruction: loading fails when the verifier reaches it, so a
 * program that asks first (bpf_core_field_exists() and the like, in the same
 * program) copes. Relocations of the same type and field path are judged together:
 * only existence checks — info; every access guarded by such a check in its
 * program — low; an access without one — high and an inhibitor, like a missing
 * helper (likely: the access may sit in dead code).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "bpf-core.h"
#include "btf-blob.h"
#include "check-bpf-core.h"
#include "check-bpf.h"
#include "strbuf.h"

struct aoms_bpf_core_target {
	struct aoms_abidb *db;
	char *kernel;                     /* wanted release; NULL: the newest */
	pthread_mutex_t lock;
	bool loaded;                      /* the fields below are set (under lock) */
	struct aoms_bpf_btf_index *index; /* NULL: none, why says why */
	char *release;                    /* the kernel whose BTF it is */
	char *why;
	/* objects whose relocations could not be judged; the first in path order */
	size_t n_unjudged;
	char *first_subject, *first_rel, *first_package;
};

int aoms_bpf_core_target_new(struct aoms_abidb *db, const char *kernel,
			     struct aoms_bpf_core_target **ret)
{
	struct aoms_bpf_core_target *t = calloc(1, sizeof(*t));

	if (!t || (kernel && !(t->kernel = strdup(kernel)))) {
		free(t);
		return -ENOMEM;
	}
	t->db = db;
	pthread_mutex_init(&t->lock, NULL);
	*ret = t;
	return 0;
}

void aoms_bpf_core_target_free(struct aoms_bpf_core_target *t)
{
	if (!t)
		return;
	aoms_bpf_btf_index_free(t->index);
	pthread_mutex_destroy(&t->lock);
	free(t->kernel);
	free(t->release);
	free(t->why);
	free(t->first_subject);
	free(t->first_rel);
	free(t->first_package);
	free(t);
}

/* Reads the database's BTF for t->kernel once. Lock held. */
static int core_load_locked(struct aoms_bpf_core_target *t)
{
	_cleanup_(freep) void *raw = NULL;
	_cleanup_(freep) char *reason = NULL;
	struct aoms_abidb_btf b = { 0 };
	int r;

	t->loaded = true;
	r = aoms_abidb_kernel_btf(t->db, t->kernel, &b);
	if (r == -ENOENT) {
		t->why = t->kernel ? aoms_strdupf("the database has no BTF of kernel %s", t->kernel)
				   : strdup("the database has no kernel BTF");
		return t->why ? 0 : -ENOMEM;
	}
	if (r < 0)
		return r;
	r = aoms_btf_blob_unpack(b.encoding, b.raw_size, b.data, b.size, &raw);
	if (r >= 0)
		r = aoms_bpf_btf_index_new(raw, b.raw_size, &t->index, &reason);
	if (r == -ENOMEM) {
		aoms_abidb_btf_release(&b);
		return r;
	}
	if (r == -EOPNOTSUPP)
		t->why = strdup("aoms was built without libbpf 1.0 or later");
	else if (r < 0)
		t->why = aoms_strdupf("the database's BTF of kernel %s is damaged: %s", b.release,
				      reason ? reason : "it does not decode");
	t->release = strdup(b.release);
	aoms_abidb_btf_release(&b);
	return (r < 0 && !t->why) || !t->release ? -ENOMEM : 0;
}

/* The index, or NULL after noting f as not judged. */
static int core_target(struct aoms_bpf_core_target *t, const struct aoms_file *f,
		       const struct aoms_bpf_btf_index **ret)
{
	int r = 0;

	pthread_mutex_lock(&t->lock);
	if (!t->loaded)
		r = core_load_locked(t);
	*ret = t->index;
	if (r >= 0 && !t->index) {
		t->n_unjudged++;
		if (!t->first_subject || strcmp(f->subject, t->first_subject) < 0) {
			free(t->first_subject), free(t->first_rel), free(t->first_package);
			t->first_subject = strdup(f->subject);
			t->first_rel = f->rel ? strdup(f->rel) : NULL;
			t->first_package = f->package ? strdup(f->package) : NULL;
			if (!t->first_subject || (f->rel && !t->first_rel) ||
			    (f->package && !t->first_package))
				r = -ENOMEM;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return r;
}

int aoms_bpf_core_target_finish(const struct aoms_scan_ctx *ctx)
{
	struct aoms_bpf_core_target *t = ctx->bpf_core;
	struct aoms_file f = { 0 };
	struct aoms_finding *fd;

	if (!t || !t->n_unjudged)
		return 0;
	f.subject = t->first_subject;
	f.rel = t->first_rel;
	f.package = t->first_package;
	if (aoms_bpf_finding_new(ctx, &f, NULL, "bpf.core-btf-unknown", AOMS_SEV_INFO, false, &fd) < 0)
		return -ENOMEM;
	fd->confidence = AOMS_CONF_POSSIBLE;
	aoms_finding_set_title(fd, "CO-RE relocations of %zu eBPF object%s were not checked "
			       "against the target kernel's types", t->n_unjudged,
			       t->n_unjudged == 1 ? "" : "s");
	aoms_finding_set_summary(fd, "%s. The types and fields the objects relocate (%s%s) "
				 "were not looked up; libbpf does that when it loads them.", t->why,
				 t->first_subject, t->n_unjudged > 1 ? " and others" : "");
	aoms_finding_add_identity(fd, "kind", "btf");
	aoms_finding_add_evidencef(fd, "objects", "%zu", t->n_unjudged);
	aoms_finding_add_evidence(fd, "reason", t->why);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Build the database with the target kernel's "
				"BTF: aoms db build --kernel /lib/modules/RELEASE (with "
				"/sys/kernel/btf/vmlinux of a live root, a vmlinux, or --btf FILE).");
	return aoms_report_add(ctx->report, fd) < 0 ? -ENOMEM : 0;
}

/* ---- grouping the relocations of one object ---- */

struct core_group {
	enum aoms_bpf_core_result result;
	const struct aoms_bpf_core_relo *first;
	const char *missing;        /* first member no candidate has */
	struct aoms_strbuf programs, kinds, fields;
	bool any_access, unguarded;
};

static bool core_same_group(const struct core_group *g, enum aoms_bpf_core_result res,
			    const struct aoms_bpf_core_relo *r)
{
	const struct aoms_bpf_core_relo *a = g->first;

	if (g->result != res || strcmp(a->type, r->type) != 0 ||
	    strcmp(aoms_bpf_core_type_kind_word(a->type_kind),
		   aoms_bpf_core_type_kind_word(r->type_kind)) != 0)
		return false;
	if (res == AOMS_CORE_TYPE_MISSING)
		return true;
	if (res == AOMS_CORE_ENUMVAL_MISSING)
		return strcmp(a->enumval, r->enumval) == 0;
	return strcmp(a->path, r->path) == 0;
}

/* Adds word to a ", "-separated list unless it is there. */
static int core_list_add(struct aoms_strbuf *sb, const char *word)
{
	const char *s = sb->len ? aoms_strbuf_str(sb) : "";
	size_t n = strlen(word);

	for (const char *p = s; (p = strstr(p, word)); p += n)
		if ((p == s || p[-1] == ' ') && (p[n] == ',' || !p[n]))
			return 0;
	return aoms_strbuf_addf(sb, "%s%s", sb->len ? ", " : "", word);
}

/* Whether program section sec has an existence check in the group's relocations. */
static bool core_guarded(const struct aoms_bpf_core *c, const struct core_group *g,
			 enum aoms_bpf_core_result *res, const char *sec)
{
	for (size_t i = 0; i < c->n_relos; i++)
		if (aoms_bpf_core_kind_is_probe(c->relos[i].kind) &&
		    strcmp(c->relos[i].section, sec) == 0 && core_same_group(g, res[i], &c->relos[i]))
			return true;
	return false;
}

static void core_groups_release(struct core_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		aoms_strbuf_release(&g[i].programs);
		aoms_strbuf_release(&g[i].kinds);
		aoms_strbuf_release(&g[i].fields);
	}
	free(g);
}

/* ---- findings ---- */

static const struct {
	const char *rule, *what;
} core_rules[] = {
	[AOMS_CORE_TYPE_MISSING] = { "bpf.core-type-missing", "type" },
	[AOMS_CORE_FIELD_MISSING] = { "bpf.core-field-missing", "field" },
	[AOMS_CORE_ENUMVAL_MISSING] = { "bpf.core-enumval-missing", "enum value" },
};

static int core_report(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
		       const char *bpf_kernel, const char *release, const struct core_group *g)
{
	const struct aoms_bpf_core_relo *r = g->first;
	enum aoms_severity sev = g->unguarded ? AOMS_SEV_HIGH : g->any_access ? AOMS_SEV_LOW
									   : AOMS_SEV_INFO;
	_cleanup_(freep) char *type = aoms_strdupf("%s %s", aoms_bpf_core_type_kind_word(r->type_kind),
						   r->type);
	_cleanup_(freep) char *what = NULL;
	struct aoms_finding *fd;

	if (!type)
		return -ENOMEM;
	what = g->result == AOMS_CORE_FIELD_MISSING ? aoms_strdupf("%s.%s", type, r->path)
	       : g->result == AOMS_CORE_ENUMVAL_MISSING ? aoms_strdupf("%s::%s", type, r->enumval)
						       : strdup(type);
	if (!what || aoms_bpf_finding_new(ctx, f, bpf_kernel, core_rules[g->result].rule, sev,
					  g->unguarded, &fd) < 0)
		return -ENOMEM;
	fd->confidence = g->unguarded ? AOMS_CONF_LIKELY : AOMS_CONF_CERTAIN;
	aoms_finding_set_title(fd, "%s relocates %s %s, which the target kernel's BTF lacks",
			       f->subject, core_rules[g->result].what, what);
	aoms_finding_set_summary(fd, "%s's CO-RE relocations in %s name %s, which the BTF of "
				 "kernel %s does not have%s%s. %s", f->subject,
				 aoms_strbuf_str(&g->programs), what, release,
				 g->missing ? ": no member " : "", g->missing ? g->missing : "",
				 g->unguarded ? "libbpf cannot relocate the access, and the program "
						"fails to load when the verifier reaches it."
				 : g->any_access ? "Each access is guarded by an existence check in "
						   "its program, which sees it missing and skips it."
						 : "The program only checks whether it exists and "
						   "copes with its absence.");
	aoms_finding_add_identity(fd, "type", type);
	if (g->result == AOMS_CORE_FIELD_MISSING)
		aoms_finding_add_identity(fd, "field", r->path);
	if (g->result == AOMS_CORE_ENUMVAL_MISSING)
		aoms_finding_add_identity(fd, "enumval", r->enumval);
	if (g->missing)
		aoms_finding_add_evidence(fd, "missing_member", g->missing);
	if (g->result == AOMS_CORE_TYPE_MISSING && g->fields.len)
		aoms_finding_add_evidence(fd, "fields", aoms_strbuf_str(&g->fields));
	aoms_finding_add_evidence(fd, "programs", aoms_strbuf_str(&g->programs));
	aoms_finding_add_evidence(fd, "relocations", aoms_strbuf_str(&g->kinds));
	aoms_finding_add_evidence(fd, "btf_kernel", release);
	aoms_finding_add_evidence(fd, "guarded", g->unguarded ? "no" : "yes");
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Ask the vendor for a build whose CO-RE "
				"types match the target kernel (a ___flavor of the %s that the "
				"kernel has, guarded by bpf_core_%s_exists()), or one built "
				"for that kernel.", core_rules[g->result].what,
				g->result == AOMS_CORE_ENUMVAL_MISSING ? "enum_value"
				: g->result == AOMS_CORE_TYPE_MISSING ? "type" : "field");
	return aoms_report_add(ctx->report, fd) < 0 ? -ENOMEM : 0;
}

static int core_report_invalid(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			       const char *bpf_kernel, const char *reason, uint64_t n,
			       const char *section)
{
	struct aoms_finding *fd;

	if (aoms_bpf_finding_new(ctx, f, bpf_kernel, "bpf.core-relo-invalid", AOMS_SEV_MEDIUM, false,
				 &fd) < 0)
		return -ENOMEM;
	fd->confidence = AOMS_CONF_POSSIBLE;
	aoms_finding_set_title(fd, "%s has CO-RE relocations that do not resolve in its own BTF",
			       f->subject);
	if (section)
		aoms_finding_set_summary(fd, "%s: %s (section %s; %llu such records). libbpf "
					 "refuses to load a program whose relocation it cannot "
					 "read.", f->subject, reason, section, (unsigned long long)n);
	else
		aoms_finding_set_summary(fd, "%s: its %llu CO-RE records cannot be read: %s.",
					 f->subject, (unsigned long long)n, reason);
	aoms_finding_add_identity(fd, "kind", "core-relo");
	aoms_finding_add_evidence(fd, "reason", reason);
	aoms_finding_add_evidencef(fd, "records", "%llu", (unsigned long long)n);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Replace the object with an intact build "
				"from its vendor.");
	return aoms_report_add(ctx->report, fd) < 0 ? -ENOMEM : 0;
}

/* "unguarded (kprobe/do_fork)": the program of a section when it holds one only. */
static char *core_program(const struct aoms_bpf_object *o, const char *section)
{
	const char *name = NULL;

	for (size_t i = 0; i < o->n_progs; i++) {
		if (strcmp(o->progs[i].section, section) != 0)
			continue;
		if (name)
			return strdup(section);
		name = o->progs[i].name;
	}
	return name && strcmp(name, section) != 0 ? aoms_strdupf("%s (%s)", name, section)
						   : strdup(section);
}

/* Groups c's relocations by what the target lacks. */
static int core_group_all(const struct aoms_bpf_object *o, const struct aoms_bpf_core *c,
			  enum aoms_bpf_core_result *res,
			  const char **missing, struct core_group **ret, size_t *ret_n)
{
	struct core_group *g = calloc(c->n_relos ? c->n_relos : 1, sizeof(*g));
	size_t n = 0;
	int r = 0;

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; r >= 0 && i < c->n_relos; i++) {
		const struct aoms_bpf_core_relo *x = &c->relos[i];
		char kb[16];
		size_t k = 0;

		if (res[i] == AOMS_CORE_OK || res[i] == AOMS_CORE_NOT_CHECKED)
			continue;
		while (k < n && !core_same_group(&g[k], res[i], x))
			k++;
		if (k == n)
			g[n++] = (struct core_group){ .result = res[i], .first = x,
						      .missing = missing[i] };
		{
			_cleanup_(freep) char *prog = core_program(o, x->section);

			r = prog ? core_list_add(&g[k].programs, prog) : -ENOMEM;
		}
		if (r >= 0)
			r = core_list_add(&g[k].kinds, aoms_bpf_core_kind_name(x->kind, kb));
		if (r >= 0 && *x->path)
			r = core_list_add(&g[k].fields, x->path);
		if (!aoms_bpf_core_kind_is_probe(x->kind)) {
			g[k].any_access = true;
			if (!core_guarded(c, &g[k], res, x->section))
				g[k].unguarded = true;
		}
	}
	*ret = g;
	*ret_n = n;
	return r < 0 ? -ENOMEM : 0;
}

static int core_judge(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
		      const struct aoms_bpf_object *o, const struct aoms_bpf_core *c, const struct aoms_bpf_btf_index *x,
		      const char *bpf_kernel, const char *release)
{
	_cleanup_(freep) enum aoms_bpf_core_result *res = calloc(c->n_relos + 1, sizeof(*res));
	_cleanup_(freep) const char **missing = calloc(c->n_relos + 1, sizeof(*missing));
	struct core_group *g = NULL;
	size_t n = 0;
	int r;

	if (!res || !missing)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_relos; i++)
		res[i] = aoms_bpf_core_match(x, &c->relos[i], &missing[i]);
	r = core_group_all(o, c, res, missing, &g, &n);
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = core_report(ctx, f, bpf_kernel, release, &g[i]);
	core_groups_release(g, n);
	return r;
}

int aoms_check_bpf_core(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			const struct aoms_bpf_object *o, const char *bpf_kernel)
{
	const struct aoms_bpf_core *c = o->core;
	const struct aoms_bpf_btf_index *x;
	const char *bad = NULL, *bad_sec = NULL;
	uint64_t n_bad = 0;
	int r;

	if (!o->n_core_relos || !ctx->bpf_core)
		return 0;
	if (o->core_error)
		return core_report_invalid(ctx, f, bpf_kernel, o->core_error, o->n_core_relos, NULL);
	for (size_t i = 0; c && i < c->n_relos; i++)
		if (c->relos[i].error) {
			n_bad += c->relos[i].count;
			if (!bad)
				bad = c->relos[i].error, bad_sec = c->relos[i].section;
		}
	if (bad && (r = core_report_invalid(ctx, f, bpf_kernel, bad, n_bad, bad_sec)) < 0)
		return r;
	if (!c || c->n_relos == (size_t)0)
		return 0;
	r = core_target(ctx->bpf_core, f, &x);
	if (r < 0 || !x)
		return r;
	return core_judge(ctx, f, o, c, x, bpf_kernel, ctx->bpf_core->release);
}
