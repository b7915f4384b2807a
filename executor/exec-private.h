/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The executor's internals, shared by its files; executor.h is the contract. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "executor.h"

struct headerToken_s;   /* librpm's Header */
struct rpmts_s;         /* librpm's rpmts */
struct rpmKeyring_s;

/* ---- string lists (exec-util.c) ---- */

struct exec_strv {
	char **v;
	size_t n, cap;
};
int exec_strv_add(struct exec_strv *l, const char *s);
int exec_strv_addf(struct exec_strv *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void exec_strv_sort(struct exec_strv *l);
/* The index of s in l (any order, linear), -1 when absent. */
long exec_strv_find(const struct exec_strv *l, const char *s);
/* Whether sorted l holds s. */
bool exec_strv_has(const struct exec_strv *l, const char *s);
/* Drops adjacent duplicates (of a sorted l). */
void exec_strv_uniq(struct exec_strv *l);
void exec_strv_release(struct exec_strv *l);
/* Moves the strings out as a plain array (*ret, *ret_n); l is empty after. */
void exec_strv_take(struct exec_strv *l, char ***ret, size_t *ret_n);
/* "a, b, c" of at most max items ("... and N more"); heap string or NULL. */
char *exec_strv_join(const struct exec_strv *l, size_t max);
/* The next line of the text at *cur, its '\n' replaced by NUL, and *cur moved past
 * it; NULL at the end. *complete: whether the line ended with '\n' (a torn last line
 * does not). */
char *exec_line_next(char **cur, bool *complete);
/* The lines of text file dirfd/name (at most 256 MiB) into out. */
int exec_read_lines(int dirfd, const char *name, struct exec_strv *out);
/* Sets *reason (if reason and not yet set) to a formatted line; returns r. */
int exec_fail(char **reason, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- the root: every write resolves inside it (exec-root.c) ---- */

struct exec_root {
	int fd;              /* O_PATH|O_DIRECTORY of the root */
	const char *path;    /* borrowed */
};
int exec_root_open(const char *path, struct exec_root *ret);
void exec_root_close(struct exec_root *r);
/*
 * Opens directory dir (root-relative) of r, every symlink resolved inside the root
 * (openat2 RESOLVE_IN_ROOT, or the same walk in user space on kernels without it);
 * with create, missing components are made (0755). Returns an O_RDONLY|O_DIRECTORY
 * descriptor or -errno.
 */
int exec_root_dir(const struct exec_root *r, const char *dir, bool create);
/* The directory that holds path (exec_root_dir of its parent) and *ret_base, the last
 * component (points into path). */
int exec_root_parent(const struct exec_root *r, const char *path, bool create,
		     const char **ret_base);
/*
 * Replaces dirfd/name with len bytes of data atomically: a temporary file beside it,
 * fsync'd, renamed over name, the directory fsync'd. meta (NULL: mode 0644, root's)
 * gives mode, owner and mtime. name is never followed when it is a symlink (the
 * rename replaces the link). Returns 0 or -errno.
 */
int exec_write_at(int dirfd, const char *name, const void *data, size_t len,
		  const struct stat *meta);
/* The same with the bytes read from in_fd to its end. */
int exec_copy_at(int dirfd, const char *name, int in_fd, const struct stat *meta);
/* Reads regular file dirfd/name (not a symlink) of at most max bytes: *ret (heap,
 * NUL-terminated), *ret_len. -ENOENT, -EINVAL (not a regular file), -EFBIG, -errno. */
int exec_read_at(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len);
/* sha256 of regular file dirfd/name (never followed). */
int exec_sha256_at(int dirfd, const char *name, char hex[65]);
/* Appends one line to dirfd/name (created 0644) and fsyncs file and directory. */
int exec_append_at(int dirfd, const char *name, const char *line);
/* fsync of a directory descriptor. */
int exec_fsync_dir(int dirfd);

/* ---- the plan (exec-plan.c) ---- */

struct exec_plan {
	char *host, *decision, *method;
	bool distro_sync;
	size_t n_blocking;
	struct exec_strv erase, install, swap_from, swap_to;   /* package names */
	bool resolved;                  /* the host's transaction has "resolved" */
	struct exec_strv r_erase;       /* NEVRAs */
	struct exec_strv r_install, r_location, r_checksum;   /* parallel: NEVRA, path, "sha256:HEX" */
	struct exec_strv r_from;        /* parallel too: the repository id, "" before 1.4 */
	/* the repositories it was solved against (1.4), parallel: id, repomd.xml's sha256
	 * (hex), revision, path at plan time */
	struct exec_strv r_repo_id, r_repo_sum, r_repo_rev, r_repo_path;
	char *fp_packages, *fp_fingerprint, *fp_database, *fp_aoms;
	int digest;                     /* the entry's "digest": 0 matches, -EBADMSG does
					 * not (an edit), -ENOKEY absent (a plan before 1.2) */
	char *text;                     /* the plan file's bytes, for the journal */
	size_t text_len;
};
/*
 * Reads the plan at path and picks the host entry: want_host when given, else the one
 * whose fingerprint equals fingerprint (of several, the one named root_host, the
 * root's etc/hostname, when not NULL). Returns 0; -EBADMSG (malformed plan, an entry
 * edited by hand), -ESTALE (no entry matches the root), -ENOENT (no such host), -errno;
 * with *reason.
 */
int exec_plan_read(const char *path, const char *want_host, const char *root_host,
		   const char *fingerprint, struct exec_plan *ret, char **reason);
void exec_plan_release(struct exec_plan *p);

/* ---- librpm on the root (exec-rpmdb.c) ---- */

struct exec_rpmdb {
	struct rpmts_s *ts;
	bool pushed;
};
/* A transaction set on root with the root's rpmdb (var/lib/rpm), opened read-write
 * when write. keyring: NULL = empty (never the root's keys). */
int exec_rpmdb_open(const char *root, bool write, struct rpmKeyring_s *keyring,
		    struct exec_rpmdb *ret, char **reason);
void exec_rpmdb_close(struct exec_rpmdb *db);
/* Closes db and opens the root's rpmdb again (same keyring): what a transaction wrote
 * is then read from the database files, not from the handle that wrote it (sqlite on
 * a full disk can lose a commit the handle still shows). */
int exec_rpmdb_reopen(struct exec_rpmdb *db, const char *root, bool write, char **reason);
/* The NEVRAs of the installed packages (of names, when names is not NULL: sorted
 * NEVRAs) whose files are missing or differ from their headers' digests, sorted. */
int exec_rpmdb_damaged(struct exec_rpmdb *db, const struct exec_root *root,
		       const struct exec_strv *nevras, struct exec_strv *ret);
/* Whether the file system of root is (nearly) full; *ret_free: its free bytes. */
bool exec_root_fs_full(const char *root, unsigned long long *ret_free);
/* "name-[epoch:]version-release.arch" of a header; heap string or NULL. */
char *exec_header_nevra(struct headerToken_s *h);
/* Calls fn for each installed package but gpg-pubkey (rpmdb order). */
typedef int (*exec_rpmdb_fn)(struct headerToken_s *h, unsigned offset, const char *nevra, void *ud);
int exec_rpmdb_foreach(struct exec_rpmdb *db, exec_rpmdb_fn fn, void *ud);
/* The installed NEVRAs, sorted by byte order (duplicates kept), and their fingerprint. */
struct exec_installed {
	struct exec_strv nevras;
	char fingerprint[17];
};
int exec_installed_read(struct exec_rpmdb *db, struct exec_installed *ret);
void exec_installed_release(struct exec_installed *i);

/* ---- package files (exec-repo.c) ---- */

struct exec_repo;
struct exec_rpm {
	char *path;           /* absolute or cwd-relative */
	const struct exec_repo *repo;   /* the directory it was read from (its keys) */
	char *nevra, *name, *arch;
	struct headerToken_s *h;
	bool reinstall;       /* installed already: exec_txn_run() reinstalls it */
};
struct exec_repo {
	const char *dir;                  /* borrowed */
	struct exec_rpm *v;               /* sorted by nevra */
	size_t n, cap;
	struct rpmKeyring_s *keyring;     /* the keys found in dir (RPM-GPG-KEY*), maybe empty */
	size_t n_keys;
};
/* Loads dir's keys. Returns 0 or -errno with *reason (a key file that is not a key). */
int exec_repo_init(struct exec_repo *r, const char *dir, char **reason);
/* Reads the headers of every *.rpm below dir (two levels), header digests checked and
 * signatures too when dir has keys. -EBADE for a package that fails. */
int exec_repo_scan(struct exec_repo *r, char **reason);
/* Reads one package file (path relative to dir or absolute) into the repo. */
int exec_repo_add(struct exec_repo *r, const char *path, struct exec_rpm **ret, char **reason);
/* exec_repo_scan of each of v[0..n), then every package moved into v[0] (sorted
 * again): several directories as one set; each package keeps pointing at the repo it
 * came from (its keys), which must outlive them. */
int exec_repo_scan_all(struct exec_repo *v, size_t n, char **reason);
void exec_repo_release(struct exec_repo *r);
/* librpm's whole-package check of path (header and payload digests; signatures when
 * keyring has keys, and then a signature is required). -EBADE with *reason. */
int exec_rpm_verify(const char *path, struct rpmKeyring_s *keyring, size_t n_keys, char **reason);
/* sha256 of a file by path. */
int exec_sha256_path(const char *path, char hex[65]);

/* ---- the transaction (exec-resolve.c, exec-txn.c) ---- */

struct exec_txn {
	struct exec_strv erase;           /* NEVRAs, sorted */
	struct exec_rpm **install;        /* borrowed from a repo, sorted by nevra */
	size_t n_install, cap_install;
};
/* Adds k to the packages to install (once); whether it is there. */
int exec_txn_add(struct exec_txn *t, struct exec_rpm *k);
bool exec_txn_has(const struct exec_txn *t, const struct exec_rpm *k);
/* The repository's newest build of name: want_arch first, then noarch, then (want_arch
 * NULL or noarch) any arch. NULL when it has none. */
struct exec_rpm *exec_repo_best(struct exec_repo *repo, const char *name, const char *want_arch);
/* Fills the unsatisfied Requires of t's packages from repo (exec-closure.c). */
int exec_closure(struct exec_rpmdb *db, struct exec_repo *repo, struct exec_txn *t);
/* t from the plan's resolved transaction, each package read from the repository of
 * repos[0..n) whose repomd.xml is the one the plan names (the first, for a plan before
 * 1.4); else worked out from the packages of every repo (merged into repos[0]).
 * -ENOENT with *reason when a repository the plan names is not among repos. */
int exec_resolve(const struct exec_plan *p, const struct exec_installed *inst,
		 struct exec_rpmdb *db, struct exec_repo *repos, size_t n, struct exec_txn *t,
		 char **reason);
void exec_txn_release(struct exec_txn *t);
/* Whether NEVRA sets after the transaction: inst - erase + install, sorted. */
int exec_txn_final(const struct exec_txn *t, const struct exec_installed *inst, struct exec_strv *ret);
/*
 * Runs erase (NEVRAs) + install (package files) in one librpm transaction on db's
 * root: check and order first; any problem stops it before a change (-ENOEXEC with the
 * problems in *reason). check_only: stop after the check.
 */
int exec_txn_run(struct exec_rpmdb *db, const struct exec_root *root, const struct exec_strv *erase,
		 struct exec_rpm *const *install, size_t n_install, bool check_only,
		 aoms_exec_progress_fn progress, void *ud, char **reason);
/*
 * Removes what an interrupted librpm transaction left of the files it installs in root:
 * librpm writes each file as "PATH;TTTTTTTT" (its transaction id in hex: the second
 * it started) and renames it over PATH; killed in between, the temporary stays, and
 * a transaction started in the same second then fails to create it ("open failed").
 * Looks at the files of the n install elements, each directory read once. Returns
 * the number removed or -errno.
 */
int exec_txn_clear_leftovers(const struct exec_root *root, struct exec_rpm *const *install,
			     size_t n);

/* ---- the space check (exec-space.c) ---- */

/* -ENOSPC with *reason unless each file system of root the transaction writes to has
 * room for t's new files and the rpmdb's log of t (twice: a rollback's too). cache:
 * the erased packages' RPMs, parallel to t->erase (their headers' sizes), or NULL. */
int exec_space_check(const char *root, const struct exec_txn *t, struct exec_rpm *const *cache,
		     char **reason);

/* ---- files apply may change (exec-files.c) ---- */

enum exec_file_kind { EXEC_ABSENT = '-', EXEC_REG = 'f', EXEC_LINK = 'l', EXEC_NODIR = 'd' };
struct exec_file {
	char *path;                 /* root-relative, leading '/' */
	char kind;                  /* enum exec_file_kind; EXEC_NODIR: a directory that did
				     * not exist (removed by rollback when empty) */
	bool config_user;           /* a %config file the user changed */
	unsigned mode, uid, gid;
	long long mtime, mtime_ns;
	char sha256[65];            /* of the content (EXEC_REG) */
	char *link;                 /* EXEC_LINK: the target */
	char *label;                /* EXEC_REG: its SELinux label (security.selinux), or NULL */
};
struct exec_files {
	struct exec_file *v;
	size_t n, cap;
};
/* The watch list of an apply: release and repo files, %config files of the packages
 * the transaction touches (and their .rpmnew/.rpmsave), modified %config files of all
 * installed packages, directories the new packages would create. Sorted by path. */
int exec_files_collect(const struct exec_root *root, struct exec_rpmdb *db,
		       const struct exec_txn *t, struct exec_files *ret, char **reason);
/* Whether a regular file of installed package h other than %config and %ghost files
 * is missing or differs from its header digest (an interrupted transaction). */
bool exec_header_files_changed(const struct exec_root *root, struct headerToken_s *h);
/* Sets the SELinux label e had on dirfd/name (nothing when it had none). */
int exec_file_relabel(int dirfd, const char *name, const struct exec_file *e);
/* Fills e's state from the root now (lstat, sha256, label). */
int exec_file_stat(const struct exec_root *root, struct exec_file *e);
void exec_files_release(struct exec_files *f);
/* One line per entry (docs/journal.md "files") and back. */
char *exec_files_format(const struct exec_files *f);
int exec_files_parse(const char *text, struct exec_files *ret);

/* ---- the journal (journal.c) ---- */

#define EXEC_JOURNAL_DIR "/var/lib/aoms/journal"
#define EXEC_LOCK_DIR "/var/lib/aoms"

struct exec_journal {
	char id[64];
	int dirfd;                  /* the journal's directory */
	int basefd;                 /* var/lib/aoms/journal */
};
/* Creates a new journal directory and makes it current. */
int exec_journal_create(const struct exec_root *r, struct exec_journal *ret, char **reason);
/* Opens the current journal; -ENOENT when there is none. */
int exec_journal_open(const struct exec_root *r, struct exec_journal *ret, char **reason);
void exec_journal_close(struct exec_journal *j);
/* Opens (made first if missing) the journal's subdirectory name ("files.d", "rpms"). */
int exec_journal_subdir(struct exec_journal *j, const char *name);
/* Writes artifact name (atomically, fsync'd). */
int exec_journal_put(struct exec_journal *j, const char *name, const void *data, size_t len);
/* Records step as state ("started", "done"), fsync'd; after "started" the test hook
 * AOMS_TEST_APPLY_KILL_AT=step kills the process. */
int exec_journal_step(struct exec_journal *j, const char *step, const char *state);
/* The manifest: sha256 of every artifact but the step log, written last. */
int exec_journal_seal(struct exec_journal *j);
/* Verifies the manifest; adds a line per damaged artifact to bad. -ENOENT unsealed. */
int exec_journal_verify(struct exec_journal *j, struct exec_strv *bad);
struct exec_journal_state {
	bool started[16], done[16];  /* by index in aoms_apply_steps */
	bool rollback_started, rolled_back, abandoned;
	int last;                    /* index of the last step started, -1 none */
	bool damaged;                /* a step line fails its check */
};
int exec_journal_state(struct exec_journal *j, struct exec_journal_state *ret);
int exec_step_index(const char *step);
/* Records, before it is made, a file a post-step creates ("created", append-only). */
int exec_journal_created(struct exec_journal *j, const char *path);
/* The files recorded so; lines that fail their check are skipped. */
int exec_journal_created_list(struct exec_journal *j, struct exec_strv *ret);

/* ---- the lock (journal.c) ---- */
int exec_lock(const struct exec_root *r, int *ret_fd, char **reason);

/* ---- post-steps (exec-post.c) ---- */

struct exec_post {
	struct exec_strv changes_path, changes_what;
	struct exec_strv notes;
	struct exec_strv created;   /* files a post-step created (rollback removes them) */
};
int exec_post_repo_files(const struct exec_root *root, struct exec_rpmdb *db,
			 struct exec_post *out, char **reason);
int exec_post_config(const struct exec_root *root, int journal_fd, const struct exec_files *f,
		     struct exec_post *out, char **reason);
/* kernels: "VERSION-RELEASE.ARCH" of each kernel the transaction installed. */
int exec_post_bootloader(const struct exec_root *root, const struct exec_strv *kernels,
			 struct exec_journal *j, struct exec_post *out, char **reason);
void exec_post_release(struct exec_post *p);
