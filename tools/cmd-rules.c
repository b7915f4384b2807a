/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms rules` and `aoms explain RULE`: the rule catalogue (report/rules.h) for people
 * and machines. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aoms.h"
#include "rules.h"
#include "tool-opts.h"

#define WRAP_COLUMNS 80

static json_object *rule_json(const struct aoms_rule *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(r->id));
	json_object_object_add(o, "dimension",
			       json_object_new_string(aoms_dimension_name(r->dimension)));
	json_object_object_add(o, "severity", json_object_new_string(aoms_severity_name(r->severity)));
	json_object_object_add(o, "inhibitor", json_object_new_boolean(r->inhibitor));
	json_object_object_add(o, "title", json_object_new_string(r->title));
	json_object_object_add(o, "doc", json_object_new_string(r->doc));
	json_object_object_add(o, "link", r->link ? json_object_new_string(r->link) : NULL);
	return o;
}

/* Prints o and frees it; 0 or AOMS_EXIT_ERROR when stdout fails. */
static int print_json(json_object *o)
{
	aoms_tool_print_json(o);
	json_object_put(o);
	return fflush(stdout) == 0 ? 0 : AOMS_EXIT_ERROR;
}

static const struct aoms_opt format_opts[] = {
	{ "format", 'f', "text|json", "text", "text for people, json for tools" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_rules = {
	.name = "rules",
	.summary = "list every rule a finding may carry",
	.synopsis = "[--format text|json]",
	.description =
		"List the rule catalogue: each rule's id, dimension, default severity,\n"
		"whether it is an inhibitor (blocks the migration) and its title. aoms\n"
		"explain RULE describes one.",
	.opts = format_opts,
	.examples = "aoms rules\n"
		    "aoms rules --format json",
	.exit_status = "0 listed, 1 stdout cannot be written, 2 usage error",
	.files = "None: the catalogue is built into aoms.",
	.operands = "none",
};

const struct aoms_cmd_doc aoms_doc_explain = {
	.name = "explain",
	.summary = "describe one rule: what it means and what to do",
	.synopsis = "[--format text|json] RULE",
	.description =
		"Describe the rule RULE (an id aoms rules lists, as findings name it): its\n"
		"dimension, default severity, whether it is an inhibitor, what it means,\n"
		"what to do about it and a link.",
	.opts = format_opts,
	.examples = "aoms explain elf.symbol-missing\n"
		    "aoms explain --format json kmod.symbol-missing",
	.exit_status = "0 described, 1 stdout cannot be written, 2 usage error or an unknown rule",
	.files = "None: the catalogue is built into aoms.",
	.operands = "cmd:aoms rules 2>/dev/null | awk 'NR > 1 {print $1}'",
};

/* Parses [--format text|json]; returns 0 and sets *ret_json, -1 after --help, or an
 * exit status. */
static int parse_format(int argc, char **argv, const struct aoms_cmd_doc *doc, bool *ret_json)
{
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	const char *format = "text";
	int c;

	if (aoms_opts_getopt(format_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'h': aoms_opts_usage(stdout, doc); return -1;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		aoms_tool_err("unknown format '%s'", format);
		return AOMS_EXIT_USAGE;
	}
	*ret_json = strcmp(format, "json") == 0;
	return 0;
}

int aoms_cmd_rules(int argc, char **argv)
{
	size_t n = aoms_rules_count(), w_id = strlen("RULE"), w_dim = strlen("DIMENSION");
	bool json;
	int r = parse_format(argc, argv, &aoms_doc_rules, &json);

	if (r)
		return r < 0 ? 0 : r;
	if (optind < argc) {
		aoms_tool_err("usage: aoms rules [--format text|json]");
		return AOMS_EXIT_USAGE;
	}
	if (json) {
		json_object *a = json_object_new_array();

		for (size_t i = 0; i < n; i++)
			json_object_array_add(a, rule_json(aoms_rule_at(i)));
		return print_json(a);
	}
	for (size_t i = 0; i < n; i++) {
		const struct aoms_rule *rule = aoms_rule_at(i);
		size_t d = strlen(aoms_dimension_name(rule->dimension));

		w_id = strlen(rule->id) > w_id ? strlen(rule->id) : w_id;
		w_dim = d > w_dim ? d : w_dim;
	}
	printf("%-*s  %-*s  %-8s  %-9s  %s\n", (int)w_id, "RULE", (int)w_dim, "DIMENSION",
	       "SEVERITY", "INHIBITOR", "TITLE");
	for (size_t i = 0; i < n; i++) {
		const struct aoms_rule *rule = aoms_rule_at(i);

		printf("%-*s  %-*s  %-8s  %-9s  %s\n", (int)w_id, rule->id, (int)w_dim,
		       aoms_dimension_name(rule->dimension), aoms_severity_name(rule->severity),
		       rule->inhibitor ? "yes" : "no", rule->title);
	}
	return fflush(stdout) == 0 ? 0 : AOMS_EXIT_ERROR;
}

/* Prints text wrapped at WRAP_COLUMNS on spaces (a longer word stays whole). */
static void print_wrapped(const char *text)
{
	size_t col = 0;

	while (*text) {
		size_t len = strcspn(text, " ");

		if (col > 0 && col + 1 + len > WRAP_COLUMNS) {
			putchar('\n');
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		fwrite(text, 1, len, stdout);
		col += len;
		text += len;
		text += strspn(text, " ");
	}
	putchar('\n');
}

int aoms_cmd_explain(int argc, char **argv)
{
	const struct aoms_rule *rule;
	bool json;
	int r = parse_format(argc, argv, &aoms_doc_explain, &json);

	if (r)
		return r < 0 ? 0 : r;
	if (optind + 1 != argc) {
		aoms_tool_err("usage: aoms explain [--format text|json] RULE");
		return AOMS_EXIT_USAGE;
	}
	rule = aoms_rule_find(argv[optind]);
	if (!rule) {
		aoms_tool_err("unknown rule '%s'; see 'aoms rules'", argv[optind]);
		return AOMS_EXIT_USAGE;
	}
	if (json)
		return print_json(rule_json(rule));
	printf("rule:       %s\n", rule->id);
	printf("dimension:  %s (%s)\n", aoms_dimension_name(rule->dimension),
	       aoms_dimension_title(rule->dimension));
	printf("severity:   %s (default)\n", aoms_severity_name(rule->severity));
	printf("inhibitor:  %s\n", rule->inhibitor ? "yes" : "no");
	printf("title:      %s\n", rule->title);
	if (rule->link)
		printf("link:       %s\n", rule->link);
	putchar('\n');
	print_wrapped(rule->doc);
	return fflush(stdout) == 0 ? 0 : AOMS_EXIT_ERROR;
}
