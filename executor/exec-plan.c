/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading the plan `aoms plan` wrote (docs/plan-schema.md) for the executor: the host
 * entry for this root and its transaction. A plan is input someone could have edited:
 * every member is type-checked, and an entry whose decision contradicts its blocking
 * list is refused.
 */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>
#include "exec-private.h"
#include "planner.h"
#include "strbuf.h"

#define PLAN_MAX_BYTES (64u << 20)

static const char *member_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static struct json_object *member(struct json_object *o, const char *key, json_type type)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, type) ? v : NULL;
}

/* Strings of array key of o into l; -EBADMSG when not an array of strings. */
static int strings(struct json_object *o, const char *key, struct exec_strv *l)
{
	struct json_object *a = member(o, key, json_type_array);

	if (!a)
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *s = json_object_array_get_idx(a, i);

		if (!json_object_is_type(s, json_type_string) || !*json_object_get_string(s))
			return -EBADMSG;
		if (exec_strv_add(l, json_object_get_string(s)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int dup_str(struct json_object *o, const char *key, char **ret)
{
	const char *s = member_str(o, key);

	if (!s)
		return -EBADMSG;
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}

static bool is_sha256(const char *c)
{
	return c && strncmp(c, "sha256:", 7) == 0 && strlen(c) == 7 + 64 &&
	       strspn(c + 7, "0123456789abcdef") == 64;
}

/* "repos" (1.4): [{id, path, repomd, revision}...], ids unique. */
static int read_repos(struct json_object *a, struct exec_plan *p)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		const char *id = member_str(e, "id"), *sum = member_str(e, "repomd"),
			   *rev = member_str(e, "revision"), *path = member_str(e, "path");

		if (!id || !*id || !is_sha256(sum) || !rev || !path || exec_strv_find(&p->r_repo_id, id) >= 0)
			return -EBADMSG;
		if (exec_strv_add(&p->r_repo_id, id) < 0 || exec_strv_add(&p->r_repo_sum, sum + 7) < 0 ||
		    exec_strv_add(&p->r_repo_rev, rev) < 0 || exec_strv_add(&p->r_repo_path, path) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* "resolved": {"repos": [...], "erase": [NEVRA...], "install": [{nevra, location,
 * checksum, repo}...]}; before 1.4 neither "repos" nor "repo" (the first --repo). */
static int read_resolved(struct json_object *res, struct exec_plan *p)
{
	struct json_object *inst = member(res, "install", json_type_array), *repos, *v;
	int r;

	if (!inst || (r = strings(res, "erase", &p->r_erase)) < 0)
		return -EBADMSG;
	if ((repos = member(res, "repos", json_type_array)) && (r = read_repos(repos, p)) < 0)
		return r;
	if (!repos && json_object_object_get_ex(res, "repos", &v))
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(inst); i++) {
		struct json_object *e = json_object_array_get_idx(inst, i);
		const char *n = member_str(e, "nevra"), *l = member_str(e, "location"),
			   *c = member_str(e, "checksum"), *from = member_str(e, "repo");

		if (!n || !l || !c || !is_sha256(c) || !*l || l[0] == '/' || strstr(l, ".."))
			return -EBADMSG;
		/* a plan that names repositories names one of them for each package */
		if (repos ? !from || exec_strv_find(&p->r_repo_id, from) < 0 :
			    json_object_object_get_ex(e, "repo", &v))
			return -EBADMSG;
		if (exec_strv_add(&p->r_install, n) < 0 || exec_strv_add(&p->r_location, l) < 0 ||
		    exec_strv_add(&p->r_checksum, c + 7) < 0 || exec_strv_add(&p->r_from, from ? from : "") < 0)
			return -ENOMEM;
	}
	p->resolved = true;
	return 0;
}

static int read_transaction(struct json_object *t, struct exec_plan *p)
{
	struct json_object *swaps = member(t, "swap", json_type_array), *ds, *res;
	int r;

	if (!swaps || !(ds = member(t, "distro_sync", json_type_boolean)) ||
	    (r = dup_str(t, "method", &p->method)) < 0 || (r = strings(t, "erase", &p->erase)) < 0 ||
	    (r = strings(t, "install", &p->install)) < 0)
		return -EBADMSG;
	p->distro_sync = json_object_get_boolean(ds);
	for (size_t i = 0; i < json_object_array_length(swaps); i++) {
		struct json_object *s = json_object_array_get_idx(swaps, i);
		const char *from = member_str(s, "from"), *to = member_str(s, "to");

		if (!from || !to || !*from || !*to)
			return -EBADMSG;
		if (exec_strv_add(&p->swap_from, from) < 0 || exec_strv_add(&p->swap_to, to) < 0)
			return -ENOMEM;
	}
	res = member(t, "resolved", json_type_object);
	return res ? read_resolved(res, p) : 0;
}

static int read_host(struct json_object *h, struct exec_plan *p, char **reason)
{
	struct json_object *t = member(h, "transaction", json_type_object), *fp, *blocking;
	int r;

	if (!t || !(fp = member(h, "fingerprint", json_type_object)) ||
	    !(blocking = member(h, "blocking", json_type_array)) ||
	    (r = dup_str(h, "decision", &p->decision)) < 0 ||
	    (r = dup_str(fp, "packages", &p->fp_packages)) < 0 ||
	    (r = dup_str(fp, "packages_fingerprint", &p->fp_fingerprint)) < 0 ||
	    (r = dup_str(fp, "database", &p->fp_database)) < 0 ||
	    (r = dup_str(fp, "aoms_version", &p->fp_aoms)) < 0)
		return exec_fail(reason, -EBADMSG, "host '%s' of the plan lacks its transaction, "
				 "blocking list, decision or fingerprint", p->host);
	p->n_blocking = json_object_array_length(blocking);
	if (strcmp(p->decision, "proceed") != 0 && strcmp(p->decision, "block") != 0)
		return exec_fail(reason, -EBADMSG, "host '%s': unknown decision '%s'", p->host,
				 p->decision);
	/* aoms plan never writes "proceed" next to blocking items: an edit */
	if (strcmp(p->decision, "proceed") == 0 && p->n_blocking)
		return exec_fail(reason, -EBADMSG, "host '%s' proceeds but lists %zu blocking "
				 "items: the plan was edited by hand", p->host, p->n_blocking);
	r = read_transaction(t, p);
	if (r == -EBADMSG)
		return exec_fail(reason, r, "host '%s': malformed transaction", p->host);
	return r;
}

/* The host entry: by name, else by fingerprint (of several, the one named
 * root_host). */
static int pick_host(struct json_object *hosts, const char *want, const char *root_host,
		     const char *fingerprint, struct json_object **ret, char **reason)
{
	size_t n = json_object_array_length(hosts), matches = 0;
	struct json_object *named = NULL;

	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hosts, i), *fp;
		const char *name = member_str(h, "host"), *f;

		if (!name)
			return exec_fail(reason, -EBADMSG, "hosts[%zu] has no name", i);
		if (want) {
			if (strcmp(name, want) == 0) {
				*ret = h;
				return 0;
			}
			continue;
		}
		fp = member(h, "fingerprint", json_type_object);
		f = fp ? member_str(fp, "packages_fingerprint") : NULL;
		if (f && strcmp(f, fingerprint) == 0) {
			*ret = h;
			matches++;
			if (root_host && strcmp(name, root_host) == 0)
				named = h;
		}
	}
	if (!want && matches > 1 && named) {
		*ret = named;
		return 0;
	}
	if (want)
		return exec_fail(reason, -ENOENT, "the plan has no host '%s'", want);
	if (matches > 1)
		return exec_fail(reason, -ESTALE, "%zu hosts of the plan match this root's packages "
				 "(fingerprint %s): name one with --host", matches, fingerprint);
	if (!matches)
		return exec_fail(reason, -ESTALE, "no host of the plan matches this root (installed "
				 "packages fingerprint %s): the plan is stale or for another root",
				 fingerprint);
	return 0;
}

int exec_plan_read(const char *path, const char *want_host, const char *root_host,
		   const char *fingerprint, struct exec_plan *ret, char **reason)
{
	struct exec_plan p = { 0 };
	struct json_tokener *tok = NULL;
	struct json_object *doc = NULL, *hosts, *h = NULL, *tool;
	FILE *f = fopen(path, "re");
	const char *v;
	int r;

	if (!f)
		return exec_fail(reason, -errno, "cannot open plan '%s': %s", path, strerror(errno));
	{
		struct aoms_strbuf sb = AOMS_STRBUF_INIT;
		char buf[65536];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len <= PLAN_MAX_BYTES)
			if (aoms_strbuf_add(&sb, buf, n) < 0)
				break;
		fclose(f);
		p.text_len = sb.len;
		p.text = aoms_strbuf_detach(&sb);
	}
	if (!p.text || p.text_len > PLAN_MAX_BYTES) {
		r = exec_fail(reason, p.text ? -EFBIG : -ENOMEM, "cannot read plan '%s'", path);
		goto out;
	}
	tok = json_tokener_new();
	doc = tok ? json_tokener_parse_ex(tok, p.text, (int)p.text_len) : NULL;
	if (!doc || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(doc, json_type_object)) {
		r = exec_fail(reason, -EBADMSG, "'%s' is not a JSON plan", path);
		goto out;
	}
	v = member_str(doc, "schema_version");
	tool = member(doc, "tool", json_type_object);
	if (!v || strncmp(v, "1.", 2) != 0 || !tool || !member_str(tool, "name") ||
	    strcmp(member_str(tool, "name"), "aoms") != 0 ||
	    !(hosts = member(doc, "hosts", json_type_array))) {
		r = exec_fail(reason, -EBADMSG, "'%s' is not an aoms plan of schema 1.x", path);
		goto out;
	}
	r = pick_host(hosts, want_host, root_host, fingerprint, &h, reason);
	if (r == 0 && !(p.host = strdup(member_str(h, "host"))))
		r = -ENOMEM;
	if (r == 0)
		r = read_host(h, &p, reason);
	if (r == 0) {
		const char *want = member_str(h, "digest");
		char got[AOMS_PLAN_DIGEST_MAX];

		if (!want)
			p.digest = -ENOKEY;
		else if ((r = aoms_plan_host_digest(h, got)) == 0)
			p.digest = strcmp(want, got) == 0 ? 0 : -EBADMSG;
	}
out:
	json_object_put(doc);
	if (tok)
		json_tokener_free(tok);
	if (r < 0) {
		exec_plan_release(&p);
		return r;
	}
	*ret = p;
	return 0;
}

void exec_plan_release(struct exec_plan *p)
{
	free(p->host);
	free(p->decision);
	free(p->method);
	free(p->fp_packages);
	free(p->fp_fingerprint);
	free(p->fp_database);
	free(p->fp_aoms);
	free(p->text);
	exec_strv_release(&p->erase);
	exec_strv_release(&p->install);
	exec_strv_release(&p->swap_from);
	exec_strv_release(&p->swap_to);
	exec_strv_release(&p->r_erase);
	exec_strv_release(&p->r_install);
	exec_strv_release(&p->r_location);
	exec_strv_release(&p->r_checksum);
	exec_strv_release(&p->r_from);
	exec_strv_release(&p->r_repo_id);
	exec_strv_release(&p->r_repo_sum);
	exec_strv_release(&p->r_repo_rev);
	exec_strv_release(&p->r_repo_path);
	*p = (struct exec_plan){ 0 };
}
