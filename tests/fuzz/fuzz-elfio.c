/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* elfio/ walked the way the module, BPF and syscall scanners do: every section's
 * data, and its symbols (whole and streamed), notes or relocations by type. */
#include <stdlib.h>
#include <string.h>
#include "elfio.h"
#include "fuzz.h"

/* the callbacks' contract: a name, "" for none */
static int on_sym(const GElf_Sym *sym, size_t i, const char *name, void *ud)
{
	return !name;
}

static int on_note(const GElf_Nhdr *nh, const char *name, const void *desc, void *ud)
{
	return !name;
}

/* streamed symbols come without names */
static int on_streamed_sym(const GElf_Sym *sym, size_t i, const char *name, void *ud)
{
	return name != NULL;
}

static int on_string(uint64_t off, const char *s, size_t len, void *ud)
{
	return strlen(s) != len;
}

static int on_reloc(const struct aoms_elfio_reloc *r, void *ud)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(aoms_elfio_freep) struct aoms_elfio *e = NULL;
	struct aoms_elfio_ident id;
	struct aoms_elfio_section s;
	Elf_Data *d;

	(void)aoms_elfio_ident(data, size, &id);
	if (aoms_elfio_open_mem(data, size, &e, NULL) < 0)
		return 0;
	for (size_t i = 1; i < aoms_elfio_n_sections(e); i++) {
		if (aoms_elfio_section_at(e, i, &s) < 0)
			continue;
		if (s.shdr.sh_type == SHT_SYMTAB || s.shdr.sh_type == SHT_DYNSYM) {
			if (aoms_elfio_foreach_symbol(e, &s, on_sym, NULL) > 0 ||
			    aoms_elfio_stream_symbols(e, &s, on_streamed_sym, NULL) > 0 ||
			    aoms_elfio_stream_strings(e, s.shdr.sh_link, on_string, NULL) > 0)
				abort();
		}
		else if (s.shdr.sh_type == SHT_NOTE)
			(void)aoms_elfio_foreach_note(e, &s, on_note, NULL);
		else if (s.shdr.sh_type == SHT_REL || s.shdr.sh_type == SHT_RELA)
			(void)aoms_elfio_foreach_reloc(e, &s, on_reloc, NULL);
		else if (s.shdr.sh_type == SHT_STRTAB)
			(void)aoms_elfio_string(e, i, s.shdr.sh_size / 2);
		else
			(void)aoms_elfio_section_data(e, &s, &d);
	}
	(void)aoms_elfio_find_section(e, ".modinfo", &s);
	return 0;
}
