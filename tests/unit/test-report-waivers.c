/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * report/waivers.c: reading a waivers file (a table of bad documents, each refused
 * with a message naming the member), dates, expiry, marking a report, the exit status
 * without waived findings, and the JSON round trip of waived entries (byte-identical).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "finding.h"
#include "report.h"
#include "testutil-report.h"
#include "report-read.h"
#include "waivers.h"

#define OK(x) assert_int_equal((x), 0)

static int read_waivers(const char *text, struct aoms_waivers **ret, char **ret_error)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(in);
	*ret_error = NULL;
	r = aoms_waivers_read_stream(in, ret, ret_error);
	fclose(in);
	return r;
}


/* Two findings: a high inhibitor and a medium one, keys computed. */
static struct aoms_report *sample(void)
{
	struct aoms_report *r = NULL;
	struct aoms_finding *f = NULL;

	OK(aoms_report_new(&r));
	OK(aoms_report_set_meta(r, "target", "anolis8"));
	OK(aoms_finding_new("elf.version-node-missing", AOMS_SEV_HIGH, AOMS_DIM_APPLICATIONS,
			    "bin/app", &f));
	f->inhibitor = true;
	OK(aoms_finding_add_identity(f, "version", "GLIBC_2.34"));
	OK(aoms_report_add(r, f));
	OK(aoms_finding_new("rpm.requires-missing", AOMS_SEV_MEDIUM, AOMS_DIM_PACKAGES, "p.rpm", &f));
	OK(aoms_finding_add_identity(f, "capability", "libfoo.so.1()(64bit)"));
	OK(aoms_report_add(r, f));
	OK(aoms_report_sort(r));
	return r;
}

static const struct {
	const char *doc;
	const char *message;   /* a part of the message */
} bad[] = {
	{ "", "truncated" },
	{ "{\"waivers\": [", "truncated" },
	{ "nope", "not JSON" },
	{ "[]", "document: expected an object" },
	{ "{}", "waivers: missing" },
	{ "{\"waivers\": {}}", "waivers: expected an array" },
	{ "{\"waivers\": [1]}", "waivers[0]: expected an object" },
	{ "{\"waivers\": [{\"reason\": \"r\"}]}", "waivers[0].key: missing" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef\"}]}", "waivers[0].reason: missing" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef\", \"reason\": \"\"}]}",
	  "waivers[0].reason: empty" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef0123456789abcdef01234567\", \"reason\": \"r\"}]}",
	  "is not a finding key of report schema 1.x" },
	{ "{\"waivers\": [{\"key\": \"0123456789ABCDEF\", \"reason\": \"r\"}]}",
	  "waivers[0].key: '0123456789ABCDEF' is not a finding key" },
	{ "{\"waivers\": [{\"key\": 12, \"reason\": \"r\"}]}", "waivers[0].key: expected a string" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef\", \"reason\": \"r\", \"expires\": \"2027-02-29\"}]}",
	  "waivers[0].expires: '2027-02-29' is not a date" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef\", \"reason\": \"r\", \"expires\": \"tomorrow\"}]}",
	  "is not a date (YYYY-MM-DD)" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef\", \"reason\": \"r\", \"until\": \"x\"}]}",
	  "waivers[0]: unknown member 'until'" },
	{ "{\"waivers\": [{\"key\": \"0123456789abcdef\", \"reason\": \"a\"},"
	  " {\"key\": \"0123456789abcdef\", \"reason\": \"b\"}]}",
	  "two waivers for key 0123456789abcdef" },
	{ "{\"waivers\": []} x", "trailing data" },
};

static void test_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aoms_waivers *w = NULL;
		_cleanup_(freep) char *err = NULL;
		int r = read_waivers(bad[i].doc, &w, &err);

		assert_int_equal(r, -EBADMSG);
		assert_null(w);
		assert_non_null(err);
		if (!strstr(err, bad[i].message))
			fail_msg("'%s': '%s' lacks '%s'", bad[i].doc, err, bad[i].message);
		assert_null(strchr(err, '\n'));
	}
}

static void test_dates(void **state)
{
	char buf[11];

	assert_true(aoms_waiver_date_valid("2024-02-29"));
	assert_true(aoms_waiver_date_valid("2000-02-29"));
	assert_false(aoms_waiver_date_valid("1900-02-29"));
	assert_false(aoms_waiver_date_valid("2024-13-01"));
	assert_false(aoms_waiver_date_valid("2024-04-31"));
	assert_false(aoms_waiver_date_valid("2024-4-1"));
	assert_false(aoms_waiver_date_valid("2024-04-01T00"));
	aoms_waiver_date(1700000000, buf);
	assert_string_equal(buf, "2023-11-14");
	aoms_waiver_date(0, buf);
	assert_string_equal(buf, "1970-01-01");
}

static void test_apply(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample();
	_cleanup_(aoms_waivers_freep) struct aoms_waivers *w = NULL;
	_cleanup_(freep) char *doc = NULL, *err = NULL;
	const char *k0 = aoms_report_finding(r, 0)->key, *k1 = aoms_report_finding(r, 1)->key;

	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_MEDIUM), 12);
	assert_true(asprintf(&doc, "{\"waivers\": [{\"key\": \"%s\", \"reason\": \"vendor fix\", "
			     "\"owner\": \"app-team\", \"expires\": \"2024-06-30\"}, {\"key\": \"%s\", "
			     "\"reason\": \"old\", \"expires\": \"2024-01-01\"}, {\"key\": "
			     "\"ffffffffffffffff\", \"reason\": \"no such finding\"}]}", k0, k1) > 0);
	OK(read_waivers(doc, &w, &err));
	assert_int_equal(w->n, 3);
	assert_non_null(aoms_waivers_find(w, k0));
	assert_null(aoms_waivers_find(w, "0000000000000000"));
	/* on 2024-06-30 the first holds (its last day), the second has expired */
	assert_int_equal(aoms_waivers_apply(r, w, "2024-06-30"), 1);
	assert_non_null(aoms_report_finding(r, 0)->waiver);
	assert_string_equal(aoms_report_finding(r, 0)->waiver->owner, "app-team");
	assert_null(aoms_report_finding(r, 1)->waiver);
	assert_string_equal(aoms_report_meta(r, "waivers_expired"), k1);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_MEDIUM), 4);
	assert_false(aoms_report_finding_fails(aoms_report_finding(r, 0), AOMS_FAIL_INFO));
}

/* A report with waived findings reads back and writes the same bytes, in json and
 * text; the waiver survives. */
static void test_round_trip(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample();
	_cleanup_(aoms_report_freep) struct aoms_report *back = NULL;
	_cleanup_(freep) char *json = NULL, *text = NULL, *json2 = NULL, *text2 = NULL, *err = NULL;
	struct aoms_finding *f0 = aoms_report_finding_mut(r, 0);
	struct aoms_finding *f1 = aoms_report_finding_mut(r, 1);
	FILE *in;

	OK(aoms_finding_set_waiver(f0, "vendor \"fix\"\n", "team", "2030-01-01"));
	OK(aoms_finding_set_waiver(f1, "accepted", NULL, NULL));
	OK(aoms_report_set_meta(r, "waivers_expired", "0123456789abcdef"));
	json = aoms_test_render(r, "json");
	text = aoms_test_render(r, "text");
	assert_non_null(strstr(json, "\"waiver\": {\n        \"reason\": \"vendor \\\"fix\\\"\\n\""));
	assert_non_null(strstr(text, "[waived: accepted]"));
	in = fmemopen(json, strlen(json), "r");
	assert_non_null(in);
	if (aoms_report_read(in, &back, &err) != 0)
		fail_msg("cannot read back: %s", err ? err : "?");
	fclose(in);
	json2 = aoms_test_render(back, "json");
	text2 = aoms_test_render(back, "text");
	assert_string_equal(json, json2);
	assert_string_equal(text, text2);
	assert_null(aoms_report_finding(back, 1)->waiver->owner);
	assert_int_equal(aoms_report_exit_status(back, AOMS_FAIL_INFO), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
