/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The application check end to end through aoms_scan(): executables built with gcc
 * at test time, checked against small target databases written through the abi-db
 * API, findings asserted by rule and evidence, and the exit-status bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "abidb.h"
#include "elf-model.h"
#include "report.h"
#include "scan.h"
#include "strbuf.h"
#include "testutil.h"

/* An API call that must succeed. */
#define OK(expr) assert_int_equal((expr), 0)

#define INTERP "/lib64/ld-linux-x86-64.so.2"

static bool usable;   /* x86_64 host with gcc */
static bool built;
/* The host's glibc is 2.34 or later (Debian 12: 2.36), so every program it links
 * needs __libc_start_main@GLIBC_2.34; EL8's 2.28 does not. */
static bool host_glibc_234;

/* Stubs to link against; they never enter a scanned tree. */
static const char foo_c[] =
	"int foo_a(void) { return 1; }\n"
	"int foo_b(void) { return 2; }\n";
static const char foo_map[] = "FOO_1.0 { global: foo_a; foo_b; local: *; };\n";
static const char notthere_c[] = "int notthere(void) { return 3; }\n";
/* a library whose .note.ABI-tag asks for Linux 5.15.3 */
static const char note_c[] =
	"int note_f(void) { return 4; }\n"
	"__asm__(\".section .note.ABI-tag,\\\"a\\\",@note\\n\\t.p2align 2\\n"
	"\\t.long 4\\n\\t.long 16\\n\\t.long 1\\n\\t.string \\\"GNU\\\"\\n"
	"\\t.long 0\\n\\t.long 5\\n\\t.long 15\\n\\t.long 3\\n\\t.previous\\n\");\n";
static bool built_relr;   /* optional: binutils >= 2.38 */

static const char app_c[] =
	"#include <stdio.h>\n"
	"extern int foo_a(void);\n"
	"extern int foo_b(void);\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tprintf(\"%d\\n\", argc);\n"
	"\treturn foo_a() + foo_b();\n"
	"}\n";

static const char app2_c[] =
	"#include <stdio.h>\n"
	"extern int notthere(void);\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tprintf(\"%d\\n\", argc);\n"
	"\treturn notthere();\n"
	"}\n";

static int setup(void **state)
{
	if (aoms_test_tmpdir_setup("check") < 0)
		return -1;
	elf_version(EV_CURRENT);
#ifdef __x86_64__
	/* the databases below hold x86_64 facts */
	usable = system("command -v gcc >/dev/null 2>&1") == 0;
#endif
	if (!usable)
		return 0;
	aoms_test_write_file("foo.c", foo_c);
	aoms_test_write_file("foo.map", foo_map);
	aoms_test_write_file("notthere.c", notthere_c);
	aoms_test_write_file("app.c", app_c);
	aoms_test_write_file("app2.c", app2_c);
	aoms_test_write_file("note.c", note_c);
	built = aoms_test_sh("mkdir stubs tree bundled offpath offpath/bin offpath/lib") &&
		aoms_test_sh("gcc -shared -fPIC -o stubs/libfoo.so.1 -Wl,-soname,libfoo.so.1 "
			     "-Wl,--version-script=foo.map foo.c") &&
		aoms_test_sh("gcc -shared -fPIC -o stubs/libnotthere.so.1 "
			     "-Wl,-soname,libnotthere.so.1 notthere.c") &&
		aoms_test_sh("gcc -o tree/app app.c stubs/libfoo.so.1 -Wl,-rpath,'$ORIGIN'") &&
		aoms_test_sh("gcc -o tree/app2 app2.c stubs/libnotthere.so.1") &&
		/* the same program with its library next to it, and elsewhere in the tree */
		aoms_test_sh("cp tree/app stubs/libfoo.so.1 bundled/") &&
		aoms_test_sh("cp tree/app offpath/bin/ && cp stubs/libfoo.so.1 offpath/lib/") &&
		/* loader and kernel rules */
		aoms_test_sh("mkdir misc && gcc -shared -fPIC -o misc/libnote.so.1 "
			     "-Wl,-soname,libnote.so.1 note.c");
	if (built) {
		_cleanup_(freep) char *app = aoms_test_path("tree/app");
		_cleanup_(closep) int fd = open(app, O_RDONLY | O_CLOEXEC);
		struct aoms_elf *m = NULL;

		if (fd < 0 || aoms_elf_read(fd, app, &m, NULL) < 0)
			return -1;
		for (size_t i = 0; i < m->n_needs; i++)
			host_glibc_234 |= !strcmp(m->needs[i].version, "GLIBC_2.34");
		aoms_elf_free(m);
	}
	built_relr = built && aoms_test_sh("gcc -shared -fPIC -o misc/librelr.so.1 "
					   "-Wl,-soname,librelr.so.1 -Wl,-z,pack-relative-relocs "
					   "foo.c && readelf -d misc/librelr.so.1 | grep -q RELR");
	return 0;
}

static void need_fixtures(void)
{
	if (!usable)
		skip();
	if (!built) {
		aoms_test_print_log();
		fail_msg("building the test programs with gcc failed");
	}
}

/* ---- target databases ---- */

struct db_spec {
	const char *coverage;
	/* also record every libc.so.6 version and symbol the programs in tree/ need,
	 * so only the findings under test remain */
	bool host_glibc;
	/* a soname transition row for libnotthere.so.1 (removed in the target) */
	bool notthere_removed;
	/* the target has no libfoo.so.1 */
	bool no_libfoo;
	/* the target has libnotthere.so.1, without notthere() */
	bool notthere_known;
	/* no program interpreter on the target */
	bool no_interp;
	/* meta "arches"; NULL: "x86_64" */
	const char *arches;
};

/* Adds the libc.so.6 needs and imports of the ELF file at path to lib. */
static void add_host_glibc(struct aoms_abidb *db, int64_t lib, const char *path)
{
	_cleanup_(closep) int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_(aoms_elf_freep) struct aoms_elf *m = NULL;

	assert_true(fd >= 0);
	OK(aoms_elf_read(fd, path, &m, NULL));
	for (size_t i = 0; i < m->n_needs; i++)
		if (!strcmp(m->needs[i].soname, "libc.so.6"))
			OK(aoms_abidb_add_verdef(db, lib, m->needs[i].version));
	for (size_t k = 0; k < m->n_imports; k++) {
		const struct aoms_elf_import *imp = &m->imports[k];

		if (imp->need >= 0 && !strcmp(m->needs[imp->need].soname, "libc.so.6"))
			OK(aoms_abidb_add_symbol(db, lib, imp->name, m->needs[imp->need].version,
						 true, "F"));
	}
}

/* Writes tmpdir/name as spec says and returns its path (caller frees). */
static char *make_db(const char *name, const struct db_spec *spec)
{
	char *path = aoms_test_path(name);
	struct aoms_abidb *db = NULL;
	int64_t src, foo, libc;

	unlink(path);
	OK(aoms_abidb_create(path, &db));
	OK(aoms_abidb_begin(db));
	OK(aoms_abidb_set_meta(db, "name", "unit"));
	OK(aoms_abidb_set_meta(db, "arches", spec->arches ? spec->arches : "x86_64"));
	OK(aoms_abidb_set_meta(db, "coverage", spec->coverage));
	OK(aoms_abidb_set_meta(db, "kernel_version", "4.18.0"));   /* the target, as data */
	OK(aoms_abidb_add_source(db, "unit", "written by test-check", &src));
	if (!spec->no_libfoo) {
		OK(aoms_abidb_add_library(db, src, "libfoo.so.1", "x86_64",
					  "/usr/lib64/libfoo.so.1", "foo", &foo));
		OK(aoms_abidb_add_verdef(db, foo, "FOO_1.0"));
		OK(aoms_abidb_add_symbol(db, foo, "foo_a", "FOO_1.0", true, "F"));
	}
	OK(aoms_abidb_add_library(db, src, "libc.so.6", "x86_64", "/usr/lib64/libc.so.6",
				  "glibc", &libc));
	OK(aoms_abidb_add_verdef(db, libc, "GLIBC_2.2.5"));
	OK(aoms_abidb_add_symbol(db, libc, "printf", "GLIBC_2.2.5", true, "F"));
	if (spec->host_glibc) {
		_cleanup_(freep) char *app = aoms_test_path("tree/app");
		_cleanup_(freep) char *app2 = aoms_test_path("tree/app2");

		add_host_glibc(db, libc, app);
		add_host_glibc(db, libc, app2);
	}
	if (spec->notthere_known) {
		int64_t nt;

		OK(aoms_abidb_add_library(db, src, "libnotthere.so.1", "x86_64",
					  "/usr/lib64/libnotthere.so.1", "notthere", &nt));
		OK(aoms_abidb_add_symbol(db, nt, "other_func", NULL, true, "F"));
	}
	if (!spec->no_interp)
		OK(aoms_abidb_add_interpreter(db, src, INTERP, "x86_64", "glibc"));
	if (spec->notthere_removed)
		OK(aoms_abidb_add_soname_change(db, src, "libnotthere.so.1", NULL, NULL,
						"dropped upstream"));
	OK(aoms_abidb_mark_built(db));
	OK(aoms_abidb_commit(db));
	aoms_abidb_free(db);
	return path;
}

/* Scans tmpdir/input against the database at db_path into a new report. */
static struct aoms_report *scan(const char *db_path, const char *input)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(freep) char *in = aoms_test_path(input);
	struct aoms_report *report = NULL;
	char *paths[] = { in };

	OK(aoms_abidb_open(db_path, &db));
	OK(aoms_report_new(&report));
	struct aoms_scan_options o = { .db = db, .report = report, .jobs = 2,
				       .target_name = "Anolis OS 8" };
	OK(aoms_scan(&o, paths, 1));
	aoms_report_sort(report);
	return report;
}

/* ---- looking findings up ---- */

/* Whether f has every "key=value" of the ';'-separated evidence spec. */
static bool has_evidence(const struct aoms_finding *f, const char *spec)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *w = strtok_r(buf, ";", &save); w; w = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(w, '=');
		const char *v;

		assert_non_null(eq);
		*eq = '\0';
		v = aoms_finding_evidence(f, w);
		if (!v || strcmp(v, eq + 1) != 0)
			return false;
	}
	return true;
}

/* The findings of rule about subject with the evidence, counted; *ret the last. */
static size_t find(const struct aoms_report *r, const char *rule, const char *subject,
		   const char *evidence, const struct aoms_finding **ret)
{
	size_t n = 0;

	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);

		if (rule && strcmp(f->rule, rule) != 0)
			continue;
		if (subject && strcmp(f->subject, subject) != 0)
			continue;
		if (evidence && !has_evidence(f, evidence))
			continue;
		if (ret)
			*ret = f;
		n++;
	}
	return n;
}

static void dump(const struct aoms_report *r)
{
	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);

		print_message("  %s %s %s%s:", f->subject, f->rule, aoms_severity_name(f->severity),
			      f->inhibitor ? " inhibitor" : "");
		for (size_t k = 0; k < f->n_evidence; k++)
			print_message(" %s=%s", f->evidence[k].key,
				      f->evidence[k].n_values ? f->evidence[k].values[0] : "");
		print_message("\n");
	}
	for (size_t i = 0; i < aoms_report_n_errors(r); i++)
		print_message("  error %s: %s\n", aoms_report_error(r, i)->subject,
			      aoms_report_error(r, i)->message);
}

struct want {
	const char *rule, *subject, *evidence;
	enum aoms_severity sev;
	bool inhibitor;
	enum aoms_confidence conf;
};

/* Exactly one finding matches each row; prints the report when not. */
static void expect(const struct aoms_report *r, const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct aoms_finding *f = NULL;
		size_t got = find(r, w[i].rule, w[i].subject, w[i].evidence, &f);

		if (got != 1) {
			dump(r);
			fail_msg("%zu findings %s on %s with %s, want 1", got, w[i].rule,
				 w[i].subject, w[i].evidence);
		}
		assert_int_equal(f->severity, w[i].sev);
		assert_int_equal(f->inhibitor, w[i].inhibitor);
		assert_int_equal(f->confidence, w[i].conf);
		assert_int_equal(f->dimension, AOMS_DIM_APPLICATIONS);
		assert_non_null(f->title);
		assert_non_null(f->summary);
		assert_true(f->n_remedies > 0);
	}
}

/* No finding of rule about subject (with the evidence, if given). */
static void expect_none(const struct aoms_report *r, const char *rule, const char *subject,
			const char *evidence)
{
	if (find(r, rule, subject, evidence, NULL) != 0) {
		dump(r);
		fail_msg("unexpected %s on %s (%s)", rule ? rule : "finding",
			 subject ? subject : "any subject",
			 evidence ? evidence : "any evidence");
	}
}

/* ---- the tests ---- */

static void test_complete_db(void **state)
{
	static const struct db_spec spec = { .coverage = "complete" };
	static const struct want want[] = {
		/* FOO_1.0 exists on the target, foo_b is not in it */
		{ "elf.symbol-missing", "app",
		  "soname=libfoo.so.1;symbol=foo_b;version=FOO_1.0;"
		  "provider=target:/usr/lib64/libfoo.so.1 (foo)",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
		/* coverage complete: absence is a verdict */
		{ "elf.needed-missing", "app2", "soname=libnotthere.so.1",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
		/* last, only with host_glibc_234: __libc_start_main@GLIBC_2.34 */
		{ "elf.version-node-missing", "app",
		  "soname=libc.so.6;version=GLIBC_2.34;symbol=__libc_start_main",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
		{ "elf.version-node-missing", "app2",
		  "soname=libc.so.6;version=GLIBC_2.34;symbol=__libc_start_main",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	const struct aoms_finding *f = NULL;

	need_fixtures();
	db = make_db("complete.db", &spec);
	r = scan(db, "tree");
	expect(r, want, ARRAY_SIZE(want) - (host_glibc_234 ? 0 : 2));

	/* what the target has raises nothing */
	expect_none(r, NULL, "app", "symbol=foo_a");
	expect_none(r, NULL, "app", "symbol=printf");
	expect_none(r, NULL, "app2", "symbol=printf");
	expect_none(r, NULL, "app", "version=GLIBC_2.2.5;symbol=printf");
	expect_none(r, "elf.needed-missing", "app", NULL);
	expect_none(r, "elf.needed-unknown", NULL, NULL);
	expect_none(r, "elf.needed-off-path", NULL, NULL);
	expect_none(r, "elf.interpreter-missing", NULL, NULL);
	expect_none(r, "elf.machine-unsupported", NULL, NULL);
	expect_none(r, "elf.machine-unknown", NULL, NULL);
	expect_none(r, "elf.malformed", NULL, NULL);
	expect_none(r, "elf.glibc-private", NULL, NULL);
	/* app2's notthere() has no provider, but the closure is incomplete: no verdict */
	expect_none(r, "elf.symbol-unresolved", NULL, NULL);
	/* the sources and the build log are not ELF */
	assert_int_equal(find(r, NULL, NULL, NULL, NULL),
			 find(r, NULL, "app", NULL, NULL) + find(r, NULL, "app2", NULL, NULL));
	/* a weak glibc reference (crtbeginS.o's __cxa_finalize) the DB lacks is only low */
	if (find(r, "elf.symbol-missing", "app", "symbol=__cxa_finalize", &f)) {
		assert_int_equal(f->severity, AOMS_SEV_LOW);
		assert_false(f->inhibitor);
	}
	/* the symbol list of the version node names __libc_start_main */
	assert_int_equal(find(r, "elf.version-node-missing", "app", "version=GLIBC_2.34", &f),
			 host_glibc_234);
	for (size_t k = 0; f && host_glibc_234 && k < f->n_evidence; k++)
		if (!strcmp(f->evidence[k].key, "symbols")) {
			assert_true(f->evidence[k].is_list);
			assert_true(f->evidence[k].n_values >= 1);
			assert_string_equal(f->evidence[k].values[0], "__libc_start_main");
		}

	assert_int_equal(aoms_report_n_errors(r), 0);
	assert_int_equal(aoms_report_n_inputs(r), 1);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_INFO),
			 AOMS_EXIT_FINDINGS | AOMS_EXIT_BLOCKING);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_LOW),
			 AOMS_EXIT_FINDINGS | AOMS_EXIT_BLOCKING);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_HIGH),
			 AOMS_EXIT_FINDINGS | AOMS_EXIT_BLOCKING);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_INHIBITOR), AOMS_EXIT_BLOCKING);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_NEVER), AOMS_EXIT_OK);
}

static void test_partial_db(void **state)
{
	static const struct db_spec spec = { .coverage = "partial" };
	static const struct want want[] = {
		{ "elf.needed-unknown", "app2", "soname=libnotthere.so.1",
		  AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE },
		/* the rest does not depend on coverage */
		{ "elf.symbol-missing", "app", "soname=libfoo.so.1;symbol=foo_b;version=FOO_1.0",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
		/* last, only with host_glibc_234 */
		{ "elf.version-node-missing", "app", "soname=libc.so.6;version=GLIBC_2.34",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	need_fixtures();
	db = make_db("partial.db", &spec);
	r = scan(db, "tree");
	expect(r, want, ARRAY_SIZE(want) - !host_glibc_234);
	expect_none(r, "elf.needed-missing", NULL, NULL);
	assert_int_equal(aoms_report_n_errors(r), 0);
}

/* With every glibc fact the programs need, a partial database leaves app2's unknown
 * library alone: medium, no inhibitor, and the exit bits follow --fail-on. */
static void test_partial_exit_status(void **state)
{
	static const struct db_spec spec = { .coverage = "partial", .host_glibc = true };
	static const struct want want[] = {
		{ "elf.needed-unknown", "app2", "soname=libnotthere.so.1",
		  AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(freep) char *app2 = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	need_fixtures();
	app2 = aoms_test_path("tree/app2");
	db = make_db("partial-host.db", &spec);
	r = scan(db, "tree");
	expect(r, want, ARRAY_SIZE(want));
	expect_none(r, "elf.version-node-missing", NULL, NULL);
	expect_none(r, NULL, "app2", "soname=libc.so.6");
	/* app still misses foo_b: scan app2 alone for the exit bits */
	assert_int_equal(find(r, "elf.symbol-missing", "app", "symbol=foo_b", NULL), 1);

	/* a file given on its own is its own subject */
	aoms_report_free(TAKE_PTR(r));
	r = scan(db, "tree/app2");
	expect(r, (const struct want[]){ { "elf.needed-unknown", app2, "soname=libnotthere.so.1",
					   AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE } }, 1);
	if (aoms_report_n_findings(r) != 1) {
		dump(r);
		fail_msg("%zu findings, want 1", aoms_report_n_findings(r));
	}
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_INFO), AOMS_EXIT_FINDINGS);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_LOW), AOMS_EXIT_FINDINGS);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_MEDIUM), AOMS_EXIT_FINDINGS);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_HIGH), AOMS_EXIT_OK);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_INHIBITOR), AOMS_EXIT_OK);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_NEVER), AOMS_EXIT_OK);
}

/* A soname the target is known to have dropped is missing even with partial coverage. */
static void test_partial_db_known_removal(void **state)
{
	static const struct db_spec spec = { .coverage = "partial", .host_glibc = true,
					     .notthere_removed = true };
	static const struct want want[] = {
		{ "elf.needed-missing", "app2", "soname=libnotthere.so.1",
		  AOMS_SEV_HIGH, true, AOMS_CONF_LIKELY },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	const struct aoms_finding *f = NULL;
	bool noted = false;

	need_fixtures();
	db = make_db("partial-removed.db", &spec);
	r = scan(db, "tree");
	expect(r, want, ARRAY_SIZE(want));
	expect_none(r, "elf.needed-unknown", NULL, NULL);
	find(r, "elf.needed-missing", "app2", NULL, &f);
	for (size_t i = 0; i < f->n_remedies; i++)
		noted |= strstr(f->remedies[i].text, "dropped upstream") != NULL;
	assert_true(noted);
}

/* libfoo.so.1 beside the program, on its $ORIGIN RUNPATH: the tree's copy wins over
 * the target's, and it has foo_b. Elsewhere in the tree, with a target that lacks
 * it: found, but only off the loader's path. */
static void test_tree_provider(void **state)
{
	static const struct db_spec spec = { .coverage = "complete", .host_glibc = true };
	static const struct db_spec spec_nofoo = { .coverage = "complete", .host_glibc = true,
						   .no_libfoo = true };
	static const struct want off[] = {
		{ "elf.needed-off-path", "bin/app", "soname=libfoo.so.1;provider=lib/libfoo.so.1",
		  AOMS_SEV_LOW, false, AOMS_CONF_LIKELY },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(freep) char *db_nofoo = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	need_fixtures();
	db = make_db("complete-host.db", &spec);
	r = scan(db, "bundled");
	if (aoms_report_n_findings(r) != 0) {
		dump(r);
		fail_msg("a self-contained program has findings");
	}
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_INFO), AOMS_EXIT_OK);

	/* off the path, the target's copy is the one the loader takes */
	aoms_report_free(TAKE_PTR(r));
	r = scan(db, "offpath");
	expect_none(r, "elf.needed-off-path", NULL, NULL);
	assert_int_equal(find(r, "elf.symbol-missing", "bin/app", "symbol=foo_b", NULL), 1);

	aoms_report_free(TAKE_PTR(r));
	db_nofoo = make_db("complete-nofoo.db", &spec_nofoo);
	r = scan(db_nofoo, "offpath");
	expect(r, off, ARRAY_SIZE(off));
	expect_none(r, "elf.symbol-missing", NULL, NULL);
	expect_none(r, "elf.needed-missing", NULL, NULL);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_LOW), AOMS_EXIT_FINDINGS);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_MEDIUM), AOMS_EXIT_OK);

	/* and not in the tree at all */
	aoms_report_free(TAKE_PTR(r));
	r = scan(db_nofoo, "tree");
	expect(r, (const struct want[]){ { "elf.needed-missing", "app", "soname=libfoo.so.1",
					   AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN } }, 1);
	/* without a provider, libfoo's nodes are not judged */
	expect_none(r, "elf.symbol-missing", "app", "soname=libfoo.so.1");
	expect_none(r, "elf.version-node-missing", "app", "soname=libfoo.so.1");
}

/* Rules about the object itself rather than its libraries. */
static void test_object_rules(void **state)
{
	static const struct db_spec spec = { .coverage = "complete", .host_glibc = true };
	static const struct db_spec spec_nointerp = { .coverage = "complete", .host_glibc = true,
						      .no_interp = true };
	static const struct db_spec spec_aarch64 = { .coverage = "complete", .arches = "aarch64" };
	static const struct want want[] = {
		{ "elf.kernel-too-old", "libnote.so.1", "required_kernel=5.15.3",
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	need_fixtures();
	db = make_db("objects.db", &spec);
	r = scan(db, "misc");
	expect(r, want, ARRAY_SIZE(want));
	if (built_relr)
		expect(r, (const struct want[]){ { "elf.loader-feature", "librelr.so.1",
						   "feature=DT_RELR;required_glibc=2.36",
						   AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN } }, 1);
	expect_none(r, "elf.interpreter-missing", NULL, NULL);   /* libraries have none */

	free(db);
	aoms_report_free(TAKE_PTR(r));
	db = make_db("nointerp.db", &spec_nointerp);
	r = scan(db, "tree");
	expect(r, (const struct want[]){
		{ "elf.interpreter-missing", "app", "interpreter=" INTERP,
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN },
		{ "elf.interpreter-missing", "app2", "interpreter=" INTERP,
		  AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN } }, 2);

	/* a database without x86_64 facts cannot judge x86_64 programs */
	free(db);
	aoms_report_free(TAKE_PTR(r));
	db = make_db("aarch64.db", &spec_aarch64);
	r = scan(db, "tree");
	expect(r, (const struct want[]){
		{ "elf.machine-unknown", "app", "machine=x86_64",
		  AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE },
		{ "elf.machine-unknown", "app2", "machine=x86_64",
		  AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE } }, 2);
	assert_int_equal(aoms_report_n_findings(r), 2);   /* nothing else was checked */
}

/* An unversioned import that no library of the complete closure defines. */
static void test_symbol_unresolved(void **state)
{
	static const struct db_spec spec = { .coverage = "complete", .host_glibc = true,
					     .notthere_known = true };
	static const struct want want[] = {
		{ "elf.symbol-unresolved", "app2", "symbol=notthere",
		  AOMS_SEV_MEDIUM, false, AOMS_CONF_LIKELY },
	};
	_cleanup_(freep) char *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	need_fixtures();
	db = make_db("unresolved.db", &spec);
	r = scan(db, "tree");
	expect(r, want, ARRAY_SIZE(want));
	expect_none(r, "elf.needed-missing", "app2", NULL);
	expect_none(r, "elf.symbol-unresolved", "app", NULL);
}

/* A path that does not exist is a per-file error (exit bit 1), and the scan goes on. */
static void test_scan_error(void **state)
{
	static const struct db_spec spec = { .coverage = "complete", .host_glibc = true };
	_cleanup_(freep) char *db = NULL;
	_cleanup_(freep) char *bundled = NULL;
	_cleanup_(freep) char *missing = NULL;
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *d = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	need_fixtures();
	db = make_db("complete-host2.db", &spec);
	bundled = aoms_test_path("bundled");
	missing = aoms_test_path("no-such-dir");
	OK(aoms_abidb_open(db, &d));
	OK(aoms_report_new(&r));
	struct aoms_scan_options o = { .db = d, .report = r, .jobs = 1 };
	char *paths[] = { missing, bundled };
	OK(aoms_scan(&o, paths, 2));
	assert_int_equal(aoms_report_n_errors(r), 1);
	assert_string_equal(aoms_report_error(r, 0)->subject, missing);
	assert_int_equal(aoms_report_error(r, 0)->err, ENOENT);
	assert_int_equal(aoms_report_n_findings(r), 0);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_LOW), AOMS_EXIT_ERROR);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_NEVER), AOMS_EXIT_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_db),
		cmocka_unit_test(test_partial_db),
		cmocka_unit_test(test_partial_exit_status),
		cmocka_unit_test(test_partial_db_known_removal),
		cmocka_unit_test(test_tree_provider),
		cmocka_unit_test(test_object_rules),
		cmocka_unit_test(test_symbol_unresolved),
		cmocka_unit_test(test_scan_error),
	};

	return cmocka_run_group_tests(tests, setup, aoms_test_teardown);
}
