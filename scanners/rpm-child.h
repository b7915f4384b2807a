/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A child process that reads one untrusted package with librpm and sends what it
 * found back over a pipe (records of rpm-stream.h), so that librpm crashing,
 * looping or exhausting memory on a hostile file costs one package, not the
 * process. The parent never calls librpm on the file.
 *
 * The child is this program started again (see aoms_rpm_child_start()); it limits its
 * address space (RLIMIT_AS: what it inherited plus a budget; not under
 * AddressSanitizer, whose shadow memory needs terabytes of address space), runs
 * the given function and leaves with _exit() — the one place aoms code exits,
 * and only in this child. Time is counted while the parent waits for the child
 * (not while the parent's callbacks work); past the timeout the child is killed.
 *
 * Test hooks, honoured only in the child: AOMS_TEST_RPM_CHILD_ABORT=NAME makes the
 * child reading a package whose path ends with NAME ("1": any package) kill itself
 * with SIGSEGV; AOMS_TEST_RPM_CHILD_HANG=NAME makes it sleep forever.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct aoms_rpm_child {
	pid_t pid;
	int fd;                 /* read end */
	uint64_t waited_ms, timeout_ms;
	bool reaped;            /* status is valid */
	bool timed_out;
	int status;
};

struct aoms_rpm_job;

/*
 * Starts a child that reads job's package (aoms_rpm_reader_run(), rpm-file-private.h)
 * and writes its records to the pipe *c reads, with a timeout of timeout_s seconds
 * and an address-space budget of mem_budget bytes. The child is this program run
 * again (posix_spawn of /proc/self/exe), entered by a constructor before main: not
 * a fork of a threaded process, whose copied locks could hang it. Returns 0 and
 * fills *c (end it with aoms_rpm_child_end()), or -errno (pipe, spawn).
 */
int aoms_rpm_child_start(struct aoms_rpm_child *c, const struct aoms_rpm_job *job,
			 unsigned timeout_s, uint64_t mem_budget);

/*
 * Reads exactly n bytes from the child. Returns 0; -EPIPE when the stream ends
 * first (the child exited or died); -ETIMEDOUT when the child used up its time
 * (it is killed); -errno on a read error.
 */
int aoms_rpm_child_read(struct aoms_rpm_child *c, void *buf, size_t n);

/*
 * Ends the child and closes the pipe. finished: the stream was complete (END or
 * ERROR received) or the parent stops reading on purpose: the child is killed if
 * it still runs, reaped, and 0 returned. Otherwise the stream broke off: the child
 * is given the rest of its time to exit, then killed, and -EBADMSG is returned
 * with a one-line reason in *ret_reason (caller frees; may be NULL): "librpm
 * crashed reading the package (signal 11)", "timed out after 600 s reading the
 * package", "the package reader failed (exit status 1)"; -ENOMEM. Accepts a c
 * that was never started (pid 0).
 */
int aoms_rpm_child_end(struct aoms_rpm_child *c, bool finished, char **ret_reason);

/* For the child: writes all n bytes to fd. Returns 0 or -errno. */
int aoms_rpm_child_write(int fd, const void *buf, size_t n);
