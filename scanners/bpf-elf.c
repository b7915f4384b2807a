/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eBPF object read through the ELF layer (bpf-object.h): works without libbpf
 * and gives what libbpf's open does not (kfunc names, call counts). Every read is
 * bounded by the section it reads; a damaged table is -EBADMSG with a reason.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bpf-core.h"
#include "bpf-object.h"
#include "elfio.h"
#include "grow.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define BPF_INSN_CALL 0x85      /* BPF_JMP | BPF_CALL */
#define BPF_INSN_LD_IMM64 0x18  /* BPF_LD | BPF_IMM | BPF_DW: two slots */
#define BPF_BTF_MAGIC 0xeB9F
#define BPF_MAX_UNKNOWN_HELPERS 64

struct bpf_sym {
	const char *name;
	size_t shndx;
	uint64_t value, size;
	unsigned type, bind;
};

/* A call instruction relocated against an undefined symbol: a kfunc. */
struct bpf_extern_call {
	size_t shndx;
	uint64_t offset;
	const char *name;
};

struct bpf_elf {
	struct aoms_elfio *e;
	struct aoms_bpf_object *o;
	bool big_endian;
	struct bpf_sym *syms;
	size_t n_syms;
	struct bpf_extern_call *ext;
	size_t n_ext, cap_ext;
	uint8_t helper_seen[AOMS_BPF_MAX_HELPER_ID / 8];
	int unknown_helpers[BPF_MAX_UNKNOWN_HELPERS];
	size_t n_unknown_helpers;
	char *reason;
};

static uint32_t bpf_u32(const struct bpf_elf *b, const unsigned char *p)
{
	return b->big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
			     : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t bpf_u16(const struct bpf_elf *b, const unsigned char *p)
{
	return b->big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static int bpf_fail(struct bpf_elf *b, const char *fmt, ...) _printf_(2, 3);
static int bpf_fail(struct bpf_elf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!b->reason && vasprintf(&b->reason, fmt, ap) < 0)
		b->reason = NULL;
	va_end(ap);
	return -EBADMSG;
}

static int strv_add_unique(char ***v, size_t *n, const char *s)
{
	char **nv;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return 0;
	if (*n >= AOMS_BPF_MAX_ITEMS)
		return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int strv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- symbols and relocations ---- */

static int bpf_sym_fn(const GElf_Sym *sym, size_t index, const char *name, void *ud)
{
	struct bpf_elf *b = ud;

	if (index >= b->n_syms)
		return 0;
	b->syms[index] = (struct bpf_sym){ .name = name, .shndx = sym->st_shndx,
					   .value = sym->st_value, .size = sym->st_size,
					   .type = GELF_ST_TYPE(sym->st_info),
					   .bind = GELF_ST_BIND(sym->st_info) };
	return 0;
}

static int bpf_read_symbols(struct bpf_elf *b)
{
	struct aoms_elfio_section st;
	int r = aoms_elfio_find_section_type(b->e, SHT_SYMTAB, &st);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (!st.shdr.sh_entsize || st.shdr.sh_size / st.shdr.sh_entsize > aoms_elfio_size(b->e))
		return bpf_fail(b, "bad symbol table %s", st.name);
	b->n_syms = st.shdr.sh_size / st.shdr.sh_entsize;
	b->syms = calloc(b->n_syms ? b->n_syms : 1, sizeof(*b->syms));
	if (!b->syms)
		return -ENOMEM;
	return aoms_elfio_foreach_symbol(b->e, &st, bpf_sym_fn, b);
}

struct bpf_reloc_walk {
	struct bpf_elf *b;
	size_t target;
};

static int bpf_reloc_fn(const struct aoms_elfio_reloc *rl, void *ud)
{
	struct bpf_reloc_walk *w = ud;
	struct bpf_elf *b = w->b;
	const struct bpf_sym *s;

	if (rl->sym == 0 || rl->sym >= b->n_syms)
		return 0;
	s = &b->syms[rl->sym];
	if (s->shndx != SHN_UNDEF || !*s->name)
		return 0;
	if (aoms_grow((void **)&b->ext, &b->cap_ext, b->n_ext, sizeof(*b->ext)) < 0)
		return -ENOMEM;
	b->ext[b->n_ext++] = (struct bpf_extern_call){ w->target, rl->offset, s->name };
	return 0;
}

static int bpf_ext_cmp(const void *x, const void *y)
{
	const struct bpf_extern_call *a = x, *b = y;

	if (a->shndx != b->shndx)
		return a->shndx < b->shndx ? -1 : 1;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static const char *bpf_extern_at(const struct bpf_elf *b, size_t shndx, uint64_t offset)
{
	struct bpf_extern_call key = { shndx, offset, NULL }, *hit;

	hit = b->n_ext ? bsearch(&key, b->ext, b->n_ext, sizeof(key), bpf_ext_cmp) : NULL;
	return hit ? hit->name : NULL;
}

static int bpf_read_relocs(struct bpf_elf *b)
{
	size_t n = aoms_elfio_n_sections(b->e);

	for (size_t i = 1; i < n; i++) {
		struct aoms_elfio_section s;
		struct bpf_reloc_walk w = { b, 0 };
		int r = aoms_elfio_section_at(b->e, i, &s);

		if (r < 0)
			return r;
		if (s.shdr.sh_type != SHT_REL && s.shdr.sh_type != SHT_RELA)
			continue;
		w.target = s.shdr.sh_info;
		r = aoms_elfio_foreach_reloc(b->e, &s, bpf_reloc_fn, &w);
		if (r < 0)
			return r;
	}
	if (b->n_ext)
		qsort(b->ext, b->n_ext, sizeof(*b->ext), bpf_ext_cmp);
	return 0;
}

/* ---- instructions ---- */

static void bpf_add_helper(struct bpf_elf *b, int32_t id)
{
	if (id >= 0 && id < AOMS_BPF_MAX_HELPER_ID) {
		b->helper_seen[id / 8] |= (uint8_t)(1u << (id % 8));
		return;
	}
	for (size_t i = 0; i < b->n_unknown_helpers; i++)
		if (b->unknown_helpers[i] == id)
			return;
	if (b->n_unknown_helpers < BPF_MAX_UNKNOWN_HELPERS)
		b->unknown_helpers[b->n_unknown_helpers++] = id;
}

static int bpf_decode_call(struct bpf_elf *b, size_t shndx, uint64_t off, unsigned src,
			   int32_t imm)
{
	struct aoms_bpf_object *o = b->o;
	const char *ext;
	char buf[32];

	switch (src) {
	case 0:
		o->n_helper_calls++;
		bpf_add_helper(b, imm);
		return 0;
	case 1:  /* BPF_PSEUDO_CALL: a kfunc while unresolved, else a subprogram */
		ext = bpf_extern_at(b, shndx, off);
		if (!ext) {
			o->n_bpf_calls++;
			return 0;
		}
		o->n_kfunc_calls++;
		return strv_add_unique(&o->kfuncs, &o->n_kfuncs, ext);
	case 2:  /* BPF_PSEUDO_KFUNC_CALL: imm is a BTF id */
		o->n_kfunc_calls++;
		snprintf(buf, sizeof(buf), "btf_id:%d", imm);
		return strv_add_unique(&o->kfuncs, &o->n_kfuncs, buf);
	default:
		return 0;
	}
}

static int bpf_decode_section(struct bpf_elf *b, const struct aoms_elfio_section *s)
{
	struct aoms_bpf_object *o = b->o;
	Elf_Data *d;
	const unsigned char *p;
	uint64_t n, room;
	int r = aoms_elfio_section_data(b->e, s, &d);

	if (r < 0)
		return r == -ENODATA ? 0 : r;
	if (!d->d_size)
		return 0;
	if (!d->d_buf || d->d_size % 8)
		return bpf_fail(b, "section %s is not a whole number of instructions", s->name);
	n = d->d_size / 8;
	o->n_insns += n;
	room = o->n_insns > AOMS_BPF_MAX_INSNS ? 0 : AOMS_BPF_MAX_INSNS - (o->n_insns - n);
	if (n > room) {
		o->insns_truncated = true;
		n = room;
	}
	p = d->d_buf;
	for (uint64_t i = 0; i < n; i++) {
		const unsigned char *insn = p + i * 8;
		unsigned src = b->big_endian ? insn[1] & 0xf : insn[1] >> 4;

		if (insn[0] == BPF_INSN_LD_IMM64)
			i++;
		else if (insn[0] == BPF_INSN_CALL &&
			 (r = bpf_decode_call(b, s->index, i * 8, src, (int32_t)bpf_u32(b, insn + 4))) < 0)
			return r;
	}
	return 0;
}

/* ---- programs ---- */

static int bpf_add_prog(struct aoms_bpf_object *o, const char *name, const char *section,
			uint64_t insns)
{
	struct aoms_bpf_prog *n, *p;

	if (o->n_progs >= AOMS_BPF_MAX_ITEMS)
		return 0;
	n = realloc(o->progs, (o->n_progs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	o->progs = n;
	p = &n[o->n_progs];
	*p = (struct aoms_bpf_prog){ .insn_cnt = insns, .attach_type = -1 };
	p->type = aoms_bpf_section_prog_type(section, &p->attach_type);
	p->name = strdup(name);
	p->section = strdup(section);
	o->n_progs++;
	if (!p->name || !p->section)
		return -ENOMEM;
	if (insns > o->max_prog_insns)
		o->max_prog_insns = insns;
	return 0;
}

/* The global functions of an executable section other than .text are its programs
 * (libbpf 0.7+); an older object's section is one program. */
static int bpf_section_programs(struct bpf_elf *b, const struct aoms_elfio_section *s)
{
	uint64_t total = s->shdr.sh_size / 8;
	size_t found = 0;
	int r;

	if (strcmp(s->name, ".text") == 0 || s->shdr.sh_type != SHT_PROGBITS || !total)
		return 0;
	for (size_t i = 1; i < b->n_syms; i++) {
		const struct bpf_sym *y = &b->syms[i];

		if (y->shndx != s->index || y->type != STT_FUNC || y->bind == STB_LOCAL ||
		    !*y->name)
			continue;
		r = bpf_add_prog(b->o, y->name, s->name, y->size ? y->size / 8 : total);
		if (r < 0)
			return r;
		found++;
	}
	return found ? 0 : bpf_add_prog(b->o, s->name, s->name, total);
}

/* ---- maps, data, license, BTF ---- */

static int bpf_add_map(struct aoms_bpf_object *o, const char *name, const char *section, int type)
{
	struct aoms_bpf_map *n;

	if (o->n_maps >= AOMS_BPF_MAX_ITEMS)
		return 0;
	n = realloc(o->maps, (o->n_maps + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	o->maps = n;
	n[o->n_maps] = (struct aoms_bpf_map){ .name = strdup(name), .section = strdup(section),
					      .type = type };
	o->n_maps++;
	return n[o->n_maps - 1].name && n[o->n_maps - 1].section ? 0 : -ENOMEM;
}

/* "maps": struct bpf_map_def per symbol, its first u32 the type; ".maps": BTF-defined,
 * the type is in BTF (libbpf reads it). */
static int bpf_section_maps(struct bpf_elf *b, const struct aoms_elfio_section *s, bool legacy)
{
	Elf_Data *d = NULL;
	int r;

	if (legacy && (r = aoms_elfio_section_data(b->e, s, &d)) < 0)
		return r == -ENODATA ? bpf_fail(b, "maps section %s has no data", s->name) : r;
	for (size_t i = 1; i < b->n_syms; i++) {
		const struct bpf_sym *y = &b->syms[i];
		int type = -1;

		if (y->shndx != s->index || !*y->name || y->type == STT_SECTION)
			continue;
		if (legacy) {
			if (y->value > d->d_size || d->d_size - y->value < 4)
				return bpf_fail(b, "map '%s' lies outside its section", y->name);
			type = (int)bpf_u32(b, (const unsigned char *)d->d_buf + y->value);
		}
		r = bpf_add_map(b->o, y->name, s->name, type);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool bpf_is_data_section(const char *name)
{
	static const char *const prefixes[] = { ".data", ".rodata", ".bss" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(name, prefixes[i], n) == 0 && (!name[n] || name[n] == '.'))
			return true;
	}
	return false;
}

static int bpf_read_license(struct bpf_elf *b, const struct aoms_elfio_section *s)
{
	Elf_Data *d;
	int r = aoms_elfio_section_data(b->e, s, &d);

	if (r < 0)
		return r == -ENODATA ? 0 : r;
	free(b->o->license);
	b->o->license = strndup(d->d_buf ? d->d_buf : "", d->d_size < 128 ? d->d_size : 128);
	return b->o->license ? 0 : -ENOMEM;
}

/* The .BTF header: magic, version, flags, hdr_len, type_off/len, str_off/len, all
 * inside the section. */
static int bpf_check_btf(struct bpf_elf *b, const struct aoms_elfio_section *s)
{
	Elf_Data *d;
	const unsigned char *p;
	uint64_t hdr, end;
	int r = aoms_elfio_section_data(b->e, s, &d);

	if (r < 0)
		return r;
	p = d->d_buf;
	if (!p || d->d_size < 24 || bpf_u16(b, p) != BPF_BTF_MAGIC)
		return bpf_fail(b, "corrupt BTF: section %s has no BTF header", s->name);
	hdr = bpf_u32(b, p + 4);
	end = hdr + (uint64_t)bpf_u32(b, p + 16) + bpf_u32(b, p + 20);
	if (hdr < 24 || hdr > d->d_size || end > d->d_size ||
	    hdr + (uint64_t)bpf_u32(b, p + 8) + bpf_u32(b, p + 12) > d->d_size)
		return bpf_fail(b, "corrupt BTF: section %s has types or strings past its end",
				s->name);
	b->o->has_btf = true;
	return 0;
}

/* .BTF.ext: the CO-RE relocation subsection (hdr_len >= 32): u32 record size,
 * then per section {name_off, num_info, records}. */
static int bpf_read_btf_ext(struct bpf_elf *b, const struct aoms_elfio_section *s)
{
	Elf_Data *d;
	const unsigned char *p;
	uint64_t hdr, off, len, pos, end, rec;
	int r = aoms_elfio_section_data(b->e, s, &d);

	if (r < 0)
		return r;
	p = d->d_buf;
	if (!p || d->d_size < 24 || bpf_u16(b, p) != BPF_BTF_MAGIC)
		return bpf_fail(b, "corrupt BTF: section %s has no BTF.ext header", s->name);
	b->o->has_btf_ext = true;
	hdr = bpf_u32(b, p + 4);
	if (hdr < 32 || hdr > d->d_size)
		return hdr > d->d_size ? bpf_fail(b, "corrupt BTF: %s header past its end", s->name) : 0;
	off = bpf_u32(b, p + 24);
	len = bpf_u32(b, p + 28);
	if (!len)
		return 0;
	if (hdr + off + len > d->d_size || len < 4)
		return bpf_fail(b, "corrupt BTF: %s CO-RE records past its end", s->name);
	pos = hdr + off;
	end = pos + len;
	rec = bpf_u32(b, p + pos);
	pos += 4;
	if (rec < 16)
		return bpf_fail(b, "corrupt BTF: %s CO-RE record size too small", s->name);
	while (pos + 8 <= end) {
		uint64_t n = bpf_u32(b, p + pos + 4);

		pos += 8;
		if (n > (end - pos) / rec)
			return bpf_fail(b, "corrupt BTF: %s CO-RE records past their end", s->name);
		pos += n * rec;
		b->o->n_core_relos += (uint32_t)(n > UINT32_MAX - b->o->n_core_relos
						 ? UINT32_MAX - b->o->n_core_relos : n);
	}
	return 0;
}

static int bpf_read_section(struct bpf_elf *b, const struct aoms_elfio_section *s)
{
	const char *n = s->name;
	int r;

	if (s->shdr.sh_flags & SHF_EXECINSTR) {
		r = bpf_section_programs(b, s);
		return r < 0 ? r : bpf_decode_section(b, s);
	}
	if (strcmp(n, "maps") == 0 || strcmp(n, ".maps") == 0)
		return bpf_section_maps(b, s, n[0] != '.');
	if (strcmp(n, "license") == 0)
		return bpf_read_license(b, s);
	if (strcmp(n, ".BTF") == 0)
		return bpf_check_btf(b, s);
	if (strcmp(n, ".BTF.ext") == 0)
		return bpf_read_btf_ext(b, s);
	if (bpf_is_data_section(n) && s->shdr.sh_size > 0)
		return strv_add_unique(&b->o->data_sections, &b->o->n_data_sections, n);
	return 0;
}

static int bpf_finish(struct bpf_elf *b)
{
	struct aoms_bpf_object *o = b->o;
	size_t n = b->n_unknown_helpers;

	for (int id = 0; id < AOMS_BPF_MAX_HELPER_ID; id++)
		n += (b->helper_seen[id / 8] >> (id % 8)) & 1;
	o->helpers = calloc(n ? n : 1, sizeof(*o->helpers));
	if (!o->helpers)
		return -ENOMEM;
	for (size_t i = 0; i < b->n_unknown_helpers; i++)
		if (b->unknown_helpers[i] < 0)
			o->helpers[o->n_helpers++] = b->unknown_helpers[i];
	for (int id = 0; id < AOMS_BPF_MAX_HELPER_ID; id++)
		if ((b->helper_seen[id / 8] >> (id % 8)) & 1)
			o->helpers[o->n_helpers++] = id;
	for (size_t i = 0; i < b->n_unknown_helpers; i++)
		if (b->unknown_helpers[i] >= AOMS_BPF_MAX_HELPER_ID)
			o->helpers[o->n_helpers++] = b->unknown_helpers[i];
	if (o->n_kfuncs)
		qsort(o->kfuncs, o->n_kfuncs, sizeof(*o->kfuncs), strv_cmp);
	if (o->n_data_sections)
		qsort(o->data_sections, o->n_data_sections, sizeof(char *), strv_cmp);
	return 0;
}

/* The CO-RE records resolved against the object's BTF (bpf-core.h); records that
 * cannot be read are the model's core_error, not a damaged object: libbpf itself
 * opens such an object and fails only when it relocates. */
static int bpf_read_core(struct bpf_elf *b)
{
	struct aoms_elfio_section bs, es;
	Elf_Data *bd, *ed;
	char *why = NULL;
	int r;

	if (!b->o->has_btf || !b->o->n_core_relos ||
	    aoms_elfio_find_section(b->e, ".BTF", &bs) < 0 ||
	    aoms_elfio_find_section(b->e, ".BTF.ext", &es) < 0 ||
	    aoms_elfio_section_data(b->e, &bs, &bd) < 0 || aoms_elfio_section_data(b->e, &es, &ed) < 0)
		return 0;
	r = aoms_bpf_core_parse(bd->d_buf, bd->d_size, ed->d_buf, ed->d_size, &b->o->core, &why);
	if (r == -EBADMSG) {
		b->o->core_error = why ? why : strdup("damaged");
		return b->o->core_error ? 0 : -ENOMEM;
	}
	free(why);
	return r == -EOPNOTSUPP ? 0 : r;
}

static int bpf_elf_walk(struct bpf_elf *b)
{
	const GElf_Ehdr *h = aoms_elfio_ehdr(b->e);
	size_t n;
	int r;

	if (h->e_machine != EM_BPF || h->e_type != ET_REL)
		return -ENOEXEC;
	b->big_endian = h->e_ident[EI_DATA] == ELFDATA2MSB;
	r = bpf_read_symbols(b);
	if (r >= 0)
		r = bpf_read_relocs(b);
	n = aoms_elfio_n_sections(b->e);
	for (size_t i = 1; r >= 0 && i < n; i++) {
		struct aoms_elfio_section s;

		r = aoms_elfio_section_at(b->e, i, &s);
		if (r >= 0)
			r = bpf_read_section(b, &s);
	}
	if (r >= 0)
		r = bpf_read_core(b);
	return r < 0 ? r : bpf_finish(b);
}

int aoms_bpf_elf_read(const void *buf, size_t size, struct aoms_bpf_object *o, char **ret_reason)
{
	struct bpf_elf b = { .o = o };
	int r = aoms_elfio_open_mem(buf, size, &b.e, &b.reason);

	if (r >= 0)
		r = bpf_elf_walk(&b);
	if (r == -EBADMSG && !b.reason && b.e)
		b.reason = aoms_elfio_take_reason(b.e);
	if (r == -EBADMSG && ret_reason) {
		*ret_reason = b.reason;
		b.reason = NULL;
	}
	free(b.reason);
	free(b.syms);
	free(b.ext);
	aoms_elfio_free(b.e);
	return r;
}
