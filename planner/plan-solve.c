/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A host's transaction solved against the plan's target repositories (solve.h): the
 * request from the host's erase, install and swap lists and its method, the problems
 * as plan.unsatisfiable findings of the host's report, which then block it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "installed.h"
#include "plan-private.h"
#include "strbuf.h"

int aoms_plan_add_repo(struct aoms_plan *p, const char *dir, char **ret_reason)
{
	int r;

	if (p->n)
		return -EBUSY;
	if (!p->repo && (r = aoms_solve_repo_new(&p->repo)) < 0)
		return r;
	if (!p->repo_dir && !(p->repo_dir = strdup(dir)))
		return -ENOMEM;
	return aoms_solve_repo_add(p->repo, dir, ret_reason);
}

/* One problem of the solver as a finding of the host: the package that cannot be
 * satisfied (or, for a request, the capability requested) is its subject. */
static int problem_finding(struct plan_host *h, const struct aoms_solve_problem *pr)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	const char *subject = *pr->package ? pr->package : pr->capability;
	int r = aoms_finding_new("plan.unsatisfiable", AOMS_SEV_HIGH, AOMS_DIM_PACKAGES,
				 *subject ? subject : "transaction", &f);

	if (r < 0)
		return r;
	f->inhibitor = true;
	if ((*pr->nevra && aoms_finding_set_package(f, pr->nevra) < 0) ||
	    aoms_finding_set_title(f, "%s", pr->text) < 0 ||
	    aoms_finding_set_summary(f, "libsolv finds no transaction against the target "
				     "repositories: %s", pr->text) < 0 ||
	    aoms_finding_add_identity(f, "capability", pr->capability) < 0 ||
	    aoms_finding_add_evidence(f, "problem", pr->text) < 0 ||
	    aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "add a package providing %s to the "
				    "target repository, or remove %s before the migration",
				    *pr->capability ? pr->capability : "what is missing",
				    *subject ? subject : "what needs it") < 0)
		return -ENOMEM;
	return aoms_report_add(h->report, TAKE_PTR(f));
}

/* The names of "from -> to" swaps: from (to == false) or to. */
static int swap_names(const struct plan_list *swap, bool to, const char **v, size_t *n)
{
	for (size_t i = 0; i < swap->n; i++) {
		const char *arrow = strstr(swap->v[i], " -> ");

		if (!arrow)
			continue;
		if (to)
			v[(*n)++] = arrow + 4;
		else if (!(v[(*n)++] = strndup(swap->v[i], (size_t)(arrow - swap->v[i]))))
			return -ENOMEM;
	}
	return 0;
}

static int host_request(struct plan_host *h, const char **erase, size_t *n_erase,
			const char **install, size_t *n_install)
{
	for (size_t i = 0; i < h->erase.n; i++)
		erase[(*n_erase)++] = strdup(h->erase.v[i]);
	for (size_t i = 0; i < *n_erase; i++)
		if (!erase[i])
			return -ENOMEM;
	for (size_t i = 0; i < h->install.n; i++)
		install[(*n_install)++] = h->install.v[i];
	if (swap_names(&h->swap, false, erase, n_erase) < 0)
		return -ENOMEM;
	return swap_names(&h->swap, true, install, n_install);
}

int plan_host_solve(const struct aoms_plan *p, struct plan_host *h, char **ret_reason)
{
	const char *count = aoms_report_meta(h->report, "packages");
	size_t n_max = h->erase.n + h->install.n + h->swap.n + 1, n_erase = 0, n_install = 0;
	_cleanup_(freep) const char **erase = calloc(n_max, sizeof(*erase));
	_cleanup_(freep) const char **install = calloc(n_max, sizeof(*install));
	_cleanup_(freep) const char **streams = calloc(h->streams.n + 1, sizeof(*streams));
	struct aoms_solve_request req = { .report = h->report };
	int r;

	if (strcmp(h->method, "none") == 0)
		return 0;
	if (aoms_report_n_installed(h->report) == 0 && count && strcmp(count, "0") != 0) {
		if (ret_reason)
			*ret_reason = aoms_strdupf("'%s' lists no installed packages (an assessment of "
						   "an aoms before report schema 1.4): assess the "
						   "host again to plan with --repo", h->source);
		return -ENODATA;
	}
	if (!erase || !install || !streams)
		return -ENOMEM;
	r = host_request(h, erase, &n_erase, install, &n_install);
	for (size_t i = 0; r == 0 && i < h->streams.n; i++) {
		char name[512];

		/* "module:stream\tpackages": the entry up to the tab */
		if (!(streams[req.n_streams++] = strndup(h->streams.v[i],
			strlen(plan_stream_name(h->streams.v[i], name, sizeof(name))))))
			r = -ENOMEM;
	}
	req.streams = streams;
	req.arch = aoms_report_meta(h->report, "source_arch");
	req.distro_sync = true;
	req.erase = erase;
	req.n_erase = n_erase;
	req.install = install;
	req.n_install = n_install;
	if (r == 0)
		r = aoms_solve(p->repo, &req, &h->solved, ret_reason);
	for (size_t i = 0; i < n_erase; i++)
		free((char *)erase[i]);
	for (size_t i = 0; i < req.n_streams; i++)
		free((char *)streams[i]);
	if (r < 0)
		return r;
	h->resolved = true;
	for (size_t i = 0; r == 0 && i < h->solved.n_problems; i++)
		r = problem_finding(h, &h->solved.problems[i]);
	return r;
}
