/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CO-RE records of .BTF.ext resolved against the object's own BTF (bpf-core.h).
 * The header and record layout are libbpf's (no public API reads them); every
 * offset and count is checked against the section before it is read, and every
 * type and string goes through libbpf's bounds-checked btf__type_by_id() and
 * btf__name_by_offset().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "bpf-core.h"
#include "bpf-object.h"
#include "config.h"
#include "strbuf.h"
#include "strmap.h"

static const char *const core_kind_names[_AOMS_CORE_KIND_MAX] = {
	"field_byte_offset", "field_byte_size", "field_exists", "field_signed",
	"field_lshift_u64", "field_rshift_u64", "type_id_local", "type_id_target",
	"type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches",
};

const char *aoms_bpf_core_kind_name(unsigned kind, char buf[16])
{
	if (kind < _AOMS_CORE_KIND_MAX)
		return core_kind_names[kind];
	snprintf(buf, 16, "kind %u", kind);
	return buf;
}

bool aoms_bpf_core_kind_is_probe(unsigned kind)
{
	return kind == AOMS_CORE_FIELD_EXISTS || kind == AOMS_CORE_TYPE_EXISTS ||
	       kind == AOMS_CORE_ENUMVAL_EXISTS || kind == AOMS_CORE_TYPE_MATCHES;
}

size_t aoms_bpf_core_essential_len(const char *name)
{
	size_t n = strlen(name);

	/* X___Y, X and Y not underscores: the last such separator starts the flavor */
	for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' &&
		    name[i + 3] == '_' && name[i + 4] != '_')
			return i + 1;
	return n;
}

void aoms_bpf_core_free(struct aoms_bpf_core *c)
{
	if (!c)
		return;
	aoms_arena_free(c->arena);
	free(c->relos);
	free(c);
}

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif
/* ENUM64 and btf_is_any_enum(): libbpf 1.0 */
#if defined(HAVE_LIBBPF) && defined(LIBBPF_MAJOR_VERSION) && LIBBPF_MAJOR_VERSION >= 1
#define CORE_HAVE_LIBBPF 1
#endif

#ifdef CORE_HAVE_LIBBPF
#define CORE_RECORD_MIN 16   /* struct bpf_core_relo */

const char *aoms_bpf_core_type_kind_word(unsigned type_kind)
{
	switch (type_kind) {
	case BTF_KIND_STRUCT: return "struct";
	case BTF_KIND_UNION: return "union";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: return "enum";
	case BTF_KIND_TYPEDEF: return "typedef";
	case BTF_KIND_INT: return "int";
	case BTF_KIND_FLOAT: return "float";
	case BTF_KIND_PTR: return "pointer";
	case BTF_KIND_ARRAY: return "array";
	case BTF_KIND_FUNC_PROTO: return "function";
	case BTF_KIND_FWD: return "forward";
	default: return "type";
	}
}

struct core_parse {
	const struct btf *btf;
	const unsigned char *ext;
	size_t ext_size;
	bool swap;
	struct aoms_bpf_core *c;
	struct aoms_strmap seen;   /* identity -> relocation index + 1 */
	struct aoms_strbuf key;    /* the identity of the record at hand (reused) */
	size_t cap;
	char *reason;
};

static uint32_t core_u32(const struct core_parse *p, size_t off)
{
	const unsigned char *b = p->ext + off;

	return p->swap ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
		       : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* The type id through typedefs and modifiers (libbpf bounds the chain: a loop is
 * -EINVAL), and its type; NULL when the chain breaks. */
static const struct btf_type *core_skip(const struct btf *btf, uint32_t id, uint32_t *ret_id)
{
	int r = btf__resolve_type(btf, id);

	if (r < 0)
		return NULL;
	*ret_id = (uint32_t)r;
	return btf__type_by_id(btf, (uint32_t)r);
}

/* "0:1:2" into idx[]; the count, or -1 when it is no such list. */
static int core_access(const char *s, uint32_t idx[AOMS_BPF_CORE_SPEC_MAX])
{
	int n = 0;

	if (!*s)
		return -1;
	while (*s) {
		uint64_t v = 0;

		if (n == AOMS_BPF_CORE_SPEC_MAX || *s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++)
			if ((v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
				return -1;
		idx[n++] = (uint32_t)v;
		if (*s && *s != ':')
			return -1;
		if (*s == ':' && !*++s)
			return -1;   /* a trailing ':' */
	}
	return n;
}

/* A relocation being resolved: the pieces before they are interned. */
struct core_work {
	const char *section;
	unsigned kind, type_kind;
	const char *type;
	struct aoms_bpf_core_step steps[AOMS_BPF_CORE_SPEC_MAX];
	size_t n_steps;
	const char *enumval;
	char error[160];
};

static bool core_fail(struct core_work *w, const char *fmt, ...) _printf_(2, 3);
static bool core_fail(struct core_work *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->error, sizeof(w->error), fmt, ap);
	va_end(ap);
	return false;
}

/* Field relocations: idx[0] indexes the root as an array, each later one a member
 * of a struct/union or an element of an array (libbpf's bpf_core_parse_spec()). */
static bool core_field_steps(const struct btf *btf, uint32_t type_id, const uint32_t *idx, int n,
			     struct core_work *w)
{
	uint32_t id;
	const struct btf_type *t = core_skip(btf, type_id, &id);

	if (!t)
		return core_fail(w, "type [%u] does not resolve", type_id);
	for (int i = 1; i < n; i++) {
		if (btf_is_composite(t)) {
			const struct btf_member *m;
			const char *name;

			if (idx[i] >= btf_vlen(t))
				return core_fail(w, "member %u of [%u], which has %u", idx[i], id,
						 btf_vlen(t));
			m = btf_members(t) + idx[i];
			name = btf__name_by_offset(btf, m->name_off);
			if (!name)
				return core_fail(w, "member %u of [%u] has a bad name", idx[i], id);
			if (*name)   /* anonymous members are not part of the named path */
				w->steps[w->n_steps++] = (struct aoms_bpf_core_step){ name, idx[i] };
			t = core_skip(btf, m->type, &id);
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);

			if (a->nelems && idx[i] >= a->nelems)
				return core_fail(w, "element %u of an array of %u", idx[i], a->nelems);
			w->steps[w->n_steps++] = (struct aoms_bpf_core_step){ NULL, idx[i] };
			t = core_skip(btf, a->type, &id);
		} else {
			return core_fail(w, "access %d goes into [%u], neither struct nor array", i, id);
		}
		if (!t)
			return core_fail(w, "a member's type does not resolve");
	}
	return true;
}

/* Resolves one record into w; false with w->error set when it does not. */
static bool core_resolve(const struct btf *btf, uint32_t type_id, const char *access,
			 struct core_work *w)
{
	uint32_t idx[AOMS_BPF_CORE_SPEC_MAX], id;
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	int n;

	if (!t || !type_id)
		return core_fail(w, "type id %u is not in the object's BTF", type_id);
	w->type_kind = btf_kind(t);
	w->type = btf__name_by_offset(btf, t->name_off);
	if (!w->type)
		return core_fail(w, "type [%u] has a bad name", type_id);
	if (!access)
		return core_fail(w, "the access string lies outside the BTF strings");
	n = core_access(access, idx);
	if (n < 0)
		return core_fail(w, "bad access string \"%.40s\"", access);
	if (w->kind >= _AOMS_CORE_KIND_MAX)
		return core_fail(w, "unknown relocation kind %u", w->kind);
	if ((w->kind >= AOMS_CORE_TYPE_ID_LOCAL && w->kind <= AOMS_CORE_TYPE_SIZE) ||
	    w->kind == AOMS_CORE_TYPE_MATCHES)
		return n == 1 && idx[0] == 0 ? true : core_fail(w, "a type relocation accesses \"%.40s\"", access);
	if (w->kind == AOMS_CORE_ENUMVAL_EXISTS || w->kind == AOMS_CORE_ENUMVAL_VALUE) {
		t = core_skip(btf, type_id, &id);
		if (!t || !btf_is_any_enum(t) || n != 1)
			return core_fail(w, "an enum relocation on [%u], which is no enum", type_id);
		if (idx[0] >= btf_vlen(t))
			return core_fail(w, "enumerator %u of [%u], which has %u", idx[0], id, btf_vlen(t));
		w->enumval = btf__name_by_offset(btf, btf_is_enum(t) ? btf_enum(t)[idx[0]].name_off
								     : btf_enum64(t)[idx[0]].name_off);
		return w->enumval ? true : core_fail(w, "enumerator %u has a bad name", idx[0]);
	}
	return core_field_steps(btf, type_id, idx, n, w);
}

/* Appends "mm.arg_start", "args[1].x" to sb. */
static int core_path(const struct core_work *w, struct aoms_strbuf *sb)
{
	size_t from = sb->len;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < w->n_steps; i++) {
		if (w->steps[i].name)
			r = aoms_strbuf_addf(sb, "%s%s", sb->len > from ? "." : "", w->steps[i].name);
		else
			r = aoms_strbuf_addf(sb, "[%u]", w->steps[i].index);
	}
	return r;
}

/* Interns w (folding an identical relocation of the same section: only new ones
 * take memory; the identity is built in p->key, so a folded record allocates
 * nothing). */
static int core_add(struct core_parse *p, const struct core_work *w)
{
	struct aoms_bpf_core *c = p->c;
	struct aoms_arena *a = c->arena;
	struct aoms_strbuf *k = &p->key;
	struct aoms_bpf_core_relo *r;
	size_t path_at, path_len, hit;
	char *path, *key;

	/* section \n kind \n type kind \n type \n path \n enumerator \n error */
	aoms_strbuf_reset(k);
	if (aoms_strbuf_addf(k, "%s\n%u\n%u\n%s\n", w->section, w->kind, w->type_kind,
			     w->type ? w->type : "") < 0)
		return -ENOMEM;
	path_at = k->len;
	if (core_path(w, k) < 0)
		return -ENOMEM;
	path_len = k->len - path_at;
	if (aoms_strbuf_addf(k, "\n%s\n%s", w->enumval ? w->enumval : "", w->error) < 0)
		return -ENOMEM;
	hit = (size_t)(uintptr_t)aoms_strmap_get(&p->seen, aoms_strbuf_str(k));
	if (hit) {
		c->relos[hit - 1].count++;
		return 0;
	}
	if (c->n_relos >= AOMS_BPF_CORE_MAX) {
		c->n_dropped++;
		return 0;
	}
	path = aoms_arena_strndup(a, aoms_strbuf_str(k) + path_at, path_len);
	key = aoms_arena_strdup(a, aoms_strbuf_str(k));
	if (!path || !key)
		return -ENOMEM;
	if (c->n_relos == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct aoms_bpf_core_relo *n = realloc(c->relos, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->relos = n;
		p->cap = cap;
	}
	r = &c->relos[c->n_relos];
	*r = (struct aoms_bpf_core_relo){ .kind = w->kind, .type_kind = w->type_kind, .path = path,
					  .n_steps = w->n_steps, .count = 1 };
	r->section = aoms_arena_strdup(a, w->section);
	r->type = aoms_arena_strdup(a, w->type ? w->type : "");
	r->enumval = w->enumval ? aoms_arena_strdup(a, w->enumval) : NULL;
	r->error = *w->error ? aoms_arena_strdup(a, w->error) : NULL;
	r->steps = aoms_arena_alloc(a, (w->n_steps ? w->n_steps : 1) * sizeof(*r->steps));
	if (!r->section || !r->type || (w->enumval && !r->enumval) || (*w->error && !r->error) ||
	    !r->steps)
		return -ENOMEM;
	for (size_t i = 0; i < w->n_steps; i++) {
		r->steps[i].index = w->steps[i].index;
		if (w->steps[i].name && !(r->steps[i].name = aoms_arena_strdup(a, w->steps[i].name)))
			return -ENOMEM;
	}
	c->n_relos++;
	return aoms_strmap_put(&p->seen, key, (void *)(uintptr_t)c->n_relos);
}

static int core_bad(struct core_parse *p, const char *fmt, ...) _printf_(2, 3);
static int core_bad(struct core_parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!p->reason && vasprintf(&p->reason, fmt, ap) < 0)
		p->reason = NULL;
	va_end(ap);
	return -EBADMSG;
}

/* The records of one section: [pos, pos + n * rec) inside the subsection. */
static int core_section(struct core_parse *p, size_t pos, uint64_t n, uint32_t rec,
			const char *section)
{
	for (uint64_t i = 0; i < n; i++, pos += rec) {
		struct core_work w = { .section = section, .kind = core_u32(p, pos + 12) };
		int r;

		if (p->c->n_records >= AOMS_BPF_CORE_MAX_RECORDS) {
			p->c->n_dropped += n - i;
			return 0;
		}
		p->c->n_records++;
		core_resolve(p->btf, core_u32(p, pos + 4),
			     btf__name_by_offset(p->btf, core_u32(p, pos + 8)), &w);
		r = core_add(p, &w);
		if (r < 0)
			return r;
	}
	return 0;
}

/* .BTF.ext: {magic, version, flags, hdr_len, func_info off/len, line_info off/len,
 * core_relo off/len}, offsets after the header; the subsection is a u32 record size
 * then {sec_name_off, num_info, records} until its end. */
static int core_ext(struct core_parse *p)
{
	uint64_t hdr, off, len, pos, end;
	uint32_t rec;
	int r;

	if (p->ext_size < 24)
		return core_bad(p, ".BTF.ext is shorter than its header");
	if (p->ext[0] == 0xeb && p->ext[1] == 0x9f)
		p->swap = true;
	else if (p->ext[0] != 0x9f || p->ext[1] != 0xeb)
		return core_bad(p, ".BTF.ext has no BTF magic");
	hdr = core_u32(p, 4);
	if (hdr > p->ext_size || hdr < 24)
		return core_bad(p, ".BTF.ext header length %llu does not fit", (unsigned long long)hdr);
	if (hdr < 32)
		return 0;   /* no CO-RE subsection */
	off = core_u32(p, 24);
	len = core_u32(p, 28);
	if (!len)
		return 0;
	if (len < 4 || hdr + off + len > p->ext_size)
		return core_bad(p, ".BTF.ext CO-RE records lie past the section's end");
	pos = hdr + off;
	end = pos + len;
	rec = core_u32(p, pos);
	pos += 4;
	if (rec < CORE_RECORD_MIN)
		return core_bad(p, ".BTF.ext CO-RE record size %u is below 16", rec);
	while (pos < end) {
		uint64_t n;
		const char *sec;

		if (end - pos < 8)
			return core_bad(p, ".BTF.ext CO-RE section header cut short");
		sec = btf__name_by_offset(p->btf, core_u32(p, pos));
		n = core_u32(p, pos + 4);
		pos += 8;
		if (n > (end - pos) / rec)
			return core_bad(p, ".BTF.ext CO-RE records of section %u lie past the end",
					core_u32(p, pos - 8));
		r = core_section(p, (size_t)pos, n, rec, sec && *sec ? sec : "(unnamed section)");
		if (r < 0)
			return r;
		pos += n * rec;
	}
	return 0;
}

int aoms_bpf_core_parse(const void *btf_data, size_t btf_size, const void *ext, size_t ext_size,
			struct aoms_bpf_core **ret, char **ret_reason)
{
	struct core_parse p = { .ext = ext, .ext_size = ext_size };
	struct btf *btf;
	int r;

	if (ret_reason)
		*ret_reason = NULL;
	if (!ext)
		return -EBADMSG;
	r = aoms_bpf_btf_new(btf_data, btf_size, "the object's", &btf, ret_reason);
	if (r < 0)
		return r;
	p.btf = btf;
	p.c = calloc(1, sizeof(*p.c));
	r = p.c && aoms_arena_new(&p.c->arena) >= 0 ? core_ext(&p) : -ENOMEM;
	btf__free(btf);
	aoms_strmap_release(&p.seen);
	aoms_strbuf_release(&p.key);
	if (r < 0) {
		aoms_bpf_core_free(p.c);
		if (r == -EBADMSG && ret_reason)
			*ret_reason = p.reason, p.reason = NULL;
		free(p.reason);
		return r;
	}
	*ret = p.c;
	return 0;
}

#else

const char *aoms_bpf_core_type_kind_word(unsigned type_kind)
{
	(void)type_kind;
	return "type";
}

int aoms_bpf_core_parse(const void *btf, size_t btf_size, const void *ext, size_t ext_size,
			struct aoms_bpf_core **ret, char **ret_reason)
{
	(void)btf, (void)btf_size, (void)ext, (void)ext_size, (void)ret;
	if (ret_reason)
		*ret_reason = NULL;
	return -EOPNOTSUPP;
}

#endif
