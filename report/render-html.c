/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --format html: one self-contained page (no fetch of any kind: style and script
 * inline, render-html-assets.c) for people: the run, a summary by dimension and
 * severity with an inline SVG bar chart, the findings as a sortable, filterable
 * table (rendered by the script from the page's JSON data), then a section per file
 * with its verdict and each finding's evidence and remediation (static HTML, readable
 * without the script). Sorted model in, same bytes out for the same run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "render-html.h"
#include "render.h"
#include "rules.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

#define xml aoms_render_xml_text

static const char *const html_sev_colors[] = { "#adb5bd", "#6f7fd1", "#ffc107", "#dc3545" };

static void html_bar(FILE *out, int y, const char *label, size_t n, size_t max, const char *color)
{
	int w = max ? (int)(n * 300 / max) : 0;

	fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"12\">", y + 12);
	xml(out, label);
	fprintf(out, "</text><rect x=\"130\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%s\"/>"
		"<text x=\"%d\" y=\"%d\" font-size=\"12\">%zu</text>\n", y, w, color, 136 + w, y + 12, n);
}

static void html_summary(FILE *out, const struct aoms_report *r)
{
	struct aoms_report_counts c;
	size_t max = 1;
	int y = 0;

	aoms_report_count(r, &c);
	for (size_t i = 0; i < ARRAY_SIZE(c.by_severity); i++)
		max = c.by_severity[i] > max ? c.by_severity[i] : max;
	for (size_t i = AOMS_DIM_HARDWARE; i < ARRAY_SIZE(c.by_dimension); i++)
		max = c.by_dimension[i] > max ? c.by_dimension[i] : max;
	fprintf(out, "<h2>Summary</h2>\n<p>%zu findings, %zu inhibitors, %zu errors; exit status %d "
		"(--fail-on %s)</p>\n<table class=\"summary\"><tr><th>severity</th><th>findings</th></tr>\n",
		c.findings, c.inhibitors, c.errors, aoms_report_exit_status(r, aoms_report_fail_on(r)),
		aoms_fail_on_name(aoms_report_fail_on(r)));
	for (int s = AOMS_SEV_HIGH; s >= AOMS_SEV_INFO; s--)
		fprintf(out, "<tr><td>%s</td><td>%zu</td></tr>\n", aoms_severity_name(s), c.by_severity[s]);
	fputs("</table>\n<table class=\"summary\"><tr><th>dimension</th><th>findings</th></tr>\n", out);
	for (int d = AOMS_DIM_HARDWARE; d <= AOMS_DIM_CONFIGURATION; d++) {
		fputs("<tr><td>", out);
		xml(out, aoms_dimension_title(d));
		fprintf(out, "</td><td>%zu</td></tr>\n", c.by_dimension[d]);
	}
	fputs("</table>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"500\" height=\"200\" "
	      "role=\"img\" aria-label=\"findings by severity and dimension\">\n", out);
	for (int s = AOMS_SEV_HIGH; s >= AOMS_SEV_INFO; s--, y += 18)
		html_bar(out, y, aoms_severity_name(s), c.by_severity[s], max, html_sev_colors[s]);
	html_bar(out, y, "inhibitor", c.inhibitors, max, "#842029");
	y += 26;
	for (int d = AOMS_DIM_HARDWARE; d <= AOMS_DIM_CONFIGURATION; d++, y += 18)
		html_bar(out, y, aoms_dimension_name(d), c.by_dimension[d], max, "#0d6efd");
	fputs("</svg>\n", out);
}

static void html_finding(FILE *out, const struct aoms_finding *f)
{
	const struct aoms_rule *rule = aoms_rule_find(f->rule);

	fprintf(out, "<div class=\"finding sev-%s%s\"><p><strong>", aoms_severity_name(f->severity),
		f->waiver ? " waived" : "");
	xml(out, f->title ? f->title : f->rule);
	fprintf(out, "</strong><span class=\"badge sev-%s\">%s</span>%s%s</p>\n",
		aoms_severity_name(f->severity), aoms_severity_name(f->severity),
		f->inhibitor ? "<span class=\"badge inhibitor-badge\">inhibitor</span>" : "",
		f->waiver ? "<span class=\"badge waived-badge\">waived</span>" : "");
	if (f->waiver) {
		fputs("<p class=\"waiver\">waived: ", out);
		xml(out, f->waiver->reason);
		if (f->waiver->owner) {
			fputs(" — owner ", out);
			xml(out, f->waiver->owner);
		}
		if (f->waiver->expires) {
			fputs(", until ", out);
			xml(out, f->waiver->expires);
		}
		fputs("</p>\n", out);
	}
	fputs("<p>", out);
	xml(out, f->summary);
	fputs("</p>\n<dl><dt>rule</dt><dd><code>", out);
	xml(out, f->rule);
	fputs("</code>", out);
	if (rule && rule->link) {
		fputs(" (<a href=\"", out);
		xml(out, rule->link);
		fputs("\" rel=\"noreferrer\">docs</a>)", out);
	}
	fprintf(out, "</dd><dt>key</dt><dd><code>%s</code></dd>\n", f->key);
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct aoms_evidence *e = &f->evidence[i];

		fputs("<dt>", out);
		xml(out, e->key);
		fputs("</dt><dd>", out);
		for (size_t k = 0; k < e->n_values; k++) {
			if (k)
				fputs(", ", out);
			xml(out, e->values[k]);
		}
		fputs("</dd>\n", out);
	}
	fputs("</dl>\n", out);
	for (size_t i = 0; i < f->n_remedies; i++) {
		const struct aoms_remedy *m = &f->remedies[i];
		_cleanup_(freep) const char **argv = NULL;
		int n = 0;

		fputs("<p>Remediation: ", out);
		if (m->kind == AOMS_REMEDY_HINT) {
			xml(out, m->text);
		} else {
			if (m->action < f->n_actions)
				n = aoms_action_command(&f->actions[m->action], &argv);
			fputs("<code>", out);
			for (int k = 0; k < n; k++) {
				if (k)
					fputc(' ', out);
				xml(out, argv[k]);
			}
			fputs("</code>", out);
		}
		fputs("</p>\n", out);
	}
	fputs("</div>\n", out);
}

/* One file's section: findings [first, end) and, when it was judged, its verdict. */
static void html_file(FILE *out, const struct aoms_report *r, size_t index, const char *path,
		      const struct aoms_file_summary *s, size_t first, size_t end)
{
	fprintf(out, "<section id=\"file-%zu\"><h3>", index);
	xml(out, *path ? path : "(run)");
	fputs("</h3>\n", out);
	if (s) {
		const char *v = aoms_file_summary_verdict(s);
		size_t n_lacks;
		char *const *lacks = aoms_file_summary_lacks(s, &n_lacks);

		fputs("<p>", out);
		xml(out, s->scanner);
		fputs(": <span class=\"verdict-", out);
		xml(out, v);
		fputs("\">", out);
		xml(out, v);
		fputs("</span>", out);
		for (size_t i = 0; i < n_lacks; i++) {
			fputs(i ? ", " : "; lacks ", out);
			xml(out, lacks[i]);
		}
		fputs("</p>\n", out);
	}
	for (size_t i = first; i < end; i++)
		html_finding(out, aoms_report_finding(r, i));
	fputs("</section>\n", out);
}

/* The sections in path order; file_of[i] is the section of finding i. */
static void html_files(FILE *out, const struct aoms_report *r, size_t *file_of)
{
	size_t n_sum = aoms_report_n_file_summaries(r), n_find = aoms_report_n_findings(r);
	size_t s = 0, f = 0, index = 0;

	fputs("<h2>Files</h2>\n", out);
	while (s < n_sum || f < n_find) {
		const struct aoms_file_summary *sum = s < n_sum ? aoms_report_file_summary(r, s) : NULL;
		const char *path = f < n_find ? aoms_report_finding(r, f)->subject : NULL;
		size_t first = f;

		if (sum && (!path || strcmp(sum->path, path) <= 0)) {
			path = sum->path;
			s++;
		} else {
			sum = NULL;
		}
		while (f < n_find && strcmp(aoms_report_finding(r, f)->subject, path) == 0)
			file_of[f++] = index;
		html_file(out, r, index++, path, sum, first, f);
	}
}

/* JSON inside <script>: '<', '>' and '&' as \u escapes, so no "</script>" or
 * comment can end the element early. */
static void html_put_json(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<' || *s == '>' || *s == '&')
			fprintf(out, "\\u%04x", (unsigned)*s);
		else
			fputc(*s, out);
	}
}

static int html_data(FILE *out, const struct aoms_report *r, const size_t *file_of)
{
	_cleanup_(json_object_putp) struct json_object *doc = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
	const char *s;

	if (!doc || !a)
		return -ENOMEM;
	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);
		_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

		if (!o || aoms_render_json_add(o, "subject", aoms_render_json_str(f->subject)) < 0 ||
		    aoms_render_json_add(o, "file", json_object_new_int64((int64_t)file_of[i])) < 0 ||
		    aoms_render_json_add(o, "rule", aoms_render_json_str(f->rule)) < 0 ||
		    aoms_render_json_add(o, "severity", json_object_new_string(aoms_severity_name(f->severity))) < 0 ||
		    aoms_render_json_add(o, "inhibitor", json_object_new_boolean(f->inhibitor)) < 0 ||
		    aoms_render_json_add(o, "dimension", json_object_new_string(aoms_dimension_name(f->dimension))) < 0 ||
		    aoms_render_json_add(o, "title", aoms_render_json_str(f->title ? f->title : f->rule)) < 0 ||
		    aoms_render_json_add(o, "key", json_object_new_string(f->key)) < 0 ||
		    (f->waiver && aoms_render_json_add(o, "waived", json_object_new_boolean(1)) < 0) ||
		    aoms_render_json_push(a, TAKE_PTR(o)) < 0)
			return -ENOMEM;
	}
	if (aoms_render_json_add(doc, "findings", TAKE_PTR(a)) < 0)
		return -ENOMEM;
	s = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s)
		return -ENOMEM;
	fputs("<script type=\"application/json\" id=\"aoms-data\">", out);
	html_put_json(out, s);
	fputs("</script>\n", out);
	return 0;
}

static void html_head(FILE *out, const struct aoms_report *r)
{
	char stamp[40];

	aoms_render_time(aoms_report_run_time(r), false, stamp);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<title>aoms report</title>\n<style>\n", out);
	fputs(aoms_html_style, out);
	fputs("</style>\n</head>\n<body>\n<h1>aoms compatibility report</h1>\n<dl>\n", out);
	fprintf(out, "<dt>run</dt><dd>");
	xml(out, aoms_report_run_id(r));
	fprintf(out, " on ");
	xml(out, aoms_report_run_hostname(r));
	fprintf(out, ", %sZ, aoms ", stamp);
	xml(out, aoms_report_tool_version(r));
	fputs("</dd>\n", out);
	for (size_t i = 0; i < aoms_report_n_meta(r); i++) {
		const char *k = NULL, *v = NULL;

		aoms_report_meta_at(r, i, &k, &v);
		fputs("<dt>", out);
		xml(out, k);
		fputs("</dt><dd>", out);
		xml(out, v);
		fputs("</dd>\n", out);
	}
	for (size_t i = 0; i < aoms_report_n_inputs(r); i++) {
		fputs("<dt>input</dt><dd>", out);
		xml(out, aoms_report_input(r, i));
		fputs("</dd>\n", out);
	}
	fputs("</dl>\n", out);
}

static void html_table(FILE *out)
{
	fputs("<h2>Findings</h2>\n<div class=\"controls\">"
	      "<input id=\"q\" type=\"search\" placeholder=\"filter: path, rule, title, key\" "
	      "aria-label=\"filter\"> <select id=\"sev\" aria-label=\"minimum severity\">"
	      "<option value=\"\">any severity</option><option value=\"low\">low and above</option>"
	      "<option value=\"medium\">medium and above</option><option value=\"high\">high</option>"
	      "</select> <select id=\"dim\" aria-label=\"dimension\"><option value=\"\">any dimension</option>",
	      out);
	for (int d = AOMS_DIM_HARDWARE; d <= AOMS_DIM_CONFIGURATION; d++)
		fprintf(out, "<option value=\"%s\">%s</option>", aoms_dimension_name(d),
			aoms_dimension_name(d));
	fputs("</select> <span id=\"shown\"></span></div>\n<table id=\"findings\"><thead><tr>"
	      "<th data-key=\"severity\">severity</th><th data-key=\"subject\">file</th>"
	      "<th data-key=\"dimension\">dimension</th><th data-key=\"rule\">rule</th>"
	      "<th data-key=\"title\">title</th><th data-key=\"key\">key</th></tr></thead>"
	      "<tbody></tbody></table>\n", out);
}

static void html_errors(FILE *out, const struct aoms_report *r)
{
	if (!aoms_report_n_errors(r))
		return;
	fputs("<h2>Errors</h2>\n<ul>\n", out);
	for (size_t i = 0; i < aoms_report_n_errors(r); i++) {
		fputs("<li>", out);
		xml(out, aoms_report_error(r, i)->message);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

int aoms_report_render_html(const struct aoms_report *r, FILE *out)
{
	_cleanup_(freep) size_t *file_of = calloc(aoms_report_n_findings(r) + 1, sizeof(*file_of));
	char *files = NULL;
	size_t files_len = 0;
	FILE *mem;
	int rr;

	if (!file_of)
		return -ENOMEM;
	/* The sections number the files the table links to: render them first, aside. */
	mem = open_memstream(&files, &files_len);
	if (!mem)
		return -ENOMEM;
	html_files(mem, r, file_of);
	if (fclose(mem) != 0) {
		free(files);
		return -ENOMEM;
	}
	html_head(out, r);
	html_summary(out, r);
	html_errors(out, r);
	html_table(out);
	fwrite(files, 1, files_len, out);
	free(files);
	rr = html_data(out, r, file_of);
	fputs("<script>\n", out);
	fputs(aoms_html_script, out);
	fputs("</script>\n</body>\n</html>\n", out);
	return rr;
}
