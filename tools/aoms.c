/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "abidb.h"
#include "aoms-log.h"
#include "aoms.h"
#include "config.h"

static const struct aoms_cmd commands[] = {
	{ "scan", aoms_cmd_scan, "check files and directories against the target" },
	{ "assess", aoms_cmd_assess, "assess a whole system (--root) for the migration" },
	{ "plan", aoms_cmd_plan, "decide and stage the migration from assessment reports" },
	{ "db", aoms_cmd_db, "build, import and inspect target databases" },
	{ "rules", aoms_cmd_rules, "list every rule a finding may carry" },
	{ "explain", aoms_cmd_explain, "describe one rule: what it means and what to do" },
	{ "help", aoms_cmd_help, "this help, or a command's: aoms help [COMMAND]" },
	{ NULL, NULL, NULL },
};

static void log_to_stderr(enum aoms_log_level level, const char *msg, void *ud)
{
	fprintf(stderr, "aoms: %s%s\n", level <= AOMS_LOG_WARNING ? "warning: " : "", msg);
}

static void usage(FILE *f)
{
	fputs("usage: aoms [--verbose] [--help] [--version] COMMAND [ARGS]\n\n"
	      "aoms judges software against Anolis OS 8 before a CentOS host moves there.\n\n"
	      "commands:\n", f);
	for (const struct aoms_cmd *c = commands; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->help);
	fputs("\n  aoms scan [--db FILE] [--format FORMAT] [-o FILE] [--jobs N]\n"
	      "            [--fail-on info|low|medium|high|inhibitor|never] [--allow-empty]\n"
	      "            PATH...\n"
	      "  aoms assess [--root DIR] [--db FILE] [--format FORMAT] [-o FILE] [--mapping FILE]...\n"
	      "  aoms plan REPORT... [--policy FILE] [--waivers FILE] [-o PLAN] [--format json|text]\n"
	      "  aoms db build --root DIR -o FILE [--name NAME]\n"
	      "  aoms db import (-o NEWFILE | --db FILE) TABLE.tsv...\n"
	      "  aoms db info [--db FILE] [--format text|json]\n"
	      "  aoms db query [--db FILE] [--arch ARCH] [--format text|json]\n"
	      "            (--provides CAP | --soname SONAME | --symbol NAME[@VERSION] |\n"
	      "             --exports SONAME | --kernel-symbol NAME)\n"
	      "  aoms rules [--format text|json]\n"
	      "  aoms explain [--format text|json] RULE\n\n"
	      "exit status (bits): 0 nothing to report, 1 runtime error (results may be\n"
	      "partial), 2 usage error, 4 findings at or above --fail-on (default medium),\n"
	      "8 a blocking incompatibility (inhibitor), 16 a scan judged no file\n"
	      "(unless --allow-empty)\n", f);
}

/* aoms help [COMMAND [SUBCOMMAND]]: COMMAND --help. */
int aoms_cmd_help(int argc, char **argv)
{
	char *args[4] = { NULL };

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (argc > 3) {
		aoms_tool_err("takes at most COMMAND and SUBCOMMAND");
		return AOMS_EXIT_USAGE;
	}
	args[0] = argv[1];
	args[1] = argc == 3 ? argv[2] : (char *)"--help";
	args[2] = argc == 3 ? (char *)"--help" : NULL;
	optind = 0;
	return aoms_tool_dispatch(commands, "command", argc, args);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	enum aoms_log_level level = AOMS_LOG_WARNING;
	int c;

	while ((c = getopt_long(argc, argv, "+hVv", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		case 'V': printf("aoms %s\n", AOMS_VERSION); return 0;
		case 'v': level = AOMS_LOG_DEBUG; break;
		default: usage(stderr); return AOMS_EXIT_USAGE;
		}
	}
	aoms_log_set(log_to_stderr, NULL, level);
	if (optind >= argc) {
		usage(stderr);
		return AOMS_EXIT_USAGE;
	}
	argv += optind;
	argc -= optind;
	optind = 0;   /* sub-commands parse their own options with getopt again */
	return aoms_tool_dispatch(commands, "command", argc, argv);
}
