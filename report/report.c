/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "render.h"
#include "report.h"
#include "installed.h"
#include "report-private.h"
#include "rules.h"
#include "strbuf.h"

static const char *const fail_on_names[] = {
	[AOMS_FAIL_INFO] = "info",
	[AOMS_FAIL_LOW] = "low",
	[AOMS_FAIL_MEDIUM] = "medium",
	[AOMS_FAIL_HIGH] = "high",
	[AOMS_FAIL_INHIBITOR] = "inhibitor",
	[AOMS_FAIL_NEVER] = "never",
};

int aoms_fail_on_from_name(const char *name, enum aoms_fail_on *ret)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(fail_on_names); i++)
		if (strcmp(name, fail_on_names[i]) == 0) {
			*ret = (enum aoms_fail_on)i;
			return 0;
		}
	return -EINVAL;
}

const char *aoms_fail_on_name(enum aoms_fail_on fail_on)
{
	return (unsigned int)fail_on < ARRAY_SIZE(fail_on_names) ? fail_on_names[fail_on]
								 : "unknown";
}

void aoms_report_set_fail_on(struct aoms_report *r, enum aoms_fail_on fail_on)
{
	r->fail_on = fail_on;
}

enum aoms_fail_on aoms_report_fail_on(const struct aoms_report *r)
{
	return r->fail_on;
}

int aoms_report_set_tool_version(struct aoms_report *r, const char *version)
{
	char *v = version ? strdup(version) : NULL;

	if (version && !v)
		return -ENOMEM;
	free(r->tool_version);
	r->tool_version = v;
	return 0;
}

const char *aoms_report_tool_version(const struct aoms_report *r)
{
	return r->tool_version ? r->tool_version : AOMS_VERSION;
}

int aoms_report_new(struct aoms_report **ret)
{
	struct aoms_report *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->fail_on = AOMS_FAIL_MEDIUM;
	if (pthread_mutex_init(&r->lock, NULL) != 0) {
		free(r);
		return -ENOMEM;
	}
	*ret = r;
	return 0;
}

void aoms_report_free(struct aoms_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_findings; i++)
		aoms_finding_free(r->findings[i]);
	free(r->findings);
	for (size_t i = 0; i < r->n_errors; i++) {
		free(r->errors[i].subject);
		free(r->errors[i].message);
	}
	free(r->errors);
	for (size_t i = 0; i < r->n_summaries; i++)
		aoms_file_summary_free(r->summaries[i]);
	free(r->summaries);
	for (size_t i = 0; i < r->n_meta; i++) {
		free(r->meta[i].key);
		free(r->meta[i].value);
	}
	free(r->meta);
	free(r->run_id);
	free(r->run_hostname);
	for (size_t i = 0; i < r->n_inputs; i++)
		free(r->inputs[i]);
	free(r->inputs);
	aoms_report_files_release(&r->files);
	aoms_report_installed_release(r);
	free(r->tool_version);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Makes room for need elements of size bytes; returns the (maybe moved) array or NULL,
 * in which case p is still valid and unchanged. */
static void *report_grow(void *p, size_t *alloc, size_t need, size_t size)
{
	size_t n = *alloc ? *alloc : 16;

	if (need <= *alloc)
		return p;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return NULL;
		n *= 2;
	}
	p = realloc(p, n * size);
	if (p)
		*alloc = n;
	return p;
}

int aoms_report_add(struct aoms_report *r, struct aoms_finding *f)
{
	if (!f)
		return -EINVAL;
	/* A rule the catalogue lacks is a bug of the scanner: refuse it loudly, so every
	 * test that exercises the scanner fails. (A report read back keeps the rules it
	 * was written with: aoms_report_add_keyed() does not ask.) */
	if (!f->rule || !aoms_rule_find(f->rule)) {
		aoms_finding_free(f);
		return -EINVAL;
	}
	aoms_finding_compute_key(f);
	return aoms_report_add_keyed(r, f);
}

int aoms_report_add_keyed(struct aoms_report *r, struct aoms_finding *f)
{
	struct aoms_finding **v;
	int ret = 0;

	if (!f)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	v = report_grow(r->findings, &r->alloc_findings, r->n_findings + 1, sizeof(*v));
	if (v) {
		r->findings = v;
		r->findings[r->n_findings++] = f;
	} else {
		ret = -ENOMEM;
	}
	pthread_mutex_unlock(&r->lock);
	if (ret < 0)
		aoms_finding_free(f);
	return ret;
}

int aoms_report_add_file_summary(struct aoms_report *r, struct aoms_file_summary *s)
{
	struct aoms_file_summary **v;
	int ret = 0;

	if (!s)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	v = report_grow(r->summaries, &r->alloc_summaries, r->n_summaries + 1, sizeof(*v));
	if (v) {
		r->summaries = v;
		r->summaries[r->n_summaries++] = s;
	} else {
		ret = -ENOMEM;
	}
	pthread_mutex_unlock(&r->lock);
	if (ret < 0)
		aoms_file_summary_free(s);
	return ret;
}

size_t aoms_report_n_file_summaries(const struct aoms_report *r)
{
	return r->n_summaries;
}

const struct aoms_file_summary *aoms_report_file_summary(const struct aoms_report *r, size_t i)
{
	return i < r->n_summaries ? r->summaries[i] : NULL;
}

static int report_append_error(struct aoms_report *r, struct aoms_report_error *e)
{
	struct aoms_report_error *v;
	int ret = 0;

	pthread_mutex_lock(&r->lock);
	v = report_grow(r->errors, &r->alloc_errors, r->n_errors + 1, sizeof(*v));
	if (v) {
		r->errors = v;
		r->errors[r->n_errors++] = *e;
	} else {
		ret = -ENOMEM;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int aoms_report_add_error(struct aoms_report *r, const char *subject, int err,
			  const char *fmt, ...)
{
	/* INT_MIN has no positive counterpart; it is no errno anyway. */
	struct aoms_report_error e = { .err = err == INT_MIN ? 0 : err < 0 ? -err : err };
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = aoms_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (ret >= 0) {
		e.message = aoms_strbuf_detach(&sb);
		e.subject = strdup(subject ? subject : "");
		ret = e.message && e.subject ? report_append_error(r, &e) : -ENOMEM;
	}
	if (ret < 0) {
		aoms_strbuf_release(&sb);
		free(e.message);
		free(e.subject);
	}
	return ret;
}

static struct report_meta *report_meta_find(const struct aoms_report *r, const char *key)
{
	for (size_t i = 0; i < r->n_meta; i++)
		if (strcmp(r->meta[i].key, key) == 0)
			return &r->meta[i];
	return NULL;
}

/* Called with the lock held; takes k and v on success. */
static int report_meta_put(struct aoms_report *r, char *k, char *v)
{
	struct report_meta *m = report_meta_find(r, k);

	if (m) {
		free(m->value);
		m->value = v;
		free(k);
		return 0;
	}
	m = realloc(r->meta, (r->n_meta + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	r->meta = m;
	r->meta[r->n_meta++] = (struct report_meta){ .key = k, .value = v };
	return 0;
}

int aoms_report_set_meta(struct aoms_report *r, const char *key, const char *value)
{
	char *k = strdup(key), *v = strdup(value ? value : "");
	int ret = -ENOMEM;

	if (k && v) {
		pthread_mutex_lock(&r->lock);
		ret = report_meta_put(r, k, v);
		pthread_mutex_unlock(&r->lock);
	}
	if (ret < 0) {
		free(k);
		free(v);
	}
	return ret;
}

const char *aoms_report_meta(const struct aoms_report *r, const char *key)
{
	const struct report_meta *m = report_meta_find(r, key);

	return m ? m->value : NULL;
}

/* Binary search: the index of path, or where it would go (*found tells which). */
static size_t report_input_pos(const struct aoms_report *r, const char *path, bool *found)
{
	size_t lo = 0, hi = r->n_inputs;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->inputs[mid], path);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int report_input_insert(struct aoms_report *r, char *p)
{
	char **v;
	bool found;
	size_t pos = report_input_pos(r, p, &found);

	if (found) {
		free(p);
		return 0;
	}
	v = realloc(r->inputs, (r->n_inputs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->inputs = v;
	memmove(&v[pos + 1], &v[pos], (r->n_inputs - pos) * sizeof(*v));
	v[pos] = p;
	r->n_inputs++;
	return 0;
}

int aoms_report_add_input(struct aoms_report *r, const char *path)
{
	char *p = strdup(path);
	int ret;

	if (!p)
		return -ENOMEM;
	pthread_mutex_lock(&r->lock);
	ret = report_input_insert(r, p);
	pthread_mutex_unlock(&r->lock);
	if (ret < 0)
		free(p);
	return ret;
}

/* strcmp with NULL ordered before every string. */
size_t aoms_report_n_findings(const struct aoms_report *r)
{
	return r->n_findings;
}

size_t aoms_report_filter(struct aoms_report *r,
			  bool (*keep)(const struct aoms_finding *f, void *userdata), void *userdata)
{
	size_t out = 0, removed;

	for (size_t i = 0; i < r->n_findings; i++) {
		if (keep(r->findings[i], userdata))
			r->findings[out++] = r->findings[i];
		else
			aoms_finding_free(r->findings[i]);
	}
	removed = r->n_findings - out;
	r->n_findings = out;
	return removed;
}

const struct aoms_finding *aoms_report_finding(const struct aoms_report *r, size_t i)
{
	return i < r->n_findings ? r->findings[i] : NULL;
}

struct aoms_finding *aoms_report_finding_mut(struct aoms_report *r, size_t i)
{
	return i < r->n_findings ? r->findings[i] : NULL;
}

size_t aoms_report_n_errors(const struct aoms_report *r)
{
	return r->n_errors;
}

const struct aoms_report_error *aoms_report_error(const struct aoms_report *r, size_t i)
{
	return i < r->n_errors ? &r->errors[i] : NULL;
}

size_t aoms_report_n_meta(const struct aoms_report *r)
{
	return r->n_meta;
}

void aoms_report_meta_at(const struct aoms_report *r, size_t i, const char **ret_key,
			 const char **ret_value)
{
	if (i >= r->n_meta)
		return;
	if (ret_key)
		*ret_key = r->meta[i].key;
	if (ret_value)
		*ret_value = r->meta[i].value;
}

size_t aoms_report_n_inputs(const struct aoms_report *r)
{
	return r->n_inputs;
}

const char *aoms_report_input(const struct aoms_report *r, size_t i)
{
	return i < r->n_inputs ? r->inputs[i] : NULL;
}

int aoms_report_set_files(struct aoms_report *r, const struct aoms_report_files *files)
{
	struct aoms_report_files copy = *files;

	copy.judged = NULL;
	copy.n_judged = 0;
	for (size_t i = 0; i < files->n_judged; i++) {
		struct aoms_report_judged *v = realloc(copy.judged, (i + 1) * sizeof(*v));

		if (!v || !(v[i].scanner = strdup(files->judged[i].scanner))) {
			if (v)
				copy.judged = v;
			aoms_report_files_release(&copy);
			return -ENOMEM;
		}
		v[i].count = files->judged[i].count;
		copy.judged = v;
		copy.n_judged = i + 1;
	}
	aoms_report_files_release(&r->files);
	r->files = copy;
	r->has_files = true;
	return 0;
}

const struct aoms_report_files *aoms_report_files(const struct aoms_report *r)
{
	return r->has_files ? &r->files : NULL;
}

void aoms_report_files_release(struct aoms_report_files *files)
{
	for (size_t i = 0; i < files->n_judged; i++)
		free(files->judged[i].scanner);
	free(files->judged);
	*files = (struct aoms_report_files){ 0 };
}

size_t aoms_report_files_judged(const struct aoms_report_files *files)
{
	size_t n = 0;

	for (size_t i = 0; i < files->n_judged; i++)
		n += files->judged[i].count;
	return n;
}

void aoms_report_set_allow_empty(struct aoms_report *r, bool allow)
{
	r->allow_empty = allow;
}

bool aoms_report_allow_empty(const struct aoms_report *r)
{
	return r->allow_empty;
}

int aoms_report_exit_status(const struct aoms_report *r, enum aoms_fail_on fail_on)
{
	int status = AOMS_EXIT_OK;

	if (r->n_errors > 0)
		status |= AOMS_EXIT_ERROR;
	if (r->has_files && !r->allow_empty && aoms_report_files_judged(&r->files) == 0)
		status |= AOMS_EXIT_EMPTY;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct aoms_finding *f = r->findings[i];

		if (f->waiver)
			continue;
		if (fail_on <= AOMS_FAIL_HIGH && (int)f->severity >= (int)fail_on)
			status |= AOMS_EXIT_FINDINGS;
		if (f->inhibitor && fail_on < AOMS_FAIL_NEVER)
			status |= AOMS_EXIT_BLOCKING;
	}
	return status;
}

bool aoms_report_finding_fails(const struct aoms_finding *f, enum aoms_fail_on fail_on)
{
	if (f->waiver)
		return false;
	return (fail_on <= AOMS_FAIL_HIGH && (int)f->severity >= (int)fail_on) ||
	       (f->inhibitor && fail_on < AOMS_FAIL_NEVER);
}

int aoms_report_set_run(struct aoms_report *r, const char *id, const char *hostname,
			long long time)
{
	_cleanup_(freep) char *i = NULL;
	_cleanup_(freep) char *h = NULL;

	if (!id || !*id || !hostname || !*hostname)
		return -EINVAL;
	i = strdup(id);
	h = strdup(hostname);
	if (!i || !h)
		return -ENOMEM;
	free(r->run_id);
	free(r->run_hostname);
	r->run_id = TAKE_PTR(i);
	r->run_hostname = TAKE_PTR(h);
	r->run_time = time;
	return 0;
}

const char *aoms_report_run_id(const struct aoms_report *r)
{
	return r->run_id ? r->run_id : "00000000-0000-0000-0000-000000000000";
}

const char *aoms_report_run_hostname(const struct aoms_report *r)
{
	return r->run_hostname ? r->run_hostname : "localhost";
}

long long aoms_report_run_time(const struct aoms_report *r)
{
	return r->run_time;
}

void aoms_report_count(const struct aoms_report *r, struct aoms_report_counts *ret)
{
	struct aoms_report_counts c = { .findings = r->n_findings, .errors = r->n_errors };

	for (size_t i = 0; i < r->n_findings; i++) {
		const struct aoms_finding *f = r->findings[i];

		if (f->inhibitor)
			c.inhibitors++;
		if ((unsigned int)f->severity < ARRAY_SIZE(c.by_severity))
			c.by_severity[f->severity]++;
		if ((unsigned int)f->dimension < ARRAY_SIZE(c.by_dimension))
			c.by_dimension[f->dimension]++;
	}
	*ret = c;
}

/* glibc < 2.32 (EL8) has no strerrorname_np(); the errors a scan can meet. */
static const struct {
	int err;
	const char *name;
} report_errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { EXDEV, "EXDEV" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" },
	{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EMLINK, "EMLINK" },
	{ EPIPE, "EPIPE" }, { EDOM, "EDOM" }, { ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" },
	{ ELOOP, "ELOOP" }, { ENODATA, "ENODATA" }, { ENOLINK, "ENOLINK" }, { EPROTO, "EPROTO" },
	{ EBADMSG, "EBADMSG" }, { EOVERFLOW, "EOVERFLOW" }, { EILSEQ, "EILSEQ" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" }, { ESTALE, "ESTALE" },
	{ EDQUOT, "EDQUOT" }, { ECANCELED, "ECANCELED" }, { ENOMEDIUM, "ENOMEDIUM" },
	{ EUCLEAN, "EUCLEAN" },
};

const char *aoms_report_errno_name(int err)
{
	for (size_t i = 0; i < ARRAY_SIZE(report_errno_names); i++)
		if (report_errno_names[i].err == err)
			return report_errno_names[i].name;
	return NULL;
}

/* The format table (DESIGN.md "Tables over switches"); names[] mirrors it for
 * aoms_report_formats(). */
static const struct report_format {
	const char *name;
	aoms_report_render_fn render;
} report_formats[] = {
	{ "json", aoms_report_render_json },
	{ "text", aoms_report_render_text },
	{ "leapp", aoms_report_render_leapp },
	{ "sarif", aoms_report_render_sarif },
	{ "junit", aoms_report_render_junit },
	{ "html", aoms_report_render_html },
	/* not a --format: `aoms scan --summary` asks for it */
	{ "text-summary", aoms_report_render_text_summary },
};

static const char *const report_format_names[] = { "json", "text", "leapp", "sarif", "junit",
						   "html", NULL };
_Static_assert(ARRAY_SIZE(report_format_names) == ARRAY_SIZE(report_formats),
	       "report_format_names must mirror report_formats");

const char *const *aoms_report_formats(void)
{
	return report_format_names;
}

int aoms_report_render(struct aoms_report *r, const char *format, FILE *out)
{
	const struct report_format *fmt = NULL;
	int ret;

	for (size_t i = 0; format && i < ARRAY_SIZE(report_formats); i++)
		if (strcmp(format, report_formats[i].name) == 0)
			fmt = &report_formats[i];
	if (!fmt)
		return -EINVAL;
	ret = aoms_report_sort(r);
	if (ret >= 0)
		ret = fmt->render(r, out);
	if (ret < 0)
		return ret;
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}
