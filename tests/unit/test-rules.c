/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report/rules.c and rules-builtin.c: the catalogue's order and completeness, registration, and the
 * report refusing a finding whose rule the catalogue lacks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "finding.h"
#include "report.h"
#include "rules.h"

/* Every rule the built-in scanners emit (grep aoms_finding_new and finding() calls). */
static const char *const emitted[] = {
	"elf.glibc-private", "elf.host-symbols", "elf.interpreter-missing",
	"elf.kernel-too-old", "elf.loader-feature", "elf.machine-unknown",
	"elf.machine-unsupported", "elf.malformed", "elf.needed-host", "elf.needed-missing",
	"elf.needed-not-installed", "elf.needed-off-path", "elf.needed-unknown",
	"elf.other-platform", "elf.symbol-missing",
	"elf.symbol-unresolved", "elf.version-node-missing", "rpm.malformed",
	"rpm.requires-missing", "rpm.requires-unknown", "scan.file-skipped",
	"scan.not-judged",
};

static void test_catalogue(void **state)
{
	size_t n = aoms_rules_count();

	assert_true(n >= ARRAY_SIZE(emitted));
	assert_null(aoms_rule_at(n));
	for (size_t i = 0; i < n; i++) {
		const struct aoms_rule *r = aoms_rule_at(i);

		assert_non_null(r);
		assert_non_null(r->id);
		if (i > 0)   /* sorted, unique */
			assert_true(strcmp(aoms_rule_at(i - 1)->id, r->id) < 0);
		assert_ptr_equal(aoms_rule_find(r->id), r);
		assert_non_null(strchr(r->id, '.'));
		assert_string_not_equal(aoms_dimension_name(r->dimension), "unknown");
		assert_string_not_equal(aoms_severity_name(r->severity), "unknown");
		assert_non_null(r->title);
		assert_true(strlen(r->title) > 0);
		assert_non_null(r->doc);
		assert_true(strlen(r->doc) > 120);   /* a paragraph, not a line */
		assert_true(r->doc[strlen(r->doc) - 1] == '.');
		assert_true(!r->link || strncmp(r->link, "https://", 8) == 0);
		/* An inhibitor blocks the migration: never rated below high by default. */
		assert_true(!r->inhibitor || r->severity == AOMS_SEV_HIGH);
	}
	for (size_t i = 0; i < ARRAY_SIZE(emitted); i++) {
		const struct aoms_rule *r = aoms_rule_find(emitted[i]);

		if (!r)
			fail_msg("rule '%s' is not in the catalogue", emitted[i]);
		assert_string_equal(r->id, emitted[i]);
	}
	assert_int_equal(aoms_rule_find("rpm.malformed")->dimension, AOMS_DIM_PACKAGES);
	assert_int_equal(aoms_rule_find("scan.not-judged")->severity, AOMS_SEV_INFO);
	assert_true(aoms_rule_find("elf.needed-missing")->inhibitor);
	assert_null(aoms_rule_find("elf.no-such-rule"));
	assert_null(aoms_rule_find(""));
	assert_null(aoms_rule_find(NULL));
}

static void test_report_refuses_unknown(void **state)
{
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	struct aoms_finding *f = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	assert_int_equal(aoms_finding_new("elf.no-such-rule", AOMS_SEV_HIGH,
					  AOMS_DIM_APPLICATIONS, "bin/app", &f), 0);
	assert_int_equal(aoms_report_add(r, f), -EINVAL);   /* and f is freed (ASan) */
	assert_int_equal(aoms_report_n_findings(r), 0);
	assert_int_equal(aoms_finding_new("elf.needed-missing", AOMS_SEV_HIGH,
					  AOMS_DIM_APPLICATIONS, "bin/app", &f), 0);
	assert_int_equal(aoms_report_add(r, f), 0);
	assert_int_equal(aoms_report_n_findings(r), 1);
	assert_int_equal(aoms_report_add(r, NULL), -EINVAL);
}

static const struct aoms_rule toy_rules[] = {
	{ "toy.beta", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "{subject} is beta",
	  "A toy rule of a toy scanner.", NULL },
	{ "aaa.first", AOMS_DIM_HARDWARE, AOMS_SEV_HIGH, true, "{subject} is first",
	  "Sorts before every built-in rule.", "https://example.org/aaa" },
	{ "zzz.last", AOMS_DIM_CONFIGURATION, AOMS_SEV_INFO, false, "{subject} is last",
	  "Sorts after every built-in rule.", NULL },
};

static void test_register(void **state)
{
	static const struct aoms_rule dup_builtin[] = {
		{ "toy.new", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", "d", NULL },
		{ "elf.malformed", AOMS_DIM_APPLICATIONS, AOMS_SEV_LOW, false, "t", "d", NULL },
	};
	static const struct aoms_rule dup_self[] = {
		{ "toy.twice", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", "d", NULL },
		{ "toy.twice", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", "d", NULL },
	};
	static const struct aoms_rule invalid[] = {
		{ "toy.nodoc", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", NULL, NULL },
		{ "toy.notitle", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, NULL, "d", NULL },
		{ "nodot", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", "d", NULL },
		{ NULL, AOMS_DIM_KERNEL, AOMS_SEV_LOW, false, "t", "d", NULL },
		{ "toy.dim", (enum aoms_dimension)0, AOMS_SEV_LOW, false, "t", "d", NULL },
		{ "toy.sev", AOMS_DIM_KERNEL, (enum aoms_severity)9, false, "t", "d", NULL },
	};
	_cleanup_(aoms_report_freep) struct aoms_report *r = NULL;
	size_t n = aoms_rules_count();
	struct aoms_finding *f = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	assert_int_equal(aoms_finding_new("toy.beta", AOMS_SEV_LOW, AOMS_DIM_KERNEL, "x", &f), 0);
	assert_int_equal(aoms_report_add(r, f), -EINVAL);

	assert_int_equal(aoms_rules_register(toy_rules, ARRAY_SIZE(toy_rules)), 0);
	assert_int_equal(aoms_rules_count(), n + 3);
	assert_ptr_equal(aoms_rule_find("toy.beta"), &toy_rules[0]);
	assert_ptr_equal(aoms_rule_at(0), &toy_rules[1]);
	assert_ptr_equal(aoms_rule_at(n + 2), &toy_rules[2]);
	for (size_t i = 1; i < n + 3; i++)
		assert_true(strcmp(aoms_rule_at(i - 1)->id, aoms_rule_at(i)->id) < 0);
	assert_int_equal(aoms_finding_new("toy.beta", AOMS_SEV_LOW, AOMS_DIM_KERNEL, "x", &f), 0);
	assert_int_equal(aoms_report_add(r, f), 0);

	/* Refused as a whole: nothing of the batch is added. */
	assert_int_equal(aoms_rules_register(toy_rules, 1), -EEXIST);
	assert_int_equal(aoms_rules_register(dup_builtin, 2), -EEXIST);
	assert_null(aoms_rule_find("toy.new"));
	assert_int_equal(aoms_rules_register(dup_self, 2), -EEXIST);
	assert_null(aoms_rule_find("toy.twice"));
	for (size_t i = 0; i < ARRAY_SIZE(invalid); i++)
		assert_int_equal(aoms_rules_register(&invalid[i], 1), -EINVAL);
	assert_int_equal(aoms_rules_register(NULL, 1), -EINVAL);
	assert_int_equal(aoms_rules_register(NULL, 0), 0);
	assert_int_equal(aoms_rules_count(), n + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_report_refuses_unknown),
		cmocka_unit_test(test_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
