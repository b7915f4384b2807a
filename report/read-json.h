/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to report/: what the JSON reader's files share (read-json.c reads the
 * document, read-json-entry.c one entry). Each helper that fails records the first
 * problem as "member.path: message" in rd->error and returns a negative errno
 * (-EBADMSG for a bad document).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "aoms-macro.h"
#include "report.h"

/* Member paths in messages are cut to this size. */
#define AOMS_RD_PATH_MAX 256

struct aoms_rd {
	struct aoms_report *r;   /* being built */
	char *error;             /* the first problem, heap */
};

/* Records "where: message" unless a problem was recorded already; returns err. */
int aoms_rd_fail(struct aoms_rd *rd, int err, const char *where, const char *fmt, ...)
	_printf_(4, 5);
/* snprintf that may cut (a message's member path). */
void aoms_rd_pathf(char *buf, size_t n, const char *fmt, ...) _printf_(3, 4);
/* path[i] into buf (cut like aoms_rd_pathf): the element path of every array element
 * read, so no printf — an assessment lists thousands of packages. */
void aoms_rd_path_index(char *buf, size_t n, const char *path, size_t i);
/* "a string", "an object", ... for messages. */
const char *aoms_rd_type_name(json_type t);
/* The member name of obj, of type want, in *ret; path gets "where.name"
 * (AOMS_RD_PATH_MAX bytes). Missing: -ENOENT when optional, else -EBADMSG. */
int aoms_rd_member(struct aoms_rd *rd, struct json_object *obj, const char *where,
		   const char *name, json_type want, bool optional, struct json_object **ret,
		   char *path);
/* v's string in *ret (owned by v) when the writer could have written it: valid UTF-8,
 * no NUL. */
int aoms_rd_check_str(struct aoms_rd *rd, struct json_object *v, const char *path,
		      const char **ret);
/* Member name of obj as such a string; aoms_rd_str0 also takes null (*ret NULL). */
int aoms_rd_str(struct aoms_rd *rd, struct json_object *obj, const char *where, const char *name,
		const char **ret);
int aoms_rd_str0(struct aoms_rd *rd, struct json_object *obj, const char *where,
		 const char *name, const char **ret);
/* Each element of the array a, which must be a string, to fn. */
int aoms_rd_str_array(struct aoms_rd *rd, struct json_object *a, const char *path,
		      int (*fn)(struct aoms_rd *rd, const char *s, const char *path, void *ud),
		      void *ud);
/* files[i] (o, at where) into a file summary added to rd->r, verdict and lacks as
 * written. */
int aoms_rd_file(struct aoms_rd *rd, struct json_object *o, const char *where);
/* entries[i] (o, at where) into a finding added to rd->r with its key as written. */
int aoms_rd_entry(struct aoms_rd *rd, struct json_object *o, const char *where);
/* installed[i] (o, at where) into an installed package added to rd->r
 * (read-json-installed.c). */
int aoms_rd_installed(struct aoms_rd *rd, struct json_object *o, const char *where);
/* Reads in to its end into *ret (NUL-terminated, heap) and its length: 0, -EFBIG above
 * AOMS_REPORT_READ_MAX, -EIO, -ENOMEM. */
int aoms_rd_slurp(FILE *in, char **ret, size_t *ret_len);
/* One JSON document, nothing but white space after it: 0 and *ret, or -EBADMSG
 * ("document: not JSON at byte N: ...", "document: truncated"), -ENOMEM. */
int aoms_rd_parse(struct aoms_rd *rd, const char *buf, size_t len, struct json_object **ret);
