/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report's insides, shared by report.c (collection, getters, exit status) and
 * report-sort.c (order, per-file summary merging); private to report/. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include "file-summary.h"
#include "report.h"

struct aoms_installed;
struct aoms_arena;

struct report_meta {
	char *key;
	char *value;
};

struct aoms_report {
	/* Guards every mutation; the const getters run after the scan threads joined. */
	pthread_mutex_t lock;
	struct aoms_finding **findings;
	size_t n_findings, alloc_findings;
	struct aoms_report_error *errors;
	size_t n_errors, alloc_errors;
	struct report_meta *meta;
	size_t n_meta;
	char **inputs;
	size_t n_inputs;
	struct aoms_file_summary **summaries;
	size_t n_summaries, alloc_summaries;
	struct aoms_report_files files;
	struct aoms_installed *installed;   /* installed.h; strings in installed_arena */
	size_t n_installed, alloc_installed;
	struct aoms_arena *installed_arena;
	bool has_files;
	bool allow_empty;
	enum aoms_fail_on fail_on;
	char *tool_version;      /* NULL: AOMS_VERSION */
	char *run_id;            /* NULL: the all-zero UUID */
	char *run_hostname;      /* NULL: "localhost" */
	long long run_time;
};
