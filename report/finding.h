/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The finding model: one struct for everything any scanner finds (DESIGN.md
 * "Findings"). A scanner fills one with the setters below and hands it to a report
 * (report.h), which owns it from then on.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "aoms-macro.h"

enum aoms_severity {
	AOMS_SEV_INFO = 0,
	AOMS_SEV_LOW,
	AOMS_SEV_MEDIUM,
	AOMS_SEV_HIGH,
};

enum aoms_dimension {
	AOMS_DIM_HARDWARE = 1,     /* kernel modules, devices, firmware */
	AOMS_DIM_KERNEL,           /* kABI, syscalls, eBPF, kernel config */
	AOMS_DIM_PACKAGES,         /* installed RPMs against mapping and repos */
	AOMS_DIM_APPLICATIONS,     /* third-party ELF, scripts, interpreters */
	AOMS_DIM_CONFIGURATION,    /* configuration and services */
};

enum aoms_confidence {
	AOMS_CONF_CERTAIN = 0,
	AOMS_CONF_LIKELY,
	AOMS_CONF_POSSIBLE,
};

enum aoms_remedy_kind {
	AOMS_REMEDY_HINT = 0,      /* prose for a person */
	AOMS_REMEDY_COMMAND,       /* a command line produced from an action, e.g.
				    * "dnf install compat-openssl10" */
};

/* What a planner can do about a finding (docs/report-schema.md "Actions"). The
 * arguments each kind takes are documented there; names via aoms_action_kind_name(). */
enum aoms_action_kind {
	AOMS_ACTION_INSTALL_PACKAGE = 0,  /* package */
	AOMS_ACTION_SWAP_PACKAGE,         /* from, to */
	AOMS_ACTION_REBUILD,              /* optional: against */
	AOMS_ACTION_REPLACE_LIBRARY,      /* soname, optional: with, version */
	AOMS_ACTION_REPLACE_FILE,         /* path */
	AOMS_ACTION_REMOVE_FILE,          /* path */
	AOMS_ACTION_RELINK,               /* optional: feature */
	AOMS_ACTION_SET_RUNPATH,          /* soname */
	AOMS_ACTION_REBUILD_DATABASE,     /* optional: arch */
	AOMS_ACTION_ENABLE_MODULE_STREAM, /* module_stream ("postgresql:12") */
	_AOMS_ACTION_MAX,
};

struct aoms_evidence {
	char *key;
	char **values;      /* n_values strings */
	size_t n_values;
	bool is_list;       /* rendered as a JSON array even with 0 or 1 value */
	bool identity;      /* part of the finding's key */
};

struct aoms_action_arg {
	char *key;
	char *value;
};

struct aoms_action {
	enum aoms_action_kind kind;
	struct aoms_action_arg *args;   /* in the order given */
	size_t n_args;
};

struct aoms_remedy {
	enum aoms_remedy_kind kind;
	char *text;         /* hints: the prose; commands: NULL */
	size_t action;      /* commands: index into the finding's actions */
};

/* Why a finding is accepted (--waivers, report/waivers.h); owned by the finding. */
struct aoms_finding_waiver {
	char *reason;    /* never NULL */
	char *owner;     /* NULL: not given */
	char *expires;   /* "YYYY-MM-DD", the last day it holds; NULL: never expires */
};

struct aoms_finding {
	char *rule;                     /* stable id, e.g. "elf.version-node-missing" */
	enum aoms_severity severity;
	bool inhibitor;                 /* blocks the migration */
	enum aoms_dimension dimension;
	enum aoms_confidence confidence;
	char *subject;                  /* path relative to the scanned root (or as given) */
	char *locus;                    /* the subject relative to the input it came from, for
					 * the key; NULL when the same as subject */
	char *package;                  /* owning package, NULL if unknown */
	char *title;
	char *summary;
	struct aoms_evidence *evidence; /* in insertion order */
	size_t n_evidence;
	struct aoms_remedy *remedies;   /* hints and commands, in insertion order */
	size_t n_remedies;
	struct aoms_action *actions;    /* in insertion order */
	size_t n_actions;
	char key[17];                   /* 16 hex digits, filled by aoms_finding_compute_key() */
	struct aoms_finding_waiver *waiver; /* NULL: not waived; a waived finding is reported
					     * but does not count toward the exit status */
};

/*
 * Returns 0 or -ENOMEM. rule and subject are copied. Severity defaults as given,
 * confidence to certain, inhibitor false.
 */
int aoms_finding_new(const char *rule, enum aoms_severity severity, enum aoms_dimension dim,
		     const char *subject, struct aoms_finding **ret);
/* The same about a file of a scan: locus (the subject relative to its input; NULL or
 * the subject itself: none) and package (NULL: none) set too. */
int aoms_finding_new_at(const char *rule, enum aoms_severity severity, enum aoms_dimension dim,
			const char *subject, const char *locus, const char *package,
			struct aoms_finding **ret);
/* Accepts NULL. */
void aoms_finding_free(struct aoms_finding *f);
DEFINE_FREE_FUNC(struct aoms_finding, aoms_finding_free)

/* printf-style setters; each returns 0 or -ENOMEM. */
int aoms_finding_set_title(struct aoms_finding *f, const char *fmt, ...) _printf_(2, 3);
int aoms_finding_set_summary(struct aoms_finding *f, const char *fmt, ...) _printf_(2, 3);
int aoms_finding_set_package(struct aoms_finding *f, const char *package);
/*
 * The subject as the key sees it: the path relative to the input the file came from
 * ("bin/app", "pkg.rpm:/usr/bin/app"), so that adding or renaming an input does not
 * change keys. NULL (the default) means the subject itself. Returns 0 or -ENOMEM.
 */
int aoms_finding_set_locus(struct aoms_finding *f, const char *locus);
/* The key subject: locus when set, else subject. Owned by the finding. */
const char *aoms_finding_locus(const struct aoms_finding *f);
/* Marks f waived (strings copied; owner and expires may be NULL), replacing an earlier
 * waiver; reason NULL clears it. Not part of the key. Returns 0 or -ENOMEM. */
int aoms_finding_set_waiver(struct aoms_finding *f, const char *reason, const char *owner,
			    const char *expires);
/* A scalar evidence field; the value is copied. Adding a key again replaces it. */
int aoms_finding_add_evidence(struct aoms_finding *f, const char *key, const char *value);
int aoms_finding_add_evidencef(struct aoms_finding *f, const char *key, const char *fmt, ...)
	_printf_(3, 4);
/* A scalar evidence field that is part of the finding's identity: it goes into the key
 * (soname, version node, the one symbol the finding is about, ...). */
int aoms_finding_add_identity(struct aoms_finding *f, const char *key, const char *value);
int aoms_finding_add_identityf(struct aoms_finding *f, const char *key, const char *fmt, ...)
	_printf_(3, 4);
/* A list evidence field; values are copied (n may be 0). Never part of the key. */
int aoms_finding_add_evidence_list(struct aoms_finding *f, const char *key,
				   const char *const *values, size_t n);
/* Sets or clears the identity flag of an existing field: 0, or -ENOENT. */
int aoms_finding_set_identity(struct aoms_finding *f, const char *key, bool identity);
/* A hint for people (kind AOMS_REMEDY_HINT). Commands are not written by hand: they
 * come from actions (aoms_finding_add_action), so kind AOMS_REMEDY_COMMAND gives
 * -EINVAL. Returns 0, -EINVAL or -ENOMEM. */
int aoms_finding_add_remedy(struct aoms_finding *f, enum aoms_remedy_kind kind,
			    const char *fmt, ...) _printf_(3, 4);
/*
 * A machine-readable action with its arguments as NULL-terminated key, value pairs
 * (values copied; a NULL value ends the list too):
 *   aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", "compat-openssl10",
 *                           NULL);
 * Kinds with a command line (install-package, swap-package) also append a command
 * remediation produced from the action, at this position among the remediations.
 * Returns 0, -EINVAL (unknown kind, or a required argument missing) or -ENOMEM.
 */
int aoms_finding_add_action(struct aoms_finding *f, enum aoms_action_kind kind, ...)
	__attribute__((sentinel));
/* The same with the pairs in an array of 2 * n strings (for the report reader), and
 * with_command false to leave the command remediation out. */
int aoms_finding_add_actionv(struct aoms_finding *f, enum aoms_action_kind kind,
			     const char *const *pairs, size_t n, bool with_command);
/* A command remediation produced from actions[action] (for the report reader; scanners
 * get it from aoms_finding_add_action). Returns 0, -EINVAL when that action has no
 * command line, or -ENOMEM. */
int aoms_finding_add_command(struct aoms_finding *f, size_t action);
/* The value of argument key of action a, or NULL. */
const char *aoms_action_arg(const struct aoms_action *a, const char *key);
/*
 * The command line of an action as a NULL-terminated argv (["dnf", "install", "x",
 * NULL]) in *ret (free the array only; the strings are owned by the action or static).
 * Returns the number of words, 0 when the kind has no command, or -ENOMEM.
 */
int aoms_action_command(const struct aoms_action *a, const char ***ret);

/* The first value of evidence key, or NULL. Owned by the finding. */
const char *aoms_finding_evidence(const struct aoms_finding *f, const char *key);

/*
 * Fills f->key: FNV-1a 64 of the finding's identity only (docs/report-schema.md "The
 * key"): rule, locus, the package name without version, and the identity evidence
 * fields (keys and values, in insertion order), so that waivers and baselines survive
 * re-runs, new inputs and database upgrades.
 */
void aoms_finding_compute_key(struct aoms_finding *f);

/*
 * The length of the name in a package NEVRA: "compat-openssl10-1:1.0.2o-4.el8.x86_64"
 * gives 16 ("compat-openssl10"). The name is what precedes the last two '-' (VERSION
 * and RELEASE.ARCH); a string with fewer than two '-' separating non-empty parts is
 * all name.
 */
size_t aoms_nevra_name_len(const char *nevra);

/* Names used by every renderer: "info".."high", "hardware".."configuration",
 * "certain".."possible", "hint"/"command". Parsers return -EINVAL on unknown names. */
const char *aoms_severity_name(enum aoms_severity s);
int aoms_severity_from_name(const char *name, enum aoms_severity *ret);
const char *aoms_dimension_name(enum aoms_dimension d);
/* A title for people: "Hardware & drivers", "Kernel interfaces", ... */
const char *aoms_dimension_title(enum aoms_dimension d);
const char *aoms_confidence_name(enum aoms_confidence c);
const char *aoms_remedy_kind_name(enum aoms_remedy_kind k);
int aoms_remedy_kind_from_name(const char *name, enum aoms_remedy_kind *ret);
int aoms_dimension_from_name(const char *name, enum aoms_dimension *ret);
int aoms_confidence_from_name(const char *name, enum aoms_confidence *ret);
/* "install-package", "swap-package", "rebuild", ... */
const char *aoms_action_kind_name(enum aoms_action_kind k);
int aoms_action_kind_from_name(const char *name, enum aoms_action_kind *ret);
