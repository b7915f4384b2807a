/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "abidb.h"
#include "aoms.h"
#include "check-syscall.h"
#include "platform.h"
#include "scan.h"

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

/* Facts about the run that every report format shows in its header. */
static void describe_target(struct aoms_report *rep, struct aoms_abidb *db, const char *db_path)
{
	_cleanup_(freep) char *name = aoms_abidb_get_meta(db, "name");
	_cleanup_(freep) char *coverage = aoms_abidb_get_meta(db, "coverage");
	_cleanup_(freep) char *arches = aoms_abidb_get_meta(db, "arches");

	aoms_report_set_meta(rep, "target", name ? name : "unknown");
	aoms_report_set_meta(rep, "database", db_path ? db_path : "embedded");
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

/* Whether the database has a syscall table for kernel (x86_64 or aarch64). */
static bool kernel_known(struct aoms_abidb *db, const char *kernel)
{
	static const char *const arches[] = { "x86_64", "aarch64" };

	for (size_t i = 0; i < 2; i++) {
		_cleanup_(freep) char *label = NULL;

		if (aoms_syscall_table_label(db, arches[i], kernel, &label) == 0)
			return true;
	}
	return false;
}

static void scan_usage(void)
{
	puts("usage: aoms scan [--db FILE] [--format FORMAT] [-o FILE] [--jobs N]\n"
	     "                 [--fail-on SEVERITY] [--allow-empty] [--arch ARCH]...\n"
	     "                 [--kernel KERNEL] PATH...\n\n"
	     "  --fail-on info|low|medium|high|inhibitor|never\n"
	     "                 what sets exit bit 4 (default medium); never: neither 4 nor 8\n"
	     "  --allow-empty  a run that judged no file is fine (no exit bit 16)\n"
	     "  --kernel KERNEL  judge syscalls against this kernel's table: a label\n"
	     "                 (4.18-el8, 4.19-anck, 5.10) or a release (5.10.134-13.an8)\n"
	     "  --arch ARCH    an architecture the migrated hosts run (repeatable; default\n"
	     "                 x86_64): builds for other platforms beside one for ARCH are\n"
	     "                 info, not blockers\n\n"
	     "exit status (bits): 0 nothing to report, 1 runtime error (results may be\n"
	     "partial), 2 usage error, 4 findings at or above --fail-on, 8 a blocking\n"
	     "incompatibility (inhibitor), 16 no file was judged (wrong path, only scripts\n"
	     "or data; not with --allow-empty)");
}

int aoms_cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "arch", required_argument, NULL, 'a' },
		{ "allow-empty", no_argument, NULL, 'E' },
		{ "kernel", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *rep = NULL;
	const char *db_path = NULL, *format = "text", *output = NULL;
	enum aoms_fail_on fail_on = AOMS_FAIL_MEDIUM;
	bool allow_empty = false;
	struct aoms_scan_options so = { 0 };
	_cleanup_(freep) const char **arches = calloc((size_t)argc + 1, sizeof(*arches));
	size_t n_arches = 0;
	_cleanup_(freep) char *target = NULL;
	int c, r, status;

	if (!arches) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	while ((c = getopt_long(argc, argv, "d:f:o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'j':
			if (parse_jobs(optarg, &so.jobs) < 0) {
				aoms_tool_err("--jobs takes a number from 1 to 64, not '%s'", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case 'F':
			if (aoms_fail_on_from_name(optarg, &fail_on) < 0) {
				aoms_tool_err("unknown --fail-on '%s'", optarg);
				return AOMS_EXIT_USAGE;
			}
			break;
		case 'a':
			if (!aoms_platform_arch_valid(optarg)) {
				aoms_tool_err("unknown --arch '%s' (x86_64, aarch64, i686, ...)", optarg);
				return AOMS_EXIT_USAGE;
			}
			arches[n_arches++] = optarg;
			break;
		case 'E': allow_empty = true; break;
		case 'K': so.syscall_kernel = optarg; break;
		case 'h':
			scan_usage();
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
	if (aoms_report_new(&rep) < 0) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	aoms_report_set_allow_empty(rep, allow_empty);
	if (aoms_tool_open_db(db_path, &db) != 0) {
		/* Machine output stays machine output: the error goes into the document. */
		aoms_report_add_error(rep, db_path ? db_path : "(embedded)", 0,
				      "cannot open database '%s'", db_path ? db_path : "(embedded)");
		for (int i = optind; i < argc; i++)
			aoms_report_add_input(rep, argv[i]);
		aoms_tool_write_report(rep, format, fail_on, output);
		return AOMS_EXIT_ERROR;
	}
	describe_target(rep, db, db_path);
	/* Messages name the target: its meta pretty_name ("Anolis OS 8"), else its name
	 * (a built database's is its root's os-release PRETTY_NAME, or --name). */
	target = aoms_abidb_get_meta(db, "pretty_name");
	if (!target)
		target = aoms_abidb_get_meta(db, "name");
	so.target_name = target ? target : "the target";
	so.arches = arches;
	so.n_arches = n_arches;
	if (so.syscall_kernel && !kernel_known(db, so.syscall_kernel)) {
		aoms_tool_err("no syscall table for --kernel '%s' in the database", so.syscall_kernel);
		return AOMS_EXIT_USAGE;
	}
	describe_target_glibc(rep, db, target);
	so.db = db;
	so.report = rep;
	r = aoms_scan(&so, argv + optind, (size_t)(argc - optind));
	if (r < 0)
		aoms_report_add_error(rep, "", -r, "scan stopped: %s", strerror(-r));
	aoms_report_sort(rep);
	aoms_tool_print_errors(rep);
	warn_nothing_judged(rep);
	status = aoms_tool_write_report(rep, format, fail_on, output);
	return status | aoms_report_exit_status(rep, fail_on);
}
