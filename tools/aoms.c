/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "abidb.h"
#include "aoms-log.h"
#include "aoms.h"
#include "config.h"

static const struct aoms_cmd commands[] = {
	{ "scan", aoms_cmd_scan, "check files and directories against the target" },
	{ "assess", aoms_cmd_assess, "assess a whole system (--root) for the migration" },
	{ "plan", aoms_cmd_plan, "decide and stage the migration from assessment reports" },
	{ "apply", aoms_cmd_apply, "apply a plan's package transaction on a root (journal)" },
	{ "rollback", aoms_cmd_rollback, "return a root to its state before aoms apply" },
	{ "db", aoms_cmd_db, "build, import and inspect target databases" },
	{ "rules", aoms_cmd_rules, "list every rule a finding may carry" },
	{ "explain", aoms_cmd_explain, "describe one rule: what it means and what to do" },
	{ "help", aoms_cmd_help, "this help, or a command's: aoms help [COMMAND]" },
	{ NULL, NULL, NULL },
};

static void log_to_stderr(enum aoms_log_level level, const char *msg, void *ud)
{
	aoms_tool_progress_clear();
	fprintf(stderr, "aoms: %s%s\n", level <= AOMS_LOG_WARNING ? "warning: " : "", msg);
}

static const struct aoms_opt main_opts[] = {
	{ "verbose", 'v', NULL, NULL, "debug messages on stderr" },
	{ "version", 'V', NULL, NULL, "print the version and exit" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

#define EXIT_STATUS_BITS \
	"bits: 0 nothing to report, 1 runtime error (results may be partial), 2 usage\n" \
	"error, 4 findings at or above --fail-on (default medium), 8 a blocking\n" \
	"incompatibility (inhibitor), 16 a scan judged no file (unless --allow-empty)"

static const struct aoms_cmd_doc main_doc = {
	.name = "",
	.summary = "judge software against Anolis OS 8 before a CentOS host moves there",
	.synopsis = "[--verbose] [--help] [--version] COMMAND [ARGS]",
	.description =
		"aoms judges software against Anolis OS 8 before a CentOS host moves there.\n"
		"\n"
		"commands: scan (check files, directories and packages against the target),\n"
		"assess (a whole system), plan (decide and stage the migration from\n"
		"assessments), apply (a plan's package transaction on a root, with a\n"
		"journal), rollback (back to the state before apply), db build, db import,\n"
		"db info, db query (target databases),\n"
		"rules (the rule catalogue), explain RULE (one rule), help [COMMAND] (a\n"
		"command's help, as COMMAND --help).",
	.opts = main_opts,
	.examples = "aoms scan /opt/app\n"
		    "aoms help scan\n"
		    "aoms db query --soname libssl.so.1.1",
	.exit_status = EXIT_STATUS_BITS,
	.operands = "none",
};

static const struct aoms_opt help_opts[] = {
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct aoms_cmd_doc help_doc = {
	.name = "help",
	.summary = "print the help of aoms or of one command",
	.synopsis = "[COMMAND [SUBCOMMAND]]",
	.description = "Print the help of aoms, or COMMAND's (the same as aoms COMMAND --help).",
	.opts = help_opts,
	.examples = "aoms help scan\n"
		    "aoms help db build",
	.exit_status = "0 printed, 2 an unknown command",
	.operands = "scan assess plan apply rollback db rules explain",
};

/* Every page: aoms(1) and one per command, in the command table's order. */
static const struct aoms_cmd_doc *const docs[] = {
	&main_doc, &aoms_doc_scan, &aoms_doc_assess, &aoms_doc_plan, &aoms_doc_apply,
	&aoms_doc_rollback, &aoms_doc_db_build,
	&aoms_doc_db_import, &aoms_doc_db_info, &aoms_doc_db_query, &aoms_doc_rules,
	&aoms_doc_explain, &help_doc, NULL,
};

static void usage(FILE *f)
{
	fputs("usage: aoms [--verbose] [--help] [--version] COMMAND [ARGS]\n\n"
	      "aoms judges software against Anolis OS 8 before a CentOS host moves there.\n\n"
	      "commands:\n", f);
	for (const struct aoms_cmd *c = commands; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->help);
	fputs("\n", f);
	for (size_t i = 1; docs[i]; i++) {
		int indent = fprintf(f, "  aoms %s ", docs[i]->name);

		for (const char *s = docs[i]->synopsis; *s; s++) {
			fputc(*s, f);
			if (*s == '\n')
				fprintf(f, "%*s", indent, "");
		}
		fputc('\n', f);
	}
	fputs("\noptions:\n", f);
	aoms_opts_print(f, main_opts);
	fputs("\nSee 'aoms help COMMAND' for a command's options, examples and exit status.\n\n"
	      "exit status:\n", f);
	fputs(EXIT_STATUS_BITS "\n", f);
}

/* aoms help [COMMAND [SUBCOMMAND]]: COMMAND --help. */
int aoms_cmd_help(int argc, char **argv)
{
	char *args[4] = { NULL };

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		aoms_opts_usage(stdout, &help_doc);
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

/* The man page's date: $SOURCE_DATE_EPOCH when set (reproducible builds), else today. */
static void man_date(char buf[16])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 16, "%Y-%m-%d", &tm);
}

/* "db-build" or "db build" -> the doc; "aoms" -> aoms's own. */
static const struct aoms_cmd_doc *find_doc(const char *name)
{
	if (strcmp(name, "aoms") == 0)
		return &main_doc;
	for (size_t i = 1; docs[i]; i++) {
		const char *a = docs[i]->name, *b = name;

		while (*a && (*a == *b || (*a == ' ' && *b == '-'))) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return docs[i];
	}
	return NULL;
}

/* Writes path with fn(doc); 0 or AOMS_EXIT_ERROR (printed). */
static int dump_to(const char *path, const struct aoms_cmd_doc *doc, const char *date)
{
	FILE *f = path ? fopen(path, "we") : stdout;

	if (!f) {
		aoms_tool_err("cannot write '%s': %s", path, strerror(errno));
		return AOMS_EXIT_ERROR;
	}
	if (doc)
		aoms_opts_man(f, doc, AOMS_VERSION, date);
	else
		aoms_opts_completion(f, docs);
	if ((path ? fclose(f) : fflush(f)) != 0) {
		aoms_tool_err("cannot write '%s': %s", path ? path : "stdout", strerror(errno));
		return AOMS_EXIT_ERROR;
	}
	return 0;
}

/*
 * The build's hidden generators (CMakeLists.txt): --dump-man COMMAND prints one man
 * page ("aoms", "scan", "db-build"), --dump-man-dir DIR writes them all as
 * DIR/aoms.1, DIR/aoms-scan.1, ..., --dump-completion [FILE] the bash completion.
 * Returns an exit status, or -1 when argv asks for none of them.
 */
static int dump(int argc, char **argv)
{
	char date[16];

	if (argc < 2 || strncmp(argv[1], "--dump-", 7) != 0)
		return -1;
	man_date(date);
	if (strcmp(argv[1], "--dump-completion") == 0 && argc <= 3)
		return dump_to(argc == 3 ? argv[2] : NULL, NULL, date);
	if (strcmp(argv[1], "--dump-man") == 0 && argc == 3) {
		const struct aoms_cmd_doc *doc = find_doc(argv[2]);

		if (!doc) {
			aoms_tool_err("no command '%s'", argv[2]);
			return AOMS_EXIT_USAGE;
		}
		return dump_to(NULL, doc, date);
	}
	if (strcmp(argv[1], "--dump-man-dir") == 0 && argc == 3) {
		for (size_t i = 0; docs[i]; i++) {
			char path[4096];
			int n = snprintf(path, sizeof(path), "%s/aoms%s", argv[2], *docs[i]->name ? "-" : "");
			int r;

			for (const char *s = docs[i]->name; *s && n < (int)sizeof(path) - 4; s++)
				path[n++] = *s == ' ' ? '-' : *s;
			snprintf(path + n, sizeof(path) - (size_t)n, ".1");
			if ((r = dump_to(path, docs[i], date)) != 0)
				return r;
		}
		return 0;
	}
	aoms_tool_err("unknown option '%s'", argv[1]);
	return AOMS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	enum aoms_log_level level = AOMS_LOG_WARNING;
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	int c = dump(argc, argv);

	if (c >= 0)
		return c;
#ifdef M_MMAP_THRESHOLD
	/* Large transient buffers (a big object's tables) are mapped and given back when
	 * freed. glibc would otherwise raise the threshold to the size of the first such
	 * buffer freed (up to 32 MiB) and serve the next ones from the workers' arenas,
	 * which keep the memory: 10 MB more peak RSS on a /usr scan. 4 MiB, not glibc's
	 * initial 128 KiB: the section data libelf reads for ordinary libraries and the
	 * syscall pass's 256 KiB buffers are reused from the arenas instead of being
	 * mapped, zeroed and unmapped per object (a /usr scan: 102k -> 63k page faults,
	 * the same peak RSS; 8 MiB would add 1 MB). */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
	if (aoms_opts_getopt(main_opts, true, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
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
