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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "aoms-macro.h"
#include "rpm-child.h"
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

int aoms_rpm_child_start(struct aoms_rpm_child *c, const char *path, unsigned timeout_s,
			 uint64_t mem_budget, aoms_rpm_child_fn fn, void *ud)
{
	int fds[2];
	pid_t pid;

	*c = (struct aoms_rpm_child){ .fd = -1, .timeout_ms = (uint64_t)timeout_s * 1000 };
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = aoms_rpm_fork();
	if (pid < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (pid == 0) {
		close(fds[0]);
		signal(SIGPIPE, SIG_IGN);   /* a parent that stopped reading: EPIPE, exit 1 */
		limit_memory(mem_budget);
		test_hooks(path);
		_exit(fn(fds[1], ud) < 0 ? 1 : 0);
	}
	close(fds[1]);
	c->pid = pid;
	c->fd = fds[0];
	return 0;
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
