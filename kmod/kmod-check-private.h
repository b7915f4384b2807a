/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The checker's state, shared by kmod-checker.c and kmod-check.c. Private. */
#pragma once

#include <pthread.h>
#include "kmod-check.h"
#include "kmod-kernel.h"
#include "strmap.h"

struct kmod_scanned {
	const struct aoms_kmod *m;
	const char *subject;
};

struct kmod_kernel_slot {
	char *arch;
	struct aoms_kmod_kernel *kernel;   /* NULL: the database has none for arch */
};

struct aoms_kmod_checker {
	struct aoms_abidb *db;
	char *release;                     /* --kernel, or NULL */
	pthread_mutex_t lock;              /* everything below */
	struct kmod_kernel_slot *kernels;
	size_t n_kernels;
	struct kmod_scanned *scanned;
	size_t n_scanned, cap_scanned;
	struct aoms_strmap exports;        /* name -> struct kmod_scanned (first in path order) */
	bool indexed;
};

/* The scanned module exporting name (NULL: none); 0 or -ENOMEM. */
int kmod_checker_scanned_export(struct aoms_kmod_checker *c, const char *name,
				const struct kmod_scanned **ret);
/* The target kernel for arch, loaded once: 0, -ENOENT (none; *ret NULL), -ENOMEM,
 * -EIO. *ret_release (may be NULL) gets the release asked for on first load only. */
int kmod_checker_kernel(struct aoms_kmod_checker *c, const char *arch,
			const struct aoms_kmod_kernel **ret, char **ret_release);
