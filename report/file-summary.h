/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A verdict per file: what one judged file comes to, beside its findings (the
 * report's top-level "files", docs/report-schema.md "Files"). A scanner row fills in
 * what only it knows (the versions an ELF object needs, a verdict word of its own)
 * and adds the summary to the report (aoms_report_add_file_summary(), report.h);
 * what it leaves out is derived from the file's findings when the report is sorted:
 *  - verdict: "incompatible" when any finding is an inhibitor; else "unknown" when a
 *    finding above info has confidence "possible" or says the file could not be
 *    judged (elf.needed-unknown, elf.machine-unknown, rpm.requires-unknown,
 *    elf.malformed, rpm.malformed); else "compatible";
 *  - lacks: what the file needs that the target lacks, one string per finding at
 *    severity medium or above that has identity evidence, in finding order, without
 *    repeats: "GLIBC_2.34 (libc.so.6)", "memcpy@GLIBC_2.14 (libc.so.6)",
 *    "libssl.so.3".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "aoms-macro.h"
#include "finding.h"

#define AOMS_VERDICT_COMPATIBLE "compatible"
#define AOMS_VERDICT_INCOMPATIBLE "incompatible"
#define AOMS_VERDICT_UNKNOWN "unknown"
/* A scanner's own words that mean "nothing to do" as "compatible" does (kernel
 * modules, kmod-check.h; ELF builds for other platforms): the renderers list every
 * other verdict as not compatible. */
#define AOMS_VERDICT_LOADS_AS_IS "loads-as-is"
#define AOMS_VERDICT_REPLACED "replaced"
/* An ELF build for another platform (another machine, musl) whose twin for the
 * migrated hosts is in the tree (elf.other-platform): they never load it. */
#define AOMS_VERDICT_OTHER_PLATFORM "other-platform"

struct aoms_file_need {
	char *key;       /* a family of versions: "glibc", "glibcxx", ... */
	char *version;   /* the highest the file needs: "2.34" */
};

struct aoms_file_summary {
	char *path;                     /* the file, as its findings' subject */
	char *scanner;                  /* the registry row that judged it: "elf", "rpm" */
	char *verdict;                  /* as set, or NULL: derived (see above) */
	struct aoms_file_need *needs;   /* in the order set */
	size_t n_needs;
	char **lacks;                   /* as set (lacks_set), else derived */
	size_t n_lacks;
	bool lacks_set;
	char **syscalls;                /* the syscalls its code makes, by name, sorted */
	size_t n_syscalls;
	/* Private: filled when the report is sorted. */
	const char *derived_verdict;
	char **derived_lacks;
	size_t n_derived_lacks;
};

/* A summary of path judged by scanner (both copied), verdict and lacks left to be
 * derived. Returns 0 or -ENOMEM. */
int aoms_file_summary_new(const char *path, const char *scanner, struct aoms_file_summary **ret);
/* Accepts NULL. */
void aoms_file_summary_free(struct aoms_file_summary *s);
DEFINE_FREE_FUNC(struct aoms_file_summary, aoms_file_summary_free)

/* The scanner's own verdict word (copied); NULL goes back to deriving it. Returns 0 or
 * -ENOMEM. */
int aoms_file_summary_set_verdict(struct aoms_file_summary *s, const char *verdict);
/* Sets need key to version (both copied), replacing an earlier value of key. Returns
 * 0, -EINVAL for an empty key or version, -ENOMEM. */
int aoms_file_summary_set_need(struct aoms_file_summary *s, const char *key, const char *version);
/* The version set for key, or NULL. Owned by s. */
const char *aoms_file_summary_need(const struct aoms_file_summary *s, const char *key);
/* Sets lacks to the n strings of v (copied; n may be 0), so they are not derived.
 * Returns 0 or -ENOMEM. */
int aoms_file_summary_set_lacks(struct aoms_file_summary *s, const char *const *v, size_t n);

/* Sets the syscalls to the n names of v (copied, sorted, repeats dropped; n may be
 * 0). Returns 0 or -ENOMEM. */
int aoms_file_summary_set_syscalls(struct aoms_file_summary *s, const char *const *v, size_t n);

/* The verdict: as set, else as derived, else "unknown" (never derived yet). */
const char *aoms_file_summary_verdict(const struct aoms_file_summary *s);
/* The lacks: as set, else as derived. Owned by s. */
char *const *aoms_file_summary_lacks(const struct aoms_file_summary *s, size_t *ret_n);

/*
 * Derives what s leaves out from the n findings of its file (all with subject
 * s->path; the report passes them sorted). Replaces what an earlier call derived.
 * Returns 0 or -ENOMEM.
 */
int aoms_file_summary_derive(struct aoms_file_summary *s, struct aoms_finding *const *findings,
			     size_t n);
/* The string lacks names for finding f ("GLIBC_2.34 (libc.so.6)"), from its identity
 * evidence, in *ret (caller frees); *ret NULL when f has none. Returns 0 or -ENOMEM. */
int aoms_file_summary_lack_of(const struct aoms_finding *f, char **ret);
/*
 * Folds src into dst (the same path and scanner, added twice, e.g. a bare summary
 * by the scan and a fuller one by the scanner's check): a verdict, needs and lacks
 * dst lacks come from src; for a need both have, the higher version (strverscmp).
 * Returns 0 or -ENOMEM (dst may then be partly merged).
 */
int aoms_file_summary_merge(struct aoms_file_summary *dst, const struct aoms_file_summary *src);
