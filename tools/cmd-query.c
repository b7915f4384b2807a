/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aoms db query: providers, library facts and exports, symbol exporters, kernel
 * exports and kABI, syscalls. Text for people, JSON for tools; rows come in the
 * database's stable orders, so the output is deterministic. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "abidb.h"
#include "aoms.h"
#include "cmd-query.h"
#include "json-string.h"
#include "tool-opts.h"

struct query {
	const struct query_kind *kind;
	const char *value, *arch;
	const char **dbs;     /* --db, in the order given */
	size_t n_dbs;
	char *db_label;       /* "embedded", "embedded + site.db" */
	bool json;
	struct aoms_abidb *db;
	char *open_reason;    /* why the database could not be opened, or NULL */
	char **arches;        /* --arch, or the database's arches */
	json_object *out;     /* JSON mode: the answer object */
	unsigned matches;
};

struct query_kind {
	const char *option;  /* --provides ... and the JSON "query" value */
	const char *lists;   /* the JSON answer's arrays, space-separated */
	int (*run)(struct query *q);
};

/* ---- output helpers ---- */

static json_object *query_jstr(const char *s)
{
	return aoms_json_string(s);
}

/* "0x1234abcd" as in Module.symvers, or "unknown"; in buf. */
static const char *query_crc(int64_t crc, char buf[static 16])
{
	snprintf(buf, 16, crc < 0 ? "unknown" : "0x%08" PRIx32, (uint32_t)crc);
	return buf;
}

/* An object from space-separated "key:type" words and one value each: s string
 * (NULL: null), b bool, i int, c CRC (int64_t, < 0: null), j an object. */
static json_object *query_jobj(const char *spec, ...)
{
	json_object *o = json_object_new_object(), *v = NULL;
	char key[32], crc[16];
	va_list ap;
	int64_t c;

	va_start(ap, spec);
	for (const char *p = spec; *p; p += strspn(p, " ")) {
		size_t n = strcspn(p, ":");

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		p += n + 1;
		switch (*p++) {
		case 's': v = query_jstr(va_arg(ap, const char *)); break;
		case 'b': v = json_object_new_boolean(va_arg(ap, int)); break;
		case 'i': v = json_object_new_int(va_arg(ap, int)); break;
		case 'c': c = va_arg(ap, int64_t); v = c < 0 ? NULL : query_jstr(query_crc(c, crc)); break;
		default: v = va_arg(ap, json_object *); break;
		}
		json_object_object_add(o, key, v);
	}
	va_end(ap);
	return o;
}

/* Counts a match and, in JSON mode, adds o to the answer's array key. */
static int query_add(struct query *q, const char *key, json_object *o)
{
	json_object *a;

	q->matches++;
	if (o && json_object_object_get_ex(q->out, key, &a))
		json_object_array_add(a, o);
	return 0;
}

/* ---- --provides ---- */

static int query_provider(const struct aoms_abidb_provider *p, void *ud)
{
	struct query *q = ud;

	if (q->json)
		return query_add(q, "providers",
				 query_jobj("package:s nevra:s arch:s evr:s installed:b provide_op:s "
					    "provide_evr:s via:s", p->name, p->nevra, p->arch,
					    p->evr, p->installed, p->provide_op, p->provide_evr,
					    "provides"));
	printf("  %s  %s%s%s%s%s%s\n", p->nevra, p->installed ? "installed" : "available",
	       p->provide_op ? "  (provides " : "", p->provide_op ?: "", p->provide_op ? " " : "",
	       p->provide_op ? p->provide_evr : "", p->provide_op ? ")" : "");
	return query_add(q, NULL, NULL);
}

/* Without package facts (the default database), the library tables answer for a
 * soname capability: the library's package, when it defines the version. */
static int query_provides_by_library(struct query *q)
{
	for (char **a = q->arches; *a; a++) {
		const struct aoms_libabi *lib;
		int r = aoms_abidb_find_capability_library(q->db, q->value, *a, &lib);

		if (r == -ENOENT || r == -EINVAL)
			continue;
		if (r < 0)
			return r;
		if (!q->json)
			printf("  %s (%s)  %s  library %s%s%s\n", (lib->package ?: "unknown package"),
			       *a, lib->available_only ? "available" : "installed", lib->soname,
			       lib->path ? " at " : "", (lib->path ?: ""));
		query_add(q, "providers",
			  !q->json ? NULL : query_jobj("package:s nevra:s arch:s installed:b via:s "
						       "soname:s path:s", lib->package, NULL, *a,
						       !lib->available_only, "library", lib->soname,
						       lib->path));
	}
	return 0;
}

static int query_provides(struct query *q)
{
	int r = aoms_abidb_foreach_provider(q->db, q->value, q->arch, query_provider, q);

	return r == 0 && !q->matches ? query_provides_by_library(q) : r;
}

/* ---- --soname and --exports ---- */

static int query_count_export(const struct aoms_abidb_export *e, void *ud)
{
	(*(unsigned *)ud)++;
	return 0;
}

static json_object *query_jstrv(char **v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, aoms_json_string(v[i]));
	return a;
}

static void query_print_words(const char *label, char **v, size_t n)
{
	printf("    %-10s", label);
	for (size_t i = 0; i < n; i++)
		printf(" %s", v[i]);
	puts(n ? "" : " -");
}

/* "name@@VERSION", "name@VERSION" (compat) or "name" (unversioned), and type. */
static void query_print_symbol(const struct aoms_abidb_export *e, const char *indent)
{
	printf("%s%s%s%s  %s\n", indent, e->name, *e->version ? (e->is_default ? "@@" : "@") : "",
	       e->version, (e->type ?: "-"));
}

static int query_export_row(const struct aoms_abidb_export *e, void *ud)
{
	if (ud)
		json_object_array_add(ud, query_jobj("symbol:s version:s default:b type:s", e->name,
						     *e->version ? e->version : NULL,
						     e->is_default, e->type));
	else
		query_print_symbol(e, "    ");
	return 0;
}

static void query_print_library(const struct aoms_libabi *lib, unsigned nsyms)
{
	printf("  %s:\n    %-10s %s\n    %-10s %s\n    %-10s %s\n", lib->arch, "path",
	       (lib->path ?: "unknown"), "package", (lib->package ?: "unknown"),
	       "installed", lib->available_only ? "no (available from a repository)" : "yes");
	query_print_words("versions", lib->verdefs, lib->n_verdefs);
	printf(lib->symbols_known ? "    %-10s %u\n" : "    %-10s unknown (presence only)\n",
	       "symbols", nsyms);
	query_print_words("needed", lib->needed, lib->n_needed);
}

/* --soname: the library's facts; --exports (list): its symbols. JSON gives the
 * facts either way, with "symbols" a list instead of a count for --exports. */
static int query_library_arch(struct query *q, const char *arch, bool list)
{
	const struct aoms_libabi *lib;
	json_object *syms = NULL;
	unsigned n = 0;
	int r = aoms_abidb_find_library(q->db, q->value, arch, &lib);

	if (r == -ENOENT)
		return 0;
	if (r == 0)
		r = aoms_abidb_foreach_export(q->db, q->value, arch, query_count_export, &n);
	if (r < 0)
		return r;
	if (q->json) {
		syms = list ? json_object_new_array()
			    : lib->symbols_known ? json_object_new_int64(n) : NULL;
		query_add(q, "libraries",
			  query_jobj("soname:s arch:s path:s package:s installed:b symbols_known:b "
				     "versions:j symbols:j needed:j", lib->soname, arch, lib->path,
				     lib->package, !lib->available_only, lib->symbols_known,
				     query_jstrv(lib->verdefs, lib->n_verdefs), syms,
				     query_jstrv(lib->needed, lib->n_needed)));
	} else {
		query_add(q, NULL, NULL);
		if (!list)
			query_print_library(lib, n);
		else
			printf("  %s: %u symbols%s\n", arch, n,
			       lib->symbols_known ? "" : " known (presence only)");
	}
	return list ? aoms_abidb_foreach_export(q->db, q->value, arch, query_export_row, syms) : 0;
}

/* --soname and --exports: one answer per arch holding the library. */
static int query_libraries(struct query *q)
{
	bool list = strcmp(q->kind->option, "exports") == 0;
	int r = 0;

	for (char **a = q->arches; r == 0 && *a; a++)
		r = query_library_arch(q, *a, list);
	return r;
}

/* ---- --symbol NAME[@VERSION] ---- */

static int query_exporter_row(const struct aoms_abidb_export *e, void *ud)
{
	struct query *q = ud;

	if (q->json)
		return query_add(q, "exporters",
				 query_jobj("arch:s soname:s symbol:s version:s default:b type:s",
					    e->arch, e->soname, e->name,
					    *e->version ? e->version : NULL, e->is_default,
					    e->type));
	printf("  %s %s ", e->arch, e->soname);
	query_print_symbol(e, "");
	return query_add(q, NULL, NULL);
}

static int query_symbol(struct query *q)
{
	_cleanup_(freep) char *name = strdup(q->value);
	char *at, *version = NULL;

	if (!name)
		return -ENOMEM;
	at = strchr(name, '@');
	if (at) {
		*at = '\0';
		version = at + 1 + (at[1] == '@');
	}
	return aoms_abidb_foreach_exporter(q->db, name, version, q->arch, query_exporter_row, q);
}

/* ---- --kernel-symbol ---- */

static int query_ksym_row(const struct aoms_abidb_ksym *k, void *ud)
{
	struct query *q = ud;
	char crc[16];

	if (q->json)
		return query_add(q, "exports",
				 query_jobj("release:s arch:s crc:c module:s export_type:s "
					    "namespace:s", k->release, k->arch, k->crc, k->module,
					    k->export_type, k->ns));
	printf("  exported by %s %s: %s, module %s, crc %s%s%s\n", k->release, k->arch,
	       (k->export_type ?: "export type unknown"), (k->module ?: "unknown"),
	       query_crc(k->crc, crc), k->ns ? ", namespace " : "", (k->ns ?: ""));
	return query_add(q, NULL, NULL);
}

static int query_kabi_row(const struct aoms_abidb_kabi *k, void *ud)
{
	struct query *q = ud;
	char crc[16];

	if (q->json)
		return query_add(q, "kabi",
				 query_jobj("list:s arch:s crc:c module:s export_type:s", k->list,
					    k->arch, k->crc, k->module, k->export_type));
	printf("  kABI %s %s: crc %s, %s, %s\n", k->list, k->arch, query_crc(k->crc, crc),
	       k->module ?: "module unknown", k->export_type ?: "export type unknown");
	return query_add(q, NULL, NULL);
}

static int query_kernel_symbol(struct query *q)
{
	int r = aoms_abidb_foreach_kernel_symbol(q->db, q->value, q->arch, query_ksym_row, q);
	unsigned exports = q->matches;

	if (r == 0)
		r = aoms_abidb_foreach_kabi(q->db, q->value, q->arch, NULL, query_kabi_row, q);
	if (r == 0 && !q->json && exports && q->matches == exports)
		puts("  not on a kABI stablelist");
	return r;
}

/* ---- --syscall NAME|NR ---- */

static int query_syscall_row(const struct aoms_abidb_syscall *s, void *ud)
{
	struct query *q = ud;

	if (q->json)
		return query_add(q, "syscalls",
				 query_jobj("kernel:s arch:s nr:i name:s abi:s entry:s", s->kernel,
					    s->arch, s->nr, s->name, s->abi, s->entry));
	printf("  %s %s: %d %s (%s, %s)\n", s->arch, s->kernel, s->nr, s->name,
	       (s->abi ?: "abi unknown"), (s->entry ?: "no entry"));
	return query_add(q, NULL, NULL);
}

static int query_syscall(struct query *q)
{
	const char *v = q->value;
	bool is_nr = *v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 10;

	return aoms_abidb_foreach_syscall(q->db, q->arch, is_nr ? NULL : v, is_nr ? atoi(v) : -1,
					  NULL, query_syscall_row, q);
}

/* ---- the command ---- */

static const struct query_kind query_kinds[] = {
	{ "provides", "providers", query_provides },
	{ "soname", "libraries", query_libraries },
	{ "symbol", "exporters", query_symbol },
	{ "exports", "libraries", query_libraries },
	{ "kernel-symbol", "exports kabi", query_kernel_symbol },
	{ "syscall", "syscalls", query_syscall },
};
#define QUERY_OPT_KIND 256 /* getopt value of query_kinds[0] */

/* The options: WHAT (one of the query_kinds, in their order), then the others. */
static const struct aoms_opt query_opts[] = {
	{ "provides", QUERY_OPT_KIND + 0, "CAPABILITY", NULL,
	  "packages providing a capability in RPM's spelling ('libfoo.so.1()(64bit)',\n"
	  "'libc.so.6(GLIBC_2.14)(64bit)', '/usr/bin/python3'); else libraries with that\n"
	  "soname" },
	{ "soname", QUERY_OPT_KIND + 1, "SONAME", NULL,
	  "a library's path, package, versions, symbol count, needs" },
	{ "symbol", QUERY_OPT_KIND + 2, "NAME[@VERSION]", NULL,
	  "libraries exporting a symbol, at which versions" },
	{ "exports", QUERY_OPT_KIND + 3, "SONAME", NULL, "the symbols a library exports, sorted" },
	{ "kernel-symbol", QUERY_OPT_KIND + 4, "NAME", NULL,
	  "kernel exports of NAME (CRC, module, type) and kABI lists" },
	{ "syscall", QUERY_OPT_KIND + 5, "NAME|NR", NULL,
	  "a syscall's number (or name) per arch and kernel table" },
	{ "db", 'd', "FILE", "the embedded database",
	  "the database to ask, or 'embedded'; repeatable: the databases layer, a later\n"
	  "one overriding or extending the earlier ones" },
	{ "arch", 'a', "ARCH", "every arch", "answer for one architecture" },
	{ "format", 'f', "text|json", "text", "text for people, json for tools" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_db_query = {
	.name = "db query",
	.summary = "ask a database: providers, libraries, symbols, kernel exports, syscalls",
	.synopsis = "[--db FILE]... [--arch ARCH] [--format text|json] WHAT",
	.description =
		"Ask the target database one question, WHAT: one of --provides, --soname,\n"
		"--symbol, --exports, --kernel-symbol, --syscall. Rows come in the\n"
		"database's stable order, so the answer is deterministic.",
	.opts = query_opts,
	.examples = "aoms db query --provides 'libssl.so.1.1()(64bit)'\n"
		    "aoms db query --symbol memcpy@GLIBC_2.14 --arch x86_64\n"
		    "aoms db query --format json --kernel-symbol register_netdev",
	.exit_status = "0 found, 1 runtime error, 2 usage error, 4 nothing matched",
	.operands = "none",
};

/* The message names the database and SQLite's cause, not "Invalid argument". */
static int query_fail(struct query *q, int r, const char *what)
{
	char msg[PATH_MAX + 512];
	const char *label = q->db_label ? q->db_label : "the database";
	const char *cause = q->db ? aoms_abidb_errmsg(q->db) : NULL;

	if (!q->db && q->open_reason)
		snprintf(msg, sizeof(msg), "%s", q->open_reason);  /* names the database */
	else if (r != -ENOMEM && cause && strcmp(cause, "no error") != 0)
		snprintf(msg, sizeof(msg), "cannot read '%s': %s", label, cause);
	else
		snprintf(msg, sizeof(msg), "cannot %s: %s", what, strerror(-r));
	aoms_tool_err("%s", msg);
	if (q->json) {
		json_object *o = query_jobj("query:s value:s error:j", q->kind->option, q->value,
					    query_jobj("errno:i message:s", -r, msg));

		aoms_tool_print_json(o);
		json_object_put(o);
	}
	return AOMS_EXIT_ERROR;
}

/* --arch, or the database's "arches" words. */
static int query_arches(struct query *q)
{
	_cleanup_(freep) char *meta = q->arch ? strdup(q->arch) : aoms_abidb_get_meta(q->db, "arches");
	size_t n = 0;
	char *p = meta, *w;

	q->arches = calloc(meta ? strlen(meta) / 2 + 2 : 1, sizeof(char *));
	if (!q->arches || (q->arch && !meta))
		return -ENOMEM;
	while ((w = strsep(&p, " \t")))
		if (*w && !(q->arches[n++] = strdup(w)))
			return -ENOMEM;
	return 0;
}

/* Returns 0, AOMS_EXIT_USAGE (reported) or -1 for --help. */
static int query_parse(struct query *q, int argc, char **argv)
{
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	const char *format = "text";
	int c;

	if (aoms_opts_getopt(query_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'd': q->dbs[q->n_dbs++] = optarg; break;
		case 'a': q->arch = optarg; break;
		case 'f': format = optarg; break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_db_query); return -1;
		default:
			if (c < QUERY_OPT_KIND || c >= QUERY_OPT_KIND + (int)ARRAY_SIZE(query_kinds) ||
			    q->kind) {
				if (q->kind)
					aoms_tool_err("one question at a time; see 'aoms db query --help'");
				return AOMS_EXIT_USAGE;
			}
			q->kind = &query_kinds[c - QUERY_OPT_KIND];
			q->value = optarg;
		}
	}
	if (!q->kind || optind != argc) {
		aoms_opts_usage(stderr, &aoms_doc_db_query);
		return AOMS_EXIT_USAGE;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		aoms_tool_err("unknown format '%s'", format);
		return AOMS_EXIT_USAGE;
	}
	q->json = strcmp(format, "json") == 0;
	return 0;
}

static int query_run(struct query *q)
{
	int r = aoms_abidb_open_layers(q->dbs, q->n_dbs, &q->db, &q->open_reason);

	if (r < 0)
		return query_fail(q, r, "open the database");
	q->db_label = aoms_tool_db_label(q->db);
	if (!q->db_label)
		return query_fail(q, -ENOMEM, "name the database");
	r = query_arches(q);
	if (r < 0)
		return query_fail(q, r, "read the database's arches");
	if (q->json) {
		_cleanup_(freep) char *lists = strdup(q->kind->lists);
		char *p = lists, *key;

		q->out = query_jobj("query:s value:s arch:s database:s", q->kind->option, q->value,
				    q->arch, q->db_label);
		while (p && (key = strsep(&p, " ")))
			json_object_object_add(q->out, key, json_object_new_array());
	} else {
		printf("%s:\n", q->value);
	}
	r = q->kind->run(q);
	if (r < 0)
		return query_fail(q, r, "query the database");
	if (q->json) {
		json_object_object_add(q->out, "found", json_object_new_boolean(q->matches > 0));
		aoms_tool_print_json(q->out);
	} else if (!q->matches) {
		puts("  no match");
	}
	if (fflush(stdout) != 0) {
		aoms_tool_err("cannot write the answer: %s", strerror(errno));
		return AOMS_EXIT_ERROR;
	}
	return q->matches ? AOMS_QUERY_FOUND : AOMS_QUERY_NO_MATCH;
}

int aoms_cmd_query(int argc, char **argv)
{
	_cleanup_(freep) const char **dbs = calloc((size_t)argc + 1, sizeof(*dbs));
	struct query q = { .dbs = dbs };
	int r = dbs ? query_parse(&q, argc, argv) : AOMS_EXIT_ERROR;

	if (r == 0)
		r = query_run(&q);
	else if (r < 0)
		r = 0; /* --help */
	strv_free(q.arches);
	json_object_put(q.out);
	aoms_abidb_free(q.db);
	free(q.open_reason);
	free(q.db_label);
	return r;
}
