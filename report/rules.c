/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"

#define MAN7 "https://man7.org/linux/man-pages/"
#define LD_SO MAN7 "man8/ld.so.8.html"
#define SYMVER "https://maskray.me/blog/2020-11-26-all-about-symbol-versioning"
#define RPM_DEPS "https://rpm-software-management.github.io/rpm/manual/dependencies.html"

/*
 * The rules the built-in scanners emit, in id order. Default severity and inhibitor
 * are what a finding of the rule gets in the common case; a finding keeps its own
 * rating. docs/report-schema.md's table mirrors this one (tests/e2e/test-rules.sh).
 */
static const struct aoms_rule rules_builtin[] = {
	{ "elf.glibc-private", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{subject} uses glibc internals (GLIBC_PRIVATE)",
	  "GLIBC_PRIVATE is the version node glibc gives to symbols meant only for its own "
	  "parts (ld.so, libpthread, libdl, nscd). They carry no compatibility promise: "
	  "they appear, vanish and change meaning between releases and even between two "
	  "distributions' builds of one release. The glibc 2.28 loader of Anolis OS 8 "
	  "checks each GLIBC_PRIVATE symbol like any other, so one that its build does not "
	  "export stops the program at start with \"symbol lookup error\". When this very "
	  "target glibc exports every symbol used, the finding is low and not an inhibitor: "
	  "the object loads today, but any glibc update may break it. Rebuild the object "
	  "against the public glibc API, on the EL8 toolchain.",
	  NULL },
	{ "elf.host-symbols", AOMS_DIM_APPLICATIONS, AOMS_SEV_INFO, false,
	  "{count} symbols of {subject} come from the host: {host_name}",
	  "The object is a plug-in: a Python extension module (it exports PyInit_*), a "
	  "Node.js addon (napi_register_module_v1 or node_register_module_v*) or a JNI "
	  "library (JNI_OnLoad, Java_*). Such objects are loaded into a running process "
	  "that defines the symbols they leave undefined: the interpreter's Py* and _Py* "
	  "API, Node-API, libuv and V8 for Node, JNI_*, JVM_* and jio_* of libjvm.so for "
	  "Java. No library the object needs provides them, and none has to: ld.so binds "
	  "them to the host when the object is loaded. The finding names the host (from "
	  "the wheel's WHEEL tags, the module's file name suffix, the Node module version "
	  "or the prebuilds/ directory) so that the target is known to need it in a "
	  "version this build supports. Undefined symbols the host does not define are "
	  "still reported as elf.symbol-unresolved.",
	  "https://docs.python.org/3/extending/building.html" },
	{ "elf.interpreter-missing", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "Program interpreter {interpreter} does not exist on {target}",
	  "A dynamically linked program names its dynamic loader in PT_INTERP "
	  "(/lib64/ld-linux-x86-64.so.2 on x86_64, /lib/ld-linux-aarch64.so.1 on aarch64). "
	  "The kernel opens that path to start the program; when the target has no such "
	  "file, execve() fails with ENOENT and the shell says \"No such file or "
	  "directory\" about a program that is plainly there. Typical causes are binaries "
	  "built for another C library or layout (musl's /lib/ld-musl-*.so.1), 32-bit "
	  "programs whose glibc.i686 is not installed, and vendor toolchains with a private "
	  "loader path. Install the runtime that provides the interpreter, or relink with "
	  "-Wl,--dynamic-linker pointing at the target's loader (patchelf "
	  "--set-interpreter does it without a rebuild).",
	  MAN7 "man2/execve.2.html" },
	{ "elf.kernel-too-old", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{subject} requires Linux {required_kernel} or later",
	  "The .note.ABI-tag note records the oldest kernel the object's C library was "
	  "configured for (glibc's --enable-kernel). Anolis OS 8 runs kernel 4.18. Its "
	  "glibc 2.28 loader compares that note of every shared library with the running "
	  "kernel and passes over a library asking for a newer one, so it is \"not found\" "
	  "although it is on disk; a program whose C library demands a newer kernel stops "
	  "at start with \"FATAL: kernel too old\". Rebuild with a toolchain whose C "
	  "library targets kernel 4.18 or older (the EL8 toolchain does), or obtain a build "
	  "for EL8.",
	  MAN7 "man5/elf.5.html" },
	{ "elf.loader-feature", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{subject} uses a dynamic loader feature {target} lacks ({feature})",
	  "Newer linkers can emit dynamic-section features that an older loader does not "
	  "understand. DT_RELR (ld -z pack-relative-relocs, lld --pack-dyn-relocs=relr) "
	  "packs relative relocations into a bitmap; glibc applies it from 2.36 on. The "
	  "glibc 2.28 loader of Anolis OS 8 ignores the unknown tag, leaves those "
	  "relocations unapplied and the program crashes on its first use of a pointer "
	  "that was never relocated; when the linker also recorded the GLIBC_ABI_DT_RELR "
	  "version (GNU ld does whenever it links against glibc 2.36 or later), the loader "
	  "refuses the object at start: \"version `GLIBC_ABI_DT_RELR' not found\". Either "
	  "way there is one finding per object, this one; the version node is not "
	  "reported again as elf.version-node-missing. Relink without "
	  "-z pack-relative-relocs, or build on the EL8 toolchain.",
	  "https://sourceware.org/git/?p=glibc.git;a=commit;h=57292f574156f817b7cbeb33ea6278c6eab22bcc" },
	{ "elf.machine-unknown", AOMS_DIM_APPLICATIONS, AOMS_SEV_MEDIUM, false,
	  "No {machine} facts in the target database",
	  "The object is built for an architecture that Anolis OS 8 ships, but the "
	  "database in use holds no library facts for it, so its libraries, symbol "
	  "versions and loader were not checked. This is no verdict on the object, only a "
	  "gap in what aoms knows. Build a database for that architecture with 'aoms db "
	  "build --root' from an Anolis OS 8 root of it (and --rpms from its repositories) "
	  "and scan again with --db.",
	  NULL },
	{ "elf.machine-unsupported", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{subject} is built for {machine}",
	  "The ELF header's machine and class name a processor the target does not run "
	  "(SPARC, POWER, s390x, 32-bit ARM, ...). The kernel refuses to execute such a "
	  "program (\"Exec format error\") and the loader refuses such a library (\"wrong "
	  "ELF class\" or \"cannot open shared object file\"); no library or package on "
	  "the target changes that. Obtain a build for one of the target's architectures "
	  "(x86_64 or aarch64), or remove the file if it is a leftover of a port the host "
	  "never ran. An architecture the target runs but the migrated hosts do not (not "
	  "named by 'aoms scan --arch', default x86_64) is reported so too when the tree "
	  "holds no build of the file for the migrated hosts; with such a build beside it, "
	  "the file is elf.other-platform.",
	  MAN7 "man5/elf.5.html" },
	{ "elf.malformed", AOMS_DIM_APPLICATIONS, AOMS_SEV_MEDIUM, false,
	  "{subject} is a damaged ELF file",
	  "The file starts with the ELF magic, but its headers, sections or dynamic data "
	  "cannot be read within the file's bounds: a truncated download or copy, a "
	  "corrupted disk, or data that only looks like an object. The loader rejects it "
	  "(\"file too short\", \"invalid ELF header\") on any system, the source host "
	  "included, so it is probably unused or already broken. Replace it with an intact "
	  "copy from its vendor or package, or waive the finding when the file is data.",
	  MAN7 "man5/elf.5.html" },
	{ "elf.needed-host", AOMS_DIM_APPLICATIONS, AOMS_SEV_INFO, false,
	  "{subject} needs {soname} from the host: the Java virtual machine",
	  "The object lists libjvm.so in DT_NEEDED, but no directory on its RPATH or "
	  "RUNPATH holds it. It is a library of a JDK's lib/ directory (the JDK, "
	  "recognized by its release file or bin/java, holds lib/server/libjvm.so) or a "
	  "JNI library. Either is loaded by a Java virtual machine: the java launcher "
	  "opens lib/server/libjvm.so by its path before anything else, and the loader "
	  "then finds the soname libjvm.so already loaded, so the need is met. Nothing to "
	  "do unless the library is used outside a JVM.",
	  "https://docs.oracle.com/en/java/javase/17/docs/specs/jni/invocation.html" },
	{ "elf.needed-missing", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{subject} needs {soname}, which {target} does not have",
	  "Each DT_NEEDED entry names a shared library by soname. The loader looks for it "
	  "in DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache and the default "
	  "directories (/lib64, /usr/lib64); when no file of that name is found, the "
	  "program does not start: \"error while loading shared libraries: ...: cannot "
	  "open shared object file\". This library is neither in the scanned tree where "
	  "the loader would find it nor shipped by the target, often because EL8 dropped "
	  "or renamed it (libcrypto.so.10 became libcrypto.so.1.1; compat-openssl10 keeps "
	  "the old one). Install the compat package the remediation names, bundle the "
	  "library with the application and point RUNPATH at it ($ORIGIN), or rebuild "
	  "against a library the target ships.",
	  LD_SO },
	{ "elf.needed-not-installed", AOMS_DIM_APPLICATIONS, AOMS_SEV_MEDIUM, false,
	  "{subject} needs {soname}: install {package}",
	  "The library, or the version of it, that the object needs is not part of the "
	  "target's default installation, but a package of the target's repositories "
	  "provides it. Until that package is installed the program fails to start like "
	  "one whose library is missing; once it is, the program loads. Add the package to "
	  "the migration (the remediation gives the dnf command). Telling this apart from "
	  "a missing library needs a database built with 'aoms db build --rpms' from the "
	  "target's repositories.",
	  "https://dnf.readthedocs.io/en/latest/command_ref.html" },
	{ "elf.needed-off-path", AOMS_DIM_APPLICATIONS, AOMS_SEV_LOW, false,
	  "{subject} finds {soname} only through LD_LIBRARY_PATH",
	  "The library is in the scanned tree, but not in a directory the loader searches "
	  "for this object: not on its DT_RPATH or DT_RUNPATH (with $ORIGIN expanded) and "
	  "not shipped by the target. It loads today only because something adds its "
	  "directory: LD_LIBRARY_PATH set by a wrapper script or unit file, or an "
	  "/etc/ld.so.conf.d entry. Those live outside the application and are easily "
	  "lost in a migration. Carry them over, or better make the object find the "
	  "library by itself: an $ORIGIN-relative RUNPATH (patchelf --set-rpath).",
	  LD_SO },
	{ "elf.needed-unknown", AOMS_DIM_APPLICATIONS, AOMS_SEV_MEDIUM, false,
	  "{subject} needs {soname}, unknown to the target database",
	  "The soname is not in the scanned tree, and the target database covers only part "
	  "of the target (the embedded default holds public facts about the libraries "
	  "applications commonly use), so whether Anolis OS 8 ships it is not known: "
	  "absence from a partial database is no verdict. Build a complete database with "
	  "'aoms db build --root' from an Anolis OS 8 root (and --rpms from its "
	  "repositories) and scan again with --db, or bundle the library with the "
	  "application.",
	  NULL },
	{ "elf.other-platform", AOMS_DIM_APPLICATIONS, AOMS_SEV_INFO, false,
	  "{subject} is not for this platform",
	  "Applications often carry builds for several platforms side by side: Node "
	  "prebuilds (prebuilds/linux-x64/, prebuilds/linux-arm64/), napi-rs and esbuild "
	  "packages per platform, Python extension modules for several machines, musl "
	  "builds next to glibc ones. The hosts being migrated run the architectures "
	  "given with 'aoms scan --arch' (by default x86_64) with glibc, and load the "
	  "build for their platform; this file is one for another machine or C library, "
	  "and the scanned tree holds its twin for this platform (the same path with the "
	  "platform words changed). It is never loaded on the migrated hosts, so it was "
	  "not checked. A build for another platform with no such twin is the only build "
	  "the application has and stays a finding (elf.machine-unsupported, "
	  "elf.interpreter-missing). Scan with --arch for each architecture whose hosts "
	  "are migrated.",
	  "https://github.com/prebuild/prebuildify" },
	{ "elf.symbol-missing", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{symbol}@{version} is not exported by {soname}",
	  "The object binds a symbol at a version node (memcpy@GLIBC_2.14) that the "
	  "library it would load defines, but that library has no such symbol in that "
	  "node, usually because a build of the same soname dropped or configured it out. "
	  "The loader resolves it when it is bound (at start for data and BIND_NOW "
	  "objects, otherwise at the first call) and the program dies with \"symbol lookup "
	  "error: undefined symbol\". A weak reference resolves to NULL instead (low "
	  "severity), which is harmless only when the code checks for it. Rebuild against "
	  "the library the target ships, or bundle one that exports the symbol.",
	  SYMVER },
	{ "elf.symbol-unresolved", AOMS_DIM_APPLICATIONS, AOMS_SEV_MEDIUM, false,
	  "{subject} has {count} undefined symbols no needed library provides",
	  "Unversioned, undefined, non-weak symbols that none of the libraries in the "
	  "object's dependency closure on the target defines. An executable linked with "
	  "BIND_NOW (-z now, usual in hardened builds) has them all resolved at start and "
	  "does not run (high, an inhibitor); with lazy binding it starts and aborts at "
	  "the first call (medium). A shared library's undefined symbols may come from "
	  "the program that loads it, as plug-ins' do, so for libraries this is a hint "
	  "(low). The usual cause is a library that used to define them being replaced, or "
	  "a DT_NEEDED that was never recorded because the build relied on another "
	  "library pulling it in. Add the defining library to DT_NEEDED, or bundle it.",
	  LD_SO },
	{ "elf.version-node-missing", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{soname} lacks version {version} needed by {subject}",
	  "With GNU symbol versioning an object lists, per library, the version nodes it "
	  "needs (GLIBC_2.34 from libc.so.6, CXXABI_1.3.13 from libstdc++.so.6). Before "
	  "running anything the loader checks each against the versions the library "
	  "defines, and a missing one is fatal: \"version `GLIBC_2.34' not found "
	  "(required by ...)\". Anolis OS 8 ships glibc 2.28 and GCC 8's libstdc++, so "
	  "binaries built on newer systems usually need nodes it lacks; glibc is backward "
	  "compatible, never forward. A weak version reference only draws a warning "
	  "(medium). Rebuild on the EL8 toolchain or an older one (gcc-toolset gives a "
	  "newer compiler that still links against the system glibc), or bundle a library "
	  "that defines the node, which is impossible for glibc itself.",
	  SYMVER },
	{ "rpm.malformed", AOMS_DIM_PACKAGES, AOMS_SEV_MEDIUM, false,
	  "{subject} is a damaged RPM",
	  "The file has an RPM lead, but its signature, header or payload cannot be read: "
	  "a truncated download, a corrupted mirror, a header or payload digest that does "
	  "not match, a header tag of the wrong type or count, a payload compression this "
	  "librpm does not know, or a package that crashes or stalls librpm (read in a "
	  "child process, so only this package is lost). rpm and dnf refuse it on the "
	  "target too, so nothing in it was judged. Download the package again and check "
	  "it with 'rpm -K'.",
	  MAN7 "man8/rpm.8.html" },
	{ "rpm.requires-missing", AOMS_DIM_PACKAGES, AOMS_SEV_HIGH, true,
	  "{package} requires {requirement}, which {target} does not provide",
	  "A Requires of the package is satisfied by nothing the target installs or its "
	  "repositories offer: no package provides the capability, a provider exists only "
	  "at a version outside the range asked for, or a soname(VERSION)(64bit) "
	  "dependency names a symbol version the target's library lacks. dnf refuses to "
	  "install or upgrade the package on Anolis OS 8, and an in-place upgrade stops "
	  "on it. Obtain a build of the package for EL8, or provide the capability from "
	  "another package (a compat package, or a rebuilt one).",
	  RPM_DEPS },
	{ "rpm.requires-unknown", AOMS_DIM_PACKAGES, AOMS_SEV_LOW, false,
	  "{package} requires {requirement}, unknown to the target database",
	  "A Requires of the package names a capability (usually a soname) that the "
	  "target database does not know, and the database covers only part of the "
	  "target, so whether dnf can satisfy it there is not known. Build a complete "
	  "database with 'aoms db build --root' (and --rpms for the repositories) from the "
	  "target and scan again with --db.",
	  RPM_DEPS },
	{ "scan.file-skipped", AOMS_DIM_APPLICATIONS, AOMS_SEV_INFO, false,
	  "{subject} skipped: {reason}",
	  "The walk met a FIFO, a device node or a socket. aoms never opens those: opening "
	  "a FIFO can block, and opening a device can have side effects. Nothing in them "
	  "can be judged. Such files are created at run time by the software or its "
	  "packaging, so they are recreated on the target rather than migrated.",
	  NULL },
	{ "scan.not-judged", AOMS_DIM_APPLICATIONS, AOMS_SEV_INFO, false,
	  "{subject} is not judged: {reason}",
	  "The file looks like a binary one would expect to be judged (a relocatable ET_REL "
	  "object, a .ko kernel module, an EM_BPF object), but no scanner of this aoms "
	  "claims it yet. It is reported so that silence is never taken for a clean bill: "
	  "nothing is known about it. A kernel module loads only when the symbols and CRCs "
	  "it imports match the target's 4.18 kernel (kABI); a BPF object needs the "
	  "target kernel's program types, helpers and BTF; object files are relinked on "
	  "the target. Check such files by other means until aoms has a scanner for them, "
	  "or waive the finding.",
	  NULL },
	{ "syscall.missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, false,
	  "{subject} uses syscall {syscall}, which the {kernel} kernel lacks",
	  "The object's own code makes a system call (a syscall or svc #0 instruction whose "
	  "number was recovered, a call to syscall() or to a Go syscall stub with a constant "
	  "number, or a C library wrapper it imports) that the target kernel's syscall "
	  "table does not have. The table is the target's own (RHEL 8 / Anolis 8 RHCK 4.18 "
	  "carries many later syscalls as backports: io_uring, the new mount API, "
	  "close_range, openat2, faccessat2, but not pidfd_open or clone3), never a "
	  "comparison of version numbers. The kernel answers ENOSYS. Where the runtime "
	  "that makes the call is known to fall back (glibc's statx emulation, Go's pidfd "
	  "check, ...), the finding is low and says so; otherwise the feature that needs "
	  "the call fails when it is used. The finding names the upstream release that "
	  "added the syscall and the shipped kernel tables that have it (e.g. ANCK). "
	  "Rebuild with a fallback, choose a kernel that has the syscall (aoms scan "
	  "--kernel), or confirm the code path is never taken and waive the finding.",
	  MAN7 "man2/syscalls.2.html" },
	{ "syscall.not-decoded", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false,
	  "The syscalls of {subject} were not looked for",
	  "The object is statically linked, so its syscalls are made by its own code, but "
	  "this aoms was built without the capstone disassembler (HAVE_CAPSTONE): only "
	  "wrapper imports are mapped to syscalls. Build aoms with capstone (libcapstone-dev, "
	  "capstone-devel) to judge the object's syscalls.",
	  NULL },
	{ "syscall.scan-partial", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false,
	  "The code of {subject} was decoded only in part",
	  "Finding syscall sites is bounded per object (50 million instructions or 5 "
	  "seconds). This object reached the bound, so syscalls made by the code after "
	  "that point are not known. The syscalls found are judged as usual.",
	  NULL },
	{ "syscall.unresolved", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false,
	  "{count} syscall sites of {subject} have no recovered number",
	  "At these sites (syscall / svc #0 instructions, calls to syscall() or to Go's "
	  "syscall stubs) the number is not loaded by an immediate in the straight-line code "
	  "before the site, so it comes from elsewhere (an argument, a table, memory). "
	  "The syscalls they make are unknown: one finding per object, with the count. "
	  "Trace the program on a test system (strace -f -c) to see them.",
	  NULL },
};

/* builtin_sorted[] points into rules_builtin[] in id order (rules_init(), once);
 * registered[] holds the plug-ins' rules in id order, under rules_lock. */
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static const struct aoms_rule *builtin_sorted[ARRAY_SIZE(rules_builtin)];
static pthread_rwlock_t rules_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct aoms_rule **registered;
static size_t n_registered;

static int rules_cmp(const void *a, const void *b)
{
	const struct aoms_rule *ra = *(const struct aoms_rule *const *)a;
	const struct aoms_rule *rb = *(const struct aoms_rule *const *)b;

	return strcmp(ra->id, rb->id);
}

static void rules_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules_builtin); i++)
		builtin_sorted[i] = &rules_builtin[i];
	qsort(builtin_sorted, ARRAY_SIZE(builtin_sorted), sizeof(*builtin_sorted), rules_cmp);
}

/* Binary search of a sorted array: the index of id, or where it would go. */
static size_t rules_pos(const struct aoms_rule *const *v, size_t n, const char *id, bool *found)
{
	size_t lo = 0, hi = n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid]->id, id);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Called with rules_lock held (read or write). */
static const struct aoms_rule *rules_find_locked(const char *id)
{
	bool found;
	size_t i = rules_pos(builtin_sorted, ARRAY_SIZE(builtin_sorted), id, &found);

	if (found)
		return builtin_sorted[i];
	i = rules_pos(registered, n_registered, id, &found);
	return found ? registered[i] : NULL;
}

const struct aoms_rule *aoms_rule_find(const char *id)
{
	const struct aoms_rule *r;

	if (!id)
		return NULL;
	pthread_once(&rules_once, rules_init);
	pthread_rwlock_rdlock(&rules_lock);
	r = rules_find_locked(id);
	pthread_rwlock_unlock(&rules_lock);
	return r;
}

size_t aoms_rules_count(void)
{
	size_t n;

	pthread_rwlock_rdlock(&rules_lock);
	n = ARRAY_SIZE(rules_builtin) + n_registered;
	pthread_rwlock_unlock(&rules_lock);
	return n;
}

/* The i-th of the merge of the two sorted arrays. */
const struct aoms_rule *aoms_rule_at(size_t i)
{
	const struct aoms_rule *r = NULL;
	size_t b = 0, g = 0, nb = ARRAY_SIZE(builtin_sorted);

	pthread_once(&rules_once, rules_init);
	pthread_rwlock_rdlock(&rules_lock);
	if (i < nb + n_registered) {
		for (;;) {
			bool take_b = g >= n_registered ||
				      (b < nb && strcmp(builtin_sorted[b]->id, registered[g]->id) < 0);

			r = take_b ? builtin_sorted[b++] : registered[g++];
			if (b + g > i)
				break;
		}
	}
	pthread_rwlock_unlock(&rules_lock);
	return r;
}

static bool rule_valid(const struct aoms_rule *r)
{
	return r->id && *r->id && strchr(r->id, '.') && r->title && *r->title && r->doc &&
	       *r->doc && r->dimension >= AOMS_DIM_HARDWARE &&
	       r->dimension <= AOMS_DIM_CONFIGURATION && r->severity >= AOMS_SEV_INFO &&
	       r->severity <= AOMS_SEV_HIGH;
}

/* Called with the write lock held: inserts each of rules (checked, not present). */
static int rules_insert_locked(const struct aoms_rule *rules, size_t n)
{
	const struct aoms_rule **v = realloc(registered, (n_registered + n) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	registered = v;
	for (size_t k = 0; k < n; k++) {
		bool found;
		size_t pos = rules_pos(registered, n_registered, rules[k].id, &found);

		memmove(&registered[pos + 1], &registered[pos],
			(n_registered - pos) * sizeof(*registered));
		registered[pos] = &rules[k];
		n_registered++;
	}
	return 0;
}

int aoms_rules_register(const struct aoms_rule *rules, size_t n)
{
	int ret = 0;

	if (n > 0 && !rules)
		return -EINVAL;
	for (size_t k = 0; k < n; k++) {
		if (!rule_valid(&rules[k]))
			return -EINVAL;
		for (size_t j = 0; j < k; j++)
			if (strcmp(rules[j].id, rules[k].id) == 0)
				return -EEXIST;
	}
	pthread_once(&rules_once, rules_init);
	pthread_rwlock_wrlock(&rules_lock);
	for (size_t k = 0; k < n && ret == 0; k++)
		if (rules_find_locked(rules[k].id))
			ret = -EEXIST;
	if (ret == 0 && n > 0)
		ret = rules_insert_locked(rules, n);
	pthread_rwlock_unlock(&rules_lock);
	return ret;
}
