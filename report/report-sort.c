/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report's order: findings by subject, dimension, rule, version (oldest first)
 * and key; errors by subject; per-file summaries by path, merged and derived. Rendering
 * sorts first, so output is byte-identical whatever order threads finished in. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "file-summary.h"
#include "report-private.h"

static int report_strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int report_cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

static int report_cmp_remedies(const struct aoms_finding *a, const struct aoms_finding *b)
{
	int c;

	for (size_t i = 0; i < a->n_remedies && i < b->n_remedies; i++) {
		c = report_cmp_int(a->remedies[i].kind, b->remedies[i].kind);
		if (c == 0)
			c = report_strcmp0(a->remedies[i].text, b->remedies[i].text);
		if (c == 0)
			c = report_cmp_int((int)a->remedies[i].action, (int)b->remedies[i].action);
		if (c)
			return c;
	}
	return (a->n_remedies > b->n_remedies) - (a->n_remedies < b->n_remedies);
}

/* The family of a version: what precedes its first digit, less a trailing '_' or
 * '.' ("GLIBC" of "GLIBC_2.34", so that it sorts before "GLIBCXX"). */
static size_t report_version_family(const char *v)
{
	size_t n = strcspn(v, "0123456789");

	while (n > 0 && (v[n - 1] == '_' || v[n - 1] == '.'))
		n--;
	return n;
}

/* Versions by family, then oldest first (strverscmp: GLIBC_2.9 before GLIBC_2.10); a
 * finding without a version evidence field before those with one. */
static int report_cmp_version(const struct aoms_finding *a, const struct aoms_finding *b)
{
	const char *va = aoms_finding_evidence(a, "version");
	const char *vb = aoms_finding_evidence(b, "version");
	size_t la, lb;
	int c;

	if (!va || !vb)
		return (va != NULL) - (vb != NULL);
	la = report_version_family(va);
	lb = report_version_family(vb);
	c = memcmp(va, vb, la < lb ? la : lb);
	if (c == 0)
		c = (la > lb) - (la < lb);
	if (c == 0)
		c = strverscmp(va, vb);
	return c ? c : strcmp(va, vb);
}

/*
 * The documented order is subject, dimension, rule, version, key. The remaining fields break
 * ties between findings with equal keys, so the order is total: qsort's instability
 * can then only swap findings that render identically.
 */
static int report_cmp_finding(const void *pa, const void *pb)
{
	const struct aoms_finding *a = *(struct aoms_finding *const *)pa;
	const struct aoms_finding *b = *(struct aoms_finding *const *)pb;
	int c;

	if ((c = strcmp(a->subject, b->subject)) ||
	    (c = report_cmp_int(a->dimension, b->dimension)) ||
	    (c = strcmp(a->rule, b->rule)) ||
	    (c = report_cmp_version(a, b)) ||
	    (c = strcmp(a->key, b->key)) ||
	    (c = report_cmp_int(b->severity, a->severity)) ||
	    (c = report_cmp_int(b->inhibitor, a->inhibitor)) ||
	    (c = report_cmp_int(a->confidence, b->confidence)) ||
	    (c = report_strcmp0(a->package, b->package)) ||
	    (c = report_strcmp0(a->title, b->title)) ||
	    (c = report_strcmp0(a->summary, b->summary)))
		return c;
	return report_cmp_remedies(a, b);
}

static int report_cmp_error(const void *pa, const void *pb)
{
	const struct aoms_report_error *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->subject, b->subject)) || (c = strcmp(a->message, b->message)))
		return c;
	return report_cmp_int(a->err, b->err);
}

static int report_cmp_summary(const void *pa, const void *pb)
{
	const struct aoms_file_summary *a = *(struct aoms_file_summary *const *)pa;
	const struct aoms_file_summary *b = *(struct aoms_file_summary *const *)pb;
	int c = strcmp(a->path, b->path);

	return c ? c : strcmp(a->scanner, b->scanner);
}

/* Merges summaries of the same path and scanner (sorted, so adjacent). */
static int report_merge_summaries(struct aoms_report *r)
{
	size_t out = 0;
	int ret = 0;

	for (size_t i = 0; i < r->n_summaries; i++) {
		if (out > 0 && report_cmp_summary(&r->summaries[out - 1], &r->summaries[i]) == 0) {
			if (ret >= 0)
				ret = aoms_file_summary_merge(r->summaries[out - 1], r->summaries[i]);
			aoms_file_summary_free(r->summaries[i]);
			continue;
		}
		r->summaries[out++] = r->summaries[i];
	}
	r->n_summaries = out;
	return ret;
}

/* Derives each summary's verdict and lacks from the findings of its path. Both lists
 * are sorted by path/subject, so one merge-walk pairs them. */
static int report_derive_summaries(struct aoms_report *r)
{
	size_t f = 0;

	for (size_t i = 0; i < r->n_summaries; i++) {
		struct aoms_file_summary *s = r->summaries[i];
		size_t end;
		int ret;

		while (f < r->n_findings && strcmp(r->findings[f]->subject, s->path) < 0)
			f++;
		for (end = f; end < r->n_findings && strcmp(r->findings[end]->subject, s->path) == 0;)
			end++;
		ret = aoms_file_summary_derive(s, r->findings + f, end - f);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int aoms_report_sort(struct aoms_report *r)
{
	int ret;

	pthread_mutex_lock(&r->lock);
	if (r->n_findings > 1)
		qsort(r->findings, r->n_findings, sizeof(*r->findings), report_cmp_finding);
	if (r->n_errors > 1)
		qsort(r->errors, r->n_errors, sizeof(*r->errors), report_cmp_error);
	if (r->n_summaries > 1)
		qsort(r->summaries, r->n_summaries, sizeof(*r->summaries), report_cmp_summary);
	ret = report_merge_summaries(r);
	if (ret >= 0)
		ret = report_derive_summaries(r);
	pthread_mutex_unlock(&r->lock);
	return ret;
}

