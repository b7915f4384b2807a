/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"

static int strbuf_grow(struct aoms_strbuf *sb, size_t extra)
{
	size_t need, alloc;
	char *p;

	if (extra > SIZE_MAX - sb->len - 1)
		return -ENOMEM;
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return 0;
	alloc = sb->alloc ? sb->alloc : 64;
	while (alloc < need)
		alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
	p = realloc(sb->buf, alloc);
	if (!p)
		return -ENOMEM;
	sb->buf = p;
	sb->alloc = alloc;
	return 0;
}

int aoms_strbuf_add(struct aoms_strbuf *sb, const char *data, size_t len)
{
	int r = strbuf_grow(sb, len);

	if (r < 0)
		return r;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int aoms_strbuf_adds(struct aoms_strbuf *sb, const char *s)
{
	return aoms_strbuf_add(sb, s, strlen(s));
}

int aoms_strbuf_addc(struct aoms_strbuf *sb, char c)
{
	return aoms_strbuf_add(sb, &c, 1);
}

int aoms_strbuf_vaddf(struct aoms_strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n, r;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return -EINVAL;
	r = strbuf_grow(sb, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int aoms_strbuf_addf(struct aoms_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = aoms_strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

const char *aoms_strbuf_str(const struct aoms_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *aoms_strbuf_detach(struct aoms_strbuf *sb)
{
	char *s = sb->buf ? sb->buf : strdup("");

	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return s;
}

void aoms_strbuf_reset(struct aoms_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void aoms_strbuf_release(struct aoms_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *aoms_strdupf(const char *fmt, ...)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = aoms_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (r < 0) {
		aoms_strbuf_release(&sb);
		return NULL;
	}
	return aoms_strbuf_detach(&sb);
}
