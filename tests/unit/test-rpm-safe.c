/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hostile-input side of the RPM reader: the header check (rpm-header.h) over
 * header structures built here, tag by tag, with bad types and counts; the child
 * stream decoders (rpm-stream.h) over truncated and forged records; a reader
 * child that hangs (AOMS_TEST_RPM_CHILD_HANG) is killed after its timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "arena.h"
#include "rpm-file.h"
#include "rpm-header.h"
#include "rpm-stream.h"
#include "strbuf.h"
#include "testutil.h"

enum { NUL_T, CHAR_T, INT8_T, INT16_T, INT32_T, INT64_T, STR_T, BIN_T, SA_T, I18N_T };

struct tag { uint32_t tag, type, count; const char *strs; uint32_t ival; };

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

/* A header structure of tags: strings are '|'-separated, integers all ival. */
static size_t build(const struct tag *t, size_t n, unsigned char *out, size_t cap)
{
	unsigned char data[4096];
	size_t dl = 0, size;

	for (size_t i = 0; i < n; i++) {
		size_t sz = t[i].type == INT16_T ? 2 : t[i].type == INT32_T ? 4 : t[i].type == INT64_T ? 8 : 1;

		while (dl % sz)
			data[dl++] = 0;
		be32(out + 16 + 16 * i, t[i].tag);
		be32(out + 16 + 16 * i + 4, t[i].type);
		be32(out + 16 + 16 * i + 8, (uint32_t)dl);
		be32(out + 16 + 16 * i + 12, t[i].count);
		if (t[i].strs) {
			for (const char *s = t[i].strs; ; s++) {
				data[dl++] = *s == '|' ? 0 : (unsigned char)*s;
				if (!*s)
					break;
			}
		} else {
			for (uint32_t k = 0; k < t[i].count; k++, dl += sz) {
				memset(data + dl, 0, sz);
				if (sz >= 4)
					be32(data + dl + sz - 4, t[i].ival);
			}
		}
	}
	memcpy(out, "\x8e\xad\xe8\x01\0\0\0\0", 8);
	be32(out + 8, (uint32_t)n);
	be32(out + 12, (uint32_t)dl);
	size = 16 + 16 * n + dl;
	assert_true(size <= cap);
	memcpy(out + 16 + 16 * n, data, dl);
	return size;
}

/* A good package header; each case replaces one tag (by position). */
static const struct tag good[] = {
	{ 1000, STR_T, 1, "foo", 0 },
	{ 1001, STR_T, 1, "1.0", 0 },
	{ 1002, STR_T, 1, "1", 0 },
	{ 1028, INT32_T, 2, NULL, 10 },
	{ 1030, INT16_T, 2, NULL, 0 },
	{ 1036, SA_T, 2, "|", 0 },
	{ 1047, SA_T, 1, "foo", 0 },
	{ 1049, SA_T, 2, "a|b", 0 },
	{ 1048, INT32_T, 2, NULL, 0 },
	{ 1050, SA_T, 2, "|", 0 },
	{ 1116, INT32_T, 2, NULL, 0 },
	{ 1117, SA_T, 2, "x|y", 0 },
	{ 1118, SA_T, 1, "/usr/bin/", 0 },
	{ 1126, STR_T, 1, "9", 0 },
};

static const struct {
	size_t at;           /* index in good[] replaced */
	struct tag t;
	const char *reason;  /* NULL: accepted */
} cases[] = {
	{ 0, { 1000, STR_T, 1, "foo", 0 }, NULL },
	{ 12, { 1118, I18N_T, 1, "/usr/bin/", 0 }, "header tag DIRNAMES has type I18NSTRING, expected STRING_ARRAY" },
	{ 11, { 1117, I18N_T, 2, "x|y", 0 }, "header tag BASENAMES has type I18NSTRING, expected STRING_ARRAY" },
	{ 13, { 1142, STR_T, 1, "9", 0 }, "header tag CLASSDICT has type STRING, expected STRING_ARRAY" },
	{ 0, { 1000, SA_T, 1, "foo", 0 }, "header tag NAME has type STRING_ARRAY, expected STRING" },
	{ 4, { 1030, INT32_T, 2, NULL, 0 }, "header tag FILEMODES has type INT32, expected INT16" },
	{ 4, { 1030, INT16_T, 3, NULL, 0 }, "header tag FILEMODES has 3 entries, expected 2 (as BASENAMES)" },
	{ 3, { 1028, INT32_T, 1, NULL, 0 }, "header tag FILESIZES has 1 entries, expected 2 (as BASENAMES)" },
	{ 5, { 1036, SA_T, 3, "||", 0 }, "header tag FILELINKTOS has 3 entries, expected 2 (as BASENAMES)" },
	{ 3, { 5008, INT64_T, 2, NULL, 7 }, NULL },
	{ 3, { 5008, INT32_T, 2, NULL, 7 }, "header tag LONGFILESIZES has type INT32, expected INT64" },
	{ 10, { 1116, INT32_T, 2, NULL, 1 }, "header tag DIRINDEXES entry 0 is 1, but DIRNAMES has 1 entries" },
	{ 10, { 1116, INT16_T, 2, NULL, 0 }, "header tag DIRINDEXES has type INT16, expected INT32" },
	{ 8, { 1048, INT32_T, 1, NULL, 0 }, "header tag REQUIREFLAGS has 1 entries, expected 2 (as REQUIRENAME)" },
	{ 9, { 1050, SA_T, 1, "", 0 }, "header tag REQUIREVERSION has 1 entries, expected 2 (as REQUIRENAME)" },
	{ 6, { 1047, STR_T, 1, "foo", 0 }, "header tag PROVIDENAME has type STRING, expected STRING_ARRAY" },
	{ 13, { 1126, INT32_T, 1, NULL, 9 }, "header tag PAYLOADFLAGS has type INT32, expected STRING" },
	{ 1, { 1001, STR_T, 2, "1|2", 0 }, "header tag 1001 (STRING, 2 entries) lies outside the header data" },
	{ 7, { 1049, SA_T, 200, "a|b", 0 }, "header tag 1049 (STRING_ARRAY, 200 entries) lies outside the header data" },
	{ 2, { 1002, 17, 1, "1", 0 }, "header tag 1002 has unknown type 17" },
	{ 0, { 1001, STR_T, 1, "foo", 0 }, "header tag VERSION appears twice" },
	{ 12, { 1004, I18N_T, 1, "summary", 0 }, "header has BASENAMES without DIRNAMES and DIRINDEXES" },
};

static void test_header_table(void **state)
{
	unsigned char blob[8192];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tag t[ARRAY_SIZE(good)];
		_cleanup_(freep) char *reason = NULL;
		size_t n;
		int r;

		memcpy(t, good, sizeof(good));
		t[cases[i].at] = cases[i].t;
		n = build(t, ARRAY_SIZE(t), blob, sizeof(blob));
		r = aoms_rpm_header_check(blob, n, 1, &reason);
		if (!cases[i].reason) {
			if (r != 0)
				fail_msg("case %zu: %d %s", i, r, reason);
			continue;
		}
		assert_int_equal(r, -EBADMSG);
		if (!reason || strcmp(reason, cases[i].reason))
			fail_msg("case %zu: '%s', expected '%s'", i, reason, cases[i].reason);
	}
}

static void test_header_layout(void **state)
{
	unsigned char blob[8192];
	size_t n = build(good, ARRAY_SIZE(good), blob, sizeof(blob));
	char *reason = NULL;

	assert_int_equal(aoms_rpm_header_check(blob, n, 1, NULL), 0);
	assert_int_equal(aoms_rpm_header_check(blob, n, 0, NULL), 0);
	for (size_t cut = 0; cut < n; cut += 7)   /* every truncation */
		assert_int_equal(aoms_rpm_header_check(blob, cut, 1, NULL), -EBADMSG);
	be32(blob + 8, 0x10000);   /* over rpm's tag limit */
	assert_int_equal(aoms_rpm_header_check(blob, n, 1, &reason), -EBADMSG);
	assert_non_null(strstr(reason, "exceed rpm's limits"));
	free(reason);
	blob[0] = 0;
	assert_int_equal(aoms_rpm_header_check(blob, n, 1, NULL), -EBADMSG);
	assert_int_equal(aoms_rpm_header_check(NULL, 0, 1, NULL), -EBADMSG);
}

/* ---- the child stream ---- */

static const struct aoms_rpm_file_entry files[] = {
	{ "/usr/lib64/libfoo.so", S_IFLNK | 0777, 0, "libfoo.so.1" },
	{ "/usr/lib64/libfoo.so.1", S_IFREG | 0755, 1234, NULL },
};
static struct aoms_rpm_dep provides[] = { { "libfoo.so.1()(64bit)", "", "", false } };
static struct aoms_rpm_dep requires[] = { { "rpmlib(X)", "<=", "4.0", true },
					  { "bar", ">=", "1:2-3", false } };
static const struct aoms_rpm_pkg pkg = {
	"foo", "1", "1.2", "3", "x86_64", "foo-1:1.2-3.x86_64", provides, requires, 1, 2,
	(struct aoms_rpm_file_entry *)files, 2, NULL, NULL, NULL,
};

static void test_stream_roundtrip(void **state)
{
	_cleanup_(aoms_strbuf_release) struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
	struct aoms_rpm_rec_head h;
	struct aoms_rpm_pkg p;
	struct aoms_rpm_file_entry f;
	_cleanup_(freep) char *reason = NULL;
	int err;

	assert_int_equal(aoms_arena_new(&a), 0);
	assert_int_equal(aoms_rpm_rec_put_pkg(&sb, &pkg), 0);
	memcpy(&h, sb.buf, sizeof(h));
	assert_int_equal(h.type, AOMS_RPM_REC_PKG);
	assert_int_equal(h.len, sb.len - sizeof(h));
	assert_int_equal(aoms_rpm_rec_head_check(&h, 0), 0);
	assert_int_equal(aoms_rpm_rec_get_pkg(sb.buf + sizeof(h), h.len, a, &p), 0);
	assert_string_equal(p.nevra, pkg.nevra);
	assert_string_equal(p.epoch, "1");
	assert_int_equal(p.n_requires, 2);
	assert_string_equal(p.requires[1].op, ">=");
	assert_true(p.requires[0].rpmlib);
	assert_int_equal(p.n_files, 2);
	assert_string_equal(p.files[0].link, "libfoo.so.1");
	assert_null(p.files[1].link);
	assert_int_equal(p.files[1].size, 1234);
	/* every truncation of the body is refused, never read past */
	for (size_t cut = 0; cut < h.len; cut++) {
		void *copy = malloc(cut ? cut : 1);

		memcpy(copy, sb.buf + sizeof(h), cut);
		assert_int_equal(aoms_rpm_rec_get_pkg(copy, cut, a, &p), -EBADMSG);
		free(copy);
	}
	aoms_strbuf_reset(&sb);
	assert_int_equal(aoms_rpm_rec_put_file(&sb, AOMS_RPM_REC_FILE, &files[1]), 0);
	assert_int_equal(aoms_rpm_rec_get_file(sb.buf + sizeof(h), sb.len - sizeof(h), a, &f), 0);
	assert_string_equal(f.path, files[1].path);
	aoms_strbuf_reset(&sb);
	assert_int_equal(aoms_rpm_rec_put_error(&sb, EBADMSG, "bad"), 0);
	assert_int_equal(aoms_rpm_rec_get_error(sb.buf + sizeof(h), sb.len - sizeof(h), &err, &reason), 0);
	assert_int_equal(err, EBADMSG);
	assert_string_equal(reason, "bad");
}

static void test_stream_forged(void **state)
{
	_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
	struct aoms_rpm_rec_head h = { AOMS_RPM_REC_PKG, 0, AOMS_RPM_REC_MAX_PKG + 1 };
	struct aoms_rpm_pkg p;
	/* name "foo" then a string claiming 4 GiB - 2 bytes */
	const unsigned char long_str[] = { 3, 0, 0, 0, 'f', 'o', 'o', 0xfe, 0xff, 0xff, 0xff, 'x' };
	/* a string with a NUL inside */
	const unsigned char nul_str[] = { 3, 0, 0, 0, 'f', 0, 'o' };
	_cleanup_(aoms_strbuf_release) struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	size_t at;

	assert_int_equal(aoms_arena_new(&a), 0);
	assert_int_equal(aoms_rpm_rec_head_check(&h, 0), -EBADMSG);
	h = (struct aoms_rpm_rec_head){ 'Q', 0, 0 };
	assert_int_equal(aoms_rpm_rec_head_check(&h, 0), -EBADMSG);
	h = (struct aoms_rpm_rec_head){ AOMS_RPM_REC_END, 1, 0 };
	assert_int_equal(aoms_rpm_rec_head_check(&h, 0), -EBADMSG);
	h = (struct aoms_rpm_rec_head){ AOMS_RPM_REC_DATA, 0, 100 };
	assert_int_equal(aoms_rpm_rec_head_check(&h, 99), -EBADMSG);
	assert_int_equal(aoms_rpm_rec_head_check(&h, 100), 0);
	assert_int_equal(aoms_rpm_rec_get_pkg(long_str, sizeof(long_str), a, &p), -EBADMSG);
	assert_int_equal(aoms_rpm_rec_get_pkg(nul_str, sizeof(nul_str), a, &p), -EBADMSG);
	/* a file count far beyond what the body holds */
	assert_int_equal(aoms_rpm_rec_put_pkg(&sb, &(struct aoms_rpm_pkg){ "a", NULL, "1", "1", "x",
							"a-1-1.x", NULL, NULL, 0, 0, NULL, 0, NULL, NULL, NULL }), 0);
	at = sb.len - sizeof(uint32_t);   /* the file count, last */
	memcpy(sb.buf + at, &(uint32_t){ 0x10000000 }, sizeof(uint32_t));
	assert_int_equal(aoms_rpm_rec_get_pkg(sb.buf + sizeof(h), sb.len - sizeof(h), a, &p), -EBADMSG);
	/* trailing bytes after a good record */
	aoms_strbuf_reset(&sb);
	assert_int_equal(aoms_rpm_rec_put_pkg(&sb, &pkg), 0);
	assert_int_equal(aoms_rpm_rec_get_pkg(sb.buf + sizeof(h), sb.len - sizeof(h), a, &p), 0);
	assert_int_equal(aoms_strbuf_add(&sb, "z", 1), 0);
	assert_int_equal(aoms_rpm_rec_get_pkg(sb.buf + sizeof(h), sb.len - sizeof(h), a, &p), -EBADMSG);
}

static void test_child_timeout(void **state)
{
	_cleanup_(freep) char *p = NULL, *reason = NULL;
	struct aoms_rpm *r = NULL;

	/* any file with the lead magic: the child hangs before reading it */
	aoms_test_write_data("hang.rpm", "\xed\xab\xee\xdb", 4);
	p = aoms_test_path("hang.rpm");
	setenv("AOMS_TEST_RPM_CHILD_HANG", "hang.rpm", 1);
	assert_int_equal(aoms_rpm_open_ex(p, &(struct aoms_rpm_opts){ .timeout_s = 1 }, &r, &reason),
			 -EBADMSG);
	unsetenv("AOMS_TEST_RPM_CHILD_HANG");
	assert_null(r);
	assert_string_equal(reason, "timed out after 1 s reading the package");
	free(reason);
	reason = NULL;
	setenv("AOMS_TEST_RPM_CHILD_ABORT", "1", 1);
	assert_int_equal(aoms_rpm_open(p, &r, &reason), -EBADMSG);
	unsetenv("AOMS_TEST_RPM_CHILD_ABORT");
	assert_non_null(strstr(reason, "crashed reading the package (signal"));
	free(reason);
	reason = NULL;
	/* the file itself: a lead and nothing else */
	assert_int_equal(aoms_rpm_open(p, &r, &reason), -EBADMSG);
	assert_string_equal(reason, "truncated signature header");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_table),
		cmocka_unit_test(test_header_layout),
		cmocka_unit_test(test_stream_roundtrip),
		cmocka_unit_test(test_stream_forged),
		cmocka_unit_test(test_child_timeout),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
