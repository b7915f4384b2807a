/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The judgement of one module (kmod-check.h), in the order the 4.18 loader checks:
 * check_modstruct_version (module_layout), check_modinfo (vermagic via same_magic,
 * signature, retpoline), then each symbol (resolve_symbol: exists, GPL-only,
 * namespace; check_version: CRC). Each finding raises the verdict to the class its
 * cure needs: a rebuild, or a port of the source.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "file-summary.h"
#include "kmod-check-private.h"
#include "strbuf.h"

enum kmod_class { KMOD_LOADS = 0, KMOD_REBUILD, KMOD_PORT, KMOD_UNKNOWN, KMOD_REPLACED };

struct kmod_judge {
	const struct aoms_kmod *m;
	const struct aoms_kmod_subject *s;
	const struct aoms_kmod_kernel *k;
	struct aoms_report *report;
	enum kmod_class cls;
	struct aoms_strbuf lacks;       /* "\n"-separated reasons */
	size_t n_lacks;
	/* symbols, for the grouped findings */
	const char **crc_bad, **not_kabi;
	size_t n_crc_bad, n_not_kabi;
	bool gpl_ok;
};

static const char *const class_words[] = { AOMS_KMOD_LOADS, AOMS_KMOD_REBUILD, AOMS_KMOD_PORT,
					   AOMS_KMOD_UNKNOWN, AOMS_KMOD_REPLACED };

static void judge_raise(struct kmod_judge *j, enum kmod_class c)
{
	if (c > j->cls)
		j->cls = c;
}

/* A reason: what, a and b concatenated ("symbol " "foo"). */
static int judge_lack(struct kmod_judge *j, const char *what, const char *a, const char *b)
{
	if (j->n_lacks++ && aoms_strbuf_addc(&j->lacks, '\n') < 0)
		return -ENOMEM;
	return aoms_strbuf_addf(&j->lacks, "%s%s%s", what, a, b ? b : "");
}

static int kmod_finding(const struct aoms_kmod_subject *s, const char *rule, enum aoms_severity sev,
			enum aoms_dimension dim, bool inhibitor, struct aoms_finding **ret)
{
	struct aoms_finding *f;

	if (aoms_finding_new_at(rule, sev, dim, s->subject, s->locus, s->package, &f) < 0)
		return -ENOMEM;
	f->inhibitor = inhibitor;
	*ret = f;
	return 0;
}

/* A finding with the module as identity and the target kernel as evidence. */
static int judge_new(struct kmod_judge *j, const char *rule, enum aoms_severity sev,
		     enum aoms_dimension dim, bool inhibitor, struct aoms_finding **ret)
{
	int r = kmod_finding(j->s, rule, sev, dim, inhibitor, ret);

	if (r >= 0)
		r = aoms_finding_add_identity(*ret, "module", j->m->name);
	if (r >= 0 && j->k)
		r = aoms_finding_add_evidence(*ret, "target_kernel", j->k->release);
	if (r < 0) {
		aoms_finding_free(*ret);
		return -ENOMEM;
	}
	return 0;
}

static int judge_add(struct kmod_judge *j, struct aoms_finding *f)
{
	return aoms_report_add(j->report, f) < 0 ? -ENOMEM : 0;
}

/* The cures: a DKMS rebuild against the target's kernel-devel, or a vendor build. */
static void judge_remedy_rebuild(struct kmod_judge *j, struct aoms_finding *f)
{
	_cleanup_(freep) char *against = aoms_strdupf("kernel-devel-%s", j->k->release);

	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT,
				"Rebuild %s against kernel-devel-%s (DKMS rebuilds it for every "
				"installed kernel), or ask the vendor for a build for that kernel.",
				j->m->name, j->k->release);
	if (against)
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", against, NULL);
}

static void judge_remedy_port(struct kmod_judge *j, struct aoms_finding *f)
{
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT,
				"The source of %s must change for kernel %s: ask the vendor for a "
				"driver release that supports it, or use the target's in-tree "
				"driver for the device.", j->m->name, j->k->release);
}

/* same_magic(): with modversions (and a __versions section in the module) only what
 * follows the release is compared; else the whole string. A vermagic derived from
 * the config is compared word by word on the flags it knows. */
static bool vermagic_words_equal(const char *a, const char *b)
{
	for (;;) {
		size_t na, nb;

		a += strspn(a, " ");
		b += strspn(b, " ");
		na = strcspn(a, " ");
		nb = strcspn(b, " ");
		if (na != nb || memcmp(a, b, na) != 0)
			return false;
		if (!na)
			return true;
		a += na;
		b += nb;
	}
}

static bool vermagic_tail_equal(const char *a, const char *b, bool derived)
{
	static const char *const words[] = { "SMP", "preempt", "preempt_rt", "mod_unload",
					     "modversions" };

	a += strcspn(a, " ");
	b += strcspn(b, " ");
	if (!derived)
		return vermagic_words_equal(a, b);
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		_cleanup_(freep) char *w = aoms_strdupf(" %s ", words[i]);
		_cleanup_(freep) char *pa = aoms_strdupf("%s ", a), *pb = aoms_strdupf("%s ", b);

		if (!w || !pa || !pb || (!strstr(pa, w) != !strstr(pb, w)))
			return false;
	}
	return true;
}

static int judge_vermagic(struct kmod_judge *j)
{
	const struct aoms_kmod *m = j->m;
	const struct aoms_kmod_kernel *k = j->k;
	struct aoms_finding *f;
	bool ok, release_only = k->modversions && m->has_versions;
	int r;

	if (!k->vermagic)
		return 0;   /* no config, no recorded vermagic: nothing to compare */
	if (!m->vermagic)
		ok = k->force_load;
	else if (release_only)
		ok = vermagic_tail_equal(m->vermagic, k->vermagic, k->vermagic_derived);
	else
		ok = k->vermagic_derived ? strncmp(m->vermagic, k->release, strlen(k->release)) == 0 &&
			vermagic_tail_equal(m->vermagic, k->vermagic, true)
			: vermagic_words_equal(m->vermagic, k->vermagic);
	if (ok && m->vermagic)
		return 0;
	r = judge_new(j, "kmod.vermagic-mismatch", ok ? AOMS_SEV_MEDIUM : AOMS_SEV_HIGH,
		      AOMS_DIM_HARDWARE, !ok, &f);
	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s: version magic '%s' should be '%s'", m->name,
			       m->vermagic ? m->vermagic : "(none)", k->vermagic);
	aoms_finding_set_summary(f, "%s", !m->vermagic
		? "The module has no vermagic. The target kernel loads it only as a forced module "
		  "(CONFIG_MODULE_FORCE_LOAD), tainting the kernel."
		: release_only
		? "The target kernel has CONFIG_MODVERSIONS, so its loader ignores the release in "
		  "vermagic but requires the same flags (SMP, preempt, mod_unload, modversions); "
		  "they differ, and insmod fails with \"Exec format error\"."
		: "The loader compares the whole vermagic string (the module or the target has no "
		  "modversions); it differs, and insmod fails with \"Exec format error\".");
	aoms_finding_add_evidence(f, "vermagic", m->vermagic ? m->vermagic : "");
	aoms_finding_add_evidence(f, "target_vermagic", k->vermagic);
	judge_remedy_rebuild(j, f);
	judge_raise(j, KMOD_REBUILD);
	if ((r = judge_lack(j, "vermagic ", m->vermagic ? m->vermagic : "(none)", NULL)) < 0) {
		aoms_finding_free(f);
		return r;
	}
	return judge_add(j, f);
}

/* A module built without modversions on a modversions kernel: check_version() finds
 * no __versions and loads it only by force. */
static int judge_no_versions(struct kmod_judge *j)
{
	struct aoms_finding *f;
	int r;

	if (!j->k->modversions || j->m->has_versions || !j->k->n_crcs)
		return 0;
	r = judge_new(j, "kmod.no-modversions", AOMS_SEV_HIGH, AOMS_DIM_HARDWARE, true, &f);
	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s was built without modversions; kernel %s checks symbol CRCs",
			       j->m->name, j->k->release);
	aoms_finding_set_summary(f, "The module has no __versions section. The target kernel "
				 "(CONFIG_MODVERSIONS) %s.", j->k->force_load
				 ? "loads it only as a forced module, tainting the kernel (modprobe --force)"
				 : "refuses it");
	judge_remedy_rebuild(j, f);
	judge_raise(j, KMOD_REBUILD);
	if ((r = judge_lack(j, "modversions", "", NULL)) < 0) {
		aoms_finding_free(f);
		return r;
	}
	return judge_add(j, f);
}

static int judge_symbol_finding(struct kmod_judge *j, const char *rule, const char *sym,
				enum kmod_class cls, bool inhibitor, struct aoms_finding **ret)
{
	int r = judge_new(j, rule, inhibitor ? AOMS_SEV_HIGH : AOMS_SEV_LOW, AOMS_DIM_KERNEL,
			  inhibitor, ret);

	if (r >= 0)
		r = aoms_finding_add_identity(*ret, "symbol", sym);
	if (r < 0) {
		aoms_finding_free(*ret);
		return -ENOMEM;
	}
	if (inhibitor)
		judge_raise(j, cls);
	if (cls == KMOD_PORT)
		judge_remedy_port(j, *ret);
	else
		judge_remedy_rebuild(j, *ret);
	return 0;
}

static int judge_missing(struct kmod_judge *j, const char *sym)
{
	struct aoms_finding *f;
	int r = judge_symbol_finding(j, "kmod.symbol-missing", sym, KMOD_PORT, true, &f);

	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s: Unknown symbol %s on kernel %s", j->m->name, sym, j->k->release);
	aoms_finding_set_summary(f, "Neither kernel %s nor its modules nor any module of this "
				 "scan export %s, so the loader refuses the module (\"Unknown "
				 "symbol %s (err -2)\"). A rebuild does not help: the source must "
				 "stop using it.", j->k->release, sym, sym);
	if ((r = judge_lack(j, "symbol ", sym, NULL)) < 0) {
		aoms_finding_free(f);
		return r;
	}
	return judge_add(j, f);
}

static int judge_gpl(struct kmod_judge *j, const char *sym, const char *from)
{
	struct aoms_finding *f;
	int r = judge_symbol_finding(j, "kmod.gpl-only-symbol", sym, KMOD_PORT, true, &f);

	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s (license %s) uses GPL-only symbol %s", j->m->name,
			       j->m->license ? j->m->license : "none", sym);
	aoms_finding_set_summary(f, "%s exports %s with EXPORT_SYMBOL_GPL; the loader does not "
				 "resolve it for a module whose license is not GPL-compatible, and "
				 "refuses the module (\"Unknown symbol\"). The module or the symbol "
				 "use must change.", from, sym);
	aoms_finding_add_evidence(f, "license", j->m->license ? j->m->license : "");
	if ((r = judge_lack(j, "GPL-only symbol ", sym, NULL)) < 0) {
		aoms_finding_free(f);
		return r;
	}
	return judge_add(j, f);
}

static bool module_imports_ns(const struct aoms_kmod *m, const char *ns)
{
	for (size_t i = 0; i < m->n_import_ns; i++)
		if (strcmp(m->import_ns[i], ns) == 0)
			return true;
	return false;
}

static int judge_namespace(struct kmod_judge *j, const struct aoms_kmod_ksym *ks)
{
	bool fatal = !j->k->ns_missing_ok;
	struct aoms_finding *f;
	int r;

	if (!ks->ns || module_imports_ns(j->m, ks->ns))
		return 0;
	r = judge_symbol_finding(j, "kmod.namespace-not-imported", ks->name, KMOD_PORT, fatal, &f);
	if (r < 0)
		return r;
	aoms_finding_add_identity(f, "namespace", ks->ns);
	aoms_finding_set_title(f, "%s uses symbol %s from namespace %s, but does not import it",
			       j->m->name, ks->name, ks->ns);
	aoms_finding_set_summary(f, "Kernel %s exports %s in symbol namespace %s; the module "
				 "lacks MODULE_IMPORT_NS(%s), so the loader %s.", j->k->release,
				 ks->name, ks->ns, ks->ns, fatal ? "refuses it (-EINVAL)" : "warns");
	if (fatal && (r = judge_lack(j, "namespace ", ks->ns, NULL)) < 0) {
		aoms_finding_free(f);
		return r;
	}
	return judge_add(j, f);
}

static int judge_crc_list(struct kmod_judge *j, const char *sym)
{
	const char **p = reallocarray(j->crc_bad, j->n_crc_bad + 1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	j->crc_bad = p;
	j->crc_bad[j->n_crc_bad++] = sym;
	return 0;
}

static int judge_kabi(struct kmod_judge *j, const struct aoms_kmod_ksym *ks)
{
	const struct aoms_kmod_ksym *kabi = aoms_kmod_kernel_kabi(j->k, ks->name);
	const char **p;

	if (kabi && (kabi->crc < 0 || ks->crc < 0 || kabi->crc == ks->crc))
		return 0;
	p = reallocarray(j->not_kabi, j->n_not_kabi + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	j->not_kabi = p;
	j->not_kabi[j->n_not_kabi++] = ks->name;
	return 0;
}

/* One import: the scanned set first, then the kernel and its modules. */
static int judge_import(struct kmod_judge *j, struct aoms_kmod_checker *c,
			const struct aoms_kmod_symbol *imp)
{
	const struct kmod_scanned *sc = NULL;
	const struct aoms_kmod_ksym *ks;
	int r = kmod_checker_scanned_export(c, imp->name, &sc);

	if (r < 0)
		return r;
	if (sc && sc->m != j->m) {
		const struct aoms_kmod_symbol *x = aoms_kmod_find_export(sc->m, imp->name);

		if (x->gpl && !j->gpl_ok)
			return judge_gpl(j, imp->name, sc->subject);
		if (j->k->modversions && imp->crc >= 0 && x->crc >= 0 && imp->crc != x->crc)
			return judge_crc_list(j, imp->name);
		return 0;
	}
	ks = aoms_kmod_kernel_symbol(j->k, imp->name);
	if (!ks)
		return imp->weak ? 0 : judge_missing(j, imp->name);
	if (ks->gpl_only && !j->gpl_ok)
		r = judge_gpl(j, imp->name, ks->module ? ks->module : "the kernel");
	if (r >= 0 && j->k->namespaces)
		r = judge_namespace(j, ks);
	if (r >= 0 && j->k->modversions && imp->crc >= 0 && ks->crc >= 0 && imp->crc != ks->crc)
		r = judge_crc_list(j, imp->name);
	if (r >= 0 && j->k->n_kabi)
		r = judge_kabi(j, ks);
	return r;
}

/* check_modstruct_version() and every check_version() mismatch: one finding. */
static int judge_crc_finding(struct kmod_judge *j)
{
	const struct aoms_kmod_ksym *layout = aoms_kmod_kernel_symbol(j->k, "module_layout");
	struct aoms_finding *f;
	int r;

	if (j->k->modversions && layout && layout->crc >= 0 && j->m->module_layout_crc >= 0 &&
	    layout->crc != j->m->module_layout_crc && (r = judge_crc_list(j, "module_layout")) < 0)
		return r;
	if (!j->n_crc_bad)
		return 0;
	r = judge_new(j, "kmod.symbol-crc-mismatch", AOMS_SEV_HIGH, AOMS_DIM_KERNEL, true, &f);
	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s disagrees about version of %zu symbol%s of kernel %s (%s%s)",
			       j->m->name, j->n_crc_bad, j->n_crc_bad == 1 ? "" : "s",
			       j->k->release, j->crc_bad[0], j->n_crc_bad > 1 ? ", ..." : "");
	aoms_finding_set_summary(f, "The CRCs the module was built against (__versions) differ "
				 "from what kernel %s exports; the loader refuses it (\"disagrees "
				 "about version of symbol %s\"). Every symbol exists, so a rebuild "
				 "against the target's headers is enough.", j->k->release, j->crc_bad[0]);
	aoms_finding_add_evidence_list(f, "symbols", j->crc_bad, j->n_crc_bad);
	judge_remedy_rebuild(j, f);
	judge_raise(j, KMOD_REBUILD);
	if ((r = judge_lack(j, "CRC of ", j->crc_bad[0], j->n_crc_bad > 1 ? " and others" : NULL)) < 0) {
		aoms_finding_free(f);
		return r;
	}
	return judge_add(j, f);
}

static int judge_kabi_finding(struct kmod_judge *j)
{
	struct aoms_finding *f;
	int r;

	if (!j->n_not_kabi || j->cls != KMOD_LOADS)
		return 0;
	r = judge_new(j, "kmod.not-kabi-safe", AOMS_SEV_INFO, AOMS_DIM_KERNEL, false, &f);
	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s uses %zu symbol%s outside the kABI stablelist", j->m->name,
			       j->n_not_kabi, j->n_not_kabi == 1 ? "" : "s");
	aoms_finding_set_summary(f, "The module loads on kernel %s, but %s (and the others "
				 "listed) carry no kABI promise: a minor update may change them, "
				 "and weak-modules will then not carry the module over; rebuild it "
				 "(DKMS) with each kernel update.", j->k->release, j->not_kabi[0]);
	aoms_finding_add_evidence_list(f, "symbols", j->not_kabi, j->n_not_kabi);
	return judge_add(j, f);
}

static int judge_module_flags(struct kmod_judge *j)
{
	const struct aoms_kmod *m = j->m;
	struct aoms_finding *f;
	int r = 0;

	if (!m->is_signed && j->k->sig) {
		r = judge_new(j, "kmod.unsigned", j->k->sig_force ? AOMS_SEV_HIGH : AOMS_SEV_LOW,
			      AOMS_DIM_HARDWARE, j->k->sig_force, &f);
		if (r < 0)
			return r;
		aoms_finding_set_title(f, "%s is not signed", m->name);
		aoms_finding_set_summary(f, "%s", j->k->sig_force
			? "The target kernel enforces module signatures (CONFIG_MODULE_SIG_FORCE): "
			  "it refuses the module until it is signed with a key the kernel trusts."
			: "With Secure Boot off the target kernel loads it and taints itself "
			  "(\"module verification failed: signature and/or required key missing\"); "
			  "with Secure Boot on, lockdown refuses it (\"Required key not available\") "
			  "until it is signed with a key enrolled with mokutil --import (MOK).");
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Sign the module (scripts/sign-file) "
					"with a key enrolled with 'mokutil --import', or load it with "
					"Secure Boot off.");
		if (j->k->sig_force)
			judge_raise(j, KMOD_REBUILD);
		r = judge_add(j, f);
	}
	if (r >= 0 && j->k->retpoline && (!m->retpoline || strcmp(m->retpoline, "Y") != 0)) {
		r = judge_new(j, "kmod.no-retpoline", AOMS_SEV_LOW, AOMS_DIM_HARDWARE, false, &f);
		if (r < 0)
			return r;
		aoms_finding_set_title(f, "%s: loading module not compiled with retpoline compiler", m->name);
		aoms_finding_set_summary(f, "Kernel %s (CONFIG_RETPOLINE) prints this warning when "
					 "it loads the module, and the system is then reported as "
					 "vulnerable to Spectre v2 in /sys/devices/system/cpu/"
					 "vulnerabilities/spectre_v2.", j->k->release);
		judge_remedy_rebuild(j, f);
		r = judge_add(j, f);
	}
	if (r >= 0 && !j->k->namespaces && m->n_import_ns) {
		r = judge_new(j, "kmod.namespace-ignored", AOMS_SEV_INFO, AOMS_DIM_KERNEL, false, &f);
		if (r < 0)
			return r;
		aoms_finding_set_title(f, "%s imports symbol namespace %s; kernel %s has no namespaces",
				       m->name, m->import_ns[0], j->k->release);
		aoms_finding_set_summary(f, "Symbol namespaces came with Linux 5.4. Kernel %s "
					 "ignores the module's import_ns and exports those symbols "
					 "without a namespace, so this is no obstacle by itself; the "
					 "module was built for a newer kernel, which its other checks "
					 "show.", j->k->release);
		aoms_finding_add_evidence_list(f, "import_ns", (const char *const *)m->import_ns,
					       m->n_import_ns);
		r = judge_add(j, f);
	}
	return r;
}

static int kmod_summary(const struct aoms_kmod_subject *s, const char *verdict,
			const char *const *needs, char *lacks, struct aoms_report *report)
{
	_cleanup_(aoms_file_summary_freep) struct aoms_file_summary *fs = NULL;
	const char *v[64];
	size_t n = 0;
	int r = aoms_file_summary_new(s->subject, s->scanner, &fs);

	for (size_t i = 0; r >= 0 && needs && needs[i]; i += 2)
		if (needs[i + 1] && *needs[i + 1])
			r = aoms_file_summary_set_need(fs, needs[i], needs[i + 1]);
	if (r >= 0)
		r = aoms_file_summary_set_verdict(fs, verdict);
	for (char *p = lacks, *w; r >= 0 && p && n < ARRAY_SIZE(v) && (w = strsep(&p, "\n"));)
		if (*w)
			v[n++] = w;
	if (r >= 0)
		r = aoms_file_summary_set_lacks(fs, v, n);
	return r < 0 ? r : aoms_report_add_file_summary(report, TAKE_PTR(fs));
}

int aoms_kmod_report_malformed(const struct aoms_kmod_subject *s, const char *reason,
			       struct aoms_report *report)
{
	struct aoms_finding *f;
	int r = kmod_finding(s, "kmod.malformed", AOMS_SEV_MEDIUM, AOMS_DIM_HARDWARE, false, &f);

	if (r < 0)
		return r;
	aoms_finding_set_title(f, "%s is a damaged kernel module: %s", s->subject, reason);
	aoms_finding_set_summary(f, "%s cannot be read as a kernel module (%s); the target's "
				 "loader would refuse it as well. Nothing else about it was judged.",
				 s->subject, reason);
	aoms_finding_add_evidence(f, "reason", reason);
	if (aoms_report_add(report, f) < 0)
		return -ENOMEM;
	return kmod_summary(s, AOMS_KMOD_UNKNOWN, NULL, NULL, report);
}

static int kernel_has_release(const char *release, const char *arch, const char *vermagic,
			      void *ud)
{
	(void)arch;
	(void)vermagic;
	return strcmp(release, ud) == 0;
}

/* Finds the kernel to judge against, or says why there is none. 1 with *ret, 0 when a
 * finding said it, <0. */
static int judge_kernel(struct aoms_kmod_checker *c, struct kmod_judge *j)
{
	const char *arch = aoms_kmod_machine_arch(j->m->machine, j->m->elf_class);
	_cleanup_(freep) char *release = NULL;
	struct aoms_finding *f;
	bool other_arch;
	int r = arch ? kmod_checker_kernel(c, arch, &j->k, &release) : -ENOENT;

	if (r < 0 && r != -ENOENT)
		return r;
	if (j->k && j->k->n_symbols)
		return 1;
	/* --kernel names a kernel of another arch: the module is for the wrong machine */
	other_arch = c->release && aoms_abidb_foreach_kernel(c->db, kernel_has_release, c->release) > 0;
	j->cls = KMOD_UNKNOWN;
	if (kmod_finding(j->s, other_arch ? "kmod.arch-mismatch" : "kmod.no-target-kernel",
			 other_arch ? AOMS_SEV_HIGH : AOMS_SEV_MEDIUM, AOMS_DIM_HARDWARE, other_arch, &f) < 0)
		return -ENOMEM;
	aoms_finding_add_identity(f, "module", j->m->name);
	aoms_finding_add_evidencef(f, "e_machine", "%u", j->m->machine);
	if (other_arch) {
		aoms_finding_set_title(f, "%s is built for %s; target kernel %s is not", j->m->name,
				       arch ? arch : "an unknown machine", c->release);
		aoms_finding_set_summary(f, "The module's e_machine is %u; the loader refuses a module "
					 "for another architecture (\"Exec format error\").", j->m->machine);
		j->cls = KMOD_REBUILD;
	} else {
		aoms_finding_set_title(f, "no %s kernel to judge %s against", arch ? arch : "matching",
				       j->m->name);
		aoms_finding_set_summary(f, "The database records no exports of %s%s%s. Build one "
					 "with 'aoms db build --kernel DIR' from the target's "
					 "kernel-devel tree or /lib/modules/RELEASE, and scan with "
					 "--db (and --kernel).", j->k || release ? "kernel " : "a kernel for ",
					 release ? release : arch ? arch : "this machine", "");
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, "arch", arch ? arch : "", NULL);
	}
	r = aoms_report_add(j->report, f) < 0 ? -ENOMEM : 0;
	return r < 0 ? r : 0;
}

/* Whether m is kernel mrel's own module and mrel is not the target: in-tree, and
 * under .../modules/MREL/kernel/ (where the kernel package puts its modules; extra/,
 * updates/ and weak-updates/ hold third-party ones). Scanning a CentOS 8 /usr meets
 * thousands of them, built for the installed kernel; the migration replaces that
 * kernel, and its modules with it, so judging them against the target's symbol CRCs
 * would only report the two kernels' differences. */
static bool kernel_own(const struct aoms_kmod *m, const char *mrel, const char *target,
		       const char *path)
{
	_cleanup_(freep) char *dir = NULL;
	size_t tl = target ? strlen(target) : 0;
	const char *at;

	if (!m->intree || strcmp(m->intree, "Y") != 0 || !mrel || !*mrel || !path)
		return false;
	/* the target itself: its release, or its release and ".ARCH" (vermagic's form) */
	if (target && strncmp(mrel, target, tl) == 0 &&
	    (!mrel[tl] || (mrel[tl] == '.' && !strchr(mrel + tl + 1, '.'))))
		return false;
	if (!(dir = aoms_strdupf("modules/%s/kernel/", mrel)))
		return false;
	at = strstr(path, dir);
	return at && (at == path || at[-1] == '/');
}

int aoms_kmod_check(struct aoms_kmod_checker *c, const struct aoms_kmod *m,
		    const struct aoms_kmod_subject *s, struct aoms_report *report)
{
	struct kmod_judge j = { .m = m, .s = s, .report = report, .lacks = AOMS_STRBUF_INIT,
				.gpl_ok = aoms_kmod_license_gpl(m) };
	_cleanup_(freep) char *mrel = m->vermagic ? strndup(m->vermagic, strcspn(m->vermagic, " ")) : NULL;
	const char *kabi = NULL;
	int r = judge_kernel(c, &j);

	if (r > 0 && kernel_own(m, mrel, j.k->release, s->path)) {
		j.cls = KMOD_REPLACED;
		r = 0;
	} else if (r > 0) {
		r = judge_vermagic(&j);
		if (r >= 0)
			r = judge_no_versions(&j);
		for (size_t i = 0; r >= 0 && i < m->n_imports; i++)
			r = judge_import(&j, c, &m->imports[i]);
		if (r >= 0)
			r = judge_crc_finding(&j);
		if (r >= 0)
			r = judge_module_flags(&j);
		if (r >= 0 && !(m->intree && strcmp(m->intree, "Y") == 0))
			r = judge_kabi_finding(&j);
		if (!(m->intree && strcmp(m->intree, "Y") == 0) && j.k->n_kabi && j.cls <= KMOD_REBUILD)
			kabi = j.n_not_kabi ? "no" : "yes";
	}
	if (r >= 0) {
		const char *needs[] = { "kernel", mrel, "target-kernel", j.k ? j.k->release : NULL,
					"kabi-safe", kabi, "signer", m->signer, NULL };

		r = kmod_summary(s, class_words[j.cls], needs, j.lacks.buf, report);
	}
	free(j.crc_bad);
	free(j.not_kabi);
	aoms_strbuf_release(&j.lacks);
	return r;
}
