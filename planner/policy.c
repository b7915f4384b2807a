/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy file: what blocks a host. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include "planner.h"
#include "strbuf.h"

void aoms_plan_policy_init(struct aoms_plan_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->block_inhibitor = true;
}

void aoms_plan_policy_release(struct aoms_plan_policy *p)
{
	for (size_t i = 0; i < p->n_rules; i++)
		free(p->rules[i]);
	free(p->rules);
	aoms_plan_policy_init(p);
}

bool aoms_plan_policy_blocks(const struct aoms_plan_policy *p, const struct aoms_finding *f)
{
	if (p->block_inhibitor && f->inhibitor)
		return true;
	if (p->block_severity_set && f->severity >= p->block_severity)
		return true;
	for (size_t i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i], f->rule) == 0)
			return true;
	return false;
}

static int read_rules(struct json_object *v, struct aoms_plan_policy *p)
{
	size_t n;

	if (!json_object_is_type(v, json_type_array))
		return -EBADMSG;
	n = json_object_array_length(v);
	if (!(p->rules = calloc(n + 1, sizeof(*p->rules))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(v, i);

		if (!json_object_is_type(s, json_type_string))
			return -EBADMSG;
		if (!(p->rules[p->n_rules++] = strdup(json_object_get_string(s))))
			return -ENOMEM;
	}
	return 0;
}

static int read_block_on(struct json_object *b, struct aoms_plan_policy *p, char **err)
{
	int r = 0;

	if (!json_object_is_type(b, json_type_object))
		return -EBADMSG;
	json_object_object_foreach(b, key, v) {
		if (r < 0)
			break;
		if (strcmp(key, "severity") == 0) {
			if (!json_object_is_type(v, json_type_string) ||
			    aoms_severity_from_name(json_object_get_string(v), &p->block_severity) < 0) {
				*err = aoms_strdupf("block_on.severity: not info, low, medium or high");
				r = -EBADMSG;
			}
			p->block_severity_set = true;
		} else if (strcmp(key, "inhibitor") == 0) {
			if (!json_object_is_type(v, json_type_boolean))
				r = -EBADMSG;
			p->block_inhibitor = json_object_get_boolean(v);
		} else if (strcmp(key, "rules") == 0) {
			r = read_rules(v, p);
		} else {
			*err = aoms_strdupf("block_on.%s: unknown member", key);
			r = -EBADMSG;
		}
	}
	return r;
}

int aoms_plan_policy_read(const char *path, struct aoms_plan_policy *p, char **ret_error)
{
	struct json_object *doc, *b = NULL;
	char *err = NULL;
	int r;

	aoms_plan_policy_init(p);
	if (!(doc = json_object_from_file(path))) {
		*ret_error = aoms_strdupf("cannot read policy '%s' as JSON", path);
		return -EBADMSG;
	}
	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, "block_on", &b) || json_object_object_length(doc) != 1)
		r = -EBADMSG;
	else
		r = read_block_on(b, p, &err);
	json_object_put(doc);
	if (r == -EBADMSG) {
		*ret_error = aoms_strdupf("policy '%s': %s", path,
					  err ? err : "not {\"block_on\": {...}}");
		free(err);
	}
	if (r < 0)
		aoms_plan_policy_release(p);
	return r;
}
