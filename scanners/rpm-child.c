/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Package-reading children: fork, address-space limit, a pipe read with a
 * timeout, reaping with a reason. See rpm-child.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "aoms-macro.h"
#include "rpm-child.h"
#include "rpm-file-private.h"
#include "rpm-setup.h"
#include "strbuf.h"

#if defined(__SANITIZE_ADDRESS__)
#define AOMS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AOMS_ASAN 1
#endif
#endif

/* Poll slices: a child that died while another child holds a copy of its pipe's
 * write end gives no EOF, so the parent also looks at the child's status. */
#define POLL_SLICE_MS 200

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void limit_memory(uint64_t budget)
{
#ifndef AOMS_ASAN
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "re");
	struct rlimit rl;

	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + budget;
	setrlimit(RLIMIT_AS, &rl);
#else
	(void)budget;
#endif
}

static bool hook_matches(const char *var, const char *path)
{
	const char *v = getenv(var);
	size_t n = v ? strlen(v) : 0, p = strlen(path);

	return n && (strcmp(v, "1") == 0 || (p >= n && strcmp(path + p - n, v) == 0));
}

static void test_hooks(const char *path)
{
	if (hook_matches("AOMS_TEST_RPM_CHILD_ABORT", path)) {
		signal(SIGSEGV, SIG_DFL);
		kill(getpid(), SIGSEGV);
		_exit(3);
	}
	while (hook_matches("AOMS_TEST_RPM_CHILD_HANG", path))
		pause();
}

int aoms_rpm_child_write(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The descriptors the child finds its pipe and its package on. High numbers, so the
 * parent's descriptors (low: pipe2 and open take the lowest free) never collide. */
#define CHILD_OUT_FD 253
#define CHILD_PKG_FD 254
#define CHILD_ENV "AOMS_RPM_CHILD"
#define CHILD_ENV_PATH "AOMS_RPM_CHILD_PATH"

extern char **environ;

/*
 * The child's entry. aoms_rpm_child_start() does not fork this (threaded) process:
 * a fork copies every lock another thread holds at that moment — malloc's, under
 * the sanitizers — and the child could wait on one forever. It starts this very
 * program again (posix_spawn of /proc/self/exe) with CHILD_ENV set; this
 * constructor runs before main, reads the one package and leaves with _exit().
 * Every program that can read packages links this file, so every one has it.
 */
__attribute__((constructor)) static void rpm_child_main(void)
{
	const char *spec = getenv(CHILD_ENV), *path = getenv(CHILD_ENV_PATH);
	unsigned long long budget = 0;
	unsigned payload = 0;
	struct aoms_rpm_job job;

	if (!spec)
		return;
	if (sscanf(spec, "%u,%llu", &payload, &budget) != 2)
		_exit(2);
	path = path ? path : "";
	signal(SIGPIPE, SIG_IGN);   /* a parent that stopped reading: EPIPE, exit 1 */
	limit_memory(budget);
	test_hooks(path);
	if (aoms_rpm_lib_init(NULL) < 0)
		_exit(1);
	job = (struct aoms_rpm_job){ path, CHILD_PKG_FD, payload != 0 };
	_exit(aoms_rpm_reader_run(CHILD_OUT_FD, &job) < 0 ? 1 : 0);
}

/* environ without our own variables, plus spec and path. NULL on -ENOMEM. */
static char **child_env(const char *spec, const char *path)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], CHILD_ENV, strlen(CHILD_ENV)) != 0)
			env[k++] = environ[i];
	env[k++] = aoms_strdupf("%s=%s", CHILD_ENV, spec);
	env[k++] = aoms_strdupf("%s=%s", CHILD_ENV_PATH, path);
	if (!env[k - 1] || !env[k - 2]) {
		free(env[k - 1]);
		free(env[k - 2]);
		free(env);
		return NULL;
	}
	return env;
}

int aoms_rpm_child_start(struct aoms_rpm_child *c, const struct aoms_rpm_job *job,
			 unsigned timeout_s, uint64_t mem_budget)
{
	static char *const argv[] = { (char *)"aoms-rpm-reader", NULL };
	posix_spawn_file_actions_t fa;
	char spec[64], **env;
	size_t n_env = 0;
	int fds[2], r;
	pid_t pid;

	*c = (struct aoms_rpm_child){ .fd = -1, .timeout_ms = (uint64_t)timeout_s * 1000 };
	snprintf(spec, sizeof(spec), "%u,%llu", job->payload ? 1u : 0u,
		 (unsigned long long)mem_budget);
	env = child_env(spec, job->path);
	if (!env)
		return -ENOMEM;
	while (env[n_env])
		n_env++;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], CHILD_OUT_FD);
	posix_spawn_file_actions_adddup2(&fa, job->fd, CHILD_PKG_FD);
	r = -posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (r < 0) {
		close(fds[0]);
		goto out;
	}
	c->pid = pid;
	c->fd = fds[0];
out:
	free(env[n_env - 1]);
	free(env[n_env - 2]);
	free(env);
	return r;
}

static void child_reap(struct aoms_rpm_child *c, int options)
{
	if (!c->reaped && c->pid > 0) {
		pid_t p;

		while ((p = waitpid(c->pid, &c->status, options)) < 0 && errno == EINTR)
			;
		c->reaped = p == c->pid;
	}
}

static void child_kill(struct aoms_rpm_child *c)
{
	if (!c->reaped && c->pid > 0) {
		kill(c->pid, SIGKILL);
		child_reap(c, 0);
	}
}

/* Waits until the pipe is readable: 0, -ETIMEDOUT, or -EPIPE (child gone, nothing left). */
static int child_wait(struct aoms_rpm_child *c)
{
	for (;;) {
		struct pollfd pfd = { c->fd, POLLIN, 0 };
		uint64_t t0 = now_ms();
		int n = poll(&pfd, 1, POLL_SLICE_MS);

		c->waited_ms += now_ms() - t0;
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
		if (c->timeout_ms && c->waited_ms >= c->timeout_ms) {
			c->timed_out = true;
			child_kill(c);
			return -ETIMEDOUT;
		}
		child_reap(c, WNOHANG);
		if (c->reaped) {
			/* The child is gone; whatever it wrote is readable now or never. */
			pfd.revents = 0;
			return poll(&pfd, 1, 0) > 0 ? 0 : -EPIPE;
		}
	}
}

int aoms_rpm_child_read(struct aoms_rpm_child *c, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t got;
		int r = child_wait(c);

		if (r < 0)
			return r;
		got = read(c->fd, p, n);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return -EPIPE;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Waits for a child whose stream broke off, for the rest of its time. */
static void child_await(struct aoms_rpm_child *c)
{
	while (!c->reaped && !c->timed_out) {
		child_reap(c, WNOHANG);
		if (c->reaped)
			break;
		if (c->timeout_ms && c->waited_ms >= c->timeout_ms) {
			c->timed_out = true;
			break;
		}
		poll(NULL, 0, 20);
		c->waited_ms += 20;
	}
	child_kill(c);
}

static char *child_reason(const struct aoms_rpm_child *c)
{
	if (c->timed_out)
		return aoms_strdupf("timed out after %llu s reading the package",
				    (unsigned long long)(c->timeout_ms / 1000));
	if (!c->reaped)
		return strdup("the package reader could not be waited for");
	if (WIFSIGNALED(c->status))
		return aoms_strdupf("librpm crashed reading the package (signal %d)",
				    WTERMSIG(c->status));
	if (WIFEXITED(c->status) && WEXITSTATUS(c->status) != 0)
		return aoms_strdupf("the package reader failed (exit status %d)",
				    WEXITSTATUS(c->status));
	return strdup("the package reader stopped before the end of its stream");
}

int aoms_rpm_child_end(struct aoms_rpm_child *c, bool finished, char **ret_reason)
{
	char *reason;

	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->pid <= 0)
		return 0;
	if (finished)
		child_kill(c);
	else
		child_await(c);
	c->pid = 0;
	if (finished)
		return 0;
	reason = child_reason(c);
	if (!reason)
		return -ENOMEM;
	if (ret_reason)
		*ret_reason = reason;
	else
		free(reason);
	return -EBADMSG;
}
