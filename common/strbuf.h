/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable NUL-terminated byte buffer (git's strbuf, reduced). */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include "aoms-macro.h"

struct aoms_strbuf {
	char *buf;   /* always NUL-terminated once anything was added; NULL when empty */
	size_t len;
	size_t alloc;
};

#define AOMS_STRBUF_INIT { NULL, 0, 0 }

/* All return 0 or -ENOMEM; on failure the buffer keeps its old content. */
int aoms_strbuf_add(struct aoms_strbuf *sb, const char *data, size_t len);
int aoms_strbuf_adds(struct aoms_strbuf *sb, const char *s);
int aoms_strbuf_addc(struct aoms_strbuf *sb, char c);
int aoms_strbuf_addf(struct aoms_strbuf *sb, const char *fmt, ...) _printf_(2, 3);
int aoms_strbuf_vaddf(struct aoms_strbuf *sb, const char *fmt, va_list ap);

/* The content; "" when empty. Owned by the buffer. */
const char *aoms_strbuf_str(const struct aoms_strbuf *sb);
/* Hands the heap string out (caller frees) and resets the buffer; NULL only on -ENOMEM. */
char *aoms_strbuf_detach(struct aoms_strbuf *sb);
void aoms_strbuf_reset(struct aoms_strbuf *sb);
void aoms_strbuf_release(struct aoms_strbuf *sb);
static inline void aoms_strbuf_releasep(struct aoms_strbuf *sb) { aoms_strbuf_release(sb); }

/* printf into a new heap string; NULL on -ENOMEM. */
char *aoms_strdupf(const char *fmt, ...) _printf_(1, 2);
