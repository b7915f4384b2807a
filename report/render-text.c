/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The report for people: run facts, then findings grouped by dimension and by
 * subject, then errors, then a one-line summary. Plain text, no colours, the same
 * bytes for the same report.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "render.h"

/* Evidence lists longer than this print the first TEXT_LIST_MAX values and a count. */
#define TEXT_LIST_MAX 10

/* Writes s with control bytes escaped (\xNN), so a hostile file name cannot move the
 * cursor, clear the screen or forge extra lines on a terminal. */
static void text_puts(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

static void text_header(const struct aoms_report *r, FILE *out)
{
	size_t n = aoms_report_n_inputs(r);

	fprintf(out, "aoms %s compatibility report\n", aoms_report_tool_version(r));
	for (size_t i = 0; i < aoms_report_n_meta(r); i++) {
		const char *k = NULL, *v = NULL;

		aoms_report_meta_at(r, i, &k, &v);
		text_puts(out, k);
		fputs(": ", out);
		text_puts(out, v);
		fputc('\n', out);
	}
	if (n > 0) {
		fputs("inputs: ", out);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				fputs(", ", out);
			text_puts(out, aoms_report_input(r, i));
		}
		fputc('\n', out);
	}
}

/* A section title, underlined. */
static void text_title(const char *title, FILE *out)
{
	fprintf(out, "\n%s\n", title);
	for (size_t i = strlen(title); i > 0; i--)
		fputc('=', out);
	fputc('\n', out);
}

static void text_evidence(const struct aoms_evidence *e, FILE *out)
{
	size_t shown = e->n_values > TEXT_LIST_MAX ? TEXT_LIST_MAX : e->n_values;

	fputs("    ", out);
	text_puts(out, e->key);
	fputc(':', out);
	for (size_t i = 0; i < shown; i++) {
		fputs(i > 0 ? ", " : " ", out);
		text_puts(out, e->values[i]);
	}
	if (e->n_values > shown)
		fprintf(out, " (+%zu more)", e->n_values - shown);
	if (!e->n_values)
		fputs(" (none)", out);   /* an empty list, as "available_in" of no table */
	fputc('\n', out);
}

/* A hint as written; a command as the words of its action's command line. */
static void text_remedy(const struct aoms_finding *f, const struct aoms_remedy *m, FILE *out)
{
	const char **argv = NULL;
	int n = 0;

	fputs("    fix:", out);
	if (m->kind == AOMS_REMEDY_COMMAND && m->action < f->n_actions)
		n = aoms_action_command(&f->actions[m->action], &argv);
	for (int i = 0; i < n; i++) {
		fputc(' ', out);
		text_puts(out, argv[i]);
	}
	if (n <= 0 && m->text) {
		fputc(' ', out);
		text_puts(out, m->text);
	}
	fputc('\n', out);
	free(argv);
}

static void text_finding(const struct aoms_finding *f, FILE *out)
{
	fprintf(out, "  [%s", aoms_severity_name(f->severity));
	if (f->inhibitor)
		fputs(", inhibitor", out);
	if (f->confidence != AOMS_CONF_CERTAIN)
		fprintf(out, ", %s", aoms_confidence_name(f->confidence));
	fputs("] ", out);
	text_puts(out, f->rule);
	if (f->title) {
		fputs(": ", out);
		text_puts(out, f->title);
	}
	if (f->waiver) {
		fputs(" [waived: ", out);
		text_puts(out, f->waiver->reason);
		fputc(']', out);
	}
	fputc('\n', out);
	if (f->waiver && (f->waiver->owner || f->waiver->expires)) {
		fputs("    waived", out);
		if (f->waiver->owner) {
			fputs(" by ", out);
			text_puts(out, f->waiver->owner);
		}
		if (f->waiver->expires)
			fprintf(out, " until %s", f->waiver->expires);
		fputc('\n', out);
	}
	if (f->summary && *f->summary) {
		fputs("    ", out);
		text_puts(out, f->summary);
		fputc('\n', out);
	}
	for (size_t i = 0; i < f->n_evidence; i++)
		text_evidence(&f->evidence[i], out);
	for (size_t i = 0; i < f->n_remedies; i++)
		text_remedy(f, &f->remedies[i], out);
}

static void text_subject(const struct aoms_finding *f, FILE *out)
{
	fputc('\n', out);
	text_puts(out, f->subject);
	if (f->package) {
		fputs(" (package ", out);
		text_puts(out, f->package);
		fputc(')', out);
	}
	fputc('\n', out);
}

/* Findings are sorted by subject first, so within one dimension the findings of a
 * subject are adjacent and one pass per dimension groups them. */
static void text_dimension(const struct aoms_report *r, enum aoms_dimension dim, FILE *out)
{
	const char *subject = NULL;

	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);

		if (f->dimension != dim)
			continue;
		if (!subject)
			text_title(aoms_dimension_title(dim), out);
		if (!subject || strcmp(subject, f->subject) != 0)
			text_subject(f, out);
		subject = f->subject;
		text_finding(f, out);
	}
}

/* Findings whose dimension is outside the enum still get printed, never dropped. */
static void text_other(const struct aoms_report *r, FILE *out)
{
	bool any = false;

	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);

		if (f->dimension >= AOMS_DIM_HARDWARE && f->dimension <= AOMS_DIM_CONFIGURATION)
			continue;
		if (!any)
			text_title("Other", out);
		any = true;
		text_subject(f, out);
		text_finding(f, out);
	}
}

static void text_errors(const struct aoms_report *r, FILE *out)
{
	size_t n = aoms_report_n_errors(r);

	if (n == 0)
		return;
	text_title("Errors", out);
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		const struct aoms_report_error *e = aoms_report_error(r, i);
		const char *name = e->err ? aoms_report_errno_name(e->err) : NULL;

		text_puts(out, e->subject);
		fputs(": ", out);
		text_puts(out, e->message);
		if (name)
			fprintf(out, " (%s)", name);
		else if (e->err)
			fprintf(out, " (errno %d)", e->err);
		fputc('\n', out);
	}
}

/* Of a file's lacks, the ones the glibc clause does not already say. */
static bool text_lack_shown(const char *lack, bool glibc_said)
{
	return !glibc_said || strncmp(lack, "GLIBC_", 6) != 0;
}

/* "bin/app: incompatible — needs glibc ≥ 2.34; Anolis OS 8 has 2.28; also needs
 * libssl.so.3": the glibc clause when the file needs a newer glibc than the target's
 * (run meta target_glibc), then what else it lacks. */
static void text_verdict(const struct aoms_report *r, const struct aoms_file_summary *s, FILE *out)
{
	const char *glibc = aoms_file_summary_need(s, "glibc");
	const char *have = aoms_report_meta(r, "target_glibc");
	const char *name = aoms_report_meta(r, "target_name");
	size_t n_lacks, shown = 0, more = 0;
	char *const *lacks = aoms_file_summary_lacks(s, &n_lacks);
	bool glibc_said = glibc && have && *have && strverscmp(glibc, have) > 0;

	if (!name)
		name = aoms_report_meta(r, "target");
	text_puts(out, s->path);
	fputs(": ", out);
	text_puts(out, aoms_file_summary_verdict(s));
	if (glibc_said) {
		fputs(" \u2014 needs glibc \u2265 ", out);
		text_puts(out, glibc);
		fputs("; ", out);
		text_puts(out, name ? name : "the target");
		fputs(" has ", out);
		text_puts(out, have);
	}
	for (size_t i = 0; i < n_lacks; i++) {
		if (!text_lack_shown(lacks[i], glibc_said))
			continue;
		if (shown == 3) {
			more++;
			continue;
		}
		fputs(shown ? ", " : glibc_said ? "; also needs " : " \u2014 needs ", out);
		text_puts(out, lacks[i]);
		shown++;
	}
	if (more)
		fprintf(out, " (+%zu more)", more);
	fputc('\n', out);
}

/* One line per file that is not compatible, before the detail. */
static void text_verdicts(const struct aoms_report *r, FILE *out)
{
	bool any = false;

	for (size_t i = 0; i < aoms_report_n_file_summaries(r); i++) {
		const struct aoms_file_summary *s = aoms_report_file_summary(r, i);

		if (strcmp(aoms_file_summary_verdict(s), AOMS_VERDICT_COMPATIBLE) == 0)
			continue;
		if (!any) {
			text_title("Verdicts", out);
			fputc('\n', out);
		}
		any = true;
		text_verdict(r, s, out);
	}
}

static const char *text_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The kernel modules set aside as another kernel's own (verdict "replaced"), said in
 * one line: they have no finding, and a CentOS 8 /usr holds thousands. */
static void text_replaced(const struct aoms_report *r, FILE *out)
{
	size_t n = 0;

	for (size_t i = 0; i < aoms_report_n_file_summaries(r); i++) {
		const char *v = aoms_file_summary_verdict(aoms_report_file_summary(r, i));

		n += v && strcmp(v, AOMS_VERDICT_REPLACED) == 0;
	}
	if (n)
		fprintf(out, "%zu kernel %s another kernel's own (in its lib/modules/RELEASE/kernel/): "
			"replaced with that kernel, not judged\n", n, text_plural(n, "module is", "modules are"));
}

/* "files: 120 seen, 14 judged (elf 12, rpm 2), 1 not judged, 105 skipped[, 1 unreadable]" */
static void text_files(const struct aoms_report *r, FILE *out)
{
	const struct aoms_report_files *fs = aoms_report_files(r);
	bool first = true;

	if (!fs)
		return;
	fprintf(out, "\nfiles: %zu seen, %zu judged", fs->seen, aoms_report_files_judged(fs));
	for (size_t i = 0; i < fs->n_judged; i++) {
		if (!fs->judged[i].count)
			continue;
		fputs(first ? " (" : ", ", out);
		text_puts(out, fs->judged[i].scanner);
		fprintf(out, " %zu", fs->judged[i].count);
		first = false;
	}
	fprintf(out, "%s, %zu not judged, %zu skipped", first ? "" : ")", fs->not_judged,
		fs->skipped);
	if (fs->failed)
		fprintf(out, ", %zu unreadable", fs->failed);
	fputc('\n', out);
	text_replaced(r, out);
}

static void text_summary(const struct aoms_report *r, FILE *out)
{
	struct aoms_report_counts c;

	aoms_report_count(r, &c);
	text_files(r, out);
	fprintf(out, "\n%zu %s (%zu high, %zu medium, %zu low, %zu info), %zu %s, %zu %s; "
		"exit status %d\n",
		c.findings, text_plural(c.findings, "finding", "findings"),
		c.by_severity[AOMS_SEV_HIGH], c.by_severity[AOMS_SEV_MEDIUM],
		c.by_severity[AOMS_SEV_LOW], c.by_severity[AOMS_SEV_INFO],
		c.inhibitors, text_plural(c.inhibitors, "inhibitor", "inhibitors"),
		c.errors, text_plural(c.errors, "error", "errors"),
		aoms_report_exit_status(r, aoms_report_fail_on(r)));
}

int aoms_report_render_text(const struct aoms_report *r, FILE *out)
{
	text_header(r, out);
	text_verdicts(r, out);
	for (int d = AOMS_DIM_HARDWARE; d <= AOMS_DIM_CONFIGURATION; d++)
		text_dimension(r, (enum aoms_dimension)d, out);
	text_other(r, out);
	text_errors(r, out);
	text_summary(r, out);
	return 0;
}

int aoms_report_render_text_summary(const struct aoms_report *r, FILE *out)
{
	text_verdicts(r, out);
	text_summary(r, out);
	return 0;
}
