/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* planner/: policy, waivers, decisions, transactions and waves on synthetic reports. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "plan-private.h"

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/aoms-test-planner.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* A host report with n_inhibitors blocking findings and n_low low ones. */
static struct aoms_report *host_report(const char *host, int n_inhibitors, int n_low)
{
	struct aoms_report *r = NULL;

	assert_int_equal(aoms_report_new(&r), 0);
	aoms_report_set_meta(r, "host", host);
	aoms_report_set_meta(r, "packages_fingerprint", "0123456789abcdef");
	aoms_report_set_meta(r, "migration_path", "leapp");
	for (int i = 0; i < n_inhibitors + n_low; i++) {
		struct aoms_finding *f = NULL;
		char subject[32];

		snprintf(subject, sizeof(subject), "pkg%d", i);
		assert_int_equal(aoms_finding_new(i < n_inhibitors ? "assess.fstab-btrfs" :
						  "assess.package-removed",
						  i < n_inhibitors ? AOMS_SEV_HIGH : AOMS_SEV_LOW,
						  AOMS_DIM_PACKAGES, subject, &f), 0);
		f->inhibitor = i < n_inhibitors;
		aoms_finding_set_title(f, "t");
		assert_int_equal(aoms_report_add(r, f), 0);
	}
	return r;
}

static void test_policy(void **state)
{
	struct aoms_plan_policy p;
	struct aoms_finding f = { .rule = (char *)"x.y", .severity = AOMS_SEV_MEDIUM };
	char *err = NULL, *path;

	aoms_plan_policy_init(&p);
	assert_false(aoms_plan_policy_blocks(&p, &f));
	f.inhibitor = true;
	assert_true(aoms_plan_policy_blocks(&p, &f));
	path = write_tmp("{\"block_on\": {\"severity\": \"medium\", \"inhibitor\": false, "
			 "\"rules\": [\"a.b\"]}}");
	assert_int_equal(aoms_plan_policy_read(path, &p, &err), 0);
	assert_true(aoms_plan_policy_blocks(&p, &f));       /* medium */
	f.severity = AOMS_SEV_LOW;
	assert_false(aoms_plan_policy_blocks(&p, &f));      /* inhibitors do not block */
	f.rule = (char *)"a.b";
	assert_true(aoms_plan_policy_blocks(&p, &f));
	aoms_plan_policy_release(&p);
	unlink(path);
	free(path);
	path = write_tmp("{\"block_on\": {\"sevrity\": \"high\"}}");
	assert_int_equal(aoms_plan_policy_read(path, &p, &err), -EBADMSG);
	assert_non_null(strstr(err, "sevrity"));
	free(err);
	unlink(path);
	free(path);
}

/* The waivers of report/waivers.h: one that has not expired unblocks its finding, an
 * expired one does not and is listed. */
static void test_waivers(void **state)
{
	static const struct { const char *expires; bool blocked; } rows[] = {
		{ "2026-01-01", false }, { "", false }, { "2025-12-31", true },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct aoms_plan_policy pol;
		struct aoms_plan *p = NULL;
		struct aoms_report *r = host_report("h1", 1, 0);
		struct aoms_waivers *w = NULL;
		char text[256], *err = NULL, *path;

		snprintf(text, sizeof(text), "{\"waivers\": [{\"key\": \"%s\", \"reason\": \"ok\"%s%s%s}]}",
			 aoms_report_finding(r, 0)->key, *rows[i].expires ? ", \"expires\": \"" : "",
			 rows[i].expires, *rows[i].expires ? "\"" : "");
		path = write_tmp(text);
		assert_int_equal(aoms_waivers_read(path, &w, &err), 0);
		aoms_plan_policy_init(&pol);
		assert_int_equal(aoms_plan_new(&pol, w, "2026-01-01", &p), 0);
		assert_int_equal(aoms_plan_add_report(p, r, "r", NULL), 0);
		assert_int_equal(aoms_plan_build(p), 0);
		assert_int_equal(aoms_plan_proceeds(p), !rows[i].blocked);
		assert_int_equal(p->hosts[0].waived.n, !rows[i].blocked);
		assert_int_equal(p->hosts[0].expired.n, rows[i].blocked);
		aoms_plan_free(p);
		aoms_waivers_free(w);
		free(err);
		unlink(path);
		free(path);
	}
}

static void test_waves(void **state)
{
	struct aoms_plan_policy pol;
	struct aoms_plan *p = NULL;
	char name[16];
	/* hosts h00..h09: risk grows with the number; h05 blocked */
	aoms_plan_policy_init(&pol);
	assert_int_equal(aoms_plan_new(&pol, NULL, "2026-01-01", &p), 0);
	for (int i = 9; i >= 0; i--) {
		snprintf(name, sizeof(name), "h%02d", i);
		assert_int_equal(aoms_plan_add_report(p, host_report(name, i == 5, i), "r", NULL), 0);
	}
	assert_int_equal(aoms_plan_add_report(p, host_report("h03", 0, 0), "r", NULL), -EEXIST);
	assert_int_equal(aoms_plan_build(p), 0);
	assert_false(aoms_plan_proceeds(p));
	assert_int_equal(p->n_waves, 4);   /* 1, 2, 4, 2 of the 9 that proceed */
	for (size_t i = 0; i < p->n; i++) {
		static const unsigned want[] = { 1, 2, 2, 3, 3, 0, 3, 3, 4, 4 };

		snprintf(name, sizeof(name), "h%02d", (int)i);
		assert_string_equal(p->hosts[i].name, name);
		assert_int_equal(p->hosts[i].wave, want[i]);
	}
	assert_int_equal(p->hosts[5].blocking.n, 1);
	assert_int_equal(p->hosts[9].erase.n, 9);
	aoms_plan_free(p);
}

/* Roles: the canary takes one host per role, no later wave more than half a role. */
static void test_waves_roles(void **state)
{
	struct aoms_plan_policy pol;
	struct aoms_plan *p = NULL;
	/* web0..web4 and db0..db1, lb0 alone, x0..x2 without a role; risk = the number of
	 * low findings. Wave 3 (4 hosts) would take web4 too but for the half-a-role cap. */
	static const struct { const char *name, *role; int risk; unsigned wave; } hosts[] = {
		{ "db0", "db", 1, 1 }, { "db1", "db", 2, 2 },
		{ "lb0", "lb", 5, 1 },
		{ "web0", "web", 0, 1 }, { "web1", "web", 3, 2 }, { "web2", "web", 4, 3 },
		{ "web3", "web", 6, 3 }, { "web4", "web", 6, 4 },
		{ "x0", NULL, 0, 1 }, { "x1", NULL, 3, 3 }, { "x2", NULL, 7, 3 },
	};

	aoms_plan_policy_init(&pol);
	assert_int_equal(aoms_plan_new(&pol, NULL, "2026-01-01", &p), 0);
	for (size_t i = 0; i < sizeof(hosts) / sizeof(*hosts); i++) {
		struct aoms_report *r = host_report(hosts[i].name, 0, hosts[i].risk);

		if (hosts[i].role)
			aoms_report_set_meta(r, "role", hosts[i].role);
		assert_int_equal(aoms_plan_add_report(p, r, "r", NULL), 0);
	}
	assert_int_equal(aoms_plan_build(p), 0);
	assert_true(aoms_plan_proceeds(p));
	for (size_t i = 0; i < p->n; i++) {
		assert_string_equal(p->hosts[i].name, hosts[i].name);
		if (p->hosts[i].wave != hosts[i].wave)
			fail_msg("%s: wave %u, want %u", hosts[i].name, p->hosts[i].wave, hosts[i].wave);
	}
	assert_int_equal(p->n_waves, 4);
	aoms_plan_free(p);
}

static void test_not_assessment(void **state)
{
	struct aoms_plan_policy pol;
	struct aoms_plan *p = NULL;
	struct aoms_report *r = NULL;

	aoms_plan_policy_init(&pol);
	assert_int_equal(aoms_plan_new(&pol, NULL, "2026-01-01", &p), 0);
	assert_int_equal(aoms_report_new(&r), 0);
	assert_int_equal(aoms_plan_add_report(p, r, "scan.json", NULL), -EBADMSG);
	assert_int_equal(aoms_plan_build(p), 0);
	assert_false(aoms_plan_proceeds(p));   /* no host: never proceed */
	aoms_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_waivers),
		cmocka_unit_test(test_waves),
		cmocka_unit_test(test_waves_roles),
		cmocka_unit_test(test_not_assessment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
