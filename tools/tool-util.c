/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI's shared helpers (aoms.h): printing errors, dispatching sub-commands,
 * opening databases, writing reports. Kept apart from main() so tests can link them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <json-c/json.h>
#include "abidb.h"
#include "atomic-file.h"
#include "json-string.h"
#include "aoms.h"
#include "strbuf.h"

/* "scan", "db build": the command the dispatcher runs, for the error prefix. */
static char tool_cmd[64];

void aoms_tool_err(const char *fmt, ...)
{
	va_list ap;

	aoms_tool_progress_clear();
	fprintf(stderr, "aoms%s%s: ", tool_cmd[0] ? " " : "", tool_cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int aoms_tool_dispatch(const struct aoms_cmd *table, const char *what, int argc, char **argv)
{
	if (argc < 1) {
		aoms_tool_err("missing %s; see 'aoms --help'", what);
		return AOMS_EXIT_USAGE;
	}
	if (tool_cmd[0] && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		printf("usage: aoms %s COMMAND [ARGS]\n\ncommands:\n", tool_cmd);
		for (const struct aoms_cmd *c = table; c->name; c++)
			printf("  %-8s %s\n", c->name, c->help);
		printf("\nSee 'aoms %s COMMAND --help'.\n", tool_cmd);
		return 0;
	}
	for (const struct aoms_cmd *c = table; c->name; c++)
		if (strcmp(c->name, argv[0]) == 0) {
			size_t n = strlen(tool_cmd);

			if (strcmp(c->name, "help") != 0)
				snprintf(tool_cmd + n, sizeof(tool_cmd) - n, "%s%s", n ? " " : "",
					 c->name);
			return c->fn(argc, argv);
		}
	aoms_tool_err("unknown %s '%s'; see 'aoms --help'", what, argv[0]);
	return AOMS_EXIT_USAGE;
}

int aoms_tool_open_db(const char *const *paths, size_t n, struct aoms_abidb **ret,
		      char **ret_reason)
{
	_cleanup_(freep) char *reason = NULL;
	int r = aoms_abidb_open_layers(paths, n, ret, &reason);

	if (r == 0)
		return 0;
	if (!reason && asprintf(&reason, "cannot open the embedded database: %s", strerror(-r)) < 0)
		reason = NULL;
	aoms_tool_err("%s", reason ? reason : strerror(-r));
	if (ret_reason)
		*ret_reason = TAKE_PTR(reason);
	return AOMS_EXIT_ERROR;
}

char *aoms_tool_db_label(struct aoms_abidb *db)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	size_t n = aoms_abidb_n_layers(db);

	for (size_t i = 0; i < n; i++)
		if ((i && aoms_strbuf_adds(&sb, " + ") < 0) ||
		    aoms_strbuf_adds(&sb, aoms_abidb_label(aoms_abidb_layer(db, i))) < 0) {
			aoms_strbuf_release(&sb);
			return NULL;
		}
	return aoms_strbuf_detach(&sb);
}

int aoms_tool_describe_db(struct aoms_report *r, struct aoms_abidb *db)
{
	_cleanup_(freep) char *label = aoms_tool_db_label(db);
	size_t n = aoms_abidb_n_layers(db);
	char count[32];
	int rr;

	if (!label)
		return -ENOMEM;
	rr = aoms_report_set_meta(r, "database", label);
	if (rr < 0 || n < 2)
		return rr;
	snprintf(count, sizeof(count), "%zu", n);
	return aoms_report_set_meta(r, "database_layers", count);
}

int aoms_tool_write_report(struct aoms_report *r, const char *format, enum aoms_fail_on fail_on,
			   const char *path)
{
	struct aoms_atomic_file *h = NULL;
	int rr;

	aoms_report_set_fail_on(r, fail_on);
	if (!path || strcmp(path, "-") == 0) {
		rr = aoms_report_render(r, format, stdout);
		if (fflush(stdout) != 0 && rr == 0)
			rr = errno ? -errno : -EIO;
		if (rr < 0) {
			aoms_tool_err("cannot write the report: %s", strerror(-rr));
			return AOMS_EXIT_ERROR;
		}
		return 0;
	}
	rr = aoms_atomic_open(path, 0, &h);
	if (rr >= 0) {
		rr = aoms_report_render(r, format, aoms_atomic_stream(h));
		/* -EIO is a write error: the file knows which */
		if (rr == 0 || rr == -EIO) {
			int c = aoms_atomic_commit(TAKE_PTR(h));

			rr = c < 0 ? c : rr;
		} else {
			aoms_atomic_abort(TAKE_PTR(h));
		}
	}
	if (rr < 0) {
		aoms_tool_err("cannot write '%s': %s", path, strerror(-rr));
		return AOMS_EXIT_ERROR;
	}
	return 0;
}

int aoms_tool_open_db_output(const char *path, struct aoms_atomic_file **ret)
{
	int r = aoms_atomic_open(path, AOMS_ATOMIC_REGULAR, ret);

	if (r == -EINVAL)
		aoms_tool_err("cannot write database '%s': not a regular file (a database is "
			      "one; it is never written to a device or FIFO)", path);
	else if (r < 0)
		aoms_tool_err("cannot write database '%s': %s", path, strerror(-r));
	return r < 0 ? AOMS_EXIT_ERROR : 0;
}

void aoms_tool_print_errors(const struct aoms_report *r)
{
	for (size_t i = 0; i < aoms_report_n_errors(r); i++)
		aoms_tool_err("%s", aoms_report_error(r, i)->message);
}


/* A random (version 4) UUID. */
static int tool_uuid(char buf[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -errno;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
	return 0;
}

int aoms_tool_set_run(struct aoms_report *r, const char *run_id)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char uuid[37], host[256] = "localhost";
	long long t = (long long)time(NULL);
	int rr;

	if (epoch && *epoch) {
		char *end;

		errno = 0;
		t = strtoll(epoch, &end, 10);
		if (errno || *end || t < 0) {
			aoms_tool_err("SOURCE_DATE_EPOCH must be seconds since 1970, not '%s'", epoch);
			return AOMS_EXIT_USAGE;
		}
	}
	if (!run_id) {
		rr = tool_uuid(uuid);
		if (rr < 0) {
			aoms_tool_err("cannot make a run id: %s", strerror(-rr));
			return AOMS_EXIT_ERROR;
		}
		run_id = uuid;
	}
	if (gethostname(host, sizeof(host) - 1) < 0 || !host[0])
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	rr = aoms_report_set_run(r, run_id, host, t);
	if (rr < 0) {
		aoms_tool_err("cannot set the run: %s", strerror(-rr));
		return AOMS_EXIT_ERROR;
	}
	return 0;
}

/* The line on the terminal, for messages to clear first. */
static struct aoms_tool_progress *tool_progress;

void aoms_tool_progress_show(const struct aoms_progress_info *p, void *ud)
{
	struct aoms_tool_progress *l = ud;
	const char *unit = p->unit ? p->unit : "files";
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (l->phase != p->phase) {
		l->phase = p->phase;
		l->start = now;
	}
	secs = (double)(now.tv_sec - l->start.tv_sec) + (now.tv_nsec - l->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[Kaoms%s%s: %s: %zu/%zu%s %s", tool_cmd[0] ? " " : "", tool_cmd,
		p->phase, p->done, p->total, p->walking ? "+" : "", unit);
	if (secs >= 0.5)
		fprintf(stderr, ", %.0f %s/s", (double)p->done / secs, unit);
	__atomic_store_n(&l->shown, true, __ATOMIC_RELAXED);
	__atomic_store_n(&tool_progress, l, __ATOMIC_RELEASE);
	fflush(stderr);
}

void aoms_tool_progress_end(struct aoms_tool_progress *l)
{
	if (__atomic_exchange_n(&l->shown, false, __ATOMIC_RELAXED))
		fputs("\r\033[K", stderr);
}

void aoms_tool_progress_clear(void)
{
	struct aoms_tool_progress *l = __atomic_load_n(&tool_progress, __ATOMIC_ACQUIRE);

	if (l)
		aoms_tool_progress_end(l);
}

void aoms_tool_print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, AOMS_JSON_FLAGS));
}
