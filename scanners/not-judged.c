/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files no scanner claims are skipped in silence, except those a user expects aoms to
 * judge: those get a scan.not-judged finding (info) saying what they are and why they
 * were not judged, so a kernel module or an eBPF object is never dropped without a
 * word. When a scanner for a kind lands, its row claims the files first and this
 * never sees them.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include "scanner.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

struct unjudged_kind {
	const char *kind;              /* evidence "kind": identity of the finding */
	enum aoms_dimension dimension;
	const char *what;              /* "a Linux kernel module" */
	const char *why;               /* why aoms does not judge it (yet) */
	const char *hint;              /* what to do meanwhile */
};

#define KMOD_WHY "this aoms has no kernel-module scanner, so its vermagic, symbol CRCs " \
		 "and kABI use were not checked against the target kernel"
#define KMOD_HINT "Ask the vendor for a build for the target kernel, or check it with " \
		  "the target's kernel-devel (modprobe --dump-modversions against its " \
		  "Module.symvers)."


static const struct unjudged_kind kinds[] = {
	{ "kernel-module", AOMS_DIM_HARDWARE, "a Linux kernel module", KMOD_WHY, KMOD_HINT },
	{ "compressed-kernel-module", AOMS_DIM_HARDWARE, "a compressed Linux kernel module",
	  KMOD_WHY, KMOD_HINT },
	{ "bpf-object", AOMS_DIM_KERNEL, "an eBPF object",
	  "this aoms has no eBPF scanner, so its program types, map types and helper calls "
	  "were not checked against the target kernel",
	  "Check with the vendor that it supports the target kernel's BPF features, or load "
	  "it on a test host running the target kernel." },
	{ "relocatable-object", AOMS_DIM_APPLICATIONS, "a relocatable ELF object (ET_REL)",
	  "an object file is linked into something else; it is judged as part of the "
	  "program or library built from it, not on its own",
	  "Scan the program or library built from it." },
};

static bool probe_magic(const struct aoms_probe *p, const char *magic, size_t n)
{
	return p->n_head >= n && memcmp(p->head, magic, n) == 0;
}

/* The kind of a file users expect judged, or NULL. */
static const struct unjudged_kind *unjudged_kind(struct aoms_probe *p)
{
	if (p->is_elf && p->elf_machine == EM_BPF)
		return &kinds[2];
	if (p->is_elf && p->elf_type == ET_REL)
		return aoms_probe_path_ends(p, ".ko") || aoms_probe_has_section(p, ".modinfo")
			       ? &kinds[0] : &kinds[3];
	if ((aoms_probe_path_ends(p, ".ko.xz") && probe_magic(p, "\xfd" "7zXZ", 5)) ||
	    (aoms_probe_path_ends(p, ".ko.zst") && probe_magic(p, "\x28\xb5\x2f\xfd", 4)) ||
	    (aoms_probe_path_ends(p, ".ko.gz") && probe_magic(p, "\x1f\x8b", 2)))
		return &kinds[1];
	return NULL;
}

int aoms_scan_not_judged(struct aoms_probe *p, const struct aoms_file *f,
			 struct aoms_report *report)
{
	const struct unjudged_kind *k = unjudged_kind(p);
	struct aoms_finding *fd;

	if (!k)
		return 0;
	if (aoms_finding_new_at("scan.not-judged", AOMS_SEV_INFO, k->dimension, f->subject, f->rel,
				f->package, &fd) < 0)
		return -ENOMEM;
	fd->confidence = AOMS_CONF_CERTAIN;
	aoms_finding_set_title(fd, "%s was not judged: %s", f->subject, k->what);
	aoms_finding_set_summary(fd, "%s is %s; %s.", f->subject, k->what, k->why);
	aoms_finding_add_identity(fd, "kind", k->kind);
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "%s", k->hint);
	return aoms_report_add(report, fd) < 0 ? -ENOMEM : 1;
}
