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
	if (leapp)
		act(a, "%zu hosts upgrade 7 -> 8 the Leapp way: install leapp and its data from the "
		    "Anolis migration repository", leapp);
	if (sync)
		act(a, "%zu hosts migrate 8 -> 8: release swap, then dnf distro-sync", sync);
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
	a = step(steps, 5, "batch migration");
	for (unsigned w = 2; w <= p->n_waves; w++) {
		size_t n = 0;

		for (size_t i = 0; i < p->n; i++)
			n += p->hosts[i].wave == w;
		act(a, "wave %u: %zu hosts, after wave %u verified; rollback point: the snapshot "
		    "before the wave", w, n, w - 1);
	}
	a = step(steps, 6, "cut-over");
	act(a, "return the migrated hosts to service, remove the source repositories, archive "
	    "the reports and this plan");
	return steps;
}
