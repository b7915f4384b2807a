/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to report/: what the renderers share. A renderer gets a sorted report and
 * writes one document to out; the dispatcher (report.c) checks the stream for write
 * errors afterwards, so renderers need not check every fprintf.
 */
#pragma once

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

/* aoms_utf8_len() lives in json-string.h. */
#include "json-string.h"

/* The JSON schema version written, and the major version the reader accepts. */
#define AOMS_JSON_SCHEMA_VERSION "1.2"
#define AOMS_JSON_SCHEMA_MAJOR 1
