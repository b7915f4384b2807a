/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "pes.h"
#include "strbuf.h"
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

void aoms_pes_name_split(const char *s, char *name, size_t n, char *stream, size_t ns)
{
	size_t len = strcspn(s, ":@"), slen = 0;
	const char *ms = s[len] == ':' ? s + len + 1 : NULL;

	if (ms)
		slen = strcspn(ms, "@");
	if (n)
		snprintf(name, n, "%.*s", (int)len, s);
	if (ns)
		snprintf(stream, ns, "%.*s", (int)slen, ms ? ms : "");
}

bool aoms_pes_stream_part_valid(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 255)
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c == ':' || *c == '@' || *c <= ' ' || *c == 0x7f)
			return false;
	return true;
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

/* "module:stream" with both parts valid */
static bool stream_valid(const char *ms)
{
	const char *colon = ms ? strchr(ms, ':') : NULL;
	char module[256];

	if (!colon || (size_t)(colon - ms) >= sizeof(module))
		return false;
	snprintf(module, sizeof(module), "%.*s", (int)(colon - ms), ms);
	return aoms_pes_stream_part_valid(module) && aoms_pes_stream_part_valid(colon + 1);
}

static bool same_stream(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* The stream of k's list (NULL: non-modular) that is in set[0..n), or none (false). */
static bool pkg_stream_in(const struct aoms_pes_pkg *k, const char *const *set, size_t n,
			  const char **ret)
{
	size_t m = k->n_streams ? k->n_streams : 1;

	for (size_t i = 0; i < m; i++) {
		const char *ms = k->n_streams ? k->streams[i] : NULL;

		for (size_t j = 0; j < n; j++)
			if (same_stream(ms, set[j])) {
				*ret = ms;
				return true;
			}
	}
	return false;
}

/* Adds s to set[0..*n) unless there. */
static void set_add(const char **set, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (same_stream(set[i], s))
			return;
	set[(*n)++] = s;
}

/* "name[:stream][@repo]" in a */
static const char *expanded_name(struct aoms_arena *a, const struct aoms_pes_pkg *k,
				 const char *ms, bool with_repo)
{
	_cleanup_(freep) char *s = aoms_strdupf("%s%s%s%s%s", k->name, ms ? ":" : "", ms ? ms : "",
						with_repo && k->repo ? "@" : "",
						with_repo && k->repo ? k->repo : "");

	return s ? aoms_arena_strdup(a, s) : NULL;
}

/* The event of in-stream ms: outs[0..n_outs) the streams it maps to. */
static int add_for_stream(struct aoms_pes *p, struct aoms_arena *a,
			  const struct aoms_pes_event *tmpl, const char *ms,
			  const struct aoms_pes_pkg *in, size_t n_in,
			  const struct aoms_pes_pkg *out, size_t n_out,
			  const char *const *outs, size_t n_outs)
{
	struct aoms_pes_event e = *tmpl;
	const char **vin = aoms_arena_alloc(a, (n_in + 1) * sizeof(*vin));
	const char **vout = aoms_arena_alloc(a, (n_out + 1) * sizeof(*vout));
	const char *got;

	if (!vin || !vout)
		return -ENOMEM;
	e.in = vin;
	e.out = vout;
	e.n_in = e.n_out = 0;
	for (size_t i = 0; i < n_in; i++)
		if (pkg_stream_in(&in[i], &ms, 1, &got) &&
		    !(vin[e.n_in++] = expanded_name(a, &in[i], ms, false)))
			return -ENOMEM;
	for (size_t i = 0; i < n_out; i++)
		if (pkg_stream_in(&out[i], outs, n_outs, &got) &&
		    !(vout[e.n_out++] = expanded_name(a, &out[i], got, true)))
			return -ENOMEM;
	if (e.n_in == 0)
		return 0;
	return aoms_pes_add(p, &e) < 0 ? -ENOMEM : 1;
}

static int add_expanded(struct aoms_pes *p, struct aoms_arena *a,
			const struct aoms_pes_event *tmpl,
			const struct aoms_pes_pkg *in, size_t n_in,
			const struct aoms_pes_pkg *out, size_t n_out,
			const struct aoms_pes_stream_map *maps, size_t n_maps)
{
	size_t n_ins = 0, max = n_maps;
	const char **ins, **outs;
	int added = 0, r;

	for (size_t i = 0; i < n_in; i++)
		max += in[i].n_streams ? in[i].n_streams : 1;
	ins = aoms_arena_alloc(a, (max + 1) * sizeof(*ins));
	outs = aoms_arena_alloc(a, (n_maps + 1) * sizeof(*outs));
	if (!ins || !outs)
		return -ENOMEM;
	for (size_t i = 0; i < n_maps; i++)
		set_add(ins, &n_ins, maps[i].in);
	for (size_t i = 0; n_maps == 0 && i < n_in; i++)
		for (size_t k = 0; k < (in[i].n_streams ? in[i].n_streams : 1); k++)
			set_add(ins, &n_ins, in[i].n_streams ? in[i].streams[k] : NULL);
	for (size_t s = 0; s < n_ins; s++) {
		size_t n_outs = 0;

		for (size_t i = 0; i < n_maps; i++)
			if (same_stream(maps[i].in, ins[s]))
				set_add(outs, &n_outs, maps[i].out);
		if (n_maps == 0)
			outs[n_outs++] = NULL;   /* no map: everything to non-modular */
		if ((r = add_for_stream(p, a, tmpl, ins[s], in, n_in, out, n_out, outs, n_outs)) < 0)
			return r;
		added += r;
	}
	return added;
}

int aoms_pes_add_expanded(struct aoms_pes *p, const struct aoms_pes_event *tmpl,
			  const struct aoms_pes_pkg *in, size_t n_in,
			  const struct aoms_pes_pkg *out, size_t n_out,
			  const struct aoms_pes_stream_map *maps, size_t n_maps)
{
	struct aoms_arena *a = NULL;
	int r;

	if ((unsigned)tmpl->action >= _AOMS_PES_ACTION_MAX || n_in == 0)
		return -EINVAL;
	for (size_t i = 0; i < n_maps; i++)
		if ((maps[i].in && !stream_valid(maps[i].in)) || (maps[i].out && !stream_valid(maps[i].out)))
			return -EINVAL;
	for (size_t i = 0; i < n_in + n_out; i++) {
		const struct aoms_pes_pkg *k = i < n_in ? &in[i] : &out[i - n_in];

		for (size_t j = 0; j < k->n_streams; j++)
			if (k->streams[j] && !stream_valid(k->streams[j]))
				return -EINVAL;
	}
	if (aoms_arena_new(&a) < 0)
		return -ENOMEM;
	r = add_expanded(p, a, tmpl, in, n_in, out, n_out, maps, n_maps);
	aoms_arena_free(a);
	return r;
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

static int pes_map(const struct aoms_pes *p, const char *const *installed, size_t n,
		   const char *arch, unsigned src_major, unsigned src_minor,
		   unsigned tgt_major, unsigned tgt_minor, bool site_only,
		   aoms_pes_map_fn fn, void *ud)
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

			if (at <= src || at > tgt || !arch_matches(e->arches, arch) ||
			    (site_only && !e->site))
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

int aoms_pes_map(const struct aoms_pes *p, const char *const *installed, size_t n,
		 const char *arch, unsigned src_major, unsigned src_minor,
		 unsigned tgt_major, unsigned tgt_minor, aoms_pes_map_fn fn, void *ud)
{
	return pes_map(p, installed, n, arch, src_major, src_minor, tgt_major, tgt_minor,
		       false, fn, ud);
}

int aoms_pes_map_site(const struct aoms_pes *p, const char *const *installed, size_t n,
		      const char *arch, unsigned src_major, unsigned src_minor,
		      unsigned tgt_major, unsigned tgt_minor, aoms_pes_map_fn fn, void *ud)
{
	return pes_map(p, installed, n, arch, src_major, src_minor, tgt_major, tgt_minor,
		       true, fn, ud);
}
