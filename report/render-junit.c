/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --format junit: JUnit XML (tests/fixtures/formats/junit.xsd, the Ant/Jenkins
 * schema) for CI test-result views. One <testsuite> "aoms scan" in <testsuites>; a
 * <testcase> per judged artifact (the report's files[], classname "aoms.SCANNER",
 * name the path), then one per other subject that has findings (classname
 * "aoms.other": files no scanner judged, the run itself). A testcase fails when the
 * artifact has findings that count toward the exit status under --fail-on
 * (aoms_report_finding_fails()): the schema allows one <failure> per testcase, so it
 * names the count and the first rule, and its text lists every such finding, one a
 * line ("[high, inhibitor] elf.needed-missing 1a2b...: title"). Findings that do not
 * fail are listed in the testcase-less <system-out>. Per-file errors are testcases
 * with an <error> (classname "aoms.error"). Time is the run's (aoms_report_set_run()),
 * durations are 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render.h"

#define xml aoms_render_xml_text

struct junit_counts {
	size_t tests, failures, errors;
};

static bool junit_fails(const struct aoms_report *r, const struct aoms_finding *f)
{
	return aoms_report_finding_fails(f, aoms_report_fail_on(r));
}

/* The findings [*pos, end) about subject; advances *pos past them. */
static size_t junit_span(const struct aoms_report *r, size_t *pos, const char *subject)
{
	size_t start = *pos, n = aoms_report_n_findings(r);

	while (*pos < n && strcmp(aoms_report_finding(r, *pos)->subject, subject) == 0)
		(*pos)++;
	return start;
}

static void junit_case(FILE *out, const struct aoms_report *r, const char *classname,
		       const char *name, size_t first, size_t end, struct junit_counts *c)
{
	size_t failing = 0;
	const struct aoms_finding *first_fail = NULL;

	for (size_t i = first; i < end; i++)
		if (junit_fails(r, aoms_report_finding(r, i)) && !failing++)
			first_fail = aoms_report_finding(r, i);
	c->tests++;
	fputs("    <testcase classname=\"", out);
	xml(out, classname);
	fputs("\" name=\"", out);
	xml(out, name);
	fputs("\" time=\"0\"", out);
	if (!failing) {
		fputs("/>\n", out);
		return;
	}
	c->failures++;
	fprintf(out, ">\n      <failure message=\"%zu blocking %s\" type=\"", failing,
		failing == 1 ? "finding" : "findings");
	xml(out, first_fail->rule);
	fputs("\">", out);
	for (size_t i = first; i < end; i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);

		if (!junit_fails(r, f))
			continue;
		fprintf(out, "[%s%s] ", aoms_severity_name(f->severity), f->inhibitor ? ", inhibitor" : "");
		xml(out, f->rule);
		fprintf(out, " %s: ", f->key);
		xml(out, f->title ? f->title : f->rule);
		fputc('\n', out);
	}
	fputs("</failure>\n    </testcase>\n", out);
}

static void junit_cases(FILE *out, const struct aoms_report *r, struct junit_counts *c)
{
	size_t n_sum = aoms_report_n_file_summaries(r), n_find = aoms_report_n_findings(r);
	size_t s = 0, f = 0;
	char cls[128];

	/* Both lists are sorted by path (strcmp): walk them together. */
	while (s < n_sum || f < n_find) {
		const struct aoms_file_summary *sum = s < n_sum ? aoms_report_file_summary(r, s) : NULL;
		const char *fsub = f < n_find ? aoms_report_finding(r, f)->subject : NULL;

		if (sum && (!fsub || strcmp(sum->path, fsub) <= 0)) {
			size_t first = junit_span(r, &f, sum->path);

			snprintf(cls, sizeof(cls), "aoms.%s", sum->scanner);
			junit_case(out, r, cls, sum->path, first, f, c);
			s++;
		} else {
			size_t first = junit_span(r, &f, fsub);

			junit_case(out, r, "aoms.other", *fsub ? fsub : "(run)", first, f, c);
		}
	}
	for (size_t i = 0; i < aoms_report_n_errors(r); i++) {
		const struct aoms_report_error *e = aoms_report_error(r, i);
		const char *type = e->err ? aoms_report_errno_name(e->err) : NULL;

		c->tests++;
		c->errors++;
		fputs("    <testcase classname=\"aoms.error\" name=\"", out);
		xml(out, *e->subject ? e->subject : "(run)");
		fputs("\" time=\"0\">\n      <error message=\"", out);
		xml(out, e->message);
		fputs("\" type=\"", out);
		xml(out, type ? type : "error");
		fputs("\"/>\n    </testcase>\n", out);
	}
}

static void junit_properties(FILE *out, const struct aoms_report *r)
{
	fputs("    <properties>\n", out);
	fprintf(out, "      <property name=\"fail_on\" value=\"%s\"/>\n",
		aoms_fail_on_name(aoms_report_fail_on(r)));
	for (size_t i = 0; i < aoms_report_n_meta(r); i++) {
		const char *k = NULL, *v = NULL;

		aoms_report_meta_at(r, i, &k, &v);
		if (!k || !*k)
			continue;
		fputs("      <property name=\"", out);
		xml(out, k);
		fputs("\" value=\"", out);
		xml(out, v);
		fputs("\"/>\n", out);
	}
	fputs("    </properties>\n", out);
}

/* Findings that do not fail, for people reading the CI log. */
static void junit_system_out(FILE *out, const struct aoms_report *r)
{
	fputs("    <system-out>", out);
	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);

		if (junit_fails(r, f))
			continue;
		fprintf(out, "[%s] ", aoms_severity_name(f->severity));
		xml(out, f->subject);
		fputs(": ", out);
		xml(out, f->rule);
		fputs(": ", out);
		xml(out, f->title ? f->title : f->rule);
		fputc('\n', out);
	}
	fputs("</system-out>\n    <system-err/>\n", out);
}

int aoms_report_render_junit(const struct aoms_report *r, FILE *out)
{
	struct junit_counts c = { 0 };
	char stamp[40];
	char *body = NULL;
	size_t body_len = 0;
	FILE *mem;

	/* The counts come first in the document but from the cases: render them aside. */
	mem = open_memstream(&body, &body_len);
	if (!mem)
		return -ENOMEM;
	junit_cases(mem, r, &c);
	if (fclose(mem) != 0) {
		free(body);
		return -ENOMEM;
	}
	aoms_render_time(aoms_report_run_time(r), false, stamp);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out);
	fputs("  <testsuite package=\"aoms\" id=\"0\" name=\"aoms scan\" timestamp=\"", out);
	fputs(stamp, out);
	fputs("\" hostname=\"", out);
	xml(out, aoms_report_run_hostname(r));
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"0\">\n",
		c.tests, c.failures, c.errors);
	junit_properties(out, r);
	fwrite(body, 1, body_len, out);
	free(body);
	junit_system_out(out, r);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return 0;
}
