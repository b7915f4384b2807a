/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms apply PLAN --root DIR --repo DIR --source-repo DIR` (executor/executor.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "aoms.h"
#include "executor.h"
#include "tool-opts.h"

enum { OPT_ROOT = 256, OPT_REPO, OPT_SOURCE_REPO, OPT_HOST, OPT_DRY_RUN, OPT_YES };

static const struct aoms_opt apply_opts[] = {
	{ "root", OPT_ROOT, "DIR", NULL, "the system root to migrate (\"/\": this system)" },
	{ "repo", OPT_REPO, "TARGET_RPMS_DIR", NULL,
	  "the target's RPMs (Anolis OS 8); RPM-GPG-KEY* files in it make\n"
	  "signatures mandatory. Repeatable (BaseOS, AppStream, ...): a plan's\n"
	  "resolved package is read from the one whose repodata/repomd.xml is the\n"
	  "repository the plan names, wherever it is mounted now; a repository the\n"
	  "plan names and no --repo holds is an error before any change" },
	{ "source-repo", OPT_SOURCE_REPO, "SOURCE_RPMS_DIR", NULL,
	  "the installed packages' RPMs, cached in the journal for the rollback\n"
	  "(repeatable: the directories are searched as one set)" },
	{ "host", OPT_HOST, "NAME", "the host whose fingerprint matches the root",
	  "the plan's host entry to apply" },
	{ "dry-run", OPT_DRY_RUN, NULL, NULL,
	  "print the transaction and the file changes; change nothing" },
	{ "yes", OPT_YES, NULL, NULL, "do not ask before changing the root (asked only on a TTY)" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_apply = {
	.name = "apply",
	.summary = "apply a plan's package transaction on a root, with a journal",
	.synopsis = "PLAN --root DIR --repo TARGET_RPMS_DIR... --source-repo SOURCE_RPMS_DIR...\n"
		    "[--host NAME] [--dry-run] [--yes]",
	.description =
		"Apply the package transaction aoms plan approved for one host on the root:\n"
		"refuse a blocked host, a stale plan (the root's packages, the database or\n"
		"aoms changed since the assessment), a damaged plan or a package whose\n"
		"checksum or signature fails, before any change. Then write a journal under\n"
		"ROOT/var/lib/aoms/journal (the plan, the original packages, copies of the\n"
		"files that may change, the installed packages' RPMs), run the erase and\n"
		"install in one librpm transaction, disable the source's repository files,\n"
		"keep user-modified configuration and write a BLS entry for a new kernel.\n"
		"aoms rollback returns the root to its original state from the journal.\n"
		"\n"
		"An apply interrupted after its transaction is finished by the next apply;\n"
		"one interrupted during it is refused: roll it back. docs/journal.md lists\n"
		"the steps (AOMS_TEST_APPLY_KILL_AT=list prints them).",
	.opts = apply_opts,
	.examples = "aoms apply plan.json --root / --repo /srv/anolis8 --source-repo /srv/centos8 --dry-run\n"
		    "aoms apply plan.json --root /mnt/sysimage --repo /srv/anolis8 --source-repo /srv/centos7 --yes\n"
		    "aoms apply plan.json --root / --repo /mnt/an8/BaseOS --repo /mnt/an8/AppStream --source-repo /srv/centos8 --yes",
	.exit_status = "0 applied (or the dry run printed), 8 refused: the plan blocks this host,\n"
		       "1 an error or a refusal (stale or foreign plan, lock held, missing or\n"
		       "unverifiable package, transaction problems, full or read-only root;\n"
		       "the reason is on stderr), 2 usage error",
	.files = "ROOT/var/lib/aoms/journal/ID/ (the journal), ROOT/var/lib/aoms/lock.",
	.operands = "file",
};

static void print_result(const struct aoms_apply_result *r, bool dry_run)
{
	for (size_t i = 0; i < r->n_erase; i++)
		printf("erase    %s\n", r->erase[i]);
	for (size_t i = 0; i < r->n_install; i++)
		printf("install  %s\n", r->install[i]);
	for (size_t i = 0; i < r->n_changes; i++)
		printf("file     %s: %s\n", r->changes[i].path, r->changes[i].what);
	for (size_t i = 0; i < r->n_notes; i++)
		printf("note     %s\n", r->notes[i]);
	if (dry_run)
		printf("dry run: host %s, %zu to erase, %zu to install; nothing was changed\n",
		       r->host, r->n_erase, r->n_install);
	else if (r->journal)
		printf("applied: host %s, %zu erased, %zu installed%s (journal %s)\n", r->host,
		       r->n_erase, r->n_install, r->resumed ? ", an interrupted apply finished" : "",
		       r->journal);
	else
		printf("applied: host %s, nothing to change\n", r->host);
}

static int run_apply(struct aoms_apply_opts *o)
{
	_cleanup_(aoms_apply_result_freep) struct aoms_apply_result *res = NULL;
	_cleanup_(freep) char *reason = NULL;
	struct aoms_tool_progress line = { 0 };
	int r;

	if (isatty(STDERR_FILENO)) {
		o->progress = aoms_tool_exec_progress;
		o->progress_ud = &line;
	}
	r = aoms_apply(o, &res, &reason);
	aoms_tool_progress_end(&line);
	if (r < 0) {
		aoms_tool_err("%s", reason ? reason : strerror(-r));
		return r == -ECANCELED ? AOMS_EXIT_BLOCKING : AOMS_EXIT_ERROR;
	}
	print_result(res, o->dry_run);
	return AOMS_EXIT_OK;
}

/* On a TTY without --yes: the dry run first, then a question. */
static bool confirmed(struct aoms_apply_opts *o)
{
	char answer[16] = "";
	int r;

	o->dry_run = true;
	r = run_apply(o);
	o->dry_run = false;
	if (r != AOMS_EXIT_OK)
		return false;
	fputs("apply this transaction to the root? [y/N] ", stderr);
	fflush(stderr);
	return fgets(answer, sizeof(answer), stdin) && (answer[0] == 'y' || answer[0] == 'Y');
}

int aoms_cmd_apply(int argc, char **argv)
{
	struct aoms_apply_opts o = { 0 };
	_cleanup_(freep) const char **repos = calloc((size_t)argc + 1, sizeof(*repos));
	_cleanup_(freep) const char **srcs = calloc((size_t)argc + 1, sizeof(*srcs));
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	const char *kill_at = getenv("AOMS_TEST_APPLY_KILL_AT");
	bool yes = false;
	int c;

	if (!repos || !srcs || aoms_opts_getopt(apply_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	o.repos = repos;
	o.source_repos = srcs;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o.root = optarg; break;
		case OPT_REPO: repos[o.n_repos++] = optarg; break;
		case OPT_SOURCE_REPO: srcs[o.n_source_repos++] = optarg; break;
		case OPT_HOST: o.host = optarg; break;
		case OPT_DRY_RUN: o.dry_run = true; break;
		case OPT_YES: yes = true; break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_apply); return 0;
		default: return AOMS_EXIT_USAGE;
		}
	}
	/* the fault-injection test iterates over the steps (docs/journal.md) */
	if (kill_at && strcmp(kill_at, "list") == 0) {
		for (size_t i = 0; aoms_apply_steps[i]; i++)
			puts(aoms_apply_steps[i]);
		return AOMS_EXIT_OK;
	}
	if (optind + 1 != argc || !o.root || !o.n_repos || !o.n_source_repos) {
		aoms_tool_err("apply needs PLAN, --root, --repo and --source-repo");
		return AOMS_EXIT_USAGE;
	}
	o.plan = argv[optind];
	if (!o.dry_run && !yes && isatty(STDIN_FILENO) && !confirmed(&o)) {
		aoms_tool_err("not confirmed: nothing was changed");
		return AOMS_EXIT_ERROR;
	}
	return run_apply(&o);
}
