/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Waivers: findings someone has accepted, by key (docs/report-schema.md "Waivers").
 * The file is the planner's format:
 *
 *   {"waivers": [{"key": "3f0c9a1e5b7d2c44", "reason": "vendor ships a fix in 2.1",
 *                 "owner": "app-team", "expires": "2027-06-30"}]}
 *
 * key (16 lowercase hex digits: a finding key of report schema 1.x) and reason are
 * required; owner and expires (the last day the waiver holds, YYYY-MM-DD) optional.
 * A waived finding stays in the report, marked (finding.h f->waiver), and does not
 * count toward the exit status. Nothing here prints.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "aoms-macro.h"
#include "report.h"

struct aoms_waiver {
	char *key;       /* 16 lowercase hex digits */
	char *reason;
	char *owner;     /* NULL: not given */
	char *expires;   /* "YYYY-MM-DD"; NULL: never expires */
};

struct aoms_waivers {
	struct aoms_waiver *items;   /* sorted by key, keys unique */
	size_t n;
};

/*
 * Reads a waivers file (path; "-" is stdin) or stream. Returns 0 and *ret (free with
 * aoms_waivers_free()); or a negative errno and, when ret_error is not NULL, one line
 * naming the member in *ret_error (the caller frees it):
 *   -EBADMSG  not JSON, not {"waivers": [...]}, a member of the wrong type, unknown
 *             members, a key that is not 16 lowercase hex digits (another schema
 *             version's key), two waivers for one key, an expires that is not a date;
 *   -EFBIG    larger than AOMS_REPORT_READ_MAX; -ENOMEM; -errno of opening or reading.
 */
int aoms_waivers_read(const char *path, struct aoms_waivers **ret, char **ret_error);
int aoms_waivers_read_stream(FILE *in, struct aoms_waivers **ret, char **ret_error);
/* Accepts NULL. */
void aoms_waivers_free(struct aoms_waivers *w);
DEFINE_FREE_FUNC(struct aoms_waivers, aoms_waivers_free)

/* The waiver for key, or NULL. Owned by w. */
const struct aoms_waiver *aoms_waivers_find(const struct aoms_waivers *w, const char *key);
/* Whether w has expired on today ("YYYY-MM-DD"): its expires is before today. */
bool aoms_waiver_expired(const struct aoms_waiver *w, const char *today);
/* Whether s is a calendar date "YYYY-MM-DD" (Gregorian, years 1000..9999). */
bool aoms_waiver_date_valid(const char *s);
/* The UTC date of t (seconds since the epoch) as "YYYY-MM-DD" in buf. */
void aoms_waiver_date(long long t, char buf[11]);

/*
 * Marks each finding of r whose key has a waiver that has not expired on today
 * ("YYYY-MM-DD"). Expired waivers are ignored, and their keys, in key order and
 * separated by ", ", go to the report's run fact "waivers_expired" (set only when
 * there are some). Returns the number of findings waived, or -ENOMEM.
 */
int aoms_waivers_apply(struct aoms_report *r, const struct aoms_waivers *w, const char *today);
