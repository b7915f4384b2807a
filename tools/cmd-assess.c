/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms assess`: a whole system, read-only (scanners/assess.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "abidb.h"
#include "aoms.h"
#include "assess.h"

static void assess_usage(void)
{
	puts("usage: aoms assess [--root DIR] [--db FILE] [--kernel RELEASE] [--format FORMAT]\n"
	     "                   [-o FILE] [--mapping FILE]... [--host NAME] [--jobs N]\n"
	     "                   [--fail-on SEVERITY]\n\n"
	     "  --root DIR      the system to assess (default /), never written\n"
	     "  --mapping FILE  site package mappings in Leapp's pes-events.json format, on\n"
	     "                  top of the shipped CentOS 7 -> EL8 events (repeatable)\n"
	     "  --host NAME     the host name the plan uses (default: the root's etc/hostname)\n"
	     "  --format text|json|leapp|sarif|junit|html (json is what `aoms plan` reads)\n"
	     "  --fail-on       as for scan; default inhibitor: the exit status is the decision\n\n"
	     "exit status: 0 proceed, 8 blocked (an inhibitor), 1 error, 2 usage error");
}

struct assess_args {
	const char *root, *db_path, *format, *output, *host;
	enum aoms_fail_on fail_on;
	const char **mappings;
	size_t n_mappings;
	struct aoms_assess_options ao;
};

static int parse(int argc, char **argv, struct assess_args *a)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "db", required_argument, NULL, 'd' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "mapping", required_argument, NULL, 'm' },
		{ "host", required_argument, NULL, 'H' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': a->root = optarg; break;
		case 'd': a->db_path = optarg; break;
		case 'k': a->ao.kernel = optarg; break;
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'm': a->mappings[a->n_mappings++] = optarg; break;
		case 'H': a->host = optarg; break;
		case 'j': a->ao.jobs = (unsigned)atoi(optarg); break;
		case 'F':
			if (aoms_fail_on_from_name(optarg, &a->fail_on) < 0) {
				aoms_tool_err("unknown --fail-on '%s'", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case 'h': assess_usage(); return -1;
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
	struct assess_args a = { .root = "/", .format = "text", .fail_on = AOMS_FAIL_INHIBITOR,
				 .mappings = mappings };
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *rep = NULL;
	_cleanup_(aoms_pes_freep) struct aoms_pes *pes = NULL;
	_cleanup_(freep) char *reason = NULL;
	int r, status;

	if (!mappings)
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
	if (aoms_tool_open_db(a.db_path, &db) != 0)
		return AOMS_EXIT_ERROR;
	aoms_report_set_meta(rep, "database", a.db_path ? a.db_path : "embedded");
	aoms_report_set_meta(rep, "target_name", "Anolis OS 8");
	a.ao.root = a.root;
	a.ao.db = db;
	a.ao.pes = pes;
	a.ao.report = rep;
	a.ao.host = a.host;
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
