/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * report/file-summary.c and its place in the report: the verdict and lacks derived
 * from a file's findings (a table), a scanner's own verdict word, merging repeated
 * summaries, findings sorted by version within a file, exit bit 16 and
 * --allow-empty, the JSON "files" read back byte for byte, the text report's
 * verdict lines.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "file-summary.h"
#include "report.h"
#include "testutil-report.h"
#include "report-read.h"

#define OK(x) assert_int_equal((x), 0)

/* A finding of spec "rule/sev/flags/evidence": sev one of "ilmh"; flags 'I' inhibitor,
 * 'p' confidence possible; evidence "*soname=libc.so.6,*version=GLIBC_2.34" ('*' for
 * identity). */
static void add_spec(struct aoms_report *r, const char *subject, const char *spec)
{
	char buf[256], *parts[4] = { 0 }, *save = NULL, *w;
	struct aoms_finding *f = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *p = buf, *q; n < 4; p = q + 1) {
		parts[n++] = p;
		if (!(q = strchr(p, '/')))
			break;
		*q = '\0';
	}
	assert_int_equal(n, 4);
	OK(aoms_finding_new(parts[0], (enum aoms_severity)(strchr("ilmh", *parts[1]) - "ilmh"),
			    AOMS_DIM_APPLICATIONS, subject, &f));
	f->inhibitor = strchr(parts[2], 'I') != NULL;
	if (strchr(parts[2], 'p'))
		f->confidence = AOMS_CONF_POSSIBLE;
	for (w = strtok_r(parts[3], ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '=');

		assert_non_null(eq);
		*eq = '\0';
		if (*w == '*')
			OK(aoms_finding_add_identity(f, w + 1, eq + 1));
		else
			OK(aoms_finding_add_evidence(f, w, eq + 1));
	}
	OK(aoms_report_add(r, f));
}

/* "a;b;c" of the lacks of s. */
static void lacks_text(const struct aoms_file_summary *s, char *buf, size_t size)
{
	size_t n;
	char *const *v = aoms_file_summary_lacks(s, &n);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? ";" : "", v[i]);
}

static const struct {
	const char *findings[4];   /* specs for add_spec(), of subject "bin/app" */
	const char *verdict;
	const char *lacks;
} derive_cases[] = {
	{ { NULL }, "compatible", "" },
	{ { "scan.not-judged/i//*kind=relocatable-object" }, "compatible", "" },
	{ { "elf.needed-off-path/l//*soname=libx.so.1" }, "compatible", "" },
	{ { "elf.version-node-missing/h/I/*soname=libc.so.6,*version=GLIBC_2.34,symbol=x" },
	  "incompatible", "GLIBC_2.34 (libc.so.6)" },
	{ { "elf.needed-unknown/m/p/*soname=libfoo.so.7" }, "unknown", "libfoo.so.7" },
	{ { "elf.machine-unknown/m//*machine=riscv64" }, "unknown", "riscv64" },
	{ { "elf.malformed/m//reason=truncated" }, "unknown", "" },
	/* a low finding of confidence possible: unknown, but not a lack */
	{ { "elf.symbol-unresolved/l/p/symbols=x" }, "unknown", "" },
	/* info findings never make a file unknown */
	{ { "scan.not-judged/i/p/*kind=bpf-object" }, "compatible", "" },
	/* an inhibitor wins over unknown; lacks in finding order (sorted), no repeats */
	{ { "elf.needed-unknown/m/p/*soname=libfoo.so.7",
	    "elf.symbol-missing/h/I/*soname=libc.so.6,*symbol=memcpy,*version=GLIBC_2.14",
	    "elf.version-node-missing/h/I/*soname=libc.so.6,*version=GLIBC_2.34",
	    "elf.version-node-missing/h/I/*soname=libm.so.6,*version=GLIBC_2.29" },
	  "incompatible",
	  "libfoo.so.7;memcpy@GLIBC_2.14 (libc.so.6);GLIBC_2.29 (libm.so.6);GLIBC_2.34 (libc.so.6)" },
	{ { "elf.loader-feature/h/I/*feature=DT_RELR,required_glibc=2.36",
	    "elf.machine-unsupported/h/I/*machine=sparc,*class=ELF32" },
	  "incompatible", "DT_RELR;sparc ELF32" },
	{ { "rpm.requires-missing/h/I/*capability=libssl.so.3()(64bit)" }, "incompatible",
	  "libssl.so.3()(64bit)" },
	{ { "elf.needed-not-installed/m//*soname=libcrypto.so.10" }, "compatible",
	  "libcrypto.so.10" },
};

static void test_derive(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(derive_cases); i++) {
		_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
		struct aoms_file_summary *s = NULL;
		char lacks[512];

		OK(aoms_report_new(&r));
		for (size_t k = 0; k < 4 && derive_cases[i].findings[k]; k++)
			add_spec(r, "bin/app", derive_cases[i].findings[k]);
		/* findings of other files do not count */
		add_spec(r, "bin/aaa", "elf.interpreter-missing/h/I/*interpreter=/lib/ld.so");
		add_spec(r, "bin/zzz", "elf.needed-unknown/m/p/*soname=libz.so.9");
		OK(aoms_file_summary_new("bin/app", "elf", &s));
		OK(aoms_report_add_file_summary(r, s));
		OK(aoms_report_sort(r));
		assert_int_equal(aoms_report_n_file_summaries(r), 1);
		lacks_text(aoms_report_file_summary(r, 0), lacks, sizeof(lacks));
		if (strcmp(aoms_file_summary_verdict(aoms_report_file_summary(r, 0)),
			   derive_cases[i].verdict) != 0 || strcmp(lacks, derive_cases[i].lacks) != 0)
			fail_msg("case %zu: got %s [%s], want %s [%s]", i,
				 aoms_file_summary_verdict(aoms_report_file_summary(r, 0)), lacks,
				 derive_cases[i].verdict, derive_cases[i].lacks);
	}
}

/* A scanner's own verdict word and lacks stay; a bare summary of the same file (the
 * scan's) merges into the scanner's, whichever came first. */
static void test_scanner_verdict_merge(void **state)
{
	for (int order = 0; order < 2; order++) {
		_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
		struct aoms_file_summary *bare = NULL, *full = NULL, *other = NULL;
		const struct aoms_file_summary *s;
		const char *const lacks[] = { "symbol_x (vmlinux)" };
		char text[256];

		OK(aoms_report_new(&r));
		add_spec(r, "m.ko", "elf.needed-unknown/m/p/*soname=libfoo.so.7");
		OK(aoms_file_summary_new("m.ko", "kmod", &bare));
		OK(aoms_file_summary_new("m.ko", "kmod", &full));
		OK(aoms_file_summary_set_verdict(full, "rebuild"));
		OK(aoms_file_summary_set_lacks(full, lacks, 1));
		OK(aoms_file_summary_set_need(full, "kernel", "5.4"));
		OK(aoms_file_summary_set_need(full, "kernel", "5.10"));
		assert_int_equal(aoms_file_summary_set_need(full, "", "1"), -EINVAL);
		OK(aoms_file_summary_new("a.so", "elf", &other));
		OK(aoms_report_add_file_summary(r, order ? full : bare));
		OK(aoms_report_add_file_summary(r, other));
		OK(aoms_report_add_file_summary(r, order ? bare : full));
		OK(aoms_report_sort(r));
		OK(aoms_report_sort(r));   /* idempotent */
		assert_int_equal(aoms_report_n_file_summaries(r), 2);
		assert_string_equal(aoms_report_file_summary(r, 0)->path, "a.so");
		assert_string_equal(aoms_file_summary_verdict(aoms_report_file_summary(r, 0)),
				    "compatible");
		s = aoms_report_file_summary(r, 1);
		assert_string_equal(aoms_file_summary_verdict(s), "rebuild");
		assert_string_equal(aoms_file_summary_need(s, "kernel"), "5.10");
		assert_int_equal(s->n_needs, 1);
		lacks_text(s, text, sizeof(text));
		assert_string_equal(text, "symbol_x (vmlinux)");
	}
	assert_int_equal(aoms_report_add_file_summary(NULL, NULL), -EINVAL);
}

/* Within a file and rule, versions oldest first (strverscmp), no version first. */
static void test_sort_versions(void **state)
{
	static const char *const specs[] = {
		"elf.version-node-missing/h/I/*soname=libc.so.6,*version=GLIBC_2.34",
		"elf.version-node-missing/h/I/*soname=libc.so.6,*version=GLIBC_2.9",
		"elf.version-node-missing/h/I/*soname=libc.so.6,*version=GLIBC_2.10",
		"elf.version-node-missing/h/I/*soname=libstdc++.so.6,*version=GLIBCXX_3.4.30",
		"elf.version-node-missing/h/I/*soname=libstdc++.so.6,*version=GLIBCXX_3.4.9",
		"elf.version-node-missing/h/I/*soname=libx.so.1",
		"elf.needed-unknown/m/p/*soname=liba.so.1",
	};
	static const char *const want[] = {
		"liba.so.1/-", "libx.so.1/-", "libc.so.6/GLIBC_2.9", "libc.so.6/GLIBC_2.10",
		"libc.so.6/GLIBC_2.34", "libstdc++.so.6/GLIBCXX_3.4.9",
		"libstdc++.so.6/GLIBCXX_3.4.30",
	};

	for (size_t rot = 0; rot < ARRAY_SIZE(specs); rot++) {
		_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

		OK(aoms_report_new(&r));
		for (size_t i = 0; i < ARRAY_SIZE(specs); i++)
			add_spec(r, "bin/app", specs[(i + rot) % ARRAY_SIZE(specs)]);
		OK(aoms_report_sort(r));
		for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
			const struct aoms_finding *f = aoms_report_finding(r, i);
			const char *v = aoms_finding_evidence(f, "version");
			char got[128];

			snprintf(got, sizeof(got), "%s/%s", aoms_finding_evidence(f, "soname"),
				 v ? v : "-");
			if (strcmp(got, want[i]) != 0)
				fail_msg("rotation %zu, finding %zu: got %s, want %s", rot, i, got,
					 want[i]);
		}
	}
}

static const struct {
	bool has_files;
	size_t judged, skipped;
	bool allow_empty, error;
	enum aoms_fail_on fail_on;
	int expected;
} empty_cases[] = {
	{ false, 0, 0, false, false, AOMS_FAIL_MEDIUM, 0 },   /* no scan: no bit 16 */
	{ true, 0, 0, false, false, AOMS_FAIL_MEDIUM, 16 },
	{ true, 0, 3, false, false, AOMS_FAIL_MEDIUM, 16 },
	{ true, 0, 3, false, false, AOMS_FAIL_NEVER, 16 },    /* whatever --fail-on */
	{ true, 0, 3, true, false, AOMS_FAIL_MEDIUM, 0 },
	{ true, 0, 0, false, true, AOMS_FAIL_MEDIUM, 17 },
	{ true, 0, 0, true, true, AOMS_FAIL_MEDIUM, 1 },
	{ true, 1, 3, false, false, AOMS_FAIL_MEDIUM, 0 },
};

static void test_exit_empty(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(empty_cases); i++) {
		_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
		struct aoms_report_judged judged[] = { { "rpm", 0 }, { "elf", empty_cases[i].judged } };
		struct aoms_report_files fs = { .judged = judged, .n_judged = 2,
						.skipped = empty_cases[i].skipped };

		fs.seen = empty_cases[i].judged + empty_cases[i].skipped;
		OK(aoms_report_new(&r));
		assert_false(aoms_report_allow_empty(r));
		assert_int_equal(aoms_report_fail_on(r), AOMS_FAIL_MEDIUM);   /* the default */
		if (empty_cases[i].has_files)
			OK(aoms_report_set_files(r, &fs));
		aoms_report_set_allow_empty(r, empty_cases[i].allow_empty);
		if (empty_cases[i].error)
			OK(aoms_report_add_error(r, "x", EIO, "read failed"));
		if (aoms_report_exit_status(r, empty_cases[i].fail_on) != empty_cases[i].expected)
			fail_msg("case %zu: got %d, want %d", i,
				 aoms_report_exit_status(r, empty_cases[i].fail_on),
				 empty_cases[i].expected);
	}
}


static struct aoms_report *verdict_report(bool allow_empty, size_t judged)
{
	struct aoms_report_judged j[] = { { "elf", judged } };
	struct aoms_report_files fs = { .seen = judged + 1, .judged = j, .n_judged = 1,
					.skipped = 1 };
	const char *const own[] = { "b", "a" };
	struct aoms_report *r = NULL;
	struct aoms_file_summary *s = NULL;

	OK(aoms_report_new(&r));
	OK(aoms_report_set_meta(r, "target", "anolis8"));
	OK(aoms_report_set_meta(r, "target_name", "Anolis OS 8"));
	OK(aoms_report_set_meta(r, "target_glibc", "2.28"));
	OK(aoms_report_set_files(r, &fs));
	aoms_report_set_allow_empty(r, allow_empty);
	add_spec(r, "bin/app", "elf.version-node-missing/h/I/*soname=libc.so.6,*version=GLIBC_2.34");
	add_spec(r, "bin/app", "elf.needed-missing/h/I/*soname=libssl.so.3");
	add_spec(r, "bin/unk", "elf.needed-unknown/m/p/*soname=libfoo.so.7");
	OK(aoms_file_summary_new("bin/app", "elf", &s));
	OK(aoms_file_summary_set_need(s, "glibc", "2.34"));
	OK(aoms_file_summary_set_need(s, "glibcxx", "3.4.30"));
	OK(aoms_report_add_file_summary(r, s));
	OK(aoms_file_summary_new("bin/unk", "elf", &s));
	OK(aoms_report_add_file_summary(r, s));
	OK(aoms_file_summary_new("lib/ok.so", "elf", &s));
	/* files[].syscalls: sorted, repeats dropped, read back as written */
	OK(aoms_file_summary_set_syscalls(s, (const char *const[]){ "write", "pidfd_open", "write",
								    "#500" }, 4));
	assert_int_equal(s->n_syscalls, 3);
	assert_string_equal(s->syscalls[0], "#500");
	OK(aoms_report_add_file_summary(r, s));
	OK(aoms_file_summary_new("lib/own.so", "elf", &s));
	OK(aoms_file_summary_set_verdict(s, "loads-as-is"));
	OK(aoms_file_summary_set_lacks(s, own, 2));
	OK(aoms_report_add_file_summary(r, s));
	return r;
}

static void test_json_files_round_trip(void **state)
{
	for (int allow = 0; allow < 2; allow++)
		for (size_t judged = 0; judged < 2; judged++) {
			_cleanup_(aoms_report_freep) struct aoms_report *r = verdict_report(allow, judged);
			_cleanup_(aoms_report_freep) struct aoms_report *back = NULL;
			_cleanup_(freep) char *json = aoms_test_render(r, "json");
			_cleanup_(freep) char *text = aoms_test_render(r, "text");
			_cleanup_(freep) char *json2 = NULL, *text2 = NULL, *err = NULL;
			FILE *in = fmemopen(json, strlen(json), "r");

			assert_non_null(in);
			if (aoms_report_read(in, &back, &err) != 0)
				fail_msg("cannot read back: %s\n%s", err, json);
			fclose(in);
			json2 = aoms_test_render(back, "json");
			text2 = aoms_test_render(back, "text");
			assert_string_equal(json, json2);
			assert_string_equal(text, text2);
			assert_int_equal(aoms_report_n_file_summaries(back), 4);
			assert_int_equal(aoms_report_allow_empty(back), allow);
			assert_int_equal(aoms_report_exit_status(back, AOMS_FAIL_MEDIUM) & AOMS_EXIT_EMPTY,
					 !allow && !judged ? AOMS_EXIT_EMPTY : 0);
		}
}

static void test_json_files_shape(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = verdict_report(false, 1);
	_cleanup_(freep) char *json = aoms_test_render(r, "json");

	assert_non_null(strstr(json, "    \"allow_empty\": false,\n    \"files\": {"));
	assert_non_null(strstr(json,
		"  \"files\": [\n    {\n      \"path\": \"bin/app\",\n      \"scanner\": \"elf\",\n"
		"      \"verdict\": \"incompatible\",\n      \"needs\": {\n"
		"        \"glibc\": \"2.34\",\n        \"glibcxx\": \"3.4.30\"\n      },\n"
		"      \"lacks\": [\n        \"libssl.so.3\",\n        \"GLIBC_2.34 (libc.so.6)\"\n"
		"      ]\n    },\n"));
	assert_non_null(strstr(json, "      \"verdict\": \"loads-as-is\",\n      \"needs\": {},\n"
				     "      \"lacks\": [\n        \"b\",\n        \"a\"\n      ]\n"));
	assert_non_null(strstr(json, "  ],\n  \"entries\": ["));
}

/* Bad "files": each refused with a message naming the member. */
static void test_json_files_bad(void **state)
{
	static const struct {
		const char *from, *to, *msg;
	} bad[] = {
		{ "\"path\": \"bin/unk\"", "\"path\": \"a\"", "files[1]: 'a' is out of order or repeated" },
		{ "\"verdict\": \"unknown\"", "\"verdict\": \"\"", "files[1]: empty verdict" },
		{ "\"verdict\": \"unknown\"", "\"verdict\": 3", "files[1].verdict: expected a string" },
		{ "\"glibc\": \"2.34\"", "\"glibc\": 2", "files[0].needs.glibc: expected a string" },
		{ "\"b\",\n        \"a\"", "\"a\",\n        \"a\"", "files[3].lacks[1]: 'a' is repeated" },
		{ "\"allow_empty\": false", "\"allow_empty\": 0", "summary.allow_empty: expected a boolean" },
		{ "\"allow_empty\": false", "\"allow_empty\": true",
		  "summary.exit_status: 28 disagrees with the entries and fail_on (12)" },
	};
	_cleanup_(aoms_report_freep) struct aoms_report *r = verdict_report(false, 1);
	_cleanup_(freep) char *json = NULL;
	struct aoms_report_judged j[] = { { "elf", 0 } };
	struct aoms_report_files fs = { .seen = 1, .judged = j, .n_judged = 1, .skipped = 1 };

	/* nothing judged (exit_status 28), so that allow_empty matters */
	OK(aoms_report_set_files(r, &fs));
	json = aoms_test_render(r, "json");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *p = strstr(json, bad[i].from);
		_cleanup_(freep) char *doc = NULL, *err = NULL;
		struct aoms_report *back = NULL;
		FILE *in;
		int rr;

		if (!p)
			fail_msg("bad[%zu]: no '%s'", i, bad[i].from);
		doc = malloc(strlen(json) + strlen(bad[i].to) + 1);
		assert_non_null(doc);
		sprintf(doc, "%.*s%s%s", (int)(p - json), json, bad[i].to, p + strlen(bad[i].from));
		in = fmemopen(doc, strlen(doc), "r");
		rr = aoms_report_read(in, &back, &err);
		fclose(in);
		if (rr != -EBADMSG || !err || !strstr(err, bad[i].msg))
			fail_msg("bad[%zu]: got %d '%s', want '%s'", i, rr, err ? err : "", bad[i].msg);
	}
}

static void test_text_verdicts(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = verdict_report(false, 1);
	_cleanup_(freep) char *text = aoms_test_render(r, "text");
	const char *want =
		"\nVerdicts\n========\n\n"
		"bin/app: incompatible \u2014 needs glibc \u2265 2.34; Anolis OS 8 has 2.28; "
		"also needs libssl.so.3\n"
		"bin/unk: unknown \u2014 needs libfoo.so.7\n"
		"lib/own.so: loads-as-is \u2014 needs b, a\n"
		"\nApplications\n";

	if (!strstr(text, want))
		fail_msg("no verdict lines in:\n%s", text);
	assert_null(strstr(text, "lib/ok.so:"));   /* compatible: no line */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_scanner_verdict_merge),
		cmocka_unit_test(test_sort_versions),
		cmocka_unit_test(test_exit_empty),
		cmocka_unit_test(test_json_files_round_trip),
		cmocka_unit_test(test_json_files_shape),
		cmocka_unit_test(test_json_files_bad),
		cmocka_unit_test(test_text_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
