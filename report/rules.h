/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The rule catalogue (DESIGN.md "Findings"): every rule id a finding may carry, with
 * its dimension, default severity and inhibitor flag, a title template, a paragraph
 * of documentation and a link. aoms_report_add() refuses findings whose rule is not
 * here, and `aoms rules` / `aoms explain` print it.
 *
 * The built-in rules are a static table; a plug-in scanner adds its own with
 * aoms_rules_register() at start-up. Lookups and iteration are thread-safe.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "finding.h"

struct aoms_rule {
	const char *id;                  /* "elf.needed-missing": lowercase, one dot */
	enum aoms_dimension dimension;
	enum aoms_severity severity;     /* the default; a finding may rate itself lower */
	bool inhibitor;                  /* whether it blocks the migration by default */
	/* What a finding's title says, with {placeholders}:
	 * "{subject} needs {soname}, which {target} does not have". */
	const char *title;
	/* A paragraph: what it means, why it breaks on the target, what to do. */
	const char *doc;
	const char *link;                /* a URL, or NULL */
};

/* The rule with this id, or NULL when the catalogue has none. Owned by the catalogue
 * (static storage), valid for the life of the process. */
const struct aoms_rule *aoms_rule_find(const char *id);

/* The number of rules, built-in and registered. */
size_t aoms_rules_count(void);
/* The i-th rule in the order of ids (bytewise), or NULL when i >= aoms_rules_count().
 * Owned by the catalogue. */
const struct aoms_rule *aoms_rule_at(size_t i);

/*
 * Adds n rules, all or none. The array and the strings it points to are not copied:
 * they must stay valid for the life of the process (a scanner's static table).
 * Returns 0; -EINVAL when a rule lacks an id, title or doc, or has an unknown
 * dimension or severity; -EEXIST when an id is already in the catalogue (or twice in
 * rules); -ENOMEM.
 */
int aoms_rules_register(const struct aoms_rule *rules, size_t n);
