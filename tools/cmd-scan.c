/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "abidb.h"
#include "abidb-bpf.h"
#include "aoms.h"
#include "check-syscall.h"
#include "platform.h"
#include "scan.h"
#include "tool-opts.h"
#include "waivers.h"

static int parse_jobs(const char *s, unsigned *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 64)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

static bool format_known(const char *format)
{
	for (const char *const *f = aoms_report_formats(); *f; f++)
		if (strcmp(*f, format) == 0)
			return true;
	return false;
}

static int kernel_is(const char *release, const char *arch, const char *vermagic, void *ud)
{
	(void)arch;
	(void)vermagic;
	return strcmp(release, ud) == 0;
}

/* Whether the database has a syscall table for kernel (x86_64 or aarch64). */
static bool syscall_kernel_known(struct aoms_abidb *db, const char *kernel)
{
	static const char *const arches[] = { "x86_64", "aarch64" };

	for (size_t i = 0; i < 2; i++) {
		_cleanup_(freep) char *label = NULL;

		if (aoms_syscall_table_label(db, arches[i], kernel, &label) == 0)
			return true;
	}
	return false;
}

/* Whether the database knows the kernel: a release it records (any arch), or a
 * release or label its BPF facts or its syscall tables resolve. */
static bool kernel_known(struct aoms_abidb *db, const char *release)
{
	_cleanup_(freep) char *label = NULL;

	return aoms_abidb_foreach_kernel(db, kernel_is, (void *)release) > 0 ||
	       aoms_abidb_bpf_kernel(db, release, &label) == 0 ||
	       syscall_kernel_known(db, release);
}

/* Facts about the run that every report format shows in its header. */
static void describe_target(struct aoms_report *rep, struct aoms_abidb *db)
{
	_cleanup_(freep) char *name = aoms_abidb_get_meta(db, "name");
	_cleanup_(freep) char *coverage = aoms_abidb_get_meta(db, "coverage");
	_cleanup_(freep) char *arches = aoms_abidb_get_meta(db, "arches");

	aoms_report_set_meta(rep, "target", name ? name : "unknown");
	aoms_tool_describe_db(rep, db);
	aoms_report_set_meta(rep, "coverage", coverage ? coverage : "partial");
	aoms_report_set_meta(rep, "arches", arches ? arches : "");
}

/* The target as the text report's verdict lines name it ("Anolis OS 8 has 2.28"), so
 * renderers need no database. */
static void describe_target_glibc(struct aoms_report *rep, struct aoms_abidb *db,
				  const char *target)
{
	const char *glibc = NULL;

	if (target)
		aoms_report_set_meta(rep, "target_name", target);
	if (aoms_abidb_target_glibc(db, &glibc) == 0 && glibc)
		aoms_report_set_meta(rep, "target_glibc", glibc);
}

/* A run that judged nothing is most often a wrong path: say so (exit bit 16). */
static void warn_nothing_judged(const struct aoms_report *rep)
{
	const struct aoms_report_files *fs = aoms_report_files(rep);

	if (!fs || aoms_report_files_judged(fs) > 0 || aoms_report_allow_empty(rep))
		return;
	fputs("aoms scan: no file was judged (", stderr);
	if (fs->seen == 0)
		fputs("no file seen", stderr);
	else if (fs->skipped == fs->seen)
		fprintf(stderr, "%zu %s seen, all skipped", fs->seen, fs->seen == 1 ? "file" : "files");
	else
		fprintf(stderr, "%zu %s seen: %zu not judged, %zu skipped, %zu unreadable", fs->seen,
			fs->seen == 1 ? "file" : "files", fs->not_judged, fs->skipped, fs->failed);
	fputs("); use --allow-empty to accept\n", stderr);
}

/* Options without a short form. */
enum {
	OPT_FAIL_ON = 256,
	OPT_ALLOW_EMPTY,
	OPT_ARCH,
	OPT_RUN_ID,
	OPT_BASELINE,
	OPT_WAIVERS,
	OPT_MIN_SEVERITY,
	OPT_EXCLUDE,
	OPT_SUMMARY,
	OPT_KERNEL,
};

/* The options of `aoms scan`: getopt's table and the help text both come from here. */
static const struct aoms_opt scan_opts[] = {
	{ "db", 'd', "FILE", "the embedded database",
	  "the target database (aoms db build/import), or 'embedded'; repeatable: the\n"
	  "databases layer, a later one overriding or extending the earlier ones\n"
	  "(--db embedded --db site.db adds a site's libraries to the target)" },
	{ "format", 'f', "FORMAT", "text",
	  "text, json (the aoms report, docs/report-schema.md), leapp (leapp-report.json,\n"
	  "schema 1.2.0), sarif (SARIF 2.1.0), junit (JUnit XML), html (one page)" },
	{ "output", 'o', "FILE", "stdout", "write the report to FILE (replaced atomically)" },
	{ "jobs", 'j', "N", "online CPUs", "worker threads, 1 to 64" },
	{ "fail-on", OPT_FAIL_ON, "SEVERITY", "medium",
	  "info|low|medium|high|inhibitor|never: what sets exit bit 4; never: neither 4 nor 8" },
	{ "allow-empty", OPT_ALLOW_EMPTY, NULL, NULL, "a run that judged no file is fine (no exit bit 16)" },
	{ "arch", OPT_ARCH, "ARCH", "x86_64",
	  "an architecture the migrated hosts run (repeatable): builds for other\n"
	  "platforms beside one for ARCH are info, not blockers" },
	{ "run-id", OPT_RUN_ID, "ID", "a random UUID",
	  "the run id leapp/sarif/junit/html name; their time is $SOURCE_DATE_EPOCH\n"
	  "when set, else now" },
	{ "baseline", OPT_BASELINE, "REPORT", NULL,
	  "an earlier aoms JSON report: report (and fail on) only findings whose key\n"
	  "it does not have" },
	{ "waivers", OPT_WAIVERS, "FILE", NULL,
	  "findings accepted, by key: {\"waivers\": [{\"key\", \"reason\", \"owner\",\n"
	  "\"expires\": \"YYYY-MM-DD\"}]}; a waived finding is shown marked and does not\n"
	  "count toward the exit status; expired waivers are ignored (noted on stderr\n"
	  "and in run.waivers_expired)" },
	{ "min-severity", OPT_MIN_SEVERITY, "LEVEL", "info",
	  "info|low|medium|high: report only findings at or above it (inhibitors always)" },
	{ "exclude", OPT_EXCLUDE, "GLOB", NULL,
	  "skip paths (relative to their input) that match the fnmatch(3) pattern\n"
	  "('*' matches '/' too: '*.log' at any depth); a matching directory is not\n"
	  "entered; repeatable" },
	{ "summary", OPT_SUMMARY, NULL, NULL,
	  "text format: only the verdicts of files that are not compatible, and the\n"
	  "totals (other formats are unchanged)" },
	{ "quiet", 'q', NULL, NULL,
	  "print nothing but errors (a report given -o is still written); without it,\n"
	  "a progress line (phase, files done of found, rate) on stderr when it is a\n"
	  "terminal" },
	{ "kernel", OPT_KERNEL, "KERNEL", "the database's default kernel",
	  "the target kernel: a release (4.19.91-27.an8) or a facts label (4.18-el8,\n"
	  "4.19-anck, 5.10); kernel modules are judged against it, eBPF objects against\n"
	  "its BPF facts, syscalls against its syscall table (for a module the default\n"
	  "is the database's kernel of its arch)" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_scan = {
	.name = "scan",
	.summary = "check files, directories and packages against the target",
	.synopsis = "[OPTION]... PATH...",
	.description =
		"Check files, directories and .rpm packages against the target.\n"
		"Each ELF object (program, library, kernel module, eBPF object) and each\n"
		"package under PATH is judged against the target database: the libraries,\n"
		"symbol versions, kernel exports, syscalls and packages it needs. The report\n"
		"lists a verdict per file and the findings, each with a rule (aoms explain\n"
		"RULE), a severity and what to do.",
	.opts = scan_opts,
	.examples = "aoms scan /opt/app\n"
		    "aoms scan --format sarif -o app.sarif --exclude '*.log' /opt/app\n"
		    "aoms scan --baseline last.json --waivers waivers.json --fail-on high /opt/app",
	.exit_status =
		"bits: 0 nothing to report, 1 runtime error (results may be partial),\n"
		"2 usage error, 4 findings at or above --fail-on, 8 a blocking incompatibility\n"
		"(inhibitor), 16 no file was judged (wrong path, only scripts or data; not\n"
		"with --allow-empty)",
	.operands = "file",
};

int aoms_cmd_scan(int argc, char **argv)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *rep = NULL;
	const char *format = "text", *output = NULL, *run_id = NULL;
	_cleanup_(freep) const char **dbs = calloc((size_t)argc + 1, sizeof(*dbs));
	size_t n_dbs = 0;
	_cleanup_(freep) char *db_reason = NULL;
	const char *baseline = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *base = NULL;
	_cleanup_(aoms_waivers_freep) struct aoms_waivers *waivers = NULL;
	const char *waivers_path = NULL;
	bool summary = false;
	_cleanup_(freep) const char **excludes = calloc((size_t)argc + 1, sizeof(*excludes));
	enum aoms_severity min_severity = AOMS_SEV_INFO;
	bool quiet = false;
	enum aoms_fail_on fail_on = AOMS_FAIL_MEDIUM;
	bool allow_empty = false;
	struct aoms_scan_options so = { 0 };
	struct aoms_tool_progress line = { 0 };
	_cleanup_(freep) const char **arches = calloc((size_t)argc + 1, sizeof(*arches));
	size_t n_arches = 0;
	_cleanup_(freep) char *target = NULL;
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	int c, r, status;

	if (!arches || !excludes || !dbs || aoms_opts_getopt(scan_opts, false, &opts, &shortopts) < 0) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbs[n_dbs++] = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'j':
			if (parse_jobs(optarg, &so.jobs) < 0) {
				aoms_tool_err("--jobs takes a number from 1 to 64, not '%s'", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case OPT_FAIL_ON:
			if (aoms_fail_on_from_name(optarg, &fail_on) < 0) {
				aoms_tool_err("unknown --fail-on '%s'", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case OPT_ARCH:
			if (!aoms_platform_arch_valid(optarg)) {
				aoms_tool_err("unknown --arch '%s' (x86_64, aarch64, i686, ...)", optarg);
				return AOMS_EXIT_USAGE;
			}
			arches[n_arches++] = optarg;
			break;
		case OPT_ALLOW_EMPTY: allow_empty = true; break;
		case OPT_BASELINE: baseline = optarg; break;
		case OPT_MIN_SEVERITY:
			if (aoms_severity_from_name(optarg, &min_severity) < 0) {
				aoms_tool_err("unknown --min-severity '%s' (info, low, medium, high)", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case 'q': quiet = true; break;
		case OPT_RUN_ID:
			if (!*optarg) {
				aoms_tool_err("--run-id takes a non-empty id");
				return AOMS_EXIT_USAGE;
			}
			run_id = optarg;
			break;
		case OPT_KERNEL: so.kernel = optarg; break;
		case OPT_WAIVERS: waivers_path = optarg; break;
		case OPT_EXCLUDE:
			if (!*optarg) {
				aoms_tool_err("--exclude takes a non-empty pattern");
				return AOMS_EXIT_USAGE;
			}
			excludes[so.n_exclude++] = optarg;
			break;
		case OPT_SUMMARY: summary = true; break;
		case 'h':
			aoms_opts_usage(stdout, &aoms_doc_scan);
			return 0;
		default:
			return AOMS_EXIT_USAGE;
		}
	}
	if (!format_known(format)) {
		aoms_tool_err("unknown format '%s'", format);
		return AOMS_EXIT_USAGE;
	}
	if (optind >= argc) {
		aoms_tool_err("scan needs at least one PATH");
		return AOMS_EXIT_USAGE;
	}
	if (baseline && (status = aoms_tool_read_baseline(baseline, &base)) != 0)
		return status;
	if (waivers_path && (status = aoms_tool_read_waivers(waivers_path, &waivers)) != 0)
		return status;
	if (aoms_report_new(&rep) < 0) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	aoms_report_set_allow_empty(rep, allow_empty);
	status = aoms_tool_set_run(rep, run_id);
	if (status)
		return status;
	if (aoms_tool_open_db(dbs, n_dbs, &db, &db_reason) != 0) {
		/* Machine output stays machine output: the error goes into the document. */
		aoms_report_add_error(rep, "(database)", 0, "%s",
				      db_reason ? db_reason : "cannot open the database");
		for (int i = optind; i < argc; i++)
			aoms_report_add_input(rep, argv[i]);
		aoms_tool_write_report(rep, format, fail_on, output);
		return AOMS_EXIT_ERROR;
	}
	describe_target(rep, db);
	if (so.kernel && !kernel_known(db, so.kernel)) {
		aoms_tool_err("the database has no kernel '%s' (see aoms db info)", so.kernel);
		return AOMS_EXIT_USAGE;
	}
	/* Messages name the target: its meta pretty_name ("Anolis OS 8"), else its name
	 * (a built database's is its root's os-release PRETTY_NAME, or --name). */
	target = aoms_abidb_get_meta(db, "pretty_name");
	if (!target)
		target = aoms_abidb_get_meta(db, "name");
	so.target_name = target ? target : "the target";
	so.arches = arches;
	so.n_arches = n_arches;
	describe_target_glibc(rep, db, target);
	so.db = db;
	so.report = rep;
	so.exclude = excludes;
	if (!quiet && isatty(STDERR_FILENO)) {
		so.progress = aoms_tool_progress_show;
		so.progress_ud = &line;
	}
	r = aoms_scan(&so, argv + optind, (size_t)(argc - optind));
	aoms_tool_progress_end(&line);
	if (r < 0)
		aoms_report_add_error(rep, "", -r, "scan stopped: %s", strerror(-r));
	status = aoms_tool_filter_report(rep, base, min_severity);
	if (!status)
		status = aoms_tool_apply_waivers(rep, waivers, quiet);
	if (status)
		return status;
	aoms_report_sort(rep);
	aoms_tool_print_errors(rep);
	if (!quiet)
		warn_nothing_judged(rep);
	/* --quiet: nothing on stdout; a report asked for with -o is still written */
	if (quiet && !output)
		return aoms_report_exit_status(rep, fail_on);
	/* --summary shortens the text format only; machine formats stay whole */
	if (summary && strcmp(format, "text") == 0)
		format = "text-summary";
	status = aoms_tool_write_report(rep, format, fail_on, output);
	return status | aoms_report_exit_status(rep, fail_on);
}
