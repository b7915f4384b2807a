/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "elf-model.h"
#include "input-file.h"
#include "platform.h"
#include "scan-rpm.h"
#include "scan.h"
#include "resolve.h"
#include "check-bpf-core.h"
#include "check-syscall.h"
#include "kmod-check.h"
#include "scanner.h"
#include "strbuf.h"
#include "strpool.h"
#include "tree.h"

/* A worker's own counts (summary.files, progress), added to the scan's every
 * TALLY_BATCH files and when it ends: atomics shared by the workers, bumped per file,
 * cost more than a small file's read (the cache line bounces between the cores for
 * every file of a /usr scan). */
struct tally {
	size_t seen, not_judged, skipped, failed, done;
	size_t judged[AOMS_SCANNERS_MAX];
};

struct scan {
	const struct aoms_scan_options *o;
	struct aoms_tree tree;
	struct aoms_strmap sonames;
	struct aoms_scan_ctx ctx;     /* what the registry's rows see */
	atomic_size_t next;
	unsigned jobs;             /* the workers of the phase */
	atomic_int error;          /* first fatal negative errno */
	int (*work)(struct scan *s, struct tally *t, struct aoms_file *f);
	/* While the walk runs, readers wait on more for files to appear. */
	pthread_mutex_t lock;
	pthread_cond_t more;
	bool walking;
	struct aoms_strpool *names;   /* the models' strings, shared */
	/* "dev:ino" -> the first file of that inode the read phase met, for files with
	 * more than one link (the keys are owned here) */
	struct aoms_strmap links;
	pthread_mutex_t links_lock;
	/* summary.files */
	atomic_size_t seen, not_judged, skipped, failed;
	atomic_size_t judged[AOMS_SCANNERS_MAX];
	/* progress: the phase, its files done */
	const char *phase;
	atomic_size_t done;
	struct aoms_progress progress;
};

int aoms_scan_report_malformed(struct aoms_report *report, const char *subject, const char *locus,
			       const char *package, const char *reason)
{
	struct aoms_finding *fd;

	if (aoms_finding_new_at("elf.malformed", AOMS_SEV_MEDIUM, AOMS_DIM_APPLICATIONS, subject,
				locus, package, &fd) < 0)
		return -ENOMEM;
	aoms_finding_set_title(fd, "%s is a damaged ELF file", subject);
	aoms_finding_set_summary(fd, "%s starts like an ELF object but cannot be parsed (%s); it "
				 "will not load on any system.", subject,
				 reason ? reason : "unknown reason");
	aoms_finding_add_evidence(fd, "reason", reason ? reason : "unknown");
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Replace the file with an intact copy.");
	aoms_finding_add_action(fd, AOMS_ACTION_REPLACE_FILE, "path", subject, NULL);
	return aoms_report_add(report, fd);
}

/* Offers the probed file to the registry's rows in table order; the first that
 * claims it and does not decline reads it. Returns 1 when judged, 2 when the read
 * failed (reported under errors), 0 when no row judged it, -ENOMEM. */
static int read_with_registry(struct scan *s, struct tally *t, struct aoms_file *f,
			      struct aoms_probe *p)
{
	for (size_t i = 0; i < aoms_scanners_count(); i++) {
		const struct aoms_scanner *row = aoms_scanner_at(i);
		int r;

		if (!row->probe(p))
			continue;
		f->scanner = row;
		r = row->read(&s->ctx, f, p->fd);
		if (r == -ENOEXEC) {
			f->scanner = NULL;
			continue;
		}
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			f->scanner = NULL;
			r = aoms_report_add_error(s->o->report, f->subject, r, "cannot read '%s' (%s): %s",
						  f->subject, row->name, strerror(-r));
			return r < 0 ? r : 2;
		}
		t->judged[i]++;
		return 1;
	}
	return 0;
}

/* The file of st's inode the read phase met first, else NULL (f is that file now).
 * 0 or -ENOMEM. */
static int link_owner(struct scan *s, struct aoms_file *f, const struct stat *st,
		      struct aoms_file **ret)
{
	char *key = aoms_strdupf("%jx:%jx", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
	int r = 0;

	if (!key)
		return -ENOMEM;
	pthread_mutex_lock(&s->links_lock);
	*ret = aoms_strmap_get(&s->links, key);
	if (!*ret && (r = aoms_strmap_put(&s->links, key, f)) >= 0)
		key = NULL;
	pthread_mutex_unlock(&s->links_lock);
	free(key);
	return r;
}

static void links_release(struct aoms_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free((char *)m->slots[i].key);
	aoms_strmap_release(m);
}

/* Opens, probes and reads a regular file through the registry. A hard link of a
 * file already met is set aside for read_linked() when share is set: a tree holds
 * the same megabytes under many names (Mesa's *_dri.so, git's commands, perl). */
static int read_regular(struct scan *s, struct tally *t, struct aoms_file *f, bool share)
{
	unsigned char head[AOMS_PROBE_HEAD];
	struct aoms_probe p;
	_cleanup_(closep) int fd = -1;
	struct stat st;
	int r;

	/* The walk decided about links: O_NOFOLLOW; a FIFO or device swapped in after
	 * the walk is not read (and cannot hang us). */
	fd = aoms_open_untrusted_stat(AT_FDCWD, f->path, AOMS_OPEN_NOFOLLOW, 0, &st);
	if (fd == -EINVAL || fd == -EISDIR) {
		t->skipped++;
		return 0;
	}
	if (fd < 0) {
		t->failed++;
		return aoms_report_add_error(s->o->report, f->subject, -fd, "cannot open '%s': %s",
					     f->subject, strerror(-fd));
	}
	if (share && st.st_nlink > 1) {
		struct aoms_file *owner;

		if ((r = link_owner(s, f, &st, &owner)) < 0)
			return r;
		if (owner) {
			f->same_inode = owner;
			return 0;
		}
	}
	r = aoms_probe_init(&p, fd, (uint64_t)st.st_size, f->path, f->subject, head);
	if (r < 0) {
		t->failed++;
		return aoms_report_add_error(s->o->report, f->subject, r, "cannot read '%s': %s",
					     f->subject, strerror(-r));
	}
	r = read_with_registry(s, t, f, &p);
	if (r == 2)
		t->failed++;
	if (r == 0) {
		r = aoms_scan_not_judged(&p, f, s->o->report);
		if (r > 0)
			t->not_judged++;
		else
			t->skipped++;
	}
	aoms_probe_release(&p);
	return r < 0 ? r : 0;
}

/* Phase 2: open, probe, read through the registry. */
static int read_file(struct scan *s, struct tally *t, struct aoms_file *f)
{
	int idx;

	if (f->kind == AOMS_FILE_MEMBER) {
		/* Read with its archive; counted here, once. */
		t->seen++;
		idx = f->scanner ? aoms_scanner_index(f->scanner) : -1;
		if (idx >= 0)
			t->judged[idx]++;
		else
			t->skipped++;
		return 0;
	}
	if (f->kind != AOMS_FILE_REGULAR)
		return 0;
	t->seen++;
	return read_regular(s, t, f, true);
}

static void tally_flush(struct scan *s, struct tally *t);

/* The hard links read_regular() set aside, once every first file is read: the first
 * file's model when its row shares models and it has one; else (another row, no row,
 * a damaged object, an error) read on their own, so each says for itself what the
 * first file's read said. One thread: these are few. */
static int read_linked(struct scan *s)
{
	struct tally t = { 0 };
	int r = 0;

	for (size_t i = 0; i < s->tree.n_files && r >= 0; i++) {
		struct aoms_file *f = s->tree.files[i];
		const struct aoms_file *o = f->same_inode;

		if (!o)
			continue;
		if (o->scanner && o->scanner->shares_model && o->model) {
			f->scanner = o->scanner;
			f->model = o->model;
			f->elf = o->elf;
			f->model_shared = true;
			t.judged[aoms_scanner_index(o->scanner)]++;
		} else {
			r = read_regular(s, &t, f, false);
		}
	}
	tally_flush(s, &t);
	return r;
}

static int check_file(struct scan *s, struct tally *t, struct aoms_file *f)
{
	(void)t;
	if (!f->scanner || !f->model || !f->scanner->check)
		return 0;
	return f->scanner->check(&s->ctx, f);
}

/* Files a worker takes at once, so the lock is taken once per CLAIM_MAX files while
 * many wait: a /usr scan hands out 10^5 files, most of which cost less to read or
 * check than the lock and the wake-ups they would otherwise take. */
#define CLAIM_MAX 16
struct claim {
	struct aoms_file *files[CLAIM_MAX];
	size_t n, at;
};

/* The next file to work on, or NULL when all are taken and the walk is over. */
static struct aoms_file *next_file(struct scan *s, struct claim *c)
{
	size_t i, n;

	if (c->at < c->n)
		return c->files[c->at++];
	c->at = c->n = 0;
	/* An index is taken only with a file behind it: a worker that finds none
	 * must not use up the slot of a member another worker is about to add. */
	pthread_mutex_lock(&s->lock);
	while ((i = atomic_load(&s->next)) >= s->tree.n_files && s->walking)
		pthread_cond_wait(&s->more, &s->lock);
	/* A share of what waits, so the other workers have theirs: the last files of a
	 * phase go one by one and no worker idles behind another's claim. */
	n = (s->tree.n_files - i) / (2 * s->jobs);
	n = n < 1 ? 1 : n > CLAIM_MAX ? CLAIM_MAX : n;
	for (; c->n < n && i < s->tree.n_files; i++)
		c->files[c->n++] = s->tree.files[i];
	atomic_store(&s->next, i);
	pthread_mutex_unlock(&s->lock);
	return c->n ? c->files[c->at++] : NULL;
}

/* Tells opts->progress where the phase is, when a call is due (progress.h). */
static void progress(struct scan *s, bool end)
{
	struct aoms_progress_info p = { .phase = s->phase, .unit = "files", .end = end };

	if (!aoms_progress_due(&s->progress, end))
		return;
	pthread_mutex_lock(&s->lock);
	p.total = s->tree.n_files;
	p.walking = s->walking;
	pthread_mutex_unlock(&s->lock);
	p.done = atomic_load(&s->done);
	aoms_progress_tell(&s->progress, &p);
}

/* Adds a worker's counts to the scan's; progress's "done" gets them every
 * TALLY_BATCH files. */
#define TALLY_BATCH 64
static void tally_flush(struct scan *s, struct tally *t)
{
	atomic_fetch_add(&s->seen, t->seen);
	atomic_fetch_add(&s->not_judged, t->not_judged);
	atomic_fetch_add(&s->skipped, t->skipped);
	atomic_fetch_add(&s->failed, t->failed);
	for (size_t i = 0; i < AOMS_SCANNERS_MAX; i++)
		if (t->judged[i])
			atomic_fetch_add(&s->judged[i], t->judged[i]);
	atomic_fetch_add(&s->done, t->done);
	*t = (struct tally){ 0 };
}

static void *worker(void *arg)
{
	struct scan *s = arg;
	struct tally t = { 0 };
	struct claim c = { .n = 0 };
	struct aoms_file *f;

	while ((f = next_file(s, &c)) && !atomic_load(&s->error)) {
		int r = s->work(s, &t, f);

		if (r < 0) {
			int zero = 0;

			atomic_compare_exchange_strong(&s->error, &zero, r);
		}
		if (++t.done == TALLY_BATCH) {
			tally_flush(s, &t);
			progress(s, false);
		}
	}
	tally_flush(s, &t);
	return NULL;
}

static void on_push(void *ud)
{
	pthread_cond_broadcast(&((struct scan *)ud)->more);
}

/* Walks the inputs on this thread while the workers already read what it found. */
static int walk_inputs(struct scan *s, char *const *paths, size_t n_paths)
{
	int r = 0;

	for (size_t i = 0; i < n_paths && r >= 0; i++) {
		_cleanup_(freep) char *abs = s->tree.sysroot ? realpath(paths[i], NULL) : NULL;
		size_t n = s->tree.sysroot ? strlen(s->tree.sysroot) : 0;
		const char *in = paths[i];

		/* the input as the root calls it ("/opt"), as its files' subjects are */
		if (abs && !strncmp(abs, s->tree.sysroot, n) && (abs[n] == '/' || !abs[n]))
			in = n == 1 ? abs : abs[n] ? abs + n : "/";
		r = aoms_report_add_input(s->o->report, in);
		if (r >= 0)
			r = aoms_tree_add_input(&s->tree, paths[i], n_paths > 1, s->o->report);
	}
	pthread_mutex_lock(&s->lock);
	s->walking = false;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
	return r;
}

/* Runs work over every file with the configured number of threads; with paths,
 * the calling thread walks them meanwhile instead of working. */
static int run_parallel(struct scan *s, int (*work)(struct scan *, struct tally *, struct aoms_file *),
			char *const *paths, size_t n_paths)
{
	unsigned jobs = s->o->jobs ? s->o->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t tids[64];
	unsigned started = 0;
	int r = 0;

	if (jobs < 1)
		jobs = 1;
	if (jobs > ARRAY_SIZE(tids))
		jobs = ARRAY_SIZE(tids);
	s->work = work;
	s->jobs = jobs;
	s->walking = paths != NULL;
	s->phase = paths ? "reading" : "checking";
	atomic_store(&s->next, 0);
	atomic_store(&s->done, 0);
	aoms_progress_restart(&s->progress);
	for (unsigned i = paths ? 0 : 1; i < jobs; i++)
		if (pthread_create(&tids[started], NULL, worker, s) == 0)
			started++;
	if (paths)
		r = walk_inputs(s, paths, n_paths);
	if (!paths || !started)
		worker(s);   /* this thread works too */
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	progress(s, true);
	return r < 0 ? r : atomic_load(&s->error);
}

/* soname (and file name) -> every shared object of the tree known by it, in path
 * order, for needs that the loader's path misses but the tree holds. */
static int index_add(struct scan *s, const char *name, struct aoms_file *t)
{
	struct aoms_tree_candidate *head = aoms_strmap_get(&s->sonames, name), *c;

	for (c = head; c; c = c->next)
		if (c->file == t)
			return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->file = t;
	if (!head)
		return aoms_strmap_put(&s->sonames, name, c) < 0 ? (free(c), -ENOMEM) : 0;
	while (head->next)
		head = head->next;
	head->next = c;
	return 0;
}

static int index_sonames(struct scan *s)
{
	for (size_t i = 0; i < s->tree.n_files; i++) {
		struct aoms_file *f = s->tree.files[i];
		struct aoms_file *t = f->kind == AOMS_FILE_SYMLINK ? aoms_tree_resolve(&s->tree, f->path) : f;
		const char *base = strrchr(f->path, '/');
		int r;

		if (!t || !t->elf || !t->elf->exports)
			continue;
		if (t == f && t->elf->soname && (r = index_add(s, t->elf->soname, t)) < 0)
			return r;
		if ((r = index_add(s, base ? base + 1 : f->path, t)) < 0)
			return r;
	}
	return 0;
}

static void index_release(struct aoms_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		for (struct aoms_tree_candidate *c = m->slots[i].value, *n; c; c = n) {
			n = c->next;
			free(c);
		}
	aoms_strmap_release(m);
}

static int cmp_file_path(const void *a, const void *b)
{
	return strcmp((*(struct aoms_file *const *)a)->path, (*(struct aoms_file *const *)b)->path);
}

/* summary.files from the counters, judged per row in table order. */
static int report_files(struct scan *s)
{
	struct aoms_report_judged judged[AOMS_SCANNERS_MAX];
	struct aoms_report_files fs = {
		.seen = atomic_load(&s->seen),
		.judged = judged,
		.n_judged = aoms_scanners_count(),
		.not_judged = atomic_load(&s->not_judged),
		.skipped = atomic_load(&s->skipped),
		.failed = atomic_load(&s->failed),
	};

	for (size_t i = 0; i < fs.n_judged; i++)
		judged[i] = (struct aoms_report_judged){ (char *)aoms_scanner_at(i)->name,
							 atomic_load(&s->judged[i]) };
	return aoms_report_set_files(s->o->report, &fs);
}

/* A verdict for every judged file (the report's "files"), even one whose scanner
 * adds none itself or that has no model (damaged): the report merges it with the
 * scanner's own and derives the verdict from the findings. Path order, one thread. */
static int report_summaries(struct scan *s)
{
	for (size_t i = 0; i < s->tree.n_files; i++) {
		const struct aoms_file *f = s->tree.files[i];
		struct aoms_file_summary *fs;
		int r;

		if (!f->scanner || (f->kind != AOMS_FILE_REGULAR && f->kind != AOMS_FILE_MEMBER))
			continue;
		r = aoms_file_summary_new(f->subject, f->scanner->name, &fs);
		if (r >= 0)
			r = aoms_report_add_file_summary(s->o->report, fs);
		if (r < 0)
			return r;
	}
	return 0;
}

/* What the checks ask of the database once; a database error stops the scan. */
static int db_coverage(struct aoms_abidb *db, bool *ret_complete, bool *ret_packages)
{
	int complete = aoms_abidb_is_complete(db);
	int packages = complete < 0 ? complete : aoms_abidb_has_packages(db);

	if (packages < 0)
		return packages;
	*ret_complete = complete > 0;
	*ret_packages = packages > 0;
	return 0;
}

int aoms_scan(const struct aoms_scan_options *o, char *const *paths, size_t n_paths)
{
	struct scan s = { .o = o, .tree = AOMS_TREE_INIT, .sonames = AOMS_STRMAP_INIT,
			  .links = AOMS_STRMAP_INIT };
	struct aoms_platforms *platforms = NULL;
	bool complete = false, packages = false;
	_cleanup_(freep) char *sysroot = NULL;
	int r = 0;

	elf_version(EV_CURRENT);
	if (aoms_strpool_new(&s.names) < 0)
		return -ENOMEM;
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.links_lock, NULL);
	aoms_progress_init(&s.progress, o->progress, o->progress_ud);
	pthread_cond_init(&s.more, NULL);
	s.ctx = (struct aoms_scan_ctx){ .report = o->report, .db = o->db, .tree = &s.tree,
					.names = s.names, .target = o->target_name,
					.kernel = o->kernel };
	if (aoms_kmod_checker_new(o->db, o->kernel, &s.ctx.kmod) < 0 ||
	    aoms_bpf_core_target_new(o->db, o->kernel, &s.ctx.bpf_core) < 0 ||
	    aoms_syscall_tables_new(o->db, o->kernel, &s.ctx.syscalls) < 0) {
		aoms_kmod_checker_free(s.ctx.kmod);
		aoms_bpf_core_target_free(s.ctx.bpf_core);
		aoms_strpool_free(s.names);
		return -ENOMEM;
	}
	s.tree.lock = &s.lock;
	s.tree.on_push = on_push;
	s.tree.ud = &s;
	s.tree.exclude = o->exclude;
	s.tree.n_exclude = o->n_exclude;
	if (o->system_root && !(sysroot = realpath(o->system_root, NULL)))
		r = -errno;
	s.tree.sysroot = sysroot;
	s.tree.chroot = sysroot != NULL;
	if (r >= 0)
		r = run_parallel(&s, read_file, paths, n_paths);
	s.tree.lock = NULL;
	s.tree.on_push = NULL;
	if (r >= 0)
		r = read_linked(&s);
	/* Path order from here on: "first found" choices must not depend on timing. */
	if (r >= 0 && s.tree.n_files)
		qsort(s.tree.files, s.tree.n_files, sizeof(*s.tree.files), cmp_file_path);
	if (r >= 0)
		r = index_sonames(&s);
	if (r >= 0)
		r = aoms_platforms_new(&s.tree, o->db, o->arches, o->n_arches, &platforms);
	if (r >= 0)
		r = db_coverage(o->db, &complete, &packages);
	if (r >= 0) {
		s.ctx.sonames = &s.sonames;
		s.ctx.db_complete = complete;
		s.ctx.db_has_packages = packages;
		s.ctx.platforms = platforms;
		r = run_parallel(&s, check_file, NULL, 0);
	}
	if (r >= 0)
		r = aoms_bpf_core_target_finish(&s.ctx);
	if (r >= 0)
		r = report_files(&s);
	if (r >= 0)
		r = report_summaries(&s);
	index_release(&s.sonames);
	links_release(&s.links);
	pthread_mutex_destroy(&s.links_lock);
	aoms_platforms_free(platforms);
	aoms_tree_release(&s.tree);
	pthread_cond_destroy(&s.more);
	aoms_progress_release(&s.progress);
	pthread_mutex_destroy(&s.lock);
	aoms_strpool_free(s.names);
	aoms_kmod_checker_free(s.ctx.kmod);
	aoms_bpf_core_target_free(s.ctx.bpf_core);
	aoms_syscall_tables_free(s.ctx.syscalls);
	return r;
}
