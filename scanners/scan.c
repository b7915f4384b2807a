/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include "check-elf.h"
#include "elf-model.h"
#include "scan.h"
#include "tree.h"

struct scan {
	const struct aoms_scan_options *o;
	struct aoms_tree tree;
	struct aoms_strmap sonames;
	struct aoms_elf_check_ctx check;
	atomic_size_t next;
	atomic_int error;          /* first fatal negative errno */
	int (*work)(struct scan *s, struct aoms_file *f);
};

static int report_malformed(struct scan *s, const struct aoms_file *f, const char *reason)
{
	struct aoms_finding *fd;

	if (aoms_finding_new("elf.malformed", AOMS_SEV_MEDIUM, AOMS_DIM_APPLICATIONS, f->subject, &fd) < 0)
		return -ENOMEM;
	aoms_finding_set_title(fd, "%s is a damaged ELF file", f->subject);
	aoms_finding_set_summary(fd, "%s starts like an ELF object but cannot be parsed (%s); it "
				 "will not load on any system.", f->subject,
				 reason ? reason : "unknown reason");
	aoms_finding_add_evidence(fd, "reason", reason ? reason : "unknown");
	aoms_finding_add_remedy(fd, AOMS_REMEDY_HINT, "Replace the file with an intact copy.");
	return aoms_report_add(s->o->report, fd);
}

/* Phase 2: open, classify by content, read the ELF model. */
static int read_file(struct scan *s, struct aoms_file *f)
{
	unsigned char magic[SELFMAG];
	_cleanup_(closep) int fd = -1;
	_cleanup_(freep) char *reason = NULL;
	struct stat st;
	int r;

	if (f->kind != AOMS_FILE_REGULAR || f->size < sizeof(magic))
		return 0;
	/* O_NONBLOCK: a FIFO swapped in after the walk must not hang us. */
	fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return aoms_report_add_error(s->o->report, f->subject, errno, "cannot open '%s': %s",
					     f->subject, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, ELFMAG, SELFMAG) != 0)
		return 0;
	r = aoms_elf_read(fd, f->subject, &f->elf, &reason);
	if (r == -ENOEXEC)
		return 0;
	if (r == -EBADMSG)
		return report_malformed(s, f, reason);
	return r;
}

static int check_file(struct scan *s, struct aoms_file *f)
{
	return f->elf ? aoms_check_elf(&s->check, f) : 0;
}

static void *worker(void *arg)
{
	struct scan *s = arg;

	for (;;) {
		size_t i = atomic_fetch_add(&s->next, 1);
		int r;

		if (i >= s->tree.n_files || atomic_load(&s->error))
			break;
		r = s->work(s, s->tree.files[i]);
		if (r < 0) {
			int zero = 0;

			atomic_compare_exchange_strong(&s->error, &zero, r);
		}
	}
	return NULL;
}

static int run_parallel(struct scan *s, int (*work)(struct scan *, struct aoms_file *))
{
	unsigned jobs = s->o->jobs ? s->o->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t tids[64];
	unsigned started = 0;

	if (jobs < 1)
		jobs = 1;
	if (jobs > ARRAY_SIZE(tids))
		jobs = ARRAY_SIZE(tids);
	s->work = work;
	atomic_store(&s->next, 0);
	for (unsigned i = 1; i < jobs; i++)
		if (pthread_create(&tids[started], NULL, worker, s) == 0)
			started++;
	worker(s);   /* this thread works too */
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	return atomic_load(&s->error);
}

/* soname (or file name) -> first shared object in path order, for needs that the
 * loader's path misses but the tree holds. */
static int index_sonames(struct scan *s)
{
	for (size_t i = 0; i < s->tree.n_files; i++) {
		struct aoms_file *f = s->tree.files[i];
		struct aoms_file *t = f->kind == AOMS_FILE_SYMLINK ? aoms_tree_resolve(&s->tree, f->path) : f;
		const char *base = strrchr(f->path, '/');

		if (!t || !t->elf || !t->elf->exports)
			continue;
		if (t == f && t->elf->soname && !aoms_strmap_get(&s->sonames, t->elf->soname) &&
		    aoms_strmap_put(&s->sonames, t->elf->soname, t) < 0)
			return -ENOMEM;
		base = base ? base + 1 : f->path;
		if (!aoms_strmap_get(&s->sonames, base) && aoms_strmap_put(&s->sonames, base, t) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int cmp_file_path(const void *a, const void *b)
{
	return strcmp((*(struct aoms_file *const *)a)->path, (*(struct aoms_file *const *)b)->path);
}

int aoms_scan(const struct aoms_scan_options *o, char *const *paths, size_t n_paths)
{
	struct scan s = { .o = o, .tree = AOMS_TREE_INIT, .sonames = AOMS_STRMAP_INIT };
	int r = 0;

	elf_version(EV_CURRENT);
	for (size_t i = 0; i < n_paths && r >= 0; i++) {
		r = aoms_report_add_input(o->report, paths[i]);
		if (r >= 0)
			r = aoms_tree_add_input(&s.tree, paths[i], n_paths > 1, o->report);
	}
	if (r >= 0)
		qsort(s.tree.files, s.tree.n_files, sizeof(*s.tree.files), cmp_file_path);
	if (r >= 0)
		r = run_parallel(&s, read_file);
	if (r >= 0)
		r = index_sonames(&s);
	if (r >= 0) {
		s.check = (struct aoms_elf_check_ctx){
			.rs = { .db = o->db, .tree = &s.tree, .tree_sonames = &s.sonames },
			.report = o->report,
			.db_complete = aoms_abidb_is_complete(o->db),
			.target = o->target_name,
		};
		r = run_parallel(&s, check_file);
	}
	aoms_strmap_release(&s.sonames);
	aoms_tree_release(&s.tree);
	return r;
}
