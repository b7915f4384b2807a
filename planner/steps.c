/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
/* The six steps of the migration with the actions the hosts' plans call for. */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan-private.h"
#include "strbuf.h"

static void act(struct json_object *a, const char *fmt, ...) _printf_(2, 3);
static void act(struct json_object *a, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0) {
		json_object_array_add(a, json_object_new_string(s));
		free(s);
	}
	va_end(ap);
}

/* The repositories the transactions were solved against (--repo): aoms apply finds each
 * by its repomd.xml, so a mirror regenerated before the last wave needs a new plan. */
static void mirror_repos(struct json_object *a, const struct aoms_plan *p)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;

	for (size_t i = 0; p->repo && i < aoms_solve_repo_n_sources(p->repo); i++) {
		const struct aoms_solve_source *src = aoms_solve_repo_source(p->repo, i);

		aoms_strbuf_addf(&sb, "%s%s (%.19s...)", i ? ", " : "", src->id, src->repomd);
	}
	if (sb.len)
		act(a, "keep the repositories the transactions were solved against unchanged until "
		    "the last wave (aoms apply finds each by its repomd.xml; one regenerated needs "
		    "a new plan): %s", aoms_strbuf_str(&sb));
	aoms_strbuf_release(&sb);
}

static struct json_object *step(struct json_object *steps, int n, const char *name)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "step", json_object_new_int(n));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "actions", a);
	json_object_array_add(steps, o);
	return a;
}

static const struct plan_host *canary(const struct aoms_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->hosts[i].wave == 1)
			return &p->hosts[i];
	return NULL;
}

/* Whether h enables stream. */
static bool host_enables(const struct plan_host *h, const char *stream)
{
	char name[512];

	for (size_t i = 0; i < h->streams.n; i++)
		if (strcmp(plan_stream_name(h->streams.v[i], name, sizeof(name)), stream) == 0)
			return true;
	return false;
}

/* Whether stream was said already for a host before index i among those of wave w
 * (w 0: every host). */
static bool stream_seen(const struct aoms_plan *p, size_t i, unsigned w, const char *stream)
{
	for (size_t k = 0; k < i; k++)
		if ((!w || p->hosts[k].wave == w) && host_enables(&p->hosts[k], stream))
			return true;
	return false;
}

/* Each module stream the hosts of wave w (0: all hosts) enable, once: fn(a, p, w,
 * stream). */
static void each_stream(struct json_object *a, const struct aoms_plan *p, unsigned w,
			void (*fn)(struct json_object *, const struct aoms_plan *, unsigned,
				   const char *))
{
	char name[512];

	for (size_t i = 0; i < p->n; i++) {
		if (w && p->hosts[i].wave != w)
			continue;
		for (size_t j = 0; j < p->hosts[i].streams.n; j++) {
			plan_stream_name(p->hosts[i].streams.v[j], name, sizeof(name));
			if (!stream_seen(p, i, w, name))
				fn(a, p, w, name);
		}
	}
}

/* Whether host i is of wave w (0: any), enables stream and is of method (NULL: any). */
static bool stream_host(const struct aoms_plan *p, size_t i, unsigned w, const char *stream,
			const char *method)
{
	return (!w || p->hosts[i].wave == w) && host_enables(&p->hosts[i], stream) &&
	       (!method || strcmp(p->hosts[i].method, method) == 0);
}

/* "h1, h2" of the hosts of wave w (0: all) enabling stream, of method (NULL: any). */
static char *stream_hosts(const struct aoms_plan *p, unsigned w, const char *stream,
			  const char *method, size_t *n)
{
	struct aoms_strbuf sb = { 0 };

	*n = 0;
	for (size_t i = 0; i < p->n; i++)
		if (stream_host(p, i, w, stream, method))
			if (((*n)++ && aoms_strbuf_adds(&sb, ", ") < 0) ||
			    aoms_strbuf_adds(&sb, p->hosts[i].name) < 0) {
				aoms_strbuf_release(&sb);
				return NULL;
			}
	return sb.buf ? sb.buf : strdup("");
}

static void mirror_stream(struct json_object *a, const struct aoms_plan *p, unsigned w,
			  const char *stream)
{
	size_t n = 0;

	/* the number only: no list of the hosts */
	for (size_t i = 0; i < p->n; i++)
		n += stream_host(p, i, w, stream, NULL);
	act(a, "mirror module stream %s with the repositories (their repodata's modules.yaml): "
	    "%zu hosts enable it", stream, n);
}

static void enable_stream(struct json_object *a, const struct aoms_plan *p, unsigned w,
			  const char *stream)
{
	size_t n_sync, n_leapp;
	_cleanup_(freep) char *sync = stream_hosts(p, w, stream, "distro-sync", &n_sync);
	_cleanup_(freep) char *leapp = stream_hosts(p, w, stream, "leapp-upgrade", &n_leapp);
	char wave[32];

	snprintf(wave, sizeof(wave), w == 1 ? "canary" : "wave %u", w);
	/* an EL7 host has no dnf modules: Leapp enables the streams its PES data names */
	if (n_sync)
		act(a, "%s: dnf module enable %s on %s before the distro-sync", wave, stream, sync);
	if (n_leapp)
		act(a, "%s: the Leapp upgrade of %s enables %s once the --mapping events are in "
		    "its /etc/leapp/files/pes-events.json", wave, leapp, stream);
}

struct json_object *plan_steps_json(const struct aoms_plan *p)
{
	struct json_object *steps = json_object_new_array(), *a;
	const struct plan_host *c = canary(p);
	size_t blocked = 0, leapp = 0, sync = 0;

	for (size_t i = 0; i < p->n; i++) {
		blocked += p->hosts[i].blocked;
		leapp += strcmp(p->hosts[i].method, "leapp-upgrade") == 0;
		sync += strcmp(p->hosts[i].method, "distro-sync") == 0;
	}
	a = step(steps, 1, "plan");
	act(a, "%zu hosts assessed: %zu proceed, %zu blocked", p->n, p->n - blocked, blocked);
	for (size_t i = 0; i < p->n; i++)
		if (p->hosts[i].blocked)
			act(a, "%s: resolve or waive %zu blocking items, assess again", p->hosts[i].name,
			    p->hosts[i].blocking.n);
	a = step(steps, 2, "infrastructure preparation");
	act(a, "mirror the Anolis OS 8 repositories (BaseOS, AppStream) the transactions install from");
	mirror_repos(a, p);
	if (leapp)
		act(a, "%zu hosts upgrade 7 -> 8 the Leapp way: install leapp and its data from the "
		    "Anolis migration repository", leapp);
	if (sync)
		act(a, "%zu hosts migrate 8 -> 8: release swap, then dnf distro-sync", sync);
	each_stream(a, p, 0, mirror_stream);
	act(a, "back up every host before its wave (a snapshot of /, /boot and the rpmdb)");
	a = step(steps, 3, "business adaptation");
	for (size_t i = 0; i < p->n; i++)
		for (size_t j = 0; j < p->hosts[i].adapt.n; j++)
			act(a, "%s: %s", p->hosts[i].name, p->hosts[i].adapt.v[j]);
	for (size_t i = 0; i < p->n; i++)
		for (size_t j = 0; j < p->hosts[i].erase.n; j++)
			act(a, "%s: %s is erased by the upgrade: move its function", p->hosts[i].name,
			    p->hosts[i].erase.v[j]);
	a = step(steps, 4, "pilot");
	if (c)
		act(a, "migrate the canary %s (%s), verify its services and keep its rollback point",
		    c->name, c->method);
	else
		act(a, "no host can proceed: no pilot");
	each_stream(a, p, 1, enable_stream);
	a = step(steps, 5, "batch migration");
	for (unsigned w = 2; w <= p->n_waves; w++) {
		size_t n = 0;

		for (size_t i = 0; i < p->n; i++)
			n += p->hosts[i].wave == w;
		act(a, "wave %u: %zu hosts, after wave %u verified; rollback point: the snapshot "
		    "before the wave", w, n, w - 1);
		each_stream(a, p, w, enable_stream);
	}
	a = step(steps, 6, "cut-over");
	act(a, "return the migrated hosts to service, remove the source repositories, archive "
	    "the reports and this plan");
	return steps;
}
