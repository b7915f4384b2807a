/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cleanup attributes and small macros shared by every folder (systemd's idiom). */
#pragma once

#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x) __builtin_expect(!!(x), 1)
#define _unlikely_(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p)                        \
	({                                 \
		__typeof__(p) _tp_ = (p);  \
		(p) = NULL;                \
		_tp_;                      \
	})

#define TAKE_FD(fd)                        \
	({                                 \
		int _tfd_ = (fd);          \
		(fd) = -1;                 \
		_tfd_;                     \
	})

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }

#define DEFINE_FREE_FUNC(type, fn)                          \
	static inline void fn##p(type **p) { fn(*p); }

static inline void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}
DEFINE_FREE_FUNC(char *, strv_free)
