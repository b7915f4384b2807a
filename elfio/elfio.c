/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elfio.h"
#include "strbuf.h"

#ifndef SHF_COMPRESSED
#define SHF_COMPRESSED (1u << 11)
#endif

struct aoms_elfio {
	Elf *elf;
	int fd;
	const unsigned char *mem;
	uint64_t size;
	GElf_Ehdr ehdr;
	size_t shnum;
	size_t shstrndx;      /* 0 when none */
	/* The section-name table, read on the first name asked for (shstr_state 1) when
	 * it is one NUL-terminated string table; else (2) names go through libelf. */
	const char *shstr;
	size_t shstr_size;
	int shstr_state;
	char *reason;
};

/* Records the first failure: what failed, plus libelf's message only when libelf
 * itself set an error since the last check (elf_errno() reads and clears it). */
static int elfio_fail(struct aoms_elfio *e, bool from_libelf, const char *fmt, ...) _printf_(3, 4);
static int elfio_fail(struct aoms_elfio *e, bool from_libelf, const char *fmt, ...)
{
	int err = elf_errno();
	va_list ap;
	_cleanup_(freep) char *what = NULL;

	if (e->reason)
		return -EBADMSG;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	if (!what)
		return -ENOMEM;
	e->reason = from_libelf && err ? aoms_strdupf("%s: %s", what, elf_errmsg(err)) : TAKE_PTR(what);
	return e->reason ? -EBADMSG : -ENOMEM;
}

bool aoms_elfio_range_valid(uint64_t off, uint64_t count, uint64_t entsize, uint64_t size)
{
	if (count && entsize > UINT64_MAX / count)
		return false;
	return off <= size && count * entsize <= size - off;
}

int aoms_elfio_ident(const void *buf, size_t n, struct aoms_elfio_ident *ret)
{
	const unsigned char *b = buf;
	Elf_Data src, dst;
	int cls;

	if (n < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	cls = b[EI_CLASS];
	if (cls == ELFCLASS64) {
		Elf64_Ehdr h;

		if (n < sizeof(h))
			return -ENOEXEC;
		src = (Elf_Data){ .d_buf = (void *)b, .d_type = ELF_T_EHDR, .d_size = sizeof(h),
				  .d_version = EV_CURRENT };
		dst = (Elf_Data){ .d_buf = &h, .d_size = sizeof(h), .d_version = EV_CURRENT };
		if (!elf64_xlatetom(&dst, &src, b[EI_DATA]))
			return -ENOEXEC;
		*ret = (struct aoms_elfio_ident){ cls, b[EI_DATA], h.e_type, h.e_machine };
	} else if (cls == ELFCLASS32) {
		Elf32_Ehdr h;

		if (n < sizeof(h))
			return -ENOEXEC;
		src = (Elf_Data){ .d_buf = (void *)b, .d_type = ELF_T_EHDR, .d_size = sizeof(h),
				  .d_version = EV_CURRENT };
		dst = (Elf_Data){ .d_buf = &h, .d_size = sizeof(h), .d_version = EV_CURRENT };
		if (!elf32_xlatetom(&dst, &src, b[EI_DATA]))
			return -ENOEXEC;
		*ret = (struct aoms_elfio_ident){ cls, b[EI_DATA], h.e_type, h.e_machine };
	} else {
		return -ENOEXEC;
	}
	return 0;
}

ssize_t aoms_elfio_pread(const struct aoms_elfio *e, void *buf, size_t n, uint64_t off)
{
	if (!e->mem)
		return off > INT64_MAX ? -1 : pread(e->fd, buf, n, (off_t)off);
	if (off >= e->size)
		return 0;
	if (n > e->size - off)
		n = e->size - off;
	memcpy(buf, e->mem + off, n);
	return (ssize_t)n;
}

/* The header's tables must lie inside the file (kmod's elf_range_valid idea): with
 * ELF_C_READ libelf reads them lazily and would only fail later, quietly. The
 * header's own counts are used: libelf clamps them to what fits, which would hide a
 * truncation. Extended numbering falls back to libelf. */
static int elfio_check_tables(struct aoms_elfio *e)
{
	const GElf_Ehdr *eh = &e->ehdr;
	size_t shnum = eh->e_shnum, phnum = eh->e_phnum;

	if ((eh->e_shnum == 0 && eh->e_shoff && elf_getshdrnum(e->elf, &shnum) < 0) ||
	    (eh->e_phnum == PN_XNUM && elf_getphdrnum(e->elf, &phnum) < 0))
		return elfio_fail(e, true, "bad header table counts");
	if (shnum && !aoms_elfio_range_valid(eh->e_shoff, shnum, eh->e_shentsize, e->size))
		return elfio_fail(e, false, "section header table (%zu entries at offset %llu) lies "
				  "outside the file", shnum, (unsigned long long)eh->e_shoff);
	if (phnum && !aoms_elfio_range_valid(eh->e_phoff, phnum, eh->e_phentsize, e->size))
		return elfio_fail(e, false, "program header table (%zu entries at offset %llu) lies "
				  "outside the file", phnum, (unsigned long long)eh->e_phoff);
	e->shnum = eh->e_shoff ? shnum : 0;
	if (e->shnum && elf_getshdrstrndx(e->elf, &e->shstrndx) < 0)
		e->shstrndx = 0;   /* unnamed sections; not fatal for readers that go by type */
	if (e->shstrndx >= e->shnum)
		e->shstrndx = 0;
	return 0;
}

static int elfio_open(struct aoms_elfio *e, struct aoms_elfio **ret, char **ret_reason)
{
	unsigned char magic[SELFMAG];
	int r;

	(void)elf_errno();   /* a stale error of this thread must not leak into the reason */
	e->elf = e->mem ? elf_memory((char *)e->mem, e->size) : elf_begin(e->fd, ELF_C_READ, NULL);
	if (!e->elf)
		r = elfio_fail(e, true, "cannot open ELF");
	else if (elf_kind(e->elf) != ELF_K_ELF)
		r = aoms_elfio_pread(e, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
		    memcmp(magic, ELFMAG, SELFMAG) == 0
			? elfio_fail(e, false, "not a valid ELF file (truncated header?)") : -ENOEXEC;
	else if (!gelf_getehdr(e->elf, &e->ehdr))
		r = elfio_fail(e, true, "cannot read ELF header");
	else
		r = elfio_check_tables(e);
	if (r < 0) {
		if (ret_reason && r == -EBADMSG)
			*ret_reason = TAKE_PTR(e->reason);
		aoms_elfio_free(e);
		return r;
	}
	*ret = e;
	return 0;
}

int aoms_elfio_open_fd(int fd, struct aoms_elfio **ret, char **ret_reason)
{
	struct aoms_elfio *e;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->fd = fd;
	e->size = (uint64_t)st.st_size;
	elf_version(EV_CURRENT);
	return elfio_open(e, ret, ret_reason);
}

int aoms_elfio_open_mem(const void *buf, size_t size, struct aoms_elfio **ret, char **ret_reason)
{
	struct aoms_elfio *e = calloc(1, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->fd = -1;
	e->mem = buf;
	e->size = size;
	elf_version(EV_CURRENT);
	return elfio_open(e, ret, ret_reason);
}

void aoms_elfio_free(struct aoms_elfio *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	free(e->reason);
	free(e);
}

Elf *aoms_elfio_elf(const struct aoms_elfio *e)
{
	return e->elf;
}

const GElf_Ehdr *aoms_elfio_ehdr(const struct aoms_elfio *e)
{
	return &e->ehdr;
}

uint64_t aoms_elfio_size(const struct aoms_elfio *e)
{
	return e->size;
}

const char *aoms_elfio_reason(const struct aoms_elfio *e)
{
	return e->reason;
}

char *aoms_elfio_take_reason(struct aoms_elfio *e)
{
	return TAKE_PTR(e->reason);
}

size_t aoms_elfio_n_sections(const struct aoms_elfio *e)
{
	return e->shnum;
}

const char *aoms_elfio_string(struct aoms_elfio *e, size_t strndx, size_t off)
{
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (strndx == 0 || strndx >= e->shnum || !(scn = elf_getscn(e->elf, strndx)) ||
	    !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB || off >= sh.sh_size)
		return NULL;
	/* elf_strptr checks the offset and the terminator against the section data. */
	return elf_strptr(e->elf, strndx, off);
}

/* A section's name: straight from the section-name table when it ends with a NUL
 * (any offset inside it then starts a terminated string), which saves libelf's
 * lookup of that table's header per name: a .o of 10^4 sections is probed for
 * names (scanner-kmod.c), and a section is looked up by name per reader. */
static const char *section_name(struct aoms_elfio *e, size_t off)
{
	if (e->shstr_state == 0) {
		Elf_Scn *scn = elf_getscn(e->elf, e->shstrndx);
		GElf_Shdr sh;
		Elf_Data *d;

		e->shstr_state = 2;
		if (scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_STRTAB &&
		    !(sh.sh_flags & SHF_COMPRESSED) &&
		    aoms_elfio_range_valid(sh.sh_offset, 1, sh.sh_size, e->size) &&
		    (d = elf_getdata(scn, NULL)) && d->d_buf && d->d_size &&
		    ((const char *)d->d_buf)[d->d_size - 1] == '\0') {
			e->shstr = d->d_buf;
			e->shstr_size = d->d_size;
			e->shstr_state = 1;
		}
		(void)elf_errno();   /* a failure here is the slow path's to report */
	}
	if (e->shstr_state == 1)
		return off < e->shstr_size ? e->shstr + off : NULL;
	return aoms_elfio_string(e, e->shstrndx, off);
}

int aoms_elfio_section_at(struct aoms_elfio *e, size_t index, struct aoms_elfio_section *ret)
{
	const char *name;

	if (index == 0 || index >= e->shnum)
		return -ENOENT;
	ret->index = index;
	ret->scn = elf_getscn(e->elf, index);
	if (!ret->scn || !gelf_getshdr(ret->scn, &ret->shdr))
		return elfio_fail(e, true, "cannot read section header %zu", index);
	name = e->shstrndx ? section_name(e, ret->shdr.sh_name) : NULL;
	ret->name = name ? name : "";
	return 0;
}

/* Walks the sections until match says yes. */
static int elfio_find(struct aoms_elfio *e, bool (*match)(const struct aoms_elfio_section *,
							    const void *),
		      const void *arg, struct aoms_elfio_section *ret)
{
	for (size_t i = 1; i < e->shnum; i++) {
		struct aoms_elfio_section s;
		int r = aoms_elfio_section_at(e, i, &s);

		if (r < 0)
			return r;
		if (match(&s, arg)) {
			*ret = s;
			return 0;
		}
	}
	return -ENOENT;
}

static bool match_name(const struct aoms_elfio_section *s, const void *name)
{
	return strcmp(s->name, name) == 0;
}

static bool match_type(const struct aoms_elfio_section *s, const void *type)
{
	return s->shdr.sh_type == *(const uint32_t *)type;
}

int aoms_elfio_find_section(struct aoms_elfio *e, const char *name, struct aoms_elfio_section *ret)
{
	/* A name that is not in the section-name table (with its NUL) names no section:
	 * one memmem over the table answers most lookups (is this a Go program, a kernel
	 * module?) without reading every section header. */
	if (e->shstrndx && e->shstr_state == 0)
		(void)section_name(e, 0);
	if (e->shstr_state == 1 && !memmem(e->shstr, e->shstr_size, name, strlen(name) + 1))
		return -ENOENT;
	return elfio_find(e, match_name, name, ret);
}

int aoms_elfio_find_section_type(struct aoms_elfio *e, uint32_t type,
				 struct aoms_elfio_section *ret)
{
	return elfio_find(e, match_type, &type, ret);
}

int aoms_elfio_section_data(struct aoms_elfio *e, const struct aoms_elfio_section *s,
			    Elf_Data **ret)
{
	Elf_Data *d;

	if (s->shdr.sh_type == SHT_NOBITS)
		return -ENODATA;
	if (!aoms_elfio_range_valid(s->shdr.sh_offset, 1, s->shdr.sh_size, e->size))
		return elfio_fail(e, false, "section %s (%zu) lies outside the file", s->name, s->index);
	if (s->shdr.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;

		if (!gelf_getchdr(s->scn, &ch))
			return elfio_fail(e, true, "bad compression header in section %s", s->name);
		if (ch.ch_size > AOMS_ELFIO_MAX_DECOMPRESSED)
			return -EFBIG;
		if (elf_compress(s->scn, 0, 0) < 0)
			return elfio_fail(e, true, "cannot decompress section %s", s->name);
	}
	d = elf_getdata(s->scn, NULL);
	if (!d)
		return elfio_fail(e, true, "cannot read section %s", s->name);
	*ret = d;
	return 0;
}

int aoms_elfio_foreach_symbol(struct aoms_elfio *e, const struct aoms_elfio_section *symtab,
			      aoms_elfio_symbol_fn fn, void *ud)
{
	Elf_Data *d;
	size_t n;
	int r = aoms_elfio_section_data(e, symtab, &d);

	if (r < 0)
		return r;
	n = symtab->shdr.sh_entsize ? d->d_size / symtab->shdr.sh_entsize : 0;
	for (size_t i = 1; i < n; i++) {
		const char *name = "";
		GElf_Sym sym;

		if (!gelf_getsym(d, (int)i, &sym))
			return elfio_fail(e, true, "bad symbol %zu in %s", i, symtab->name);
		if (sym.st_name && !(name = aoms_elfio_string(e, symtab->shdr.sh_link, sym.st_name)))
			return elfio_fail(e, false, "bad name of symbol %zu in %s", i, symtab->name);
		r = fn(&sym, i, name, ud);
		if (r)
			return r;
	}
	return 0;
}

int aoms_elfio_foreach_note(struct aoms_elfio *e, const struct aoms_elfio_section *notes,
			    aoms_elfio_note_fn fn, void *ud)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;
	Elf_Data *d;
	int r = aoms_elfio_section_data(e, notes, &d);

	if (r < 0)
		return r;
	if (!d->d_buf)
		return 0;
	/* gelf_getnote checks each note against d_size and returns 0 at a bad one. */
	while (off < d->d_size && (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > off) {
		const char *b = d->d_buf;
		const char *name = "";

		if (nh.n_namesz) {
			if (b[name_off + nh.n_namesz - 1] != '\0')
				return elfio_fail(e, false, "note name not terminated in %s", notes->name);
			name = b + name_off;
		}
		r = fn(&nh, name, b + desc_off, ud);
		if (r)
			return r;
		off = next;
	}
	return 0;
}

int aoms_elfio_foreach_reloc(struct aoms_elfio *e, const struct aoms_elfio_section *rel,
			     aoms_elfio_reloc_fn fn, void *ud)
{
	bool rela = rel->shdr.sh_type == SHT_RELA;
	Elf_Data *d;
	size_t n;
	int r;

	if (rel->shdr.sh_type != SHT_REL && !rela)
		return -EINVAL;
	r = aoms_elfio_section_data(e, rel, &d);
	if (r < 0)
		return r;
	n = rel->shdr.sh_entsize ? d->d_size / rel->shdr.sh_entsize : 0;
	for (size_t i = 0; i < n; i++) {
		struct aoms_elfio_reloc out = { .has_addend = rela };
		uint64_t info;

		if (rela) {
			GElf_Rela ra;

			if (!gelf_getrela(d, (int)i, &ra))
				return elfio_fail(e, true, "bad relocation %zu in %s", i, rel->name);
			out.offset = ra.r_offset;
			out.addend = ra.r_addend;
			info = ra.r_info;
		} else {
			GElf_Rel rr;

			if (!gelf_getrel(d, (int)i, &rr))
				return elfio_fail(e, true, "bad relocation %zu in %s", i, rel->name);
			out.offset = rr.r_offset;
			info = rr.r_info;
		}
		/* GElf widens both classes to the 64-bit layout. */
		out.type = (uint32_t)GELF_R_TYPE(info);
		out.sym = (uint32_t)GELF_R_SYM(info);
		r = fn(&out, ud);
		if (r)
			return r;
	}
	return 0;
}
