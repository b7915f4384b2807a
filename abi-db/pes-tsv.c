/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compact PES table of tools/gen-pes-data.py: id action arches from to in out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pes.h"

extern const char aoms_pes_default_start[] __attribute__((weak));
extern const char aoms_pes_default_end[] __attribute__((weak));

#define PES_MAX_NAMES 256

static int parse_uint(const char *s, size_t len, unsigned *ret)
{
	unsigned v = 0;

	if (len == 0 || len > 9)
		return -EBADMSG;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EBADMSG;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*ret = v;
	return 0;
}

/* "M.N" or "" (0.0) */
static int parse_rel(const char *s, unsigned *major, unsigned *minor)
{
	const char *dot = strchr(s, '.');

	*major = *minor = 0;
	if (!*s)
		return 0;
	if (!dot)
		return -EBADMSG;
	if (parse_uint(s, (size_t)(dot - s), major) < 0 ||
	    parse_uint(dot + 1, strlen(dot + 1), minor) < 0)
		return -EBADMSG;
	return 0;
}

/* Splits s (modified in place) on spaces into names[]. */
static int split_names(char *s, const char **names, size_t *ret_n)
{
	char *save = NULL;
	size_t n = 0;

	for (char *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == PES_MAX_NAMES)
			return -EBADMSG;
		names[n++] = tok;
	}
	*ret_n = n;
	return 0;
}

static int parse_row(struct aoms_pes *p, char *line)
{
	char *col[7];
	const char *in[PES_MAX_NAMES], *out[PES_MAX_NAMES];
	struct aoms_pes_event e = { 0 };
	unsigned action;
	size_t n = 0;
	int r;

	for (char *s = line; n < 7; n++) {
		col[n] = s;
		s = strchr(s, '\t');
		if (!s)
			break;
		*s++ = '\0';
	}
	if (n != 6)
		return -EBADMSG;
	if (parse_uint(col[0], strlen(col[0]), &e.id) < 0 ||
	    parse_uint(col[1], strlen(col[1]), &action) < 0 || action >= _AOMS_PES_ACTION_MAX ||
	    parse_rel(col[3], &e.from_major, &e.from_minor) < 0 ||
	    parse_rel(col[4], &e.to_major, &e.to_minor) < 0)
		return -EBADMSG;
	e.action = action;
	e.arches = col[2];
	if (split_names(col[5], in, &e.n_in) < 0 || split_names(col[6], out, &e.n_out) < 0 ||
	    e.n_in == 0)
		return -EBADMSG;
	e.in = in;
	e.out = out;
	r = aoms_pes_add(p, &e);
	return r == -EINVAL ? -EBADMSG : r;
}

int aoms_pes_load_tsv(struct aoms_pes *p, const char *data, size_t len, size_t *ret_line)
{
	size_t line = 0, added = 0;

	for (size_t off = 0; off < len; ) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (data + off)) : len - off;
		_cleanup_(freep) char *row = NULL;
		int r;

		line++;
		if (n > 0 && data[off] != '#') {
			if (!(row = strndup(data + off, n)))
				return -ENOMEM;
			if (memchr(row, '\0', n) || (r = parse_row(p, row)) == -EBADMSG) {
				if (ret_line)
					*ret_line = line;
				return -EBADMSG;
			}
			if (r < 0)
				return r;
			added++;
		}
		off += n + 1;
	}
	return added > (size_t)0x7fffffff ? 0x7fffffff : (int)added;
}

int aoms_pes_load_default(struct aoms_pes *p)
{
	if (!aoms_pes_default_start || !aoms_pes_default_end)
		return -ENOENT;
	return aoms_pes_load_tsv(p, aoms_pes_default_start,
				 (size_t)(aoms_pes_default_end - aoms_pes_default_start), NULL);
}
