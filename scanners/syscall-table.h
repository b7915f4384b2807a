/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The small curated knowledge the syscall check adds to the database's tables
 * (scanners/syscall-table.c names its sources): which C library wrappers make which
 * syscall, the upstream release that introduced the newer syscalls (and the names
 * of numbers past the newest shipped table), and which runtimes fall back when the
 * kernel answers ENOSYS.
 */
#pragma once

#include <stddef.h>
#include "syscall-sites.h"

/* The syscall the libc (or liburing) function name makes, or NULL. */
const char *aoms_syscall_of_import(const char *name);
/* The i-th wrapper name of that table (in strcmp order), NULL past its end. */
const char *aoms_syscall_import_at(size_t i);

/* The upstream Linux release that added syscall name ("5.3"), or NULL when older
 * than 3.10 or not known. */
const char *aoms_syscall_introduced(const char *name);

/* The name of numbers the shipped tables end before (441 epoll_pwait2 on): since
 * 424, x86_64 and aarch64 share the numbers. NULL when unknown. */
const char *aoms_syscall_name_new(int nr);

/* What runtime rt does when the kernel lacks syscall name: a sentence naming the
 * fallback and its source, or NULL when it has none known. */
const char *aoms_syscall_fallback(enum aoms_syscall_runtime rt, const char *name);

/* "glibc", "musl", "Go", or "unknown". */
const char *aoms_syscall_runtime_name(enum aoms_syscall_runtime rt);
