/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rule catalogue's lookup: the built-in rules (rules-builtin.c) in id order, and the
 * rules plug-ins register at run time. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "rules-private.h"

/* builtin_sorted[] points into aoms_rules_builtin[] in id order (rules_init(), once);
 * registered[] holds the plug-ins' rules in id order, under rules_lock. */
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static const struct aoms_rule *builtin_sorted[AOMS_RULES_BUILTIN_MAX];
static pthread_rwlock_t rules_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct aoms_rule **registered;
static size_t n_registered;

static int rules_cmp(const void *a, const void *b)
{
	const struct aoms_rule *ra = *(const struct aoms_rule *const *)a;
	const struct aoms_rule *rb = *(const struct aoms_rule *const *)b;

	return strcmp(ra->id, rb->id);
}

static void rules_init(void)
{
	for (size_t i = 0; i < aoms_n_rules_builtin; i++)
		builtin_sorted[i] = &aoms_rules_builtin[i];
	qsort(builtin_sorted, aoms_n_rules_builtin, sizeof(*builtin_sorted), rules_cmp);
}

/* Binary search of a sorted array: the index of id, or where it would go. */
static size_t rules_pos(const struct aoms_rule *const *v, size_t n, const char *id, bool *found)
{
	size_t lo = 0, hi = n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid]->id, id);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Called with rules_lock held (read or write). */
static const struct aoms_rule *rules_find_locked(const char *id)
{
	bool found;
	size_t i = rules_pos(builtin_sorted, aoms_n_rules_builtin, id, &found);

	if (found)
		return builtin_sorted[i];
	i = rules_pos(registered, n_registered, id, &found);
	return found ? registered[i] : NULL;
}

const struct aoms_rule *aoms_rule_find(const char *id)
{
	const struct aoms_rule *r;

	if (!id)
		return NULL;
	pthread_once(&rules_once, rules_init);
	pthread_rwlock_rdlock(&rules_lock);
	r = rules_find_locked(id);
	pthread_rwlock_unlock(&rules_lock);
	return r;
}

size_t aoms_rules_count(void)
{
	size_t n;

	pthread_rwlock_rdlock(&rules_lock);
	n = aoms_n_rules_builtin + n_registered;
	pthread_rwlock_unlock(&rules_lock);
	return n;
}

/* The i-th of the merge of the two sorted arrays. */
const struct aoms_rule *aoms_rule_at(size_t i)
{
	const struct aoms_rule *r = NULL;
	size_t b = 0, g = 0, nb = aoms_n_rules_builtin;

	pthread_once(&rules_once, rules_init);
	pthread_rwlock_rdlock(&rules_lock);
	if (i < nb + n_registered) {
		for (;;) {
			bool take_b = g >= n_registered ||
				      (b < nb && strcmp(builtin_sorted[b]->id, registered[g]->id) < 0);

			r = take_b ? builtin_sorted[b++] : registered[g++];
			if (b + g > i)
				break;
		}
	}
	pthread_rwlock_unlock(&rules_lock);
	return r;
}

static bool rule_valid(const struct aoms_rule *r)
{
	return r->id && *r->id && strchr(r->id, '.') && r->title && *r->title && r->doc &&
	       *r->doc && r->dimension >= AOMS_DIM_HARDWARE &&
	       r->dimension <= AOMS_DIM_CONFIGURATION && r->severity >= AOMS_SEV_INFO &&
	       r->severity <= AOMS_SEV_HIGH;
}

/* Called with the write lock held: inserts each of rules (checked, not present). */
static int rules_insert_locked(const struct aoms_rule *rules, size_t n)
{
	const struct aoms_rule **v = realloc(registered, (n_registered + n) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	registered = v;
	for (size_t k = 0; k < n; k++) {
		bool found;
		size_t pos = rules_pos(registered, n_registered, rules[k].id, &found);

		memmove(&registered[pos + 1], &registered[pos],
			(n_registered - pos) * sizeof(*registered));
		registered[pos] = &rules[k];
		n_registered++;
	}
	return 0;
}

int aoms_rules_register(const struct aoms_rule *rules, size_t n)
{
	int ret = 0;

	if (n > 0 && !rules)
		return -EINVAL;
	for (size_t k = 0; k < n; k++) {
		if (!rule_valid(&rules[k]))
			return -EINVAL;
		for (size_t j = 0; j < k; j++)
			if (strcmp(rules[j].id, rules[k].id) == 0)
				return -EEXIST;
	}
	pthread_once(&rules_once, rules_init);
	pthread_rwlock_wrlock(&rules_lock);
	for (size_t k = 0; k < n && ret == 0; k++)
		if (rules_find_locked(rules[k].id))
			ret = -EEXIST;
	if (ret == 0 && n > 0)
		ret = rules_insert_locked(rules, n);
	pthread_rwlock_unlock(&rules_lock);
	return ret;
}
