/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "finding.h"
#include "hash.h"
#include "strbuf.h"

int aoms_finding_new(const char *rule, enum aoms_severity severity, enum aoms_dimension dim,
		     const char *subject, struct aoms_finding **ret)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->rule = strdup(rule ? rule : "");
	f->subject = strdup(subject ? subject : "");
	if (!f->rule || !f->subject)
		return -ENOMEM;
	f->severity = severity;
	f->dimension = dim;
	f->confidence = AOMS_CONF_CERTAIN;
	*ret = TAKE_PTR(f);
	return 0;
}

static void evidence_release(struct aoms_evidence *e)
{
	free(e->key);
	for (size_t i = 0; i < e->n_values; i++)
		free(e->values[i]);
	free(e->values);
}

void aoms_finding_free(struct aoms_finding *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_evidence; i++)
		evidence_release(&f->evidence[i]);
	free(f->evidence);
	for (size_t i = 0; i < f->n_remedies; i++)
		free(f->remedies[i].text);
	free(f->remedies);
	free(f->rule);
	free(f->subject);
	free(f->package);
	free(f->title);
	free(f->summary);
	free(f);
}

/* Replaces *dst with a new formatted string; *dst is untouched on -ENOMEM. */
static int set_vformat(char **dst, const char *fmt, va_list ap)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	char *s;
	int r;

	r = aoms_strbuf_vaddf(&sb, fmt, ap);
	if (r < 0) {
		aoms_strbuf_release(&sb);
		return r;
	}
	s = aoms_strbuf_detach(&sb);
	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

int aoms_finding_set_title(struct aoms_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_vformat(&f->title, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_finding_set_summary(struct aoms_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_vformat(&f->summary, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_finding_set_package(struct aoms_finding *f, const char *package)
{
	char *p = NULL;

	if (package) {
		p = strdup(package);
		if (!p)
			return -ENOMEM;
	}
	free(f->package);
	f->package = p;
	return 0;
}

static struct aoms_evidence *evidence_find(const struct aoms_finding *f, const char *key)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, key) == 0)
			return &f->evidence[i];
	return NULL;
}

/* Builds a detached evidence field (copies of key and values). */
static int evidence_make(const char *key, const char *const *values, size_t n, bool is_list,
			 struct aoms_evidence *ret)
{
	struct aoms_evidence e = { .is_list = is_list };

	e.key = strdup(key);
	if (!e.key)
		return -ENOMEM;
	if (n > 0) {
		e.values = calloc(n, sizeof(char *));
		if (!e.values)
			goto fail;
	}
	for (; e.n_values < n; e.n_values++) {
		e.values[e.n_values] = strdup(values[e.n_values] ? values[e.n_values] : "");
		if (!e.values[e.n_values])
			goto fail;
	}
	*ret = e;
	return 0;
fail:
	evidence_release(&e);
	return -ENOMEM;
}

/* Adds a field, or replaces an existing field of the same key where it stands. */
static int evidence_put(struct aoms_finding *f, const char *key, const char *const *values,
			size_t n, bool is_list)
{
	struct aoms_evidence e, *old, *v;
	int r;

	r = evidence_make(key, values, n, is_list, &e);
	if (r < 0)
		return r;
	old = evidence_find(f, key);
	if (old) {
		evidence_release(old);
		*old = e;
		return 0;
	}
	v = realloc(f->evidence, (f->n_evidence + 1) * sizeof(*v));
	if (!v) {
		evidence_release(&e);
		return -ENOMEM;
	}
	f->evidence = v;
	f->evidence[f->n_evidence++] = e;
	return 0;
}

int aoms_finding_add_evidence(struct aoms_finding *f, const char *key, const char *value)
{
	return evidence_put(f, key, &value, 1, false);
}

int aoms_finding_add_evidencef(struct aoms_finding *f, const char *key, const char *fmt, ...)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = aoms_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (r >= 0)
		r = aoms_finding_add_evidence(f, key, aoms_strbuf_str(&sb));
	aoms_strbuf_release(&sb);
	return r;
}

int aoms_finding_add_evidence_list(struct aoms_finding *f, const char *key,
				   const char *const *values, size_t n)
{
	return evidence_put(f, key, values, n, true);
}

int aoms_finding_add_remedy(struct aoms_finding *f, enum aoms_remedy_kind kind,
			    const char *fmt, ...)
{
	struct aoms_remedy *v;
	char *text = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_vformat(&text, fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	v = realloc(f->remedies, (f->n_remedies + 1) * sizeof(*v));
	if (!v) {
		free(text);
		return -ENOMEM;
	}
	f->remedies = v;
	f->remedies[f->n_remedies++] = (struct aoms_remedy){ .kind = kind, .text = text };
	return 0;
}

const char *aoms_finding_evidence(const struct aoms_finding *f, const char *key)
{
	const struct aoms_evidence *e = evidence_find(f, key);

	return e && e->n_values > 0 ? e->values[0] : NULL;
}

/*
 * Every string is hashed with its terminating NUL, and each evidence field is
 * framed by marker bytes after a NUL ('\1' before each value, '\2' closing the
 * field), so no two different inputs give the same byte stream: a value can never
 * swallow the next key. docs/report-schema.md documents the byte layout.
 */
static uint64_t hash_str(uint64_t h, const char *s)
{
	return aoms_fnv64(h, s, strlen(s) + 1);
}

void aoms_finding_compute_key(struct aoms_finding *f)
{
	static const char value_mark = '\1', end_mark = '\2';
	uint64_t h = AOMS_FNV64_INIT;

	h = hash_str(h, f->rule);
	h = hash_str(h, f->subject);
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct aoms_evidence *e = &f->evidence[i];

		h = hash_str(h, e->key);
		for (size_t j = 0; j < e->n_values; j++) {
			h = aoms_fnv64(h, &value_mark, 1);
			h = hash_str(h, e->values[j]);
		}
		h = aoms_fnv64(h, &end_mark, 1);
	}
	snprintf(f->key, sizeof(f->key), "%016" PRIx64, h);
}

static const char *const severity_names[] = {
	[AOMS_SEV_INFO] = "info",
	[AOMS_SEV_LOW] = "low",
	[AOMS_SEV_MEDIUM] = "medium",
	[AOMS_SEV_HIGH] = "high",
};

static const char *const dimension_names[] = {
	[AOMS_DIM_HARDWARE] = "hardware",
	[AOMS_DIM_KERNEL] = "kernel",
	[AOMS_DIM_PACKAGES] = "packages",
	[AOMS_DIM_APPLICATIONS] = "applications",
	[AOMS_DIM_CONFIGURATION] = "configuration",
};

static const char *const dimension_titles[] = {
	[AOMS_DIM_HARDWARE] = "Hardware & drivers",
	[AOMS_DIM_KERNEL] = "Kernel interfaces",
	[AOMS_DIM_PACKAGES] = "System packages",
	[AOMS_DIM_APPLICATIONS] = "Applications",
	[AOMS_DIM_CONFIGURATION] = "Configuration & services",
};

static const char *const confidence_names[] = {
	[AOMS_CONF_CERTAIN] = "certain",
	[AOMS_CONF_LIKELY] = "likely",
	[AOMS_CONF_POSSIBLE] = "possible",
};

static const char *const remedy_kind_names[] = {
	[AOMS_REMEDY_HINT] = "hint",
	[AOMS_REMEDY_COMMAND] = "command",
};

/* Out-of-range values (a corrupt or newer enum) render as "unknown", never NULL. */
static const char *table_name(const char *const *table, size_t n, unsigned int i)
{
	return i < n && table[i] ? table[i] : "unknown";
}

const char *aoms_severity_name(enum aoms_severity s)
{
	return table_name(severity_names, ARRAY_SIZE(severity_names), s);
}

int aoms_severity_from_name(const char *name, enum aoms_severity *ret)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(severity_names); i++)
		if (strcmp(name, severity_names[i]) == 0) {
			*ret = (enum aoms_severity)i;
			return 0;
		}
	return -EINVAL;
}

const char *aoms_dimension_name(enum aoms_dimension d)
{
	return table_name(dimension_names, ARRAY_SIZE(dimension_names), d);
}

const char *aoms_dimension_title(enum aoms_dimension d)
{
	return table_name(dimension_titles, ARRAY_SIZE(dimension_titles), d);
}

const char *aoms_confidence_name(enum aoms_confidence c)
{
	return table_name(confidence_names, ARRAY_SIZE(confidence_names), c);
}

const char *aoms_remedy_kind_name(enum aoms_remedy_kind k)
{
	return table_name(remedy_kind_names, ARRAY_SIZE(remedy_kind_names), k);
}
