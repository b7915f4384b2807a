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

/* One event. Package names are "name" or "name:module:stream" (the package as a module
 * stream ships it: Leapp compares packages by name and module stream); out names may
 * carry "@pesid" (the target repository), which aoms_pes_out_name() strips. Package
 * names have no ':' or '@' (rpmbuild refuses them), module names and streams none either
 * (aoms_pes_stream_valid()). */
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

/* One package of a Leapp packageset with the module streams it is listed in
 * (`modulestreams`, `modulestream` or ELevate's `module_stream`). */
struct aoms_pes_pkg {
	const char *name;
	const char *repo;               /* the pesid; NULL: none */
	const char *const *streams;     /* "module:stream"; NULL: non-modular */
	size_t n_streams;               /* 0: non-modular only */
};

/* One member of an event's modulestream_maps; NULL: non-modular. */
struct aoms_pes_stream_map {
	const char *in;                 /* "module:stream" */
	const char *out;
};

/*
 * Adds the events one Leapp event expands to (leapp-repository's pes_event_parsing.py):
 * one per input stream of maps, whose in-packages are those listed in that stream and
 * whose out-packages those listed in one of the streams it maps to; without maps, one
 * per stream an in-package lists, each mapped to non-modular (so a modular out-package
 * needs a map, as in Leapp). Names are "name[:module:stream]", out names with "@repo".
 * tmpl gives the rest (its in and out are ignored). An expanded event without an
 * in-package is not added (Leapp would apply it to every host). Returns the number of
 * events added; -EINVAL (action out of range, no in-package at all, a stream that is
 * not "module:stream"); -ENOMEM.
 */
int aoms_pes_add_expanded(struct aoms_pes *p, const struct aoms_pes_event *tmpl,
			  const struct aoms_pes_pkg *in, size_t n_in,
			  const struct aoms_pes_pkg *out, size_t n_out,
			  const struct aoms_pes_stream_map *maps, size_t n_maps);

/* Whether s is a module's name or stream as the encoding above needs it: non-empty,
 * at most 255 bytes, no ':', '@', space or control character. */
bool aoms_pes_stream_part_valid(const char *s);

/* "present", "removed", ... ; "unknown" out of range. */
const char *aoms_pes_action_name(enum aoms_pes_action a);
/* The name part of an out-package ("pkg@repo" -> "pkg", module kept); copies into buf
 * (size n, truncated). Returns buf. */
const char *aoms_pes_out_name(const char *out, char *buf, size_t n);
/* Splits an event's or an installed package's name "name[:module:stream][@repo]": the
 * package name into name (size n), "module:stream" into stream (size ns; "" when
 * non-modular), both truncated to fit. */
void aoms_pes_name_split(const char *s, char *name, size_t n, char *stream, size_t ns);

/*
 * Maps an installed set (names "name" or, for a package of a module stream,
 * "name:module:stream"; any order, duplicates allowed) from release
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
/* The same with only the site events (--mapping): the shipped events are 7 -> 8's, and
 * an 8 -> 8 migration applies only what the site says. */
int aoms_pes_map_site(const struct aoms_pes *p, const char *const *installed, size_t n,
		      const char *arch, unsigned src_major, unsigned src_minor,
		      unsigned tgt_major, unsigned tgt_minor, aoms_pes_map_fn fn, void *ud);
