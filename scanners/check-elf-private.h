/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of the application check share (private to check-elf.c,
 * check-unversioned.c, check-host.c and check-platform.c): the state of one object's check and the
 * helpers that start and add its findings.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "check-elf.h"
#include "elf-model.h"
#include "finding.h"

struct check {
	const struct aoms_elf_check_ctx *ctx;
	const struct aoms_file *file;
	const struct aoms_elf *m;
	const char *arch;
	struct aoms_provider *prov;    /* per m->needed[i] */
	bool relr_reported;            /* elf.loader-feature said DT_RELR: its version node
					* GLIBC_ABI_DT_RELR is not reported again */
};

/* A finding about the checked file (subject, package, locus set); NULL on -ENOMEM. */
struct aoms_finding *aoms_elf_check_finding(struct check *c, const char *rule,
					    enum aoms_severity sev, bool inhibitor,
					    enum aoms_confidence conf);
/* Adds f (NULL: -ENOMEM) to the report. Returns 0 or -ENOMEM. */
int aoms_elf_check_emit(struct check *c, struct aoms_finding *f);
/* The target's name for messages ("Anolis OS 8", else "the target"). */
const char *aoms_elf_check_target(const struct check *c);

/* A provider that can judge: found, and with its symbols known. */
static inline bool aoms_elf_provider_usable(const struct aoms_provider *p)
{
	return p && p->where != AOMS_PROV_NONE && p->abi && p->abi->symbols_known;
}

/* The provider as evidence: "target:PATH (PACKAGE)" or "tree:PATH". */
void aoms_elf_describe_provider(struct aoms_finding *f, const struct aoms_provider *p);

/* check-needed.c: each DT_NEEDED entry resolved as the loader would (into c->prov)
 * and reported when it is not simply there. Returns 0 or a negative errno. */
int aoms_check_needed(struct check *c);

/* qsort() comparison of const char * elements. */
int aoms_elf_cmp_str(const void *a, const void *b);
/* The index of the first of files (sorted by path) whose path is >= prefix. */
size_t aoms_elf_first_at(const struct aoms_file *const *files, size_t n, const char *prefix);

/* check-unversioned.c: unversioned imports over the dependency closure
 * (elf.symbol-unresolved). Returns 0 or a negative errno. */
int aoms_check_unversioned(struct check *c);

/* check-host.c: symbols and sonames the host process of a plug-in provides. */
/* Whether a plug-in of kinds hosts (enum aoms_elf_host bits) gets name from its host:
 * Py* and _Py* for Python, napi_*, node_api_*, uv_* and V8/node C++ names for Node,
 * JNI_*, JVM_* and jio_* for a JVM. */
bool aoms_host_provides_symbol(unsigned hosts, const char *name);
/* Reports elf.host-symbols for the n (sorted) undefined symbols syms of the checked
 * plug-in that its host provides. Returns 0 or -ENOMEM. */
int aoms_check_host_symbols(struct check *c, const char *const *syms, size_t n);
/* elf.host-version when the plug-in's host accepts it only at the version it was
 * built for and the target's is another (a Perl XS module against the target's
 * libperl.so.VERSION). Returns 0 or a negative errno. */
int aoms_check_host_version(struct check *c);
/* When the host process provides soname (libjvm.so for a JNI library or a library of
 * a JDK's lib/ whose JDK holds it), reports elf.needed-host and returns 1; else 0;
 * -ENOMEM. p is the loader's answer (NONE or off the path). */
int aoms_check_needed_host(struct check *c, const char *soname, const struct aoms_provider *p);

/* check-platform.c: builds for platforms the migrated hosts do not run. Returns 1
 * when a finding settled the object (elf.other-platform for a build whose twin for
 * this platform is in the tree, elf.machine-unsupported for an architecture the
 * target runs but the migrated hosts do not), 0 to check it on, <0 on error. */
int aoms_check_platform(struct check *c);
