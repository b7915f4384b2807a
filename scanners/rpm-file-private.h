/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* For rpm-file.c and rpm-reader.c only: what a package-reading child does. */
#pragma once

#include <stdbool.h>

struct aoms_rpm_job {
	const char *path;   /* for the test hooks only; reasons never name the file */
	int fd;             /* the package, open for reading (offset shared with the parent) */
	bool payload;       /* false: send PKG; true: send the payload's ELF files */
};

/*
 * Runs in the child (an aoms_rpm_child_fn): checks the header structures, reads
 * the header with librpm (digests verified, signatures not), then sends either
 * the package model (and checks the payload digest first) or the payload's ELF
 * files, and last END or ERROR. Returns 0, or -errno when writing to wfd fails.
 */
int aoms_rpm_reader_run(int wfd, void *job);
