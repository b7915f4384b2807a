/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A report: the findings and per-file errors of one run, plus the facts about the
 * run that renderers print (target database, coverage, scanned paths). Adding is
 * thread-safe, so scanner threads add directly. Rendering sorts first, so output
 * is byte-identical whatever order threads finished in.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include "file-summary.h"
#include "finding.h"

struct aoms_report;

struct aoms_report_error {
	char *subject;   /* the file or path the error is about */
	int err;         /* positive errno, or 0 when not errno-based */
	char *message;   /* one line, lowercase, no full stop */
};

/* Exit-status bits (DESIGN.md "CLI contract"). */
#define AOMS_EXIT_OK 0
#define AOMS_EXIT_ERROR 1      /* runtime error, results may be partial */
#define AOMS_EXIT_USAGE 2
#define AOMS_EXIT_FINDINGS 4   /* findings to review at or above --fail-on */
#define AOMS_EXIT_BLOCKING 8   /* an inhibitor */
#define AOMS_EXIT_EMPTY 16     /* a scan judged no file at all (unless allowed) */

/* What fails a pipeline: findings at or above this severity set bit 4; inhibitors set
 * bit 8 unless the threshold is AOMS_FAIL_NEVER. */
enum aoms_fail_on {
	AOMS_FAIL_INFO = AOMS_SEV_INFO,
	AOMS_FAIL_LOW = AOMS_SEV_LOW,
	AOMS_FAIL_MEDIUM = AOMS_SEV_MEDIUM,
	AOMS_FAIL_HIGH = AOMS_SEV_HIGH,
	AOMS_FAIL_INHIBITOR,   /* only inhibitors (bit 8) */
	AOMS_FAIL_NEVER,       /* neither 4 nor 8; errors still give 1 */
};

/* "info","low","medium","high","inhibitor","never"; -EINVAL otherwise. */
int aoms_fail_on_from_name(const char *name, enum aoms_fail_on *ret);

int aoms_report_new(struct aoms_report **ret);
void aoms_report_free(struct aoms_report *r);
DEFINE_FREE_FUNC(struct aoms_report, aoms_report_free)

/* Takes ownership of f in every case (frees it on failure); computes its key.
 * Thread-safe. Returns 0; -EINVAL when f is NULL or its rule is not in the rule
 * catalogue (rules.h); -ENOMEM. */
int aoms_report_add(struct aoms_report *r, struct aoms_finding *f);
/* The same, but keeps f->key as it is (a finding read back from a report). */
int aoms_report_add_keyed(struct aoms_report *r, struct aoms_finding *f);
/* Records a per-file error (err is a positive or negative errno, or 0). Thread-safe. */
int aoms_report_add_error(struct aoms_report *r, const char *subject, int err,
			  const char *fmt, ...) _printf_(4, 5);
/* Run facts shown in the report header, kept in the order first set; setting an
 * existing key replaces its value. e.g. "target", "coverage", "database". */
int aoms_report_set_meta(struct aoms_report *r, const char *key, const char *value);
const char *aoms_report_meta(const struct aoms_report *r, const char *key);
/* A scanned path as given on the command line (kept sorted). */
int aoms_report_add_input(struct aoms_report *r, const char *path);

/* What a scan did with the files it met (the summary's "files"): every regular file
 * and archive member is seen, then judged by one scanner, or not judged (it looks
 * like something a user expects judged, and a scan.not-judged finding says so), or
 * skipped (nothing any scanner reads: data, text, scripts), or failed (it could not
 * be read; the report's errors say why). */
struct aoms_report_judged {
	char *scanner;     /* the scanner's name, e.g. "elf" */
	size_t count;
};

struct aoms_report_files {
	size_t seen;
	struct aoms_report_judged *judged;   /* in scanner registry order */
	size_t n_judged;
	size_t not_judged;
	size_t skipped;
	size_t failed;
};

/* Copies files into the report (replacing earlier counts). Returns 0 or -ENOMEM. */
int aoms_report_set_files(struct aoms_report *r, const struct aoms_report_files *files);
/* The counts set, or NULL when the run set none (a report of no scan). Owned by r. */
const struct aoms_report_files *aoms_report_files(const struct aoms_report *r);
/* The sum of files->judged[].count. */
size_t aoms_report_files_judged(const struct aoms_report_files *files);
/* Frees what a struct aoms_report_files owns (for copies made by callers). */
void aoms_report_files_release(struct aoms_report_files *files);

/*
 * A file's verdict (file-summary.h); takes ownership of s in every case. Summaries of
 * the same path and scanner are merged when the report is sorted. Thread-safe.
 * Returns 0, -EINVAL when s is NULL, -ENOMEM.
 */
int aoms_report_add_file_summary(struct aoms_report *r, struct aoms_file_summary *s);
size_t aoms_report_n_file_summaries(const struct aoms_report *r);
/* Owned by the report; sorted by path, then scanner, after aoms_report_sort(). */
const struct aoms_file_summary *aoms_report_file_summary(const struct aoms_report *r, size_t i);

/*
 * Sorts findings by subject, dimension, rule, the version evidence (strverscmp, a
 * finding without one first), then key; errors by subject; file summaries by path and
 * scanner, merging repeats, and derives what their scanners left out from the
 * findings (file-summary.h). Returns 0 or -ENOMEM (the derived fields may then be
 * incomplete; the order is right).
 */
int aoms_report_sort(struct aoms_report *r);

size_t aoms_report_n_findings(const struct aoms_report *r);
/*
 * Removes (and frees) the findings for which keep(f, userdata) is false, keeping the
 * order of the rest; for --baseline and --min-severity, after the scan. File verdicts
 * derived at the next sort then see only the findings kept. Not to be called while
 * scanner threads add. Returns the number removed.
 */
size_t aoms_report_filter(struct aoms_report *r,
			  bool (*keep)(const struct aoms_finding *f, void *userdata), void *userdata);
/* Owned by the report. */
const struct aoms_finding *aoms_report_finding(const struct aoms_report *r, size_t i);
/* The same, to mark a finding after the scan (waivers.h); its key, rule and subject
 * must not change. Not while scanner threads add. */
struct aoms_finding *aoms_report_finding_mut(struct aoms_report *r, size_t i);
size_t aoms_report_n_errors(const struct aoms_report *r);
const struct aoms_report_error *aoms_report_error(const struct aoms_report *r, size_t i);
size_t aoms_report_n_meta(const struct aoms_report *r);
void aoms_report_meta_at(const struct aoms_report *r, size_t i, const char **ret_key,
			 const char **ret_value);
size_t aoms_report_n_inputs(const struct aoms_report *r);
const char *aoms_report_input(const struct aoms_report *r, size_t i);

/* The bit field of report.h's AOMS_EXIT_* values for this report (waived findings do
 * not count). AOMS_EXIT_EMPTY when
 * the report has file counts (a scan), they count no judged file, and empty runs are
 * not allowed (aoms_report_set_allow_empty); it does not depend on fail_on. */
int aoms_report_exit_status(const struct aoms_report *r, enum aoms_fail_on fail_on);
/* Whether a scan that judged no file is fine (--allow-empty); false until set. */
void aoms_report_set_allow_empty(struct aoms_report *r, bool allow);
bool aoms_report_allow_empty(const struct aoms_report *r);

/* "info", ..., "never"; "unknown" for a value outside the enum. */
const char *aoms_fail_on_name(enum aoms_fail_on fail_on);
/* The --fail-on threshold the report's summary states its exit status for: set by the
 * command line, or restored by the report reader. AOMS_FAIL_MEDIUM until set. */
void aoms_report_set_fail_on(struct aoms_report *r, enum aoms_fail_on fail_on);
enum aoms_fail_on aoms_report_fail_on(const struct aoms_report *r);
/* The version of the aoms that wrote the report: this program's (AOMS_VERSION) unless
 * the reader restored another. Returns 0 or -ENOMEM; the string is copied. */
int aoms_report_set_tool_version(struct aoms_report *r, const char *version);
const char *aoms_report_tool_version(const struct aoms_report *r);

/*
 * The run as formats that carry one name it (Leapp's leapp_run_id, hostname and
 * timeStamp; JUnit's timestamp and hostname; SARIF's invocation; the HTML header).
 * The default JSON leaves them out, so it stays byte-identical between runs. id and
 * hostname are copied; time is seconds since the epoch (UTC). Until set: id
 * "00000000-0000-0000-0000-000000000000", hostname "localhost", time 0.
 * Returns 0, -EINVAL for an empty id or hostname, -ENOMEM.
 */
int aoms_report_set_run(struct aoms_report *r, const char *id, const char *hostname,
			long long time);
const char *aoms_report_run_id(const struct aoms_report *r);
const char *aoms_report_run_hostname(const struct aoms_report *r);
long long aoms_report_run_time(const struct aoms_report *r);

/* Whether f counts toward the exit status under fail_on: bit 4 (severity at or above
 * fail_on) or bit 8 (an inhibitor, unless never) — what JUnit calls a failure. A waived
 * finding (f->waiver) never counts. */
bool aoms_report_finding_fails(const struct aoms_finding *f, enum aoms_fail_on fail_on);

/* Renders the sorted report, with its fail_on, in a format of the format table
 * ("json", "text", ..., and "text-summary": the text format's verdicts of the files
 * that are not compatible and its totals only, for `aoms scan --summary`). Returns 0, -EINVAL for an unknown format, -EIO when
 * writing failed. */
int aoms_report_render(struct aoms_report *r, const char *format, FILE *out);
/* NULL-terminated names of the formats aoms_report_render() knows. */
const char *const *aoms_report_formats(void);
