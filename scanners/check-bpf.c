/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eBPF object check (check-bpf.h). Availability is the target kernel's own
 * table (declared in its uapi bpf.h), never an upstream version compared with
 * 4.18: RHEL 8's 4.18 declares most of upstream 5.14. Features no table lists one
 * by one (global data, bpf-to-bpf and kfunc calls, 1M-instruction programs) are
 * judged by the kernel's BPF level: the newest upstream release among its facts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check-bpf.h"
#include "file-summary.h"
#include "strbuf.h"

struct bpf_judge {
	const struct aoms_scan_ctx *ctx;
	const struct aoms_file *f;
	const struct aoms_bpf_object *o;
	char *kernel;          /* the BPF facts' label */
	char *level;           /* its BPF level, NULL: unknown */
	char *needs;           /* newest upstream release among the features used */
	const char *target;
};

static const char *bpf_target(const struct bpf_judge *j)
{
	return j->ctx->target ? j->ctx->target : "the target";
}

static int bpf_new_finding(const struct bpf_judge *j, const char *rule, enum aoms_severity sev,
			   bool inhibitor, struct aoms_finding **ret)
{
	const struct aoms_file *f = j->f;
	struct aoms_finding *fd;

	if (aoms_finding_new_at(rule, sev, AOMS_DIM_KERNEL, f->subject, f->rel, f->package, &fd) < 0)
		return -ENOMEM;
	fd->inhibitor = inhibitor;
	if (j->kernel)
		aoms_finding_add_evidence(fd, "bpf_kernel", j->kernel);
	*ret = fd;
	return 0;
}

static int bpf_add(const struct bpf_judge *j, struct aoms_finding *fd)
{
	return aoms_report_add(j->ctx->report, fd) < 0 ? -ENOMEM : 0;
}

static void bpf_need(struct bpf_judge *j, const char *upstream)
{
	char *c;

	if (!upstream || (j->needs && strverscmp(j->needs, upstream) >= 0) || !(c = strdup(upstream)))
		return;
	free(j->needs);
	j->needs = c;
}

static bool bpf_level_below(const struct bpf_judge *j, const char *version)
{
	return j->level && strverscmp(j->level, version) < 0;
}

/* ---- other kernels that have a feature: the remediation ---- */

struct bpf_others {
	const struct bpf_judge *j;
	enum aoms_abidb_bpf_kind kind;
	int id;
	struct aoms_strbuf sb;
};

static int bpf_other_fn(const char *label, void *ud)
{
	struct bpf_others *w = ud;
	struct aoms_abidb_bpf b;
	int r;

	if (strcmp(label, w->j->kernel) == 0)
		return 0;
	r = aoms_abidb_find_bpf(w->j->ctx->db, w->kind, label, NULL, w->id, &b);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (b.available)
		r = aoms_strbuf_addf(&w->sb, "%s%s", w->sb.len ? ", " : "", label);
	aoms_abidb_bpf_release(&b);
	return r < 0 ? r : 0;
}

static int bpf_remedy_missing(const struct bpf_judge *j, struct aoms_finding *fd,
			      enum aoms_abidb_bpf_kind kind, int id, const char *what)
{
	struct bpf_others w = { j, kind, id, AOMS_STRBUF_INIT };
	int r = aoms_abidb_foreach_bpf_kernel(j->ctx->db, bpf_other_fn, &w);

	if (r >= 0 && w.sb.len)
		aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT,
					"The kernel %s has %s: run the object on it, or",
					aoms_strbuf_str(&w.sb), what);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT,
				"Ask the vendor for a build for the %s kernel (%s) that does without "
				"%s, or one that probes for it at load time (libbpf's "
				"libbpf_probe_bpf_*()) and falls back.", bpf_target(j), j->kernel, what);
	aoms_strbuf_release(&w.sb);
	return r < 0 && r != -ENOENT ? r : 0;
}

/* ---- program types, map types, helpers ---- */

static const char *const bpf_kind_word[] = { "prog-type", "map-type", "helper" };
static const char *const bpf_kind_rule[] = { "bpf.prog-type-missing", "bpf.map-type-missing",
					     "bpf.helper-missing" };

/* A config the target must have for a declared feature to work. */
static const struct {
	enum aoms_abidb_bpf_kind kind;
	const char *name;
	const char *config;
} bpf_configs[] = {
	{ AOMS_ABIDB_BPF_PROG_TYPE, "BPF_PROG_TYPE_LSM", "CONFIG_BPF_LSM" },
};

static int bpf_config(const struct bpf_judge *j, const char *key, char **ret)
{
	const char *release = j->ctx->kernel;
	int r = aoms_abidb_get_kernel_config(j->ctx->db, release, "x86_64", key, ret);

	if (r == -ENOENT)
		r = aoms_abidb_get_kernel_config(j->ctx->db, release, "aarch64", key, ret);
	return r;
}

/* The config that disables a declared feature, into *ret_config, or NULL. */
static int bpf_disabled_by(const struct bpf_judge *j, enum aoms_abidb_bpf_kind kind,
			   const char *name, const char **ret_config)
{
	*ret_config = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(bpf_configs); i++) {
		_cleanup_(freep) char *v = NULL;
		int r;

		if (bpf_configs[i].kind != kind || strcmp(bpf_configs[i].name, name) != 0)
			continue;
		r = bpf_config(j, bpf_configs[i].config, &v);
		if (r == -ENOENT)
			return 0;
		if (r < 0)
			return r;
		if (strcmp(v, "y") != 0 && strcmp(v, "m") != 0)
			*ret_config = bpf_configs[i].config;
	}
	return 0;
}

static int bpf_report_unknown(const struct bpf_judge *j, enum aoms_abidb_bpf_kind kind, int id,
			      const char *users)
{
	struct aoms_finding *fd;
	int r = bpf_new_finding(j, "bpf.feature-unknown", AOMS_SEV_MEDIUM, false, &fd);

	if (r < 0)
		return r;
	fd->confidence = AOMS_CONF_POSSIBLE;
	aoms_finding_set_title(fd, "%s uses BPF %s %d, which the database does not know",
			       j->f->subject, bpf_kind_word[kind], id);
	aoms_finding_set_summary(fd, "%s uses %s %d%s%s; the BPF facts of kernel %s have no "
				 "such id, so whether %s has it is unknown.", j->f->subject,
				 bpf_kind_word[kind], id, users ? " in " : "", users ? users : "",
				 j->kernel, bpf_target(j));
	aoms_finding_add_identity(fd, "kind", bpf_kind_word[kind]);
	aoms_finding_add_identityf(fd, "name", "%d", id);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Load the object on a test host running "
				"the %s kernel, or update the database.", bpf_target(j));
	return bpf_add(j, fd);
}

static int bpf_report_missing(const struct bpf_judge *j, const struct aoms_abidb_bpf *b,
			      enum aoms_abidb_bpf_kind kind, const char *config, const char *users)
{
	_cleanup_(freep) char *what = NULL;
	struct aoms_finding *fd;
	int r = bpf_new_finding(j, bpf_kind_rule[kind], AOMS_SEV_HIGH, true, &fd);

	if (r < 0)
		return r;
	if (asprintf(&what, "%s%s", kind == AOMS_ABIDB_BPF_HELPER ? "bpf_" : "", b->name) < 0) {
		aoms_finding_free(fd);
		return -ENOMEM;
	}
	aoms_finding_set_title(fd, "%s uses %s %s, which the %s kernel lacks", j->f->subject,
			       kind == AOMS_ABIDB_BPF_HELPER ? "helper"
			       : kind == AOMS_ABIDB_BPF_MAP_TYPE ? "map type" : "program type",
			       what, bpf_target(j));
	if (config)
		aoms_finding_set_summary(fd, "%s uses %s%s%s. The kernel %s declares it, but its "
					 "config leaves %s unset, so loading fails.", j->f->subject,
					 what, users ? " in " : "", users ? users : "", j->kernel,
					 config);
	else
		aoms_finding_set_summary(fd, "%s uses %s%s%s (id %d, upstream Linux %s). The "
					 "kernel %s (the RHEL/ANCK backport table) does not declare "
					 "it, so the kernel refuses the object with EINVAL.",
					 j->f->subject, what, users ? " in " : "", users ? users : "",
					 b->id, b->upstream ? b->upstream : "(unknown)", j->kernel);
	aoms_finding_add_identity(fd, "kind", bpf_kind_word[kind]);
	aoms_finding_add_identity(fd, "name", what);
	aoms_finding_add_evidencef(fd, "id", "%d", b->id);
	if (b->upstream)
		aoms_finding_add_evidence(fd, "introduced_upstream", b->upstream);
	if (config)
		aoms_finding_add_evidence(fd, "config", config);
	if (users)
		aoms_finding_add_evidence(fd, "used_by", users);
	r = bpf_remedy_missing(j, fd, kind, b->id, what);
	if (r < 0) {
		aoms_finding_free(fd);
		return r;
	}
	return bpf_add(j, fd);
}

/* Judges one id of kind; users names the programs or maps (may be NULL). */
static int bpf_judge_id(struct bpf_judge *j, enum aoms_abidb_bpf_kind kind, int id,
			const char *users)
{
	struct aoms_abidb_bpf b;
	const char *config = NULL;
	int r = aoms_abidb_find_bpf(j->ctx->db, kind, j->kernel, NULL, id, &b);

	if (r == -ENOENT)
		return bpf_report_unknown(j, kind, id, users);
	if (r < 0)
		return r;
	bpf_need(j, b.upstream);
	if (b.available)
		r = bpf_disabled_by(j, kind, b.name, &config);
	if (r >= 0 && (!b.available || config))
		r = bpf_report_missing(j, &b, kind, config, users);
	aoms_abidb_bpf_release(&b);
	return r;
}

/* The programs (or maps) of type, joined: "a, b". */
static char *bpf_users(const struct aoms_bpf_object *o, bool progs, int type)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	size_t n = progs ? o->n_progs : o->n_maps;

	for (size_t i = 0; i < n; i++) {
		int t = progs ? o->progs[i].type : o->maps[i].type;
		const char *name = progs ? o->progs[i].name : o->maps[i].name;

		if (t == type && aoms_strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", name) < 0)
			break;
	}
	return sb.len ? aoms_strbuf_detach(&sb) : (aoms_strbuf_release(&sb), NULL);
}

static int bpf_judge_types(struct bpf_judge *j, bool progs)
{
	const struct aoms_bpf_object *o = j->o;
	size_t n = progs ? o->n_progs : o->n_maps;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < n; i++) {
		int t = progs ? o->progs[i].type : o->maps[i].type;
		bool seen = t < 0;
		_cleanup_(freep) char *users = NULL;

		for (size_t k = 0; !seen && k < i; k++)
			seen = (progs ? o->progs[k].type : o->maps[k].type) == t;
		if (seen)
			continue;
		users = bpf_users(o, progs, t);
		r = bpf_judge_id(j, progs ? AOMS_ABIDB_BPF_PROG_TYPE : AOMS_ABIDB_BPF_MAP_TYPE, t,
				 users);
	}
	return r;
}

static int bpf_judge_helpers(struct bpf_judge *j)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < j->o->n_helpers; i++)
		r = bpf_judge_id(j, AOMS_ABIDB_BPF_HELPER, j->o->helpers[i], NULL);
	return r;
}

/* ---- features judged by the BPF level, CO-RE, program size ---- */

static int bpf_report_feature(struct bpf_judge *j, const char *feature, const char *since,
			      const char *detail)
{
	struct aoms_finding *fd;
	int r;

	bpf_need(j, since);
	if (!bpf_level_below(j, since))
		return 0;
	r = bpf_new_finding(j, "bpf.feature-missing", AOMS_SEV_HIGH, true, &fd);
	if (r < 0)
		return r;
	aoms_finding_set_title(fd, "%s uses %s, which the %s kernel lacks", j->f->subject,
			       feature, bpf_target(j));
	aoms_finding_set_summary(fd, "%s uses %s (%s; upstream Linux %s). The BPF facts of "
				 "kernel %s reach upstream %s only.", j->f->subject, feature,
				 detail, since, j->kernel, j->level);
	aoms_finding_add_identity(fd, "kind", "feature");
	aoms_finding_add_identity(fd, "name", feature);
	aoms_finding_add_evidence(fd, "introduced_upstream", since);
	aoms_finding_add_evidence(fd, "bpf_level", j->level);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Ask the vendor for a build for older "
				"kernels (without %s), or run it on a kernel with upstream %s BPF.",
				feature, since);
	return bpf_add(j, fd);
}

static int bpf_judge_features(struct bpf_judge *j)
{
	const struct aoms_bpf_object *o = j->o;
	int r = 0;

	if (o->n_data_sections)
		r = bpf_report_feature(j, "global data", "5.2",
				       ".data/.rodata/.bss sections become array maps the "
				       "program reads directly");
	if (r >= 0 && o->n_bpf_calls)
		r = bpf_report_feature(j, "bpf-to-bpf calls", "4.16", "subprograms called with "
				       "BPF_PSEUDO_CALL");
	if (r >= 0 && o->n_kfunc_calls)
		r = bpf_report_feature(j, "kfunc calls", "5.13", "kernel functions called "
				       "through BTF");
	return r;
}

static int bpf_judge_kfuncs(struct bpf_judge *j)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < j->o->n_kfuncs; i++) {
		struct aoms_finding *fd;

		r = bpf_new_finding(j, "bpf.kfunc-unverified", AOMS_SEV_MEDIUM, false, &fd);
		if (r < 0)
			return r;
		fd->confidence = AOMS_CONF_POSSIBLE;
		aoms_finding_set_title(fd, "%s calls kernel function %s, which cannot be checked",
				       j->f->subject, j->o->kfuncs[i]);
		aoms_finding_set_summary(fd, "%s calls the kfunc %s. kfuncs are kernel-internal "
					 "functions that each kernel build exposes or not, with no "
					 "stability promise; the database holds no kfunc list for "
					 "kernel %s.", j->f->subject, j->o->kfuncs[i], j->kernel);
		aoms_finding_add_identity(fd, "kind", "kfunc");
		aoms_finding_add_identity(fd, "name", j->o->kfuncs[i]);
		aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Check that the %s kernel's BTF "
					"(bpftool btf dump file /sys/kernel/btf/vmlinux) has the "
					"function, or load the object on a test host.", bpf_target(j));
		r = bpf_add(j, fd);
	}
	return r;
}

static int bpf_judge_core(struct bpf_judge *j)
{
	_cleanup_(freep) char *btf = NULL;
	struct aoms_finding *fd;
	bool unknown;
	int r;

	if (!j->o->n_core_relos)
		return 0;
	r = bpf_config(j, "CONFIG_DEBUG_INFO_BTF", &btf);
	if (r < 0 && r != -ENOENT)
		return r;
	if (btf && strcmp(btf, "y") == 0)
		return 0;
	unknown = !btf;
	r = bpf_new_finding(j, "bpf.core-no-btf", unknown ? AOMS_SEV_MEDIUM : AOMS_SEV_HIGH,
			    !unknown, &fd);
	if (r < 0)
		return r;
	fd->confidence = unknown ? AOMS_CONF_POSSIBLE : AOMS_CONF_CERTAIN;
	aoms_finding_set_title(fd, "%s needs kernel BTF for CO-RE, which the %s kernel %s",
			       j->f->subject, bpf_target(j), unknown ? "may lack" : "lacks");
	aoms_finding_set_summary(fd, "%s has %u CO-RE relocations: libbpf resolves them at load "
				 "time against the running kernel's BTF "
				 "(/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF=y). %s",
				 j->f->subject, j->o->n_core_relos,
				 unknown ? "The database does not know the target kernel's config."
					 : "The target kernel's config does not enable it.");
	aoms_finding_add_identity(fd, "kind", "btf");
	aoms_finding_add_identity(fd, "name", "vmlinux");
	aoms_finding_add_evidencef(fd, "core_relos", "%u", j->o->n_core_relos);
	aoms_finding_add_evidence(fd, "CONFIG_DEBUG_INFO_BTF", btf ? btf : "unknown");
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Ship a BTF file for the target kernel "
				"(BTFHub, bpftool btf min_core_btf) and point libbpf at it "
				"(btf_custom_path), or rebuild without CO-RE for that kernel.");
	return bpf_add(j, fd);
}

static int bpf_judge_size(struct bpf_judge *j)
{
	const struct aoms_bpf_object *o = j->o;
	bool big = o->max_prog_insns > AOMS_BPF_INSN_LIMIT_BIG;
	bool fails;
	struct aoms_finding *fd;
	int r;

	if (o->max_prog_insns <= AOMS_BPF_INSN_LIMIT)
		return 0;
	bpf_need(j, "5.2");
	fails = big || bpf_level_below(j, "5.2");
	r = bpf_new_finding(j, "bpf.insn-limit", fails ? AOMS_SEV_HIGH : AOMS_SEV_LOW, fails, &fd);
	if (r < 0)
		return r;
	aoms_finding_set_title(fd, "%s has a program of %llu instructions", j->f->subject,
			       (unsigned long long)o->max_prog_insns);
	aoms_finding_set_summary(fd, "A program of %s has %llu instructions. Kernels before "
				 "5.2 and unprivileged loaders accept 4096; from 5.2 a privileged "
				 "loader (CAP_SYS_ADMIN or CAP_BPF) may load up to 1 million "
				 "processed instructions. %s", j->f->subject,
				 (unsigned long long)o->max_prog_insns,
				 big ? "This is over any kernel's limit."
				 : fails ? "The target kernel's BPF level is older than 5.2."
					 : "The target accepts it when the loader is privileged.");
	aoms_finding_add_identity(fd, "kind", "insn-limit");
	aoms_finding_add_evidencef(fd, "insns", "%llu", (unsigned long long)o->max_prog_insns);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Load it with a privileged loader, or split "
				"the program with tail calls or bpf_loop().");
	return bpf_add(j, fd);
}

/* ---- what the object is: the inventory, the summary ---- */

static int bpf_strv_push(char ***v, size_t *n, char *s)
{
	char **nv;

	if (!s)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = s;
	return 0;
}

static void bpf_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *bpf_type_name(const struct bpf_judge *j, enum aoms_abidb_bpf_kind kind, int id)
{
	struct aoms_abidb_bpf b;
	char *s = NULL;

	if (j->kernel && aoms_abidb_find_bpf(j->ctx->db, kind, j->kernel, NULL, id, &b) == 0) {
		if (asprintf(&s, "%s%s", kind == AOMS_ABIDB_BPF_HELPER ? "bpf_" : "", b.name) < 0)
			s = NULL;
		aoms_abidb_bpf_release(&b);
	} else if (asprintf(&s, "%s#%d", bpf_kind_word[kind], id) < 0) {
		s = NULL;
	}
	return s;
}

/* The evidence lists of bpf.object: programs, maps, helpers (names and ids). */
static int bpf_inventory_lists(const struct bpf_judge *j, struct aoms_finding *fd)
{
	const struct aoms_bpf_object *o = j->o;
	char **v = NULL, *s, *t;
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < o->n_progs; i++) {
		const struct aoms_bpf_prog *p = &o->progs[i];

		t = p->type >= 0 ? bpf_type_name(j, AOMS_ABIDB_BPF_PROG_TYPE, p->type) : NULL;
		r = asprintf(&s, "%s (section %s, %s%s%s, %llu insns)", p->name, p->section,
			     t ? t : "type unknown", p->attach_name ? ", attach " : "",
			     p->attach_name ? p->attach_name : "", (unsigned long long)p->insn_cnt);
		free(t);
		r = r < 0 ? -ENOMEM : bpf_strv_push(&v, &n, s);
	}
	if (r >= 0)
		r = aoms_finding_add_evidence_list(fd, "programs", (const char *const *)v, n);
	bpf_strv_free(v, n), v = NULL, n = 0;
	for (size_t i = 0; r >= 0 && i < o->n_maps; i++) {
		const struct aoms_bpf_map *m = &o->maps[i];

		t = m->type >= 0 ? bpf_type_name(j, AOMS_ABIDB_BPF_MAP_TYPE, m->type) : NULL;
		r = asprintf(&s, "%s (%s)", m->name, t ? t : "type unknown");
		free(t);
		r = r < 0 ? -ENOMEM : bpf_strv_push(&v, &n, s);
	}
	if (r >= 0)
		r = aoms_finding_add_evidence_list(fd, "maps", (const char *const *)v, n);
	bpf_strv_free(v, n), v = NULL, n = 0;
	for (size_t i = 0; r >= 0 && i < o->n_helpers; i++)
		r = bpf_strv_push(&v, &n, bpf_type_name(j, AOMS_ABIDB_BPF_HELPER, o->helpers[i]));
	if (r >= 0)
		r = aoms_finding_add_evidence_list(fd, "helpers", (const char *const *)v, n);
	bpf_strv_free(v, n), v = NULL, n = 0;
	for (size_t i = 0; r >= 0 && i < o->n_helpers; i++)
		r = asprintf(&s, "%d", o->helpers[i]) < 0 ? -ENOMEM : bpf_strv_push(&v, &n, s);
	if (r >= 0)
		r = aoms_finding_add_evidence_list(fd, "helper_ids", (const char *const *)v, n);
	bpf_strv_free(v, n);
	return r < 0 ? -ENOMEM : 0;
}

static int bpf_report_inventory(const struct bpf_judge *j)
{
	const struct aoms_bpf_object *o = j->o;
	struct aoms_finding *fd;
	int r = bpf_new_finding(j, "bpf.object", AOMS_SEV_INFO, false, &fd);

	if (r < 0)
		return r;
	aoms_finding_set_title(fd, "%s is an eBPF object: %zu programs, %zu maps, %zu helpers",
			       j->f->subject, o->n_progs, o->n_maps, o->n_helpers);
	aoms_finding_set_summary(fd, "%s holds %zu programs (%llu instructions, the largest "
				 "%llu), %zu maps and calls %zu distinct helpers, %zu kfuncs and "
				 "%llu subprograms; BTF %s, %u CO-RE relocations, global data %s.",
				 j->f->subject, o->n_progs, (unsigned long long)o->n_insns,
				 (unsigned long long)o->max_prog_insns, o->n_maps, o->n_helpers,
				 o->n_kfuncs, (unsigned long long)o->n_bpf_calls,
				 o->has_btf ? "yes" : "no", o->n_core_relos,
				 o->n_data_sections ? "yes" : "no");
	r = bpf_inventory_lists(j, fd);
	if (r >= 0)
		r = aoms_finding_add_evidence_list(fd, "kfuncs", (const char *const *)o->kfuncs,
						   o->n_kfuncs);
	if (r >= 0)
		r = aoms_finding_add_evidence_list(fd, "global_data",
						   (const char *const *)o->data_sections,
						   o->n_data_sections);
	if (r >= 0) {
		aoms_finding_add_evidence(fd, "btf", o->has_btf ? "yes" : "no");
		aoms_finding_add_evidencef(fd, "core_relos", "%u", o->n_core_relos);
		aoms_finding_add_evidencef(fd, "bpf_calls", "%llu", (unsigned long long)o->n_bpf_calls);
		aoms_finding_add_evidence(fd, "license", o->license ? o->license : "");
		aoms_finding_add_evidence(fd, "reader", o->libbpf_used ? "libbpf" : "elf");
		if (o->insns_truncated)
			aoms_finding_add_evidence(fd, "truncated", "instruction decoding stopped "
						  "at the limit");
	}
	if (r < 0) {
		aoms_finding_free(fd);
		return r;
	}
	return bpf_add(j, fd);
}

static int bpf_summarize(const struct bpf_judge *j, const char *verdict)
{
	_cleanup_(aoms_file_summary_freep) struct aoms_file_summary *s = NULL;
	int r = aoms_file_summary_new(j->f->subject, "bpf", &s);

	if (r >= 0 && verdict)
		r = aoms_file_summary_set_verdict(s, verdict);
	if (r >= 0 && j->needs)
		r = aoms_file_summary_set_need(s, "kernel-bpf", j->needs);
	if (r >= 0 && j->o && j->o->n_core_relos)
		r = aoms_file_summary_set_need(s, "btf", "vmlinux");
	return r < 0 ? r : aoms_report_add_file_summary(j->ctx->report, TAKE_PTR(s));
}

int aoms_bpf_report_malformed(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			      const char *reason)
{
	const struct bpf_judge j = { .ctx = ctx, .f = f };
	struct aoms_finding *fd;
	int r = bpf_new_finding(&j, "bpf.malformed", AOMS_SEV_MEDIUM, false, &fd);

	if (r < 0)
		return r;
	if (!reason)
		reason = "damaged";
	aoms_finding_set_title(fd, "%s is a damaged eBPF object", f->subject);
	aoms_finding_set_summary(fd, "%s cannot be read as an eBPF object: %s.", f->subject, reason);
	aoms_finding_add_evidence(fd, "reason", reason);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Replace it with an intact build from its "
				"vendor, or waive the finding when the file is not used.");
	r = bpf_add(&j, fd);
	return r < 0 ? r : bpf_summarize(&j, AOMS_VERDICT_UNKNOWN);
}

static int bpf_report_no_facts(const struct bpf_judge *j)
{
	struct aoms_finding *fd;
	int r = bpf_new_finding(j, "bpf.facts-missing", AOMS_SEV_LOW, false, &fd);

	if (r < 0)
		return r;
	fd->confidence = AOMS_CONF_POSSIBLE;
	aoms_finding_set_title(fd, "%s was not judged: no BPF facts for the kernel %s",
			       j->f->subject, j->ctx->kernel ? j->ctx->kernel : "of the target");
	aoms_finding_set_summary(fd, "The database has no BPF program type, map type and helper "
				 "tables for %s, so %s's needs were read but not judged.",
				 j->ctx->kernel ? j->ctx->kernel : "its kernel", j->f->subject);
	aoms_finding_add_identity(fd, "kind", "facts");
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Use a database with BPF facts (schema "
				"2.2; the default one has them), or name a known kernel with "
				"--kernel (4.18-el8, 4.19-anck).");
	return bpf_add(j, fd);
}

int aoms_check_bpf(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
		   const struct aoms_bpf_object *o)
{
	struct bpf_judge j = { .ctx = ctx, .f = f, .o = o };
	int r = aoms_abidb_bpf_kernel(ctx->db, ctx->kernel, &j.kernel);

	if (r == -ENOENT)
		r = bpf_report_no_facts(&j);
	else if (r >= 0 && (r = aoms_abidb_bpf_level(ctx->db, j.kernel, &j.level)) == -ENOENT)
		r = 0;
	if (r >= 0 && j.kernel) {
		r = bpf_judge_types(&j, true);
		if (r >= 0)
			r = bpf_judge_types(&j, false);
		if (r >= 0)
			r = bpf_judge_helpers(&j);
		if (r >= 0)
			r = bpf_judge_features(&j);
		if (r >= 0)
			r = bpf_judge_kfuncs(&j);
		if (r >= 0)
			r = bpf_judge_core(&j);
		if (r >= 0)
			r = bpf_judge_size(&j);
	}
	if (r >= 0)
		r = bpf_report_inventory(&j);
	if (r >= 0)
		r = bpf_summarize(&j, NULL);
	free(j.kernel);
	free(j.level);
	free(j.needs);
	return r;
}
