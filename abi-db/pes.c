/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "pes.h"
#include "strmap.h"


/* Events of one in-package name: indices into p->events. */
struct pes_list {
	size_t *idx;
	size_t n, cap;
};

struct aoms_pes {
	struct aoms_arena *arena;     /* event strings and arrays */
	struct aoms_pes_event *events;
	size_t n, cap;
	struct aoms_strmap by_in;     /* in-package name -> struct pes_list */
};

static const char *const action_names[] = {
	"present", "removed", "deprecated", "replaced", "split", "merged", "moved", "renamed",
};

const char *aoms_pes_action_name(enum aoms_pes_action a)
{
	return (unsigned)a < _AOMS_PES_ACTION_MAX ? action_names[a] : "unknown";
}

const char *aoms_pes_out_name(const char *out, char *buf, size_t n)
{
	size_t len = strcspn(out, "@");

	if (n == 0)
		return buf;
	if (len >= n)
		len = n - 1;
	memcpy(buf, out, len);
	buf[len] = '\0';
	return buf;
}

int aoms_pes_new(struct aoms_pes **ret)
{
	struct aoms_pes *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	if (aoms_arena_new(&p->arena) < 0) {
		free(p);
		return -ENOMEM;
	}
	*ret = p;
	return 0;
}

void aoms_pes_free(struct aoms_pes *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->by_in.cap; i++) {
		struct pes_list *l = p->by_in.slots[i].key ? p->by_in.slots[i].value : NULL;

		if (l) {
			free(l->idx);
			free(l);
		}
	}
	aoms_strmap_release(&p->by_in);
	free(p->events);
	aoms_arena_free(p->arena);
	free(p);
}

size_t aoms_pes_n_events(const struct aoms_pes *p)
{
	return p->n;
}

static int index_in(struct aoms_pes *p, const char *name, size_t idx)
{
	struct pes_list *l = aoms_strmap_get(&p->by_in, name);

	if (!l) {
		if (!(l = calloc(1, sizeof(*l))))
			return -ENOMEM;
		if (aoms_strmap_put(&p->by_in, name, l) < 0) {
			free(l);
			return -ENOMEM;
		}
	}
	if (l->n && l->idx[l->n - 1] == idx)
		return 0;   /* the same name twice in one in-set */
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 2;
		size_t *v = realloc(l->idx, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->idx = v;
		l->cap = cap;
	}
	l->idx[l->n++] = idx;
	return 0;
}

static const char **copy_names(struct aoms_arena *a, const char *const *names, size_t n)
{
	const char **v = aoms_arena_alloc(a, (n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] = aoms_arena_strdup(a, names[i])))
			return NULL;
	return v;
}

int aoms_pes_add(struct aoms_pes *p, const struct aoms_pes_event *e)
{
	struct aoms_pes_event *c;

	if ((unsigned)e->action >= _AOMS_PES_ACTION_MAX || e->n_in == 0)
		return -EINVAL;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1024;
		struct aoms_pes_event *v = realloc(p->events, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->events = v;
		p->cap = cap;
	}
	c = &p->events[p->n];
	*c = *e;
	c->arches = aoms_arena_strdup(p->arena, e->arches ? e->arches : "");
	c->in = copy_names(p->arena, e->in, e->n_in);
	c->out = copy_names(p->arena, e->out, e->n_out);
	if (!c->arches || !c->in || !c->out)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_in; i++)
		if (index_in(p, c->in[i], p->n) < 0)
			return -ENOMEM;
	p->n++;
	return 0;
}

static bool arch_matches(const char *arches, const char *arch)
{
	size_t len = strlen(arch);

	if (!*arches)
		return true;
	for (const char *s = arches; *s;) {
		size_t n = strcspn(s, ",");

		if (n == len && strncmp(s, arch, len) == 0)
			return true;
		s += n + (s[n] == ',');
	}
	return false;
}

static bool all_installed(const struct aoms_pes_event *e, const struct aoms_strmap *inst)
{
	for (size_t i = 0; i < e->n_in; i++)
		if (!aoms_strmap_get(inst, e->in[i]))
			return false;
	return true;
}

static bool better(const struct aoms_pes_event *a, const struct aoms_pes_event *b)
{
	if (a->site != b->site)
		return a->site;
	if (a->to_major != b->to_major)
		return a->to_major > b->to_major;
	if (a->to_minor != b->to_minor)
		return a->to_minor > b->to_minor;
	return a->id > b->id;
}

static unsigned rel(unsigned major, unsigned minor)
{
	return major * 1000 + minor;
}

int aoms_pes_map(const struct aoms_pes *p, const char *const *installed, size_t n,
		 const char *arch, unsigned src_major, unsigned src_minor,
		 unsigned tgt_major, unsigned tgt_minor, aoms_pes_map_fn fn, void *ud)
{
	_cleanup_(aoms_strmap_release) struct aoms_strmap inst = AOMS_STRMAP_INIT;
	unsigned src = rel(src_major, src_minor), tgt = rel(tgt_major, tgt_minor);

	for (size_t i = 0; i < n; i++)
		if (aoms_strmap_put(&inst, installed[i], (void *)installed[i]) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct pes_list *l = aoms_strmap_get(&p->by_in, installed[i]);
		const struct aoms_pes_event *best = NULL;
		int r;

		for (size_t j = 0; l && j < l->n; j++) {
			const struct aoms_pes_event *e = &p->events[l->idx[j]];
			unsigned at = rel(e->to_major, e->to_minor);
			bool any = e->action == AOMS_PES_MERGED || e->action == AOMS_PES_PRESENT ||
				   e->action == AOMS_PES_DEPRECATED;

			if (at <= src || at > tgt || !arch_matches(e->arches, arch))
				continue;
			if (!any && !all_installed(e, &inst))
				continue;
			if (!best || better(e, best))
				best = e;
		}
		if ((r = fn(installed[i], best, ud)) != 0)
			return r;
	}
	return 0;
}
