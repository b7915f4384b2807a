/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "finding.h"
#include "hash.h"
#include "strbuf.h"

int aoms_finding_new(const char *rule, enum aoms_severity severity, enum aoms_dimension dim,
		     const char *subject, struct aoms_finding **ret)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->rule = strdup(rule ? rule : "");
	f->subject = strdup(subject ? subject : "");
	if (!f->rule || !f->subject)
		return -ENOMEM;
	f->severity = severity;
	f->dimension = dim;
	f->confidence = AOMS_CONF_CERTAIN;
	*ret = TAKE_PTR(f);
	return 0;
}

int aoms_finding_new_at(const char *rule, enum aoms_severity severity, enum aoms_dimension dim,
			const char *subject, const char *locus, const char *package,
			struct aoms_finding **ret)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	int r = aoms_finding_new(rule, severity, dim, subject, &f);

	if (r >= 0 && locus && strcmp(locus, f->subject) != 0)
		r = aoms_finding_set_locus(f, locus);
	if (r >= 0 && package)
		r = aoms_finding_set_package(f, package);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(f);
	return 0;
}

static void evidence_release(struct aoms_evidence *e)
{
	free(e->key);
	for (size_t i = 0; i < e->n_values; i++)
		free(e->values[i]);
	free(e->values);
}

static void action_release(struct aoms_action *a)
{
	for (size_t i = 0; i < a->n_args; i++) {
		free(a->args[i].key);
		free(a->args[i].value);
	}
	free(a->args);
}

void aoms_finding_free(struct aoms_finding *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_evidence; i++)
		evidence_release(&f->evidence[i]);
	free(f->evidence);
	for (size_t i = 0; i < f->n_remedies; i++)
		free(f->remedies[i].text);
	free(f->remedies);
	for (size_t i = 0; i < f->n_actions; i++)
		action_release(&f->actions[i]);
	free(f->actions);
	free(f->rule);
	free(f->subject);
	free(f->locus);
	free(f->package);
	free(f->title);
	free(f->summary);
	aoms_finding_set_waiver(f, NULL, NULL, NULL);
	free(f);
}

int aoms_finding_set_waiver(struct aoms_finding *f, const char *reason, const char *owner,
			    const char *expires)
{
	_cleanup_(freep) struct aoms_finding_waiver *w = NULL;

	if (reason) {
		w = calloc(1, sizeof(*w));
		if (!w || !(w->reason = strdup(reason)) || (owner && !(w->owner = strdup(owner))) ||
		    (expires && !(w->expires = strdup(expires)))) {
			if (w) {
				free(w->reason);
				free(w->owner);
			}
			return -ENOMEM;
		}
	}
	if (f->waiver) {
		free(f->waiver->reason);
		free(f->waiver->owner);
		free(f->waiver->expires);
		free(f->waiver);
	}
	f->waiver = TAKE_PTR(w);
	return 0;
}

/* Replaces *dst with a new formatted string; *dst is untouched on -ENOMEM. */
static int set_vformat(char **dst, const char *fmt, va_list ap)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	char *s;
	int r;

	r = aoms_strbuf_vaddf(&sb, fmt, ap);
	if (r < 0) {
		aoms_strbuf_release(&sb);
		return r;
	}
	s = aoms_strbuf_detach(&sb);
	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

int aoms_finding_set_title(struct aoms_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_vformat(&f->title, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_finding_set_summary(struct aoms_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_vformat(&f->summary, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_finding_set_package(struct aoms_finding *f, const char *package)
{
	char *p = NULL;

	if (package) {
		p = strdup(package);
		if (!p)
			return -ENOMEM;
	}
	free(f->package);
	f->package = p;
	return 0;
}

int aoms_finding_set_locus(struct aoms_finding *f, const char *locus)
{
	char *p = NULL;

	if (locus) {
		p = strdup(locus);
		if (!p)
			return -ENOMEM;
	}
	free(f->locus);
	f->locus = p;
	return 0;
}

const char *aoms_finding_locus(const struct aoms_finding *f)
{
	return f->locus ? f->locus : f->subject;
}

static struct aoms_evidence *evidence_find(const struct aoms_finding *f, const char *key)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, key) == 0)
			return &f->evidence[i];
	return NULL;
}

/* Builds a detached evidence field (copies of key and values). */
static int evidence_make(const char *key, const char *const *values, size_t n, bool is_list,
			 bool identity, struct aoms_evidence *ret)
{
	struct aoms_evidence e = { .is_list = is_list, .identity = identity };

	e.key = strdup(key);
	if (!e.key)
		return -ENOMEM;
	if (n > 0) {
		e.values = calloc(n, sizeof(char *));
		if (!e.values)
			goto fail;
	}
	for (; e.n_values < n; e.n_values++) {
		e.values[e.n_values] = strdup(values[e.n_values] ? values[e.n_values] : "");
		if (!e.values[e.n_values])
			goto fail;
	}
	*ret = e;
	return 0;
fail:
	evidence_release(&e);
	return -ENOMEM;
}

/* Adds a field, or replaces an existing field of the same key where it stands. */
static int evidence_put(struct aoms_finding *f, const char *key, const char *const *values,
			size_t n, bool is_list, bool identity)
{
	struct aoms_evidence e, *old, *v;
	int r;

	r = evidence_make(key, values, n, is_list, identity, &e);
	if (r < 0)
		return r;
	old = evidence_find(f, key);
	if (old) {
		evidence_release(old);
		*old = e;
		return 0;
	}
	v = realloc(f->evidence, (f->n_evidence + 1) * sizeof(*v));
	if (!v) {
		evidence_release(&e);
		return -ENOMEM;
	}
	f->evidence = v;
	f->evidence[f->n_evidence++] = e;
	return 0;
}

int aoms_finding_add_evidence(struct aoms_finding *f, const char *key, const char *value)
{
	return evidence_put(f, key, &value, 1, false, false);
}

int aoms_finding_add_identity(struct aoms_finding *f, const char *key, const char *value)
{
	return evidence_put(f, key, &value, 1, false, true);
}

static int evidence_vputf(struct aoms_finding *f, const char *key, bool identity,
			  const char *fmt, va_list ap)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	const char *value;
	int r;

	r = aoms_strbuf_vaddf(&sb, fmt, ap);
	value = aoms_strbuf_str(&sb);
	if (r >= 0)
		r = evidence_put(f, key, &value, 1, false, identity);
	aoms_strbuf_release(&sb);
	return r;
}

int aoms_finding_add_evidencef(struct aoms_finding *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = evidence_vputf(f, key, false, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_finding_add_identityf(struct aoms_finding *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = evidence_vputf(f, key, true, fmt, ap);
	va_end(ap);
	return r;
}

int aoms_finding_add_evidence_list(struct aoms_finding *f, const char *key,
				   const char *const *values, size_t n)
{
	return evidence_put(f, key, values, n, true, false);
}

int aoms_finding_set_identity(struct aoms_finding *f, const char *key, bool identity)
{
	struct aoms_evidence *e = evidence_find(f, key);

	if (!e)
		return -ENOENT;
	e->identity = identity;
	return 0;
}

/* Appends m; takes m.text, also on failure. */
static int remedy_push(struct aoms_finding *f, struct aoms_remedy m)
{
	struct aoms_remedy *v = realloc(f->remedies, (f->n_remedies + 1) * sizeof(*v));

	if (!v) {
		free(m.text);
		return -ENOMEM;
	}
	f->remedies = v;
	f->remedies[f->n_remedies++] = m;
	return 0;
}

int aoms_finding_add_remedy(struct aoms_finding *f, enum aoms_remedy_kind kind,
			    const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int r;

	if (kind != AOMS_REMEDY_HINT)
		return -EINVAL;
	va_start(ap, fmt);
	r = set_vformat(&text, fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	return remedy_push(f, (struct aoms_remedy){ .kind = AOMS_REMEDY_HINT, .text = text });
}

const char *aoms_finding_evidence(const struct aoms_finding *f, const char *key)
{
	const struct aoms_evidence *e = evidence_find(f, key);

	return e && e->n_values > 0 ? e->values[0] : NULL;
}

/*
 * The action table (DESIGN.md "Tables over switches"): each kind's name, the
 * arguments it cannot do without, and its command line, where "$x" is argument x.
 */
static const struct action_type {
	const char *name;
	const char *required[3];
	const char *command[5];
} action_types[] = {
	[AOMS_ACTION_INSTALL_PACKAGE] = { "install-package", { "package" },
					  { "dnf", "install", "$package" } },
	[AOMS_ACTION_SWAP_PACKAGE] = { "swap-package", { "from", "to" },
				       { "dnf", "swap", "$from", "$to" } },
	[AOMS_ACTION_REBUILD] = { "rebuild", { NULL }, { NULL } },
	[AOMS_ACTION_REPLACE_LIBRARY] = { "replace-library", { "soname" }, { NULL } },
	[AOMS_ACTION_REPLACE_FILE] = { "replace-file", { "path" }, { NULL } },
	[AOMS_ACTION_REMOVE_FILE] = { "remove-file", { "path" }, { NULL } },
	[AOMS_ACTION_RELINK] = { "relink", { NULL }, { NULL } },
	[AOMS_ACTION_SET_RUNPATH] = { "set-runpath", { "soname" }, { NULL } },
	[AOMS_ACTION_REBUILD_DATABASE] = { "rebuild-database", { NULL }, { NULL } },
	[AOMS_ACTION_ENABLE_MODULE_STREAM] = { "enable-module-stream", { "module_stream" },
					       { "dnf", "module", "enable", "$module_stream" } },
};
_Static_assert(ARRAY_SIZE(action_types) == _AOMS_ACTION_MAX, "one row per action kind");

const char *aoms_action_arg(const struct aoms_action *a, const char *key)
{
	for (size_t i = 0; i < a->n_args; i++)
		if (strcmp(a->args[i].key, key) == 0)
			return a->args[i].value;
	return NULL;
}

int aoms_action_command(const struct aoms_action *a, const char ***ret)
{
	const struct action_type *t;
	const char **argv;
	size_t n = 0;

	if ((unsigned int)a->kind >= _AOMS_ACTION_MAX)
		return 0;
	t = &action_types[a->kind];
	while (n < ARRAY_SIZE(t->command) && t->command[n])
		n++;
	if (n == 0)
		return 0;
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *w = t->command[i];

		argv[i] = w[0] == '$' ? aoms_action_arg(a, w + 1) : w;
		if (!argv[i])
			argv[i] = "";
	}
	*ret = argv;
	return (int)n;
}

static int action_check(const struct action_type *t, const struct aoms_action *a)
{
	for (size_t i = 0; i < ARRAY_SIZE(t->required) && t->required[i]; i++)
		if (!aoms_action_arg(a, t->required[i]))
			return -EINVAL;
	return 0;
}

int aoms_finding_add_actionv(struct aoms_finding *f, enum aoms_action_kind kind,
			     const char *const *pairs, size_t n, bool with_command)
{
	struct aoms_action a = { .kind = kind }, *v;
	int r;

	if ((unsigned int)kind >= _AOMS_ACTION_MAX)
		return -EINVAL;
	if (n > 0 && !(a.args = calloc(n, sizeof(*a.args))))
		return -ENOMEM;
	for (; a.n_args < n; a.n_args++) {
		a.args[a.n_args].key = strdup(pairs[2 * a.n_args]);
		a.args[a.n_args].value = strdup(pairs[2 * a.n_args + 1]);
		if (!a.args[a.n_args].key || !a.args[a.n_args].value) {
			a.n_args++;
			r = -ENOMEM;
			goto fail;
		}
	}
	r = action_check(&action_types[kind], &a);
	if (r < 0)
		goto fail;
	v = realloc(f->actions, (f->n_actions + 1) * sizeof(*v));
	if (!v) {
		r = -ENOMEM;
		goto fail;
	}
	f->actions = v;
	f->actions[f->n_actions++] = a;
	if (with_command && action_types[kind].command[0])
		return remedy_push(f, (struct aoms_remedy){ .kind = AOMS_REMEDY_COMMAND,
							    .action = f->n_actions - 1 });
	return 0;
fail:
	action_release(&a);
	return r;
}

int aoms_finding_add_command(struct aoms_finding *f, size_t action)
{
	if (action >= f->n_actions || !action_types[f->actions[action].kind].command[0])
		return -EINVAL;
	return remedy_push(f, (struct aoms_remedy){ .kind = AOMS_REMEDY_COMMAND, .action = action });
}

int aoms_finding_add_action(struct aoms_finding *f, enum aoms_action_kind kind, ...)
{
	const char *pairs[16];
	size_t n = 0;
	va_list ap;

	va_start(ap, kind);
	for (;;) {
		const char *k = va_arg(ap, const char *), *v = k ? va_arg(ap, const char *) : NULL;

		if (!k || !v)
			break;
		if (n == ARRAY_SIZE(pairs) / 2) {
			va_end(ap);
			return -EINVAL;
		}
		pairs[2 * n] = k;
		pairs[2 * n + 1] = v;
		n++;
	}
	va_end(ap);
	return aoms_finding_add_actionv(f, kind, pairs, n, true);
}

size_t aoms_nevra_name_len(const char *nevra)
{
	const char *rel = strrchr(nevra, '-'), *ver;

	if (!rel || rel == nevra || !rel[1])
		return strlen(nevra);
	for (ver = rel - 1; ver > nevra && *ver != '-'; ver--)
		;
	/* ver at the dash before VERSION: both the name and VERSION non-empty */
	if (ver == nevra || *ver != '-' || ver + 1 == rel)
		return strlen(nevra);
	return (size_t)(ver - nevra);
}

/*
 * Every string is hashed with its terminating NUL, and each evidence field is
 * framed by marker bytes after a NUL ('\1' before each value, '\2' closing the
 * field), so no two different inputs give the same byte stream: a value can never
 * swallow the next key. docs/report-schema.md documents the byte layout.
 */
static uint64_t hash_str(uint64_t h, const char *s)
{
	return aoms_fnv64(h, s, strlen(s) + 1);
}

void aoms_finding_compute_key(struct aoms_finding *f)
{
	static const char value_mark = '\1', end_mark = '\2', nul = '\0';
	uint64_t h = AOMS_FNV64_INIT;

	h = hash_str(h, f->rule);
	h = hash_str(h, aoms_finding_locus(f));
	if (f->package)
		h = aoms_fnv64(h, f->package, aoms_nevra_name_len(f->package));
	h = aoms_fnv64(h, &nul, 1);
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct aoms_evidence *e = &f->evidence[i];

		if (!e->identity)
			continue;
		h = hash_str(h, e->key);
		for (size_t j = 0; j < e->n_values; j++) {
			h = aoms_fnv64(h, &value_mark, 1);
			h = hash_str(h, e->values[j]);
		}
		h = aoms_fnv64(h, &end_mark, 1);
	}
	snprintf(f->key, sizeof(f->key), "%016" PRIx64, h);
}

static const char *const severity_names[] = {
	[AOMS_SEV_INFO] = "info",
	[AOMS_SEV_LOW] = "low",
	[AOMS_SEV_MEDIUM] = "medium",
	[AOMS_SEV_HIGH] = "high",
};

static const char *const dimension_names[] = {
	[AOMS_DIM_HARDWARE] = "hardware",
	[AOMS_DIM_KERNEL] = "kernel",
	[AOMS_DIM_PACKAGES] = "packages",
	[AOMS_DIM_APPLICATIONS] = "applications",
	[AOMS_DIM_CONFIGURATION] = "configuration",
};

static const char *const dimension_titles[] = {
	[AOMS_DIM_HARDWARE] = "Hardware & drivers",
	[AOMS_DIM_KERNEL] = "Kernel interfaces",
	[AOMS_DIM_PACKAGES] = "System packages",
	[AOMS_DIM_APPLICATIONS] = "Applications",
	[AOMS_DIM_CONFIGURATION] = "Configuration & services",
};

static const char *const confidence_names[] = {
	[AOMS_CONF_CERTAIN] = "certain",
	[AOMS_CONF_LIKELY] = "likely",
	[AOMS_CONF_POSSIBLE] = "possible",
};

static const char *const remedy_kind_names[] = {
	[AOMS_REMEDY_HINT] = "hint",
	[AOMS_REMEDY_COMMAND] = "command",
};

/* Out-of-range values (a corrupt or newer enum) render as "unknown", never NULL. */
static const char *table_name(const char *const *table, size_t n, unsigned int i)
{
	return i < n && table[i] ? table[i] : "unknown";
}

const char *aoms_severity_name(enum aoms_severity s)
{
	return table_name(severity_names, ARRAY_SIZE(severity_names), s);
}

/* The index of name in table (holes skipped), or -EINVAL. */
static int table_index(const char *const *table, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (table[i] && strcmp(name, table[i]) == 0)
			return (int)i;
	return -EINVAL;
}

int aoms_severity_from_name(const char *name, enum aoms_severity *ret)
{
	int i = table_index(severity_names, ARRAY_SIZE(severity_names), name);

	if (i < 0)
		return i;
	*ret = (enum aoms_severity)i;
	return 0;
}

int aoms_dimension_from_name(const char *name, enum aoms_dimension *ret)
{
	int i = table_index(dimension_names, ARRAY_SIZE(dimension_names), name);

	if (i < 0)
		return i;
	*ret = (enum aoms_dimension)i;
	return 0;
}

int aoms_confidence_from_name(const char *name, enum aoms_confidence *ret)
{
	int i = table_index(confidence_names, ARRAY_SIZE(confidence_names), name);

	if (i < 0)
		return i;
	*ret = (enum aoms_confidence)i;
	return 0;
}

int aoms_remedy_kind_from_name(const char *name, enum aoms_remedy_kind *ret)
{
	int i = table_index(remedy_kind_names, ARRAY_SIZE(remedy_kind_names), name);

	if (i < 0)
		return i;
	*ret = (enum aoms_remedy_kind)i;
	return 0;
}

const char *aoms_action_kind_name(enum aoms_action_kind k)
{
	return (unsigned int)k < _AOMS_ACTION_MAX ? action_types[k].name : "unknown";
}

int aoms_action_kind_from_name(const char *name, enum aoms_action_kind *ret)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(action_types); i++)
		if (strcmp(name, action_types[i].name) == 0) {
			*ret = (enum aoms_action_kind)i;
			return 0;
		}
	return -EINVAL;
}

const char *aoms_dimension_name(enum aoms_dimension d)
{
	return table_name(dimension_names, ARRAY_SIZE(dimension_names), d);
}

const char *aoms_dimension_title(enum aoms_dimension d)
{
	return table_name(dimension_titles, ARRAY_SIZE(dimension_titles), d);
}

const char *aoms_confidence_name(enum aoms_confidence c)
{
	return table_name(confidence_names, ARRAY_SIZE(confidence_names), c);
}

const char *aoms_remedy_kind_name(enum aoms_remedy_kind k)
{
	return table_name(remedy_kind_names, ARRAY_SIZE(remedy_kind_names), k);
}
