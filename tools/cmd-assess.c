/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms assess`: a whole system, read-only (scanners/assess.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "abidb.h"
#include "aoms.h"
#include "assess.h"
#include "tool-opts.h"

enum {
	OPT_ROOT = 256,
	OPT_DB,
	OPT_KERNEL,
	OPT_FORMAT,
	OPT_MAPPING,
	OPT_HOST,
	OPT_ROLE,
	OPT_JOBS,
	OPT_FAIL_ON,
	OPT_VENDOR_KEY,
};

static const struct aoms_opt assess_opts[] = {
	{ "root", OPT_ROOT, "DIR", "/", "the system to assess, never written" },
	{ "db", OPT_DB, "FILE", "the embedded database",
	  "the target database, or 'embedded'; repeatable: the databases layer, a\n"
	  "later one overriding or extending the earlier ones" },
	{ "kernel", OPT_KERNEL, "RELEASE", "the database's default kernel",
	  "the target kernel the root's modules are judged against" },
	{ "format", OPT_FORMAT, "FORMAT", "text",
	  "text, json (what aoms plan reads), leapp, sarif, junit, html" },
	{ "output", 'o', "FILE", "stdout", "write the report to FILE (replaced atomically)" },
	{ "mapping", OPT_MAPPING, "FILE", NULL,
	  "site package mappings in Leapp's pes-events.json format, on top of the\n"
	  "shipped CentOS 7 -> EL8 events (repeatable); module streams included\n"
	  "(modulestream_maps; an 8 -> 8 host applies only these)" },
	{ "host", OPT_HOST, "NAME", "the root's etc/hostname", "the host name the plan uses" },
	{ "role", OPT_ROLE, "ROLE", "none",
	  "the host's role (web, db, ...): aoms plan spreads each role's hosts over\n"
	  "its waves" },
	{ "vendor-key", OPT_VENDOR_KEY, "KEYID", NULL,
	  "a signing key id (8 or 16 hex digits) that counts as the source vendor's,\n"
	  "beside the built-in CentOS, RHEL and Rocky keys (repeatable)" },
	{ "jobs", OPT_JOBS, "N", "online CPUs", "worker threads" },
	{ "fail-on", OPT_FAIL_ON, "SEVERITY", "inhibitor",
	  "as for scan (info|low|medium|high|inhibitor|never): the exit status is the\n"
	  "decision" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_assess = {
	.name = "assess",
	.summary = "assess a whole system for the migration",
	.synopsis = "[--root DIR] [--db FILE]... [--kernel RELEASE] [--format FORMAT] [-o FILE]\n"
		    "[--mapping FILE]... [--host NAME] [--role ROLE] [--vendor-key KEYID]... [--jobs N]\n"
		    "[--fail-on SEVERITY]",
	.description =
		"Assess a whole system, read-only: its os-release and the migration path,\n"
		"its installed packages mapped through Leapp's package evolution events\n"
		"(removed, replaced, split, moved), its third-party packages (by Vendor, or\n"
		"by signing key where the source's keys are known) and files (/opt,\n"
		"/usr/local, /srv, the programs of enabled services no package owns,\n"
		"scanned as aoms scan does), its kernel modules (out-of-tree, DKMS, drivers\n"
		"the target kernel lacks) and its configuration (SELinux, repositories,\n"
		"fstab, ntpd, iptables, the boot loader, free space). Paths in the report\n"
		"are relative to the root. The JSON report is what aoms plan reads.",
	.opts = assess_opts,
	.examples = "aoms assess\n"
		    "aoms assess --root /mnt/host1 --format json -o host1.json\n"
		    "aoms assess --mapping site-pes.json --fail-on high",
	.exit_status = "0 proceed, 8 blocked (an inhibitor), 1 error, 2 usage error (4: findings\n"
		       "at or above --fail-on when it is not inhibitor)",
	.files = "ROOT/etc/os-release, ROOT/etc/hostname, ROOT/var/lib/rpm (the rpmdb);\n"
		 "the target database and the package evolution events are embedded in aoms.",
	.operands = "none",
};

struct assess_args {
	const char *root, *format, *output, *host;
	const char **dbs;
	size_t n_dbs;
	enum aoms_fail_on fail_on;
	const char **mappings;
	size_t n_mappings;
	const char **keys;
	size_t n_keys;
	struct aoms_assess_options ao;
};

static int parse(int argc, char **argv, struct assess_args *a)
{
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	int c;

	if (aoms_opts_getopt(assess_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: a->root = optarg; break;
		case OPT_DB: a->dbs[a->n_dbs++] = optarg; break;
		case OPT_KERNEL: a->ao.kernel = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case OPT_MAPPING: a->mappings[a->n_mappings++] = optarg; break;
		case OPT_HOST: a->host = optarg; break;
		case OPT_ROLE: a->ao.role = optarg; break;
		case OPT_VENDOR_KEY:
			if (strspn(optarg, "0123456789abcdefABCDEF") != strlen(optarg) ||
			    (strlen(optarg) != 8 && strlen(optarg) != 16)) {
				aoms_tool_err("--vendor-key '%s' is not a key id of 8 or 16 hex digits",
					      optarg);
				return AOMS_EXIT_USAGE;
			}
			a->keys[a->n_keys++] = optarg;
			break;
		case OPT_JOBS: a->ao.jobs = (unsigned)atoi(optarg); break;
		case OPT_FAIL_ON:
			if (aoms_fail_on_from_name(optarg, &a->fail_on) < 0) {
				aoms_tool_err("unknown --fail-on '%s'", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_assess); return -1;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		aoms_tool_err("assess takes no operand ('%s'): use --root DIR", argv[optind]);
		return AOMS_EXIT_USAGE;
	}
	return 0;
}

static int load_mappings(struct aoms_pes *pes, const struct assess_args *a)
{
	int r = aoms_pes_load_default(pes);

	if (r < 0 && r != -ENOENT) {
		aoms_tool_err("cannot load the shipped package evolution data: %s", strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	for (size_t i = 0; i < a->n_mappings; i++) {
		_cleanup_(freep) char *err = NULL;

		if ((r = aoms_assess_mapping_read(pes, a->mappings[i], &err)) < 0) {
			aoms_tool_err("%s", err ? err : strerror(-r));
			return r == -EBADMSG ? AOMS_EXIT_USAGE : AOMS_EXIT_ERROR;
		}
	}
	return 0;
}

int aoms_cmd_assess(int argc, char **argv)
{
	_cleanup_(freep) const char **mappings = calloc((size_t)argc + 1, sizeof(*mappings));
	_cleanup_(freep) const char **dbs = calloc((size_t)argc + 1, sizeof(*dbs));
	_cleanup_(freep) const char **keys = calloc((size_t)argc + 1, sizeof(*keys));
	struct assess_args a = { .root = "/", .format = "text", .fail_on = AOMS_FAIL_INHIBITOR,
				 .mappings = mappings, .dbs = dbs, .keys = keys };
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *rep = NULL;
	_cleanup_(aoms_pes_freep) struct aoms_pes *pes = NULL;
	_cleanup_(freep) char *reason = NULL;
	int r, status;

	if (!mappings || !dbs || !keys)
		return AOMS_EXIT_ERROR;
	if ((status = parse(argc, argv, &a)) != 0)
		return status < 0 ? 0 : status;
	if (aoms_pes_new(&pes) < 0 || aoms_report_new(&rep) < 0) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	if ((status = load_mappings(pes, &a)) != 0)
		return status;
	if ((status = aoms_tool_set_run(rep, NULL)) != 0)
		return status;
	if (aoms_tool_open_db(a.dbs, a.n_dbs, &db, NULL) != 0)
		return AOMS_EXIT_ERROR;
	if (aoms_tool_describe_db(rep, db) < 0) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	aoms_report_set_meta(rep, "target_name", "Anolis OS 8");
	/* a host whose third-party files hold nothing to judge is no empty scan */
	aoms_report_set_allow_empty(rep, true);
	a.ao.root = a.root;
	a.ao.db = db;
	a.ao.pes = pes;
	a.ao.report = rep;
	a.ao.host = a.host;
	a.ao.vendor_keys = a.keys;
	a.ao.n_vendor_keys = a.n_keys;
	r = aoms_assess(&a.ao, &reason);
	if (r < 0) {
		aoms_tool_err("cannot assess '%s': %s", a.root, reason ? reason : strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	aoms_report_sort(rep);
	aoms_tool_print_errors(rep);
	status = aoms_tool_write_report(rep, a.format, a.fail_on, a.output);
	return status | aoms_report_exit_status(rep, a.fail_on);
}
