/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers of the executor: string lists, reasons. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exec-private.h"
#include "strbuf.h"

int exec_strv_add(struct exec_strv *l, const char *s)
{
	char *c;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, (cap + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (!(c = strdup(s)))
		return -ENOMEM;
	l->v[l->n++] = c;
	l->v[l->n] = NULL;
	return 0;
}

int exec_strv_addf(struct exec_strv *l, const char *fmt, ...)
{
	_cleanup_(freep) char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s = NULL;
		return -ENOMEM;
	}
	return exec_strv_add(l, s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void exec_strv_sort(struct exec_strv *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

bool exec_strv_has(const struct exec_strv *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof(*l->v), cmp_str);
}

long exec_strv_find(const struct exec_strv *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return (long)i;
	return -1;
}

void exec_strv_uniq(struct exec_strv *l)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (k && strcmp(l->v[k - 1], l->v[i]) == 0)
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

void exec_strv_release(struct exec_strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct exec_strv){ 0 };
}

void exec_strv_take(struct exec_strv *l, char ***ret, size_t *ret_n)
{
	*ret = l->v;
	*ret_n = l->n;
	*l = (struct exec_strv){ 0 };
}

char *exec_strv_join(const struct exec_strv *l, size_t max)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;

	for (size_t i = 0; i < l->n && i < max; i++)
		aoms_strbuf_addf(&sb, "%s%s", i ? ", " : "", l->v[i]);
	if (l->n > max)
		aoms_strbuf_addf(&sb, " and %zu more", l->n - max);
	return sb.buf ? aoms_strbuf_detach(&sb) : strdup("");
}

int exec_fail(char **reason, int r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!reason || *reason)
		return r;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		*reason = s;
	va_end(ap);
	return r;
}

char *exec_line_next(char **cur, bool *complete)
{
	char *line = *cur, *end;

	if (!line || !*line)
		return NULL;
	end = strchrnul(line, '\n');
	*complete = *end == '\n';
	*cur = *end ? end + 1 : end;
	*end = '\0';
	return line;
}

int exec_read_lines(int dirfd, const char *name, struct exec_strv *out)
{
	_cleanup_(freep) char *text = NULL;
	char *cur, *line;
	bool complete;
	size_t len;
	int r = exec_read_at(dirfd, name, 256u << 20, &text, &len);

	for (cur = text; r == 0 && (line = exec_line_next(&cur, &complete));)
		r = exec_strv_add(out, line);
	return r;
}
