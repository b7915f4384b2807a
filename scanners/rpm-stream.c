/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Records between a package-reading child and its parent (see rpm-stream.h).
 * Strings are {u32 length, bytes}; a length of UINT32_MAX is NULL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "rpm-stream.h"

#define NULL_STR UINT32_MAX

/* RPMSENSE-free operator spelling <-> index (what rpm-common.c produces). */
static const char *const ops[] = { "", "<", ">", "=", "<=", ">=" };

int aoms_rpm_rec_head_check(const struct aoms_rpm_rec_head *h, uint64_t max_data)
{
	uint64_t max;

	switch (h->type) {
	case AOMS_RPM_REC_PKG: max = AOMS_RPM_REC_MAX_PKG; break;
	case AOMS_RPM_REC_FILE:
	case AOMS_RPM_REC_LINK:
	case AOMS_RPM_REC_ERROR: max = AOMS_RPM_REC_MAX_SMALL; break;
	case AOMS_RPM_REC_DATA: max = max_data; break;
	case AOMS_RPM_REC_END: max = 0; break;
	default: return -EBADMSG;
	}
	return h->zero == 0 && h->len <= max ? 0 : -EBADMSG;
}

/* ---- encoding (the child) ---- */

static int put(struct aoms_strbuf *o, const void *p, size_t n)
{
	return aoms_strbuf_add(o, p, n);
}

static int put_u32(struct aoms_strbuf *o, uint32_t v) { return put(o, &v, sizeof(v)); }
static int put_u64(struct aoms_strbuf *o, uint64_t v) { return put(o, &v, sizeof(v)); }

static int put_str(struct aoms_strbuf *o, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!s)
		return put_u32(o, NULL_STR);
	if (n >= NULL_STR)
		return -ENOMEM;
	return put_u32(o, (uint32_t)n) < 0 ? -ENOMEM : put(o, s, n);
}

int aoms_rpm_rec_put_head(struct aoms_strbuf *out, enum aoms_rpm_rec_type type, uint64_t len)
{
	struct aoms_rpm_rec_head h = { (uint32_t)type, 0, len };

	return put(out, &h, sizeof(h));
}

/* Appends a head for the body that follows from offset start, then patches its length. */
static size_t head_begin(struct aoms_strbuf *o, enum aoms_rpm_rec_type type, int *r)
{
	size_t at = o->len;

	*r = aoms_rpm_rec_put_head(o, type, 0);
	return at;
}

static int head_end(struct aoms_strbuf *o, size_t at, int r)
{
	uint64_t len;

	if (r < 0)
		return -ENOMEM;
	len = o->len - at - sizeof(struct aoms_rpm_rec_head);
	memcpy(o->buf + at + offsetof(struct aoms_rpm_rec_head, len), &len, sizeof(len));
	return 0;
}

static int op_index(const char *op)
{
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (strcmp(op ? op : "", ops[i]) == 0)
			return (int)i;
	return 0;
}

static int put_deps(struct aoms_strbuf *o, const struct aoms_rpm_dep *d, size_t n)
{
	int r = put_u32(o, (uint32_t)n);

	for (size_t i = 0; r >= 0 && i < n; i++) {
		unsigned char b[2] = { (unsigned char)op_index(d[i].op), d[i].rpmlib };

		r = put_str(o, d[i].name);
		r = r < 0 ? r : put_str(o, d[i].evr);
		r = r < 0 ? r : put(o, b, sizeof(b));
	}
	return r;
}

static int put_entry(struct aoms_strbuf *o, const struct aoms_rpm_file_entry *f)
{
	int r = put_str(o, f->path);

	r = r < 0 ? r : put_u32(o, (uint32_t)f->mode);
	r = r < 0 ? r : put_u64(o, f->size);
	return r < 0 ? r : put_str(o, f->link);
}

int aoms_rpm_rec_put_pkg(struct aoms_strbuf *out, const struct aoms_rpm_pkg *p)
{
	int r;
	size_t at = head_begin(out, AOMS_RPM_REC_PKG, &r);
	const char *s[] = { p->name, p->epoch, p->version, p->release, p->arch, p->nevra };

	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(s); i++)
		r = put_str(out, s[i]);
	r = r < 0 ? r : put_deps(out, p->provides, p->n_provides);
	r = r < 0 ? r : put_deps(out, p->requires, p->n_requires);
	r = r < 0 ? r : put_u32(out, (uint32_t)p->n_files);
	for (size_t i = 0; r >= 0 && i < p->n_files; i++)
		r = put_entry(out, &p->files[i]);
	return head_end(out, at, r);
}

int aoms_rpm_rec_put_file(struct aoms_strbuf *out, enum aoms_rpm_rec_type type,
			  const struct aoms_rpm_file_entry *f)
{
	int r;
	size_t at = head_begin(out, type, &r);

	r = r < 0 ? r : put_entry(out, f);
	return head_end(out, at, r);
}

int aoms_rpm_rec_put_error(struct aoms_strbuf *out, int err, const char *reason)
{
	int r;
	size_t at = head_begin(out, AOMS_RPM_REC_ERROR, &r);
	char cut[1024];

	snprintf(cut, sizeof(cut), "%s", reason ? reason : "");
	r = r < 0 ? r : put_u32(out, (uint32_t)err);
	r = r < 0 ? r : put_str(out, cut);
	return head_end(out, at, r);
}

/* ---- decoding (the parent) ---- */

struct cursor {
	const unsigned char *p;
	size_t left;
	struct aoms_arena *arena;
	int err;
};

static const void *take(struct cursor *c, size_t n)
{
	const void *p = c->p;

	if (c->err || n > c->left) {
		c->err = -EBADMSG;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static uint32_t get_u32(struct cursor *c)
{
	const void *p = take(c, sizeof(uint32_t));
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get_u64(struct cursor *c)
{
	const void *p = take(c, sizeof(uint64_t));
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

static const char *get_str(struct cursor *c, bool nullable)
{
	uint32_t n = get_u32(c);
	const char *s;
	char *copy;

	if (c->err)
		return NULL;
	if (n == NULL_STR) {
		if (!nullable)
			c->err = -EBADMSG;
		return NULL;
	}
	s = take(c, n);
	if (!s)
		return NULL;
	if (memchr(s, 0, n)) {
		c->err = -EBADMSG;
		return NULL;
	}
	copy = aoms_arena_strndup(c->arena, s, n);
	if (!copy)
		c->err = -ENOMEM;
	return copy;
}

/* A count of items of at least min bytes each that the rest of the body can hold. */
static size_t get_count(struct cursor *c, size_t min)
{
	uint32_t n = get_u32(c);

	if (!c->err && n > c->left / min)
		c->err = -EBADMSG;
	return c->err ? 0 : n;
}

static int get_deps(struct cursor *c, struct aoms_rpm_dep **ret, size_t *ret_n)
{
	size_t n = get_count(c, 2 * sizeof(uint32_t) + 2);
	struct aoms_rpm_dep *d = n ? aoms_arena_alloc(c->arena, n * sizeof(*d)) : NULL;

	if (n && !d)
		return -ENOMEM;
	for (size_t i = 0; !c->err && i < n; i++) {
		const unsigned char *b;

		d[i].name = get_str(c, false);
		d[i].evr = get_str(c, false);
		b = take(c, 2);
		if (b && (b[0] >= ARRAY_SIZE(ops) || b[1] > 1))
			c->err = -EBADMSG;
		if (!c->err) {
			d[i].op = ops[b[0]];
			d[i].rpmlib = b[1];
		}
	}
	*ret = d;
	*ret_n = c->err ? 0 : n;
	return c->err;
}

static void get_entry(struct cursor *c, struct aoms_rpm_file_entry *f)
{
	f->path = get_str(c, false);
	f->mode = (mode_t)get_u32(c);
	f->size = get_u64(c);
	f->link = get_str(c, true);
}

int aoms_rpm_rec_get_pkg(const void *body, size_t n, struct aoms_arena *arena,
			 struct aoms_rpm_pkg *ret)
{
	struct cursor c = { body, n, arena, 0 };
	struct aoms_rpm_pkg p = { 0 };
	size_t nf;

	p.name = get_str(&c, false);
	p.epoch = get_str(&c, true);
	p.version = get_str(&c, false);
	p.release = get_str(&c, false);
	p.arch = get_str(&c, false);
	p.nevra = get_str(&c, false);
	if (!c.err)
		get_deps(&c, &p.provides, &p.n_provides);
	if (!c.err)
		get_deps(&c, &p.requires, &p.n_requires);
	nf = get_count(&c, 3 * sizeof(uint32_t) + sizeof(uint64_t));
	if (!c.err && nf && !(p.files = aoms_arena_alloc(arena, nf * sizeof(*p.files))))
		return -ENOMEM;
	for (size_t i = 0; !c.err && i < nf; i++)
		get_entry(&c, &p.files[i]);
	if (!c.err && c.left)
		c.err = -EBADMSG;
	if (c.err)
		return c.err;
	p.n_files = nf;
	*ret = p;
	return 0;
}

int aoms_rpm_rec_get_file(const void *body, size_t n, struct aoms_arena *arena,
			  struct aoms_rpm_file_entry *ret)
{
	struct cursor c = { body, n, arena, 0 };
	struct aoms_rpm_file_entry f = { 0 };

	get_entry(&c, &f);
	if (!c.err && c.left)
		c.err = -EBADMSG;
	if (c.err)
		return c.err;
	*ret = f;
	return 0;
}

int aoms_rpm_rec_get_error(const void *body, size_t n, int *ret_err, char **ret_reason)
{
	_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
	struct cursor c = { body, n, NULL, 0 };
	uint32_t err;
	const char *reason;

	if (aoms_arena_new(&a) < 0)
		return -ENOMEM;
	c.arena = a;
	err = get_u32(&c);
	reason = get_str(&c, false);
	if (!c.err && c.left)
		c.err = -EBADMSG;
	if (c.err)
		return c.err;
	*ret_reason = strdup(reason);
	if (!*ret_reason)
		return -ENOMEM;
	*ret_err = err > 0 && err < 4096 ? (int)err : EBADMSG;
	return 0;
}
