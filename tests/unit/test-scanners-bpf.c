/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The eBPF object reader on hostile images (no crash, -ENOEXEC or -EBADMSG with a
 * reason) and libbpf's section-name table. Real objects: tests/e2e/test-bpf.sh. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bpf-object.h"
#include "testutil.h"

static void test_bpf_sections(void **state)
{
	static const struct { const char *sec; int type; } rows[] = {
		{ "socket", 1 }, { "socket/x", 1 }, { "socketx", -1 }, { "kprobe/do_exit", 2 },
		{ "tc", 3 }, { "xdp", 6 }, { "xdp.frags", 6 }, { "tracepoint/a/b", 5 },
		{ "raw_tp.w/x", 24 }, { "raw_tp/x", 17 }, { "fentry/f", 26 }, { "lsm/file_open", 29 },
		{ "cgroup/connect4", 18 }, { "cgroup/sock", 9 }, { "syscall", 31 },
		{ ".text", -1 }, { "", -1 },
	};
	int attach;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(aoms_bpf_section_prog_type(rows[i].sec, &attach), rows[i].type);
}

/* A 64-bit little-endian ELF header of EM_BPF, ET_REL, with section headers at
 * shoff (count shnum). */
static void bpf_header(unsigned char *b, uint64_t shoff, uint16_t shnum)
{
	Elf64_Ehdr h = { .e_type = ET_REL, .e_machine = 247, .e_version = EV_CURRENT,
			 .e_shoff = shoff, .e_ehsize = sizeof(h), .e_shentsize = sizeof(Elf64_Shdr),
			 .e_shnum = shnum };

	memcpy(h.e_ident, ELFMAG, SELFMAG);
	h.e_ident[EI_CLASS] = ELFCLASS64;
	h.e_ident[EI_DATA] = ELFDATA2LSB;
	h.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(b, &h, sizeof(h));
}

static void expect_read(const void *buf, size_t n, int want)
{
	struct aoms_bpf_object *o = NULL;
	char *reason = NULL;
	int r = aoms_bpf_object_read(buf, n, "t", &o, &reason);

	assert_int_equal(r, want);
	if (r == -EBADMSG)
		assert_non_null(reason);
	assert_null(o);
	free(reason);
}

static void test_bpf_hostile(void **state)
{
	unsigned char b[4096] = { 0 };

	(void)state;
	expect_read(b, 0, -ENOEXEC);
	expect_read("garbage", 7, -ENOEXEC);
	/* section headers far past the end */
	bpf_header(b, 1u << 30, 4);
	expect_read(b, sizeof(b), -EBADMSG);
	/* another machine */
	bpf_header(b, 0, 0);
	b[offsetof(Elf64_Ehdr, e_machine)] = EM_X86_64;
	expect_read(b, sizeof(Elf64_Ehdr), -ENOEXEC);
	/* random section headers */
	srand(7);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 64; i < sizeof(b); i++)
			b[i] = (unsigned char)rand();
		bpf_header(b, 64, (uint16_t)(1 + rand() % 60));
		{
			struct aoms_bpf_object *o = NULL;
			char *reason = NULL;
			int r = aoms_bpf_object_read(b, sizeof(b), "t", &o, &reason);

			assert_true(r == 0 || r == -EBADMSG || r == -ENOEXEC);
			aoms_bpf_object_free(o);
			free(reason);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpf_sections),
		cmocka_unit_test(test_bpf_hostile),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
