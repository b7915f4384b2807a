/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RPM reader (scanners/rpm-reader.c over librpm): the code that sees a package's
 * bytes. A scan runs it in a child process (rpm-child.c); here it runs in-process, as
 * that child would, so that libFuzzer sees its coverage and a run costs no process
 * start (a spawned child per input held the target to ~10 executions a second).
 * Each input is read twice, as a scan does: the package model, then the payload's
 * ELF members. The records go to a memfd, so the reader never blocks on a pipe. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <rpm/rpmlog.h>
#include "fuzz.h"
#include "rpm-file-private.h"
#include "rpm-setup.h"

static int memfd_or_abort(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		abort();
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int out = -1;
	int in;

	if (out < 0) {
		if (aoms_rpm_lib_init(NULL) < 0)
			abort();
		out = memfd_or_abort("fuzz.records");
	}
	in = memfd_or_abort("fuzz.rpm");
	if (write(in, data, size) != (ssize_t)size)
		abort();
	for (int payload = 0; payload <= 1; payload++) {
		struct aoms_rpm_job job = { "fuzz.rpm", in, payload != 0 };

		if (lseek(in, 0, SEEK_SET) != 0 || ftruncate(out, 0) != 0 ||
		    lseek(out, 0, SEEK_SET) != 0)
			abort();
		(void)aoms_rpm_reader_run(out, &job);
	}
	close(in);
	/* librpm keeps every warning and error it logged (rpmlogGetRecs()); a scan's
	 * child exits after one package, here they would pile up across inputs and make
	 * libFuzzer's leak check run after every one. */
	rpmlogClose();
	return 0;
}
