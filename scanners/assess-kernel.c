/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel side of a host: out-of-tree modules installed under
 * lib/modules/R/{extra,updates,weak-updates}/ and DKMS trees (var/lib/dkms/), which
 * the scan then judges with the module scanner; on a live root the loaded modules
 * the kernel marks out-of-tree (O) or unsigned (E); and the drivers the host uses
 * (loaded, configured to load, or in the source kernel's own tree) that the target
 * kernel's module list lacks.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "assess.h"
#include "grow.h"
#include "rootfs.h"
#include "strbuf.h"
#include "strmap.h"

#define KMOD_MAX_DEPTH 8
#define KMOD_MAX_ENTRIES 20000
#define KMOD_MAX_RELEASES 64
#define KMOD_MAX_CONF (1u << 20)   /* a modules-load.d or modprobe.d file, a list */

/* Where the kernel package's own modules are not: kmod packages (kABI-tracking
 * kmods install into extra/ and link into weak-updates/ of later kernels), driver
 * updates, DKMS output (updates/ or extra/, as the module's DEST_MODULE_LOCATION). */
static const char *const out_of_tree_dirs[] = { "extra", "updates", "weak-updates" };

/* Driver families whose loss leaves the host without its disks or its network:
 * the migrated system does not boot, or cannot be reached. */
static const char *const vital_dirs[] = {
	"drivers/scsi/", "drivers/ata/", "drivers/block/", "drivers/md/", "drivers/nvme/",
	"drivers/message/", "drivers/net/", "drivers/infiniband/",
};

struct kernel {
	const struct aoms_assess_options *o;
	struct aoms_assess_paths *scan;
	const char *release;          /* the lib/modules/R being walked */
	/* the drivers the host uses: name -> how ("loaded", "configured", "in-tree") */
	struct aoms_strmap used;
	struct aoms_strmap paths;     /* name -> path in the source tree */
	char **owned;                 /* strings the maps point to */
	size_t n_owned, cap_owned;
};

static const char *kernel_keep(struct kernel *k, const char *fmt, ...) _printf_(2, 3);

static const char *kernel_keep(struct kernel *k, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return NULL;
	if (aoms_grow((void **)&k->owned, &k->cap_owned, k->n_owned, sizeof(*k->owned)) < 0) {
		free(s);
		return NULL;
	}
	return k->owned[k->n_owned++] = s;
}

/* "nf-conntrack.ko.xz" -> "nf_conntrack" (the kernel's spelling), kept by k */
static const char *module_name(struct kernel *k, const char *file, size_t len)
{
	char buf[256];

	if (!len || len >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < len; i++)
		buf[i] = file[i] == '-' ? '_' : file[i];
	buf[len] = '\0';
	return kernel_keep(k, "%s", buf);
}

/* Records name as used, the strongest reason winning (loaded > configured > in-tree). */
static int kernel_use(struct kernel *k, const char *name, const char *how)
{
	static const char *const rank[] = { "in-tree", "configured", "loaded" };
	const char *old = aoms_strmap_get(&k->used, name);
	int o = -1, n = -1;

	for (int i = 0; i < (int)ARRAY_SIZE(rank); i++) {
		o = old && !strcmp(old, rank[i]) ? i : o;
		n = !strcmp(how, rank[i]) ? i : n;
	}
	if (old && o >= n)
		return 0;
	return aoms_strmap_put(&k->used, name, (void *)how) < 0 ? -ENOMEM : 0;
}

static bool is_module_file(const char *base)
{
	const char *ko = strstr(base, ".ko");

	return ko && ko > base && (!ko[3] || !strcmp(ko, ".ko.xz") || !strcmp(ko, ".ko.gz") ||
				   !strcmp(ko, ".ko.zst"));
}

static int on_out_of_tree(const char *rel, const struct stat *st, void *ud)
{
	struct kernel *k = ud;
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	const char *base = strrchr(rel, '/') + 1;
	size_t len = strstr(base, ".ko") ? (size_t)(strstr(base, ".ko") - base) : 0;
	const char *name;
	int r;

	if (!(S_ISREG(st->st_mode) || S_ISLNK(st->st_mode)) || !is_module_file(base))
		return 0;
	if (!(name = module_name(k, base, len)))
		return -ENOMEM;
	if ((r = aoms_assess_finding("assess.kmod-out-of-tree", AOMS_SEV_LOW, false,
				     AOMS_DIM_HARDWARE, rel,
				     "the scan judges it against the target kernel's exports and kABI; "
				     "install a build of it for the EL8 kernel (the vendor's kmod "
				     "package for EL8, or its DKMS source)", &f,
				     "%s is an out-of-tree module of kernel %s", rel, k->release)) < 0)
		return r;
	if (aoms_finding_add_identity(f, "module", name) < 0 ||
	    aoms_finding_add_evidence(f, "kernel", k->release) < 0 ||
	    (S_ISLNK(st->st_mode) &&
	     aoms_finding_add_evidence(f, "weak_update", "a link to a module built for another "
				       "kernel of the same kABI") < 0) ||
	    aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "the EL8 kernel", NULL) < 0)
		return -ENOMEM;
	return aoms_report_add(k->o->report, TAKE_PTR(f));
}

/* lib/modules/R/{extra,updates,weak-updates}: listed, and scanned. */
static int kernel_out_of_tree(struct kernel *k, const char *release)
{
	int r = 0;

	k->release = release;
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(out_of_tree_dirs); i++) {
		_cleanup_(freep) char *dir = aoms_strdupf("lib/modules/%s/%s", release,
							  out_of_tree_dirs[i]);

		if (!dir)
			return -ENOMEM;
		if (!aoms_assess_same_place(k->o->root, dir, dir + 4))   /* "modules/R/extra" */
			continue;
		if ((r = aoms_assess_walk(k->o->root, dir, KMOD_MAX_DEPTH, KMOD_MAX_ENTRIES,
					  on_out_of_tree, k)) >= 0)
			r = aoms_assess_paths_add(k->scan, k->o->root, dir);
	}
	return r < 0 ? r : 0;
}

static int on_in_tree(const char *rel, const struct stat *st, void *ud)
{
	struct kernel *k = ud;
	const char *base = strrchr(rel, '/') + 1, *name, *path, *at;

	if (!S_ISREG(st->st_mode) || !is_module_file(base))
		return 0;
	if (!(name = module_name(k, base, (size_t)(strstr(base, ".ko") - base))))
		return -ENOMEM;
	at = strstr(rel, "/kernel/");
	if (!(path = kernel_keep(k, "%.*s", (int)(strstr(base, ".ko") - (at + 8)), at + 8)))
		return -ENOMEM;
	if (!aoms_strmap_get(&k->paths, name) && aoms_strmap_put(&k->paths, name, (void *)path) < 0)
		return -ENOMEM;
	/* only drivers: kernel/fs, net, crypto, lib modules are not hardware */
	return !strncmp(path, "drivers/", 8) ? kernel_use(k, name, "in-tree") : 0;
}

/* One "NAME[ ...]" per line of the files of a conf.d directory; with alias, the
 * module an "alias PATTERN MODULE" line names (etc/modprobe.d). */
static int kernel_conf_dir(struct kernel *k, const char *dir, bool alias)
{
	char **names = NULL;
	int n = aoms_assess_list_dir(k->o->root, dir, 4096, &names), r = 0;

	for (int i = 0; r >= 0 && i < n; i++) {
		_cleanup_(freep) char *rel = aoms_strdupf("%s/%s", dir, names[i]);
		_cleanup_(fclosep) FILE *f = NULL;
		char line[1024], a[256], b[256], c[256];

		if (!rel || !strstr(names[i], ".conf")) {
			r = rel ? 0 : -ENOMEM;
			continue;
		}
		if (aoms_root_fopen(k->o->root, rel, KMOD_MAX_CONF, &f) < 0)
			continue;
		while (r >= 0 && fgets(line, sizeof(line), f)) {
			const char *name;

			if (alias ? sscanf(line, "%255s %255s %255s", a, b, c) != 3 || strcmp(a, "alias")
				  : sscanf(line, "%255s", c) != 1 || c[0] == '#' || c[0] == ';')
				continue;
			if (!(name = module_name(k, c, strlen(c))))
				r = -ENOMEM;
			else
				r = kernel_use(k, name, "configured");
		}
	}
	aoms_assess_names_free(names, n);
	return n < 0 ? n : r;
}

static int tainted_finding(struct kernel *k, const char *name, const char *taint)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	_cleanup_(freep) char *subject = aoms_strdupf("/proc/modules:%s", name);
	int r;

	if (!subject)
		return -ENOMEM;
	if ((r = aoms_assess_finding("assess.kmod-loaded-tainted", AOMS_SEV_MEDIUM, false,
				     AOMS_DIM_HARDWARE, subject,
				     "find the package that installed it (modinfo -n) and get a build "
				     "for the EL8 kernel before the migration", &f,
				     "loaded module %s is %s%s%s", name,
				     strchr(taint, 'O') ? "out-of-tree" : "",
				     strchr(taint, 'O') && strchr(taint, 'E') ? " and " : "",
				     strchr(taint, 'E') ? "unsigned" : "")) < 0)
		return r;
	if (aoms_finding_add_identity(f, "module", name) < 0 ||
	    aoms_finding_add_evidence(f, "taint", taint) < 0 ||
	    aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "the EL8 kernel", NULL) < 0)
		return -ENOMEM;
	return aoms_report_add(k->o->report, TAKE_PTR(f));
}

int aoms_assess_proc_modules(FILE *f, int (*fn)(const char *name, const char *taint, void *ud),
			     void *ud)
{
	char line[4096], name[256];
	int r = 0;

	while (r >= 0 && fgets(line, sizeof(line), f)) {
		/* the taint is the last field, in parentheses, after the load address */
		const char *open = strrchr(line, '('), *close = open ? strchr(open, ')') : NULL;
		char taint[32] = "";

		if (sscanf(line, "%255s", name) != 1)
			continue;
		if (close && close - open - 1 < (long)sizeof(taint))
			snprintf(taint, sizeof(taint), "%.*s", (int)(close - open - 1), open + 1);
		r = fn(name, taint, ud);
	}
	return r;
}

static int on_loaded(const char *name, const char *taint, void *ud)
{
	struct kernel *k = ud;
	const char *norm = module_name(k, name, strlen(name));
	int r;

	if (!norm)
		return -ENOMEM;
	r = kernel_use(k, norm, "loaded");
	if (r >= 0 && (strchr(taint, 'O') || strchr(taint, 'E')))
		r = tainted_finding(k, norm, taint);
	return r;
}

/* The live system's loaded modules. */
static int kernel_loaded(struct kernel *k)
{
	_cleanup_(fclosep) FILE *f = NULL;

	if (aoms_root_fopen("/", "proc/modules", 0, &f) < 0)
		return 0;
	return aoms_assess_proc_modules(f, on_loaded, k);
}

static bool vital(const char *path)
{
	for (size_t i = 0; path && i < ARRAY_SIZE(vital_dirs); i++)
		if (!strncmp(path, vital_dirs[i], strlen(vital_dirs[i])))
			return true;
	return false;
}

struct judge {
	struct kernel *k;
	const char *target, *arch;
	bool live;
};

static int judge_driver(struct judge *j, const char *name, const char *how)
{
	const char *path = aoms_strmap_get(&j->k->paths, name);
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	_cleanup_(freep) char *subject = NULL;
	bool used = strcmp(how, "in-tree") != 0, block = used && vital(path);
	/* live, the loaded list is the truth: a driver only shipped is not in use now */
	enum aoms_severity sev = block ? AOMS_SEV_HIGH : used || (vital(path) && !j->live) ?
				 AOMS_SEV_MEDIUM : j->live ? AOMS_SEV_INFO : AOMS_SEV_LOW;
	int has = aoms_abidb_has_kernel_module(j->k->o->db, j->target, j->arch, name, NULL);

	if (has != 0)
		return has < 0 ? has : 0;
	subject = aoms_strdupf("module:%s", name);
	if (!subject || aoms_assess_finding(
		    "assess.driver-removed", sev, block, AOMS_DIM_HARDWARE, subject,
		    "check that the host has no device this driver runs (lspci -k, lsmod); a "
		    "storage or network device needs a driver the EL8 kernel has (a vendor "
		    "kmod or driver update disk) before the migration", &f,
		    "driver %s (%s) is not in the EL8 kernel %s", name, how, j->target) < 0 ||
	    aoms_finding_add_identity(f, "module", name) < 0 ||
	    aoms_finding_add_evidence(f, "use", how) < 0 ||
	    aoms_finding_add_evidence(f, "target_kernel", j->target) < 0 ||
	    (path && aoms_finding_add_evidence(f, "source_path", path) < 0))
		return -ENOMEM;
	f->confidence = used ? AOMS_CONF_LIKELY : AOMS_CONF_POSSIBLE;
	return aoms_report_add(j->k->o->report, TAKE_PTR(f));
}

static int cmp_slots(const void *a, const void *b)
{
	return strcmp(((const struct aoms_strmap_slot *)a)->key,
		      ((const struct aoms_strmap_slot *)b)->key);
}

/* The used drivers by name (the map's order is its hash's). */
static int judge_all(struct judge *j)
{
	const struct aoms_strmap *m = &j->k->used;
	_cleanup_(freep) struct aoms_strmap_slot *v = calloc(m->len + 1, sizeof(*v));
	size_t n = 0;
	int r = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			v[n++] = m->slots[i];
	qsort(v, n, sizeof(*v), cmp_slots);
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = judge_driver(j, v[i].key, v[i].value);
	return r;
}

/* The target kernel: --kernel, else the database's default for the host's arch. */
static char *target_kernel(const struct aoms_assess_options *o, const char *arch)
{
	char *rel = NULL;

	if (o->kernel)
		return strdup(o->kernel);
	return aoms_abidb_default_kernel(o->db, arch, &rel) == 0 ? rel : NULL;
}

static int kernel_judge(struct kernel *k, const struct aoms_assess_source *src)
{
	const char *arch = *src->arch && strcmp(src->arch, "noarch") ? src->arch : "x86_64";
	_cleanup_(freep) char *target = target_kernel(k->o, arch);
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	struct judge j = { k, target, arch, !strcmp(k->o->root, "/") };
	int n = target ? aoms_abidb_count_kernel_modules(k->o->db, target, arch) : 0;

	if (n < 0)
		return n;
	if (n > 0)
		return judge_all(&j);
	if (!k->used.len)
		return 0;
	if (aoms_assess_finding("assess.kernel-modules-unknown", AOMS_SEV_INFO, false,
				AOMS_DIM_HARDWARE, "/lib/modules",
				"build a database from the target kernel (aoms db build --kernel "
				"/lib/modules/RELEASE) and assess with --db", &f,
				"drivers not judged: the database has no module list of kernel %s (%s)",
				target ? target : "(none)", arch) < 0 ||
	    aoms_finding_add_evidencef(f, "drivers_in_use", "%zu", k->used.len) < 0 ||
	    aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, "arch", arch, NULL) < 0)
		return -ENOMEM;
	return aoms_report_add(k->o->report, TAKE_PTR(f));
}

/* The dkms.conf lines that say what DKMS builds and for which kernels. */
static bool dkms_setting(const char *line)
{
	static const char *const keys[] = {
		"BUILT_MODULE_NAME", "AUTOINSTALL=", "BUILD_EXCLUSIVE_KERNEL=", "DEST_MODULE_LOCATION",
	};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strncmp(line, keys[i], strlen(keys[i])))
			return true;
	return false;
}

static int dkms_finding(struct kernel *k, const char *name, const char *ver)
{
	_cleanup_(freep) char *dir = aoms_strdupf("/var/lib/dkms/%s/%s", name, ver);
	_cleanup_(freep) char *conf = aoms_strdupf("%s/source/dkms.conf", dir ? dir : "");
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	_cleanup_(fclosep) FILE *cf = NULL;
	char **built = NULL, line[512];
	int n = dir ? aoms_assess_list_dir(k->o->root, dir, 256, &built) : -ENOMEM, r;

	if (n < 0)
		return n;
	r = aoms_assess_finding("assess.kmod-dkms", AOMS_SEV_LOW, false, AOMS_DIM_HARDWARE, dir,
				"install dkms and the EL8 kernel-devel on the target and check "
				"that the source builds against the EL8 headers (dkms build -m NAME "
				"-v VERSION -k EL8-RELEASE); DKMS rebuilds it at the first boot of "
				"each new kernel only if it does", &f,
				"%s %s is a DKMS module: DKMS rebuilds it for the EL8 kernel if its "
				"source builds against EL8 headers", name, ver);
	for (int i = 0; r >= 0 && i < n; i++)   /* built for: the R/ARCH/module dirs */
		if (strcmp(built[i], "source") && strcmp(built[i], "build") &&
		    aoms_finding_add_evidence(f, "built_for", built[i]) < 0)
			r = -ENOMEM;
	aoms_assess_names_free(built, n);
	if (r < 0 || aoms_finding_add_identity(f, "dkms_module", name) < 0 ||
	    aoms_finding_add_evidence(f, "version", ver) < 0)
		return r < 0 ? r : -ENOMEM;
	if (conf && aoms_root_fopen(k->o->root, conf, KMOD_MAX_CONF, &cf) == 0) {
		_cleanup_(freep) char *real = aoms_root_realpath(k->o->root, conf);
		const char *settings[16];
		size_t ns = 0;

		aoms_finding_add_evidence(f, "dkms_conf", real ? real : conf);
		while (ns < ARRAY_SIZE(settings) && fgets(line, sizeof(line), cf)) {
			line[strcspn(line, "\r\n")] = '\0';
			if (dkms_setting(line) && !(settings[ns++] = kernel_keep(k, "%s", line)))
				return -ENOMEM;
		}
		if (ns && aoms_finding_add_evidence_list(f, "dkms_settings", settings, ns) < 0)
			return -ENOMEM;
	} else {
		aoms_finding_add_evidence(f, "dkms_conf", "missing: DKMS cannot rebuild it");
		f->severity = AOMS_SEV_MEDIUM;
	}
	if (aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", "kernel-devel", NULL) < 0 ||
	    aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "the EL8 kernel headers", NULL) < 0)
		return -ENOMEM;
	if ((r = aoms_report_add(k->o->report, TAKE_PTR(f))) < 0)
		return r;
	return aoms_assess_paths_add(k->scan, k->o->root, dir);   /* its built .ko files */
}

/* var/lib/dkms/NAME/VERSION/{source -> /usr/src/NAME-VERSION, R/ARCH/module/}. */
static int kernel_dkms(struct kernel *k)
{
	char **mods = NULL;
	int n = aoms_assess_list_dir(k->o->root, "var/lib/dkms", 1024, &mods), r = 0;

	for (int i = 0; r >= 0 && i < n; i++) {
		_cleanup_(freep) char *dir = aoms_strdupf("var/lib/dkms/%s", mods[i]);
		char **vers = NULL;
		int nv = dir ? aoms_assess_list_dir(k->o->root, dir, 64, &vers) : -ENOMEM;

		for (int v = 0; nv > 0 && r >= 0 && v < nv; v++) {
			_cleanup_(freep) char *vd = aoms_strdupf("%s/%s", dir, vers[v]);
			_cleanup_(freep) char *real = vd ? aoms_root_realpath(k->o->root, vd) : NULL;
			_cleanup_(freep) char *abs = real ? aoms_root_join(k->o->root, real) : NULL;
			struct stat st;

			/* a version is a directory; "kernel-R-ARCH" links are DKMS bookkeeping */
			if (abs && lstat(abs, &st) == 0 && S_ISDIR(st.st_mode) &&
			    strncmp(vers[v], "kernel-", 7) != 0 &&
			    aoms_assess_same_place(k->o->root, vd, vd + strlen("var/lib/")))
				r = dkms_finding(k, mods[i], vers[v]);
		}
		aoms_assess_names_free(vers, nv);
		r = nv < 0 ? nv : r;
	}
	aoms_assess_names_free(mods, n);
	return n < 0 ? n : r;
}

/* The source kernel whose tree says which drivers the host has: the running one
 * on a live root, else the newest installed. */
static const char *source_release(const struct aoms_assess_options *o, char **rels, int n,
				  char *buf, size_t size)
{
	_cleanup_(fclosep) FILE *f = NULL;
	const char *best = NULL;

	if (!strcmp(o->root, "/") && aoms_root_fopen("/", "proc/sys/kernel/osrelease", 4096, &f) == 0 &&
	    fgets(buf, (int)size, f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		for (int i = 0; i < n; i++)
			if (!strcmp(rels[i], buf))
				return buf;
	}
	for (int i = 0; i < n; i++)
		if (!best || aoms_abidb_rpmvercmp(rels[i], best) > 0)
			best = rels[i];
	return best;
}

int aoms_assess_kernel(const struct aoms_assess_options *o, const struct aoms_assess_source *src,
		       struct aoms_assess_paths *scan)
{
	struct kernel k = { .o = o, .scan = scan, .used = AOMS_STRMAP_INIT,
			    .paths = AOMS_STRMAP_INIT };
	char **rels = NULL, buf[256];
	int n = aoms_assess_list_dir(o->root, "lib/modules", KMOD_MAX_RELEASES, &rels), r = 0;
	const char *srcrel;

	for (int i = 0; r >= 0 && i < n; i++)
		r = kernel_out_of_tree(&k, rels[i]);
	if (r >= 0 && n > 0 && (srcrel = source_release(o, rels, n, buf, sizeof(buf)))) {
		_cleanup_(freep) char *tree = aoms_strdupf("lib/modules/%s/kernel", srcrel);

		r = !tree ? -ENOMEM : !aoms_assess_same_place(o->root, tree, tree + 4) ? 0 :
		    aoms_assess_walk(o->root, tree, KMOD_MAX_DEPTH, KMOD_MAX_ENTRIES * 4, on_in_tree, &k);
	}
	if (r >= 0)
		r = kernel_dkms(&k);
	if (r >= 0 && !strcmp(o->root, "/"))
		r = kernel_loaded(&k);
	if (r >= 0)
		r = kernel_conf_dir(&k, "etc/modules-load.d", false);
	if (r >= 0)
		r = kernel_conf_dir(&k, "etc/modprobe.d", true);
	if (r >= 0)
		r = kernel_judge(&k, src);
	aoms_assess_names_free(rels, n);
	aoms_strmap_release(&k.used);
	aoms_strmap_release(&k.paths);
	for (size_t i = 0; i < k.n_owned; i++)
		free(k.owned[i]);
	free(k.owned);
	return n < 0 ? n : r < 0 ? r : 0;
}
