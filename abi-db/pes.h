/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Package evolution (Leapp PES events) in memory: the shipped CentOS 7 -> EL8 events
 * (abi-db/data/pes/, tools/gen-pes-data.py) plus site mappings, and the mapping of an
 * installed package set through them (Leapp's semantics, ../shared/data/userspace/leapp/
 * PES-SCHEMA.md). No database, no JSON: scanners/ reads --mapping files into events.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "aoms-macro.h"

enum aoms_pes_action {
	AOMS_PES_PRESENT = 0,
	AOMS_PES_REMOVED,
	AOMS_PES_DEPRECATED,
	AOMS_PES_REPLACED,
	AOMS_PES_SPLIT,
	AOMS_PES_MERGED,
	AOMS_PES_MOVED,
	AOMS_PES_RENAMED,
	_AOMS_PES_ACTION_MAX,
};

/* One event. Package names are "name" or "name:module:stream"; out names may carry
 * "@pesid" (the target repository), which aoms_pes_out_name() strips. */
struct aoms_pes_event {
	unsigned id;
	enum aoms_pes_action action;
	const char *arches;          /* comma list; "" = every arch */
	unsigned from_major, from_minor;   /* initial_release (0.0: none given) */
	unsigned to_major, to_minor;       /* release: when the event happens */
	const char **in;
	size_t n_in;
	const char **out;
	size_t n_out;
	bool site;                   /* from a --mapping file: wins over shipped events */
};

struct aoms_pes;

int aoms_pes_new(struct aoms_pes **ret);
/* Accepts NULL. */
void aoms_pes_free(struct aoms_pes *p);
DEFINE_FREE_FUNC(struct aoms_pes, aoms_pes_free)

/* Adds a copy of e. Returns 0, -EINVAL (action out of range, no in-package), -ENOMEM. */
int aoms_pes_add(struct aoms_pes *p, const struct aoms_pes_event *e);
/*
 * Adds the events of a compact TSV (tools/gen-pes-data.py's format) of len bytes.
 * Returns the number of events added; -EBADMSG with *ret_line (when not NULL) set to
 * the 1-based line of a malformed row (nothing of that row is added); -ENOMEM.
 */
int aoms_pes_load_tsv(struct aoms_pes *p, const char *data, size_t len, size_t *ret_line);
/* Adds the shipped events linked into the program (abi-db/embedded.S). Returns the
 * number added, -ENOENT when the program has no embedded copy, or as above. */
int aoms_pes_load_default(struct aoms_pes *p);
size_t aoms_pes_n_events(const struct aoms_pes *p);

/* "present", "removed", ... ; "unknown" out of range. */
const char *aoms_pes_action_name(enum aoms_pes_action a);
/* The name part of an out-package ("pkg@repo" -> "pkg", module kept); copies into buf
 * (size n, truncated). Returns buf. */
const char *aoms_pes_out_name(const char *out, char *buf, size_t n);

/*
 * Maps an installed set (names, any order, duplicates allowed) from release
 * src_major.src_minor to tgt_major.tgt_minor on arch: for each installed name, the
 * event that applies to it, i.e. whose in-set has it, whose arch list is empty or has
 * arch, whose release is after the source and at or before the target, and whose
 * in-packages are all installed (MERGED, PRESENT and DEPRECATED: any one); of several,
 * a site event first, then the latest release, then the highest id. fn(name, event,
 * ud) is called for every installed name in the order given, event NULL when none
 * applies. A non-zero return of fn stops the walk and is returned. Returns 0,
 * -ENOMEM, or fn's value. Events are owned by p.
 */
typedef int (*aoms_pes_map_fn)(const char *name, const struct aoms_pes_event *e, void *ud);
int aoms_pes_map(const struct aoms_pes *p, const char *const *installed, size_t n,
		 const char *arch, unsigned src_major, unsigned src_minor,
		 unsigned tgt_major, unsigned tgt_minor, aoms_pes_map_fn fn, void *ud);
