/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The aoms CLI: the only place that parses argv, prints, or picks an exit code. */
#pragma once

#include <stdbool.h>
#include <time.h>
#include "progress.h"
#include "report.h"
#include "tool-opts.h"

struct aoms_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);   /* returns an exit status (report.h bits) */
	const char *help;
};

/* Prints "aoms COMMAND: <message>" on stderr ("aoms scan: ", "aoms db build: "; the
 * dispatcher records the command; "aoms: " before one runs): one line, lowercase, no
 * full stop. */
void aoms_tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs the sub-command of table named argv[0]; usage errors give AOMS_EXIT_USAGE. Below
 * a command (aoms db), "--help" or "-h" lists the table's commands. */
int aoms_tool_dispatch(const struct aoms_cmd *table, const char *what, int argc, char **argv);

/* Opens the --db options of a command, paths[0..n) in the order given: databases
 * that layer (abidb.h "layers"), "embedded" naming the embedded one; the embedded
 * database alone when n is 0. Prints the error (naming the layer); ret_reason (may
 * be NULL) gets the message too (the caller frees it). Returns 0 or
 * AOMS_EXIT_ERROR. */
struct aoms_abidb;
int aoms_tool_open_db(const char *const *paths, size_t n, struct aoms_abidb **ret,
		      char **ret_reason);
/* The layers as reports and messages name them: "embedded", "embedded + site.db".
 * NULL on -ENOMEM; the caller frees it. */
char *aoms_tool_db_label(struct aoms_abidb *db);
/* Sets the run facts "database" (aoms_tool_db_label()) and, with several layers,
 * "database_layers" (their number, report schema 1.4). 0 or -ENOMEM. */
int aoms_tool_describe_db(struct aoms_report *r, struct aoms_abidb *db);

/* The progress line on stderr, for a terminal: "aoms scan: reading: 120/300+ files,
 * 80 files/s" (the command's prefix, the phase, done of found, the rate). */
struct aoms_tool_progress {
	const char *phase;
	struct timespec start;
	bool shown;
};
/* An aoms_progress_fn (scanners/progress.h); ud is a struct aoms_tool_progress. */
void aoms_tool_progress_show(const struct aoms_progress_info *p, void *ud);
/* Clears the line before anything else goes to stderr. */
void aoms_tool_progress_end(struct aoms_tool_progress *l);
/* Clears the line last shown, if any (aoms_tool_err() and the log do). */
void aoms_tool_progress_clear(void);

/* Writes the report in format to path ("-" or NULL: stdout). Returns 0 or an exit status. */
int aoms_tool_write_report(struct aoms_report *r, const char *format, enum aoms_fail_on fail_on,
			   const char *path);

/* Starts writing the database path (aoms db build/import -o) through
 * aoms_atomic_open(): the caller builds the database at the temporary path and
 * commits. A target that is not a regular file is refused. Prints the error;
 * returns 0 or AOMS_EXIT_ERROR. */
struct aoms_atomic_file;
int aoms_tool_open_db_output(const char *path, struct aoms_atomic_file **ret);

/*
 * Sets the run the leapp, sarif, junit and html formats name (aoms_report_set_run()):
 * id run_id, else a random UUID (version 4); hostname from gethostname(); time from
 * $SOURCE_DATE_EPOCH when set (reproducible builds' convention; tests), else now.
 * Prints the error; returns 0, AOMS_EXIT_USAGE for a bad SOURCE_DATE_EPOCH, or
 * AOMS_EXIT_ERROR.
 */
int aoms_tool_set_run(struct aoms_report *r, const char *run_id);

/* Reads --baseline REPORT (scan-filter.c). Prints the error; returns 0,
 * AOMS_EXIT_USAGE when it is not an aoms JSON report of this major schema version,
 * AOMS_EXIT_ERROR when it cannot be read. */
int aoms_tool_read_baseline(const char *baseline, struct aoms_report **ret);
/* Drops from r the findings whose key base (NULL: none) has, and those below
 * min_severity that are not inhibitors. Returns 0 or AOMS_EXIT_ERROR (printed). */
int aoms_tool_filter_report(struct aoms_report *r, const struct aoms_report *base,
			    enum aoms_severity min_severity);

/* Reads --waivers FILE (report/waivers.h). Prints the error; returns 0, AOMS_EXIT_USAGE
 * for a file that is not a valid waivers document, AOMS_EXIT_ERROR when unreadable. */
struct aoms_waivers;
int aoms_tool_read_waivers(const char *path, struct aoms_waivers **ret);
/* Marks r's findings that w (NULL: none) waives, as of the run's date; notes each
 * expired waiver on stderr unless quiet. Returns 0 or AOMS_EXIT_ERROR (printed). */
int aoms_tool_apply_waivers(struct aoms_report *r, const struct aoms_waivers *w, bool quiet);

/* The progress line of apply and rollback (exec-progress.c): an aoms_exec_progress_fn
 * (executor.h) drawing through aoms_tool_progress_show(); ud is a struct
 * aoms_tool_progress. */
void aoms_tool_exec_progress(const char *phase, const char *item, unsigned done, unsigned total,
			     void *ud);

/* Prints the report's per-file errors on stderr (one line each). */
void aoms_tool_print_errors(const struct aoms_report *r);
/* Prints a JSON document on stdout as every aoms document is laid out (AOMS_JSON_FLAGS). */
struct json_object;
void aoms_tool_print_json(struct json_object *o);

int aoms_cmd_scan(int argc, char **argv);
int aoms_cmd_assess(int argc, char **argv);
int aoms_cmd_plan(int argc, char **argv);
int aoms_cmd_db(int argc, char **argv);
int aoms_cmd_rules(int argc, char **argv);
int aoms_cmd_explain(int argc, char **argv);
int aoms_cmd_help(int argc, char **argv);
int aoms_cmd_apply(int argc, char **argv);
int aoms_cmd_rollback(int argc, char **argv);

/* Each command's documentation and option table (tool-opts.h): its --help, man page
 * and completion. */
extern const struct aoms_cmd_doc aoms_doc_scan, aoms_doc_assess, aoms_doc_plan,
	aoms_doc_db_build, aoms_doc_db_import, aoms_doc_db_info, aoms_doc_db_query,
	aoms_doc_rules, aoms_doc_explain;
extern const struct aoms_cmd_doc aoms_doc_apply, aoms_doc_rollback;
