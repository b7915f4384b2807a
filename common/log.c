/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include "aoms-log.h"

static aoms_log_fn log_fn;
static void *log_userdata;
static enum aoms_log_level log_max = AOMS_LOG_WARNING;

void aoms_log_set(aoms_log_fn fn, void *userdata, enum aoms_log_level max_level)
{
	log_fn = fn;
	log_userdata = userdata;
	log_max = max_level;
}

void aoms_log(enum aoms_log_level level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!log_fn || level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_fn(level, buf, log_userdata);
}
