/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging callback. The library never prints: it hands messages to the function
 * that tools/ installed (kmod_set_log_fn / libbpf_set_print idea). Without one,
 * messages are dropped.
 */
#pragma once

#include <stdarg.h>
#include "aoms-macro.h"

enum aoms_log_level {
	AOMS_LOG_ERR = 3,
	AOMS_LOG_WARNING = 4,
	AOMS_LOG_INFO = 6,
	AOMS_LOG_DEBUG = 7,
};

typedef void (*aoms_log_fn)(enum aoms_log_level level, const char *msg, void *userdata);

/* Installs the process-wide log function (NULL drops messages) and the highest level passed. */
void aoms_log_set(aoms_log_fn fn, void *userdata, enum aoms_log_level max_level);

/* Formats and passes a message to the installed function; thread-safe. */
void aoms_log(enum aoms_log_level level, const char *fmt, ...) _printf_(2, 3);

#define aoms_err(...) aoms_log(AOMS_LOG_ERR, __VA_ARGS__)
#define aoms_warn(...) aoms_log(AOMS_LOG_WARNING, __VA_ARGS__)
#define aoms_info(...) aoms_log(AOMS_LOG_INFO, __VA_ARGS__)
#define aoms_dbg(...) aoms_log(AOMS_LOG_DEBUG, __VA_ARGS__)
