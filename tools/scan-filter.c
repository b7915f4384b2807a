/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What `aoms scan` drops from a report before rendering it: --baseline (findings whose
 * key the baseline report has) and --min-severity; and what it marks: --waivers (aoms.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "aoms.h"
#include "report-read.h"
#include "waivers.h"

struct scan_filter {
	char **keys;            /* the baseline's keys, sorted; NULL: no baseline */
	size_t n_keys;
	enum aoms_severity min_severity;
};

static int filter_keycmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool filter_keep(const struct aoms_finding *f, void *userdata)
{
	const struct scan_filter *sf = userdata;
	const char *key = f->key;

	if (f->severity < sf->min_severity && !f->inhibitor)
		return false;
	return !sf->keys || !bsearch(&key, sf->keys, sf->n_keys, sizeof(*sf->keys), filter_keycmp);
}

/* The baseline's keys, sorted, in *ret (strings owned by base). */
static int filter_baseline_keys(const struct aoms_report *base, char ***ret, size_t *ret_n)
{
	size_t n = aoms_report_n_findings(base);
	char **keys = calloc(n + 1, sizeof(*keys));

	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		keys[i] = (char *)aoms_report_finding(base, i)->key;
	qsort(keys, n, sizeof(*keys), filter_keycmp);
	*ret = keys;
	*ret_n = n;
	return 0;
}

int aoms_tool_read_baseline(const char *baseline, struct aoms_report **ret)
{
	_cleanup_(freep) char *why = NULL;
	int rr = aoms_report_read_file(baseline, ret, &why);

	if (rr == -EBADMSG || rr == -EPROTONOSUPPORT || rr == -EFBIG) {
		aoms_tool_err("--baseline '%s' is not an aoms JSON report: %s", baseline,
			      why ? why : strerror(-rr));
		return AOMS_EXIT_USAGE;
	}
	if (rr < 0) {
		aoms_tool_err("cannot read --baseline '%s': %s", baseline, why ? why : strerror(-rr));
		return AOMS_EXIT_ERROR;
	}
	return 0;
}

int aoms_tool_filter_report(struct aoms_report *r, const struct aoms_report *base,
			    enum aoms_severity min_severity)
{
	struct scan_filter sf = { .min_severity = min_severity };

	if (base) {
		if (filter_baseline_keys(base, &sf.keys, &sf.n_keys) < 0) {
			aoms_tool_err("out of memory");
			return AOMS_EXIT_ERROR;
		}
	}
	aoms_report_filter(r, filter_keep, &sf);
	free(sf.keys);
	return 0;
}

int aoms_tool_read_waivers(const char *path, struct aoms_waivers **ret)
{
	_cleanup_(freep) char *why = NULL;
	int rr = aoms_waivers_read(path, ret, &why);

	if (rr == -EBADMSG || rr == -EFBIG) {
		aoms_tool_err("--waivers '%s': %s", path, why ? why : strerror(-rr));
		return AOMS_EXIT_USAGE;
	}
	if (rr < 0) {
		aoms_tool_err("cannot read --waivers '%s': %s", path, why ? why : strerror(-rr));
		return AOMS_EXIT_ERROR;
	}
	return 0;
}

int aoms_tool_apply_waivers(struct aoms_report *r, const struct aoms_waivers *w, bool quiet)
{
	char today[11];
	int rr;

	if (!w)
		return 0;
	/* the run's time: $SOURCE_DATE_EPOCH when set (tests), else now */
	aoms_waiver_date(aoms_report_run_time(r), today);
	for (size_t i = 0; i < w->n && !quiet; i++)
		if (aoms_waiver_expired(&w->items[i], today))
			aoms_tool_err("warning: the waiver for %s expired on %s; ignored",
				      w->items[i].key, w->items[i].expires);
	rr = aoms_waivers_apply(r, w, today);
	if (rr < 0) {
		aoms_tool_err("out of memory");
		return AOMS_EXIT_ERROR;
	}
	return 0;
}
