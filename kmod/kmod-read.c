/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading one module image (kmod.h): modinfo, __versions, symbols, exports and the
 * this_module name, each bounded by the ELF layer. A damaged part is -EBADMSG with
 * a reason naming the part: the loader would refuse the module, so nothing is half
 * read.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arena.h"
#include "elfio.h"
#include "kmod.h"
#include "strbuf.h"

struct kmod_reader {
	struct aoms_kmod *m;
	struct aoms_elfio *e;
	char *reason;
	/* growing arrays while reading */
	size_t cap_imports, cap_exports;
	struct { const char *name; int64_t crc; } *crcs;   /* __crc_NAME of exports */
	size_t n_crcs, cap_crcs;
	struct aoms_kmod_symbol *versions;
	size_t n_versions;
	size_t ksymtab, ksymtab_gpl;   /* section indices, 0: none */
};

/* Keeps the first reason: what, then arg (may be ""). */
static int kmod_fail(struct kmod_reader *rd, const char *what, const char *arg)
{
	if (!rd->reason)
		rd->reason = aoms_strdupf("%s%s", what, arg);
	return -EBADMSG;
}

static int kmod_grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	q = reallocarray(*p, *cap, size);
	if (!q)
		return -ENOMEM;
	*p = q;
	return 0;
}

static int kmod_add_ns(struct aoms_kmod *m, const char *v)
{
	char **p = reallocarray(m->import_ns, m->n_import_ns + 1, sizeof(*p));
	char *s;

	if (!p)
		return -ENOMEM;
	m->import_ns = p;
	s = aoms_arena_strdup(m->arena, v);
	if (!s)
		return -ENOMEM;
	m->import_ns[m->n_import_ns++] = s;
	return 0;
}

/* One "key=value" of .modinfo. */
static int kmod_modinfo_entry(struct kmod_reader *rd, const char *kv)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "vermagic", offsetof(struct aoms_kmod, vermagic) },
		{ "license", offsetof(struct aoms_kmod, license) },
		{ "srcversion", offsetof(struct aoms_kmod, srcversion) },
		{ "depends", offsetof(struct aoms_kmod, depends) },
		{ "retpoline", offsetof(struct aoms_kmod, retpoline) },
		{ "intree", offsetof(struct aoms_kmod, intree) },
	};
	const char *eq = strchr(kv, '=');
	size_t klen;

	if (!eq || eq == kv)
		return kmod_fail(rd, "corrupt .modinfo: an entry is not key=value", "");
	klen = (size_t)(eq - kv);
	if (klen == 9 && memcmp(kv, "import_ns", 9) == 0)
		return kmod_add_ns(rd->m, eq + 1);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char **field = (char **)((char *)rd->m + keys[i].off);

		if (strlen(keys[i].key) != klen || memcmp(kv, keys[i].key, klen) != 0 || *field)
			continue;
		*field = aoms_arena_strdup(rd->m->arena, eq + 1);
		return *field ? 0 : -ENOMEM;
	}
	return 0;
}

static int kmod_read_modinfo(struct kmod_reader *rd)
{
	struct aoms_elfio_section s;
	Elf_Data *d;
	const char *p;
	size_t off = 0;
	int r = aoms_elfio_find_section(rd->e, ".modinfo", &s);

	if (r == -ENOENT)
		return 0;
	if (r < 0 || (r = aoms_elfio_section_data(rd->e, &s, &d)) < 0)
		return r == -ENOMEM ? r : kmod_fail(rd, "cannot read .modinfo", "");
	p = d->d_buf;
	while (off < d->d_size) {
		const char *end = memchr(p + off, '\0', d->d_size - off);

		if (!end)
			return kmod_fail(rd, "corrupt .modinfo: last entry has no NUL", "");
		if (end > p + off && (r = kmod_modinfo_entry(rd, p + off)) < 0)
			return r;
		off = (size_t)(end - p) + 1;
	}
	return 0;
}

static int cmp_symbol(const void *a, const void *b)
{
	return strcmp(((const struct aoms_kmod_symbol *)a)->name,
		      ((const struct aoms_kmod_symbol *)b)->name);
}

/* struct modversion_info: an unsigned long CRC, then the name up to 64 bytes. */
static int kmod_read_versions(struct kmod_reader *rd)
{
	struct aoms_elfio_section s;
	bool is64 = rd->m->elf_class == ELFCLASS64;
	bool msb = aoms_elfio_ehdr(rd->e)->e_ident[EI_DATA] == ELFDATA2MSB;
	size_t ent = 64, crcsz = is64 ? 8 : 4, n;
	const unsigned char *p;
	Elf_Data *d;
	int r = aoms_elfio_find_section(rd->e, "__versions", &s);

	if (r == -ENOENT)
		return 0;
	if (r < 0 || (r = aoms_elfio_section_data(rd->e, &s, &d)) < 0)
		return r == -ENOMEM ? r : kmod_fail(rd, "cannot read __versions", "");
	rd->m->has_versions = true;
	if (d->d_size % ent)
		return kmod_fail(rd, "corrupt __versions: size is not a multiple of 64", "");
	n = d->d_size / ent;
	p = d->d_buf;
	rd->versions = calloc(n ? n : 1, sizeof(*rd->versions));
	if (!rd->versions)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++, p += ent) {
		const char *name = (const char *)p + crcsz;
		uint64_t crc = 0;

		if (!memchr(name, '\0', ent - crcsz) || !*name)
			return kmod_fail(rd, "corrupt __versions: an entry has no name", "");
		for (size_t k = 0; k < crcsz; k++)
			crc |= (uint64_t)p[msb ? k : crcsz - 1 - k] << (8 * (crcsz - 1 - k));
		rd->versions[i] = (struct aoms_kmod_symbol){
			.name = aoms_arena_strdup(rd->m->arena, name), .crc = (int64_t)(crc & 0xffffffffu) };
		if (!rd->versions[i].name)
			return -ENOMEM;
	}
	rd->n_versions = n;
	qsort(rd->versions, n, sizeof(*rd->versions), cmp_symbol);
	for (size_t i = 1; i < n; i++)
		if (strcmp(rd->versions[i - 1].name, rd->versions[i].name) == 0)
			return kmod_fail(rd, "corrupt __versions: a symbol is listed twice: ",
					 rd->versions[i].name);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rd->versions[i].name, "module_layout") == 0)
			rd->m->module_layout_crc = rd->versions[i].crc;
	return 0;
}

/* The CRC in a __kcrctab section at off (Linux >= 5.19 links CRCs as data). */
static int64_t kmod_crc_at(struct kmod_reader *rd, size_t shndx, uint64_t off)
{
	bool msb = aoms_elfio_ehdr(rd->e)->e_ident[EI_DATA] == ELFDATA2MSB;
	struct aoms_elfio_section s;
	const unsigned char *p;
	Elf_Data *d;

	if (aoms_elfio_section_at(rd->e, shndx, &s) < 0 || aoms_elfio_section_data(rd->e, &s, &d) < 0 ||
	    !aoms_elfio_range_valid(off, 1, 4, d->d_size))
		return -1;
	p = (const unsigned char *)d->d_buf + off;
	return msb ? (int64_t)((uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3])
		   : (int64_t)((uint32_t)p[3] << 24 | p[2] << 16 | p[1] << 8 | p[0]);
}

static int kmod_on_symbol(const GElf_Sym *sym, size_t index, const char *name, void *ud)
{
	struct kmod_reader *rd = ud;
	struct aoms_kmod *m = rd->m;
	int r;

	(void)index;
	if (!*name || GELF_ST_TYPE(sym->st_info) == STT_SECTION || GELF_ST_TYPE(sym->st_info) == STT_FILE)
		return 0;
	if (sym->st_shndx == SHN_UNDEF) {
		if ((r = kmod_grow((void **)&m->imports, &rd->cap_imports, m->n_imports, sizeof(*m->imports))) < 0)
			return r;
		m->imports[m->n_imports] = (struct aoms_kmod_symbol){
			.name = aoms_arena_strdup(m->arena, name), .crc = -1,
			.weak = GELF_ST_BIND(sym->st_info) == STB_WEAK };
		return m->imports[m->n_imports++].name ? 0 : -ENOMEM;
	}
	if (strncmp(name, "__ksymtab_", 10) == 0 && name[10] &&
	    (sym->st_shndx == rd->ksymtab || sym->st_shndx == rd->ksymtab_gpl)) {
		if ((r = kmod_grow((void **)&m->exports, &rd->cap_exports, m->n_exports, sizeof(*m->exports))) < 0)
			return r;
		m->exports[m->n_exports] = (struct aoms_kmod_symbol){
			.name = aoms_arena_strdup(m->arena, name + 10), .crc = -1,
			.gpl = sym->st_shndx == rd->ksymtab_gpl };
		return m->exports[m->n_exports++].name ? 0 : -ENOMEM;
	}
	if (strncmp(name, "__crc_", 6) == 0 && name[6]) {
		if ((r = kmod_grow((void **)&rd->crcs, &rd->cap_crcs, rd->n_crcs, sizeof(*rd->crcs))) < 0)
			return r;
		rd->crcs[rd->n_crcs].name = aoms_arena_strdup(m->arena, name + 6);
		rd->crcs[rd->n_crcs].crc = sym->st_shndx == SHN_ABS ? (int64_t)(sym->st_value & 0xffffffffu)
			: sym->st_shndx < SHN_LORESERVE ? kmod_crc_at(rd, sym->st_shndx, sym->st_value) : -1;
		return rd->crcs[rd->n_crcs++].name ? 0 : -ENOMEM;
	}
	return 0;
}

static size_t kmod_section_index(struct aoms_elfio *e, const char *name)
{
	struct aoms_elfio_section s;

	return aoms_elfio_find_section(e, name, &s) == 0 ? s.index : 0;
}

static int kmod_read_symbols(struct kmod_reader *rd)
{
	struct aoms_kmod *m = rd->m;
	struct aoms_elfio_section s;
	size_t w = 0;
	int r = aoms_elfio_find_section_type(rd->e, SHT_SYMTAB, &s);

	if (r == -ENOENT)
		return kmod_fail(rd, "no symbol table", "");
	if (r < 0)
		return r == -ENOMEM ? r : kmod_fail(rd, "cannot read the symbol table", "");
	rd->ksymtab = kmod_section_index(rd->e, "__ksymtab");
	rd->ksymtab_gpl = kmod_section_index(rd->e, "__ksymtab_gpl");
	r = aoms_elfio_foreach_symbol(rd->e, &s, kmod_on_symbol, rd);
	if (r < 0)
		return r == -ENOMEM ? r : kmod_fail(rd, "corrupt symbol table", "");
	if (m->n_imports)
		qsort(m->imports, m->n_imports, sizeof(*m->imports), cmp_symbol);
	for (size_t i = 0; i < m->n_imports; i++) {   /* one entry per name */
		const struct aoms_kmod_symbol *v;

		if (w && strcmp(m->imports[w - 1].name, m->imports[i].name) == 0)
			continue;
		m->imports[w] = m->imports[i];
		v = rd->n_versions ? bsearch(&m->imports[w], rd->versions, rd->n_versions,
					     sizeof(*rd->versions), cmp_symbol) : NULL;
		m->imports[w++].crc = v ? v->crc : -1;
	}
	m->n_imports = w;
	if (m->n_exports)
		qsort(m->exports, m->n_exports, sizeof(*m->exports), cmp_symbol);
	for (size_t i = 0; i < rd->n_crcs; i++) {
		struct aoms_kmod_symbol key = { .name = rd->crcs[i].name }, *x;

		x = m->n_exports ? bsearch(&key, m->exports, m->n_exports, sizeof(key), cmp_symbol) : NULL;
		if (x)
			x->crc = rd->crcs[i].crc;
	}
	return 0;
}

/* struct module starts with state (int) and a list_head, then name[64 - sizeof(long)]. */
static int kmod_read_this_module(struct kmod_reader *rd)
{
	struct aoms_elfio_section s;
	size_t off = rd->m->elf_class == ELFCLASS64 ? 24 : 12;
	size_t len = rd->m->elf_class == ELFCLASS64 ? 56 : 60;
	const char *name;
	Elf_Data *d;

	if (aoms_elfio_find_section(rd->e, ".gnu.linkonce.this_module", &s) < 0)
		return 0;
	rd->m->has_this_module = true;
	if (aoms_elfio_section_data(rd->e, &s, &d) < 0 || !aoms_elfio_range_valid(off, 1, len, d->d_size))
		return kmod_fail(rd, "corrupt .gnu.linkonce.this_module", "");
	name = (const char *)d->d_buf + off;
	if (!memchr(name, '\0', len))
		return kmod_fail(rd, "corrupt .gnu.linkonce.this_module: name has no NUL", "");
	if (*name && !(rd->m->name = aoms_arena_strdup(rd->m->arena, name)))
		return -ENOMEM;
	return 0;
}

/* "dir/foo-bar.ko.xz" -> "foo_bar", as the kernel names modules. */
static char *kmod_name_from_file(struct aoms_arena *a, const char *hint)
{
	const char *base = hint ? strrchr(hint, '/') : NULL;
	size_t n;
	char *s;

	base = base ? base + 1 : hint ? hint : "module";
	n = strcspn(base, ".");
	s = aoms_arena_strndup(a, base, n ? n : strlen(base));
	for (char *p = s; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return s;
}

static int kmod_read_elf(struct kmod_reader *rd, const void *buf, size_t size)
{
	const GElf_Ehdr *eh;
	int r = aoms_elfio_open_mem(buf, size, &rd->e, &rd->reason);

	if (r < 0)
		return r;
	eh = aoms_elfio_ehdr(rd->e);
	if (eh->e_type != ET_REL)
		return -ENOEXEC;
	rd->m->elf_class = eh->e_ident[EI_CLASS];
	rd->m->machine = eh->e_machine;
	if ((r = kmod_read_modinfo(rd)) < 0 || (r = kmod_read_versions(rd)) < 0 ||
	    (r = kmod_read_symbols(rd)) < 0 || (r = kmod_read_this_module(rd)) < 0)
		return r;
	if (!rd->m->vermagic && !rd->m->has_this_module)
		return -ENOEXEC;   /* an object file named .ko: not a module */
	return 0;
}

int aoms_kmod_read_mem(const void *buf, size_t size, const char *name_hint,
		       struct aoms_kmod **ret, char **ret_reason)
{
	_cleanup_(aoms_kmod_freep) struct aoms_kmod *m = calloc(1, sizeof(*m));
	struct kmod_reader rd = { .m = m };
	size_t elf_size;
	int r;

	if (!m || aoms_arena_new(&m->arena) < 0)
		return -ENOMEM;
	m->module_layout_crc = -1;
	elf_size = aoms_kmod_strip_signature(buf, size, &m->is_signed, &m->signer);
	r = kmod_read_elf(&rd, buf, elf_size);
	if (r >= 0 && !m->name)
		m->name = kmod_name_from_file(m->arena, name_hint);
	if (r >= 0 && !m->name)
		r = -ENOMEM;
	aoms_elfio_free(rd.e);
	free(rd.versions);
	free(rd.crcs);
	if (r == -EBADMSG && ret_reason)
		*ret_reason = TAKE_PTR(rd.reason);
	free(rd.reason);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}

void aoms_kmod_free(struct aoms_kmod *m)
{
	if (!m)
		return;
	free(m->imports);
	free(m->exports);
	free(m->import_ns);
	free(m->signer);
	free(m->compression);
	aoms_arena_free(m->arena);
	free(m);
}

static const struct aoms_kmod_symbol *kmod_find(const struct aoms_kmod_symbol *v, size_t n,
						const char *name)
{
	struct aoms_kmod_symbol key = { .name = name };

	return n ? bsearch(&key, v, n, sizeof(key), cmp_symbol) : NULL;
}

const struct aoms_kmod_symbol *aoms_kmod_find_import(const struct aoms_kmod *m, const char *name)
{
	return kmod_find(m->imports, m->n_imports, name);
}

const struct aoms_kmod_symbol *aoms_kmod_find_export(const struct aoms_kmod *m, const char *name)
{
	return kmod_find(m->exports, m->n_exports, name);
}

bool aoms_kmod_license_gpl(const struct aoms_kmod *m)
{
	static const char *const gpl[] = { "GPL", "GPL v2", "GPL and additional rights",
					   "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };

	for (size_t i = 0; m->license && i < ARRAY_SIZE(gpl); i++)
		if (strcmp(m->license, gpl[i]) == 0)
			return true;
	return false;
}
