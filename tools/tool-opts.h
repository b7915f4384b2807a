/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A command's options as one table, the single source for getopt_long() and for the
 * help text (and, later, man pages and completion): each row is
 * {long, short, arg, default, help}.
 */
#pragma once

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

struct aoms_opt {
	const char *name;   /* long name, without "--"; NULL ends the table */
	int val;            /* getopt's return value: the short letter, or a code >= 256 */
	const char *arg;    /* the argument's name ("FILE"), NULL: takes none */
	const char *def;    /* the default, as people read it; NULL: none */
	const char *help;   /* one or more lines, lowercase, no full stop; never NULL */
};

/* The struct option array (NULL-terminated) and short-option string of table for
 * getopt_long() ("+" first when posix). Returns 0 or -ENOMEM; the caller frees both. */
int aoms_opts_getopt(const struct aoms_opt *table, bool posix, struct option **ret_long,
		     char **ret_short);
/* Prints the table's options, one block each: "  -o, --output FILE", then the help
 * indented, then "(default: ...)". */
void aoms_opts_print(FILE *out, const struct aoms_opt *table);
