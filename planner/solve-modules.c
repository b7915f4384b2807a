/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The target repositories' module metadata (repodata's "modules" type: modules.yaml,
 * the modulemd and modulemd-defaults documents createrepo_c's modifyrepo_c adds), merged
 * across repositories, and dnf's modular filtering over it. libsolv reads no module metadata (dnf's libdnf does this
 * with libmodulemd and then hides packages from libsolv through pool->considered, as
 * here); the YAML is read with libyaml.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "solve-private.h"   /* first: libsolv's pool.h and repo.h */
#include <solv/bitmap.h>
#include "grow.h"
#include "strbuf.h"
#ifdef HAVE_LIBYAML
#include <yaml.h>
#endif

/* Far above a real distribution's (RHEL 8 AppStream: ~700 streams, ~60,000 artifacts). */
#define MODULES_MAX_DOCS 100000
#define MODULES_MAX_ARTIFACTS (1u << 21)

void solve_modules_release(struct solve_modules *m)
{
	for (size_t i = 0; i < m->n_streams; i++)
		free(m->streams[i].name);
	for (size_t i = 0; i < m->n_artifacts; i++)
		free(m->artifacts[i]);
	free(m->streams);
	free(m->artifacts);
	free(m->of);
	aoms_strmap_release(&m->by_artifact);
	aoms_strbuf_release(&m->defaults);
	memset(m, 0, sizeof(*m));
}

/* "name-[EPOCH:]VERSION-RELEASE.ARCH" with the epoch always there (modulemd writes
 * "0:", a solvable's EVR leaves it out); NULL when a is no NEVRA or on -ENOMEM. */
static char *nevra_norm(const char *a)
{
	const char *dot = strrchr(a, '.'), *r, *v;

	if (!dot || !(r = memrchr(a, '-', (size_t)(dot - a))) || !(v = memrchr(a, '-', (size_t)(r - a))))
		return NULL;
	if (memchr(v + 1, ':', (size_t)(r - v - 1)))
		return strdup(a);
	return aoms_strdupf("%.*s0:%s", (int)(v + 1 - a), a, v + 1);
}

static bool same_module(const struct solve_module_stream *s, const char *ms)
{
	return strncmp(s->name, ms, s->module_len) == 0 && ms[s->module_len] == ':';
}

#ifdef HAVE_LIBYAML
static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *n, const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(yaml_document_get_node(d, p->key));

		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static int add_artifacts(struct solve_modules *m, yaml_document_t *d, yaml_node_t *rpms,
			 size_t stream)
{
	if (!rpms || rpms->type != YAML_SEQUENCE_NODE)
		return 0;
	for (yaml_node_item_t *it = rpms->data.sequence.items.start;
	     it < rpms->data.sequence.items.top; it++) {
		const char *a = scalar(yaml_document_get_node(d, *it));
		char *norm;

		if (!a || !(norm = nevra_norm(a)))
			continue;   /* not a NEVRA: nothing of the repository can be it */
		if (m->n_artifacts >= MODULES_MAX_ARTIFACTS ||
		    aoms_grow((void **)&m->artifacts, &m->cap_artifacts, m->n_artifacts,
			      sizeof(*m->artifacts)) < 0) {
			free(norm);
			return m->n_artifacts >= MODULES_MAX_ARTIFACTS ? -E2BIG : -ENOMEM;
		}
		m->artifacts[m->n_artifacts++] = norm;
		if (aoms_strmap_put(&m->by_artifact, norm, (void *)(uintptr_t)(stream + 1)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int add_stream(struct solve_modules *m, const char *module, const char *stream,
		      size_t *ret)
{
	struct solve_module_stream *v;

	for (size_t i = 0; i < m->n_streams; i++)
		if (strncmp(m->streams[i].name, module, m->streams[i].module_len) == 0 &&
		    strlen(module) == m->streams[i].module_len &&
		    strcmp(m->streams[i].name + m->streams[i].module_len + 1, stream) == 0) {
			*ret = i;   /* another context or version of the same stream */
			return 0;
		}
	if (aoms_grow((void **)&m->streams, &m->cap_streams, m->n_streams, sizeof(*m->streams)) < 0)
		return -ENOMEM;
	v = m->streams;
	v[m->n_streams] = (struct solve_module_stream){
		.name = aoms_strdupf("%s:%s", module, stream), .module_len = strlen(module),
	};
	if (!v[m->n_streams].name)
		return -ENOMEM;
	*ret = m->n_streams++;
	return 0;
}

/* One document: modulemd (its stream and artifacts) or modulemd-defaults (the default
 * stream, kept in defaults as "module:stream"). */
static int read_doc(struct solve_modules *m, yaml_document_t *d, const char **ret_bad)
{
	yaml_node_t *root = yaml_document_get_root_node(d), *data = map_get(d, root, "data");
	const char *kind = scalar(map_get(d, root, "document"));
	size_t idx;
	int r;

	if (kind && strcmp(kind, "modulemd-defaults") == 0) {
		const char *module = scalar(map_get(d, data, "module"));
		const char *stream = scalar(map_get(d, data, "stream"));

		if (!module) {
			*ret_bad = "a modulemd-defaults document without data.module";
			return -EBADMSG;
		}
		if (stream && !strchr(module, '\n') && !strchr(stream, '\n') &&
		    (aoms_strbuf_adds(&m->defaults, module) < 0 ||
		     aoms_strbuf_addc(&m->defaults, ':') < 0 ||
		     aoms_strbuf_adds(&m->defaults, stream) < 0 || aoms_strbuf_addc(&m->defaults, '\n') < 0))
			return -ENOMEM;
		return 0;
	}
	if (!kind || strcmp(kind, "modulemd") != 0)
		return 0;   /* modulemd-translations, obsoletes, ...: nothing for the solve */
	const char *name = scalar(map_get(d, data, "name")), *stream = scalar(map_get(d, data, "stream"));

	if (!name || !stream || !*name || !*stream || strchr(name, ':') || strchr(stream, '\n')) {
		*ret_bad = "a modulemd document without data.name and data.stream";
		return -EBADMSG;
	}
	if ((r = add_stream(m, name, stream, &idx)) < 0)
		return r;
	return add_artifacts(m, d, map_get(d, map_get(d, data, "artifacts"), "rpms"), idx);
}

/* Whether the defaults name another stream of s's module than s. */
static bool default_conflicts(const struct solve_module_stream *s, const char *defaults)
{
	for (const char *p = defaults; *p; p += strcspn(p, "\n") + 1) {
		size_t n = strcspn(p, "\n");

		if (n > s->module_len && strncmp(p, s->name, s->module_len + 1) == 0 &&
		    (strlen(s->name) != n || strncmp(s->name, p, n) != 0))
			return true;
	}
	return false;
}

/* Of every repository's defaults: a stream named default by one and contradicted by no
 * other (libmodulemd drops a default that repositories of one priority disagree on). */
static void mark_defaults(struct solve_modules *m)
{
	const char *defaults = m->defaults.len ? m->defaults.buf : "";

	for (size_t i = 0; i < m->n_streams; i++)
		m->streams[i].is_default = false;
	for (const char *p = defaults; *p; p += strcspn(p, "\n") + 1) {
		size_t n = strcspn(p, "\n");

		for (size_t i = 0; i < m->n_streams; i++)
			if (strlen(m->streams[i].name) == n && strncmp(m->streams[i].name, p, n) == 0)
				m->streams[i].is_default = !default_conflicts(&m->streams[i], defaults);
	}
}

int solve_modules_read(struct solve_modules *m, FILE *f, const char *where, char **ret_reason)
{
	yaml_parser_t parser;
	const char *bad = NULL;
	size_t docs = 0;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	m->present = true;
	while (r == 0) {
		yaml_document_t d;

		if (!yaml_parser_load(&parser, &d)) {
			if (ret_reason)
				*ret_reason = aoms_strdupf("'%s' is not YAML: %s at line %zu", where,
							   parser.problem ? parser.problem : "error",
							   (size_t)parser.problem_mark.line + 1);
			r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EBADMSG;
			break;
		}
		if (!yaml_document_get_root_node(&d)) {   /* the end of the stream */
			yaml_document_delete(&d);
			break;
		}
		r = ++docs > MODULES_MAX_DOCS ? -E2BIG : read_doc(m, &d, &bad);
		yaml_document_delete(&d);
	}
	yaml_parser_delete(&parser);
	if ((r == -EBADMSG && bad) || r == -E2BIG) {
		if (ret_reason)
			*ret_reason = aoms_strdupf("'%s': %s", where, r == -E2BIG ?
						   "more module documents or artifacts than aoms reads" : bad);
		r = -EBADMSG;
	}
	return r;
}
#else
int solve_modules_read(struct solve_modules *m, FILE *f, const char *where, char **ret_reason)
{
	(void)f;
	m->present = true;
	if (ret_reason)
		*ret_reason = aoms_strdupf("'%s': the repository has module metadata and this aoms "
					   "was built without libyaml: it cannot keep the solve to "
					   "the enabled module streams", where);
	return -ENOTSUP;
}
#endif

/* "name-EPOCH:VERSION-RELEASE.ARCH" of a solvable */
static char *solvable_norm(Pool *pool, Solvable *s)
{
	const char *evr = pool_id2str(pool, s->evr);

	return aoms_strdupf("%s-%s%s.%s", pool_id2str(pool, s->name), strchr(evr, ':') ? "" : "0:",
			    evr, pool_id2str(pool, s->arch));
}

int solve_modules_index(struct solve_modules *m, Pool *pool)
{
	size_t n = (size_t)pool->nsolvables;

	if (!m->present || m->of)
		return 0;
	mark_defaults(m);
	if (!(m->of = calloc(n + 1, sizeof(*m->of))))
		return -ENOMEM;
	m->n_of = n;
	for (Id p = 2; p < (Id)n; p++) {
		Solvable *s = pool_id2solvable(pool, p);
		_cleanup_(freep) char *norm = NULL;
		uintptr_t idx;

		if (!s->repo || s->repo == pool->installed)
			continue;
		if (!(norm = solvable_norm(pool, s)))
			return -ENOMEM;
		if ((idx = (uintptr_t)aoms_strmap_get(&m->by_artifact, norm)))
			m->of[p] = &m->streams[idx - 1];
	}
	return 0;
}

const char *solve_modules_stream_of(const struct solve_modules *m, Id p)
{
	if (!m->of || p < 0 || (size_t)p >= m->n_of || !m->of[p])
		return NULL;
	return m->of[p]->name;
}

/* Whether s is in the list, or another stream of its module is (*other). */
static bool listed(const struct solve_module_stream *s, const char *const *v, size_t n, bool *other)
{
	*other = false;
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || !same_module(s, v[i]))
			continue;
		if (strcmp(s->name, v[i]) == 0)
			return true;
		*other = true;
	}
	return false;
}

static bool stream_active(const struct solve_module_stream *s, const char *const *streams,
			  size_t n, const char *const *installed, size_t n_installed)
{
	bool other;

	/* the plan's stream of the module, else the host's, else the default */
	if (listed(s, streams, n, &other))
		return true;
	if (other)
		return false;
	if (listed(s, installed, n_installed, &other))
		return true;
	return !other && s->is_default;
}

int solve_modules_consider(const struct solve_modules *m, Pool *pool,
			   const char *const *streams, size_t n,
			   const char *const *installed, size_t n_installed)
{
	_cleanup_(freep) bool *active = NULL;
	Map names, *c;

	if (!m->present || !m->of)
		return 0;
	if (!(active = calloc(m->n_streams + 1, sizeof(*active))) || !(c = calloc(1, sizeof(*c))))
		return -ENOMEM;
	for (size_t i = 0; i < m->n_streams; i++)
		active[i] = stream_active(&m->streams[i], streams, n, installed, n_installed);
	map_init(c, pool->nsolvables);
	map_setall(c);
	map_init(&names, pool->ss.nstrings);
	/* across repositories: an active stream's package hides another repository's
	 * non-modular package of its name too, as in dnf */
	for (size_t p = 2; p < m->n_of; p++)
		if (m->of[p] && active[m->of[p] - m->streams])
			MAPSET(&names, pool->solvables[p].name);
	for (size_t p = 2; p < m->n_of; p++) {
		const struct solve_module_stream *st = m->of[p];
		Solvable *s = &pool->solvables[p];

		if (!s->repo || s->repo == pool->installed)
			continue;
		if (st ? !active[st - m->streams] : MAPTST(&names, s->name))
			MAPCLR(c, (Id)p);
	}
	map_free(&names);
	pool->considered = c;
	return 0;
}

void solve_modules_done(Pool *pool)
{
	if (!pool->considered)
		return;
	map_free(pool->considered);
	free(pool->considered);
	pool->considered = NULL;
}
