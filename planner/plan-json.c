/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan as JSON (docs/plan-schema.md). */
#include <errno.h>
#include <stdbool.h>
#include <json-c/json.h>
#include <string.h>
#include "config.h"
#include "json-string.h"
#include "plan-private.h"
#include "render.h"
#include "strbuf.h"

static struct json_object *str(const char *s)
{
	/* repository metadata and reports are not trusted to be UTF-8 */
	return aoms_json_string(s ? s : "");
}

static struct json_object *strings(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(a, str(l->v[i]));
	return a;
}

/* "KEY rule subject\ttitle" -> {key, rule, subject, title} */
static struct json_object *items(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object();
		const char *s = l->v[i], *sp1 = strchr(s, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
		const char *tab = sp2 ? strchr(sp2, '\t') : NULL;
		_cleanup_(freep) char *subject = tab ? strndup(sp2 + 1, (size_t)(tab - sp2 - 1)) : NULL;

		if (!sp1 || !sp2 || !tab || !subject) {
			json_object_put(o);
			continue;
		}
		json_object_object_add(o, "key", json_object_new_string_len(s, (int)(sp1 - s)));
		json_object_object_add(o, "rule", json_object_new_string_len(sp1 + 1, (int)(sp2 - sp1 - 1)));
		json_object_object_add(o, "subject", str(subject));
		json_object_object_add(o, "title", str(tab + 1));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *swaps(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object();
		const char *arrow = strstr(l->v[i], " -> ");

		if (!arrow)
			continue;
		json_object_object_add(o, "from", json_object_new_string_len(l->v[i], (int)(arrow - l->v[i])));
		json_object_object_add(o, "to", str(arrow + 4));
		json_object_array_add(a, o);
	}
	return a;
}

/* transaction.module_streams: the streams to enable before the transaction, with the
 * packages that come from each and the command. */
static struct json_object *streams_json(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object(), *pkgs = json_object_new_array(),
				   *cmd = json_object_new_array();
		char name[512];
		const char *tab = strchr(l->v[i], '\t');
		_cleanup_(freep) char *list = strdup(tab ? tab + 1 : "");
		char *save = NULL;

		plan_stream_name(l->v[i], name, sizeof(name));
		for (char *tok = list ? strtok_r(list, " ", &save) : NULL; tok; tok = strtok_r(NULL, " ", &save))
			json_object_array_add(pkgs, str(tok));
		json_object_array_add(cmd, str("dnf"));
		json_object_array_add(cmd, str("module"));
		json_object_array_add(cmd, str("enable"));
		json_object_array_add(cmd, str(name));
		json_object_object_add(o, "module_stream", str(name));
		json_object_object_add(o, "packages", pkgs);
		json_object_object_add(o, "command", cmd);
		json_object_array_add(a, o);
	}
	return a;
}

/* resolved.repos (1.4): each repository solved against, as the executor finds it again. */
static struct json_object *repos_json(const struct aoms_solve_repo *repo)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < aoms_solve_repo_n_sources(repo); i++) {
		const struct aoms_solve_source *s = aoms_solve_repo_source(repo, i);
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", str(s->id));
		json_object_object_add(o, "path", str(s->dir));
		json_object_object_add(o, "repomd", str(s->repomd));
		json_object_object_add(o, "revision", str(s->revision));
		json_object_array_add(a, o);
	}
	return a;
}

/* transaction.resolved: the solved transaction (solve.h) the executor applies. */
static struct json_object *resolved_json(const struct plan_host *h, const struct aoms_plan *p)
{
	struct json_object *o = json_object_new_object(), *erase = json_object_new_array(),
			   *install = json_object_new_array();

	for (size_t i = 0; i < h->solved.n_erase; i++)
		json_object_array_add(erase, str(h->solved.erase[i]));
	for (size_t i = 0; i < h->solved.n_install; i++) {
		const struct aoms_solve_pkg *k = &h->solved.install[i];
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "nevra", str(k->nevra));
		json_object_object_add(e, "location", str(k->location));
		json_object_object_add(e, "checksum", str(k->checksum));
		json_object_object_add(e, "repo", str(k->repo));
		if (k->module_stream)
			json_object_object_add(e, "module_stream", str(k->module_stream));
		json_object_array_add(install, e);
	}
	json_object_object_add(o, "repo", str(p->repo_dir));
	json_object_object_add(o, "repos", repos_json(p->repo));
	json_object_object_add(o, "erase", erase);
	json_object_object_add(o, "install", install);
	return o;
}

static struct json_object *host_json(const struct plan_host *h, const struct aoms_plan *p)
{
	struct json_object *o = json_object_new_object(), *t, *fp, *src;
	char digest[AOMS_PLAN_DIGEST_MAX];

	json_object_object_add(o, "host", str(h->name));
	if (*plan_host_role(h))
		json_object_object_add(o, "role", str(plan_host_role(h)));
	json_object_object_add(o, "report", str(h->source));
	json_object_object_add(o, "decision", str(h->blocked ? "block" : "proceed"));
	src = json_object_new_object();
	json_object_object_add(src, "id", str(plan_host_meta(h, PLAN_META_SOURCE)));
	json_object_object_add(src, "name", str(plan_host_meta(h, PLAN_META_SOURCE_NAME)));
	json_object_object_add(src, "version", str(plan_host_meta(h, PLAN_META_SOURCE_VERSION)));
	json_object_object_add(src, "arch", str(plan_host_meta(h, PLAN_META_SOURCE_ARCH)));
	json_object_object_add(o, "source", src);
	json_object_object_add(o, "migration_path", str(plan_host_meta(h, PLAN_META_MIGRATION_PATH)));
	json_object_object_add(o, "risk", json_object_new_int((int)h->risk));
	json_object_object_add(o, "wave", json_object_new_int((int)h->wave));
	json_object_object_add(o, "blocking", items(&h->blocking));
	json_object_object_add(o, "waived", strings(&h->waived));
	json_object_object_add(o, "waivers_expired", items(&h->expired));
	t = json_object_new_object();
	json_object_object_add(t, "method", str(h->method));
	if (h->streams.n)
		json_object_object_add(t, "module_streams", streams_json(&h->streams));
	json_object_object_add(t, "swap", swaps(&h->swap));
	json_object_object_add(t, "erase", strings(&h->erase));
	json_object_object_add(t, "install", strings(&h->install));
	json_object_object_add(t, "distro_sync", json_object_new_boolean(strcmp(h->method, "distro-sync") == 0));
	if (h->resolved && !h->solved.n_problems)
		json_object_object_add(t, "resolved", resolved_json(h, p));
	json_object_object_add(o, "transaction", t);
	json_object_object_add(o, "adaptation", strings(&h->adapt));
	fp = json_object_new_object();
	json_object_object_add(fp, "packages", str(plan_host_meta(h, PLAN_META_PACKAGES)));
	json_object_object_add(fp, "packages_fingerprint", str(plan_host_meta(h, PLAN_META_PACKAGES_FINGERPRINT)));
	json_object_object_add(fp, "database", str(plan_host_meta(h, PLAN_META_DATABASE)));
	json_object_object_add(fp, "aoms_version", str(h->tool_version));
	json_object_object_add(o, "fingerprint", fp);
	/* last: aoms apply refuses an entry edited since */
	if (aoms_plan_host_digest(o, digest) == 0)
		json_object_object_add(o, "digest", str(digest));
	return o;
}

static struct json_object *waves_json(const struct aoms_plan *p)
{
	struct json_object *a = json_object_new_array();

	for (unsigned w = 1; w <= p->n_waves; w++) {
		struct json_object *o = json_object_new_object(), *hosts = json_object_new_array();

		for (size_t i = 0; i < p->n; i++)
			if (p->hosts[i].wave == w)
				json_object_array_add(hosts, str(p->hosts[i].name));
		json_object_object_add(o, "wave", json_object_new_int((int)w));
		json_object_object_add(o, "name", str(w == 1 ? "canary" : "batch"));
		json_object_object_add(o, "hosts", hosts);
		json_object_object_add(o, "verify", str("services up, aoms assess on the migrated "
							"host finds no new blocker, application checks pass"));
		json_object_object_add(o, "rollback_point", str("the snapshot taken before the wave "
								"(aoms rollback --root)"));
		json_object_array_add(a, o);
	}
	return a;
}


/* One top-level member "key": val (taken). */
static int put_member(FILE *out, const char *key, struct json_object *val, bool last)
{
	fprintf(out, "  \"%s\": ", key);
	return aoms_render_json_put(out, val, 2, last ? "\n" : ",\n", AOMS_JSON_FLAGS);
}

/* The document a host at a time: a thousand hosts' resolved transactions as one json-c
 * tree cost gigabytes (an object is a hash table). */
int plan_render_json(const struct aoms_plan *p, FILE *out)
{
	struct json_object *tool = json_object_new_object(), *sum = json_object_new_object();
	size_t blocked = 0;
	int r;

	for (size_t i = 0; i < p->n; i++)
		blocked += p->hosts[i].blocked;
	json_object_object_add(tool, "name", str("aoms"));
	json_object_object_add(tool, "version", str(AOMS_VERSION));
	json_object_object_add(sum, "hosts", json_object_new_int((int)p->n));
	json_object_object_add(sum, "proceed", json_object_new_int((int)(p->n - blocked)));
	json_object_object_add(sum, "blocked", json_object_new_int((int)blocked));
	json_object_object_add(sum, "waves", json_object_new_int((int)p->n_waves));
	fputs("{\n", out);
	if ((r = put_member(out, "schema_version", str(AOMS_PLAN_SCHEMA_VERSION), false)) < 0 ||
	    (r = put_member(out, "tool", tool, false)) < 0 ||
	    (r = put_member(out, "decision", str(aoms_plan_proceeds(p) ? "proceed" : "block"),
			    false)) < 0 ||
	    (r = put_member(out, "summary", sum, false)) < 0)
		return r;
	fputs(p->n ? "  \"hosts\": [\n" : "  \"hosts\": [],\n", out);
	for (size_t i = 0; i < p->n; i++) {
		fputs("    ", out);
		if ((r = aoms_render_json_put(out, host_json(&p->hosts[i], p), 4,
					      i + 1 < p->n ? ",\n" : "\n", AOMS_JSON_FLAGS)) < 0)
			return r;
	}
	if (p->n)
		fputs("  ],\n", out);
	if ((r = put_member(out, "waves", waves_json(p), false)) < 0 ||
	    (r = put_member(out, "steps", plan_steps_json(p), true)) < 0)
		return r;
	fputs("}\n", out);
	return 0;
}
