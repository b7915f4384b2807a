/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The scanner registry: a toy scanner added through the registry alone (this file
 * edits nothing else) is probed, read and checked by aoms_scan(), its findings reach
 * the report and summary.files counts it; table order decides a file two rows claim;
 * a row whose read fails puts the file under errors and the scan goes on; files no
 * row claims are counted as skipped or, when judgeable, get scan.not-judged.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "abidb.h"
#include "report.h"
#include "rules.h"
#include "scan.h"
#include "scanner.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

/* ---- the toy format: files starting with "TOYF", then one line of payload ---- */

struct toy_model {
	char payload[64];
};

static bool toy_probe(struct aoms_probe *p)
{
	return p->n_head >= 4 && memcmp(p->head, "TOYF", 4) == 0;
}

static int toy_read(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd)
{
	struct toy_model *m;
	ssize_t n;

	if (strstr(f->subject, "broken"))
		return -EIO;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	n = pread(fd, m->payload, sizeof(m->payload) - 1, 4);
	m->payload[n > 0 ? n : 0] = '\0';
	m->payload[strcspn(m->payload, "\n")] = '\0';
	f->model = m;
	return 0;
}

static int toy_check(const struct aoms_scan_ctx *ctx, const struct aoms_file *f)
{
	const struct toy_model *m = f->model;
	struct aoms_finding *fd;

	if (strcmp(m->payload, "bad") != 0)
		return 0;
	if (aoms_finding_new("toy.bad-payload", AOMS_SEV_MEDIUM, AOMS_DIM_APPLICATIONS,
			     f->subject, &fd) < 0)
		return -ENOMEM;
	aoms_finding_set_title(fd, "%s carries a bad payload", f->subject);
	aoms_finding_add_evidence(fd, "payload", m->payload);
	return aoms_report_add(ctx->report, fd);
}

static void toy_free(void *model)
{
	free(model);
}

static const struct aoms_scanner toy = {
	.name = "toy",
	.dimension = AOMS_DIM_APPLICATIONS,
	.probe = toy_probe,
	.read = toy_read,
	.check = toy_check,
	.free = toy_free,
};

/* Claims the same files, registered after toy: must never win one. */
static bool greedy_probe(struct aoms_probe *p)
{
	return toy_probe(p);
}

static int greedy_read(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd)
{
	fail_msg("the second row claiming %s was asked to read it", f->subject);
	return -EINVAL;
}

static const struct aoms_scanner greedy = {
	.name = "greedy",
	.dimension = AOMS_DIM_APPLICATIONS,
	.probe = greedy_probe,
	.read = greedy_read,
};

static const struct aoms_rule toy_rules[] = {
	{ .id = "toy.bad-payload", .dimension = AOMS_DIM_APPLICATIONS,
	  .severity = AOMS_SEV_MEDIUM, .title = "{subject} carries a bad payload",
	  .doc = "The toy scanner of the registry test found a bad payload." },
};

static int setup(void **state)
{
	if (aoms_test_setup(state) < 0 || aoms_scanner_register(&toy) < 0 ||
	    aoms_scanner_register(&greedy) < 0 || aoms_rules_register(toy_rules, 1) < 0)
		return -1;
	return 0;
}

static struct aoms_report *scan_dir(const char *dir, unsigned jobs)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(freep) char *in = aoms_test_path(dir);
	struct aoms_report *report = NULL;
	char *paths[] = { in };

	OK(aoms_abidb_open(NULL, &db));   /* the embedded default */
	OK(aoms_report_new(&report));
	struct aoms_scan_options o = { .db = db, .report = report, .jobs = jobs };
	OK(aoms_scan(&o, paths, 1));
	aoms_report_sort(report);
	return report;
}

static size_t judged_by(const struct aoms_report_files *fs, const char *name)
{
	for (size_t i = 0; i < fs->n_judged; i++)
		if (strcmp(fs->judged[i].scanner, name) == 0)
			return fs->judged[i].count;
	return (size_t)-1;
}

static void test_registry_table(void **state)
{
	assert_int_equal(aoms_scanner_register(&toy), -EEXIST);
	assert_ptr_equal(aoms_scanner_at(0), &aoms_scanner_rpm);
	assert_ptr_equal(aoms_scanner_at(1), &aoms_scanner_kmod);   /* before elf: ET_REL */
	assert_ptr_equal(aoms_scanner_at(2), &aoms_scanner_elf);
	assert_true(aoms_scanner_index(&toy) > aoms_scanner_index(&aoms_scanner_elf));
	assert_true(aoms_scanner_index(&greedy) > aoms_scanner_index(&toy));
	assert_null(aoms_scanner_at(aoms_scanners_count()));
}

static void test_toy_scanner(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	const struct aoms_report_files *fs;
	const struct aoms_finding *f;

	assert_true(aoms_test_sh("mkdir -p toy && printf 'TOYFbad\\n' > toy/one.toy && "
				 "printf 'TOYFgood\\n' > toy/two.toy && "
				 "printf 'TOYFbad\\n' > toy/broken.toy && echo text > toy/notes.txt"));
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		r = scan_dir("toy", jobs);
		assert_int_equal(aoms_report_n_findings(r), 1);
		f = aoms_report_finding(r, 0);
		assert_string_equal(f->rule, "toy.bad-payload");
		assert_string_equal(f->subject, "one.toy");
		assert_string_equal(aoms_finding_evidence(f, "payload"), "bad");
		/* the broken file is an error; the others were still judged */
		assert_int_equal(aoms_report_n_errors(r), 1);
		assert_string_equal(aoms_report_error(r, 0)->subject, "broken.toy");
		assert_int_equal(aoms_report_error(r, 0)->err, EIO);
		fs = aoms_report_files(r);
		assert_non_null(fs);
		assert_int_equal(fs->seen, 4);
		assert_int_equal(judged_by(fs, "toy"), 2);
		assert_int_equal(judged_by(fs, "greedy"), 0);
		assert_int_equal(judged_by(fs, "elf"), 0);
		assert_int_equal(fs->skipped, 1);
		assert_int_equal(fs->failed, 1);
		assert_int_equal(fs->not_judged, 0);
		aoms_report_free(TAKE_PTR(r));
	}
}

/* An object file, also one named .ko (no vermagic, no this_module: the kmod row
 * declines it), are counted not judged, with a finding each. */
static void test_not_judged(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	const struct aoms_report_files *fs;

	if (!aoms_test_sh("mkdir -p nj && echo 'int f(void){return 1;}' > nj/a.c && "
			  "cc -c nj/a.c -o nj/a.o && cp nj/a.o nj/m.ko")) {
		aoms_test_print_log();
		skip();
	}
	r = scan_dir("nj", 1);
	assert_int_equal(aoms_report_n_findings(r), 2);
	assert_string_equal(aoms_report_finding(r, 0)->rule, "scan.not-judged");
	assert_string_equal(aoms_finding_evidence(aoms_report_finding(r, 0), "kind"),
			    "relocatable-object");
	assert_string_equal(aoms_finding_evidence(aoms_report_finding(r, 1), "kind"),
			    "kernel-module");
	assert_int_equal(aoms_report_finding(r, 1)->severity, AOMS_SEV_INFO);
	fs = aoms_report_files(r);
	assert_int_equal(fs->seen, 3);
	assert_int_equal(fs->not_judged, 2);
	assert_int_equal(fs->skipped, 1);
	assert_int_equal(aoms_report_files_judged(fs), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_table),
		cmocka_unit_test(test_toy_scanner),
		cmocka_unit_test(test_not_judged),
	};

	return cmocka_run_group_tests(tests, setup, aoms_test_teardown);
}
