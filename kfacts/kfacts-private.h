/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the kfacts parsers; nothing outside kfacts/ includes this. */
#pragma once

#include <stddef.h>
#include "aoms-macro.h"
#include "kfacts.h"

/* Sets *ret_reason (if ret_reason) to the formatted reason; returns -EINVAL. */
int aoms_kfacts_err(char **ret_reason, const char *fmt, ...) _printf_(2, 3);

/*
 * Reads in line by line and calls line_fn(line, len, ud) on each, the newline (and
 * a "\r") removed; line_fn returns the rows it made (>= 0) or an error, in which
 * case *reason may hold its reason. Returns the sum of rows or the first error,
 * filling *ret_err as aoms_symvers_foreach() documents.
 */
int aoms_kfacts_read_lines(FILE *in, int (*line_fn)(char *line, size_t len, char **reason,
						     void *ud),
			   void *ud, struct aoms_kfacts_error *ret_err);
