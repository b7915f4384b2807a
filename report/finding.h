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
	AOMS_REMEDY_COMMAND,       /* a command line, e.g. "dnf install compat-openssl10" */
};

struct aoms_evidence {
	char *key;
	char **values;      /* n_values strings */
	size_t n_values;
	bool is_list;       /* rendered as a JSON array even with 0 or 1 value */
};

struct aoms_remedy {
	enum aoms_remedy_kind kind;
	char *text;
};

struct aoms_finding {
	char *rule;                     /* stable id, e.g. "elf.version-node-missing" */
	enum aoms_severity severity;
	bool inhibitor;                 /* blocks the migration */
	enum aoms_dimension dimension;
	enum aoms_confidence confidence;
	char *subject;                  /* path relative to the scanned root (or as given) */
	char *package;                  /* owning package, NULL if unknown */
	char *title;
	char *summary;
	struct aoms_evidence *evidence; /* in insertion order */
	size_t n_evidence;
	struct aoms_remedy *remedies;
	size_t n_remedies;
	char key[17];                   /* 16 hex digits, filled by aoms_finding_compute_key() */
};

/*
 * Returns 0 or -ENOMEM. rule and subject are copied. Severity defaults as given,
 * confidence to certain, inhibitor false.
 */
int aoms_finding_new(const char *rule, enum aoms_severity severity, enum aoms_dimension dim,
		     const char *subject, struct aoms_finding **ret);
/* Accepts NULL. */
void aoms_finding_free(struct aoms_finding *f);
DEFINE_FREE_FUNC(struct aoms_finding, aoms_finding_free)

/* printf-style setters; each returns 0 or -ENOMEM. */
int aoms_finding_set_title(struct aoms_finding *f, const char *fmt, ...) _printf_(2, 3);
int aoms_finding_set_summary(struct aoms_finding *f, const char *fmt, ...) _printf_(2, 3);
int aoms_finding_set_package(struct aoms_finding *f, const char *package);
/* A scalar evidence field; the value is copied. */
int aoms_finding_add_evidence(struct aoms_finding *f, const char *key, const char *value);
int aoms_finding_add_evidencef(struct aoms_finding *f, const char *key, const char *fmt, ...)
	_printf_(3, 4);
/* A list evidence field; values are copied (n may be 0). */
int aoms_finding_add_evidence_list(struct aoms_finding *f, const char *key,
				   const char *const *values, size_t n);
int aoms_finding_add_remedy(struct aoms_finding *f, enum aoms_remedy_kind kind,
			    const char *fmt, ...) _printf_(3, 4);

/* The first value of evidence key, or NULL. Owned by the finding. */
const char *aoms_finding_evidence(const struct aoms_finding *f, const char *key);

/*
 * Fills f->key: FNV-1a 64 of rule, subject and the evidence fields (keys and
 * values, in insertion order), so that waivers and baselines survive re-runs.
 */
void aoms_finding_compute_key(struct aoms_finding *f);

/* Names used by every renderer: "info".."high", "hardware".."configuration",
 * "certain".."possible", "hint"/"command". Parsers return -EINVAL on unknown names. */
const char *aoms_severity_name(enum aoms_severity s);
int aoms_severity_from_name(const char *name, enum aoms_severity *ret);
const char *aoms_dimension_name(enum aoms_dimension d);
/* A title for people: "Hardware & drivers", "Kernel interfaces", ... */
const char *aoms_dimension_title(enum aoms_dimension d);
const char *aoms_confidence_name(enum aoms_confidence c);
const char *aoms_remedy_kind_name(enum aoms_remedy_kind k);
