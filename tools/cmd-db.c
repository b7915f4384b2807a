/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "abidb.h"
#include "atomic-file.h"
#include "input-file.h"
#include "json-string.h"
#include "aoms.h"
#include "cmd-query.h"
#include "dbbuild.h"
#include "tool-opts.h"

/* Closes the finished database and gives it the target's name. 0, or <0 printed. */
static int db_commit(struct aoms_abidb **db, struct aoms_atomic_file **out, const char *output)
{
	int r;

	aoms_abidb_free(TAKE_PTR(*db));
	r = aoms_atomic_commit(TAKE_PTR(*out));
	if (r < 0)
		aoms_tool_err("cannot write database '%s': %s", output, strerror(-r));
	return r;
}

/* One fact table; -EINVAL, -errno, printed. */
static int db_import_file(struct aoms_abidb *db, const char *path)
{
	_cleanup_(fclosep) FILE *f = NULL;
	unsigned line = 0;
	int r = aoms_input_fopen(path, &f);

	if (r == -EINVAL) {
		aoms_tool_err("cannot import '%s': not a regular file", path);
		return r;
	}
	if (r < 0) {
		aoms_tool_err("cannot import '%s': %s", path, strerror(-r));
		return r;
	}
	r = aoms_abidb_import(db, f, path, &line);
	if (r == -EINVAL)
		aoms_tool_err("%s:%u: %s", path, line, aoms_abidb_errmsg(db));
	else if (r < 0)
		aoms_tool_err("cannot import '%s': %s", path, strerror(-r));
	else
		fprintf(stderr, "aoms: imported %d rows from '%s'\n", r, path);
	return r;
}

enum { OPT_KERNEL = 256, OPT_BTF };

static const struct aoms_opt build_opts[] = {
	{ "root", 'r', "DIR", NULL,
	  "a target system's root (an installed Anolis OS 8, a container image's\n"
	  "files): its libraries, their symbols and versions, its rpmdb's packages" },
	{ "rpms", 'R', "DIR", NULL,
	  "a directory of the target's .rpm packages (a repository): what can be\n"
	  "installed beside the root" },
	{ "kernel", OPT_KERNEL, "DIR", NULL,
	  "a kernel build directory or package tree (Module.symvers, kABI lists,\n"
	  ".config, syscall tables); repeatable" },
	{ "btf", OPT_BTF, "FILE", "looked for beside each kernel",
	  "the vmlinux BTF of the one --kernel (raw BTF such as\n"
	  "/sys/kernel/btf/vmlinux, or a vmlinux with a .BTF section)" },
	{ "output", 'o', "FILE", NULL, "the database to write (replaced atomically); required" },
	{ "name", 'n', "NAME", "the root's os-release PRETTY_NAME", "the target's name" },
	{ "jobs", 'j', "N", "online CPUs", "worker threads" },
	{ "quiet", 'q', NULL, NULL,
	  "print nothing but errors; without it, a progress line (phase, files or\n"
	  "packages done of found, rate) on stderr when it is a terminal" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_db_build = {
	.name = "db build",
	.summary = "collect a target root's facts into a database",
	.synopsis = "[--root DIR] [--rpms DIR] [--kernel DIR [--btf FILE]]... -o FILE [--name NAME]\n"
		    "[--jobs N] [-q]",
	.description =
		"Build a target database from a target system's root, a directory of its\n"
		"packages and its kernels (at least one of --root, --rpms, --kernel). aoms\n"
		"scan --db FILE then judges against it instead of the embedded database.\n"
		"The database is written to a temporary file and renamed: a failed build\n"
		"leaves the previous FILE as it was. docs/database.md describes its schema.\n"
		"A kernel's vmlinux BTF (for the CO-RE check of eBPF objects) is taken from\n"
		"--btf, else from ROOT/sys/kernel/btf/vmlinux when ROOT runs that kernel, or\n"
		"a vmlinux's .BTF section (usr/lib/debug/lib/modules/R/vmlinux,\n"
		"boot/vmlinux-R, lib/modules/R/build/vmlinux, a build tree's vmlinux).",
	.opts = build_opts,
	.examples = "aoms db build --root /mnt/anolis8 -o anolis8.db\n"
		    "aoms db build --root /mnt/an8 --rpms /srv/repo/Packages --kernel /usr/src/kernels/4.19.91 -o site.db",
	.exit_status = "0 built, 1 runtime error (an unreadable file is reported, the database\n"
		       "is still written), 2 usage error",
	.files = "FILE, written through a temporary file in its directory.",
	.operands = "none",
};

static int db_build(int argc, char **argv)
{
	/* declared first: freed after the database is closed */
	_cleanup_(aoms_atomic_abortp) struct aoms_atomic_file *out = NULL;
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(aoms_report_freep) struct aoms_report *rep = NULL;
	_cleanup_(freep) char *reason = NULL;
	struct aoms_dbbuild_options bo = { 0 };
	_cleanup_(freep) const char **kernels = calloc((size_t)argc + 1, sizeof(*kernels));
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	const char *output = NULL;
	struct aoms_tool_progress line = { 0 };
	bool quiet = false;
	int c, r, n;

	if (!kernels || aoms_opts_getopt(build_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	bo.kernels = kernels;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case OPT_KERNEL: kernels[bo.n_kernels++] = optarg; break;
		case OPT_BTF: bo.btf = optarg; break;
		case 'r': bo.root = optarg; break;
		case 'R': bo.rpms = optarg; break;
		case 'o': output = optarg; break;
		case 'n': bo.name = optarg; break;
		case 'j': bo.jobs = (unsigned)atoi(optarg); break;
		case 'q': quiet = true; break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_db_build); return 0;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if ((!bo.root && !bo.rpms && !bo.n_kernels) || !output || optind != argc) {
		aoms_tool_err("usage: aoms db build [--root DIR] [--rpms DIR] [--kernel DIR]... -o FILE "
			      "[--name NAME]");
		return AOMS_EXIT_USAGE;
	}
	if (bo.btf && bo.n_kernels != 1) {
		aoms_tool_err("--btf FILE names the BTF of exactly one --kernel DIR");
		return AOMS_EXIT_USAGE;
	}
	for (const char *d = bo.root; d; d = d == bo.root ? bo.rpms : NULL)
		if (access(d, R_OK | X_OK) < 0) {
			aoms_tool_err("cannot read '%s': %s", d, strerror(errno));
			return AOMS_EXIT_ERROR;
		}
	for (size_t i = 0; i < bo.n_kernels; i++)
		if (access(kernels[i], R_OK | X_OK) < 0) {
			aoms_tool_err("cannot read '%s': %s", kernels[i], strerror(errno));
			return AOMS_EXIT_ERROR;
		}
	if (aoms_tool_open_db_output(output, &out) != 0)
		return AOMS_EXIT_ERROR;
	r = aoms_abidb_create(aoms_atomic_temp_path(out), &db);
	if (r < 0) {
		aoms_tool_err("cannot create database '%s': %s", output, strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	if (aoms_report_new(&rep) < 0)
		return AOMS_EXIT_ERROR;
	bo.report = rep;
	if (!quiet && isatty(STDERR_FILENO)) {
		bo.progress = aoms_tool_progress_show;
		bo.progress_ud = &line;
	}
	r = aoms_dbbuild(db, &bo, &reason);
	aoms_tool_progress_end(&line);
	aoms_report_sort(rep);
	aoms_tool_print_errors(rep);
	if (r < 0) {
		aoms_tool_err("cannot build database '%s': %s", output, reason ? reason : strerror(-r));
		return AOMS_EXIT_ERROR;   /* the temporary file goes, the target stays */
	}
	n = r;
	if (db_commit(&db, &out, output) < 0)
		return AOMS_EXIT_ERROR;
	if (!quiet)
		fprintf(stderr, "aoms: recorded %d libraries%s in '%s'\n", n,
			bo.n_kernels ? " and the kernels" : "", output);
	return aoms_report_n_errors(rep) ? AOMS_EXIT_ERROR : 0;
}

static const struct aoms_opt import_opts[] = {
	{ "output", 'o', "NEWFILE", NULL, "create a new database from the tables" },
	{ "db", 'd', "FILE", NULL, "add the tables to an existing database" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_db_import = {
	.name = "db import",
	.summary = "import fact tables into a database",
	.synopsis = "(-o NEWFILE | --db FILE) TABLE.tsv...",
	.description =
		"Import fact tables (tab-separated, the format of abi-db/data/*.tsv and\n"
		"docs/database.md) into a new database (-o) or an existing one (--db), in one\n"
		"transaction: every table or none. A site's own libraries need no rebuild of\n"
		"the target: import them alone and layer them over it, aoms scan --db embedded\n"
		"--db site.db (a later --db overrides or extends the earlier ones).",
	.opts = import_opts,
	.examples = "aoms db import -o site.db libraries.tsv symbols.tsv\n"
		    "aoms db import --db site.db packages.tsv\n"
		    "aoms scan --db embedded --db site.db /opt/app",
	.exit_status = "0 imported, 1 runtime error or a bad table (nothing is written),\n"
		       "2 usage error",
	.files = "NEWFILE, written through a temporary file in its directory; FILE, changed\n"
		 "in place in one SQLite transaction.",
	.operands = "file",
};

static int db_import(int argc, char **argv)
{
	_cleanup_(aoms_atomic_abortp) struct aoms_atomic_file *out = NULL;
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(freep) char *reason = NULL;
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	const char *output = NULL, *existing = NULL;
	int c, r;

	if (aoms_opts_getopt(import_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'd':
			if (existing) {
				aoms_tool_err("--db names the one database to add the tables to; "
					      "layers are for reading (scan, db info, db query)");
				return AOMS_EXIT_USAGE;
			}
			existing = optarg;
			break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_db_import); return 0;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if (!output == !existing || optind >= argc) {
		aoms_tool_err("usage: aoms db import (-o NEWFILE | --db FILE) TABLE.tsv...");
		return AOMS_EXIT_USAGE;
	}
	if (existing && strcmp(existing, AOMS_ABIDB_EMBEDDED) == 0) {
		aoms_tool_err("the embedded database is read-only: import into a site database "
			      "(-o site.db) and layer it, --db embedded --db site.db");
		return AOMS_EXIT_USAGE;
	}
	if (output && aoms_tool_open_db_output(output, &out) != 0)
		return AOMS_EXIT_ERROR;
	r = output ? aoms_abidb_create(aoms_atomic_temp_path(out), &db)
		   : aoms_abidb_open_ex(existing, AOMS_ABIDB_OPEN_WRITABLE, &db, &reason);
	if (r < 0) {
		if (reason)
			aoms_tool_err("%s", reason);   /* it names the database */
		else
			aoms_tool_err("cannot open database '%s': %s", output ? output : existing,
				      strerror(-r));
		return AOMS_EXIT_ERROR;
	}
	/* one transaction: all tables or none, the complete mark last */
	r = aoms_abidb_begin(db);
	for (int i = optind; r >= 0 && i < argc; i++)
		if (db_import_file(db, argv[i]) < 0) {
			aoms_abidb_rollback(db);
			return AOMS_EXIT_ERROR;   /* a new database's temporary file goes */
		}
	if (r >= 0 && output)
		r = aoms_abidb_mark_built(db);
	if (r >= 0)
		r = aoms_abidb_commit(db);
	if (r < 0) {
		aoms_tool_err("cannot write database '%s': %s", output ? output : existing,
			      r == -ENOSPC ? strerror(-r) : aoms_abidb_errmsg(db));
		aoms_abidb_rollback(db);
		return AOMS_EXIT_ERROR;
	}
	if (output && db_commit(&db, &out, output) < 0)
		return AOMS_EXIT_ERROR;
	return 0;
}

static int add_meta_json(const char *key, const char *value, void *ud)
{
	json_object_object_add(ud, key, aoms_json_string(value));
	return 0;
}

static int add_source_json(const char *name, const char *prov, void *ud)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", aoms_json_string(name));
	json_object_object_add(o, "provenance", prov ? aoms_json_string(prov) : NULL);
	json_object_array_add(ud, o);
	return 0;
}

static int add_kernel_json(const char *release, const char *arch, const char *vermagic, void *ud)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "release", aoms_json_string(release));
	json_object_object_add(o, "arch", aoms_json_string(arch));
	json_object_object_add(o, "vermagic", vermagic ? aoms_json_string(vermagic) : NULL);
	json_object_array_add(ud, o);
	return 0;
}

static int print_kernel(const char *release, const char *arch, const char *vermagic, void *ud)
{
	(void)ud;
	printf("  %s %s%s%s\n", release, arch, vermagic ? ": " : "", vermagic ? vermagic : "");
	return 0;
}

static int add_btf_json(const struct aoms_abidb_btf *b, void *ud)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "release", aoms_json_string(b->release));
	json_object_object_add(o, "arch", aoms_json_string(b->arch));
	json_object_object_add(o, "encoding", aoms_json_string(b->encoding));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)b->raw_size));
	json_object_object_add(o, "stored", json_object_new_int64((int64_t)b->size));
	json_object_object_add(o, "origin", b->origin ? aoms_json_string(b->origin) : NULL);
	json_object_array_add(ud, o);
	return 0;
}

static int print_btf(const struct aoms_abidb_btf *b, void *ud)
{
	++*(unsigned *)ud;
	printf("  %s %s: %llu bytes (%s, %zu stored)%s%s\n", b->release, b->arch,
	       (unsigned long long)b->raw_size, b->encoding, b->size, b->origin ? " from " : "",
	       b->origin ? b->origin : "");
	return 0;
}

static int print_meta(const char *key, const char *value, void *ud)
{
	printf("%-16s %s\n", key, value);
	return 0;
}

static int print_source(const char *name, const char *prov, void *ud)
{
	const char *nl;

	if (!prov) {   /* a fact table without #!provenance */
		printf("  %s: (no provenance)\n", name);
		return 0;
	}
	nl = strchr(prov, '\n');
	printf("  %s: %.*s%s\n", name, nl ? (int)(nl - prov) : (int)strlen(prov), prov,
	       nl ? " ..." : "");
	return 0;
}

/* The target facts (schema 2.1), NULL members when the database does not say.
 * 0 or a negative errno. */
struct target_facts {
	char kernel[32];
	const char *glibc;
	char arches[256];
	const char *const *sonames;
	size_t n_sonames;
};

static int read_target(struct aoms_abidb *db, struct target_facts *t)
{
	uint32_t k;
	int r = aoms_abidb_target_kernel(db, &k);

	if (r == 0)
		snprintf(t->kernel, sizeof(t->kernel), "%u.%u.%u", k >> 16, (k >> 8) & 0xff, k & 0xff);
	if (r >= 0 || r == -ENOENT)
		r = aoms_abidb_target_glibc(db, &t->glibc);
	if (r >= 0 || r == -ENOENT) {
		_cleanup_(freep) char *arches = NULL;

		r = aoms_abidb_read_meta(db, "target_arches", &arches);
		if (r == 0)
			snprintf(t->arches, sizeof(t->arches), "%s", arches);
	}
	if (r >= 0 || r == -ENOENT)
		r = aoms_abidb_glibc_sonames(db, &t->sonames, &t->n_sonames);
	return r;
}

static json_object *target_json(const struct target_facts *t)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	_cleanup_(freep) char *copy = *t->arches ? strdup(t->arches) : NULL;
	char *p = copy, *w;

	json_object_object_add(o, "kernel", *t->kernel ? aoms_json_string(t->kernel) : NULL);
	json_object_object_add(o, "glibc", t->glibc ? aoms_json_string(t->glibc) : NULL);
	while (p && (w = strsep(&p, " ")))
		if (*w)
			json_object_array_add(a, aoms_json_string(w));
	json_object_object_add(o, "arches", *t->arches ? a : (json_object_put(a), NULL));
	a = json_object_new_array();
	for (size_t i = 0; i < t->n_sonames; i++)
		json_object_array_add(a, aoms_json_string(t->sonames[i]));
	json_object_object_add(o, "glibc_sonames", a);
	return o;
}

static void print_target(const struct target_facts *t, const char *title)
{
	printf("%s:\n", title);
	printf("  %-14s %s\n", "kernel", *t->kernel ? t->kernel : "(unknown)");
	printf("  %-14s %s\n", "glibc", t->glibc ? t->glibc : "(unknown)");
	printf("  %-14s %s\n", "arches", *t->arches ? t->arches : "(unknown)");
	printf("  %-14s", "glibc sonames");
	for (size_t i = 0; i < t->n_sonames; i++)
		printf(" %s", t->sonames[i]);
	puts(t->n_sonames ? "" : " (none)");
}

#define STATS_FIELDS(X) X(sources) X(libraries) X(libraries_with_symbols) X(verdefs) \
	X(symbols) X(interpreters) X(soname_changes) X(packages) X(provides) X(kernels) \
	X(kernel_symbols) X(kabi) X(syscalls) X(kernel_config)

static const struct aoms_opt info_opts[] = {
	{ "db", 'd', "FILE", "the embedded database",
	  "the database to describe, or 'embedded'; repeatable: each layer is described,\n"
	  "then the target facts all of them give" },
	{ "format", 'f', "text|json", "text", "text for people, json for tools" },
	{ "help", 'h', NULL, NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct aoms_cmd_doc aoms_doc_db_info = {
	.name = "db info",
	.summary = "describe a target database",
	.synopsis = "[--db FILE]... [--format text|json]",
	.description =
		"Print a database's meta data (name, schema, coverage, arches), its row\n"
		"counts, the target facts (kernel, glibc, arches, glibc sonames), the fact\n"
		"tables it was built from with their provenance, its kernels and the\n"
		"kernels' BTF (for the CO-RE check of eBPF objects).",
	.opts = info_opts,
	.examples = "aoms db info\n"
		    "aoms db info --db site.db --format json\n"
		    "aoms db info --db embedded --db site.db",
	.exit_status = "0 described, 1 the database cannot be read, 2 usage error",
	.operands = "none",
};

/* One database's block of `db info`: into *ret_json (an object), or printed when
 * ret_json is NULL. Target facts are as db answers them, with the layers below it
 * when it has any. Returns 0 or AOMS_EXIT_ERROR (printed). */
static int info_block(struct aoms_abidb *db, const char *label, json_object **ret_json)
{
	struct aoms_abidb_stats st;
	struct target_facts target = { 0 };
	unsigned n_btf = 0;

	if (aoms_abidb_stats(db, &st) < 0 || read_target(db, &target) < 0) {
		aoms_tool_err("cannot read '%s': %s", label, aoms_abidb_errmsg(db));
		return AOMS_EXIT_ERROR;
	}
	if (ret_json) {
		json_object *o = json_object_new_object(), *meta = json_object_new_object(),
			    *stats = json_object_new_object(), *src = json_object_new_array();

		json_object_object_add(o, "database", aoms_json_string(label));
		aoms_abidb_foreach_meta(db, add_meta_json, meta);
		json_object_object_add(o, "meta", meta);
		json_object_object_add(o, "target", target_json(&target));
#define X(f) json_object_object_add(stats, #f, json_object_new_int64((int64_t)st.f));
		STATS_FIELDS(X)
#undef X
		json_object_object_add(o, "stats", stats);
		aoms_abidb_foreach_source(db, add_source_json, src);
		json_object_object_add(o, "sources", src);
		src = json_object_new_array();
		aoms_abidb_foreach_kernel(db, add_kernel_json, src);
		json_object_object_add(o, "kernels", src);
		src = json_object_new_array();
		aoms_abidb_foreach_kernel_btf(db, add_btf_json, src);
		json_object_object_add(o, "kernel_btf", src);
		*ret_json = o;
		return 0;
	}
	printf("%-16s %s\n", "database", label);
	aoms_abidb_foreach_meta(db, print_meta, NULL);
#define X(f) printf("%-16s %llu\n", #f, (unsigned long long)st.f);
	STATS_FIELDS(X)
#undef X
	print_target(&target, "target");
	puts("sources:");
	aoms_abidb_foreach_source(db, print_source, NULL);
	puts("kernels:");
	aoms_abidb_foreach_kernel(db, print_kernel, NULL);
	puts("kernel BTF:");
	aoms_abidb_foreach_kernel_btf(db, print_btf, &n_btf);
	if (!n_btf)
		puts("  (none)");
	return 0;
}

/* Several layers: each one's own block (opened alone, so that its figures and
 * kernels are its own), then the target facts all of them give. */
static int info_layers(struct aoms_abidb *stack, const char *const *paths, size_t n, bool json)
{
	_cleanup_(freep) char *label = aoms_tool_db_label(stack);
	json_object *o = NULL, *layers = NULL;
	struct target_facts target = { 0 };
	int status = 0;

	if (!label || read_target(stack, &target) < 0) {
		aoms_tool_err("cannot read '%s': %s", label ? label : "the databases",
			      aoms_abidb_errmsg(stack));
		return AOMS_EXIT_ERROR;
	}
	if (json) {
		o = json_object_new_object();
		layers = json_object_new_array();
		json_object_object_add(o, "database", aoms_json_string(label));
		json_object_object_add(o, "layers", layers);
		json_object_object_add(o, "target", target_json(&target));
	} else {
		printf("%-16s %s\n%-16s %zu\n", "database", label, "layers", n);
	}
	for (size_t i = 0; i < n && status == 0; i++) {
		_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
		json_object *block = NULL;

		status = aoms_tool_open_db(&paths[i], 1, &db, NULL);
		if (status == 0 && !json)
			printf("\nlayer %zu of %zu:\n", i + 1, n);
		if (status == 0)
			status = info_block(db, aoms_abidb_label(db), json ? &block : NULL);
		if (block)
			json_object_array_add(layers, block);
	}
	if (status == 0 && json)
		aoms_tool_print_json(o);
	else if (status == 0)
		print_target(&target, "\ntarget (all layers)");
	json_object_put(o);
	return status;
}

static int db_info(int argc, char **argv)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	_cleanup_(freep) struct option *opts = NULL;
	_cleanup_(freep) char *shortopts = NULL;
	_cleanup_(freep) const char **dbs = calloc((size_t)argc + 1, sizeof(*dbs));
	const char *format = "text";
	json_object *o = NULL;
	size_t n_dbs = 0;
	int c, status;

	if (!dbs || aoms_opts_getopt(info_opts, false, &opts, &shortopts) < 0)
		return AOMS_EXIT_ERROR;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbs[n_dbs++] = optarg; break;
		case 'f': format = optarg; break;
		case 'h': aoms_opts_usage(stdout, &aoms_doc_db_info); return 0;
		default: return AOMS_EXIT_USAGE;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		aoms_tool_err("unknown format '%s'", format);
		return AOMS_EXIT_USAGE;
	}
	if (aoms_tool_open_db(dbs, n_dbs, &db, NULL) != 0)
		return AOMS_EXIT_ERROR;
	if (n_dbs > 1)
		return info_layers(db, dbs, n_dbs, strcmp(format, "json") == 0);
	if (strcmp(format, "text") == 0)
		return info_block(db, aoms_abidb_label(db), NULL);
	status = info_block(db, aoms_abidb_label(db), &o);
	if (status == 0)
		aoms_tool_print_json(o);
	json_object_put(o);
	return status;
}

static const struct aoms_cmd db_commands[] = {
	{ "build", db_build, "collect a target root's facts" },
	{ "import", db_import, "import fact tables" },
	{ "info", db_info, "describe a database" },
	{ "query", aoms_cmd_query, "ask a database: providers, libraries, symbols, kernel exports" },
	{ NULL, NULL, NULL },
};

int aoms_cmd_db(int argc, char **argv)
{
	return aoms_tool_dispatch(db_commands, "db command", argc - 1, argv + 1);
}
