/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RPM version order and spellings. rpmvercmp() is RPM's algorithm (rpmio/
 * rpmvercmp.c), written again over lengths so that SQLite can sort with it
 * without copying: abi-db does not link librpm (DESIGN.md: abi-db depends on
 * common and sqlite3 only).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "abidb-private.h"
#include "strbuf.h"

static bool evr_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool evr_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct evr_cursor {
	const char *p, *end;
};

static char evr_peek(const struct evr_cursor *c)
{
	return c->p < c->end ? *c->p : '\0';
}

static void evr_skip_separators(struct evr_cursor *c)
{
	while (c->p < c->end && !evr_digit(*c->p) && !evr_alpha(*c->p) && *c->p != '~' &&
	       *c->p != '^')
		c->p++;
}

/* The length of the digit (or alpha) run at c. */
static size_t evr_run(const struct evr_cursor *c, bool digits)
{
	const char *q = c->p;

	while (q < c->end && (digits ? evr_digit(*q) : evr_alpha(*q)))
		q++;
	return (size_t)(q - c->p);
}

/* Compares the segments at a and b and moves past them; 2 when equal. */
static int evr_segment(struct evr_cursor *a, struct evr_cursor *b)
{
	bool isnum = evr_digit(*a->p);
	size_t la = evr_run(a, isnum), lb = evr_run(b, isnum);
	const char *sa = a->p, *sb = b->p;
	int rc;

	if (lb == 0) /* numeric segments are newer than alpha ones */
		return isnum ? 1 : -1;
	a->p += la;
	b->p += lb;
	if (isnum) {
		for (; la > 0 && *sa == '0'; la--)
			sa++;
		for (; lb > 0 && *sb == '0'; lb--)
			sb++;
		if (la != lb)
			return la > lb ? 1 : -1;
	}
	rc = memcmp(sa, sb, la < lb ? la : lb);
	if (rc)
		return rc < 0 ? -1 : 1;
	return la == lb ? 2 : (la < lb ? -1 : 1);
}

/* '~' sorts before anything, '^' after the end of a version but before more. */
static int evr_special(struct evr_cursor *a, struct evr_cursor *b, char sep)
{
	char ca = evr_peek(a), cb = evr_peek(b);

	if (sep == '^') {
		if (!ca)
			return -1;
		if (!cb)
			return 1;
	}
	if (ca != sep)
		return 1;
	if (cb != sep)
		return -1;
	a->p++;
	b->p++;
	return 2;
}

static int evr_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr_cursor ca = { a, a + alen }, cb = { b, b + blen };
	int rc;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	while (ca.p < ca.end || cb.p < cb.end) {
		evr_skip_separators(&ca);
		evr_skip_separators(&cb);
		if (evr_peek(&ca) == '~' || evr_peek(&cb) == '~')
			rc = evr_special(&ca, &cb, '~');
		else if (evr_peek(&ca) == '^' || evr_peek(&cb) == '^')
			rc = evr_special(&ca, &cb, '^');
		else if (!evr_peek(&ca) || !evr_peek(&cb))
			break;
		else
			rc = evr_segment(&ca, &cb);
		if (rc != 2)
			return rc;
	}
	if (!evr_peek(&ca) && !evr_peek(&cb))
		return 0;
	return evr_peek(&ca) ? 1 : -1;
}

int aoms_abidb_rpmvercmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return evr_cmp(a, strlen(a), b, strlen(b));
}

static int evr_collate(void *ud, int alen, const void *a, int blen, const void *b)
{
	return evr_cmp(a, (size_t)alen, b, (size_t)blen);
}

int aoms_abidb_register_collations(struct aoms_abidb *db)
{
	return sqlite3_create_collation(db->sql, "aoms_rpmver", SQLITE_UTF8, NULL, evr_collate);
}

/* ---- capabilities ---- */

/* "libfoo.so.1" and friends: a name holding ".so" and no '/', space or '('. */
static bool cap_is_soname(const char *s, size_t len)
{
	bool has_so = false;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '/' || s[i] == ' ' || s[i] == '(')
			return false;
		if (i + 3 <= len && memcmp(s + i, ".so", 3) == 0)
			has_so = true;
	}
	return has_so;
}

int aoms_abidb_parse_soname_capability(const char *capability, char **ret_soname,
				       char **ret_version, bool *ret_64bit)
{
	const char *open, *close, *end;
	_cleanup_(freep) char *soname = NULL, *version = NULL;
	bool is64 = false;
	size_t len;

	if (!capability)
		return -EINVAL;
	len = strlen(capability);
	end = capability + len;
	if (len > 7 && strcmp(end - 7, "(64bit)") == 0) {
		is64 = true;
		end -= 7;
	}
	open = memchr(capability, '(', (size_t)(end - capability));
	if (open) {
		close = memchr(open, ')', (size_t)(end - open));
		if (!close || close + 1 != end || memchr(open + 1, '(', (size_t)(close - open - 1)))
			return -EINVAL;
		if (close > open + 1 && !(version = strndup(open + 1, (size_t)(close - open - 1))))
			return -ENOMEM;
		end = open;
	} else if (is64) {
		return -EINVAL; /* "libfoo.so.1(64bit)" is not RPM's spelling */
	}
	if (!cap_is_soname(capability, (size_t)(end - capability)))
		return -EINVAL;
	soname = strndup(capability, (size_t)(end - capability));
	if (!soname)
		return -ENOMEM;
	*ret_soname = TAKE_PTR(soname);
	*ret_version = TAKE_PTR(version);
	*ret_64bit = is64;
	return 0;
}

char *aoms_abidb_soname_capability(const char *soname, const char *version, bool is_64bit)
{
	if (!version && !is_64bit)
		return strdup(soname);
	return aoms_strdupf("%s(%s)%s", soname, version ? version : "", is_64bit ? "(64bit)" : "");
}

int aoms_abidb_evrcmp(const char *a, const char *b)
{
	_cleanup_(freep) char *x = strdup(a ? a : ""), *y = strdup(b ? b : "");
	char *xv, *yv, *xr, *yr;
	long xe = 0, ye = 0;
	int r;

	if (!x || !y)
		return 0;
	xv = strchr(x, ':') ? (xe = strtol(x, NULL, 10), strchr(x, ':') + 1) : x;
	yv = strchr(y, ':') ? (ye = strtol(y, NULL, 10), strchr(y, ':') + 1) : y;
	if (xe != ye)
		return xe < ye ? -1 : 1;
	xr = strrchr(xv, '-');
	yr = strrchr(yv, '-');
	if (xr) *xr++ = '\0';
	if (yr) *yr++ = '\0';
	r = aoms_abidb_rpmvercmp(xv, yv);
	if (r || !xr || !yr)
		return r;
	return aoms_abidb_rpmvercmp(xr, yr);
}

bool aoms_abidb_provide_satisfies(const char *pop, const char *pevr, const char *op,
				    const char *evr)
{
	int c;

	if (!op || !*op || !pop || !*pop || !pevr)
		return true;   /* unversioned on either side: rpm says yes */
	if (strcmp(pop, "=") != 0)
		return true;   /* ranged provides are rare; do not guess */
	c = aoms_abidb_evrcmp(pevr, evr);
	if (!strcmp(op, "=")) return c == 0;
	if (!strcmp(op, "<")) return c < 0;
	if (!strcmp(op, "<=")) return c <= 0;
	if (!strcmp(op, ">")) return c > 0;
	if (!strcmp(op, ">=")) return c >= 0;
	return true;
}
