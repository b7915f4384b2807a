/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librpm's process-wide set-up: init once, the lock, log routing. Only APIs that
 * rpm 4.14 (EL8) already has are used (rpmlogSetCallback, rpmlogRec*).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include "aoms-log.h"
#include "rpm-setup.h"

static pthread_mutex_t rpm_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_once_t rpm_once = PTHREAD_ONCE_INIT;
static int rpm_init_rc;
static __thread struct aoms_rpm_capture *rpm_capture;

void aoms_rpm_lock(void)
{
	pthread_mutex_lock(&rpm_lock);
}

void aoms_rpm_unlock(void)
{
	pthread_mutex_unlock(&rpm_lock);
}

pid_t aoms_rpm_fork(void)
{
	pid_t pid;

	pthread_mutex_lock(&rpm_lock);
	pid = fork();
	if (pid == 0) {
		/* The copy is owned by a thread id that no longer exists. */
		pthread_mutexattr_t a;

		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&rpm_lock, &a);
		pthread_mutexattr_destroy(&a);
		return 0;
	}
	pthread_mutex_unlock(&rpm_lock);
	return pid;
}

void aoms_rpm_capture_begin(struct aoms_rpm_capture *c)
{
	c->error = c->warning = NULL;
	c->prev = rpm_capture;
	rpm_capture = c;
}

void aoms_rpm_capture_end(struct aoms_rpm_capture *c)
{
	rpm_capture = c->prev;
	free(c->error);
	free(c->warning);
	c->error = c->warning = NULL;
}

/* librpm's messages end with a newline and sometimes span lines: keep the first. */
static char *first_line(const char *msg)
{
	size_t n = strcspn(msg ? msg : "", "\n");

	while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\t'))
		n--;
	return strndup(msg ? msg : "", n);
}

/* Runs on the thread that logged, possibly under librpm's own log lock: it must
 * not call back into librpm. */
static int rpmlog_cb(rpmlogRec rec, rpmlogCallbackData data)
{
	rpmlogLvl pri = rpmlogRecPriority(rec);
	const char *msg = rpmlogRecMessage(rec);
	enum aoms_log_level level;

	if (rpm_capture) {
		char **slot = pri <= RPMLOG_ERR ? &rpm_capture->error :
			      pri <= RPMLOG_WARNING ? &rpm_capture->warning : NULL;

		if (slot && !*slot)
			*slot = first_line(msg);
		return 0;
	}
	if (pri <= RPMLOG_ERR)
		level = AOMS_LOG_ERR;
	else if (pri <= RPMLOG_WARNING)
		level = AOMS_LOG_WARNING;
	else if (pri <= RPMLOG_INFO)
		level = AOMS_LOG_INFO;
	else
		level = AOMS_LOG_DEBUG;
	aoms_log(level, "rpm: %.*s", (int)strcspn(msg ? msg : "", "\n"), msg ? msg : "");
	return 0;  /* not RPMLOG_DEFAULT: librpm prints nothing itself */
}

static void rpm_init_once(void)
{
	rpmlogSetCallback(rpmlog_cb, NULL);
	if (rpmReadConfigFiles(NULL, NULL) != 0)
		rpm_init_rc = -EIO;
}

int aoms_rpm_lib_init(char **ret_reason)
{
	pthread_once(&rpm_once, rpm_init_once);
	if (rpm_init_rc < 0 && ret_reason)
		*ret_reason = strdup("cannot read the rpm configuration (rpmrc, macros)");
	return rpm_init_rc;
}

bool aoms_rpm_version_atleast(int major, int minor)
{
	int ma = 0, mi = 0;

	if (sscanf(RPMVERSION, "%d.%d", &ma, &mi) < 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}
