/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The journal of an apply under the root (docs/journal.md): a directory per apply in
 * var/lib/aoms/journal, the file "current" naming the newest. Artifacts are written
 * whole (temporary file, fsync, rename, directory fsync) before the step they guard
 * starts; the step log is appended line by line, each line fsync'd and carrying its
 * own check so that a torn or edited line is seen; MANIFEST, written when the
 * preparation is complete, holds the sha256 of every artifact, so that rollback trusts
 * nothing that changed after the apply wrote it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "exec-private.h"
#include "hash.h"
#include "strbuf.h"

#define JOURNAL_TEXT_MAX (256u << 20)

const char *const aoms_apply_steps[] = {
	"journal", "backup", "cache", "seal", "transaction", "repo-files", "config", "bootloader",
	"complete", NULL,
};

int exec_step_index(const char *step)
{
	for (int i = 0; aoms_apply_steps[i]; i++)
		if (strcmp(aoms_apply_steps[i], step) == 0)
			return i;
	return -1;
}

int exec_lock(const struct exec_root *r, int *ret_fd, char **reason)
{
	_cleanup_(closep) int dfd = exec_root_dir(r, EXEC_LOCK_DIR, true);
	int fd;

	if (dfd < 0)
		return exec_fail(reason, dfd, "cannot create '%s%s': %s", r->path, EXEC_LOCK_DIR,
				 strerror(-dfd));
	fd = openat(dfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return exec_fail(reason, -errno, "cannot open the lock '%s%s/lock': %s", r->path,
				 EXEC_LOCK_DIR, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		return exec_fail(reason, e == EWOULDBLOCK ? -EBUSY : -e, "another aoms apply or "
				 "rollback holds '%s%s/lock'", r->path, EXEC_LOCK_DIR);
	}
	*ret_fd = fd;
	return 0;
}

static int journal_base(const struct exec_root *r, bool create, char **reason)
{
	int fd = exec_root_dir(r, EXEC_JOURNAL_DIR, create);

	if (fd < 0 && fd != -ENOENT)
		return exec_fail(reason, fd, "cannot open the journal directory '%s%s': %s", r->path,
				 EXEC_JOURNAL_DIR, strerror(-fd));
	return fd;
}

int exec_journal_create(const struct exec_root *r, struct exec_journal *ret, char **reason)
{
	struct exec_journal j = { .dirfd = -1, .basefd = -1 };
	char line[96];
	struct tm tm;
	time_t now = time(NULL);
	unsigned rnd = 0;
	int e;

	if ((j.basefd = journal_base(r, true, reason)) < 0)
		return j.basefd;
	if (getrandom(&rnd, sizeof(rnd), 0) < 0)
		rnd = (unsigned)getpid();
	gmtime_r(&now, &tm);
	strftime(j.id, sizeof(j.id), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(j.id + strlen(j.id), sizeof(j.id) - strlen(j.id), "-%08x", rnd);
	if (mkdirat(j.basefd, j.id, 0700) < 0 || exec_fsync_dir(j.basefd) < 0 ||
	    (j.dirfd = openat(j.basefd, j.id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		e = -errno;
		exec_journal_close(&j);
		return exec_fail(reason, e, "cannot create journal '%s%s/%s': %s", r->path,
				 EXEC_JOURNAL_DIR, j.id, strerror(-e));
	}
	snprintf(line, sizeof(line), "%s\n", j.id);
	if ((e = exec_write_at(j.basefd, "current", line, strlen(line), NULL)) < 0) {
		exec_journal_close(&j);
		return exec_fail(reason, e, "cannot write '%s%s/current': %s", r->path,
				 EXEC_JOURNAL_DIR, strerror(-e));
	}
	*ret = j;
	return 0;
}

int exec_journal_open(const struct exec_root *r, struct exec_journal *ret, char **reason)
{
	struct exec_journal j = { .dirfd = -1, .basefd = -1 };
	_cleanup_(freep) char *cur = NULL;
	size_t len;
	int e;

	if ((j.basefd = journal_base(r, false, reason)) < 0)
		return j.basefd;
	if ((e = exec_read_at(j.basefd, "current", sizeof(j.id), &cur, &len)) < 0) {
		exec_journal_close(&j);
		return e == -ENOENT ? e : exec_fail(reason, -EBADMSG, "cannot read '%s%s/current': %s",
						     r->path, EXEC_JOURNAL_DIR, strerror(-e));
	}
	cur[strcspn(cur, "\n")] = '\0';
	if (!*cur || strchr(cur, '/') || cur[0] == '.') {
		exec_journal_close(&j);
		return exec_fail(reason, -EBADMSG, "'%s%s/current' does not name a journal", r->path,
				 EXEC_JOURNAL_DIR);
	}
	snprintf(j.id, sizeof(j.id), "%s", cur);
	j.dirfd = openat(j.basefd, j.id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (j.dirfd < 0) {
		e = -errno;
		exec_journal_close(&j);
		return exec_fail(reason, -EBADMSG, "the current journal '%s' is missing: %s", cur,
				 strerror(-e));
	}
	*ret = j;
	return 0;
}

void exec_journal_close(struct exec_journal *j)
{
	if (j->dirfd >= 0)
		close(j->dirfd);
	if (j->basefd >= 0)
		close(j->basefd);
	j->dirfd = j->basefd = -1;
}

int exec_journal_subdir(struct exec_journal *j, const char *name)
{
	int fd;

	if (mkdirat(j->dirfd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(j->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int exec_journal_put(struct exec_journal *j, const char *name, const void *data, size_t len)
{
	const char *slash = strchr(name, '/');
	int e;

	if (slash) {
		/* one level of subdirectory: "files.d/HEX", "rpms/NEVRA.rpm" */
		_cleanup_(freep) char *dir = strndup(name, (size_t)(slash - name));
		_cleanup_(closep) int dfd = dir ? exec_journal_subdir(j, dir) : -ENOMEM;

		if (dfd < 0)
			return dfd;
		e = exec_write_at(dfd, slash + 1, data, len, NULL);
		return e < 0 ? e : exec_fsync_dir(j->dirfd);
	}
	return exec_write_at(j->dirfd, name, data, len, NULL);
}

/* Appends "BODY CHECK\n" to name: CHECK is FNV-1a 64 of BODY as 16 hex digits. */
static int append_checked(struct exec_journal *j, const char *name, const char *body)
{
	_cleanup_(freep) char *line = aoms_strdupf("%s %016llx\n", body,
		(unsigned long long)aoms_fnv64(AOMS_FNV64_INIT, body, strlen(body)));

	return line ? exec_append_at(j->dirfd, name, line) : -ENOMEM;
}

/* Whether line (no newline) is "BODY CHECK" with a good check; cuts CHECK off. */
static bool checked_line(char *line)
{
	char *sp = strrchr(line, ' ');
	unsigned long long check;
	char *end;

	if (!sp || strlen(sp + 1) != 16)
		return false;
	check = strtoull(sp + 1, &end, 16);
	*sp = '\0';
	return !*end && check == aoms_fnv64(AOMS_FNV64_INIT, line, strlen(line));
}

int exec_journal_created(struct exec_journal *j, const char *path)
{
	if (strchr(path, '\n'))
		return -EINVAL;
	return append_checked(j, "created", path);
}

int exec_journal_created_list(struct exec_journal *j, struct exec_strv *ret)
{
	_cleanup_(freep) char *text = NULL;
	size_t len;
	int r = exec_read_at(j->dirfd, "created", JOURNAL_TEXT_MAX, &text, &len);
	bool complete;

	*ret = (struct exec_strv){ 0 };
	if (r == -ENOENT)
		return 0;
	for (char *cur = text, *line; r == 0 && (line = exec_line_next(&cur, &complete));) {
		if (!complete)
			break;
		if (checked_line(line))
			r = exec_strv_add(ret, line);
	}
	return r;
}

int exec_journal_step(struct exec_journal *j, const char *step, const char *state)
{
	char body[128];
	const char *kill_at;
	int r;

	snprintf(body, sizeof(body), "%s %s", step, state);
	r = append_checked(j, "steps", body);
	/* the fault-injection hook of the tests (docs/journal.md): die as a power loss
	 * would, right after the step is on disk as started */
	kill_at = getenv("AOMS_TEST_APPLY_KILL_AT");
	if (r == 0 && kill_at && strcmp(state, "started") == 0 && strcmp(kill_at, step) == 0)
		raise(SIGKILL);
	return r;
}

int exec_journal_state(struct exec_journal *j, struct exec_journal_state *ret)
{
	_cleanup_(freep) char *text = NULL;
	struct exec_journal_state s = { .last = -1 };
	bool complete;
	size_t len;
	int r = exec_read_at(j->dirfd, "steps", JOURNAL_TEXT_MAX, &text, &len);

	if (r == -ENOENT) {
		*ret = s;
		return 0;
	}
	if (r < 0)
		return r;
	for (char *cur = text, *line; (line = exec_line_next(&cur, &complete));) {
		char step[64], state[32];
		int i;

		if (!complete) {   /* a torn last line: the step did not get recorded */
			s.damaged = true;
			break;
		}
		if (!checked_line(line) || sscanf(line, "%63s %31s", step, state) != 2) {
			s.damaged = true;
			continue;
		}
		if (strcmp(step, "rollback") == 0) {
			s.rollback_started = true;
			s.rolled_back |= strcmp(state, "done") == 0;
		} else if (strcmp(step, "abandoned") == 0) {
			s.abandoned = true;
		} else if ((i = exec_step_index(step)) >= 0) {
			if (strcmp(state, "started") == 0) {
				s.started[i] = true;
				s.last = i;
			} else if (strcmp(state, "done") == 0) {
				s.done[i] = true;
			}
		}
	}
	*ret = s;
	return 0;
}

/* The artifacts of a journal: the top-level files but steps and MANIFEST, and the
 * files of files.d/ and rpms/. */
static int list_artifacts(struct exec_journal *j, struct exec_strv *out)
{
	static const char *const tops[] = { "plan.json", "host", "packages", "transaction", "files" };
	static const char *const subs[] = { "files.d", "rpms" };
	int r = 0;

	for (size_t i = 0; i < ARRAY_SIZE(tops) && r == 0; i++)
		if (faccessat(j->dirfd, tops[i], F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			r = exec_strv_add(out, tops[i]);
	for (size_t i = 0; i < ARRAY_SIZE(subs) && r == 0; i++) {
		int fd = openat(j->dirfd, subs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *e;

		if (fd >= 0 && !d)
			close(fd);
		while (r == 0 && d && (e = readdir(d)))
			if (e->d_name[0] != '.')
				r = exec_strv_addf(out, "%s/%s", subs[i], e->d_name);
		if (d)
			closedir(d);
	}
	exec_strv_sort(out);
	return r;
}

static int artifact_sha(struct exec_journal *j, const char *name, char hex[65])
{
	const char *slash = strchr(name, '/');
	_cleanup_(freep) char *dir = slash ? strndup(name, (size_t)(slash - name)) : NULL;
	_cleanup_(closep) int dfd = -1;

	if (!slash)
		return exec_sha256_at(j->dirfd, name, hex);
	if (!dir)
		return -ENOMEM;
	if ((dfd = openat(j->dirfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	return exec_sha256_at(dfd, slash + 1, hex);
}

int exec_journal_seal(struct exec_journal *j)
{
	struct exec_strv names = { 0 };
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	char hex[65];
	int r = list_artifacts(j, &names);

	for (size_t i = 0; r == 0 && i < names.n; i++)
		if ((r = artifact_sha(j, names.v[i], hex)) == 0)
			r = aoms_strbuf_addf(&sb, "%s  %s\n", hex, names.v[i]);
	if (r == 0)
		r = exec_journal_put(j, "MANIFEST", aoms_strbuf_str(&sb), sb.len);
	exec_strv_release(&names);
	aoms_strbuf_release(&sb);
	return r;
}

int exec_journal_verify(struct exec_journal *j, struct exec_strv *bad)
{
	_cleanup_(freep) char *text = NULL;
	struct exec_strv listed = { 0 }, present = { 0 };
	bool complete;
	size_t len;
	int r = exec_read_at(j->dirfd, "MANIFEST", JOURNAL_TEXT_MAX, &text, &len);

	if (r < 0)
		return r;
	for (char *cur = text, *line; r == 0 && (line = exec_line_next(&cur, &complete));) {
		char want[65], name[512], hex[65];
		int e;

		if (sscanf(line, "%64s %511s", want, name) != 2 || strstr(name, "..") || name[0] == '/') {
			r = exec_strv_addf(bad, "MANIFEST: malformed line '%.80s'", line);
			continue;
		}
		r = exec_strv_add(&listed, name);
		e = artifact_sha(j, name, hex);
		if (r == 0 && e < 0)
			r = exec_strv_addf(bad, "%s: %s", name, strerror(-e));
		else if (r == 0 && strcmp(hex, want) != 0)
			r = exec_strv_addf(bad, "%s: sha256 %s, the manifest says %s", name, hex, want);
	}
	exec_strv_sort(&listed);
	if (r == 0)
		r = list_artifacts(j, &present);
	for (size_t i = 0; r == 0 && i < present.n; i++)
		if (!exec_strv_has(&listed, present.v[i]))
			r = exec_strv_addf(bad, "%s: not in the manifest", present.v[i]);
	exec_strv_release(&listed);
	exec_strv_release(&present);
	return r;
}
