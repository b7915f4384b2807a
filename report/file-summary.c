/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A verdict per file (file-summary.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "file-summary.h"
#include "strbuf.h"

/* Rules that say the file could not be judged (in part), whatever their confidence. */
static const char *const summary_unknown_rules[] = {
	"elf.machine-unknown", "elf.malformed", "elf.needed-unknown",
	"rpm.malformed", "rpm.requires-unknown",
};

int aoms_file_summary_new(const char *path, const char *scanner, struct aoms_file_summary **ret)
{
	struct aoms_file_summary *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->path = strdup(path ? path : "");
	s->scanner = strdup(scanner ? scanner : "");
	if (!s->path || !s->scanner) {
		aoms_file_summary_free(s);
		return -ENOMEM;
	}
	*ret = s;
	return 0;
}

static void summary_strv_clear(char ***v, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

void aoms_file_summary_free(struct aoms_file_summary *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->scanner);
	free(s->verdict);
	for (size_t i = 0; i < s->n_needs; i++) {
		free(s->needs[i].key);
		free(s->needs[i].version);
	}
	free(s->needs);
	summary_strv_clear(&s->lacks, &s->n_lacks);
	summary_strv_clear(&s->derived_lacks, &s->n_derived_lacks);
	summary_strv_clear(&s->syscalls, &s->n_syscalls);
	free(s);
}

int aoms_file_summary_set_verdict(struct aoms_file_summary *s, const char *verdict)
{
	char *v = verdict ? strdup(verdict) : NULL;

	if (verdict && !v)
		return -ENOMEM;
	free(s->verdict);
	s->verdict = v;
	return 0;
}

static struct aoms_file_need *summary_need_find(const struct aoms_file_summary *s, const char *key)
{
	for (size_t i = 0; i < s->n_needs; i++)
		if (strcmp(s->needs[i].key, key) == 0)
			return &s->needs[i];
	return NULL;
}

int aoms_file_summary_set_need(struct aoms_file_summary *s, const char *key, const char *version)
{
	struct aoms_file_need *n;
	char *k, *v;

	if (!key || !*key || !version || !*version)
		return -EINVAL;
	v = strdup(version);
	if (!v)
		return -ENOMEM;
	n = summary_need_find(s, key);
	if (n) {
		free(n->version);
		n->version = v;
		return 0;
	}
	k = strdup(key);
	n = k ? realloc(s->needs, (s->n_needs + 1) * sizeof(*n)) : NULL;
	if (!n) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	s->needs = n;
	s->needs[s->n_needs++] = (struct aoms_file_need){ .key = k, .version = v };
	return 0;
}

const char *aoms_file_summary_need(const struct aoms_file_summary *s, const char *key)
{
	const struct aoms_file_need *n = summary_need_find(s, key);

	return n ? n->version : NULL;
}

static bool summary_strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Appends a copy of s to *v unless it is there already. */
static int summary_strv_add(char ***v, size_t *n, const char *s)
{
	char **nv, *c;

	if (summary_strv_has(*v, *n, s))
		return 0;
	c = strdup(s);
	nv = c ? realloc(*v, (*n + 1) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(c);
		return -ENOMEM;
	}
	nv[(*n)++] = c;
	*v = nv;
	return 0;
}

static int summary_cmp_str(const void *a, const void *b);

/* Replaces *dst (n_dst entries) with copies of v, sorted when sort is set. */
static int summary_strv_set(char ***dst, size_t *n_dst, const char *const *v, size_t n, bool sort)
{
	char **nv = NULL;
	size_t nn = 0;

	for (size_t i = 0; i < n; i++)
		if (summary_strv_add(&nv, &nn, v[i]) < 0) {
			summary_strv_clear(&nv, &nn);
			return -ENOMEM;
		}
	if (sort && nn > 1)
		qsort(nv, nn, sizeof(*nv), summary_cmp_str);
	summary_strv_clear(dst, n_dst);
	*dst = nv;
	*n_dst = nn;
	return 0;
}

int aoms_file_summary_set_lacks(struct aoms_file_summary *s, const char *const *v, size_t n)
{
	int r = summary_strv_set(&s->lacks, &s->n_lacks, v, n, false);

	if (r >= 0)
		s->lacks_set = true;
	return r;
}


int aoms_file_summary_set_syscalls(struct aoms_file_summary *s, const char *const *v, size_t n)
{
	return summary_strv_set(&s->syscalls, &s->n_syscalls, v, n, true);
}

const char *aoms_file_summary_verdict(const struct aoms_file_summary *s)
{
	if (s->verdict)
		return s->verdict;
	return s->derived_verdict ? s->derived_verdict : AOMS_VERDICT_UNKNOWN;
}

char *const *aoms_file_summary_lacks(const struct aoms_file_summary *s, size_t *ret_n)
{
	*ret_n = s->lacks_set ? s->n_lacks : s->n_derived_lacks;
	return s->lacks_set ? s->lacks : s->derived_lacks;
}

/* "symbol@version (soname)", "version (soname)", "soname"; else the identity values
 * joined by spaces ("DT_RELR", "x86_64 ELF32"). */
int aoms_file_summary_lack_of(const struct aoms_finding *f, char **ret)
{
	const char *soname = NULL, *version = NULL, *symbol = NULL;
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	int r = 0;

	*ret = NULL;
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct aoms_evidence *e = &f->evidence[i];

		if (!e->identity || e->is_list || e->n_values == 0)
			continue;
		if (strcmp(e->key, "soname") == 0)
			soname = e->values[0];
		else if (strcmp(e->key, "version") == 0)
			version = e->values[0];
		else if (strcmp(e->key, "symbol") == 0)
			symbol = e->values[0];
		else if (r >= 0)
			r = aoms_strbuf_addf(&sb, "%s%s", sb.len ? " " : "", e->values[0]);
	}
	if (r >= 0 && (soname || version || symbol)) {
		aoms_strbuf_release(&sb);
		r = aoms_strbuf_addf(&sb, "%s%s%s%s%s%s", symbol ? symbol : "",
				     symbol && version ? "@" : "", version ? version : "",
				     soname && (symbol || version) ? " (" : "", soname ? soname : "",
				     soname && (symbol || version) ? ")" : "");
	}
	if (r < 0) {
		aoms_strbuf_release(&sb);
		return -ENOMEM;
	}
	if (sb.len && !(*ret = aoms_strbuf_detach(&sb)))
		return -ENOMEM;
	aoms_strbuf_release(&sb);
	return 0;
}

static bool summary_unknown_kind(const struct aoms_finding *f)
{
	if (f->severity == AOMS_SEV_INFO)
		return false;
	if (f->confidence == AOMS_CONF_POSSIBLE)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(summary_unknown_rules); i++)
		if (strcmp(f->rule, summary_unknown_rules[i]) == 0)
			return true;
	return false;
}

int aoms_file_summary_derive(struct aoms_file_summary *s, struct aoms_finding *const *findings,
			     size_t n)
{
	bool inhibitor = false, unknown = false;

	summary_strv_clear(&s->derived_lacks, &s->n_derived_lacks);
	for (size_t i = 0; i < n; i++) {
		const struct aoms_finding *f = findings[i];
		_cleanup_(freep) char *lack = NULL;

		inhibitor |= f->inhibitor;
		unknown |= summary_unknown_kind(f);
		if (s->lacks_set || f->severity < AOMS_SEV_MEDIUM)
			continue;
		if (aoms_file_summary_lack_of(f, &lack) < 0 ||
		    (lack && summary_strv_add(&s->derived_lacks, &s->n_derived_lacks, lack) < 0))
			return -ENOMEM;
	}
	s->derived_verdict = inhibitor ? AOMS_VERDICT_INCOMPATIBLE
			   : unknown   ? AOMS_VERDICT_UNKNOWN
				       : AOMS_VERDICT_COMPATIBLE;
	return 0;
}

static int summary_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int aoms_file_summary_merge(struct aoms_file_summary *dst, const struct aoms_file_summary *src)
{
	int r;

	/* Symmetric, so the outcome does not depend on which of the two came first. */
	if (src->verdict && (!dst->verdict || strcmp(src->verdict, dst->verdict) > 0) &&
	    (r = aoms_file_summary_set_verdict(dst, src->verdict)) < 0)
		return r;
	for (size_t i = 0; i < src->n_needs; i++) {
		const char *have = aoms_file_summary_need(dst, src->needs[i].key);

		if (have && strverscmp(have, src->needs[i].version) >= 0)
			continue;
		if ((r = aoms_file_summary_set_need(dst, src->needs[i].key, src->needs[i].version)) < 0)
			return r;
	}
	for (size_t i = 0; i < src->n_syscalls; i++)
		if (summary_strv_add(&dst->syscalls, &dst->n_syscalls, src->syscalls[i]) < 0)
			return -ENOMEM;
	if (dst->n_syscalls > 1)
		qsort(dst->syscalls, dst->n_syscalls, sizeof(*dst->syscalls), summary_cmp_str);
	if (!src->lacks_set)
		return 0;
	if (!dst->lacks_set)
		return aoms_file_summary_set_lacks(dst, (const char *const *)src->lacks, src->n_lacks);
	for (size_t i = 0; i < src->n_lacks; i++)
		if (summary_strv_add(&dst->lacks, &dst->n_lacks, src->lacks[i]) < 0)
			return -ENOMEM;
	if (dst->n_lacks > 1)
		qsort(dst->lacks, dst->n_lacks, sizeof(*dst->lacks), summary_cmp_str);
	return 0;
}
