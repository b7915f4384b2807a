/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One host's package transaction: its installed packages as a libsolv repository
 * beside the targets', the jobs (erase, install, distro-sync), the solver's
 * transaction or its problems (solve.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool_parserpmrichdep.h>
#include <solv/poolarch.h>
#include <solv/problems.h>
#include <solv/rules.h>
#include <solv/selection.h>
#include <solv/solver.h>
#include <solv/transaction.h>
#include "installed.h"
#include "solve-private.h"
#include "strbuf.h"

/* dnf's installonlypkgs: a new kernel goes beside the old one, which stays. */
static const char *const installonly[] = {
	"kernel", "kernel-PAE", "installonlypkg(kernel)", "installonlypkg(kernel-module)",
	"installonlypkg(vm)", "multiversion(kernel)",
};

static const struct { const char *op; int flags; } ops[] = {
	{ "<=", REL_LT | REL_EQ }, { ">=", REL_GT | REL_EQ }, { "=", REL_EQ },
	{ "<", REL_LT }, { ">", REL_GT },
};

/* "name", "name OP evr" or a rich dependency "(...)" as the report records it. */
static Id dep_parse(Pool *pool, const char *s)
{
	const char *sp = strchr(s, ' ');

	if (s[0] == '(')
		return pool_parserpmrichdep(pool, s);
	if (!sp)
		return pool_str2id(pool, s, 1);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t n = strlen(ops[i].op);

		if (strncmp(sp + 1, ops[i].op, n) == 0 && sp[1 + n] == ' ' && sp[2 + n])
			return pool_rel2id(pool, pool_strn2id(pool, s, (unsigned)(sp - s), 1),
					   pool_str2id(pool, sp + 2 + n, 1), ops[i].flags, 1);
	}
	return 0;
}

static int add_deps(Repo *repo, Offset *to, const char *const *v, size_t n, char **ret_reason,
		    const char *pkg)
{
	for (size_t i = 0; i < n; i++) {
		Id d = dep_parse(repo->pool, v[i]);

		if (!d) {
			if (ret_reason)
				*ret_reason = aoms_strdupf("installed package %s: cannot parse the "
							   "dependency '%s'", pkg, v[i]);
			return -EBADMSG;
		}
		*to = repo_addid_dep(repo, *to, d, 0);
	}
	return 0;
}

/* The report's installed packages as the pool's installed repository. */
static int add_installed(Pool *pool, const struct aoms_report *report, Repo **ret,
			 char **ret_reason)
{
	Repo *repo = repo_create(pool, "@System");
	int r = 0;

	*ret = repo;

	for (size_t i = 0; r == 0 && i < aoms_report_n_installed(report); i++) {
		const struct aoms_installed *p = aoms_report_installed(report, i);
		Solvable *s = pool_id2solvable(pool, repo_add_solvable(repo));
		_cleanup_(freep) char *evr = p->epoch ?
			aoms_strdupf("%s:%s-%s", p->epoch, p->version, p->release) :
			aoms_strdupf("%s-%s", p->version, p->release);

		if (!evr)
			return -ENOMEM;
		s->name = pool_str2id(pool, p->name, 1);
		s->evr = pool_str2id(pool, evr, 1);
		s->arch = pool_str2id(pool, p->arch, 1);
		s->provides = repo_addid_dep(repo, s->provides,
					     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
		r = add_deps(repo, &s->provides, p->provides, p->n_provides, ret_reason, p->name);
		if (r == 0)
			r = add_deps(repo, &s->requires, p->requires, p->n_requires, ret_reason,
				     p->name);
	}
	repo_internalize(repo);
	pool_set_installed(pool, repo);
	return r;
}

static void jobs_add(Pool *pool, Queue *job, const struct aoms_solve_request *req)
{
	for (size_t i = 0; i < ARRAY_SIZE(installonly); i++)
		queue_push2(job, SOLVER_MULTIVERSION | SOLVER_SOLVABLE_PROVIDES,
			    pool_str2id(pool, installonly[i], 1));
	for (size_t i = 0; i < req->n_erase; i++)
		queue_push2(job, SOLVER_ERASE | SOLVER_SOLVABLE_NAME,
			    pool_str2id(pool, req->erase[i], 1));
	for (size_t i = 0; i < req->n_install; i++) {
		Queue sel;

		/* as dnf install NAME: the package of that name, else what provides it; nothing
		 * at all stays a job the solver reports as a package that does not exist */
		queue_init(&sel);
		selection_make(pool, &sel, req->install[i], SELECTION_NAME | SELECTION_PROVIDES);
		if (!sel.count)
			queue_push2(&sel, SOLVER_SOLVABLE_NAME, pool_str2id(pool, req->install[i], 1));
		for (int k = 0; k + 1 < sel.count; k += 2)
			queue_push2(job, SOLVER_INSTALL | sel.elements[k], sel.elements[k + 1]);
		queue_free(&sel);
	}
	if (req->distro_sync)
		queue_push2(job, SOLVER_DISTUPGRADE | SOLVER_SOLVABLE_ALL, 0);
}

static char *solvable_nevra(Pool *pool, Id p)
{
	return strdup(pool_solvid2str(pool, p));
}

/* How telling a rule is about a problem: the one naming a missing capability first. */
static int rule_rank(SolverRuleinfo t)
{
	switch (t) {
	case SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP: return 5;
	case SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP: return 4;
	case SOLVER_RULE_JOB_UNKNOWN_PACKAGE: return 4;
	case SOLVER_RULE_PKG_REQUIRES: return 3;
	case SOLVER_RULE_PKG_CONFLICTS: return 2;
	default: return 1;
	}
}

static int problem_take(Solver *solv, Id problem, struct aoms_solve_problem *ret)
{
	Pool *pool = solv->pool;
	Queue rq;
	Id best_src = 0, best_dep = 0;
	int best = 0;

	queue_init(&rq);
	solver_findallproblemrules(solv, problem, &rq);
	for (int i = 0; i < rq.count; i++) {
		Id src = 0, tgt = 0, dep = 0;
		SolverRuleinfo t = solver_ruleinfo(solv, rq.elements[i], &src, &tgt, &dep);

		/* only a package rule's source is a solvable (a job rule's is the job) */
		if ((t & SOLVER_RULE_TYPEMASK) != SOLVER_RULE_PKG)
			src = 0;
		if ((t & SOLVER_RULE_TYPEMASK) != SOLVER_RULE_PKG &&
		    (t & SOLVER_RULE_TYPEMASK) != SOLVER_RULE_JOB)
			dep = 0;
		if (rule_rank(t) > best && (dep || src)) {
			best = rule_rank(t);
			best_src = src;
			best_dep = dep;
		}
	}
	queue_free(&rq);
	*ret = (struct aoms_solve_problem){
		.package = strdup(best_src ? pool_id2str(pool, pool_id2solvable(pool, best_src)->name) : ""),
		.nevra = best_src ? solvable_nevra(pool, best_src) : strdup(""),
		.capability = strdup(best_dep ? pool_dep2str(pool, best_dep) : ""),
		.text = strdup(solver_problem2str(solv, problem)),
	};
	return ret->package && ret->nevra && ret->capability && ret->text ? 0 : -ENOMEM;
}

static int problems_take(Solver *solv, struct aoms_solve_result *res)
{
	unsigned n = solver_problem_count(solv);

	if (!(res->problems = calloc(n, sizeof(*res->problems))))
		return -ENOMEM;
	for (Id p = 1; p <= (Id)n; p++, res->n_problems++)
		if (problem_take(solv, p, &res->problems[res->n_problems]) < 0)
			return -ENOMEM;
	return 0;
}

static int install_take(struct aoms_solve_repo *repo, Id p, struct aoms_solve_pkg *ret,
			char **ret_reason)
{
	Pool *pool = repo->pool;
	const char *ms = solve_modules_stream_of(&repo->modules, p);
	Solvable *s = pool_id2solvable(pool, p);
	const char *from = NULL;
	Id type = 0;
	const char *sum = solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type);
	const char *loc = solvable_lookup_location(s, NULL);

	/* the executor reads DIR/location: nothing outside DIR, no xml:base elsewhere */
	if (!loc || !solve_location_inside(loc) || solvable_lookup_str(s, SOLVABLE_MEDIABASE)) {
		if (ret_reason)
			*ret_reason = aoms_strdupf("the target repository's package %s is not inside "
						   "the repository (location '%s')",
						   pool_solvid2str(pool, p), loc ? loc : "");
		return -EBADMSG;
	}

	for (size_t i = 0; i < repo->n_src && !from; i++)
		if (repo->repos[i] == s->repo)
			from = repo->src[i].id;
	*ret = (struct aoms_solve_pkg){
		.repo = from ? from : "",
		.nevra = solvable_nevra(pool, p),
		.location = strdup(loc ? loc : ""),
		.checksum = sum ? aoms_strdupf("%s:%s", solv_chksum_type2str(type), sum) : strdup(""),
		.module_stream = ms ? strdup(ms) : NULL,
	};
	return ret->nevra && ret->location && ret->checksum && (!ms || ret->module_stream) ? 0 : -ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct aoms_solve_pkg *)a)->nevra,
		      ((const struct aoms_solve_pkg *)b)->nevra);
}

static int transaction_take(struct aoms_solve_repo *repo, Solver *solv,
			    struct aoms_solve_result *res, char **ret_reason)
{
	Pool *pool = solv->pool;
	Transaction *trans = solver_create_transaction(solv);
	int r = 0;

	if (!trans)
		return -ENOMEM;
	res->erase = calloc((size_t)trans->steps.count + 1, sizeof(*res->erase));
	res->install = calloc((size_t)trans->steps.count + 1, sizeof(*res->install));
	for (int i = 0; r == 0 && res->erase && res->install && i < trans->steps.count; i++) {
		Id p = trans->steps.elements[i];

		if (pool->solvables[p].repo == pool->installed)
			r = (res->erase[res->n_erase++] = solvable_nevra(pool, p)) ? 0 : -ENOMEM;
		else
			r = install_take(repo, p, &res->install[res->n_install++], ret_reason);
	}
	transaction_free(trans);
	if (!res->erase || !res->install)
		return -ENOMEM;
	qsort(res->erase, res->n_erase, sizeof(*res->erase), cmp_str);
	qsort(res->install, res->n_install, sizeof(*res->install), cmp_pkg);
	return r;
}

/* The repositories' packages this host considers (module streams, solve-private.h). */
static int consider(struct aoms_solve_repo *repo, const struct aoms_solve_request *req)
{
	size_t n = aoms_report_n_installed(req->report), k = 0;
	_cleanup_(freep) const char **installed = calloc(n + 1, sizeof(*installed));

	if (!installed)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *ms = aoms_report_installed(req->report, i)->module_stream;

		if (ms)
			installed[k++] = ms;
	}
	return solve_modules_consider(&repo->modules, repo->pool, req->streams, req->n_streams,
				      installed, k);
}

int aoms_solve(struct aoms_solve_repo *repo, const struct aoms_solve_request *req,
	       struct aoms_solve_result *ret, char **ret_reason)
{
	Pool *pool = repo->pool;
	struct aoms_solve_result res = { 0 };
	Repo *installed = NULL;
	Solver *solv = NULL;
	Queue job;
	int r;

	pool_setarch(pool, req->arch && *req->arch ? req->arch : "x86_64");
	queue_init(&job);
	/* the streams' packages, once the repositories are all there (before @System) */
	if ((r = solve_modules_index(&repo->modules, pool)) == 0)
		r = add_installed(pool, req->report, &installed, ret_reason);
	if (r == 0)
		r = consider(repo, req);
	if (r == 0) {
		pool_addfileprovides(pool);
		pool_createwhatprovides(pool);
		jobs_add(pool, &job, req);
		if (!(solv = solver_create(pool)))
			r = -ENOMEM;
	}
	if (r == 0) {
		solver_set_flag(solv, SOLVER_FLAG_ALLOW_UNINSTALL, 0);
		r = solver_solve(solv, &job) ? problems_take(solv, &res) :
		    transaction_take(repo, solv, &res, ret_reason);
	}
	if (solv)
		solver_free(solv);
	queue_free(&job);
	solve_modules_done(pool);
	pool_set_installed(pool, NULL);
	if (installed)
		repo_free(installed, 1);
	if (r < 0) {
		aoms_solve_result_release(&res);
		return r;
	}
	*ret = res;
	return 0;
}

void aoms_solve_result_release(struct aoms_solve_result *r)
{
	for (size_t i = 0; i < r->n_erase; i++)
		free(r->erase[i]);
	for (size_t i = 0; i < r->n_install; i++) {
		free(r->install[i].nevra);
		free(r->install[i].location);
		free(r->install[i].checksum);
		free(r->install[i].module_stream);
	}
	for (size_t i = 0; i < r->n_problems; i++) {
		free(r->problems[i].package);
		free(r->problems[i].nevra);
		free(r->problems[i].capability);
		free(r->problems[i].text);
	}
	free(r->erase);
	free(r->install);
	free(r->problems);
	memset(r, 0, sizeof(*r));
}
