/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Plug-ins and their host process. A Python extension module, a Node.js addon and a
 * JNI library are loaded into a running interpreter or virtual machine, which
 * defines the Py*, napi_* or JVM_* symbols they leave undefined and has libjvm.so
 * loaded already; neither is a library the object's DT_NEEDED could name. So these
 * are information naming the host, not unresolved symbols or misplaced libraries.
 * The host is named from the object's entry points and, where the tree has them,
 * from the wheel's WHEEL/RECORD files, the prebuilds/ layout and the JDK's files.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check-elf-private.h"
#include "platform.h"
#include "path.h"
#include "strbuf.h"

#define MAX_META_FILE (4u << 20)   /* WHEEL, RECORD, release: read at most this much */
#define MAX_WHEEL_LEVELS 4         /* a module's directory levels below site-packages */

static const struct host_kind {
	unsigned bit;
	const char *id;                  /* identity: python, node, jvm */
	const char *name;                /* the host in messages */
	const char *const prefixes[10];  /* what it defines for its plug-ins */
} host_kinds[] = {
	{ AOMS_ELF_HOST_PYTHON, "python", "the Python interpreter", { "Py", "_Py" } },
	{ AOMS_ELF_HOST_NODE, "node", "the Node.js runtime",
	  { "napi_", "node_api_", "uv_", "_ZN2v8", "_ZNK2v8", "_ZN4node", "_ZNK4node",
	    "_ZTVN2v8", "_ZTIN2v8", "node_module_register" } },
	{ AOMS_ELF_HOST_JNI, "jvm", "the Java virtual machine", { "JNI_", "JVM_", "jio_" } },
	/* the interpreter's API: PL_ variables, Perl_* and PerlIO_* functions, perl_* */
	{ AOMS_ELF_HOST_PERL, "perl", "the Perl interpreter", { "PL_", "Perl", "perl_" } },
	/* the server's own functions, which have no common prefix (palloc, errstart,
	 * ArrayGetNItems...): "" claims every name no needed library provides */
	{ AOMS_ELF_HOST_POSTGRES, "postgres", "the PostgreSQL server", { "" } },
};

/* What every host process has loaded on the target and a plug-in may use without
 * naming its library: libdl's functions. glibc 2.34 moved them into libc, so a
 * plug-in built there, or one that counted on its host (cffi's manylinux2014
 * _cffi_backend), imports them unversioned with libc.so.6 alone in DT_NEEDED; on
 * EL8 they are in libdl.so.2, which CPython, Node.js and libjvm.so all need. */
static const char *const host_libdl[] = {
	"dlopen", "dlsym", "dlvsym", "dlclose", "dlerror", "dladdr", "dladdr1", "dlinfo",
};

bool aoms_host_provides_symbol(unsigned hosts, const char *name)
{
	if (hosts && name[0] == 'd' && name[1] == 'l')
		for (size_t i = 0; i < ARRAY_SIZE(host_libdl); i++)
			if (!strcmp(name, host_libdl[i]))
				return true;
	for (size_t i = 0; i < ARRAY_SIZE(host_kinds); i++) {
		if (!(hosts & host_kinds[i].bit))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(host_kinds[i].prefixes) && host_kinds[i].prefixes[k]; k++)
			if (!strncmp(name, host_kinds[i].prefixes[k], strlen(host_kinds[i].prefixes[k])))
				return true;
	}
	return false;
}

static const struct host_kind *host_kind_of(unsigned hosts)
{
	for (size_t i = 0; i < ARRAY_SIZE(host_kinds); i++)
		if (hosts & host_kinds[i].bit)
			return &host_kinds[i];
	return NULL;
}

/* The whole of a small regular file of the tree (never a member, never through a
 * symlink out of the tree), NUL-terminated. NULL when absent, unreadable or big. */
static char *read_tree_file(const struct aoms_tree *t, const char *abs_path)
{
	const struct aoms_file *f = aoms_tree_resolve(t, abs_path);
	_cleanup_(closep) int fd = -1;
	_cleanup_(freep) char *buf = NULL;
	struct stat st;
	size_t got = 0;

	if (!f || f->kind != AOMS_FILE_REGULAR)
		return NULL;
	fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_META_FILE)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	if (buf)
		buf[got] = '\0';
	return TAKE_PTR(buf);
}

/* "foo_bar" for "Foo-Bar" and "foo.bar": a wheel's distribution name, normalized. */
static void normalize_dist(char *s)
{
	for (; *s; s++)
		*s = *s == '-' || *s == '.' ? '_' : (char)tolower((unsigned char)*s);
}

/* Whether RECORD (text) lists rel as a path ("rel,sha256=...,size" lines). */
static bool record_lists(const char *record, const char *rel)
{
	size_t n = strlen(rel);

	for (const char *l = record; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, rel, n) && l[n] == ',')
			return true;
	return false;
}

/*
 * The WHEEL file of the wheel that installed the module at path: a
 * DIR/NAME.dist-info/ next to one of the module's ancestors DIR whose RECORD lists
 * the module, or whose NAME is the module's top-level name. Caller frees; NULL when
 * none.
 */
static char *find_wheel(const struct aoms_tree *t, const struct aoms_platforms *pf,
			const char *path)
{
	_cleanup_(freep) char *dir = aoms_path_dirname(path);
	size_t n_wheels;
	const struct aoms_file *const *wheels = aoms_platforms_wheels(pf, &n_wheels);

	for (unsigned level = 0; dir && level < MAX_WHEEL_LEVELS && strcmp(dir, "/"); level++) {
		_cleanup_(freep) char *prefix = aoms_strdupf("%s/", dir);
		const char *rel = path + strlen(dir) + 1;
		size_t plen = prefix ? strlen(prefix) : 0;
		char *up;

		for (size_t i = prefix ? aoms_elf_first_at(wheels, n_wheels, prefix) : n_wheels;
		     i < n_wheels && !strncmp(wheels[i]->path, prefix, plen); i++) {
			const char *p = wheels[i]->path + plen;
			const char *end = strstr(p, ".dist-info/WHEEL");
			_cleanup_(freep) char *record = NULL, *dist = NULL, *top = NULL;

			if (!end || strchr(p, '/') != end + 10 || end[16])
				continue;
			record = aoms_strdupf("%s%.*s.dist-info/RECORD", prefix, (int)(end - p), p);
			if (record) {
				_cleanup_(freep) char *text = read_tree_file(t, record);

				if (text && record_lists(text, rel))
					return strdup(wheels[i]->path);
			}
			dist = strndup(p, strcspn(p, "-."));
			top = strndup(rel, strcspn(rel, "/."));
			if (!dist || !top)
				return NULL;
			normalize_dist(dist);
			normalize_dist(top);
			if (!strcmp(dist, top))
				return strdup(wheels[i]->path);
		}
		up = aoms_path_dirname(dir);
		free(dir);
		dir = up;
	}
	return NULL;
}

/* "CPython 3.9" for "cp39", "PyPy 3.9" for "pp39"; NULL for other tags. */
static char *python_from_tag(const char *tag, size_t len)
{
	const char *impl = len > 3 && !strncmp(tag, "cp", 2) ? "CPython" :
			   len > 3 && !strncmp(tag, "pp", 2) ? "PyPy" : NULL;

	if (!impl || !isdigit((unsigned char)tag[2]))
		return NULL;
	return aoms_strdupf("%s %c.%.*s", impl, tag[2], (int)(len - 3), tag + 3);
}

/* The WHEEL's Tag values (python-abi-platform), in order. */
static size_t wheel_tags(char *text, const char **tags, size_t max)
{
	char *save = NULL;
	size_t n = 0;

	/* strtok_r: the checks run on several threads, and strtok's one cursor is shared */
	for (char *l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
		size_t e = strlen(l);

		while (e && (l[e - 1] == '\r' || l[e - 1] == ' '))
			l[--e] = '\0';
		if (!strncmp(l, "Tag:", 4))
			tags[n++] = l + 4 + strspn(l + 4, " ");
	}
	return n;
}

/* Names the Python host from the wheel's tags, else the file name's suffix
 * (".cpython-39-x86_64-linux-gnu.so", ".abi3.so"). */
static int describe_python(struct check *c, struct aoms_finding *f, char **ret_host)
{
	_cleanup_(freep) char *wheel = find_wheel(c->ctx->rs.tree, c->ctx->platforms, c->file->path);
	_cleanup_(freep) char *text = wheel ? read_tree_file(c->ctx->rs.tree, wheel) : NULL;
	const char *base = strrchr(c->file->path, '/'), *s;
	const char *tags[8];
	size_t n = text ? wheel_tags(text, tags, ARRAY_SIZE(tags)) : 0;

	base = base ? base + 1 : c->file->path;
	if (n) {
		const struct aoms_file *wf = aoms_tree_resolve(c->ctx->rs.tree, wheel);

		aoms_finding_add_evidence(f, "wheel", wf ? wf->subject : wheel);
		aoms_finding_add_evidence_list(f, "wheel_tags", tags, n);
		*ret_host = python_from_tag(tags[0], strcspn(tags[0], "-"));
		if (*ret_host)
			return 0;
	}
	if ((s = strstr(base, ".cpython-")) && isdigit((unsigned char)s[9])) {
		_cleanup_(freep) char *tag = aoms_strdupf("cp%.*s", (int)strcspn(s + 9, "-."), s + 9);

		*ret_host = tag ? python_from_tag(tag, strlen(tag)) : NULL;
	}
	else if (strstr(base, ".abi3."))
		*ret_host = strdup("CPython 3 (stable ABI)");
	else if ((s = strstr(base, ".pypy")))
		*ret_host = strdup("PyPy");
	return 0;
}

/* The NODE_MODULE_VERSION a prebuild's file name carries: node-gyp-build's
 * "node.abi115.glibc.node", "addon-abi108.node"; 0 when none. */
static unsigned abi_from_name(const char *path)
{
	const char *base = strrchr(path, '/'), *s;

	base = base ? base + 1 : path;
	for (s = strstr(base, "abi"); s; s = strstr(s + 3, "abi")) {
		char *end;
		unsigned long v;

		if (s > base && isalnum((unsigned char)s[-1]))
			continue;   /* "nabi3", not an ABI tag */
		if (!isdigit((unsigned char)s[3]))
			continue;
		v = strtoul(s + 3, &end, 10);
		if (v > 0 && v < 100000 && (*end == '.' || *end == '-' || *end == '_'))
			return (unsigned)v;
	}
	return 0;
}

/* Whether the addon uses V8's or Node's C++ API, which is built for one Node.js
 * version, rather than Node-API, which any later one loads. */
static bool uses_v8_abi(const struct aoms_elf *m)
{
	for (size_t i = 0; i < m->n_imports; i++)
		if (!strncmp(m->imports[i].name, "_ZN2v8", 6) || !strncmp(m->imports[i].name, "_ZNK2v8", 7) ||
		    !strncmp(m->imports[i].name, "_ZN4node", 8))
			return true;
	return false;
}

/* Names the Node host from the entry point (Node-API, or the NODE_MODULE_VERSION
 * of a legacy addon, else the one its prebuild's name says) and the platform of a
 * prebuilds/PLATFORM-ARCH/ directory. */
static int describe_node(struct check *c, struct aoms_finding *f, char **ret_host)
{
	const char *pre = strstr(c->file->path, "/prebuilds/");
	unsigned abi = c->m->node_abi;
	bool v8 = uses_v8_abi(c->m);

	if (pre) {
		pre += strlen("/prebuilds/");
		aoms_finding_add_evidencef(f, "prebuild", "%.*s", (int)strcspn(pre, "/"), pre);
	}
	if (!abi && v8)
		abi = abi_from_name(c->file->path);
	if (abi) {
		aoms_finding_add_evidencef(f, "node_module_version", "%u", abi);
		*ret_host = aoms_strdupf("Node.js (NODE_MODULE_VERSION %u)", abi);
	} else if (v8) {
		*ret_host = strdup("Node.js (its V8 C++ API: one Node.js version)");
	} else {
		*ret_host = strdup("Node.js (Node-API)");
	}
	return 0;
}

/* The target's Perl API version ("5.26", its libperl.so.5.26) when it is not
 * want's: 1 and *ret (caller frees); 0 when the target's perl is want's or the
 * database knows no perl; <0 on error. */
static int target_perl_differs(struct check *c, const char *want, char **ret)
{
	_cleanup_(freep) char *soname = aoms_strdupf("libperl.so.%s", want);
	const struct aoms_libabi *abi;
	char *family = NULL;
	int r;

	if (!soname)
		return -ENOMEM;
	r = aoms_abidb_find_library(c->ctx->rs.db, soname, c->arch, &abi);
	if (r == 0)
		return 0;
	if (r != -ENOENT)
		return r;
	r = aoms_abidb_soname_family(c->ctx->rs.db, soname, c->arch, &family);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	*ret = strdup(family + strlen("libperl.so."));
	free(family);
	return *ret ? 1 : -ENOMEM;
}

int aoms_check_host_version(struct check *c)
{
	_cleanup_(freep) char *target = NULL;
	struct aoms_finding *f;
	int r;

	if (!c->m->perl_api || !c->arch)
		return 0;
	r = target_perl_differs(c, c->m->perl_api, &target);
	if (r <= 0)
		return r;
	f = aoms_elf_check_finding(c, "elf.host-version", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
	if (!f)
		return -ENOMEM;
	aoms_finding_set_title(f, "%s is built for Perl %s, not the target's Perl %s",
			       c->file->subject, c->m->perl_api, target);
	aoms_finding_set_summary(f, "%s is a Perl XS module compiled against the Perl %s API; "
				 "%s's perl is %s, and it refuses the module when it loads it "
				 "(\"Perl API version v%s.0 of ... does not match v%s.0\").",
				 c->file->subject, c->m->perl_api, aoms_elf_check_target(c), target,
				 c->m->perl_api, target);
	aoms_finding_add_identity(f, "host", "perl");
	aoms_finding_add_identity(f, "version", c->m->perl_api);
	aoms_finding_add_evidence(f, "host_name", "Perl");
	aoms_finding_add_evidencef(f, "target_version", "%s", target);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild the module against the target's "
				"perl %s (its perl-* package, or cpan on the target).", target);
	aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "perl", NULL);
	return aoms_elf_check_emit(c, f);
}

int aoms_check_host_symbols(struct check *c, const char *const *syms, size_t n)
{
	const struct host_kind *k = host_kind_of(c->m->hosts);
	_cleanup_(freep) char *host = NULL;
	struct aoms_finding *f;

	if (!n || !k)
		return 0;
	f = aoms_elf_check_finding(c, "elf.host-symbols", AOMS_SEV_INFO, false, AOMS_CONF_LIKELY);
	if (!f)
		return -ENOMEM;
	if (k->bit == AOMS_ELF_HOST_PYTHON)
		describe_python(c, f, &host);
	else if (k->bit == AOMS_ELF_HOST_NODE)
		describe_node(c, f, &host);
	else if (k->bit == AOMS_ELF_HOST_PERL && c->m->perl_api)
		host = aoms_strdupf("Perl %s", c->m->perl_api);
	aoms_finding_set_title(f, "%zu symbol%s of %s come%s from the host: %s", n, n == 1 ? "" : "s",
			       c->file->subject, n == 1 ? "s" : "", host ? host : k->name);
	aoms_finding_set_summary(f, "%s is a plug-in of %s: it exports its entry point and leaves "
				 "%s%s undefined for the process that loads it, which defines "
				 "them. No library on %s has to provide them.", c->file->subject,
				 host ? host : k->name, syms[0], n > 1 ? " and others" : "",
				 aoms_elf_check_target(c));
	aoms_finding_add_identity(f, "host", k->id);
	aoms_finding_add_evidence(f, "host_name", host ? host : k->name);
	aoms_finding_add_evidence(f, "symbol", syms[0]);
	aoms_finding_add_evidence_list(f, "symbols", syms, n);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Make sure the target runs %s in a version "
				"this build supports.", host ? host : k->name);
	return aoms_elf_check_emit(c, f);
}

/* The root of the JDK (or JRE) whose lib/ holds path: an ancestor with a release
 * file or bin/java in the tree, path lying below its lib/. Caller frees; NULL. */
static char *jdk_root(const struct aoms_tree *t, const char *path)
{
	_cleanup_(freep) char *dir = aoms_path_dirname(path);

	while (dir && strchr(dir, '/') && strcmp(dir, "/")) {
		_cleanup_(freep) char *release = aoms_strdupf("%s/release", dir);
		_cleanup_(freep) char *java = aoms_strdupf("%s/bin/java", dir);
		_cleanup_(freep) char *lib = aoms_strdupf("%s/lib", dir);
		char *up;

		if (!release || !java || !lib)
			return NULL;
		if ((aoms_tree_resolve(t, release) || aoms_tree_resolve(t, java)) &&
		    aoms_path_is_below(path, lib) > 0)
			return TAKE_PTR(dir);
		up = aoms_path_dirname(dir);
		if (up && !strcmp(up, dir)) {
			free(up);
			return NULL;
		}
		free(dir);
		dir = up;
	}
	return NULL;
}

int aoms_check_needed_host(struct check *c, const char *soname, const struct aoms_provider *p)
{
	_cleanup_(freep) char *jdk = NULL;
	bool jni = c->m->hosts & AOMS_ELF_HOST_JNI;
	const struct aoms_file *root = NULL;
	struct aoms_finding *f;

	if (strcmp(soname, "libjvm.so") != 0)
		return 0;
	jdk = jdk_root(c->ctx->rs.tree, c->file->path);
	if (jdk && !(p->file && aoms_path_is_below(p->file->path, jdk) > 0))
		jdk = (free(jdk), NULL);   /* its JDK lacks libjvm.so: that JDK is broken */
	if (!jdk && !jni)
		return 0;
	f = aoms_elf_check_finding(c, "elf.needed-host", AOMS_SEV_INFO, false, AOMS_CONF_LIKELY);
	if (!f)
		return -ENOMEM;
	aoms_finding_set_title(f, "%s needs %s from the host: the Java virtual machine",
			       c->file->subject, soname);
	if (jdk) {
		_cleanup_(freep) char *release = aoms_strdupf("%s/release", jdk);

		root = release ? aoms_tree_resolve(c->ctx->rs.tree, release) : NULL;
		aoms_finding_set_summary(f, "%s is a library of the JDK that holds %s. The java "
					 "launcher loads that libjvm.so by its path before any "
					 "library of the JDK, so the loader finds %s already loaded "
					 "although it is not on %s's RUNPATH.", c->file->subject,
					 p->path, soname, c->file->subject);
		aoms_finding_add_evidence(f, "provider", p->path);
		if (root)
			aoms_finding_add_evidence(f, "jdk_release", root->subject);
	} else {
		aoms_finding_set_summary(f, "%s is a JNI library: a Java virtual machine loads it, "
					 "and its %s is in the process already, so the loader finds "
					 "%s loaded.", c->file->subject, soname, soname);
	}
	aoms_finding_add_identity(f, "soname", soname);
	aoms_finding_add_identity(f, "host", "jvm");
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Make sure the target runs a Java runtime "
				"this library supports.");
	return aoms_elf_check_emit(c, f) < 0 ? -ENOMEM : 1;
}
