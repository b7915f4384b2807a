/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A command's options as one table, the single source for getopt_long(), the help
 * text, the man page and the bash completion: each row is {long, short, arg, default,
 * help}. A command's page (struct aoms_cmd_doc) adds its synopsis, description,
 * examples, exit status and files.
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

/* One command's documentation: `aoms NAME --help`, man page aoms-NAME.1 (spaces become
 * '-'), its branch of the completion. Text members are lines separated by '\n'; a
 * blank line separates paragraphs. */
struct aoms_cmd_doc {
	const char *name;        /* "scan", "db build"; "" for aoms itself */
	const char *summary;     /* one line, lowercase: the man page's NAME */
	const char *synopsis;    /* after "aoms NAME ": "[OPTION]... PATH..." */
	const char *description; /* sentences, for people */
	const struct aoms_opt *opts;
	const char *examples;    /* command lines, one a line */
	const char *exit_status; /* what the exit codes mean */
	const char *files;       /* NULL: the embedded database's note */
	const char *operands;    /* completion of operands: "file", "dir", or a word list */
};

/* The struct option array (NULL-terminated) and short-option string of table for
 * getopt_long() ("+" first when posix). Returns 0 or -ENOMEM; the caller frees both. */
int aoms_opts_getopt(const struct aoms_opt *table, bool posix, struct option **ret_long,
		     char **ret_short);
/* Prints the table's options, one block each: "  -o, --output FILE", then the help
 * indented, then "(default: ...)". */
void aoms_opts_print(FILE *out, const struct aoms_opt *table);
/* Prints `aoms NAME --help`: usage, description, options, examples, exit status. */
void aoms_opts_usage(FILE *out, const struct aoms_cmd_doc *doc);
/* Prints doc as a man page (roff, section 1): NAME, SYNOPSIS, DESCRIPTION, OPTIONS,
 * EXIT STATUS, FILES, EXAMPLES, SEE ALSO. version and date go in the .TH line. */
void aoms_opts_man(FILE *out, const struct aoms_cmd_doc *doc, const char *version,
		   const char *date);
/* Prints one bash completion script for aoms: docs (NULL-terminated) are aoms itself
 * (name "") and its commands; a two-word name ("db build") is a sub-command. */
void aoms_opts_completion(FILE *out, const struct aoms_cmd_doc *const *docs);
