/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms plan REPORT...`: the decision and the staged plan (planner/planner.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "aoms.h"
#include "atomic-file.h"
#include "planner.h"
#include "report-read.h"
#include "tool-opts.h"

enum { OPT_POLICY = 256, OPT_WAIVERS, OPT_FORMAT, OPT_REPO };

static const struct aoms_opt plan_opts[] = {
	{ "policy", OPT_POLICY, "FILE", "inhibitors block",
	  "what blocks: {\"block_on\": {\"severity\": \"high\", \"inhibitor\": true,\n"
	  "\"rules\": [...]}}" },
	{ "waivers", OPT_WAIVERS, "FILE", NULL,
	  "{\"waivers\": [{\"key\", \"reason\", \"owner\", \"expires\"}]}: a waived\n"
	  "blocking item no longer blocks until it expires" },
	{ "repo", OPT_REPO, "DIR", NULL,
	  "solve each host's package transaction with libsolv against the\n"
	  "target repository DIR (DIR/repodata/ as createrepo_c writes it):\n"
	  "transaction.resolved; an unsolvable one blocks the host. Repeatable\n"
	  "(BaseOS, AppStream, ...): one pool, the newest build of any wins, module\n"
	  "metadata merged; each package names its repository, which the plan\n"
	  "identifies by its repomd.xml sha256; the same repository twice is an error" },
	{ "output", 'o', "PLAN", "stdout", "write the plan to PLAN (replaced atomically)" },
	{ "format", OPT_FORMAT, "json|text", "json",
	  "json: docs/plan-schema.md; text: for people" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_plan = {
	.name = "plan",
	.summary = "decide and stage the migration from assessment reports",
	.synopsis = "REPORT... [--policy FILE] [--waivers FILE] [--repo DIR]... [-o PLAN] [--format json|text]",
	.description =
		"Read one aoms assess --format json report per host (REPORT), decide per\n"
		"host whether it may migrate under the policy and the waivers, and stage\n"
		"the migration: the transaction (packages to remove, swap, install,\n"
		"distro-sync), the six steps, a canary and growing waves of hosts.\n"
		"With --repo, the transaction is solved against the target repositories'\n"
		"metadata and the installed packages each report records.",
	.opts = plan_opts,
	.examples = "aoms plan host1.json host2.json\n"
		    "aoms plan --policy policy.json --waivers waivers.json -o plan.json reports/*.json\n"
		    "aoms plan --repo /srv/anolis8/BaseOS -o plan.json web01.json\n"
		    "aoms plan --repo /srv/anolis8/BaseOS --repo /srv/anolis8/AppStream -o plan.json web01.json",
	.exit_status = "0 proceed, 8 blocked, 1 error (no plan is written), 2 usage error",
	.files = "Each REPORT is read; PLAN is written through a temporary file.",
	.operands = "file",
};

/* Today (UTC) as YYYY-MM-DD: $SOURCE_DATE_EPOCH when set (tests), else now. */
static void today(char buf[11])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	aoms_waiver_date(sde && *sde ? strtoll(sde, NULL, 10) : (long long)time(NULL), buf);
}

static int read_reports(struct aoms_plan *plan, char **paths, int n)
{
	for (int i = 0; i < n; i++) {
		struct aoms_report *r = NULL;
		_cleanup_(freep) char *err = NULL;
		int ret = aoms_report_read_file(paths[i], &r, &err);

		if (ret < 0) {
			aoms_tool_err("cannot read report '%s': %s", paths[i], err ? err : strerror(-ret));
			return AOMS_EXIT_ERROR;
		}
		ret = aoms_plan_add_report(plan, r, paths[i], &err);
		if (ret < 0 && err)
			aoms_tool_err("%s", err);
		else if (ret == -EBADMSG)
			aoms_tool_err("'%s' is not an assessment (aoms assess --format json)", paths[i]);
		else if (ret == -EEXIST)
			aoms_tool_err("'%s': a second report of the same host", paths[i]);
		else if (ret == -EPROTO)
			aoms_tool_err("'%s': written by another aoms version than the other reports",
				      paths[i]);
		else if (ret < 0)
			aoms_tool_err("'%s': %s", paths[i], strerror(-ret));
		if (ret < 0)
			return AOMS_EXIT_ERROR;
	}
	return 0;
}

static int write_plan(const struct aoms_plan *plan, const char *format, const char *output)
{
	struct aoms_atomic_file *af = NULL;
	int r;

	if (!output || strcmp(output, "-") == 0)
		r = aoms_plan_render(plan, format, stdout);
	else if ((r = aoms_atomic_open(output, 0, &af)) == 0) {
		r = aoms_plan_render(plan, format, aoms_atomic_stream(af));
		if (r < 0)
			aoms_atomic_abort(af);
		else
			r = aoms_atomic_commit(af);
	}
	if (r < 0) {
		aoms_tool_err("cannot write plan '%s': %s", output ? output : "-", strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	return 0;
}

int aoms_cmd_plan(int argc, char **argv)
{
	const char *policy_path = NULL, *waivers_path = NULL, *output = NULL, *format = "json";
	_cleanup_(freep) const char **repos = calloc((size_t)argc + 1, sizeof(*repos));
	size_t n_repos = 0;
	struct aoms_plan_policy policy;
	_cleanup_(aoms_waivers_freep) struct aoms_waivers *waivers = NULL;
	_cleanup_(aoms_plan_freep) struct aoms_plan *plan = NULL;
	_cleanup_(freep) char *err = NULL;
	char day[11];
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	int c, r, status;

	if (!repos || aoms_opts_getopt(plan_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case OPT_POLICY: policy_path = optarg; break;
		case OPT_WAIVERS: waivers_path = optarg; break;
		case 'o': output = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_REPO: repos[n_repos++] = optarg; break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_plan); return 0;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
		aoms_tool_err("unknown format '%s' (json, text)", format);
		return AOMS_EXIT_USAGE;
	}
	if (optind >= argc) {
		aoms_tool_err("plan needs at least one REPORT");
		return AOMS_EXIT_USAGE;
	}
	aoms_plan_policy_init(&policy);
	today(day);
	if (policy_path && (r = aoms_plan_policy_read(policy_path, &policy, &err)) < 0) {
		aoms_tool_err("%s", err ? err : strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	/* a waivers file plan cannot read is an error (exit 1: no plan), not a usage error */
	if (waivers_path && aoms_tool_read_waivers(waivers_path, &waivers) != 0) {
		aoms_plan_policy_release(&policy);
		return AOMS_EXIT_ERROR;
	}
	status = aoms_plan_new(&policy, waivers, day, &plan) < 0 ? AOMS_EXIT_ERROR : 0;
	for (size_t i = 0; status == 0 && i < n_repos; i++)
		if ((r = aoms_plan_add_repo(plan, repos[i], &err)) < 0) {
			aoms_tool_err("%s", err ? err : strerror(-r));
			status = AOMS_EXIT_ERROR;
		}
	if (status == 0)
		status = read_reports(plan, argv + optind, argc - optind);
	if (status == 0 && aoms_plan_build(plan) < 0) {
		aoms_tool_err("out of memory");
		status = AOMS_EXIT_ERROR;
	}
	if (status == 0)
		status = write_plan(plan, format, output);
	if (status == 0)
		status = aoms_plan_proceeds(plan) ? AOMS_EXIT_OK : AOMS_EXIT_BLOCKING;
	aoms_plan_free(TAKE_PTR(plan));
	aoms_plan_policy_release(&policy);
	return status;
}
