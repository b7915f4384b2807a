/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hosts, their decisions and package transactions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "installed.h"
#include "plan-private.h"
#include "strbuf.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int plan_list_add(struct plan_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(s)))
		return -ENOMEM;
	l->n++;
	qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	return 0;
}

void plan_list_release(struct plan_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int aoms_plan_new(const struct aoms_plan_policy *policy, const struct aoms_waivers *waivers,
		  const char *today, struct aoms_plan **ret)
{
	struct aoms_plan *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->policy = policy;
	p->waivers = waivers;
	snprintf(p->today, sizeof(p->today), "%s", today ? today : "");
	*ret = p;
	return 0;
}

static const char *const plan_meta_keys[_PLAN_META_MAX] = {
	[PLAN_META_SOURCE] = "source",
	[PLAN_META_SOURCE_NAME] = "source_name",
	[PLAN_META_SOURCE_VERSION] = "source_version",
	[PLAN_META_SOURCE_ARCH] = "source_arch",
	[PLAN_META_MIGRATION_PATH] = "migration_path",
	[PLAN_META_PACKAGES] = "packages",
	[PLAN_META_PACKAGES_FINGERPRINT] = "packages_fingerprint",
	[PLAN_META_DATABASE] = "database",
	[PLAN_META_ROLE] = "role",
};

const char *plan_host_meta(const struct plan_host *h, enum plan_meta m)
{
	return h->meta[m];
}

static void host_release(struct plan_host *h)
{
	free(h->name);
	free(h->source);
	aoms_report_free(h->report);
	for (size_t i = 0; i < _PLAN_META_MAX; i++)
		free(h->meta[i]);
	free(h->tool_version);
	plan_list_release(&h->blocking);
	plan_list_release(&h->waived);
	plan_list_release(&h->expired);
	plan_list_release(&h->erase);
	plan_list_release(&h->install);
	plan_list_release(&h->swap);
	plan_list_release(&h->adapt);
	plan_list_release(&h->streams);
	aoms_solve_result_release(&h->solved);
}

void aoms_plan_free(struct aoms_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		host_release(&p->hosts[i]);
	free(p->hosts);
	aoms_solve_repo_free(p->repo);
	free(p->repo_dir);
	free(p);
}

size_t aoms_plan_n_hosts(const struct aoms_plan *p)
{
	return p->n;
}

const char *plan_stream_name(const char *entry, char *buf, size_t n)
{
	snprintf(buf, n, "%.*s", (int)strcspn(entry, "\t"), entry);
	return buf;
}

/* "stream\tpkg pkg..." from an enable-module-stream action of f and f's packages. */
static int host_stream(struct plan_host *h, const struct aoms_finding *f, const struct aoms_action *a)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf sb = { 0 };

	if (aoms_strbuf_adds(&sb, aoms_action_arg(a, "module_stream")) < 0 ||
	    aoms_strbuf_addc(&sb, '\t') < 0)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_evidence; i++) {
		if (strcmp(f->evidence[i].key, "packages") != 0)
			continue;
		for (size_t j = 0; j < f->evidence[i].n_values; j++)
			if ((j && aoms_strbuf_addc(&sb, ' ') < 0) ||
			    aoms_strbuf_adds(&sb, f->evidence[i].values[j]) < 0)
				return -ENOMEM;
	}
	return plan_list_add(&h->streams, aoms_strbuf_str(&sb));
}

/* The package transaction's part of one finding's actions; what is no package
 * operation (rebuild, replace-library, ...) is business adaptation. */
static int host_actions(struct plan_host *h, const struct aoms_finding *f)
{
	int r = 0;

	if (strcmp(f->rule, "assess.package-removed") == 0)
		r = plan_list_add(&h->erase, f->subject);
	for (size_t i = 0; r == 0 && i < f->n_actions; i++) {
		const struct aoms_action *a = &f->actions[i];
		_cleanup_(freep) char *s = NULL;

		switch (a->kind) {
		case AOMS_ACTION_INSTALL_PACKAGE:
			r = plan_list_add(&h->install, aoms_action_arg(a, "package"));
			break;
		case AOMS_ACTION_SWAP_PACKAGE:
			if (!(s = aoms_strdupf("%s -> %s", aoms_action_arg(a, "from"),
					       aoms_action_arg(a, "to"))))
				return -ENOMEM;
			r = plan_list_add(&h->swap, s);
			break;
		case AOMS_ACTION_ENABLE_MODULE_STREAM:
			r = host_stream(h, f, a);
			break;
		default:
			if (!(s = aoms_strdupf("%s %s: %s", aoms_action_kind_name(a->kind), f->subject,
					       f->title ? f->title : f->rule)))
				return -ENOMEM;
			r = plan_list_add(&h->adapt, s);
			break;
		}
	}
	return r;
}

static int host_judge(const struct aoms_plan *p, struct plan_host *h);

/* Copies the facts the plan prints out of h's report. */
static int host_keep_meta(struct plan_host *h)
{
	for (size_t i = 0; i < _PLAN_META_MAX; i++) {
		const char *v = aoms_report_meta(h->report, plan_meta_keys[i]);

		if (v && !(h->meta[i] = strdup(v)))
			return -ENOMEM;
	}
	return 0;
}

/* Everything the plan needs of a host's report, as it is added: the method, the
 * transaction's lists from the findings' actions, the solve against the plan's
 * repository (its problems become findings), the decision and the risk under the
 * plan's policy and waivers, and the run facts the plan prints. The report is freed
 * then: a thousand hosts' findings and rpmdbs would otherwise stay in memory together
 * (bench/bench-plan.sh). */
static int host_prepare(const struct aoms_plan *p, struct plan_host *h, char **ret_reason)
{
	const char *path = aoms_report_meta(h->report, "migration_path");
	int r = 0;

	h->method = strcmp(path, "leapp") == 0 ? "leapp-upgrade" :
		    strcmp(path, "centos2anolis") == 0 ? "distro-sync" : "none";
	for (size_t i = 0; r == 0 && i < aoms_report_n_findings(h->report); i++)
		r = host_actions(h, aoms_report_finding(h->report, i));
	if (r == 0 && p->repo)
		r = plan_host_solve(p, h, ret_reason);
	aoms_report_installed_release(h->report);
	if (r == 0)
		r = host_judge(p, h);
	if (r == 0)
		r = host_keep_meta(h);
	aoms_report_free(TAKE_PTR(h->report));
	return r;
}

int aoms_plan_add_report(struct aoms_plan *p, struct aoms_report *r, const char *source,
			 char **ret_reason)
{
	const char *host = aoms_report_meta(r, "host");
	struct plan_host *h;

	if (!host || !aoms_report_meta(r, "packages_fingerprint") ||
	    !aoms_report_meta(r, "migration_path")) {
		aoms_report_free(r);
		return -EBADMSG;
	}
	for (size_t i = 0; i < p->n; i++) {
		int err = strcmp(p->hosts[i].name, host) == 0 ? -EEXIST :
			  strcmp(p->hosts[i].tool_version, aoms_report_tool_version(r)) != 0 ?
			  -EPROTO : 0;

		if (err) {
			aoms_report_free(r);
			return err;
		}
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct plan_host *v = realloc(p->hosts, cap * sizeof(*v));

		if (!v) {
			aoms_report_free(r);
			return -ENOMEM;
		}
		p->hosts = v;
		p->cap = cap;
	}
	h = &p->hosts[p->n];
	memset(h, 0, sizeof(*h));
	h->report = r;
	h->name = strdup(host);
	h->source = strdup(source ? source : "");
	h->tool_version = strdup(aoms_report_tool_version(r));
	p->n++;
	if (!h->name || !h->source || !h->tool_version)
		return -ENOMEM;
	return host_prepare(p, h, ret_reason);
}

static unsigned finding_risk(const struct aoms_finding *f)
{
	return f->inhibitor ? 100 : f->severity == AOMS_SEV_HIGH ? 10 :
	       f->severity == AOMS_SEV_MEDIUM ? 3 : f->severity == AOMS_SEV_LOW ? 1 : 0;
}

/* Whether f blocks h, waived or not. */
static int host_weigh(const struct aoms_plan *p, struct plan_host *h, const struct aoms_finding *f)
{
	const struct aoms_waiver *w = aoms_waivers_find(p->waivers, f->key);
	_cleanup_(freep) char *item = aoms_strdupf("%s %s %s", f->key, f->rule, f->subject);
	/* blocking items carry the title after a tab (plan-private.h) */
	_cleanup_(freep) char *titled = aoms_strdupf("%s\t%s", item ? item : "",
						     f->title ? f->title : f->rule);
	int r;

	if (!item || !titled)
		return -ENOMEM;
	h->risk += finding_risk(f);
	if (!aoms_plan_policy_blocks(p->policy, f))
		return 0;
	if (w && !aoms_waiver_expired(w, p->today)) {
		_cleanup_(freep) char *s = aoms_strdupf("%s: %s (%s, until %s)", item, w->reason,
							w->owner ? w->owner : "no owner",
							w->expires ? w->expires : "never");

		return s ? plan_list_add(&h->waived, s) : -ENOMEM;
	}
	if (w && (r = plan_list_add(&h->expired, titled)) < 0)
		return r;
	return plan_list_add(&h->blocking, titled);
}

/* The decision over every finding, those of the solve included (the policy and the
 * waivers are the plan's from the start, so a host is judged as it is added). */
static int host_judge(const struct aoms_plan *p, struct plan_host *h)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < aoms_report_n_findings(h->report); i++)
		r = host_weigh(p, h, aoms_report_finding(h->report, i));
	h->blocked = h->blocking.n > 0;
	return r;
}

static int cmp_host(const void *a, const void *b)
{
	return strcmp(((const struct plan_host *)a)->name, ((const struct plan_host *)b)->name);
}

int aoms_plan_build(struct aoms_plan *p)
{
	if (p->n)
		qsort(p->hosts, p->n, sizeof(*p->hosts), cmp_host);
	plan_waves_assign(p);
	return 0;
}

bool aoms_plan_proceeds(const struct aoms_plan *p)
{
	if (p->n == 0)
		return false;
	for (size_t i = 0; i < p->n; i++)
		if (p->hosts[i].blocked)
			return false;
	return true;
}

int aoms_plan_render(const struct aoms_plan *p, const char *format, FILE *out)
{
	int r;

	if (strcmp(format, "json") == 0)
		r = plan_render_json(p, out);
	else if (strcmp(format, "text") == 0)
		r = plan_render_text(p, out);
	else
		return -EINVAL;
	if (r == 0 && (fflush(out) != 0 || ferror(out)))
		r = -EIO;
	return r;
}
