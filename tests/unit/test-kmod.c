/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kmod/ in memory: decompression (caps, garbage), the signature trailer, licenses, and
 * damaged module images (truncated, corrupt .modinfo, __versions with a symbol twice
 * or a partial entry). Real modules are tests/e2e/test-kmod.sh's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>
#include "kmod.h"
#include "testutil.h"

static void test_decompress_gzip_cap(void **state)
{
	size_t n = 2u << 20, zn = compressBound(n) + 64, out_n = 0;
	unsigned char *zeros = calloc(1, n), *gz = malloc(zn);
	z_stream z = { 0 };
	void *out = NULL;
	const char *fmt = NULL;
	char *reason = NULL;

	(void)state;
	assert_non_null(zeros);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = zeros;
	z.avail_in = (uInt)n;
	z.next_out = gz;
	z.avail_out = (uInt)zn;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	zn = z.total_out;
	deflateEnd(&z);
	/* under the cap: the bytes */
	assert_int_equal(aoms_kmod_decompress(gz, zn, 4u << 20, &out, &out_n, &fmt, &reason), 1);
	assert_int_equal(out_n, n);
	assert_string_equal(fmt, "gzip");
	free(out);
	/* past the cap: -EFBIG, named */
	assert_int_equal(aoms_kmod_decompress(gz, zn, 1u << 20, &out, &out_n, &fmt, &reason), -EFBIG);
	assert_non_null(strstr(reason, "expands past 1 MiB"));
	free(reason);
	reason = NULL;
	/* truncated stream */
	assert_int_equal(aoms_kmod_decompress(gz, zn / 2, 4u << 20, &out, &out_n, &fmt, &reason), -EBADMSG);
	free(reason);
	free(zeros);
	free(gz);
}

static void test_decompress_garbage(void **state)
{
	static const unsigned char xz[] = "\xfd" "7zXZ\0garbage-garbage-garbage";
	static const unsigned char zst[] = "\x28\xb5\x2f\xfd" "garbage-garbage";
	void *out = NULL;
	size_t n = 0;
	const char *fmt = NULL;
	char *reason = NULL;
	int r;

	(void)state;
	r = aoms_kmod_decompress(xz, sizeof(xz), 1u << 20, &out, &n, &fmt, &reason);
	assert_true(r == -EBADMSG || r == -EPROTONOSUPPORT);
	assert_non_null(reason);
	free(reason);
	reason = NULL;
	r = aoms_kmod_decompress(zst, sizeof(zst), 1u << 20, &out, &n, &fmt, &reason);
	assert_true(r == -EBADMSG || r == -EPROTONOSUPPORT);
	free(reason);
	assert_int_equal(aoms_kmod_decompress("\x7f" "ELF", 4, 1u << 20, &out, &n, &fmt, &reason), 0);
}

static void test_signature_trailer(void **state)
{
	unsigned char buf[256] = "ELFIMAGE";
	size_t off = 100;
	char *signer = NULL;
	bool is_signed;

	(void)state;
	/* image(100) signer "Vendor"(6) key id(4) sig(10) info(12) magic(28) */
	memcpy(buf + off, "Vendor", 6);
	off += 6 + 4 + 10;
	memset(buf + off, 0, 12);
	buf[off + 3] = 6;    /* signer_len */
	buf[off + 4] = 4;    /* key_id_len */
	buf[off + 11] = 10;  /* sig_len (be32) */
	off += 12;
	memcpy(buf + off, "~Module signature appended~\n", 28);
	off += 28;
	assert_int_equal(aoms_kmod_strip_signature(buf, off, &is_signed, &signer), 100);
	assert_true(is_signed);
	assert_string_equal(signer, "Vendor");
	free(signer);
	/* a trailer claiming more bytes than the file: not one */
	buf[off - 28 - 1] = 0xff;
	assert_int_equal(aoms_kmod_strip_signature(buf, off, &is_signed, &signer), off);
	assert_false(is_signed);
	assert_int_equal(aoms_kmod_strip_signature(buf, 10, &is_signed, &signer), 10);
}

static void test_license(void **state)
{
	struct aoms_kmod m = { 0 };

	(void)state;
	assert_false(aoms_kmod_license_gpl(&m));
	m.license = (char *)"Dual BSD/GPL";
	assert_true(aoms_kmod_license_gpl(&m));
	m.license = (char *)"Proprietary";
	assert_false(aoms_kmod_license_gpl(&m));
	m.license = (char *)"GPL v2";
	assert_true(aoms_kmod_license_gpl(&m));
}

/* Reads the file at path through aoms_kmod_read_fd(). */
static int read_path(const char *name, struct aoms_kmod **ret, char **reason)
{
	char *path = aoms_test_path(name);
	int fd = open(path, O_RDONLY);
	int r;


	assert_true(fd >= 0);
	r = aoms_kmod_read_fd(fd, path, ret, reason);
	close(fd);
	free(path);
	return r;
}

static const char mod_c[] =
	"static const char mi[] __attribute__((section(\".modinfo\"), used)) =\n"
	"\t\"license=GPL\\0vermagic=6.1.0 SMP mod_unload modversions \\0import_ns=FOO\";\n"
	"extern int printk(const char *, ...);\n"
	"extern int weak_fn(void) __attribute__((weak));\n"
	"int init_module(void) { return printk(\"x\") + (weak_fn ? weak_fn() : 0); }\n";
static const char vers_py[] =
	"import struct\n"
	"e = lambda c, n: struct.pack('<Q', c) + n.ljust(56, b'\\0')\n"
	"open('v1.bin', 'wb').write(e(0x1234abcd, b'printk') + e(7, b'module_layout'))\n"
	"open('v2.bin', 'wb').write(e(1, b'printk') + e(2, b'printk'))\n"
	"open('vp.bin', 'wb').write(e(1, b'printk') + b'x' * 10)\n"
	"open('mi.bin', 'wb').write(b'novalue')\n";

static void test_read_modules(void **state)
{
	struct aoms_kmod *m = NULL;
	char *reason = NULL;

	(void)state;
	aoms_test_write_file("m.c", mod_c);
	aoms_test_write_file("vers.py", vers_py);
	if (!aoms_test_sh("cc -c m.c -o m.ko && python3 vers.py && "
			  "objcopy --add-section __versions=v1.bin m.ko good.ko && "
			  "objcopy --add-section __versions=v2.bin m.ko dup.ko && "
			  "objcopy --add-section __versions=vp.bin m.ko part.ko && "
			  "objcopy --update-section .modinfo=mi.bin m.ko mi.ko && "
			  "head -c 200 good.ko > trunc.ko")) {
		aoms_test_print_log();
		skip();
	}
	assert_int_equal(read_path("good.ko", &m, &reason), 0);
	assert_string_equal(m->name, "good");
	assert_string_equal(m->vermagic, "6.1.0 SMP mod_unload modversions ");
	assert_int_equal(m->n_import_ns, 1);
	assert_string_equal(m->import_ns[0], "FOO");
	assert_true(m->has_versions);
	assert_int_equal(m->module_layout_crc, 7);
	assert_non_null(aoms_kmod_find_import(m, "printk"));
	assert_int_equal(aoms_kmod_find_import(m, "printk")->crc, 0x1234abcd);
	assert_true(aoms_kmod_find_import(m, "weak_fn")->weak);
	assert_int_equal(aoms_kmod_find_import(m, "weak_fn")->crc, -1);
	aoms_kmod_free(m);
	m = NULL;
	assert_int_equal(read_path("dup.ko", &m, &reason), -EBADMSG);
	assert_string_equal(reason, "corrupt __versions: a symbol is listed twice: printk");
	free(reason);
	reason = NULL;
	assert_int_equal(read_path("part.ko", &m, &reason), -EBADMSG);
	assert_string_equal(reason, "corrupt __versions: size is not a multiple of 64");
	free(reason);
	reason = NULL;
	assert_int_equal(read_path("mi.ko", &m, &reason), -EBADMSG);
	assert_non_null(strstr(reason, ".modinfo"));
	free(reason);
	reason = NULL;
	assert_int_equal(read_path("trunc.ko", &m, &reason), -EBADMSG);
	free(reason);
	assert_null(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decompress_gzip_cap),
		cmocka_unit_test(test_decompress_garbage),
		cmocka_unit_test(test_signature_trailer),
		cmocka_unit_test(test_license),
		cmocka_unit_test(test_read_modules),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
