/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * report/read-json.c: reading a JSON report back. Round trips (read, then write, gives
 * the same bytes) on a hand-made report and on real scans of programs built here with
 * gcc; a newer minor version with unknown members; a table of bad documents, each
 * refused with the errno and a message naming the member.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "abidb.h"
#include "finding.h"
#include "installed.h"
#include "report.h"
#include "report-read.h"
#include "scan.h"
#include "rules.h"
#include "testutil.h"
#include "testutil-report.h"

#define OK(x) assert_int_equal((x), 0)


/* Reads text; returns the errno, *ret_error the message (or NULL). */
static int read_text(const char *text, struct aoms_report **ret, char **ret_error)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int r;

	if (!*text)
		in = fopen("/dev/null", "r");
	assert_non_null(in);
	*ret_error = NULL;
	r = aoms_report_read(in, ret, ret_error);
	fclose(in);
	return r;
}

/* json and text of r survive a read and a write byte for byte. */
static void assert_round_trip(struct aoms_report *r)
{
	_cleanup_(freep) char *json = aoms_test_render(r, "json");
	_cleanup_(freep) char *text = aoms_test_render(r, "text");
	_cleanup_(aoms_report_freep) struct aoms_report *back = NULL;
	_cleanup_(freep) char *err = NULL;
	_cleanup_(freep) char *json2 = NULL;
	_cleanup_(freep) char *text2 = NULL;

	if (read_text(json, &back, &err) != 0)
		fail_msg("cannot read back: %s\n%s", err ? err : "?", json);
	json2 = aoms_test_render(back, "json");
	text2 = aoms_test_render(back, "text");
	assert_string_equal(json, json2);
	assert_string_equal(text, text2);
	assert_int_equal(aoms_report_n_findings(back), aoms_report_n_findings(r));
	assert_int_equal(aoms_report_n_file_summaries(back), aoms_report_n_file_summaries(r));
	assert_int_equal(aoms_report_n_installed(back), aoms_report_n_installed(r));
	assert_int_equal(aoms_report_allow_empty(back), aoms_report_allow_empty(r));
	for (size_t i = 0; i < aoms_report_n_findings(r); i++)
		assert_string_equal(aoms_report_finding(back, i)->key,
				    aoms_report_finding(r, i)->key);
}

static struct aoms_report *sample(void)
{
	const char *const syms[] = { "x", "y" };
	struct aoms_report *r = NULL;
	struct aoms_finding *f = NULL;

	OK(aoms_report_new(&r));
	OK(aoms_report_set_meta(r, "target", "anolis8"));
	OK(aoms_report_set_meta(r, "database", "embedded"));
	OK(aoms_report_set_meta(r, "coverage", "partial"));
	OK(aoms_report_add_input(r, "/opt/z"));
	OK(aoms_report_add_input(r, "/opt/app"));

	OK(aoms_finding_new("elf.version-node-missing", AOMS_SEV_HIGH, AOMS_DIM_APPLICATIONS,
			    "/opt/app/bin/app", &f));
	f->inhibitor = true;
	OK(aoms_finding_set_locus(f, "bin/app"));
	OK(aoms_finding_set_title(f, "libc.so.6 lacks GLIBC_2.34"));
	OK(aoms_finding_set_summary(f, "needs a newer glibc: \"quoted\"\ttab"));
	OK(aoms_finding_set_package(f, "app-1.0-1.x86_64"));
	OK(aoms_finding_add_identity(f, "soname", "libc.so.6"));
	OK(aoms_finding_add_identity(f, "version", "GLIBC_2.34"));
	OK(aoms_finding_add_evidence(f, "symbol", "x"));
	OK(aoms_finding_add_evidence_list(f, "symbols", syms, 2));
	OK(aoms_finding_add_evidence_list(f, "one", syms, 1));
	OK(aoms_finding_add_evidence_list(f, "empty", NULL, 0));
	OK(aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "rebuild on /usr"));
	OK(aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", "compat-openssl10",
				   NULL));
	OK(aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "glibc 2.28", NULL));
	OK(aoms_finding_add_action(f, AOMS_ACTION_SWAP_PACKAGE, "from", "a", "to", "b", NULL));
	OK(aoms_report_add(r, f));

	/* no title, no summary, control and non-UTF-8 bytes, confidence, other dimension */
	OK(aoms_finding_new("kmod.thing", AOMS_SEV_INFO, AOMS_DIM_KERNEL, "a/lib\n.so", &f));
	f->confidence = AOMS_CONF_POSSIBLE;
	OK(aoms_finding_add_evidence(f, "soname", "lib\xc3\xa9.so"));
	OK(aoms_report_add(r, f));

	OK(aoms_finding_new("rpm.requires-missing", AOMS_SEV_MEDIUM, AOMS_DIM_PACKAGES, "p.rpm", &f));
	OK(aoms_finding_set_package(f, "p-1-1.noarch"));
	OK(aoms_finding_add_identity(f, "capability", "libfoo.so.1()(64bit)"));
	OK(aoms_report_add(r, f));

	/* an assessment's installed packages: an epoch, a file provide, a rich dependency */
	{
		const char *const prov[] = { "bash = 4.4-20.el8", "/bin/sh" };
		const char *const req[] = { "libtinfo.so.6()(64bit)", "(a or b)" };
		const struct aoms_installed pkgs[] = {
			{ .name = "bash", .version = "4.4", .release = "20.el8", .arch = "x86_64",
			  .provides = prov, .n_provides = 2, .requires = req, .n_requires = 2 },
			{ .name = "perl-Foo", .epoch = "1", .version = "0.1", .release = "1",
			  .arch = "noarch" },
		};

		for (size_t i = 0; i < ARRAY_SIZE(pkgs); i++)
			OK(aoms_report_add_installed(r, &pkgs[i]));
	}
	OK(aoms_report_add_error(r, "y", 0, "bad header"));
	OK(aoms_report_add_error(r, "x/unreadable", -EACCES, "cannot open"));
	OK(aoms_report_add_error(r, "z", 200, "odd errno"));
	return r;
}

static void test_round_trip_sample(void **state)
{
	static const enum aoms_fail_on fo[] = { AOMS_FAIL_INFO, AOMS_FAIL_LOW, AOMS_FAIL_HIGH,
						AOMS_FAIL_INHIBITOR, AOMS_FAIL_NEVER };
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample();
	_cleanup_(aoms_report_freep) struct aoms_report *empty = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(fo); i++) {
		aoms_report_set_fail_on(r, fo[i]);
		assert_round_trip(r);
	}
	OK(aoms_report_new(&empty));
	assert_round_trip(empty);
}

/* Real reports: programs built here with gcc from the e2e fixtures, a damaged ELF, a
 * FIFO and a missing path, scanned against the embedded database. */
static void test_round_trip_scan(void **state)
{
	static const char *const progs[] = { "common/hello.c", "default-db/glibc-new.c",
					     "elf-rules/plain.c", "elf-rules/relr.c",
					     "elf-rules/kernel-note.c" };
	const char *src = getenv("AOMS_SRC");
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	_cleanup_(freep) char *tree = NULL;
	_cleanup_(freep) char *missing = NULL;
	size_t built = 0;

	if (!src)
		skip();   /* before anything is allocated: skip() does not return */
	tree = aoms_test_path("tree");
	missing = aoms_test_path("no-such");
	char *paths[] = { tree, missing };
	assert_true(aoms_test_sh("mkdir -p tree/sub"));
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		built += aoms_test_sh("gcc -o tree/sub/p%zu %s/tests/fixtures/%s -pthread", i, src,
				      progs[i]);
	assert_true(built > 0);
	/* an object file: scan.not-judged, and summary.files counts it */
	assert_true(aoms_test_sh("gcc -c -o tree/obj.o %s/tests/fixtures/common/hello.c", src));
	aoms_test_write_data("tree/broken.so", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03", 17);
	assert_true(aoms_test_sh("mkfifo tree/fifo"));
	OK(aoms_abidb_open(NULL, &db));
	OK(aoms_report_new(&r));
	OK(aoms_report_set_meta(r, "target", "anolis8"));
	struct aoms_scan_options o = { .db = db, .report = r, .jobs = 2,
				       .target_name = "Anolis OS 8" };
	OK(aoms_scan(&o, paths, 2));
	/* at least elf.malformed and scan.file-skipped, and one error */
	assert_true(aoms_report_n_findings(r) >= 2);
	assert_int_equal(aoms_report_n_errors(r), 1);
	assert_round_trip(r);
	aoms_report_set_fail_on(r, AOMS_FAIL_NEVER);
	assert_round_trip(r);
	/* files[]: a verdict for each program and for the damaged object (unknown), none
	 * for the object file (not judged) */
	OK(aoms_report_sort(r));
	assert_int_equal(aoms_report_n_file_summaries(r), built + 1);
	for (size_t i = 0; i < aoms_report_n_file_summaries(r); i++) {
		const struct aoms_file_summary *s = aoms_report_file_summary(r, i);

		assert_string_equal(s->scanner, "elf");
		assert_null(strstr(s->path, "obj.o"));
		if (strstr(s->path, "broken.so"))
			assert_string_equal(aoms_file_summary_verdict(s), "unknown");
		else
			assert_non_null(aoms_file_summary_need(s, "glibc"));
	}
}

/* A document of schema 1.0 (no fail_on, identity, actions or relative_path): read, with
 * fail_on taken from exit_status. */
static void test_schema_1_0(void **state)
{
	static const char doc[] =
		"{ \"schema_version\": \"1.0\", \"tool\": { \"name\": \"aoms\", \"version\": \"0.0.9\" },"
		" \"run\": { \"target\": \"anolis8\" }, \"inputs\": [ \"/x\" ],"
		" \"summary\": { \"findings\": 1, \"inhibitors\": 0, \"errors\": 0,"
		" \"by_severity\": { \"high\": 0, \"medium\": 1, \"low\": 0, \"info\": 0 },"
		" \"by_dimension\": { \"hardware\": 0, \"kernel\": 0, \"packages\": 0,"
		" \"applications\": 1, \"configuration\": 0 }, \"exit_status\": 0 },"
		" \"entries\": [ { \"key\": \"0123456789abcdef\", \"rule\": \"elf.needed-unknown\","
		" \"title\": \"t\", \"summary\": \"s\", \"severity\": \"medium\", \"inhibitor\": false,"
		" \"groups\": [ \"applications\" ], \"flags\": [], \"audience\": \"sysadmin\","
		" \"dimension\": \"applications\", \"confidence\": \"possible\","
		" \"subject\": { \"path\": \"bin/app\", \"package\": null },"
		" \"evidence\": { \"soname\": \"libx.so.1\" },"
		" \"detail\": { \"remediations\": [ { \"type\": \"hint\", \"context\": \"h\" } ],"
		" \"related_resources\": [ { \"scheme\": \"file\", \"title\": \"bin/app\" } ] } } ],"
		" \"errors\": [] }\n";
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	_cleanup_(freep) char *err = NULL;

	if (read_text(doc, &r, &err) != 0)
		fail_msg("%s", err);
	/* medium finding, exit status 0: --fail-on high (the first that explains it) */
	assert_int_equal(aoms_report_fail_on(r), AOMS_FAIL_HIGH);
	assert_string_equal(aoms_report_tool_version(r), "0.0.9");
	assert_string_equal(aoms_report_finding(r, 0)->key, "0123456789abcdef");
	assert_string_equal(aoms_report_meta(r, "target"), "anolis8");
}

#define X_NEW "\"x-new\": true, "

/* A newer minor version with members and an action kind this reader does not know. */
static void test_newer_minor(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample();
	_cleanup_(aoms_report_freep) struct aoms_report *back = NULL;
	_cleanup_(freep) char *json = aoms_test_render(r, "json");
	_cleanup_(freep) char *err = NULL;
	char *doc = malloc(strlen(json) + 512), *p;

	assert_non_null(doc);
	p = strstr(json, "\"1.6\"");
	assert_non_null(p);
	sprintf(doc, "%.*s\"1.9\", \"future\": { \"a\": [1, 2.5, null] }%s", (int)(p - json), json,
		p + 5);
	p = strstr(doc, "\"kind\": \"rebuild\"");
	assert_non_null(p);
	memcpy(p, "\"kind\": \"rebooot\"", 17);
	p = strstr(doc, "\"audience\"");
	memmove(p + strlen(X_NEW), p, strlen(p) + 1);
	memcpy(p, X_NEW, strlen(X_NEW));
	if (read_text(doc, &back, &err) != 0)
		fail_msg("%s", err);
	free(doc);
	/* the unknown action is left out; the rest is there */
	assert_int_equal(aoms_report_finding(back, 0)->n_actions, 2);
	assert_int_equal(aoms_report_n_findings(back), 3);
}

/* Bad documents: made from the sample's JSON by replacing the first occurrence of from
 * with to (or, with from NULL, the document to). */
static const struct {
	const char *from, *to;
	int err;
	const char *msg;
} bad_docs[] = {
	{ NULL, "", -EBADMSG, "document: truncated" },
	{ NULL, "{ \"schema_version\": \"1.5\"", -EBADMSG, "document: truncated" },
	{ NULL, "not json", -EBADMSG, "document: not JSON" },
	{ NULL, "{} {}", -EBADMSG, "document: trailing data" },
	{ NULL, "[]", -EBADMSG, "document: expected an object, found an array" },
	{ NULL, "{}", -EBADMSG, "schema_version: missing" },
	{ "\"schema_version\": \"1.6\"", "\"schema_version\": \"2.0\"", -EPROTONOSUPPORT,
	  "schema_version: version 2.0 is not supported" },
	{ "\"schema_version\": \"1.6\"", "\"schema_version\": \"one\"", -EBADMSG,
	  "schema_version: 'one' is not MAJOR.MINOR" },
	{ "\"schema_version\": \"1.6\"", "\"schema_version\": 1.1", -EBADMSG,
	  "schema_version: expected a string, found a number" },
	{ "\"name\": \"aoms\"", "\"name\": \"leapp\"", -EBADMSG, "tool.name: 'leapp' is not aoms" },
	{ "\"target\": \"anolis8\"", "\"target\": 8", -EBADMSG,
	  "run.target: expected a string, found an integer" },
	{ "\"/opt/app\"", "null", -EBADMSG, "inputs[0]: expected a string, found null" },
	{ "\"/opt/z\"", "\"/opt/a\"", -EBADMSG, "inputs[1]: '/opt/a' is out of order or repeated" },
	{ "\"findings\": 3", "\"findings\": 4", -EBADMSG,
	  "summary.findings: 4 disagrees with the entries (3)" },
	{ "\"medium\": 1", "\"medium\": 0", -EBADMSG,
	  "summary.by_severity.medium: 0 disagrees with the entries (1)" },
	{ "\"exit_status\": 13", "\"exit_status\": 12", -EBADMSG,
	  "summary.exit_status: 12 disagrees with the entries and fail_on (13)" },
	{ "\"fail_on\": \"medium\"", "\"fail_on\": \"sometimes\"", -EBADMSG,
	  "summary.fail_on: unknown threshold 'sometimes'" },
	{ "\"rule\": \"kmod.thing\",", "", -EBADMSG, "entries[1].rule: missing" },
	{ "\"key\": \"", "\"kee\": \"", -EBADMSG, "entries[0].key: missing" },
	{ "\"severity\": \"info\"", "\"severity\": \"hgh\"", -EBADMSG,
	  "entries[1].severity: unknown severity 'hgh'" },
	{ "\"dimension\": \"kernel\"", "\"dimension\": \"kernal\"", -EBADMSG,
	  "entries[1].dimension: unknown dimension 'kernal'" },
	{ "\"confidence\": \"possible\"", "\"confidence\": 2", -EBADMSG,
	  "entries[1].confidence: expected a string, found an integer" },
	{ "\"inhibitor\": false", "\"inhibitor\": \"no\"", -EBADMSG,
	  "entries[1].inhibitor: expected a boolean, found a string" },
	{ "\"groups\": [\n        \"kernel\"", "\"groups\": [\n        \"packages\"", -EBADMSG,
	  "entries[1].groups: disagrees with dimension and inhibitor" },
	{ "\"subject\": {\n        \"path\"", "\"subject\": {\n        \"pth\"", -EBADMSG,
	  "entries[0].subject.path: missing" },
	{ "\"soname\": \"lib\xc3\xa9.so\"", "\"soname\": 7", -EBADMSG,
	  "entries[1].evidence.soname: expected a string or an array, found an integer" },
	{ "\"soname\": \"lib\xc3\xa9.so\"", "\"soname\": \"lib\xff.so\"", -EBADMSG,
	  "entries[1].evidence.soname: string is not valid UTF-8" },
	{ "\"soname\": \"lib\xc3\xa9.so\"", "\"soname\": \"a\\u0000b\"", -EBADMSG,
	  "entries[1].evidence.soname: string holds a NUL character" },
	{ "\"identity\": [\n        \"soname\"", "\"identity\": [\n        \"sonam\"", -EBADMSG,
	  "entries[0].identity[0]: no evidence field 'sonam'" },
	{ "\"identity\": [\n        \"soname\"", "\"identity\": [\n        \"symbols\"", -EBADMSG,
	  "entries[0].identity[0]: evidence 'symbols' is a list" },
	{ "\"package\": \"compat-openssl10\"", "\"pkg\": \"compat-openssl10\"", -EBADMSG,
	  "entries[0].actions[0].args: lacks an argument 'install-package' needs" },
	{ "\"install\",\n", "\"remove\",\n", -EBADMSG,
	  "entries[0].detail.remediations[1].context: command matches no action" },
	{ "\"type\": \"hint\"", "\"type\": \"tip\"", -EBADMSG,
	  "entries[0].detail.remediations[0]: unknown remediation type 'tip'" },
	{ "\"scheme\": \"package\"", "\"scheme\": \"package\" }, { \"scheme\": \"x\"", -EBADMSG,
	  "entries[0].detail.related_resources: disagrees with the subject" },
	{ "\"key\": \"", "\"key\": \"ABC", -EBADMSG, "is not 16 lowercase hex digits" },
	{ "\"errno\": 13", "\"errno\": -13", -EBADMSG,
	  "errors[0].errno: -13 is not an errno value" },
	{ "\"message\": \"cannot open\"", "\"message\": null", -EBADMSG,
	  "errors[0].message: expected a string, found null" },
	{ "\"release\": \"20.el8\"", "\"releas\": \"20.el8\"", -EBADMSG,
	  "installed[0].release: missing" },
	{ "\"bash = 4.4-20.el8\"", "7", -EBADMSG,
	  "installed[0].provides[0]: expected a string, found an integer" },
	{ "\"(a or b)\"", "\"\"", -EBADMSG, "installed[0].requires[1]: an empty dependency" },
	{ "\"epoch\": \"1\"", "\"epoch\": 1", -EBADMSG,
	  "installed[1].epoch: expected a string, found an integer" },
	{ "\"arch\": \"noarch\"", "\"arch\": \"\"", -EBADMSG,
	  "installed[1]: an empty name, version, release or arch" },
};

static void test_bad(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample();
	_cleanup_(freep) char *json = aoms_test_render(r, "json");

	for (size_t i = 0; i < ARRAY_SIZE(bad_docs); i++) {
		struct aoms_report *back = (struct aoms_report *)0x1;
		_cleanup_(freep) char *doc = NULL;
		_cleanup_(freep) char *err = NULL;
		int rr;

		if (!bad_docs[i].from) {
			doc = strdup(bad_docs[i].to);
		} else {
			const char *p = strstr(json, bad_docs[i].from);

			if (!p)
				fail_msg("bad_docs[%zu]: no '%s' in the sample", i, bad_docs[i].from);
			doc = malloc(strlen(json) + strlen(bad_docs[i].to) + 1);
			assert_non_null(doc);
			sprintf(doc, "%.*s%s%s", (int)(p - json), json, bad_docs[i].to,
				p + strlen(bad_docs[i].from));
		}
		rr = read_text(doc, &back, &err);
		if (rr != bad_docs[i].err || !err || !strstr(err, bad_docs[i].msg))
			fail_msg("bad_docs[%zu]: got %d '%s', want %d '%s'", i, rr, err ? err : "(none)",
				 bad_docs[i].err, bad_docs[i].msg);
		assert_ptr_equal(back, (struct aoms_report *)0x1);
		assert_null(strchr(err, '\n'));
	}
}

static void test_read_file(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample();
	_cleanup_(aoms_report_freep) struct aoms_report *back = NULL;
	_cleanup_(freep) char *json = aoms_test_render(r, "json");
	_cleanup_(freep) char *path = aoms_test_path("report.json");
	_cleanup_(freep) char *err = NULL;

	aoms_test_write_file("report.json", json);
	OK(aoms_report_read_file(path, &back, &err));
	assert_int_equal(aoms_report_n_errors(back), 3);
	assert_int_equal(aoms_report_read_file("/nonexistent/report.json", &back, &err), -ENOENT);
}

/* A rule of a later scanner, as a plug-in would register it. */
static const struct aoms_rule test_rules[] = {
	{ "kmod.thing", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false, "t", "test rule", NULL },
};

static int setup(void **state)
{
	if (aoms_rules_register(test_rules, ARRAY_SIZE(test_rules)) < 0)
		return -1;
	return aoms_test_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_sample),
		cmocka_unit_test(test_round_trip_scan),
		cmocka_unit_test(test_schema_1_0),
		cmocka_unit_test(test_newer_minor),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, setup, aoms_test_teardown);
}
