/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms rollback --root DIR` (executor/executor.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "aoms.h"
#include "executor.h"
#include "tool-opts.h"

enum { OPT_ROOT = 256 };

static const struct aoms_opt rollback_opts[] = {
	{ "root", OPT_ROOT, "DIR", NULL, "the root an aoms apply changed" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_rollback = {
	.name = "rollback",
	.summary = "return a root to its state before aoms apply, verified",
	.synopsis = "--root DIR",
	.description =
		"Return the root to the state the newest journal under\n"
		"ROOT/var/lib/aoms/journal recorded before its apply, whether the apply\n"
		"finished or was interrupted at any step: the same packages (NEVRAs) in the\n"
		"rpmdb, reinstalled from the RPMs cached in the journal, and byte-identical\n"
		"saved files; then verify both. A journal whose manifest does not verify is\n"
		"not trusted and nothing is changed.",
	.opts = rollback_opts,
	.examples = "aoms rollback --root /\n"
		    "aoms rollback --root /mnt/sysimage",
	.exit_status = "0 the root is back to the journal's original state and verified,\n"
		       "1 something could not be restored (each listed on stderr), or no usable\n"
		       "journal, 2 usage error",
	.files = "ROOT/var/lib/aoms/journal/ID/ (read; its step log is appended to).",
	.operands = "none",
};

int aoms_cmd_rollback(int argc, char **argv)
{
	struct aoms_rollback_opts o = { 0 };
	_cleanup_(aoms_rollback_result_freep) struct aoms_rollback_result *res = NULL;
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL, *reason = NULL;
	struct aoms_tool_progress line = { 0 };
	int c, r;

	if (aoms_opts_getopt(rollback_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: o.root = optarg; break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_rollback); return 0;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if (optind != argc || !o.root) {
		aoms_tool_err("rollback needs --root and no operands");
		return AOMS_EXIT_USAGE;
	}
	if (isatty(STDERR_FILENO)) {
		o.progress = aoms_tool_exec_progress;
		o.progress_ud = &line;
	}
	r = aoms_rollback(&o, &res, &reason);
	aoms_tool_progress_end(&line);
	if (r < 0) {
		aoms_tool_err("%s", reason ? reason : strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	for (size_t i = 0; i < res->n_notes; i++)
		printf("note     %s\n", res->notes[i]);
	for (size_t i = 0; i < res->n_unrestored; i++)
		aoms_tool_err("not restored: %s", res->unrestored[i]);
	if (res->n_unrestored) {
		aoms_tool_err("%zu thing(s) not restored from journal %s", res->n_unrestored, res->journal);
		return AOMS_EXIT_ERROR;
	}
	printf("rolled back: the root matches journal %s (packages and saved files verified)\n",
	       res->journal);
	return AOMS_EXIT_OK;
}
