/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-object checks, in the order the loader would fail: machine, interpreter,
 * loader features, kernel ABI tag, DT_NEEDED (check-needed.c), version nodes,
 * versioned symbols, then unversioned symbols over the whole dependency closure
 * (check-unversioned.c) and the plug-in's host (check-host.c).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check-elf-private.h"
#include "elf-model.h"
#include "strbuf.h"


/* Starts a finding about the checked file; NULL on -ENOMEM. */
static struct aoms_finding *finding(struct check *c, const char *rule, enum aoms_severity sev,
				    bool inhibitor, enum aoms_confidence conf)
{
	struct aoms_finding *f;

	if (aoms_finding_new_at(rule, sev, AOMS_DIM_APPLICATIONS, c->file->subject, c->file->rel,
				c->file->package, &f) < 0)
		return NULL;
	f->inhibitor = inhibitor;
	f->confidence = conf;
	return f;
}

static int emit(struct check *c, struct aoms_finding *f)
{
	return f ? aoms_report_add(c->ctx->report, f) : -ENOMEM;
}

static const char *target_name(const struct check *c)
{
	return c->ctx->target ? c->ctx->target : "the target";
}

struct aoms_finding *aoms_elf_check_finding(struct check *c, const char *rule,
					    enum aoms_severity sev, bool inhibitor,
					    enum aoms_confidence conf)
{
	return finding(c, rule, sev, inhibitor, conf);
}

int aoms_elf_check_emit(struct check *c, struct aoms_finding *f)
{
	return emit(c, f);
}

const char *aoms_elf_check_target(const struct check *c)
{
	return target_name(c);
}

/* "glibc 2.28" (the target's version), or "glibc" when the database does not say. */
static const char *glibc_name(const struct check *c, char buf[static 32])
{
	const char *v;

	if (aoms_abidb_target_glibc(c->ctx->rs.db, &v) < 0)
		return "glibc";
	snprintf(buf, 32, "glibc %.24s", v);
	return buf;
}

/* 1 when the object's libraries can be checked against the database, 0 when a
 * finding said why not, <0 on error. Static objects need no database facts. */
static int check_machine(struct check *c, bool is_static)
{
	struct aoms_finding *f;
	/* 1 the target runs the arch, 0 it does not, -ENOENT the database does not say */
	int runs = c->arch ? aoms_abidb_runs_arch(c->ctx->rs.db, c->arch) : 0;
	int facts = 0;

	if (runs < 0 && runs != -ENOENT)
		return runs;
	if (c->arch && !is_static && (facts = aoms_abidb_has_arch(c->ctx->rs.db, c->arch)) < 0)
		return facts;
	if (c->arch && (is_static ? runs != 0 : facts))
		return 1;
	if (c->arch && runs != 0) {
		f = finding(c, "elf.machine-unknown", AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "No %s facts in the target database", c->arch);
		if (runs == -ENOENT)
			aoms_finding_set_summary(f, "%s is built for %s. The target database holds no "
						 "facts for it, so its libraries were not checked.",
						 c->file->subject, c->arch);
		else
			aoms_finding_set_summary(f, "%s is built for %s. %s ships %s, but the target "
						 "database holds no facts for it, so its libraries "
						 "were not checked.", c->file->subject, c->arch,
						 target_name(c), c->arch);
		aoms_finding_add_identity(f, "machine", c->arch);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Build a %s target database with "
					"'aoms db build --root' and scan again with --db.", c->arch);
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, "arch", c->arch, NULL);
		return emit(c, f) < 0 ? -ENOMEM : 0;
	}
	f = finding(c, "elf.machine-unsupported", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s is built for %s", c->file->subject,
			       c->arch ? c->arch : "an unknown machine");
	aoms_finding_set_summary(f, "%s is an ELF%d object for machine %s (e_machine %u), which %s "
				 "does not run.", c->file->subject, c->m->elf_class == 2 ? 64 : 32,
				 c->arch ? c->arch : "unknown", c->m->machine, target_name(c));
	aoms_finding_add_identityf(f, "machine", "%s", c->arch ? c->arch : "unknown");
	aoms_finding_add_identityf(f, "class", "ELF%d", c->m->elf_class == 2 ? 64 : 32);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Obtain a build for x86_64 or aarch64.");
	aoms_finding_add_action(f, AOMS_ACTION_REBUILD, NULL);
	return emit(c, f) < 0 ? -ENOMEM : 0;
}

static int check_interp(struct check *c)
{
	struct aoms_finding *f;
	int r;

	if (!c->m->interp)
		return 0;
	r = aoms_abidb_has_interpreter(c->ctx->rs.db, c->m->interp, c->arch);
	if (r != 0)
		return r < 0 ? r : 0;
	f = finding(c, "elf.interpreter-missing", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "Program interpreter %s does not exist on %s", c->m->interp,
			       target_name(c));
	aoms_finding_set_summary(f, "%s asks the kernel to start it with %s (PT_INTERP), which %s "
				 "does not provide; exec fails with ENOENT.", c->file->subject,
				 c->m->interp, target_name(c));
	aoms_finding_add_identity(f, "interpreter", c->m->interp);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Relink with the target's dynamic linker "
				"(-Wl,--dynamic-linker) or install the runtime that provides it.");
	aoms_finding_add_action(f, AOMS_ACTION_RELINK, "feature", "PT_INTERP", NULL);
	return emit(c, f);
}

/* 1 when the target's libc.so.6 defines version (e.g. GLIBC_ABI_DT_RELR, which glibc
 * 2.36 added to mark DT_RELR support), 0 when not (or not known), <0 on error. */
static int target_libc_has(struct check *c, const char *version)
{
	const struct aoms_libabi *libc;
	int r;

	if (!c->arch)
		return 0;
	r = aoms_abidb_find_library(c->ctx->rs.db, "libc.so.6", c->arch, &libc);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : aoms_libabi_has_verdef(libc, version);
}

/* Whether m requires version (of any library). */
static bool needs_version(const struct aoms_elf *m, const char *version)
{
	for (size_t j = 0; j < m->n_needs; j++)
		if (!m->needs[j].weak && strcmp(m->needs[j].version, version) == 0)
			return true;
	return false;
}

static int check_loader_features(struct check *c)
{
	struct aoms_finding *f;
	uint32_t kernel;
	char glibc[32];
	int r = c->m->relr ? target_libc_has(c, "GLIBC_ABI_DT_RELR") : 1;

	if (r < 0)
		return r;
	if (r == 0) {
		bool node = needs_version(c->m, "GLIBC_ABI_DT_RELR");

		f = finding(c, "elf.loader-feature", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s uses packed relative relocations (DT_RELR)",
				       c->file->subject);
		/* With the version node (what ld emits against glibc >= 2.36) the old loader
		 * refuses the object; without it, it ignores DT_RELR and runs it unrelocated. */
		if (node)
			aoms_finding_set_summary(f, "DT_RELR is understood by glibc 2.36 and later, "
						 "and the object requires the version GLIBC_ABI_DT_RELR "
						 "that marks it. The %s loader of %s refuses it: "
						 "\"version `GLIBC_ABI_DT_RELR' not found (required by "
						 "%s)\".", glibc_name(c, glibc), target_name(c),
						 c->file->subject);
		else
			aoms_finding_set_summary(f, "DT_RELR is understood by glibc 2.36 and later; the "
						 "%s loader of %s leaves those relocations "
						 "unapplied and the program crashes.", glibc_name(c, glibc),
						 target_name(c));
		aoms_finding_add_identity(f, "feature", "DT_RELR");
		if (node)
			aoms_finding_add_evidence(f, "version", "GLIBC_ABI_DT_RELR");
		c->relr_reported = true;
		aoms_finding_add_evidence(f, "required_glibc", "2.36");
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Relink without -z pack-relative-relocs.");
		aoms_finding_add_action(f, AOMS_ACTION_RELINK, "feature", "DT_RELR", NULL);
		if (emit(c, f) < 0)
			return -ENOMEM;
	}
	r = aoms_abidb_target_kernel(c->ctx->rs.db, &kernel);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r == 0 && c->m->abi_kernel > kernel) {   /* unknown: not judged */
		unsigned k = c->m->abi_kernel;

		f = finding(c, "elf.kernel-too-old", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s requires Linux %u.%u.%u or later", c->file->subject,
				       k >> 16, (k >> 8) & 0xff, k & 0xff);
		aoms_finding_set_summary(f, "Its .note.ABI-tag asks for kernel %u.%u.%u; %s runs "
					 "%u.%u, and the loader refuses with \"kernel too old\".",
					 k >> 16, (k >> 8) & 0xff, k & 0xff, target_name(c),
					 kernel >> 16, (kernel >> 8) & 0xff);
		aoms_finding_add_identityf(f, "required_kernel", "%u.%u.%u", k >> 16,
					   (k >> 8) & 0xff, k & 0xff);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild against a C library configured "
					"for kernel %u.%u or older.", kernel >> 16,
					(kernel >> 8) & 0xff);
		{
			char against[32];

			snprintf(against, sizeof(against), "kernel %u.%u", kernel >> 16,
				 (kernel >> 8) & 0xff);
			aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", against, NULL);
		}
		return emit(c, f);
	}
	return 0;
}

static const struct aoms_provider *provider_of(const struct check *c, const char *soname)
{
	for (size_t i = 0; i < c->m->n_needed; i++)
		if (strcmp(c->m->needed[i], soname) == 0)
			return &c->prov[i];
	return NULL;
}

size_t aoms_elf_first_at(const struct aoms_file *const *files, size_t n, const char *prefix)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(files[mid]->path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int aoms_elf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted names of the imports bound to need j; caller frees the array only. */
static const char **symbols_of_need(const struct aoms_elf *m, size_t j, size_t *ret_n)
{
	const char **v = calloc(m->n_imports + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t k = 0; k < m->n_imports; k++)
		if (m->imports[k].need == (int)j)
			v[n++] = m->imports[k].name;
	qsort(v, n, sizeof(*v), aoms_elf_cmp_str);
	*ret_n = n;
	return v;
}

/* The newest version of the provider with the same prefix as version ("GLIBC_"), for
 * telling people what the target does offer. NULL when none. */
static const char *newest_like(const struct aoms_libabi *lib, const char *version)
{
	const char *best = NULL;
	size_t plen = strcspn(version, "0123456789");

	/* Only numbered versions of the family: "GLIBC_PRIVATE" shares the prefix but is no
	 * version anyone can build against. */
	for (size_t i = 0; i < lib->n_verdefs; i++)
		if (strncmp(lib->verdefs[i], version, plen) == 0 &&
		    lib->verdefs[i][plen] >= '0' && lib->verdefs[i][plen] <= '9' &&
		    (!best || strverscmp(lib->verdefs[i], best) > 0))
			best = lib->verdefs[i];
	return best;
}

void aoms_elf_describe_provider(struct aoms_finding *f, const struct aoms_provider *p)
{
	if (p->where == AOMS_PROV_TARGET)
		aoms_finding_add_evidencef(f, "provider", "target:%s%s%s%s", p->path ? p->path : p->abi->soname,
					   p->abi->package ? " (" : "",
					   p->abi->package ? p->abi->package : "",
					   p->abi->package ? ")" : "");
	else
		aoms_finding_add_evidencef(f, "provider", "tree:%s", p->path);
}

static int report_node(struct check *c, size_t j, const struct aoms_provider *p)
{
	const struct aoms_elf_need *n = &c->m->needs[j];
	bool private = strcmp(n->version, "GLIBC_PRIVATE") == 0;
	size_t ns = 0;
	_cleanup_(freep) const char **syms = symbols_of_need(c->m, j, &ns);
	const char *newest = newest_like(p->abi, n->version);
	struct aoms_finding *f;
	char glibc[32];
	int r;

	if (!syms)
		return -ENOMEM;
	if (private) {
		/* Every symbol present in this very target build: it loads, until glibc is
		 * updated. */
		int present = aoms_libabi_has_verdef(p->abi, n->version);

		for (size_t i = 0; i < ns && present > 0; i++)
			present = aoms_libabi_has_symbol(p->abi, syms[i], n->version) ? 1 :
				  aoms_glibc_has_symbol(c->ctx->rs.db, c->arch, syms[i], n->version);
		if (present < 0)
			return present;
		f = finding(c, "elf.glibc-private", present ? AOMS_SEV_LOW : AOMS_SEV_HIGH, !present,
			    AOMS_CONF_LIKELY);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s uses glibc internals (GLIBC_PRIVATE)", c->file->subject);
		aoms_finding_set_summary(f, "GLIBC_PRIVATE symbols are internal to one glibc build "
					 "and change between releases; %s's %s will not "
					 "match what %s was linked against.", target_name(c),
					 glibc_name(c, glibc), c->file->subject);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild without glibc-internal symbols.");
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", glibc_name(c, glibc), NULL);
	} else {
		f = finding(c, "elf.version-node-missing", n->weak ? AOMS_SEV_MEDIUM : AOMS_SEV_HIGH,
			    !n->weak, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s lacks version %s needed by %s", n->soname, n->version,
				       c->file->subject);
		aoms_finding_set_summary(f, "%s requires version %s of %s%s%s%s. The %s copy it would "
					 "load defines no such version%s%s%s, so the loader %s.",
					 c->file->subject, n->version, n->soname,
					 ns ? " (for " : "", ns ? syms[0] : "", ns ? ")" : "",
					 p->where == AOMS_PROV_TARGET ? target_name(c) : "bundled",
					 newest ? " (newest: " : "", newest ? newest : "",
					 newest ? ")" : "",
					 n->weak ? "only warns (weak reference)"
						 : "refuses to start it: \"version not found\"");
		r = aoms_abidb_soname_is_glibc(c->ctx->rs.db, n->soname);
		if (r < 0) {
			aoms_finding_free(f);
			return r;
		}
		if (r && aoms_abidb_target_glibc(c->ctx->rs.db, &(const char *){ NULL }) == 0) {
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild on an EL8 toolchain "
						"(%s) or an older one; %s offers up to %s.",
						glibc_name(c, glibc), n->soname,
						newest ? newest : "older versions");
			aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", glibc_name(c, glibc),
						NULL);
		} else if (r) {
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild with the target's glibc "
						"or an older one; %s offers up to %s.", n->soname,
						newest ? newest : "older versions");
			aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "glibc", NULL);
		} else {
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Bundle a %s that defines %s with "
						"the application, or rebuild against the version "
						"the target ships.", n->soname, n->version);
			aoms_finding_add_action(f, AOMS_ACTION_REPLACE_LIBRARY, "soname", n->soname,
						"version", n->version, NULL);
		}
	}
	aoms_finding_add_identity(f, "soname", n->soname);
	aoms_finding_add_identity(f, "version", n->version);
	aoms_finding_add_evidence(f, "symbol", ns ? syms[0] : "");
	aoms_finding_add_evidence_list(f, "symbols", syms, ns);
	aoms_elf_describe_provider(f, p);
	return emit(c, f);
}

static int report_symbol(struct check *c, const struct aoms_elf_import *imp,
			 const struct aoms_provider *p)
{
	const struct aoms_elf_need *n = &c->m->needs[imp->need];
	bool soft = imp->weak || n->weak;
	struct aoms_finding *f = finding(c, "elf.symbol-missing",
					 imp->weak ? AOMS_SEV_LOW : n->weak ? AOMS_SEV_MEDIUM : AOMS_SEV_HIGH,
					 !soft, AOMS_CONF_CERTAIN);

	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s@%s is not exported by %s", imp->name, n->version, n->soname);
	aoms_finding_set_summary(f, "%s binds %s at version %s of %s. The %s copy defines %s but "
				 "not this symbol in it, so %s.", c->file->subject, imp->name,
				 n->version, n->soname,
				 p->where == AOMS_PROV_TARGET ? target_name(c) : "bundled", n->version,
				 imp->weak ? "the weak reference resolves to NULL"
					   : "symbol lookup fails when it is bound");
	aoms_finding_add_identity(f, "soname", n->soname);
	aoms_finding_add_identity(f, "symbol", imp->name);
	aoms_finding_add_identity(f, "version", n->version);
	aoms_elf_describe_provider(f, p);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild against the %s the target ships, or "
				"bundle one that exports %s@%s.", n->soname, imp->name, n->version);
	aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", n->soname, NULL);
	return emit(c, f);
}

/*
 * The installed library lacks a version node, but a package of the target's
 * repositories provides "soname(VERSION)": installing (upgrading to) it settles the
 * need. Returns 1 when reported so, 0 when no such package, <0 on error.
 */
static int report_installable_node(struct check *c, size_t j, const struct aoms_provider *p)
{
	const struct aoms_elf_need *n = &c->m->needs[j];
	_cleanup_(freep) char *cap = NULL;
	struct aoms_abidb_provider pkg = { 0 };
	struct aoms_finding *f;
	int r;

	if (p->where != AOMS_PROV_TARGET || strcmp(n->version, "GLIBC_PRIVATE") == 0)
		return 0;
	cap = aoms_abidb_soname_capability(n->soname, n->version, c->m->elf_class == ELFCLASS64);
	if (!cap)
		return -ENOMEM;
	r = aoms_abidb_find_provider(c->ctx->rs.db, cap, c->arch, &pkg);
	if (r == -ENOENT || (r == 0 && pkg.installed)) {
		aoms_abidb_provider_release(&pkg);
		return 0;
	}
	if (r < 0)
		return r;
	f = finding(c, "elf.needed-not-installed", AOMS_SEV_MEDIUM, false, AOMS_CONF_CERTAIN);
	if (f) {
		aoms_finding_set_title(f, "%s needs %s: install %s", c->file->subject, cap, pkg.name);
		aoms_finding_set_summary(f, "The %s installed by default lacks version %s, but package "
					 "%s of the target's repositories provides %s.", n->soname,
					 n->version, pkg.nevra, cap);
		aoms_finding_add_identity(f, "soname", n->soname);
		aoms_finding_add_identity(f, "version", n->version);
		aoms_finding_add_evidence(f, "package", pkg.nevra);
		aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", pkg.name, NULL);
	}
	aoms_abidb_provider_release(&pkg);
	r = emit(c, f);
	return r < 0 ? r : 1;
}


static int check_versions(struct check *c)
{
	const struct aoms_elf *m = c->m;
	bool *node_ok = calloc(m->n_needs + 1, sizeof(*node_ok));
	int r = 0;

	if (!node_ok)
		return -ENOMEM;
	for (size_t j = 0; j < m->n_needs && r >= 0; j++) {
		const struct aoms_provider *p = provider_of(c, m->needs[j].soname);

		if (!aoms_elf_provider_usable(p))
			continue;
		/* Said once, by elf.loader-feature with the loader's own words. */
		if (c->relr_reported && strcmp(m->needs[j].version, "GLIBC_ABI_DT_RELR") == 0)
			continue;
		/* A library without any version definitions only draws the loader's
		 * "no version information available" warning. */
		if (strcmp(m->needs[j].version, "GLIBC_PRIVATE") != 0 &&
		    (p->abi->n_verdefs == 0 || aoms_libabi_has_verdef(p->abi, m->needs[j].version))) {
			node_ok[j] = true;
			continue;
		}
		/* node_ok stays false either way: its symbols are not judged against a
		 * library that lacks the node (the installable package settles them). */
		r = report_installable_node(c, j, p);
		if (r == 0)
			r = report_node(c, j, p);
	}
	for (size_t k = 0; k < m->n_imports && r >= 0; k++) {
		const struct aoms_elf_import *imp = &m->imports[k];
		const struct aoms_elf_need *n;
		const struct aoms_provider *p;

		if (imp->need < 0 || !node_ok[imp->need])
			continue;
		n = &m->needs[imp->need];
		p = provider_of(c, n->soname);
		if (aoms_libabi_has_symbol(p->abi, imp->name,
					   p->abi->n_verdefs ? n->version : NULL))
			continue;
		r = aoms_abidb_soname_is_glibc(c->ctx->rs.db, n->soname);
		if (r > 0)
			r = aoms_glibc_has_symbol(c->ctx->rs.db, c->arch, imp->name, n->version);
		if (r < 0)
			break;
		if (r > 0) {
			r = 0;
			continue;
		}
		r = report_symbol(c, imp, p);
	}
	free(node_ok);
	return r;
}

int aoms_check_elf(const struct aoms_elf_check_ctx *ctx, const struct aoms_file *file)
{
	struct check c = { .ctx = ctx, .file = file, .m = file->elf };
	int r;

	bool is_static = !c.m->dynamic && !c.m->interp;

	c.arch = aoms_elf_arch(c.m->elf_class, c.m->machine);
	r = aoms_check_platform(&c);
	if (r != 0)
		return r;
	r = check_machine(&c, is_static);
	if (r <= 0)
		return r;
	if (is_static)
		return check_loader_features(&c);   /* only the kernel note matters */
	c.prov = calloc(c.m->n_needed + 1, sizeof(*c.prov));
	if (!c.prov)
		return -ENOMEM;
	r = check_interp(&c);
	if (r >= 0)
		r = check_loader_features(&c);
	if (r >= 0)
		r = aoms_check_needed(&c);
	if (r >= 0)
		r = check_versions(&c);
	if (r >= 0)
		r = aoms_check_unversioned(&c);
	if (r >= 0)
		r = aoms_check_host_version(&c);
	free(c.prov);
	return r;
}
