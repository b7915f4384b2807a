/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The installed packages against the target: PES events (7 -> 8), the release swap
 * (8 -> 8), third-party packages (their files are scanned). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "arena.h"
#include "assess.h"
#include "rootfs.h"
#include "rpm-nevra.h"
#include "rpmdb.h"
#include "strbuf.h"
#include "strmap.h"

#define ASSESS_MAX_FILES 200000

struct pkg {
	const char *name, *nevra, *arch;
	const char *stream;    /* "module:stream" from its ModularityLabel; NULL: none */
	const char *pesname;   /* name, or "name:module:stream" as PES events name it */
	const char *sigkey;    /* NULL: unsigned */
	bool third_party;
	struct aoms_assess_installed installed;
	bool by_key;           /* judged by its signature, not its Vendor */
};

struct walk {
	const struct aoms_assess_options *o;
	const struct aoms_assess_source *src;
	const char *root;
	struct aoms_strmap *owned;   /* path -> bool *, or NULL */
	struct aoms_arena *arena;
	struct pkg *pkgs;
	size_t n, cap;
	char **files;      /* third-party packages' regular files, root-joined */
	size_t n_files, cap_files;
};

/* Vendor tags of the source and target distributions' own packages. */
static const char *const own_vendors[] = {
	"CentOS", "Red Hat", "AlmaLinux", "Rocky", "Oracle", "Alibaba", "OpenAnolis", "Anolis",
};

/*
 * The keys the source distributions sign their packages with, by os-release ID: the
 * key id (the low 64 bits of the fingerprint; rpm -qa gpg-pubkey shows the low 32).
 * A distribution missing here is judged by Vendor alone.
 *   centos  CentOS 7 24c6a8a7f4a80eb5 (RPM-GPG-KEY-CentOS-7), CentOS Linux 8 and
 *           Stream 8 05b555b38483c65d (RPM-GPG-KEY-centosofficial): www.centos.org/keys/
 *   rhel    release key 2 fd431d51 and auxiliary key d4082792: the gpg-pubkey
 *           packages of the RHEL 8.3 root in shared/data/el8/rhel-8.3 (also
 *           access.redhat.com/security/team/key)
 *   rocky   Rocky Linux 8 15af5dac6d745a60: rockylinux.org keys page
 *           (rocky-linux/rockylinux.org-gatsby src/pages/keys.md)
 *   almalinux  AlmaLinux 8: the signing subkey 51d6647ec21ad6ea of the 2021 key
 *           488fcf7c3abb34f8 (expired 2024-01-12) and the 2023 key 2ae81e8aced7258b
 *           that replaced it;
 *   ol      Oracle Linux 8 82562ea9ad986da3, Oracle Linux 7 72f97b74ec551f03:
 *           both from rpm-software-management/distribution-gpg-keys (commit 65c3eae,
 *           keys/alma/RPM-GPG-KEY-AlmaLinux-8, keys/oraclelinux/RPM-GPG-KEY-oracle-ol8
 *           and -ol7; its SOURCES.md: repo.almalinux.org, yum.oracle.com/faq.html), ids
 *           read with `gpg --show-keys --with-colons`.
 */
static const struct { const char *id; const char *keys[3]; } vendor_keys[] = {
	{ "centos", { "24c6a8a7f4a80eb5", "05b555b38483c65d" } },
	{ "rhel", { "fd431d51", "d4082792" } },
	{ "rocky", { "15af5dac6d745a60" } },
	{ "almalinux", { "51d6647ec21ad6ea", "2ae81e8aced7258b", "488fcf7c3abb34f8" } },
	{ "ol", { "82562ea9ad986da3", "72f97b74ec551f03" } },
};

/* Whether key (16 hex digits) is known: a 16-digit entry must match, an 8-digit one
 * (a short id) matches the low half. */
static bool key_match(const char *key, const char *known)
{
	size_t kl = strlen(key), nl = strlen(known);

	return nl <= kl && !strcasecmp(key + kl - nl, known);
}

/* 1 when key is one of the source vendor's (or the site's), 0 when not, -1 when no
 * key of the source is known: then the Vendor tag decides. */
static int key_own(const struct walk *w, const char *key)
{
	bool known = w->o->n_vendor_keys > 0;

	for (size_t i = 0; i < w->o->n_vendor_keys; i++)
		if (key && key_match(key, w->o->vendor_keys[i]))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(vendor_keys); i++) {
		if (strcmp(w->src->id, vendor_keys[i].id))
			continue;
		known = true;
		for (size_t k = 0; k < ARRAY_SIZE(vendor_keys[i].keys) && vendor_keys[i].keys[k]; k++)
			if (key && key_match(key, vendor_keys[i].keys[k]))
				return 1;
	}
	return known ? 0 : -1;
}

static bool vendor_own(const char *vendor)
{
	for (size_t i = 0; vendor && i < ARRAY_SIZE(own_vendors); i++)
		if (strncmp(vendor, own_vendors[i], strlen(own_vendors[i])) == 0)
			return true;
	return false;
}

static int add_file(struct walk *w, const char *path)
{
	char *joined;

	if (w->n_files >= ASSESS_MAX_FILES)
		return 0;
	if (w->n_files == w->cap_files) {
		size_t cap = w->cap_files ? 2 * w->cap_files : 64;
		char **v = realloc(w->files, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		w->files = v;
		w->cap_files = cap;
	}
	/* resolved inside the root: a package's /opt/x may lie under a symlinked
	 * directory, and a hostile root's links must not lead the scan out of it */
	_cleanup_(freep) char *real = aoms_root_realpath(w->root, path);

	if (!real)
		return errno == ENOMEM ? -ENOMEM : 0;
	if (!(joined = aoms_root_join(w->root, real)))
		return -ENOMEM;
	w->files[w->n_files++] = joined;
	return 0;
}

/* "module:stream" of a ModularityLabel "module:stream:version:context" in a; NULL when
 * there is none or it is malformed (a hand-made header: the package counts as
 * non-modular). */
static const char *label_stream(struct aoms_arena *a, const char *label, bool *ret_oom)
{
	char module[256], stream[256];
	const char *c1 = label ? strchr(label, ':') : NULL, *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	const char *ret;

	*ret_oom = false;
	if (!c2 || (size_t)(c1 - label) >= sizeof(module) || (size_t)(c2 - c1 - 1) >= sizeof(stream))
		return NULL;
	snprintf(module, sizeof(module), "%.*s", (int)(c1 - label), label);
	snprintf(stream, sizeof(stream), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	if (!aoms_pes_stream_part_valid(module) || !aoms_pes_stream_part_valid(stream))
		return NULL;
	/* the label's own "module:stream" prefix */
	if (!(ret = aoms_arena_strndup(a, label, (size_t)(c2 - label))))
		*ret_oom = true;
	return ret;
}

static int on_pkg(const struct aoms_rpm_pkg *p, void *ud)
{
	struct walk *w = ud;
	struct pkg *k;
	bool oom = false;
	int own;

	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 256;
		struct pkg *v = realloc(w->pkgs, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		w->pkgs = v;
		w->cap = cap;
	}
	k = &w->pkgs[w->n];
	k->name = aoms_arena_strdup(w->arena, p->name);
	k->nevra = aoms_arena_strdup(w->arena, p->nevra);
	k->arch = aoms_arena_strdup(w->arena, p->arch);
	k->sigkey = p->sigkey ? aoms_arena_strdup(w->arena, p->sigkey) : NULL;
	k->stream = label_stream(w->arena, p->modularity_label, &oom);
	if (!oom && k->stream && k->name) {
		_cleanup_(freep) char *s = aoms_strdupf("%s:%s", k->name, k->stream);

		k->pesname = s ? aoms_arena_strdup(w->arena, s) : NULL;
	} else
		k->pesname = k->name;
	own = key_own(w, p->sigkey);
	k->by_key = own >= 0;
	k->third_party = own >= 0 ? !own : !vendor_own(p->vendor);
	if (!k->name || !k->nevra || !k->arch || (p->sigkey && !k->sigkey) || oom || !k->pesname ||
	    aoms_assess_installed_copy(w->arena, p, &k->installed) < 0)
		return -ENOMEM;
	k->installed.pkg.module_stream = k->stream;
	w->n++;
	for (size_t i = 0; w->owned && i < p->n_files; i++) {
		bool *flag = aoms_strmap_get(w->owned, p->files[i].path);

		if (flag)
			*flag = true;
	}
	for (size_t i = 0; k->third_party && i < p->n_files; i++)
		if (S_ISREG(p->files[i].mode) && add_file(w, p->files[i].path) < 0)
			return -ENOMEM;
	return 0;
}

/* The arch most non-noarch packages have. */
static void pick_arch(const struct walk *w, struct aoms_assess_source *src)
{
	size_t best = 0;

	for (size_t i = 0; i < w->n; i++) {
		size_t c = 0;

		if (strcmp(w->pkgs[i].arch, "noarch") == 0 || !*w->pkgs[i].arch)
			continue;
		for (size_t j = 0; j < w->n; j++)
			c += strcmp(w->pkgs[j].arch, w->pkgs[i].arch) == 0;
		if (c > best) {
			best = c;
			snprintf(src->arch, sizeof(src->arch), "%s", w->pkgs[i].arch);
		}
		if (best * 2 > w->n)
			break;
	}
}

static int finding(struct aoms_report *r, const char *rule, enum aoms_severity sev,
		   const struct pkg *k, struct aoms_finding **ret)
{
	int ret_ = aoms_finding_new(rule, sev, AOMS_DIM_PACKAGES, k->name, ret);

	if (ret_ < 0)
		return ret_;
	if (aoms_finding_set_package(*ret, k->nevra) < 0 ||
	    aoms_finding_set_summary(*ret, "installed package %s; 'aoms explain %s' says what "
				     "the migration does with it", k->nevra, rule) < 0)
		return -ENOMEM;
	return 0;
}

/* Distinct strings in the order added. */
struct strv {
	char **v;
	size_t n;
};

static int strv_add(struct strv *l, const char *s)
{
	char **v;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 0;
	if (!(v = realloc(l->v, (l->n + 1) * sizeof(*v))))
		return -ENOMEM;
	l->v = v;
	if (!(l->v[l->n] = strdup(s)))
		return -ENOMEM;
	l->n++;
	return 0;
}

static void strv_release(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* A target module stream the events lead to: the packages that come from it and the
 * streams the host had them from. */
struct stream_use {
	char *stream;
	struct strv packages, from;
};

struct map_ctx {
	struct aoms_report *r;
	const struct walk *w;
	size_t i;
	struct stream_use *streams;
	size_t n_streams;
};

/* Records that out-package name comes from stream (from the host's stream from). */
static int stream_note(struct map_ctx *m, const char *stream, const char *name, const char *from)
{
	struct stream_use *u = NULL;

	for (size_t i = 0; !u && i < m->n_streams; i++)
		if (strcmp(m->streams[i].stream, stream) == 0)
			u = &m->streams[i];
	if (!u) {
		struct stream_use *v = realloc(m->streams, (m->n_streams + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->streams = v;
		u = &v[m->n_streams];
		*u = (struct stream_use){ .stream = strdup(stream) };
		if (!u->stream)
			return -ENOMEM;
		m->n_streams++;
	}
	if (strv_add(&u->packages, name) < 0 || (from && strv_add(&u->from, from) < 0))
		return -ENOMEM;
	return 0;
}

/* The target streams of e's out-packages, noted for their findings; *ret_n of them
 * into streams[] (distinct, at most max). */
static int event_streams(struct map_ctx *m, const struct pkg *k, const struct aoms_pes_event *e,
			 char (*streams)[256], size_t max, size_t *ret_n)
{
	char name[256], stream[256];

	*ret_n = 0;
	for (size_t i = 0; i < e->n_out; i++) {
		bool seen = false;

		aoms_pes_name_split(e->out[i], name, sizeof(name), stream, sizeof(stream));
		if (!*stream)
			continue;
		if (stream_note(m, stream, name, k->stream) < 0)
			return -ENOMEM;
		for (size_t j = 0; j < *ret_n; j++)
			seen |= strcmp(streams[j], stream) == 0;
		if (!seen && *ret_n < max)
			snprintf(streams[(*ret_n)++], sizeof(streams[0]), "%s", stream);
	}
	return 0;
}

static int on_event(const char *pesname, const struct aoms_pes_event *e, void *ud)
{
	struct map_ctx *m = ud;
	const struct pkg *k = &m->w->pkgs[m->i++];
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	char out[256], out_stream[256], streams[16][256];
	const char *name = k->name, *sv[16];
	size_t n_streams;
	const char *rule;
	enum aoms_severity sev;

	(void)pesname;   /* k->pesname */
	if (!e)
		return 0;
	if (event_streams(m, k, e, streams, ARRAY_SIZE(streams), &n_streams) < 0)
		return -ENOMEM;
	if (e->action == AOMS_PES_PRESENT || e->action == AOMS_PES_MOVED)
		return 0;
	rule = e->action == AOMS_PES_REMOVED ? "assess.package-removed" :
	       e->action == AOMS_PES_DEPRECATED ? "assess.package-deprecated" :
	       "assess.package-replaced";
	sev = e->action == AOMS_PES_REMOVED ? AOMS_SEV_MEDIUM :
	      e->action == AOMS_PES_DEPRECATED ? AOMS_SEV_LOW : AOMS_SEV_INFO;
	for (size_t i = 0; i < n_streams; i++)
		sv[i] = streams[i];
	if (finding(m->r, rule, sev, k, &f) < 0 ||
	    aoms_finding_set_title(f, "%s is %s on Anolis OS 8", name,
				   aoms_pes_action_name(e->action)) < 0 ||
	    aoms_finding_add_identity(f, "pes_action", aoms_pes_action_name(e->action)) < 0 ||
	    aoms_finding_add_evidencef(f, "pes_event", "%u", e->id) < 0 ||
	    aoms_finding_add_evidence_list(f, "out", e->out, e->n_out) < 0 ||
	    (k->stream && aoms_finding_add_evidence(f, "module_stream", k->stream) < 0) ||
	    (n_streams && aoms_finding_add_evidence_list(f, "out_module_streams", sv, n_streams) < 0))
		return -ENOMEM;
	if (e->action == AOMS_PES_REMOVED &&
	    aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "the upgrade erases %s: find a "
				    "replacement or carry the function another way", name) < 0)
		return -ENOMEM;
	for (size_t i = 0; e->action != AOMS_PES_DEPRECATED && i < e->n_out; i++) {
		aoms_pes_name_split(e->out[i], out, sizeof(out), out_stream, sizeof(out_stream));
		if (i == 0 && strcmp(out, name) != 0 ?
		    aoms_finding_add_action(f, AOMS_ACTION_SWAP_PACKAGE, "from", name, "to", out, NULL) :
		    strcmp(out, name) != 0 &&
		    aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", out, NULL))
			return -ENOMEM;
	}
	return aoms_report_add(m->r, TAKE_PTR(f));
}

/* One assess.module-stream per target stream: the enable action the plan runs before
 * the upgrade or the distro-sync, and the packages that come from it. */
static int stream_finding(struct aoms_report *r, const struct stream_use *u)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf names = { 0 };
	int ret;

	for (size_t i = 0; i < u->packages.n; i++)
		if ((i && aoms_strbuf_adds(&names, ", ") < 0) ||
		    aoms_strbuf_adds(&names, u->packages.v[i]) < 0)
			return -ENOMEM;
	if ((ret = aoms_finding_new("assess.module-stream", AOMS_SEV_INFO, AOMS_DIM_PACKAGES,
				    u->stream, &f)) < 0)
		return ret;
	if (aoms_finding_set_title(f, "module stream %s is enabled for %s", u->stream,
				   names.len ? aoms_strbuf_str(&names) : "") < 0 ||
	    aoms_finding_set_summary(f, "the package evolution events install packages of module "
				     "stream %s; dnf installs them only once the stream is enabled",
				     u->stream) < 0 ||
	    aoms_finding_add_identity(f, "module_stream", u->stream) < 0 ||
	    aoms_finding_add_evidence_list(f, "packages", (const char *const *)u->packages.v,
					   u->packages.n) < 0 ||
	    aoms_finding_add_evidence_list(f, "from_module_streams", (const char *const *)u->from.v,
					   u->from.n) < 0 ||
	    aoms_finding_add_action(f, AOMS_ACTION_ENABLE_MODULE_STREAM, "module_stream",
				    u->stream, NULL) < 0)
		return -ENOMEM;
	return aoms_report_add(r, TAKE_PTR(f));
}

static void streams_release(struct map_ctx *m)
{
	for (size_t i = 0; i < m->n_streams; i++) {
		free(m->streams[i].stream);
		strv_release(&m->streams[i].packages);
		strv_release(&m->streams[i].from);
	}
	free(m->streams);
}

/* The installed set through the package evolution events: every event for 7 -> 8,
 * only the site's (--mapping) for 8 -> 8. */
static int map_packages(const struct aoms_assess_options *o, const struct aoms_assess_source *src,
			const struct walk *w, const char *const *names, size_t n)
{
	struct map_ctx m = { o->report, w, 0, NULL, 0 };
	bool leapp = strcmp(src->path, "leapp") == 0;
	int r;

	r = (leapp ? aoms_pes_map : aoms_pes_map_site)(o->pes, names, n, src->arch, src->major,
						      src->minor, 8, 10, on_event, &m);
	for (size_t i = 0; r == 0 && i < m.n_streams; i++)
		r = stream_finding(o->report, &m.streams[i]);
	streams_release(&m);
	return r;
}

/* 8 -> 8: the branding and repository packages Anolis OS 8 replaces (centos2anolis'
 * release swap; almalinux-deploy and migrate2rocky swap the same kinds). */
static const struct { const char *suffix, *to; } swaps[] = {
	{ "-release", "anolis-release" }, { "-linux-release", "anolis-release" },
	{ "-stream-release", "anolis-release" }, { "-repos", "anolis-repos" },
	{ "-gpg-keys", "anolis-gpg-key" }, { "-logos", "anolis-logos" },
	{ "-indexhtml", "anolis-indexhtml" },
};
static const char *const swap_vendors[] = {
	"centos", "redhat", "almalinux", "rocky", "oraclelinux", "centos-linux", "centos-stream",
};

static const char *swap_target(const char *name)
{
	for (size_t v = 0; v < ARRAY_SIZE(swap_vendors); v++) {
		size_t vl = strlen(swap_vendors[v]);

		if (strncmp(name, swap_vendors[v], vl) != 0)
			continue;
		for (size_t s = 0; s < ARRAY_SIZE(swaps); s++)
			if (strcmp(name + vl, swaps[s].suffix) == 0)
				return swaps[s].to;
	}
	return NULL;
}

static int judge_swap(struct aoms_report *r, const struct pkg *k)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	const char *to = swap_target(k->name);

	if (!to)
		return 0;
	if (finding(r, "assess.release-swap", AOMS_SEV_INFO, k, &f) < 0 ||
	    aoms_finding_set_title(f, "%s is swapped for %s", k->name, to) < 0 ||
	    aoms_finding_add_action(f, AOMS_ACTION_SWAP_PACKAGE, "from", k->name, "to", to, NULL) < 0)
		return -ENOMEM;
	return aoms_report_add(r, TAKE_PTR(f));
}

static int judge_third_party(struct aoms_report *r, const struct pkg *k)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;

	if (finding(r, "assess.package-third-party", AOMS_SEV_LOW, k, &f) < 0 ||
	    aoms_finding_set_title(f, "%s is not from the source distribution%s", k->nevra,
				   !k->by_key ? "" : k->sigkey ? ": signed by another key" :
				   ": unsigned") < 0 ||
	    aoms_finding_add_evidence(f, "signature_key", k->sigkey ? k->sigkey : "none") < 0 ||
	    aoms_finding_add_evidence(f, "judged_by", k->by_key ? "signature" : "vendor") < 0 ||
	    aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "its files are scanned; ask its vendor "
				    "for an EL8 build, or keep it if the scan finds nothing") < 0)
		return -ENOMEM;
	return aoms_report_add(r, TAKE_PTR(f));
}

static int set_fingerprint(struct aoms_report *r, const struct walk *w)
{
	_cleanup_(freep) const char **nevras = calloc(w->n + 1, sizeof(*nevras));
	char buf[32];

	if (!nevras)
		return -ENOMEM;
	/* rpmdb order is by NEVRA already (rpmdb.h) */
	for (size_t i = 0; i < w->n; i++)
		nevras[i] = w->pkgs[i].nevra;
	aoms_rpm_nevra_fingerprint(nevras, w->n, buf);
	if (aoms_report_set_meta(r, "packages_fingerprint", buf) < 0)
		return -ENOMEM;
	snprintf(buf, sizeof(buf), "%zu", w->n);
	return aoms_report_set_meta(r, "packages", buf);
}

static int record_installed(struct aoms_report *r, const struct walk *w)
{
	_cleanup_(freep) struct aoms_assess_installed *v = calloc(w->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < w->n; i++)
		v[i] = w->pkgs[i].installed;
	return aoms_assess_installed_record(r, v, w->n);
}

static int judge_all(const struct aoms_assess_options *o, struct aoms_assess_source *src,
		     struct walk *w)
{
	_cleanup_(freep) const char **names = NULL;
	size_t n = 0;
	int r;

	pick_arch(w, src);
	if ((r = aoms_assess_source_judge(o->report, src)) < 0 ||
	    (r = set_fingerprint(o->report, w)) < 0 ||
	    (r = record_installed(o->report, w)) < 0)
		return r;
	if (!(names = calloc(w->n + 1, sizeof(*names))))
		return -ENOMEM;
	for (size_t i = 0; i < w->n; i++) {
		if (w->pkgs[i].third_party && (r = judge_third_party(o->report, &w->pkgs[i])) < 0)
			return r;
		if (strcmp(src->path, "centos2anolis") == 0 && (r = judge_swap(o->report, &w->pkgs[i])) < 0)
			return r;
		names[n++] = w->pkgs[i].pesname;
	}
	if (strcmp(src->path, "leapp") == 0 || strcmp(src->path, "centos2anolis") == 0)
		return map_packages(o, src, w, names, n);
	return 0;
}

int aoms_assess_packages(const struct aoms_assess_options *o, struct aoms_assess_source *src,
			 struct aoms_strmap *owned, char ***scan_paths, size_t *n_scan,
			 char **ret_reason)
{
	struct walk w = { .o = o, .src = src, .root = o->root, .owned = owned };
	int r;

	if ((r = aoms_arena_new(&w.arena)) < 0)
		return r;
	r = aoms_rpmdb_foreach(o->root, on_pkg, &w, ret_reason);
	if (r >= 0)
		r = judge_all(o, src, &w);
	else if (r == -ENOENT) {
		/* no rpmdb: the source is judged all the same (not an EL system, mostly) */
		aoms_report_add_error(o->report, "/var/lib/rpm", ENOENT, "no rpmdb in the root");
		r = aoms_assess_source_judge(o->report, src);
	}
	free(w.pkgs);
	aoms_arena_free(w.arena);
	if (r < 0) {
		for (size_t i = 0; i < w.n_files; i++)
			free(w.files[i]);
		free(w.files);
		return r;
	}
	*scan_paths = w.files;
	*n_scan = w.n_files;
	return 0;
}
