/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report/: finding keys, sort order, exit status, JSON and text rendering, threads. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "config.h"
#include "finding.h"
#include "report.h"
#include "rules.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

#define FLAT (JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

struct finding_spec {
	const char *rule;
	const char *subject;
	enum aoms_severity sev;
	enum aoms_dimension dim;
	bool inhibitor;
	/* "k=v;*k=v;k=[a,b]": scalars (identity with '*'), lists; "@package=" and
	 * "@locus=" set those */
	const char *evidence;
};

/* Adds the evidence of spec ("soname=libc.so.6;symbols=[a,b]") to f. */
static void add_evidence_spec(struct aoms_finding *f, const char *spec)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *w = strtok_r(buf, ";", &save); w; w = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(w, '='), *val, *vs = NULL;
		const char *values[16];
		size_t n = 0;

		assert_non_null(eq);
		*eq = '\0';
		val = eq + 1;
		if (strcmp(w, "@package") == 0) {
			assert_int_equal(aoms_finding_set_package(f, val), 0);
			continue;
		}
		if (strcmp(w, "@locus") == 0) {
			assert_int_equal(aoms_finding_set_locus(f, val), 0);
			continue;
		}
		if (*val != '[') {
			if (*w == '*')
				assert_int_equal(aoms_finding_add_identity(f, w + 1, val), 0);
			else
				assert_int_equal(aoms_finding_add_evidence(f, w, val), 0);
			continue;
		}
		val[strlen(val) - 1] = '\0';
		for (char *v = strtok_r(val + 1, ",", &vs); v && n < 16; v = strtok_r(NULL, ",", &vs))
			values[n++] = v;
		assert_int_equal(aoms_finding_add_evidence_list(f, w, values, n), 0);
	}
}

static struct aoms_finding *make_finding(const struct finding_spec *s)
{
	struct aoms_finding *f = NULL;

	assert_int_equal(aoms_finding_new(s->rule, s->sev, s->dim, s->subject, &f), 0);
	f->inhibitor = s->inhibitor;
	assert_int_equal(aoms_finding_set_title(f, "%s in %s", s->rule, s->subject), 0);
	add_evidence_spec(f, s->evidence);
	aoms_finding_compute_key(f);
	return f;
}

static char *key_of(const struct finding_spec *s)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = make_finding(s);
	char *k = strdup(f->key);

	assert_non_null(k);
	return k;
}

/* Renders r in format into a heap string (caller frees). */
static char *render(struct aoms_report *r, const char *format, enum aoms_fail_on fail_on)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	aoms_report_set_fail_on(r, fail_on);
	assert_int_equal(aoms_report_render(r, format, out), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void test_names(void **state)
{
	static const char *const sev[] = { "info", "low", "medium", "high" };
	static const char *const fail[] = { "info", "low", "medium", "high", "inhibitor", "never" };
	enum aoms_severity s;
	enum aoms_fail_on fo;

	for (size_t i = 0; i < ARRAY_SIZE(sev); i++) {
		assert_int_equal(aoms_severity_from_name(sev[i], &s), 0);
		assert_int_equal(s, i);
		assert_string_equal(aoms_severity_name(s), sev[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fail); i++) {
		assert_int_equal(aoms_fail_on_from_name(fail[i], &fo), 0);
		assert_int_equal(fo, i);
	}
	assert_int_equal(aoms_severity_from_name("critical", &s), -EINVAL);
	assert_int_equal(aoms_severity_from_name(NULL, &s), -EINVAL);
	assert_int_equal(aoms_fail_on_from_name("HIGH", &fo), -EINVAL);
	assert_string_equal(aoms_severity_name((enum aoms_severity)42), "unknown");
	assert_string_equal(aoms_dimension_name(AOMS_DIM_APPLICATIONS), "applications");
	assert_string_equal(aoms_dimension_name((enum aoms_dimension)0), "unknown");
	assert_string_equal(aoms_dimension_title(AOMS_DIM_HARDWARE), "Hardware & drivers");
	assert_string_equal(aoms_confidence_name(AOMS_CONF_POSSIBLE), "possible");
	assert_string_equal(aoms_remedy_kind_name(AOMS_REMEDY_COMMAND), "command");
}

static void test_evidence(void **state)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	const char *const two[] = { "a", "b" };

	assert_int_equal(aoms_finding_new("r", AOMS_SEV_LOW, AOMS_DIM_KERNEL, "s", &f), 0);
	assert_int_equal(f->confidence, AOMS_CONF_CERTAIN);
	assert_false(f->inhibitor);
	assert_null(aoms_finding_evidence(f, "soname"));
	assert_int_equal(aoms_finding_add_evidence(f, "soname", "libc.so.6"), 0);
	assert_int_equal(aoms_finding_add_evidencef(f, "version", "GLIBC_2.%d", 34), 0);
	assert_int_equal(aoms_finding_add_evidence_list(f, "symbols", two, 2), 0);
	assert_int_equal(aoms_finding_add_evidence_list(f, "empty", NULL, 0), 0);
	assert_string_equal(aoms_finding_evidence(f, "version"), "GLIBC_2.34");
	assert_string_equal(aoms_finding_evidence(f, "symbols"), "a");
	assert_null(aoms_finding_evidence(f, "empty"));
	/* Setting a key again replaces its value where it stands. */
	assert_int_equal(aoms_finding_add_evidence(f, "soname", "libm.so.6"), 0);
	assert_int_equal(f->n_evidence, 4);
	assert_string_equal(f->evidence[0].key, "soname");
	assert_string_equal(aoms_finding_evidence(f, "soname"), "libm.so.6");
	assert_int_equal(aoms_finding_set_package(f, "glibc"), 0);
	assert_int_equal(aoms_finding_set_package(f, NULL), 0);
	assert_null(f->package);
	assert_int_equal(aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "rebuild %s", "app"), 0);
	assert_string_equal(f->remedies[0].text, "rebuild app");
}

#define SYM "elf.symbol-missing"
#define APPS AOMS_SEV_HIGH, AOMS_DIM_APPLICATIONS, true
static const struct finding_spec key_base = {
	SYM, "bin/app", APPS, "*soname=libc.so.6;*symbol=memcpy;symbols=[a,b]"
};

/* Each differs from key_base in one way that must change the key. */
static const struct finding_spec key_variants[] = {
	{ "elf.symbol-unresolved", "bin/app", APPS, "*soname=libc.so.6;*symbol=memcpy" },
	{ SYM, "bin/app2", APPS, "*soname=libc.so.6;*symbol=memcpy" },
	{ SYM, "opt/x/bin/app", APPS, "@locus=bin/app3;*soname=libc.so.6;*symbol=memcpy" },
	{ SYM, "bin/app", APPS, "*soname=libm.so.6;*symbol=memcpy" },
	{ SYM, "bin/app", APPS, "*symbol=memcpy;*soname=libc.so.6" },
	{ SYM, "bin/app", APPS, "*soname=libc.so.6;*symbols=memcpy" },
	{ SYM, "bin/app", APPS, "*soname=libc.so.6" },
	{ SYM, "bin/app", APPS, "" },
	{ SYM, "bin/app", APPS, "@package=app-1.0-1.x86_64;*soname=libc.so.6;*symbol=memcpy" },
	{ SYM, "bin/app", APPS, "@package=ap-1.0-1.x86_64;*soname=libc.so.6;*symbol=memcpy" },
	/* boundaries moved between fields must not collide */
	{ SYM, "bin/app", APPS, "*soname=libc.so.6;*symbol=memcp;*y=" },
	{ SYM, "bin/ap", APPS, "*psoname=libc.so.6;*symbol=memcpy" },
	{ SYM, "bin/app", APPS, "*soname=libc.so.6;*symbol=memcpy;*x=" },
};

/* Each differs from key_base only outside the identity: the key stays. */
static const struct finding_spec key_same[] = {
	{ SYM, "bin/app", AOMS_SEV_LOW, AOMS_DIM_KERNEL, false,
	  "*soname=libc.so.6;*symbol=memcpy;symbols=[a,b]" },
	/* one more symbol in a list, a provider, a reason */
	{ SYM, "bin/app", APPS, "*soname=libc.so.6;*symbol=memcpy;symbols=[a,b,c]" },
	{ SYM, "bin/app", APPS, "*soname=libc.so.6;provider=tree:/x;*symbol=memcpy" },
	{ SYM, "bin/app", APPS, "reason=x;*soname=libc.so.6;*symbol=memcpy" },
	/* the subject under another input prefix, the same locus */
	{ SYM, "/opt/in/bin/app", APPS, "@locus=bin/app;*soname=libc.so.6;*symbol=memcpy" },
	{ SYM, "bin/app", APPS, "@locus=bin/app;*soname=libc.so.6;*symbol=memcpy" },
};

static void test_key(void **state)
{
	_cleanup_(freep) char *base = key_of(&key_base);
	_cleanup_(freep) char *again = key_of(&key_base);
	struct finding_spec pkg = key_base, pkg2 = key_base;

	assert_string_equal(base, again);
	assert_int_equal(strlen(base), 16);
	assert_int_equal(strspn(base, "0123456789abcdef"), 16);
	/* The byte layout of docs/report-schema.md, pinned: keys must survive releases. */
	assert_string_equal(base, "337b962fd2b83294");
	for (size_t i = 0; i < ARRAY_SIZE(key_same); i++) {
		_cleanup_(freep) char *k = key_of(&key_same[i]);

		if (strcmp(base, k) != 0)
			fail_msg("key_same[%zu] changed the key", i);
	}
	/* The package counts by name, not version. */
	pkg.evidence = "@package=openssl-libs-1:1.1.1k-5.el8.x86_64;*soname=libc.so.6;*symbol=memcpy";
	pkg2.evidence = "@package=openssl-libs-1.0.2o-4.el7.x86_64;*soname=libc.so.6;*symbol=memcpy";
	_cleanup_(freep) char *k1 = key_of(&pkg);
	_cleanup_(freep) char *k2 = key_of(&pkg2);
	assert_string_equal(k1, k2);
	assert_string_equal(k1, "2293a6a8bf137e0d");

	for (size_t i = 0; i < ARRAY_SIZE(key_variants); i++) {
		_cleanup_(freep) char *k = key_of(&key_variants[i]);

		if (strcmp(base, k) == 0)
			fail_msg("key_variants[%zu] kept the key", i);
		for (size_t j = 0; j < i; j++) {
			_cleanup_(freep) char *kj = key_of(&key_variants[j]);

			if (strcmp(k, kj) == 0)
				fail_msg("key_variants[%zu] and [%zu] collide", i, j);
		}
	}
}

static void test_nevra(void **state)
{
	static const struct {
		const char *in, *name;
	} rows[] = {
		{ "compat-openssl10-1:1.0.2o-4.el8.x86_64", "compat-openssl10" },
		{ "openssl-libs-1.1.1k-5.el8.x86_64", "openssl-libs" },
		{ "app-1.0-1.noarch", "app" },
		{ "app-1.0-1", "app" },
		{ "app-1.0", "app-1.0" },
		{ "compat-openssl10", "compat-openssl10" },
		{ "app", "app" },
		{ "", "" },
		{ "-1.0-1.x86_64", "-1.0-1.x86_64" },
		{ "app--1.x86_64", "app--1.x86_64" },
		{ "app-1.0-", "app-1.0-" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (aoms_nevra_name_len(rows[i].in) != strlen(rows[i].name))
			fail_msg("%s: got %zu, want '%s'", rows[i].in,
				 aoms_nevra_name_len(rows[i].in), rows[i].name);
}

static void test_actions(void **state)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	const char **argv = NULL;
	enum aoms_action_kind k;

	assert_int_equal(aoms_finding_new("r", AOMS_SEV_LOW, AOMS_DIM_KERNEL, "s", &f), 0);
	assert_int_equal(aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "first"), 0);
	assert_int_equal(aoms_finding_add_remedy(f, AOMS_REMEDY_COMMAND, "dnf install x"), -EINVAL);
	assert_int_equal(aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package",
						 "compat-openssl10", NULL), 0);
	assert_int_equal(aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "glibc 2.28",
						 NULL), 0);
	assert_int_equal(aoms_finding_add_action(f, AOMS_ACTION_SWAP_PACKAGE, "from", "a",
						 "to", "b", NULL), 0);
	assert_int_equal(aoms_finding_add_action(f, AOMS_ACTION_SWAP_PACKAGE, "from", "a", NULL),
			 -EINVAL);
	assert_int_equal(aoms_finding_add_action(f, (enum aoms_action_kind)99, NULL), -EINVAL);
	assert_int_equal(f->n_actions, 3);
	/* hint, command (install), command (swap): commands where their action was added */
	assert_int_equal(f->n_remedies, 3);
	assert_int_equal(f->remedies[1].kind, AOMS_REMEDY_COMMAND);
	assert_int_equal(f->remedies[1].action, 0);
	assert_int_equal(f->remedies[2].action, 2);
	assert_int_equal(aoms_action_command(&f->actions[0], &argv), 3);
	assert_string_equal(argv[0], "dnf");
	assert_string_equal(argv[1], "install");
	assert_string_equal(argv[2], "compat-openssl10");
	assert_null(argv[3]);
	free(argv);
	assert_int_equal(aoms_action_command(&f->actions[2], &argv), 4);
	assert_string_equal(argv[1], "swap");
	free(argv);
	assert_int_equal(aoms_action_command(&f->actions[1], &argv), 0);
	assert_string_equal(aoms_action_arg(&f->actions[1], "against"), "glibc 2.28");
	assert_null(aoms_action_arg(&f->actions[1], "package"));
	assert_int_equal(aoms_finding_add_command(f, 1), -EINVAL);
	for (int i = 0; i < _AOMS_ACTION_MAX; i++) {
		assert_int_equal(aoms_action_kind_from_name(aoms_action_kind_name(i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_string_equal(aoms_action_kind_name(AOMS_ACTION_SET_RUNPATH), "set-runpath");
	assert_int_equal(aoms_action_kind_from_name("reboot", &k), -EINVAL);
}

static const struct finding_spec sort_specs[] = {
	{ "elf.needed-missing", "lib/b.so", APPS, "*soname=libx.so.1" },
	{ "elf.needed-missing", "lib/b.so", APPS, "*soname=liby.so.1" },
	{ "elf.needed-unknown", "lib/b.so", AOMS_SEV_MEDIUM, AOMS_DIM_APPLICATIONS, false,
	  "*soname=libz.so.1" },
	{ "kmod.symbol-missing", "lib/b.so", AOMS_SEV_HIGH, AOMS_DIM_HARDWARE, true, "" },
	{ "elf.malformed", "bin/a", AOMS_SEV_MEDIUM, AOMS_DIM_APPLICATIONS, false, "*reason=x" },
	{ "scan.file-skipped", "dev/fifo", AOMS_SEV_INFO, AOMS_DIM_APPLICATIONS, false, "" },
	{ "elf.needed-off-path", "lib/a.so", AOMS_SEV_LOW, AOMS_DIM_APPLICATIONS, false,
	  "*soname=liba.so" },
	{ "pkg.removed", "lib/a.so", AOMS_SEV_LOW, AOMS_DIM_PACKAGES, false, "" },
	{ "elf.symbol-missing", "lib/a.so", AOMS_SEV_LOW, AOMS_DIM_PACKAGES, false, "" },
};

static int cmp_sorted(const struct aoms_finding *a, const struct aoms_finding *b)
{
	int c = strcmp(a->subject, b->subject);

	if (c == 0)
		c = (int)a->dimension - (int)b->dimension;
	if (c == 0)
		c = strcmp(a->rule, b->rule);
	if (c == 0)
		c = strcmp(a->key, b->key);
	return c;
}

static struct aoms_report *report_in_order(const size_t *order, size_t n)
{
	struct aoms_report *r = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(aoms_report_add(r, make_finding(&sort_specs[order[i]])), 0);
	return r;
}

static void test_sort(void **state)
{
	size_t n = ARRAY_SIZE(sort_specs), order[ARRAY_SIZE(sort_specs)];
	_cleanup_(freep) char *first = NULL;
	unsigned int seed = 1;

	for (int round = 0; round < 20; round++) {
		_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
		_cleanup_(freep) char *json = NULL;

		for (size_t i = 0; i < n; i++)
			order[i] = round == 0 ? i : n - 1 - i;
		for (size_t i = n - 1; round > 1 && i > 0; i--) {
			size_t j = (size_t)rand_r(&seed) % (i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		r = report_in_order(order, n);
		aoms_report_sort(r);
		assert_int_equal(aoms_report_n_findings(r), n);
		for (size_t i = 1; i < n; i++)
			assert_true(cmp_sorted(aoms_report_finding(r, i - 1),
					       aoms_report_finding(r, i)) < 0);
		assert_string_equal(aoms_report_finding(r, 0)->subject, "bin/a");
		json = render(r, "json", AOMS_FAIL_LOW);
		if (!first)
			first = TAKE_PTR(json);
		else
			assert_string_equal(first, json);
	}
}

static void test_sort_errors(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	assert_int_equal(aoms_report_add_error(r, "z", EACCES, "cannot open"), 0);
	assert_int_equal(aoms_report_add_error(r, "a", -ENOENT, "vanished"), 0);
	assert_int_equal(aoms_report_add_error(r, "a", 0, "bad %s", "header"), 0);
	aoms_report_sort(r);
	assert_string_equal(aoms_report_error(r, 0)->message, "bad header");
	assert_string_equal(aoms_report_error(r, 1)->message, "vanished");
	assert_int_equal(aoms_report_error(r, 1)->err, ENOENT);
	assert_string_equal(aoms_report_error(r, 2)->subject, "z");
	assert_null(aoms_report_error(r, 3));
}

/* A severity with 'I' added is an inhibitor; "e" adds an error. */
struct exit_case {
	const char *findings;   /* e.g. "hI m l i": high inhibitor, medium, low, info */
	bool error;
	enum aoms_fail_on fail_on;
	int expected;
};

static const struct exit_case exit_cases[] = {
	{ "", false, AOMS_FAIL_LOW, 0 },
	{ "", true, AOMS_FAIL_LOW, 1 },
	{ "", true, AOMS_FAIL_NEVER, 1 },
	{ "i", false, AOMS_FAIL_LOW, 0 },
	{ "i", false, AOMS_FAIL_INFO, 4 },
	{ "l", false, AOMS_FAIL_LOW, 4 },
	{ "l", false, AOMS_FAIL_MEDIUM, 0 },
	{ "m", false, AOMS_FAIL_MEDIUM, 4 },
	{ "m", false, AOMS_FAIL_HIGH, 0 },
	{ "h", false, AOMS_FAIL_HIGH, 4 },
	{ "h", false, AOMS_FAIL_INHIBITOR, 0 },
	{ "h", true, AOMS_FAIL_NEVER, 1 },
	{ "hI", false, AOMS_FAIL_LOW, 12 },
	{ "hI", false, AOMS_FAIL_HIGH, 12 },
	{ "hI", false, AOMS_FAIL_INHIBITOR, 8 },
	{ "hI", false, AOMS_FAIL_NEVER, 0 },
	{ "hI", true, AOMS_FAIL_NEVER, 1 },
	{ "hI", true, AOMS_FAIL_LOW, 13 },
	{ "mI", false, AOMS_FAIL_HIGH, 8 },
	{ "iI", false, AOMS_FAIL_LOW, 8 },
	{ "iI", false, AOMS_FAIL_INFO, 12 },
	{ "i l m", false, AOMS_FAIL_HIGH, 0 },
	{ "i l m", true, AOMS_FAIL_MEDIUM, 5 },
	{ "i l m h", false, AOMS_FAIL_INHIBITOR, 0 },
	{ "i l mI h", true, AOMS_FAIL_INHIBITOR, 9 },
	{ "i l mI h", true, AOMS_FAIL_INFO, 13 },
};

static void add_exit_findings(struct aoms_report *r, const char *spec)
{
	static const char sev_chars[] = "ilmh";

	for (const char *p = spec; *p; p++) {
		struct aoms_finding *f = NULL;
		const char *s = strchr(sev_chars, *p);

		if (*p == ' ' || *p == 'I')
			continue;
		assert_non_null(s);
		assert_int_equal(aoms_finding_new("t.rule", (enum aoms_severity)(s - sev_chars),
						  AOMS_DIM_KERNEL, "x", &f), 0);
		f->inhibitor = p[1] == 'I';
		assert_int_equal(aoms_report_add(r, f), 0);
	}
}

static void test_exit_status(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(exit_cases); i++) {
		const struct exit_case *c = &exit_cases[i];
		_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;

		assert_int_equal(aoms_report_new(&r), 0);
		add_exit_findings(r, c->findings);
		if (c->error)
			assert_int_equal(aoms_report_add_error(r, "x", EIO, "read failed"), 0);
		if (aoms_report_exit_status(r, c->fail_on) != c->expected)
			fail_msg("case %zu (\"%s\", error %d, fail-on %d): got %d, want %d", i,
				 c->findings, c->error, c->fail_on,
				 aoms_report_exit_status(r, c->fail_on), c->expected);
	}
}

static void test_meta_inputs(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	const char *k = NULL, *v = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	assert_int_equal(aoms_report_set_meta(r, "target", "anolis8"), 0);
	assert_int_equal(aoms_report_set_meta(r, "coverage", "partial"), 0);
	assert_int_equal(aoms_report_set_meta(r, "target", "anolis8-x86_64"), 0);
	assert_int_equal(aoms_report_n_meta(r), 2);
	aoms_report_meta_at(r, 0, &k, &v);
	assert_string_equal(k, "target");
	assert_string_equal(v, "anolis8-x86_64");
	assert_string_equal(aoms_report_meta(r, "coverage"), "partial");
	assert_null(aoms_report_meta(r, "nope"));
	for (const char *const *p = (const char *const[]){ "c", "a", "b", "a", "c", NULL }; *p; p++)
		assert_int_equal(aoms_report_add_input(r, *p), 0);
	assert_int_equal(aoms_report_n_inputs(r), 3);
	assert_string_equal(aoms_report_input(r, 0), "a");
	assert_string_equal(aoms_report_input(r, 2), "c");
	assert_null(aoms_report_input(r, 3));
}

/* The report test_json and test_text render. */
static struct aoms_report *sample_report(void)
{
	const char *const syms[] = { "x", "y" };
	const char *const many[] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6",
				     "s7", "s8", "s9", "s10", "s11", "s12" };
	struct aoms_report *r = NULL;
	struct aoms_finding *f = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	assert_int_equal(aoms_report_set_meta(r, "target", "anolis8"), 0);
	assert_int_equal(aoms_report_set_meta(r, "database", "embedded"), 0);
	assert_int_equal(aoms_report_set_meta(r, "target", "anolis8-x86_64"), 0);
	assert_int_equal(aoms_report_add_input(r, "/opt/z"), 0);
	assert_int_equal(aoms_report_add_input(r, "/opt/app"), 0);

	assert_int_equal(aoms_finding_new("elf.version-node-missing", AOMS_SEV_HIGH,
					  AOMS_DIM_APPLICATIONS, "bin/app", &f), 0);
	f->inhibitor = true;
	assert_int_equal(aoms_finding_set_title(f, "libc.so.6 lacks GLIBC_2.34"), 0);
	assert_int_equal(aoms_finding_set_summary(f, "needs a newer glibc"), 0);
	assert_int_equal(aoms_finding_set_package(f, "app-1.0"), 0);
	assert_int_equal(aoms_finding_add_evidence(f, "soname", "libc.so.6"), 0);
	assert_int_equal(aoms_finding_add_evidence_list(f, "symbols", syms, 2), 0);
	assert_int_equal(aoms_finding_add_evidence_list(f, "empty", NULL, 0), 0);
	assert_int_equal(aoms_finding_add_evidence_list(f, "many", many, ARRAY_SIZE(many)), 0);
	assert_int_equal(aoms_finding_add_identity(f, "version", "GLIBC_2.34"), 0);
	assert_int_equal(aoms_finding_set_locus(f, "app"), 0);
	assert_int_equal(aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package",
						 "compat-openssl10", NULL), 0);
	assert_int_equal(aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "rebuild on /usr"), 0);
	assert_int_equal(aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "glibc 2.28",
						 NULL), 0);
	assert_int_equal(aoms_report_add(r, f), 0);

	assert_int_equal(aoms_finding_new("elf.needed-off-path", AOMS_SEV_LOW,
					  AOMS_DIM_APPLICATIONS, "a/lib\n.so", &f), 0);
	f->confidence = AOMS_CONF_LIKELY;
	assert_int_equal(aoms_finding_add_evidence(f, "soname", "lib\xff.so"), 0);
	assert_int_equal(aoms_report_add(r, f), 0);

	assert_int_equal(aoms_report_add_error(r, "y", 0, "bad header"), 0);
	assert_int_equal(aoms_report_add_error(r, "x/unreadable", -EACCES, "cannot open"), 0);
	return r;
}

/* Follows a dotted path ("entries.1.evidence.symbols.0"); numbers index arrays. NULL
 * for JSON null; fails the test when a key is missing. */
static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[256], *save = NULL, *end;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *w = strtok_r(buf, ".", &save); w; w = strtok_r(NULL, ".", &save)) {
		long idx = strtol(w, &end, 10);

		if (*end == '\0' && json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)idx);
		else if (!json_object_object_get_ex(o, w, &o))
			fail_msg("no %s in %s", w, path);
	}
	return o;
}

/* Each path of the sample report's document and its value printed as plain JSON. */
static const struct {
	const char *path;
	const char *want;
} json_expect[] = {
	{ "schema_version", "\"1.6\"" },
	{ "tool.name", "\"aoms\"" },
	{ "run", "{ \"target\": \"anolis8-x86_64\", \"database\": \"embedded\" }" },
	{ "inputs", "[ \"/opt/app\", \"/opt/z\" ]" },
	{ "summary.findings", "2" },
	{ "summary.inhibitors", "1" },
	{ "summary.errors", "2" },
	{ "summary.by_severity", "{ \"high\": 1, \"medium\": 0, \"low\": 1, \"info\": 0 }" },
	{ "summary.by_dimension", "{ \"hardware\": 0, \"kernel\": 0, \"packages\": 0, "
				  "\"applications\": 2, \"configuration\": 0 }" },
	{ "summary.exit_status", "13" },
	{ "summary.fail_on", "\"low\"" },
	/* sorted: "a/lib\n.so" before "bin/app" */
	{ "entries.0.subject", "{ \"path\": \"a/lib\\n.so\", \"package\": null, "
			       "\"relative_path\": \"a/lib\\n.so\" }" },
	{ "entries.0.identity", "[ ]" },
	{ "entries.0.actions", "[ ]" },
	{ "entries.1.subject.relative_path", "\"app\"" },
	{ "entries.1.identity", "[ \"version\" ]" },
	{ "entries.1.actions",
	  "[ { \"kind\": \"install-package\", \"args\": { \"package\": \"compat-openssl10\" } }, "
	  "{ \"kind\": \"rebuild\", \"args\": { \"against\": \"glibc 2.28\" } } ]" },
	{ "entries.0.title", "\"elf.needed-off-path\"" },
	{ "entries.0.summary", "\"\"" },
	{ "entries.0.evidence", "{ \"soname\": \"lib\xef\xbf\xbd.so\" }" },
	{ "entries.0.confidence", "\"likely\"" },
	{ "entries.0.inhibitor", "false" },
	{ "entries.0.groups", "[ \"applications\" ]" },
	{ "entries.0.flags", "[ ]" },
	{ "entries.0.detail.remediations", "[ ]" },
	{ "entries.1.rule", "\"elf.version-node-missing\"" },
	{ "entries.1.severity", "\"high\"" },
	{ "entries.1.inhibitor", "true" },
	{ "entries.1.groups", "[ \"applications\", \"inhibitor\" ]" },
	{ "entries.1.flags", "[ \"inhibitor\" ]" },
	{ "entries.1.audience", "\"sysadmin\"" },
	{ "entries.1.dimension", "\"applications\"" },
	{ "entries.1.subject.package", "\"app-1.0\"" },
	{ "entries.1.evidence.soname", "\"libc.so.6\"" },
	{ "entries.1.evidence.symbols", "[ \"x\", \"y\" ]" },
	{ "entries.1.evidence.empty", "[ ]" },
	{ "entries.1.detail.remediations",
	  "[ { \"type\": \"command\", \"context\": [ \"dnf\", \"install\", \"compat-openssl10\" ] }, "
	  "{ \"type\": \"hint\", \"context\": \"rebuild on /usr\" } ]" },
	{ "entries.1.detail.related_resources",
	  "[ { \"scheme\": \"file\", \"title\": \"bin/app\" }, "
	  "{ \"scheme\": \"package\", \"title\": \"app-1.0\" } ]" },
	{ "errors",
	  "[ { \"subject\": \"x/unreadable\", \"errno\": 13, \"error\": \"EACCES\", "
	  "\"message\": \"cannot open\" }, "
	  "{ \"subject\": \"y\", \"errno\": 0, \"error\": null, \"message\": \"bad header\" } ]" },
};

static void assert_keys(struct json_object *o, const char *keys)
{
	char buf[512] = "";

	json_object_object_foreach(o, k, v) {
		(void)v;
		strncat(buf, k, sizeof(buf) - strlen(buf) - 2);
		strcat(buf, " ");
	}
	assert_string_equal(buf, keys);
}

static void test_json(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample_report();
	_cleanup_(freep) char *out = render(r, "json", AOMS_FAIL_LOW);
	_cleanup_(json_object_putp) struct json_object *doc = json_tokener_parse(out);
	const char *key;

	assert_non_null(doc);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_null(strstr(out, "\\/"));
	assert_keys(doc, "schema_version tool run inputs summary entries errors ");
	assert_keys(get(doc, "entries.1"), "key rule title summary severity inhibitor groups "
		    "flags audience dimension confidence subject evidence identity actions detail ");
	assert_keys(get(doc, "entries.1.evidence"), "soname symbols empty many version ");
	for (size_t i = 0; i < ARRAY_SIZE(json_expect); i++) {
		struct json_object *v = get(doc, json_expect[i].path);
		const char *got = v ? json_object_to_json_string_ext(v, FLAT) :
				      "null";

		if (strcmp(got, json_expect[i].want) != 0)
			fail_msg("%s: got %s, want %s", json_expect[i].path, got, json_expect[i].want);
	}
	key = json_object_get_string(get(doc, "entries.1.key"));
	assert_int_equal(strlen(key), 16);
	assert_int_equal(strspn(key, "0123456789abcdef"), 16);
}

/* The exact bytes of an empty report pin the pretty-printing (json-c flags). */
static void test_json_empty(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	_cleanup_(freep) char *out = NULL;
	const char *expected =
		"{\n  \"schema_version\": \"1.6\",\n"
		"  \"tool\": {\n    \"name\": \"aoms\",\n    \"version\": \"" AOMS_VERSION "\"\n  },\n"
		"  \"run\": {},\n  \"inputs\": [],\n"
		"  \"summary\": {\n    \"findings\": 0,\n    \"inhibitors\": 0,\n    \"errors\": 0,\n"
		"    \"by_severity\": {\n      \"high\": 0,\n      \"medium\": 0,\n"
		"      \"low\": 0,\n      \"info\": 0\n    },\n"
		"    \"by_dimension\": {\n      \"hardware\": 0,\n      \"kernel\": 0,\n"
		"      \"packages\": 0,\n      \"applications\": 0,\n      \"configuration\": 0\n"
		"    },\n    \"exit_status\": 0,\n    \"fail_on\": \"low\"\n  },\n"
		"  \"entries\": [],\n  \"errors\": []\n}\n";

	assert_int_equal(aoms_report_new(&r), 0);
	out = render(r, "json", AOMS_FAIL_LOW);
	assert_string_equal(out, expected);
}

static void test_text(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample_report();
	_cleanup_(freep) char *out = render(r, "text", AOMS_FAIL_LOW);
	static const char *const want[] = {
		"aoms " AOMS_VERSION " compatibility report\ntarget: anolis8-x86_64\n"
		"database: embedded\ninputs: /opt/app, /opt/z\n",
		"\nApplications\n============\n\na/lib\\x0a.so\n"
		"  [low, likely] elf.needed-off-path\n    soname: lib\xff.so\n",
		"\nbin/app (package app-1.0)\n"
		"  [high, inhibitor] elf.version-node-missing: libc.so.6 lacks GLIBC_2.34\n"
		"    needs a newer glibc\n    soname: libc.so.6\n    symbols: x, y\n    empty: (none)\n"
		"    many: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 (+3 more)\n    version: GLIBC_2.34\n"
		"    fix: dnf install compat-openssl10\n    fix: rebuild on /usr\n",
		"\nErrors\n======\n\nx/unreadable: cannot open (EACCES)\ny: bad header\n",
		"\n2 findings (1 high, 0 medium, 1 low, 0 info), 1 inhibitor, 2 errors; "
		"exit status 13\n",
	};
	const char *p = out;

	/* In this order, and the summary line last. */
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const char *hit = strstr(p, want[i]);

		if (!hit)
			fail_msg("missing after offset %td:\n%s\n--- in ---\n%s", p - out, want[i], out);
		p = hit + strlen(want[i]);
	}
	assert_int_equal(*p, '\0');
	assert_null(strstr(out, "Kernel interfaces"));
}

static void test_formats(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = sample_report();
	const char *const *names = aoms_report_formats();
	size_t n = 0;
	FILE *full;

	for (; names[n]; n++) {
		_cleanup_(freep) char *out = render(r, names[n], AOMS_FAIL_NEVER);

		assert_true(strlen(out) > 0);
	}
	assert_true(n >= 2);
	assert_string_equal(names[0], "json");
	assert_int_equal(aoms_report_render(r, "xml", stdout), -EINVAL);
	assert_int_equal(aoms_report_render(r, NULL, stdout), -EINVAL);
	full = fopen("/dev/full", "w");
	if (full) {
		assert_int_equal(aoms_report_render(r, "json", full), -EIO);
		fclose(full);
	}
}

static void *thread_add(void *arg)
{
	struct aoms_report *r = arg;

	for (int i = 0; i < 1000; i++) {
		struct aoms_finding *f = NULL;
		char subject[32];

		snprintf(subject, sizeof(subject), "bin/%d", i);
		assert_int_equal(aoms_finding_new("t.rule", AOMS_SEV_LOW, AOMS_DIM_KERNEL, subject,
						  &f), 0);
		assert_int_equal(aoms_report_add(r, f), 0);
		if (i % 100 == 0)
			assert_int_equal(aoms_report_add_error(r, subject, EIO, "read failed"), 0);
		if (i % 250 == 0)
			assert_int_equal(aoms_report_add_input(r, subject), 0);
	}
	return NULL;
}

static void test_threads(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	pthread_t t[4];

	assert_int_equal(aoms_report_new(&r), 0);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_add, r), 0);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(aoms_report_n_findings(r), 4000);
	assert_int_equal(aoms_report_n_errors(r), 40);
	assert_int_equal(aoms_report_n_inputs(r), 4);
	aoms_report_sort(r);
	for (size_t i = 1; i < 4000; i++)
		assert_true(strcmp(aoms_report_finding(r, i - 1)->subject,
				   aoms_report_finding(r, i)->subject) <= 0);
	assert_int_equal(aoms_report_exit_status(r, AOMS_FAIL_LOW), 5);
}

/* The made-up rules these tests use beside the built-in ones. */
static const struct aoms_rule test_rules[] = {
	{ "pkg.removed", AOMS_DIM_PACKAGES, AOMS_SEV_LOW, false, "t", "test rule", NULL },
	{ "t.rule", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", "test rule", NULL },
};

static int register_test_rules(void **state)
{
	return aoms_rules_register(test_rules, ARRAY_SIZE(test_rules));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_nevra),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sort_errors),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_meta_inputs),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, register_test_rules, NULL);
}
