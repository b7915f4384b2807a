/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The executor's journal and root-safe writes (executor/journal.c, exec-root.c,
 * exec-files.c, exec-plan.c): the step log and its checks, the manifest catching a
 * changed, added or missing artifact, the lock, the files list round trip with
 * hostile paths, writes that stay inside the root whatever its symlinks say, and the
 * plan reader's refusals.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "exec-private.h"
#include "testutil.h"

/* A new empty root; returns its path (r borrows it: free it after closing r). */
static char *fresh_root(const char *name, struct exec_root *r)
{
	char *path = aoms_test_path(name);

	assert_true(aoms_test_sh("rm -rf %s && mkdir -p %s", name, name));
	assert_int_equal(exec_root_open(path, r), 0);
	return path;
}

static void test_steps(void **state)
{
	struct exec_root root;
	struct exec_journal j;
	struct exec_journal_state st;
	char *reason = NULL;

	char *rp = fresh_root("steps", &root);
	assert_int_equal(exec_journal_create(&root, &j, &reason), 0);
	assert_int_equal(exec_journal_step(&j, "journal", "started"), 0);
	assert_int_equal(exec_journal_step(&j, "journal", "done"), 0);
	assert_int_equal(exec_journal_step(&j, "backup", "started"), 0);
	assert_int_equal(exec_journal_state(&j, &st), 0);
	assert_true(st.done[0] && st.started[1] && !st.done[1] && !st.damaged);
	assert_int_equal(st.last, 1);
	exec_journal_close(&j);

	/* the current journal opens again; a torn last line and an edited line are seen */
	assert_int_equal(exec_journal_open(&root, &j, &reason), 0);
	assert_true(aoms_test_sh("cd steps/var/lib/aoms/journal/$(cat steps/var/lib/aoms/journal/current) "
				 "&& sed -i 's/^journal done/journal DONE/' steps && printf 'cache sta' >>steps"));
	assert_int_equal(exec_journal_state(&j, &st), 0);
	assert_true(st.damaged);
	assert_false(st.done[0]);
	assert_false(st.started[2]);
	exec_journal_close(&j);
	exec_root_close(&root);
	free(rp);
	free(reason);
}

static void test_manifest(void **state)
{
	struct exec_root root;
	struct exec_journal j;
	struct exec_strv bad = { 0 };
	char *reason = NULL;

	char *rp = fresh_root("manifest", &root);
	assert_int_equal(exec_journal_create(&root, &j, &reason), 0);
	assert_int_equal(exec_journal_verify(&j, &bad), -ENOENT);   /* not sealed yet */
	assert_int_equal(exec_journal_put(&j, "packages", "a-1-1.noarch\n", 13), 0);
	assert_int_equal(exec_journal_put(&j, "files.d/00ff", "bytes", 5), 0);
	assert_int_equal(exec_journal_put(&j, "rpms/a-1-1.noarch.rpm", "rpm", 3), 0);
	assert_int_equal(exec_journal_seal(&j), 0);
	assert_int_equal(exec_journal_verify(&j, &bad), 0);
	assert_int_equal(bad.n, 0);

	/* a changed copy, an added RPM, a removed list: each named */
	assert_int_equal(exec_journal_put(&j, "files.d/00ff", "BYTES", 5), 0);
	assert_int_equal(exec_journal_put(&j, "rpms/b-1-1.noarch.rpm", "rpm", 3), 0);
	assert_true(aoms_test_sh("rm manifest/var/lib/aoms/journal/*/packages"));
	assert_int_equal(exec_journal_verify(&j, &bad), 0);
	assert_int_equal(bad.n, 3);
	assert_non_null(strstr(bad.v[0], "files.d/00ff: sha256"));
	assert_non_null(strstr(bad.v[1], "packages"));
	assert_non_null(strstr(bad.v[2], "rpms/b-1-1.noarch.rpm: not in the manifest"));
	exec_strv_release(&bad);
	exec_journal_close(&j);
	exec_root_close(&root);
	free(rp);
	free(reason);
}

static void test_lock(void **state)
{
	struct exec_root root;
	int a = -1, b = -1;
	char *reason = NULL;

	char *rp = fresh_root("lock", &root);
	assert_int_equal(exec_lock(&root, &a, &reason), 0);
	/* flock is per open file description: a second open conflicts even in-process */
	assert_int_equal(exec_lock(&root, &b, &reason), -EBUSY);
	assert_non_null(strstr(reason, "another aoms apply or rollback holds"));
	close(a);
	free(reason);
	reason = NULL;
	assert_int_equal(exec_lock(&root, &b, &reason), 0);
	close(b);
	exec_root_close(&root);
	free(rp);
}

static void test_files_format(void **state)
{
	struct exec_files f = { 0 }, back = { 0 };
	struct exec_file v[] = {
		{ .path = (char *)"/etc/a b.conf", .kind = EXEC_REG, .config_user = true, .mode = 0100640,
		  .uid = 1, .gid = 2, .mtime = 1577923200, .mtime_ns = 5,
		  .sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
		{ .path = (char *)"/etc/new\nline%25", .kind = EXEC_ABSENT },
		{ .path = (char *)"/etc/system-release", .kind = EXEC_LINK, .mode = 0120777,
		  .link = (char *)"centos release" },
		{ .path = (char *)"/usr/share/new", .kind = EXEC_NODIR },
	};
	char *text, *again;

	f.v = v;
	f.n = ARRAY_SIZE(v);
	text = exec_files_format(&f);
	assert_non_null(text);
	assert_int_equal(exec_files_parse(text, &back), 0);
	assert_int_equal(back.n, 4);
	assert_string_equal(back.v[0].path, "/etc/a b.conf");
	assert_true(back.v[0].config_user);
	assert_int_equal(back.v[0].mode, 0100640);
	assert_int_equal(back.v[0].mtime_ns, 5);
	assert_string_equal(back.v[0].sha256, v[0].sha256);
	assert_string_equal(back.v[1].path, "/etc/new\nline%25");
	assert_string_equal(back.v[2].link, "centos release");
	assert_int_equal(back.v[3].kind, EXEC_NODIR);
	again = exec_files_format(&back);
	assert_string_equal(text, again);
	exec_files_release(&back);
	/* garbage is refused, not half read */
	assert_int_equal(exec_files_parse("f u 644 0 0 1.0 abc /x\n", &back), -EBADMSG);
	assert_int_equal(exec_files_parse("q - 644 0 0 1.0 - /x -\n", &back), -EBADMSG);
	free(text);
	free(again);
}

/* Symlinks in the root that point outside it (absolute, or up with "..") lead back
 * inside: the write lands under the root, never in the host's directory. */
static void test_root_escape(void **state)
{
	struct exec_root root;
	const char *base;
	int dfd;

	char *rp = fresh_root("escape", &root);
	assert_true(aoms_test_sh("rm -rf outside && mkdir -p outside escape/etc escape/%s/outside "
				 "escape/outside && ln -s %s/outside escape/etc/abs && "
				 "ln -s ../../../../../../outside escape/etc/up && "
				 "ln -s /outside/victim escape/etc/file && ln -s /nowhere escape/etc/dangling",
				 aoms_test_tmpdir, aoms_test_tmpdir));
	/* a dangling link is a clean refusal, not a directory made outside */
	assert_int_equal(exec_root_parent(&root, "/etc/dangling/z.conf", true, &base), -ENOENT);
	dfd = exec_root_parent(&root, "/etc/abs/x.conf", true, &base);
	assert_true(dfd >= 0);
	assert_int_equal(exec_write_at(dfd, base, "inside\n", 7, NULL), 0);
	close(dfd);
	dfd = exec_root_parent(&root, "/etc/up/y.conf", true, &base);
	assert_true(dfd >= 0);
	assert_int_equal(exec_write_at(dfd, base, "inside\n", 7, NULL), 0);
	close(dfd);
	/* a symlink at the file's own name is replaced, not followed */
	dfd = exec_root_parent(&root, "/etc/file", false, &base);
	assert_true(dfd >= 0);
	assert_int_equal(exec_write_at(dfd, base, "inside\n", 7, NULL), 0);
	close(dfd);
	assert_true(aoms_test_sh("test -z \"$(ls -A outside)\""));
	assert_true(aoms_test_sh("test -f escape/etc/file && test ! -L escape/etc/file"));
	assert_true(aoms_test_sh("find escape -name x.conf | grep -q . && find escape -name y.conf | grep -q ."));
	exec_root_close(&root);
	free(rp);
}

static const char plan_fmt[] =
	"{\"schema_version\": \"1.0\", \"tool\": {\"name\": \"aoms\", \"version\": \"0.1.0\"},"
	" \"decision\": \"%s\", \"hosts\": [{\"host\": \"web01\", \"decision\": \"%s\", \"blocking\": [%s],"
	" \"transaction\": {\"method\": \"distro-sync\", \"swap\": [{\"from\": \"centos-release\","
	" \"to\": \"anolis-release\"}], \"erase\": [], \"install\": [], \"distro_sync\": true%s},"
	" \"fingerprint\": {\"packages\": \"2\", \"packages_fingerprint\": \"00112233aabbccdd\","
	" \"database\": \"embedded\", \"aoms_version\": \"0.1.0\"}}]}";

static int read_plan(const char *decision, const char *blocking, const char *extra,
		     const char *host, const char *fp, struct exec_plan *p, char **reason)
{
	char text[2048], *path = aoms_test_path("plan.json");
	int r;

	snprintf(text, sizeof(text), plan_fmt, decision, decision, blocking, extra);
	aoms_test_write_file("plan.json", text);
	r = exec_plan_read(path, host, NULL, fp, p, reason);
	free(path);
	return r;
}

static void test_plan(void **state)
{
	struct exec_plan p;
	char *reason = NULL;
	static const char res[] = ", \"resolved\": {\"erase\": [\"centos-release-8.5-1.el8.x86_64\"],"
		" \"install\": [{\"nevra\": \"anolis-release-8.8-1.an8.noarch\", \"location\":"
		" \"Packages/anolis-release-8.8-1.an8.noarch.rpm\", \"checksum\": \"sha256:"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]}";

	assert_int_equal(read_plan("proceed", "", "", NULL, "00112233aabbccdd", &p, &reason), 0);
	assert_string_equal(p.host, "web01");
	assert_true(p.distro_sync && !p.resolved);
	/* a plan before schema 1.2 has no digest: apply refuses it (check_plan) */
	assert_int_equal(p.digest, -ENOKEY);
	assert_string_equal(p.swap_to.v[0], "anolis-release");
	exec_plan_release(&p);

	assert_int_equal(read_plan("proceed", "", res, "web01", "ffff", &p, &reason), 0);
	assert_true(p.resolved);
	assert_string_equal(p.r_location.v[0], "Packages/anolis-release-8.8-1.an8.noarch.rpm");
	assert_int_equal(strlen(p.r_checksum.v[0]), 64);
	exec_plan_release(&p);

	/* no host matches the root; an unknown --host; a proceed with blocking items */
	assert_int_equal(read_plan("proceed", "", "", NULL, "ffff", &p, &reason), -ESTALE);
	free(reason);
	reason = NULL;
	assert_int_equal(read_plan("proceed", "", "", "db01", "ffff", &p, &reason), -ENOENT);
	free(reason);
	reason = NULL;
	assert_int_equal(read_plan("proceed", "{\"key\": \"k\", \"rule\": \"r\", \"subject\": \"s\"}",
				   "", NULL, "00112233aabbccdd", &p, &reason), -EBADMSG);
	assert_non_null(strstr(reason, "edited by hand"));
	free(reason);
	reason = NULL;
	/* a resolved location that climbs out of the repository */
	assert_int_equal(read_plan("proceed", "", ", \"resolved\": {\"erase\": [], \"install\": [{\"nevra\":"
				   " \"a-1-1.noarch\", \"location\": \"../../etc/passwd\", \"checksum\": \"sha256:"
				   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}]}",
				   NULL, "00112233aabbccdd", &p, &reason), -EBADMSG);
	free(reason);
	reason = NULL;
	aoms_test_write_file("plan.json", "{\"schema_version\": \"2.0\"}");
	{
		char *path = aoms_test_path("plan.json");

		assert_int_equal(exec_plan_read(path, NULL, NULL, "ffff", &p, &reason), -EBADMSG);
		free(path);
	}
	free(reason);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_files_format),
		cmocka_unit_test(test_root_escape),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
