/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between the rule catalogue's content (rules-builtin.c) and its lookup (rules.c). */
#pragma once

#include <stddef.h>
#include "rules.h"

/* Room for the built-in rules' sorted index (rules-builtin.c asserts it suffices). */
#define AOMS_RULES_BUILTIN_MAX 512

extern const struct aoms_rule aoms_rules_builtin[];
extern const size_t aoms_n_rules_builtin;
