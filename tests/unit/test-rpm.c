/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanners/rpm-file.c and rpmdb.c: real RPMs built at test time with rpmbuild
 * from the specs in tests/fixtures/rpm/ (gzip, xz and zstd payloads), checked against
 * what the rpm CLI says of them; hostile copies (truncated, corrupt payload, not
 * an RPM); rpmdbs made with `rpm --root R --dbpath /var/lib/rpm --justdb` in
 * sqlite, and in Berkeley DB through db_load when available — read without
 * anything under the root changing.
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
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "rpm-file.h"
#include "rpmdb.h"
#include "strbuf.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)
#define sh(...) aoms_test_sh(__VA_ARGS__)
#define out(...) aoms_test_out(__VA_ARGS__)

static bool have_tools, built, built_zstd, have_root;
static char *arch;   /* of aomsfoo, as rpm says */

static bool rpmbuild(const char *spec, const char *dir, const char *io)
{
	return sh("rpmbuild -bb --define '_topdir %s/top' --define '_dbpath %s/db' "
		  "--define '_tmppath %s/tmp' --define '_sourcedir %s/tests/fixtures/rpm' "
		  "--define '_rpmdir %s/%s' --define '_build_name_fmt %%%%{NAME}.rpm' "
		  "--define '_binary_payload %s' '%s/tests/fixtures/rpm/%s.spec'",
		  aoms_test_tmpdir, aoms_test_tmpdir, aoms_test_tmpdir, getenv("AOMS_SRC"),
		  aoms_test_tmpdir, dir, io, getenv("AOMS_SRC"), spec);
}

static int setup(void **state)
{
	if (aoms_test_tmpdir_setup("rpm") < 0)
		return -1;
	have_tools = getenv("AOMS_SRC") &&
		     system("command -v rpmbuild >/dev/null && command -v gcc >/dev/null") == 0;
	if (!have_tools)
		return 0;
	sh("mkdir -p tmp");
	built = rpmbuild("aomsfoo", "gz", "w9.gzdio") && rpmbuild("aomsdata", "gz", "w9.gzdio") &&
		rpmbuild("aomsfoo", "xz", "w2.xzdio");
	built_zstd = built && rpmbuild("aomsfoo", "zstd", "w3.zstdio");
	arch = built ? out("rpm -qp --qf '%%{ARCH}' gz/aomsfoo.rpm") : NULL;
	have_root = built && sh("mkdir R && rpm --root \"$PWD/R\" --dbpath /var/lib/rpm -i --nodeps "
				"--justdb --noscripts --notriggers gz/aomsfoo.rpm gz/aomsdata.rpm");
	return 0;
}

static int teardown(void **state)
{
	free(arch);
	return aoms_test_tmpdir_teardown();
}

static void need_rpms(bool root)
{
	if (!have_tools)
		skip();
	if (!built || (root && !have_root)) {
		_cleanup_(freep) char *log = out("cat build.log");

		fail_msg("rpmbuild or rpm --root ... --justdb failed:\n%s", log);
	}
}

static struct aoms_rpm *open_ok(const char *name)
{
	_cleanup_(freep) char *p = aoms_test_path(name), *reason = NULL;
	struct aoms_rpm *r = NULL;
	int rc = aoms_rpm_open(p, &r, &reason);

	if (rc != 0)
		fail_msg("aoms_rpm_open(%s) = %d: %s", name, rc, reason ? reason : "");
	return r;
}

/* "name op evr" per dependency, one a line, as `rpm -q --provides` prints them. */
static char *deps_text(const struct aoms_rpm_dep *d, size_t n)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		OK(aoms_strbuf_addf(&sb, "%s%s%s%s%s\n", d[i].name, *d[i].op ? " " : "", d[i].op,
				    *d[i].op ? " " : "", d[i].evr));
	return aoms_strbuf_detach(&sb);
}

/* d[] has name with op and evr, rpmlib set exactly for rpmlib(...) names. */
static void assert_dep(const struct aoms_rpm_dep *d, size_t n, const char *name, const char *op,
		       const char *evr)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].name, name))
			continue;
		assert_string_equal(d[i].op, op);
		assert_string_equal(d[i].evr, evr);
		assert_int_equal(d[i].rpmlib, !strncmp(name, "rpmlib(", 7));
		return;
	}
	fail_msg("no dependency '%s'", name);
}

static void check_foo_pkg(const struct aoms_rpm_pkg *p, const char *file)
{
	_cleanup_(freep) char *nevra = aoms_strdupf("aomsfoo-1:1.2-3.%s", arch);
	_cleanup_(freep) char *provides = out("rpm -qp --provides %s", file);
	_cleanup_(freep) char *requires = out("rpm -qp --requires %s", file);
	_cleanup_(freep) char *ours_p = deps_text(p->provides, p->n_provides);
	_cleanup_(freep) char *ours_r = deps_text(p->requires, p->n_requires);
	const char *bits = sizeof(void *) == 8 ? "(64bit)" : "";
	_cleanup_(freep) char *soname = aoms_strdupf("libaomsfoo.so.1()%s", bits);
	_cleanup_(freep) char *node = aoms_strdupf("libaomsfoo.so.1(FOO_1.1)%s", bits);
	bool rpmlib = false;

	assert_string_equal(p->name, "aomsfoo");
	assert_string_equal(p->epoch, "1");
	assert_string_equal(p->arch, arch);
	assert_string_equal(p->nevra, nevra);
	/* same entries, same order as the rpm CLI */
	assert_string_equal(ours_p, provides);
	assert_string_equal(ours_r, requires);
	assert_dep(p->provides, p->n_provides, soname, "", "");
	assert_dep(p->provides, p->n_provides, node, "", "");
	assert_dep(p->requires, p->n_requires, "aoms-fake-capability", ">=", "2.0");
	assert_dep(p->requires, p->n_requires, "/bin/sh", "", "");
	for (size_t i = 0; i < p->n_requires; i++)
		rpmlib |= p->requires[i].rpmlib;
	assert_true(rpmlib);
	assert_int_equal(p->n_files, 3);
	assert_string_equal(p->files[0].path, "/usr/lib64/libaomsfoo.so");
	assert_true(S_ISLNK(p->files[0].mode));
	assert_string_equal(p->files[0].link, "libaomsfoo.so.1");
	assert_string_equal(p->files[1].path, "/usr/lib64/libaomsfoo.so.1");
	assert_int_equal(p->files[1].mode, S_IFREG | 0755);
	assert_null(p->files[1].link);
	assert_true(p->files[1].size > 1000);
	assert_string_equal(p->files[2].path, "/usr/share/doc/aomsfoo/README");
	assert_int_equal(p->files[2].size, strlen("aomsfoo: not an ELF file\n"));
}

static void test_open(void **state)
{
	need_rpms(false);
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *r = open_ok("gz/aomsfoo.rpm");
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *d = open_ok("gz/aomsdata.rpm");
	const struct aoms_rpm_pkg *p = aoms_rpm_pkg(d);

	check_foo_pkg(aoms_rpm_pkg(r), "gz/aomsfoo.rpm");
	assert_null(p->epoch);
	assert_string_equal(p->nevra, "aomsdata-0.9-1.noarch");
	assert_dep(p->requires, p->n_requires, "aomsfoo", "=", "1:1.2-3");
}

struct seen {
	int calls, stop_with;
	uint64_t size;
	char path[256], sha[80];
};

/* Records the ELF file and the sha256 of its content as sha256sum prints it. */
static int on_elf(const struct aoms_rpm_file_entry *f, const void *data, size_t size, void *ud)
{
	struct seen *s = ud;
	_cleanup_(freep) char *p = aoms_test_path("payload.bin"), *sha = NULL;
	FILE *o = fopen(p, "w");

	assert_non_null(o);
	assert_int_equal(fwrite(data, 1, size, o), size);
	fclose(o);
	assert_memory_equal(data, "\177ELF", 4);
	assert_int_equal(size, f->size);
	assert_true(S_ISREG(f->mode));
	sha = out("sha256sum payload.bin | cut -d' ' -f1");
	snprintf(s->path, sizeof(s->path), "%s", f->path);
	snprintf(s->sha, sizeof(s->sha), "%s", sha);
	s->size = size;
	s->calls++;
	return s->stop_with;
}

static void check_payload(const char *file)
{
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *r = open_ok(file);
	_cleanup_(freep) char *digest = out("rpm -qp --qf '[%%{FILEDIGESTS} %%{FILENAMES}\\n]' %s "
					    "| grep ' /usr/lib64/libaomsfoo.so.1$' | cut -d' ' -f1",
					    file);
	struct seen s = { 0 };
	char *reason = NULL;

	for (int pass = 0; pass < 2; pass++) {   /* streams again on request */
		s.calls = 0;
		assert_int_equal(aoms_rpm_foreach_payload_file(r, on_elf, &s, &reason), 1);
		assert_int_equal(s.calls, 1);
		assert_string_equal(s.path, "/usr/lib64/libaomsfoo.so.1");
		assert_int_equal(s.size, aoms_rpm_pkg(r)->files[1].size);
		assert_string_equal(s.sha, digest);   /* "<sha256>\n" both */
	}
	s.stop_with = -ECANCELED;
	assert_int_equal(aoms_rpm_foreach_payload_file(r, on_elf, &s, &reason), -ECANCELED);
	assert_null(reason);
}

static void test_payload(void **state)
{
	need_rpms(false);
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *d = open_ok("gz/aomsdata.rpm");
	struct seen s = { 0 };

	check_payload("gz/aomsfoo.rpm");
	check_payload("xz/aomsfoo.rpm");
	if (built_zstd)
		check_payload("zstd/aomsfoo.rpm");
	else
		print_message("rpmbuild cannot write zstd payloads: zstd not tested\n");
	assert_int_equal(aoms_rpm_foreach_payload_file(d, on_elf, &s, NULL), 0);
	assert_int_equal(s.calls, 0);
}

static void test_not_rpm(void **state)
{
	static const unsigned char lead[] = { 0xed, 0xab, 0xee, 0xdb, 3, 0 };
	static const char *const names[] = { "text", "empty-file", "elf", "fifo", "dir" };
	struct aoms_rpm *r = NULL;

	assert_true(aoms_rpm_is_rpm(lead, sizeof(lead)));
	assert_false(aoms_rpm_is_rpm(lead, 3));
	assert_false(aoms_rpm_is_rpm((const unsigned char *)"\177ELF", 4) || aoms_rpm_is_rpm(NULL, 0));
	assert_true(sh("echo 'not an rpm' >text && : >empty-file && printf '\\177ELF\\2\\1' >elf && "
		       "mkfifo fifo && mkdir dir"));
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		_cleanup_(freep) char *p = aoms_test_path(names[i]);

		assert_int_equal(aoms_rpm_open(p, &r, NULL), -ENOEXEC);
	}
	assert_int_equal(aoms_rpm_open("/nonexistent/x.rpm", &r, NULL), -ENOENT);
	assert_null(r);   /* untouched on failure */
	aoms_rpm_free(NULL);
}

/* Opening, then streaming, a damaged copy fails with -EBADMSG and a reason. */
static void check_damaged(const char *name)
{
	_cleanup_(freep) char *p = aoms_test_path(name), *reason = NULL;
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *r = NULL;
	struct seen s = { 0 };
	int rc = aoms_rpm_open(p, &r, &reason);

	if (rc == 0)
		rc = aoms_rpm_foreach_payload_file(r, on_elf, &s, &reason);
	if (rc != -EBADMSG || !reason || strchr(reason, '\n'))
		fail_msg("%s: %d (%s), expected -EBADMSG and a reason", name, rc, reason);
}

static void test_damaged(void **state)
{
	static const struct { const char *name, *cmd; } bad[] = {
		/* the deflate stream overwritten after the gzip header (1f 8b 08) */
		{ "bad-gz.rpm", "off=$(LC_ALL=C grep -obUaP '\\x1f\\x8b\\x08' gz/aomsfoo.rpm | tail -1 | "
		  "cut -d: -f1) && test -n \"$off\" && cp gz/aomsfoo.rpm bad-gz.rpm && head -c 400 "
		  "/dev/zero | tr '\\0' '\\377' | dd of=bad-gz.rpm bs=1 seek=$((off + 12)) conv=notrunc" },
		/* garbage in the xz stream */
		{ "bad-xz.rpm", "off=$(LC_ALL=C grep -obUaP '\\xfd7zXZ' xz/aomsfoo.rpm | tail -1 | "
		  "cut -d: -f1) && test -n \"$off\" && cp xz/aomsfoo.rpm bad-xz.rpm && printf "
		  "garbagegarbage | dd of=bad-xz.rpm bs=1 seek=$((off + 30)) conv=notrunc" },
		/* a bad xz stream footer: the cpio archive itself is whole */
		{ "bad-footer.rpm", "cp xz/aomsfoo.rpm bad-footer.rpm && printf XX | dd bs=1 "
		  "of=bad-footer.rpm seek=$(($(stat -c %s bad-footer.rpm) - 2)) conv=notrunc" },
	};
	_cleanup_(freep) char *p = aoms_test_path("gz/aomsfoo.rpm");
	long long sizes[] = { 4, 20, 95, 96, 120, 300, 1000, 0, 0, 0, 0, 0 };
	struct stat st;

	need_rpms(false);
	OK(stat(p, &st));
	for (int i = 1; i <= 4; i++)   /* and at each fifth of the file, and 40 bytes short */
		sizes[6 + i] = st.st_size * i / 5;
	sizes[11] = st.st_size - 40;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		_cleanup_(freep) char *name = aoms_strdupf("trunc-%lld.rpm", sizes[i]);

		assert_true(sh("head -c %lld gz/aomsfoo.rpm >%s", sizes[i], name));
		check_damaged(name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_true(sh("%s", bad[i].cmd));
		check_damaged(bad[i].name);
	}
}

/* Names, sizes, modes and mtimes of everything under dir. */
static char *snapshot(const char *dir)
{
	return out("cd %s && find . -printf '%%p %%s %%m %%T@\\n' | sort", dir);
}

struct pkgs {
	struct aoms_strbuf nevras;
	int stop_after;
	bool checked_foo;
};

static int on_pkg(const struct aoms_rpm_pkg *p, void *ud)
{
	struct pkgs *s = ud;

	OK(aoms_strbuf_addf(&s->nevras, "%s\n", p->nevra));
	if (!strcmp(p->name, "aomsfoo")) {
		check_foo_pkg(p, "gz/aomsfoo.rpm");
		s->checked_foo = true;
	}
	return s->stop_after && --s->stop_after == 0 ? -ECANCELED : 0;
}

/* aoms_rpmdb_foreach() of tmpdir/root yields n packages (R's two, sorted, when n
 * is 2) and leaves the root's snapshot() as it was. */
static void read_root(const char *root, int n)
{
	_cleanup_(freep) char *before = snapshot(root), *after = NULL, *p = aoms_test_path(root),
			      *reason = NULL;
	_cleanup_(freep) char *want = aoms_strdupf("aomsdata-0.9-1.noarch\naomsfoo-1:1.2-3.%s\n", arch);
	struct pkgs s = { AOMS_STRBUF_INIT, 0, false };
	int rc = aoms_rpmdb_foreach(p, on_pkg, &s, &reason);

	if (rc != n)
		fail_msg("aoms_rpmdb_foreach(%s) = %d: %s", root, rc, reason ? reason : "");
	assert_true(s.checked_foo);
	if (n == 2)
		assert_string_equal(aoms_strbuf_str(&s.nevras), want);
	aoms_strbuf_release(&s.nevras);
	after = snapshot(root);
	assert_string_equal(before, after);
}

static void test_rpmdb_sqlite(void **state)
{
	need_rpms(true);
	_cleanup_(freep) char *r = aoms_test_path("R");
	struct pkgs s = { AOMS_STRBUF_INIT, 1, false };

	read_root("R", 2);
	assert_int_equal(aoms_rpmdb_foreach(r, on_pkg, &s, NULL), -ECANCELED);   /* fn's error stops */
	aoms_strbuf_release(&s.nevras);
	/* the sysimage location through a relative symlink; no -shm/-wal is created */
	assert_true(sh("mkdir -p S/usr/lib/sysimage/rpm S/var/lib && cp R/var/lib/rpm/rpmdb.sqlite "
		       "S/usr/lib/sysimage/rpm/ && ln -s ../../usr/lib/sysimage/rpm S/var/lib/rpm"));
	read_root("S", 2);
}

static void test_rpmdb_wal(void **state)
{
	need_rpms(true);
	_cleanup_(freep) char *db = aoms_test_path("W/var/lib/rpm/rpmdb.sqlite"),
			      *tmp = aoms_test_path("waltmp");
	_cleanup_(freep) char *left = NULL;
	sqlite3 *s = NULL;

	/* a row only in a write-ahead log, as a running (or killed) rpm leaves it */
	assert_true(sh("mkdir -p W/var/lib waltmp && cp -a R/var/lib/rpm W/var/lib/"));
	OK(sqlite3_open(db, &s));
	OK(sqlite3_db_config(s, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL));
	OK(sqlite3_exec(s, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; "
			"INSERT INTO Packages(hnum, blob) SELECT 1000, blob FROM Packages "
			"WHERE hnum = (SELECT MAX(hnum) FROM Packages)", NULL, NULL, NULL));
	OK(sqlite3_close(s));
	assert_true(sh("rm -f W/var/lib/rpm/rpmdb.sqlite-shm && test -s W/var/lib/rpm/rpmdb.sqlite-wal"));
	setenv("TMPDIR", tmp, 1);   /* for the private copy; no later test needs TMPDIR */
	read_root("W", 3);    /* the row is seen, the root unchanged */
	left = out("ls -A waltmp");
	assert_string_equal(left, "");   /* the private copy is gone */
}

static void test_rpmdb_bdb(void **state)
{
	need_rpms(true);
	_cleanup_(freep) char *db = aoms_test_path("R/var/lib/rpm/rpmdb.sqlite"),
			      *dump = aoms_test_path("dump.txt");
	sqlite3_stmt *st;
	sqlite3 *s;
	FILE *f;

	if (!sh("command -v db5.3_load || command -v db_load")) {
		print_message("no db_load: Berkeley DB rpmdb not tested\n");
		skip();
	}
	/* The same headers in an EL7/EL8-style Packages hash database, keyed by
	 * record number in host order. (bdb_ro wants every bucket page written, which
	 * db_load does only for non-empty buckets: the two records fill both.) */
	assert_non_null(f = fopen(dump, "w"));
	fputs("VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n", f);
	OK(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL));
	OK(sqlite3_prepare_v2(s, "SELECT hnum, lower(hex(blob)) FROM Packages", -1, &st, NULL));
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint32_t k = (uint32_t)sqlite3_column_int64(st, 0);

		fprintf(f, " %02x%02x%02x%02x\n %s\n", k & 255, (k >> 8) & 255, (k >> 16) & 255,
			k >> 24, sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	fputs("DATA=END\n", f);
	fclose(f);
	assert_true(sh("mkdir -p B/var/lib/rpm && $(command -v db5.3_load || command -v db_load) "
		       "-f dump.txt B/var/lib/rpm/Packages"));
	read_root("B", 2);
}

static void test_rpmdb_errors(void **state)
{
	static const struct { const char *root, *cmd; int err; } t[] = {
		{ "G1", "mkdir -p G1/var/lib/rpm && echo garbage >G1/var/lib/rpm/rpmdb.sqlite", -EBADMSG },
		{ "G2", "mkdir -p G2/var/lib/rpm && echo garbage >G2/var/lib/rpm/Packages", -EBADMSG },
		{ "G3", "mkdir -p G3/var/lib/rpm && echo garbage >G3/var/lib/rpm/Packages.db", -EBADMSG },
		{ "G4", "mkdir -p G4/usr/lib/sysimage/rpm && : >G4/usr/lib/sysimage/rpm/rpmdb.sqlite",
		  -EBADMSG },
		/* ndb magic, garbage after it: this librpm lacks ndb, or finds it corrupt */
		{ "G5", "mkdir -p G5/var/lib/rpm && echo RpmP-garbage >G5/var/lib/rpm/Packages.db",
		  -EPROTONOSUPPORT },
		{ "empty", "mkdir -p empty", -ENOENT },
		{ "no/such/root", "true", -ENOENT },
		/* a symlink out of the root is not followed to the host's rpmdb */
		{ "E", "mkdir -p E/var/lib && ln -s \"$PWD/R/var/lib/rpm\" E/var/lib/rpm", -ENOENT },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		_cleanup_(freep) char *root = aoms_test_path(t[i].root), *reason = NULL;
		int rc;

		assert_true(sh("%s", t[i].cmd));
		rc = aoms_rpmdb_foreach(root, on_pkg, NULL, &reason);
		if ((rc != t[i].err && !(t[i].err == -EPROTONOSUPPORT && rc == -EBADMSG)) || !reason)
			fail_msg("%s: %d (%s)", t[i].root, rc, reason ? reason : "no reason");
		if (rc == -EPROTONOSUPPORT)
			assert_non_null(strstr(reason, "uses ndb, which this librpm cannot read"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_not_rpm),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_rpmdb_sqlite),
		cmocka_unit_test(test_rpmdb_wal),
		cmocka_unit_test(test_rpmdb_bdb),
		cmocka_unit_test(test_rpmdb_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
