/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading an aoms JSON report (docs/report-schema.md) back into the model, for the
 * planner, --baseline and waivers. Rendering what was read as JSON gives the same
 * bytes as the document (for a document of this schema version written by aoms).
 */
#pragma once

#include <stdio.h>
#include "report.h"

/*
 * Reads one JSON document from in (to its end) into a new report: run facts, inputs,
 * entries (keys as written, not recomputed), errors, the tool version and the
 * --fail-on threshold the summary was written for. A newer minor schema version is
 * accepted and members this reader does not know are ignored (also action kinds).
 *
 * Returns 0 and sets *ret; or a negative errno and sets *ret_error (when not NULL) to
 * one line naming the member ("entries[3].severity: unknown severity 'hgh'"), which the
 * caller frees:
 *   -EBADMSG          not JSON, truncated, not an aoms report, a wrong type, an unknown
 *                     name, a malformed key, or a summary that disagrees with entries;
 *   -EPROTONOSUPPORT  another major schema version;
 *   -EFBIG            larger than AOMS_REPORT_READ_MAX bytes;
 *   -ENOMEM, or -errno of reading in.
 * Nothing is returned on failure: no half-read report.
 */
int aoms_report_read(FILE *in, struct aoms_report **ret, char **ret_error);
/* The same for the file at path ("-" is stdin). */
int aoms_report_read_file(const char *path, struct aoms_report **ret, char **ret_error);

#define AOMS_REPORT_READ_MAX ((size_t)1 << 31)
