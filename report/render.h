/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to report/: what the renderers share. A renderer gets a sorted report and
 * writes one document to out; the dispatcher (report.c) checks the stream for write
 * errors afterwards, so renderers need not check every fprintf.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "report.h"

struct aoms_report_counts {
	size_t findings;
	size_t inhibitors;
	size_t errors;
	size_t by_severity[AOMS_SEV_HIGH + 1];          /* indexed by enum aoms_severity */
	size_t by_dimension[AOMS_DIM_CONFIGURATION + 1]; /* indexed by enum aoms_dimension */
};

/* Fills ret with the totals the summaries print. Out-of-range enum values are not
 * counted per severity/dimension but still count as findings. */
void aoms_report_count(const struct aoms_report *r, struct aoms_report_counts *ret);

/* The symbolic name of a positive errno ("EACCES"), or NULL if not in the table. */
const char *aoms_report_errno_name(int err);

/* Renderers: each returns 0 or -ENOMEM; write errors are left on the stream. */
typedef int (*aoms_report_render_fn)(const struct aoms_report *r, FILE *out);
int aoms_report_render_json(const struct aoms_report *r, FILE *out);
int aoms_report_render_text(const struct aoms_report *r, FILE *out);
/* The text format's Verdicts block and totals only (scan --summary). */
int aoms_report_render_text_summary(const struct aoms_report *r, FILE *out);
int aoms_report_render_leapp(const struct aoms_report *r, FILE *out);   /* render-leapp.c */
int aoms_report_render_sarif(const struct aoms_report *r, FILE *out);   /* render-sarif.c */
int aoms_report_render_junit(const struct aoms_report *r, FILE *out);   /* render-junit.c */
int aoms_report_render_html(const struct aoms_report *r, FILE *out);    /* render-html.c */

/* render-util.c: what the JSON-based and XML formats share (json, leapp, sarif, ...). */
struct json_object;
/* Add/push val (taken, also on failure; NULL val is a failed constructor): 0, -ENOMEM. */
int aoms_render_json_add(struct json_object *obj, const char *key, struct json_object *val);
int aoms_render_json_push(struct json_object *arr, struct json_object *val);
/* A valid-UTF-8 JSON string of s ("" for NULL); NULL on -ENOMEM. */
struct json_object *aoms_render_json_str(const char *s);
/* The report's run facts (meta) as an object of strings; NULL on -ENOMEM. */
struct json_object *aoms_render_json_meta(const struct aoms_report *r);
/* Prints the tree (pretty, two spaces, "[]"/"{}" for empty containers) and a newline;
 * takes o. Returns 0 or -ENOMEM. */
int aoms_render_json_print(FILE *out, struct json_object *o);
/* Serializes val alone with json-c's flags (empty containers compact) and writes it
 * at depth indent — every line after the first indented — then sep; takes val (NULL:
 * -ENOMEM). For documents written a piece at a time: a whole json-c tree of thousands
 * of elements costs more memory than what it describes. Returns 0 or -ENOMEM. */
int aoms_render_json_put(FILE *out, struct json_object *val, int indent, const char *sep,
			 int flags);
/* Marks every empty array and object under o to print as "[]" / "{}" (json-c prints
 * them over two lines, differently across versions). */
void aoms_render_json_compact_empty(struct json_object *o);
/* Writes s as XML/HTML character data or attribute value: & < > " ' escaped, bytes
 * that are not well-formed UTF-8 and control characters XML 1.0 forbids as U+FFFD. */
void aoms_render_xml_text(FILE *out, const char *s);
/* The run time as "2021-01-13T13:04:06" (UTC) into buf; fraction adds ".000000Z". */
void aoms_render_time(long long t, bool fraction, char buf[40]);
/* The scanner a rule comes from, as Leapp names actors: "aoms_elf_scanner" for
 * "elf.needed-missing" (its prefix). In buf. */
const char *aoms_render_actor(const char *rule, char *buf, size_t size);
/* The verdict words of file-summary.h: whether a file failed. */
bool aoms_render_verdict_bad(const char *verdict);

/* aoms_utf8_len() lives in json-string.h. */
#include "json-string.h"

/* The JSON schema version written, and the major version the reader accepts. */
#define AOMS_JSON_SCHEMA_VERSION "1.6"
#define AOMS_JSON_SCHEMA_MAJOR 1
