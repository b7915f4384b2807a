/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One pass over a symbol table or a string table, read a chunk at a time (elfio.h).
 * libelf hands a section's data out whole: the .symtab and .strtab of a large static
 * or Go program (200,000 symbols, 13 MB of names) would sit in memory whole, twice
 * over with two workers, for a reader that looks at each entry once. The bytes are
 * pread into one buffer; libelf converts the symbols (gelf_xlatetom).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "elfio.h"

#define STREAM_CHUNK (1u << 20)

/* One chunk of k raw symbols in buf (converted in place to the host's layout) as
 * GElf_Sym, from index first. */
static int symbols_chunk(Elf *elf, bool is64, unsigned char enc, void *buf, size_t k,
			 size_t first, aoms_elfio_symbol_fn fn, void *ud)
{
	size_t ent = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	Elf_Data src = { .d_buf = buf, .d_size = k * ent, .d_type = ELF_T_SYM, .d_version = EV_CURRENT };
	Elf_Data dst = src;

	if (!gelf_xlatetom(elf, &dst, &src, enc))
		return -EBADMSG;
	for (size_t i = first ? 0 : 1; i < k; i++) {
		GElf_Sym s;
		int r;

		if (is64) {
			s = ((const Elf64_Sym *)buf)[i];
		} else {
			const Elf32_Sym *t = (const Elf32_Sym *)buf + i;

			s = (GElf_Sym){ .st_name = t->st_name, .st_info = t->st_info,
					.st_other = t->st_other, .st_shndx = t->st_shndx,
					.st_value = t->st_value, .st_size = t->st_size };
		}
		if ((r = fn(&s, first + i, NULL, ud)))
			return r;
	}
	return 0;
}

int aoms_elfio_stream_symbols(struct aoms_elfio *e, const struct aoms_elfio_section *symtab,
			      aoms_elfio_symbol_fn fn, void *ud)
{
	const GElf_Shdr *sh = &symtab->shdr;
	Elf *elf = aoms_elfio_elf(e);
	bool is64 = gelf_getclass(elf) == ELFCLASS64;
	size_t ent = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym), per = STREAM_CHUNK / ent, n;
	_cleanup_(freep) void *buf = NULL;

	if (sh->sh_flags & SHF_COMPRESSED)
		return aoms_elfio_foreach_symbol(e, symtab, fn, ud);   /* libelf expands it */
	if (sh->sh_type == SHT_NOBITS || sh->sh_entsize != ent ||
	    !aoms_elfio_range_valid(sh->sh_offset, 1, sh->sh_size, aoms_elfio_size(e)))
		return -EBADMSG;
	n = sh->sh_size / ent;
	if (!(buf = malloc(per * ent)))
		return -ENOMEM;
	for (size_t first = 0; first < n; first += per) {
		size_t k = n - first < per ? n - first : per;
		int r;

		if (aoms_elfio_pread(e, buf, k * ent, sh->sh_offset + first * ent) != (ssize_t)(k * ent))
			return -EBADMSG;
		r = symbols_chunk(elf, is64, aoms_elfio_ehdr(e)->e_ident[EI_DATA], buf, k, first, fn, ud);
		if (r)
			return r;
	}
	return 0;
}

int aoms_elfio_stream_strings(struct aoms_elfio *e, size_t strndx, aoms_elfio_string_fn fn,
			      void *ud)
{
	struct aoms_elfio_section s;
	_cleanup_(freep) char *buf = NULL;
	uint64_t pos = 0, size;
	bool skipping = false;   /* inside a string longer than a chunk */
	int r;

	if ((r = aoms_elfio_section_at(e, strndx, &s)) < 0)
		return r == -ENOENT ? -EBADMSG : r;
	if (s.shdr.sh_type != SHT_STRTAB || (s.shdr.sh_flags & SHF_COMPRESSED) ||
	    !aoms_elfio_range_valid(s.shdr.sh_offset, 1, s.shdr.sh_size, aoms_elfio_size(e)))
		return -EBADMSG;
	size = s.shdr.sh_size;
	if (!(buf = malloc(STREAM_CHUNK + 1)))
		return -ENOMEM;
	while (pos < size) {
		size_t n = size - pos < STREAM_CHUNK ? (size_t)(size - pos) : STREAM_CHUNK, at = 0;

		if (aoms_elfio_pread(e, buf, n, s.shdr.sh_offset + pos) != (ssize_t)n)
			return -EBADMSG;
		buf[n] = '\0';
		while (at < n) {
			size_t len = strnlen(buf + at, n - at);

			if (at + len == n && pos + n < size) {
				/* cut by the chunk: read again from its start, unless it fills one */
				if (at == 0)
					skipping = true;
				break;
			}
			if (!skipping && (r = fn(pos + at, buf + at, len, ud)))
				return r;
			skipping = false;
			at += len + 1;
		}
		pos += at ? at : n;
	}
	return 0;
}
