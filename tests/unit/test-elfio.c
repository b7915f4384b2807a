/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * elfio/: the bounds-checked ELF access layer, on objects gcc builds at test time (a
 * relocatable object with relocations and a compressed debug section, an object with
 * a note), and on hostile copies: truncated, a section outside the file, a header too
 * short to decode. Reasons must not depend on what the thread parsed before. Views
 * (mapped ranges) read what pread reads, and one whose file shrinks under it faults
 * into -EIO under the SIGBUS guard instead of killing the process.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "elfio.h"
#include "sigbus-guard.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

static bool built;

static const char obj_c[] =
	"extern int ext(int);\n"
	"int counter;\n"
	"int f(int x) { return ext(x) + counter; }\n"
	"__asm__(\".section .note.test,\\\"a\\\",@note\\n\\t.p2align 2\\n"
	"\\t.long 4\\n\\t.long 8\\n\\t.long 7\\n\\t.string \\\"AOM\\\"\\n"
	"\\t.long 1\\n\\t.long 2\\n\\t.previous\\n\");\n";

static int setup(void **state)
{
	if (aoms_test_setup(state) < 0)
		return -1;
	aoms_test_write_file("obj.c", obj_c);
	built = aoms_test_sh("cc -g -gz=zlib -O0 -c obj.c -o obj.o") ||
		aoms_test_sh("cc -g -O0 -c obj.c -o obj.o");
	if (!built)
		aoms_test_print_log();
	return 0;
}

static struct aoms_elfio *open_file(const char *name, int *ret_fd, int expect, char **reason)
{
	_cleanup_(freep) char *path = aoms_test_path(name);
	struct aoms_elfio *e = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(aoms_elfio_open_fd(fd, &e, reason), expect);
	*ret_fd = fd;
	return e;
}

static int count_symbol(const GElf_Sym *sym, size_t index, const char *name, void *ud)
{
	if (strcmp(name, "f") == 0 || strcmp(name, "ext") == 0 || strcmp(name, "counter") == 0)
		(*(int *)ud)++;
	return 0;
}

static int count_reloc(const struct aoms_elfio_reloc *r, void *ud)
{
	(*(int *)ud)++;
	return 0;
}

struct note_seen {
	int n;
	uint32_t type;
	char name[8];
	uint32_t desc[2];
};

static int see_note(const GElf_Nhdr *nh, const char *name, const void *desc, void *ud)
{
	struct note_seen *s = ud;

	s->n++;
	s->type = nh->n_type;
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (nh->n_descsz == 8)
		memcpy(s->desc, desc, 8);
	return 0;
}

static void test_object(void **state)
{
	struct aoms_elfio_section sec;
	struct note_seen note = { 0 };
	Elf_Data *d;
	int fd, n = 0;
	struct aoms_elfio *e;

	if (!built)
		skip();
	e = open_file("obj.o", &fd, 0, NULL);
	assert_int_equal(aoms_elfio_ehdr(e)->e_type, ET_REL);
	assert_true(aoms_elfio_n_sections(e) > 5);
	OK(aoms_elfio_find_section_type(e, SHT_SYMTAB, &sec));
	assert_string_equal(sec.name, ".symtab");
	OK(aoms_elfio_foreach_symbol(e, &sec, count_symbol, &n));
	assert_int_equal(n, 3);
	OK(aoms_elfio_find_section(e, ".rela.text", &sec));
	n = 0;
	OK(aoms_elfio_foreach_reloc(e, &sec, count_reloc, &n));
	assert_true(n >= 2);   /* ext and counter */
	OK(aoms_elfio_find_section(e, ".note.test", &sec));
	OK(aoms_elfio_foreach_note(e, &sec, see_note, &note));
	assert_int_equal(note.n, 1);
	assert_int_equal(note.type, 7);
	assert_string_equal(note.name, "AOM");
	assert_int_equal(note.desc[0], 1);
	assert_int_equal(note.desc[1], 2);
	/* compressed with -gz where the toolchain can: decompressed transparently */
	OK(aoms_elfio_find_section(e, ".debug_info", &sec));
	OK(aoms_elfio_section_data(e, &sec, &d));
	assert_true(d->d_size > 0);
	if (sec.shdr.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;

		/* the handle now holds the expanded bytes */
		assert_true(d->d_size >= sec.shdr.sh_size || gelf_getchdr(sec.scn, &ch) == NULL);
	}
	assert_int_equal(aoms_elfio_find_section(e, ".no-such", &sec), -ENOENT);
	assert_null(aoms_elfio_reason(e));
	aoms_elfio_free(e);
	close(fd);
}

static void test_ident(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("obj.o");
	unsigned char head[64];
	struct aoms_elfio_ident id;
	int fd;

	if (!built)
		skip();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_int_equal(read(fd, head, sizeof(head)), (ssize_t)sizeof(head));
	close(fd);
	OK(aoms_elfio_ident(head, sizeof(head), &id));
	assert_int_equal(id.type, ET_REL);
	assert_int_equal(id.elf_class, ELFCLASS64);
	assert_int_equal(aoms_elfio_ident(head, 40, &id), -ENOEXEC);   /* short of a header */
	assert_int_equal(aoms_elfio_ident("#!/bin/sh\n", 10, &id), -ENOEXEC);
	head[EI_CLASS] = 9;
	assert_int_equal(aoms_elfio_ident(head, sizeof(head), &id), -ENOEXEC);
}

/* Rewrites sh_offset of section idx (ELF64 little-endian) in the file name. */
static void patch_sh_offset(const char *name, size_t idx, uint64_t value)
{
	_cleanup_(freep) char *path = aoms_test_path(name);
	uint64_t shoff;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &shoff, 8, 40), 8);
	assert_int_equal(pwrite(fd, &value, 8, (off_t)(shoff + idx * 64 + 24)), 8);
	close(fd);
}

static void test_hostile(void **state)
{
	struct aoms_elfio_section sec;
	_cleanup_(freep) char *reason = NULL, *reason2 = NULL;
	Elf_Data *d;
	int fd;
	struct aoms_elfio *e;

	if (!built)
		skip();
	/* the section header table cut off */
	assert_true(aoms_test_sh("head -c 600 obj.o > cut.o && cp obj.o far.o && "
				 "printf 'garbage' > garbage.bin"));
	e = open_file("cut.o", &fd, -EBADMSG, &reason);
	assert_null(e);
	close(fd);
	assert_non_null(strstr(reason, "section header table"));
	assert_non_null(strstr(reason, "lies outside the file"));
	/* the same damage gives the same reason after libelf failed on something else */
	e = open_file("garbage.bin", &fd, -ENOEXEC, NULL);
	close(fd);
	e = open_file("cut.o", &fd, -EBADMSG, &reason2);
	close(fd);
	assert_string_equal(reason, reason2);
	/* a section whose bytes lie past the end */
	e = open_file("far.o", &fd, 0, NULL);
	OK(aoms_elfio_find_section(e, ".note.test", &sec));
	aoms_elfio_free(e);
	close(fd);
	patch_sh_offset("far.o", sec.index, 1u << 30);
	e = open_file("far.o", &fd, 0, NULL);
	OK(aoms_elfio_find_section(e, ".note.test", &sec));
	assert_int_equal(aoms_elfio_section_data(e, &sec, &d), -EBADMSG);
	{
		char want[64];

		snprintf(want, sizeof(want), "section .note.test (%zu) lies outside the file",
			 sec.index);
		assert_string_equal(aoms_elfio_reason(e), want);
	}
	aoms_elfio_free(e);
	close(fd);
}

static void test_ranges(void **state)
{
	assert_true(aoms_elfio_range_valid(0, 0, 0, 0));
	assert_true(aoms_elfio_range_valid(10, 2, 5, 20));
	assert_false(aoms_elfio_range_valid(10, 2, 6, 20));
	assert_false(aoms_elfio_range_valid(21, 0, 0, 20));
	assert_false(aoms_elfio_range_valid(0, UINT64_MAX, 2, UINT64_MAX));
}

struct sum {
	const uint8_t *p;
	size_t n;
	unsigned long total;
};

static int sum_bytes(void *ud)
{
	struct sum *s = ud;

	for (size_t i = 0; i < s->n; i++)
		s->total += ((const volatile uint8_t *)s->p)[i];
	return 7;
}

static void test_views(void **state)
{
	_cleanup_(freep) char *src = aoms_test_path("obj.o");
	_cleanup_(freep) char *big = aoms_test_path("big.o");
	struct aoms_elfio *e = NULL;
	struct aoms_elfio_view v;
	uint8_t buf[64];
	struct sum s = { 0 };
	int fd;

	if (!built)
		skip();
	/* the object, then 256 KiB of 1s: still a valid ELF file, with room to shrink */
	assert_true(aoms_test_sh("cp %s %s && head -c 262144 /dev/zero | tr '\\0' '\\1' >> %s",
				 src, big, big));
	fd = open(big, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	OK(aoms_elfio_open_fd(fd, &e, NULL));
	OK(aoms_elfio_view_get(e, 1, sizeof(buf), &v));
	assert_int_equal(aoms_elfio_pread(e, buf, sizeof(buf), 1), (ssize_t)sizeof(buf));
	assert_memory_equal(v.p, buf, sizeof(buf));
	aoms_elfio_view_put(&v);
	assert_int_equal(aoms_elfio_view_get(e, aoms_elfio_size(e) - 4, 8, &v), -EBADMSG);
	assert_int_equal(aoms_elfio_view_get(e, 0, 0, &v), -EBADMSG);

	OK(aoms_elfio_view_get(e, aoms_elfio_size(e) - 200000, 200000, &v));
	s = (struct sum){ .p = v.p, .n = 200000 };
	assert_int_equal(aoms_sigbus_guarded(v.p, s.n, sum_bytes, &s), 7);
	assert_int_equal(s.total, 200000);
	/* a cp over the file while it is read: pages past the new end fault */
	assert_int_equal(ftruncate(fd, 4096), 0);
	s.total = 0;
	assert_int_equal(aoms_sigbus_guarded(v.p, s.n, sum_bytes, &s), -EIO);
	/* and again: the guard is still in place after a fault */
	assert_int_equal(aoms_sigbus_guarded(v.p, s.n, sum_bytes, &s), -EIO);
	aoms_elfio_view_put(&v);
	aoms_elfio_free(e);
	close(fd);
}

/* ---- streams: a table crossing chunks, a name longer than a chunk ---------- */

struct seen_strings {
	uint64_t *off;
	char **s;
	size_t n;
};

static int collect_string(uint64_t off, const char *str, size_t len, void *ud)
{
	struct seen_strings *ss = ud;

	ss->off = realloc(ss->off, (ss->n + 1) * sizeof(*ss->off));
	ss->s = realloc(ss->s, (ss->n + 1) * sizeof(*ss->s));
	assert_non_null(ss->off);
	assert_non_null(ss->s);
	assert_int_equal(strlen(str), len);
	ss->off[ss->n] = off;
	assert_non_null(ss->s[ss->n] = strndup(str, len));
	ss->n++;
	return 0;
}

struct sym_list {
	GElf_Sym *sym;
	char **name;
	size_t n;
};

static int collect_symbol(const GElf_Sym *s, size_t index, const char *name, void *ud)
{
	struct sym_list *l = ud;

	assert_int_equal(index, l->n + 1);
	l->sym = realloc(l->sym, (l->n + 1) * sizeof(*l->sym));
	l->name = realloc(l->name, (l->n + 1) * sizeof(*l->name));
	assert_non_null(l->sym);
	assert_non_null(l->name);
	l->sym[l->n] = *s;
	l->name[l->n] = name ? strdup(name) : NULL;
	l->n++;
	return 0;
}

static void test_streams(void **state)
{
	_cleanup_(freep) char *obj = aoms_test_path("strs.o");
	_cleanup_(freep) char *src = aoms_test_path("strs.s");
	struct aoms_elfio *e = NULL;
	struct aoms_elfio_section symtab;
	struct seen_strings ss = { 0 };
	struct sym_list whole = { 0 }, streamed = { 0 };
	size_t missing = 0;
	FILE *f;
	int fd;

	/* 30,000 labels of 70 characters (2 MiB of names: two chunk boundaries) and one
	 * of 1.2 MiB, longer than a chunk */
	f = fopen(src, "w");
	assert_non_null(f);
	fprintf(f, "\t.data\n");
	for (int i = 0; i < 30000; i++)
		fprintf(f, "\t.globl sym_%062d\nsym_%062d:\t.long %d\n", i, i, i);
	fprintf(f, "\t.globl huge_");
	for (int i = 0; i < 1200000; i++)
		fputc('a' + i % 26, f);
	fprintf(f, "\nhuge_name:\t.long 0\n");
	assert_int_equal(fclose(f), 0);
	if (!aoms_test_sh("cd %s && as -o strs.o strs.s", aoms_test_tmpdir))
		skip();
	fd = open(obj, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	OK(aoms_elfio_open_fd(fd, &e, NULL));
	OK(aoms_elfio_find_section_type(e, SHT_SYMTAB, &symtab));
	OK(aoms_elfio_foreach_symbol(e, &symtab, collect_symbol, &whole));
	OK(aoms_elfio_stream_symbols(e, &symtab, collect_symbol, &streamed));
	assert_true(whole.n > 30000);
	assert_int_equal(streamed.n, whole.n);
	OK(aoms_elfio_stream_strings(e, symtab.shdr.sh_link, collect_string, &ss));
	for (size_t i = 0; i < whole.n; i++) {
		size_t a = 0, b = ss.n;

		assert_memory_equal(&streamed.sym[i], &whole.sym[i], sizeof(GElf_Sym));
		assert_null(streamed.name[i]);
		while (a < b) {   /* the string holding st_name (a name may be a tail) */
			size_t mid = (a + b) / 2;

			if (ss.off[mid] <= whole.sym[i].st_name)
				a = mid + 1;
			else
				b = mid;
		}
		if (a == 0 || whole.sym[i].st_name - ss.off[a - 1] > strlen(ss.s[a - 1])) {
			missing++;
			assert_true(strlen(whole.name[i]) > 1000000);
			continue;
		}
		assert_string_equal(ss.s[a - 1] + (whole.sym[i].st_name - ss.off[a - 1]), whole.name[i]);
	}
	assert_int_equal(missing, 1);   /* the name longer than a chunk */
	for (size_t i = 0; i < whole.n; i++) {
		free(whole.name[i]);
		free(streamed.name[i]);
	}
	for (size_t i = 0; i < ss.n; i++)
		free(ss.s[i]);
	free(ss.off);
	free(ss.s);
	free(whole.sym);
	free(whole.name);
	free(streamed.sym);
	free(streamed.name);
	aoms_elfio_free(e);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_streams),
	};

	return cmocka_run_group_tests(tests, setup, aoms_test_teardown);
}
