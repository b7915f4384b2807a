/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rule catalogue's content: every rule the built-in scanners, the assessment and
 * the planner emit. rules.c owns the lookup and the plug-ins' registration. */
#include "aoms-macro.h"
#include "rules-private.h"

#define MAN7 "https://man7.org/linux/man-pages/"
#define LD_SO MAN7 "man8/ld.so.8.html"
#define SYMVER "https://maskray.me/blog/2020-11-26-all-about-symbol-versioning"
#define KMOD_C "https://github.com/torvalds/linux/blob/v4.18/kernel/module.c"
#define RPM_DEPS "https://rpm-software-management.github.io/rpm/manual/dependencies.html"

/*
 * The rules the built-in scanners emit, in id order. Default severity and inhibitor
 * are what a finding of the rule gets in the common case; a finding keeps its own
 * rating. docs/report-schema.md's table mirrors this one (tests/e2e/test-rules.sh).
 */
const struct aoms_rule aoms_rules_builtin[] = {
	{ "assess.arch-unsupported", AOMS_DIM_PACKAGES, AOMS_SEV_HIGH, true,
	  "{subject}: Anolis OS 8 has no build for this architecture",
	  "Anolis OS 8 ships x86_64 and aarch64. A system of another architecture (the installed packages' arch decides: ppc64le, s390x, i686) has no target to migrate to. Reinstall on a supported machine and move the applications.",
	  NULL },
	{ "assess.boot-loader", AOMS_DIM_CONFIGURATION, AOMS_SEV_INFO, false,
	  "{subject}: the boot loader the upgrade has to carry",
	  "GRUB 2 boots the host, the way its configuration file says: boot/grub2/grub.cfg for BIOS, boot/efi/EFI/VENDOR/grub.cfg for UEFI. The upgrade installs EL8's grub2 and writes Boot Loader Specification entries (boot/loader/entries/*.conf, managed with grubby); a configuration without them is converted at the upgrade (Leapp's grub-to-BLS step). The finding records the firmware, the configuration file and whether BLS entries exist; custom menu entries in grub.cfg are not carried over by grubby and must be re-created.",
	  "https://uapi-group.org/specifications/specs/boot_loader_specification/" },
	{ "assess.boot-loader-legacy", AOMS_DIM_CONFIGURATION, AOMS_SEV_HIGH, true,
	  "{subject}: the host boots with a boot loader EL8 cannot upgrade",
	  "The host has no GRUB 2 configuration (boot/grub2/grub.cfg or boot/efi/EFI/*/grub.cfg) but a legacy GRUB (boot/grub/grub.conf, menu.lst) or extlinux/syslinux one. EL8 ships only GRUB 2 and its kernels install through grubby into GRUB 2 and BLS entries: the upgraded system would not boot its new kernel. Convert the host to GRUB 2 (grub2-install, grub2-mkconfig) and assess again.",
	  NULL },
	{ "assess.disk-space", AOMS_DIM_CONFIGURATION, AOMS_SEV_HIGH, true,
	  "{subject} has too little free space for the upgrade",
	  "The upgrade downloads and installs a new system: /boot needs room for a new kernel and initramfs (100 MiB), /var for the package cache and the upgrade environment (2 GiB), /usr for the new packages (1 GiB). The assessment measures each with statvfs on the root. Free space or grow the filesystem, then assess again.",
	  NULL },
	{ "assess.driver-removed", AOMS_DIM_HARDWARE, AOMS_SEV_HIGH, true,
	  "{subject}: a driver the host uses is gone from the target kernel",
	  "The host uses a kernel module that the target kernel's module list (modules.dep and modules.builtin in the database, table kernel_module) does not have: EL8 removed many drivers of old hardware (RHEL 8 \"removed adapters\"). Used means loaded (a live root's /proc/modules), configured to load (etc/modules-load.d, an alias in etc/modprobe.d) or, with less certainty, shipped in the source kernel's own tree under kernel/drivers/ (the running or newest kernel of lib/modules). Hardware it drives stops working after the migration; a storage or network driver that is loaded or configured blocks the migration (the host may not boot or be reachable), other cases are rated medium or low with confidence likely or possible (a driver only shipped in the tree is info on a live system, whose loaded list is the truth). Check with lspci -k whether such a device exists, and get a driver for the EL8 kernel (vendor kmod, ELRepo, driver update disk) first. Judged only when the database knows the target kernel's module list (else assess.kernel-modules-unknown).",
	  "https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/8/html/considerations_in_adopting_rhel_8/hardware-enablement_considerations-in-adopting-rhel-8" },
	{ "assess.fstab-btrfs", AOMS_DIM_CONFIGURATION, AOMS_SEV_HIGH, true,
	  "{subject} mounts a btrfs filesystem",
	  "EL8 removed btrfs: its kernel cannot mount it, so a host that mounts btrfs in /etc/fstab does not boot its data after the upgrade (Leapp inhibits the same way). Move the data to XFS or ext4 first.",
	  NULL },
	{ "assess.iptables", AOMS_DIM_CONFIGURATION, AOMS_SEV_MEDIUM, false,
	  "{subject}: iptables rules move to the nftables backend",
	  "The host runs the iptables service (iptables-services enabled, or saved rules in etc/sysconfig/iptables or ip6tables). EL8's iptables is iptables-nft: the same commands program nftables, and firewalld's default backend is nftables. Most rules carry over, but modules and targets nftables lacks fail to load, and rules mixed with direct nft or ebtables use interact differently. Translate and check the rules (iptables-restore-translate -f /etc/sysconfig/iptables), or move them to firewalld or nftables, before the cut-over.",
	  "https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/8/html/securing_networks/getting-started-with-nftables_securing-networks" },
	{ "assess.kernel-modules-unknown", AOMS_DIM_HARDWARE, AOMS_SEV_INFO, false,
	  "{subject}: the target kernel's module list is unknown",
	  "The host uses drivers (loaded, configured, or in its kernel's tree), but the database has no module list (table kernel_module, schema 2.3) for the target kernel, so whether EL8 still has them is not known: absence proves nothing. Build a database from the target kernel (aoms db build --kernel /lib/modules/RELEASE, or --root of an Anolis OS 8 root) and assess with --db, or choose a kernel the database knows with --kernel.",
	  NULL },
	{ "assess.kmod-dkms", AOMS_DIM_HARDWARE, AOMS_SEV_LOW, false,
	  "{subject} is a DKMS module",
	  "A DKMS tree (var/lib/dkms/NAME/VERSION) holds a module's source (dkms.conf and the source under /usr/src/NAME-VERSION) and its builds per kernel. DKMS rebuilds it on the target for the EL8 kernel at the first boot, if its source builds against the EL8 kernel headers (kernel-devel) and dkms itself is installed: its built modules are scanned (kABI and exports of the EL7 build tell how far the source is from EL8). Build it against EL8 kernel-devel before the migration (dkms build -m NAME -v VERSION -k RELEASE). Without a dkms.conf DKMS cannot rebuild it (medium).",
	  "https://github.com/dell/dkms" },
	{ "assess.kmod-loaded-tainted", AOMS_DIM_HARDWARE, AOMS_SEV_MEDIUM, false,
	  "{subject}: a loaded module is out-of-tree or unsigned",
	  "On the live system, /proc/modules shows the module's taint flags: O, an out-of-tree module (not built with the kernel), E, an unsigned module on a kernel that checks signatures. Such a module comes from a third party or a local build and is not in any EL8 package: the running system depends on it. Find its package (modinfo -n NAME, rpm -qf) and get a build for the EL8 kernel; its file, if installed under lib/modules, is scanned too.",
	  "https://docs.kernel.org/admin-guide/tainted-kernels.html" },
	{ "assess.kmod-out-of-tree", AOMS_DIM_HARDWARE, AOMS_SEV_LOW, false,
	  "{subject} is an out-of-tree kernel module",
	  "A module installed under lib/modules/RELEASE/extra, updates or weak-updates: not part of the kernel package (a kmod package, a driver update, a DKMS build, or a weak-updates link to a kABI-compatible build of another kernel). It was built for the source kernel; the scan judges it against the target kernel's exports, CRCs and kABI stablelist (kmod.* findings). It needs a build for the EL8 kernel.",
	  NULL },
	{ "assess.minor-too-old", AOMS_DIM_PACKAGES, AOMS_SEV_HIGH, true,
	  "{subject}: the source is older than its migration path starts from",
	  "The CentOS 7 to Anolis OS 8 upgrade (Leapp) starts from the last minor release, 7.9: its package evolution data and upgrade paths assume it. Update the system (yum update), reboot, and assess again.",
	  NULL },
	{ "assess.network-scripts", AOMS_DIM_CONFIGURATION, AOMS_SEV_LOW, false,
	  "{subject}: the legacy network service is configured",
	  "EL8 deprecates the network-scripts (ifup/ifdown) service: NetworkManager reads the ifcfg files. Scripts that call ifup or ifdown need the network-scripts package on EL8.",
	  NULL },
	{ "assess.not-el", AOMS_DIM_PACKAGES, AOMS_SEV_HIGH, true,
	  "{subject}: not an Enterprise Linux system",
	  "The root has no os-release of an EL distribution (or none at all), so there is no migration path to Anolis OS 8: reinstall and move the applications.",
	  NULL },
	{ "assess.ntpd", AOMS_DIM_CONFIGURATION, AOMS_SEV_MEDIUM, false,
	  "{subject}: ntpd is configured",
	  "EL8 has no ntpd; chrony keeps time. The configuration must be converted (ntp2chrony, as Leapp does) or time goes unsynchronised after the upgrade.",
	  NULL },
	{ "assess.package-deprecated", AOMS_DIM_PACKAGES, AOMS_SEV_LOW, false,
	  "{subject} is deprecated on Anolis OS 8",
	  "The package evolution data (Leapp PES) marks the package deprecated: EL8 still ships it, a later major release may not. Plan its replacement.",
	  NULL },
	{ "assess.package-removed", AOMS_DIM_PACKAGES, AOMS_SEV_MEDIUM, false,
	  "{subject} is removed by the upgrade",
	  "The package evolution data (Leapp PES, shipped from AlmaLinux leapp-data) has a REMOVED event for this installed package: EL8 has no successor, and the upgrade erases it. The plan lists it under erase. Find a replacement or carry the function another way.",
	  NULL },
	{ "assess.package-replaced", AOMS_DIM_PACKAGES, AOMS_SEV_INFO, false,
	  "{subject} becomes another package on Anolis OS 8",
	  "A PES event replaces, splits, merges or renames this installed package: the upgrade swaps it for the out-packages the finding lists (swap-package and install-package actions, which the plan's transaction carries).",
	  NULL },
	{ "assess.module-stream", AOMS_DIM_PACKAGES, AOMS_SEV_INFO, false,
	  "module stream {subject} is enabled on Anolis OS 8",
	  "Package evolution events (a --mapping file's modulestream_maps and the packages' module streams) map installed packages to packages of this module stream of the target. dnf installs a modular package only from an enabled stream, so the migration enables it first: the enable-module-stream action (dnf module enable NAME:STREAM), which the plan runs before the upgrade or the distro-sync. The evidence lists the packages that come from the stream and the streams the host had them from (the ModularityLabel of EL8 rpm headers).",
	  NULL },
	{ "assess.package-third-party", AOMS_DIM_PACKAGES, AOMS_SEV_LOW, false,
	  "{subject} is a third-party package",
	  "The package's Vendor is not the source distribution's: no package evolution data covers it and no target repository rebuilds it. Its files are scanned with every scanner; findings on them say what breaks. Ask the vendor for an EL8 build.",
	  NULL },
	{ "assess.release-swap", AOMS_DIM_PACKAGES, AOMS_SEV_INFO, false,
	  "{subject} is swapped for the Anolis package",
	  "The 8 to 8 migration (the centos2anolis way) replaces the source's release, repository, key and branding packages with Anolis OS 8's, then distro-syncs every package to the Anolis build. The swap-package action carries the pair.",
	  NULL },
	{ "assess.repo-third-party", AOMS_DIM_CONFIGURATION, AOMS_SEV_MEDIUM, false,
	  "{subject} is a third-party repository",
	  "A repository file of neither the source distribution nor EPEL: the upgrade does not use it, and its packages stay at their EL7 builds unless the site provides EL8 ones. Provide an EL8 repository of the same software, or disable it.",
	  NULL },
	{ "assess.selinux-enforcing", AOMS_DIM_CONFIGURATION, AOMS_SEV_LOW, false,
	  "{subject}: SELinux is enforcing",
	  "The upgrade runs with SELinux permissive and relabels the filesystem at the first boot; third-party policy modules need EL8 builds.",
	  NULL },
	{ "assess.source", AOMS_DIM_PACKAGES, AOMS_SEV_INFO, false,
	  "{subject}: the source system and its path to Anolis OS 8",
	  "Which system the root is (os-release, *-release) and the supported way from it to Anolis OS 8: 7 to 8 the Leapp way (package evolution events), 8 to 8 the centos2anolis way (release swap, then distro-sync); Anolis OS 8 itself needs nothing.",
	  NULL },
	{ "assess.source-unsupported", AOMS_DIM_PACKAGES, AOMS_SEV_HIGH, true,
	  "{subject}: no migration path from this release",
	  "An EL release aoms has no path from (for example EL6, or a distribution's release outside the table of supported sources). Reinstall or upgrade in steps.",
	  NULL },
	{ "bpf.core-btf-unknown", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false,
	  "CO-RE relocations were not checked against {target}'s kernel types",
	  "Once per scan: objects carry CO-RE relocations, but the database holds no BTF "
	  "(vmlinux type information) of the target kernel, so the types and fields they "
	  "relocate were not looked up (bpf.core-type-missing and the like are not said). "
	  "The finding sits on the first such object in path order and counts them all. "
	  "The embedded default database has no EL8 BTF; aoms db build --kernel records a "
	  "kernel's BTF from a live root's /sys/kernel/btf/vmlinux, a vmlinux's .BTF "
	  "section or --btf FILE.",
	  NULL },
	{ "bpf.core-enumval-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} relocates an enum value the target kernel's BTF lacks",
	  "A CO-RE relocation of the object (bpf_core_enum_value(), "
	  "bpf_core_enum_value_exists()) names an enumerator that no enum of the same name "
	  "(flavor suffix ___X dropped) has in the target kernel's BTF in the database. "
	  "Reading the value fails to relocate and the program fails to load when the "
	  "verifier reaches it: high, of likely confidence, an inhibitor. When every use is guarded by "
	  "an existence check in the same program the finding is low; when the object only "
	  "checks existence it is info: the program copes.",
	  "https://nakryiko.com/posts/bpf-core-reference-guide/" },
	{ "bpf.core-field-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} relocates a field the target kernel's BTF lacks",
	  "A CO-RE relocation of the object (BPF_CORE_READ(), __builtin_preserve_access_index) "
	  "reads a field path that no struct or union of the same name (flavor suffix ___X "
	  "dropped, as libbpf's candidate search) has in the target kernel's BTF in the "
	  "database; anonymous members are searched through. libbpf poisons the access "
	  "and the program fails to load when the verifier reaches it: high, of likely "
	  "confidence (the access may be dead code), an inhibitor. Every access guarded by "
	  "bpf_core_field_exists() in the same program: low; only existence checks: info. "
	  "Evidence: the program sections, the type, the field path and the first missing "
	  "member. A field present with another type is not judged (libbpf checks that "
	  "at load time).",
	  "https://nakryiko.com/posts/bpf-core-reference-guide/" },
	{ "assess.unit-exec-missing", AOMS_DIM_CONFIGURATION, AOMS_SEV_MEDIUM, false,
	  "{subject}: an enabled service runs a program that is not there",
	  "An enabled systemd unit (a link in etc/systemd/system/*.wants/) has an ExecStart=, ExecStartPre= or ExecStartPost= whose program does not exist in the root (its path resolved inside the root, drop-ins in NAME.service.d/*.conf applied). The service already fails on the source, or depends on a file mounted later; after the migration it fails the same way. Remove or fix the unit, or make sure the program is carried over.",
	  "https://www.freedesktop.org/software/systemd/man/systemd.service.html#ExecStart=" },
	{ "bpf.core-no-btf", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} needs kernel BTF for CO-RE, which {target} lacks",
	  "The object carries CO-RE relocations (.BTF.ext): field offsets and type sizes "
	  "that libbpf fixes up at load time from the running kernel's own type information, "
	  "/sys/kernel/btf/vmlinux, which a kernel built with CONFIG_DEBUG_INFO_BTF=y "
	  "provides. Without it libbpf stops with \"failed to find valid kernel BTF\". The "
	  "target kernel's config in the database decides: not enabled is high and an "
	  "inhibitor; a kernel whose config the database does not hold gives a medium "
	  "finding of possible confidence. RHEL 8 kernels from 8.2 on, and so Anolis 8's "
	  "RHCK, enable it. Ship a BTF file for the target kernel (BTFHub, bpftool btf "
	  "min_core_btf) and point libbpf's btf_custom_path at it, or build without CO-RE.",
	  "https://docs.kernel.org/bpf/libbpf/libbpf_overview.html" },
	{ "bpf.core-relo-invalid", AOMS_DIM_KERNEL, AOMS_SEV_MEDIUM, false,
	  "{subject} has CO-RE relocations that do not resolve in its own BTF",
	  "The object's .BTF.ext CO-RE records cannot be read against its own .BTF: a type "
	  "id past the type table, an access string that is no list of indexes or names "
	  "a member or array element that is not there, an unknown relocation kind, or "
	  "BTF libbpf refuses. libbpf fails to load such a program; the object is damaged "
	  "or made by a tool libbpf does not understand.",
	  NULL },
	{ "bpf.core-type-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} relocates a type the target kernel's BTF lacks",
	  "A CO-RE relocation of the object names a struct, union, enum or typedef of which "
	  "the target kernel's BTF in the database has no type of the same kind and name "
	  "(flavor suffix ___X dropped). Field accesses into it fail to relocate and the "
	  "program fails to load when the verifier reaches them: high, of likely "
	  "confidence, an inhibitor. bpf_core_type_exists() alone is info; accesses each guarded by an "
	  "existence check in their program are low.",
	  "https://nakryiko.com/posts/bpf-core-reference-guide/" },
	{ "bpf.facts-missing", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false,
	  "{subject} was not judged: no BPF facts for the kernel",
	  "The database has no BPF program type, map type and helper tables (schema 2.2) "
	  "for the kernel the scan judges against: a database built before 2.2, or a "
	  "--kernel the facts do not cover. The object was read, its inventory is in "
	  "bpf.object, but nothing was judged: the file's verdict is unknown. Use the "
	  "default database or name a kernel it knows (4.18-el8, 4.19-anck).",
	  NULL },
	{ "bpf.feature-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} uses {name}, which {target} lacks",
	  "Some BPF features are not a program type, map type or helper but a capability of "
	  "the kernel's loader and verifier: global data (.data/.rodata/.bss as array maps, "
	  "upstream 5.2), bpf-to-bpf calls (4.16) and kfunc calls (5.13). No table lists "
	  "them, so they are judged by the kernel's BPF level: the newest upstream release "
	  "among the facts the database has for that kernel (RHEL 8's 4.18.0-408 declares "
	  "helpers up to 5.14, ANCK 4.19 up to 5.11), not by the kernel's own version "
	  "number. A kernel below the feature's level refuses the object.",
	  NULL },
	{ "bpf.feature-unknown", AOMS_DIM_KERNEL, AOMS_SEV_MEDIUM, false,
	  "{subject} uses BPF {kind} {name}, which the database does not know",
	  "The object uses a program type, map type or helper id that the kernel's BPF "
	  "facts do not list at all: newer than the tables (they know ids up to libbpf 1.8's "
	  "uapi) or a vendor extension. Whether the target has it is unknown, so the finding "
	  "has possible confidence and the file's verdict is unknown. Load the object on a "
	  "test host running the target kernel.",
	  NULL },
	{ "bpf.helper-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} uses helper {name}, which {target} lacks",
	  "A BPF program calls kernel helpers by number (BPF_CALL, imm = helper id). The "
	  "verifier rejects a call to an id the kernel does not have (\"invalid func "
	  "unknown#N\"), so the whole object fails to load. Availability is the target "
	  "kernel's own table, the helpers its uapi bpf.h declares: RHEL 8's 4.18 carries "
	  "backports up to about upstream 5.14 (helpers 0-168), ANCK 4.19 up to 5.11 "
	  "(0-158), so the upstream version that introduced a helper decides nothing by "
	  "itself. The finding names the helper, the upstream release that introduced it and "
	  "the kernels of the database that have it. Ask for a build that probes for the "
	  "helper and falls back, or run on a kernel that has it.",
	  "https://docs.ebpf.io/linux/helper-function/" },
	{ "bpf.insn-limit", AOMS_DIM_KERNEL, AOMS_SEV_LOW, false,
	  "{subject} has a program of {insns} instructions",
	  "A program over 4096 instructions loads only on kernels with the 1 million "
	  "processed-instruction limit (upstream 5.2, judged by the kernel's BPF level) and "
	  "only from a privileged loader (CAP_SYS_ADMIN, or CAP_BPF); unprivileged loaders "
	  "keep 4096. On a target with that limit the finding is low (the loader must be "
	  "privileged); below it, or over a million instructions, it is high and an "
	  "inhibitor. Split the program with tail calls or bpf_loop().",
	  NULL },
	{ "bpf.kfunc-unverified", AOMS_DIM_KERNEL, AOMS_SEV_MEDIUM, false,
	  "{subject} calls kernel function {name}, which cannot be checked",
	  "kfuncs are kernel functions a BPF program calls through BTF (BPF_PSEUDO_KFUNC_CALL, "
	  "an extern __ksym declaration). Each kernel build exposes its own set, with no "
	  "stability promise; the database has no kfunc lists, so the call cannot be judged "
	  "and the finding has possible confidence. Check the target's BTF for the function "
	  "(bpftool btf dump file /sys/kernel/btf/vmlinux) or load the object on a test host.",
	  "https://docs.kernel.org/bpf/kfuncs.html" },
	{ "bpf.malformed", AOMS_DIM_KERNEL, AOMS_SEV_MEDIUM, false,
	  "{subject} is a damaged eBPF object",
	  "The file is an EM_BPF ELF object, but it cannot be read: a section or symbol lies "
	  "outside the file, the maps section holds garbage, its BTF is corrupt, or libbpf "
	  "refuses to open it (the reason names libbpf's message). libbpf would refuse it on "
	  "any kernel, so the object is broken already or not what it seems. The file's "
	  "verdict is unknown. Replace it with an intact build.",
	  NULL },
	{ "bpf.map-type-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} uses map type {name}, which {target} lacks",
	  "Map types are numbered (enum bpf_map_type); creating a map of a type the kernel "
	  "does not have fails with EINVAL, and libbpf then refuses the whole object. "
	  "Availability is the target kernel's own table (declared in its uapi bpf.h), "
	  "never the upstream version alone: RHEL 8's 4.18 has the ring buffer (5.8) and "
	  "task storage (5.11) but not the bloom filter (5.16). Ask for a build that falls "
	  "back to another map type, or run on a kernel that has it.",
	  NULL },
	{ "bpf.object", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false,
	  "{subject} is an eBPF object",
	  "What the eBPF object holds, read without loading it: its programs with section, "
	  "program type, expected attach type and instruction count; its maps and their "
	  "types; the helpers its instructions call (names and ids), kfuncs, bpf-to-bpf "
	  "calls, BTF and CO-RE relocations, global data sections and license. The other "
	  "bpf.* findings judge these against the target kernel.",
	  NULL },
	{ "bpf.prog-type-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} uses program type {name}, which {target} lacks",
	  "A program's type (from its section name, e.g. SEC(\"lsm/...\")) decides which "
	  "hooks it attaches to and which helpers it may call; BPF_PROG_LOAD of a type the "
	  "kernel does not know fails with EINVAL. Availability is the target kernel's own "
	  "table; a type it declares but its config disables (BPF_PROG_TYPE_LSM without "
	  "CONFIG_BPF_LSM, as in RHEL 8) is missing as well. Run on a kernel that has it, or "
	  "ask for a build that uses another hook.",
	  NULL },
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
	  "Node.js addon (napi_register_module_v1 or node_register_module_v*, or one that "
	  "registers from a constructor), a JNI library (JNI_OnLoad, Java_*), a Perl XS "
	  "module (boot_*) or a PostgreSQL extension (Pg_magic_func). Such objects are "
	  "loaded into a running process that defines the symbols they leave undefined: "
	  "the interpreter's Py* and _Py* API, Node-API, libuv and V8 for Node, JNI_*, "
	  "JVM_* and jio_* of libjvm.so for Java, PL_*, Perl* and perl_* for Perl, the "
	  "server's functions for PostgreSQL. No library the object needs provides them, "
	  "and none has to: ld.so binds "
	  "them to the host when the object is loaded. The finding names the host (from "
	  "the wheel's WHEEL tags, the module's file name suffix, the Node module version "
	  "or the prebuilds/ directory) so that the target is known to need it in a "
	  "version this build supports. Undefined symbols the host does not define are "
	  "still reported as elf.symbol-unresolved.",
	  "https://docs.python.org/3/extending/building.html" },
	{ "elf.host-version", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, true,
	  "{subject} is built for {host_name} {version}, not {target_version}",
	  "The object is a plug-in whose host accepts it only at the version it was built "
	  "for, and the target's host is another. A Perl XS module's boot code hands perl "
	  "the Perl API version it was compiled against (\"v5.16.0\": CentOS 7's perl "
	  "5.16), and perl refuses any other: \"Perl API version v5.16.0 of Foo does not "
	  "match v5.26.0\". The target's perl is the version of its libperl.so in the "
	  "target database. Rebuild the module against the target's perl (its perl-* "
	  "package, or cpan on the target).",
	  NULL },
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
	  "absence from a partial database is no verdict. When a package of the target's "
	  "repositories is named for the library (libXi.so.6: libXi), the finding names it "
	  "(evidence package_by_name, repository) with a dnf install hint. Build a complete "
	  "database with 'aoms db build --root' from an Anolis OS 8 root (and --rpms from its "
	  "repositories) and scan again with --db, or bundle the library with the "
	  "application. The NVIDIA driver's libraries (libcuda.so.1, libnvidia-*.so) are "
	  "said apart (evidence provided_by, and stub for the CUDA toolkit's link-time stub "
	  "or a bundled copy): no OS ships them, the hosts' driver does, in the version of "
	  "its kernel module; they are never bundled.",
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
	{ "kmod.arch-mismatch", AOMS_DIM_HARDWARE, AOMS_SEV_HIGH, true,
	  "{subject} is built for another machine than the target kernel",
	  "The module's ELF machine (e_machine) is not the target kernel's architecture. The "
	  "loader refuses it (\"Exec format error\"). A build of the module for the target "
	  "architecture is needed; the verdict is rebuild.",
	  KMOD_C },
	{ "kmod.gpl-only-symbol", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} (non-GPL) uses GPL-only symbol {symbol}",
	  "The symbol is exported with EXPORT_SYMBOL_GPL, by the target kernel, one of its "
	  "modules or another module of the scan. The loader resolves such symbols only for "
	  "modules whose MODULE_LICENSE is GPL-compatible (GPL, GPL v2, GPL and additional "
	  "rights, Dual BSD/GPL, Dual MIT/GPL, Dual MPL/GPL); for any other module the symbol "
	  "is \"Unknown\" and the module does not load. A rebuild does not change that: the "
	  "module must stop using the symbol (verdict port). Ask the vendor for a release "
	  "that supports the target kernel.",
	  KMOD_C },
	{ "kmod.malformed", AOMS_DIM_HARDWARE, AOMS_SEV_MEDIUM, false,
	  "{subject} is a damaged kernel module: {reason}",
	  "The file looks like a kernel module (a .ko name, .modinfo, this_module, or a "
	  ".ko.xz/.ko.zst/.ko.gz with its compressor's magic) but cannot be read as one: it "
	  "is truncated, its .modinfo or __versions is corrupt (an entry without NUL, a "
	  "__versions size that is no multiple of 64, a symbol listed twice), it does not "
	  "decompress or expands past 64 MiB, or it is no relocatable ELF object. The "
	  "target's loader would refuse it too. Nothing else was judged (verdict unknown); "
	  "obtain an intact copy.",
	  NULL },
	{ "kmod.namespace-ignored", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false,
	  "{subject} imports a namespace; kernel {target_kernel} has none",
	  "Symbol namespaces (EXPORT_SYMBOL_NS, MODULE_IMPORT_NS) came with Linux 5.4. The "
	  "4.18 kernel of Anolis OS 8 has none: it ignores the module's import_ns modinfo and "
	  "exports those symbols without namespace. That is no obstacle by itself, but the "
	  "module was built for a newer kernel, which its vermagic and CRC checks show.",
	  KMOD_C },
	{ "kmod.namespace-not-imported", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} uses {symbol} of namespace {namespace}, not imported",
	  "The target kernel exports the symbol in a symbol namespace and the module has no "
	  "MODULE_IMPORT_NS for it. Unless the kernel is built with "
	  "CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS (then it only warns, and the "
	  "finding is low), the loader refuses the module (\"module uses symbol from "
	  "namespace, but does not import it\"). The source must add the import (verdict "
	  "port).",
	  KMOD_C },
	{ "kmod.no-modversions", AOMS_DIM_HARDWARE, AOMS_SEV_HIGH, true,
	  "{subject} was built without modversions",
	  "The module has no __versions section, but the target kernel is built with "
	  "CONFIG_MODVERSIONS and checks the CRC of every symbol a module imports. With "
	  "CONFIG_MODULE_FORCE_LOAD it loads only as a forced module, tainting the kernel; "
	  "otherwise it is refused. Rebuild it against the target's kernel-devel with "
	  "modversions on (DKMS does).",
	  KMOD_C },
	{ "kmod.no-retpoline", AOMS_DIM_HARDWARE, AOMS_SEV_LOW, false,
	  "{subject} was not compiled with retpoline",
	  "The target kernel is built with CONFIG_RETPOLINE and the module lacks the "
	  "retpoline=Y modinfo. The 4.18 kernel loads it but prints \"loading module not "
	  "compiled with retpoline compiler\" and reports the system vulnerable to Spectre "
	  "v2. Rebuild the module with a retpoline-capable compiler (the EL8 toolchain).",
	  KMOD_C },
	{ "kmod.no-target-kernel", AOMS_DIM_HARDWARE, AOMS_SEV_MEDIUM, false,
	  "No target kernel to judge {subject} against",
	  "The database records no exported symbols for a kernel of the module's "
	  "architecture (or the kernel named with --kernel), so nothing about the module can "
	  "be judged (verdict unknown). Build a database with 'aoms db build --kernel DIR' "
	  "from the target's kernel-devel tree (/usr/src/kernels/RELEASE) or its "
	  "/lib/modules/RELEASE, and scan with --db and --kernel.",
	  NULL },
	{ "kmod.not-kabi-safe", AOMS_DIM_KERNEL, AOMS_SEV_INFO, false,
	  "{subject} uses {count} symbols outside the kABI stablelist",
	  "The module loads on the target kernel, but some of the symbols it imports are not "
	  "on the vendor's kABI stablelist (or are listed with another CRC). Only stablelisted "
	  "symbols keep their CRC across minor updates of the EL8 kernel; weak-modules links "
	  "a module into a newer kernel only when all its symbols still match. Plan a rebuild "
	  "with each kernel update (DKMS), or ask the vendor for a kABI-tracking build.",
	  "https://access.redhat.com/solutions/444773" },
	{ "kmod.symbol-crc-mismatch", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} disagrees about symbol versions of {target_kernel}",
	  "With CONFIG_MODVERSIONS the loader compares the CRC of each imported symbol (and "
	  "of module_layout, the layout of struct module) recorded in the module's __versions "
	  "with the CRC the kernel exports. Any difference refuses the module (\"disagrees "
	  "about version of symbol\"). Every symbol exists in the target, so rebuilding the "
	  "module against the target's kernel-devel (DKMS) is enough (verdict rebuild).",
	  KMOD_C },
	{ "kmod.symbol-missing", AOMS_DIM_KERNEL, AOMS_SEV_HIGH, true,
	  "{subject} needs {symbol}, not exported by {target_kernel}",
	  "Neither the target kernel, nor its modules, nor another module of the scan exports "
	  "the symbol the module imports (a weak reference would be allowed to stay "
	  "unresolved). The loader refuses it: \"Unknown symbol (err -2)\". The source must "
	  "change (verdict port): ask the vendor for a release that supports the target "
	  "kernel, or use the target's in-tree driver for the device.",
	  KMOD_C },
	{ "kmod.unsigned", AOMS_DIM_HARDWARE, AOMS_SEV_LOW, false,
	  "{subject} is not signed",
	  "The target kernel is built with CONFIG_MODULE_SIG. With Secure Boot off it loads an "
	  "unsigned module and taints itself (\"module verification failed\"); with Secure "
	  "Boot on, kernel lockdown refuses it (\"Required key not available\") until the "
	  "module is signed with a key enrolled as a Machine Owner Key (mokutil --import). "
	  "With CONFIG_MODULE_SIG_FORCE it is always refused (then high, an inhibitor).",
	  "https://www.kernel.org/doc/html/latest/admin-guide/module-signing.html" },
	{ "kmod.vermagic-mismatch", AOMS_DIM_HARDWARE, AOMS_SEV_HIGH, true,
	  "{subject}: version magic does not match kernel {target_kernel}",
	  "The loader compares the module's vermagic with its own (same_magic()). With "
	  "CONFIG_MODVERSIONS and a module that has __versions, only the flags after the "
	  "release are compared (SMP, preempt, mod_unload, modversions): the release itself "
	  "may differ, CRCs decide. Otherwise the whole string must match. A mismatch is "
	  "\"version magic should be\" and \"Exec format error\"; rebuild against the "
	  "target's kernel-devel (verdict rebuild). A module without vermagic loads only "
	  "forced (medium).",
	  KMOD_C },
	{ "plan.unsatisfiable", AOMS_DIM_PACKAGES, AOMS_SEV_HIGH, true,
	  "{subject}: the package transaction cannot be solved",
	  "aoms plan --repo solves the host's package transaction (the release swap and "
	  "distro-sync for 8 to 8; the package evolution's erase, swap and install plus a "
	  "distro-sync for 7 to 8) with libsolv against the target repository's metadata "
	  "and the installed packages the assessment recorded. The solver found no "
	  "transaction: a package (the subject) needs a capability that nothing in the "
	  "target repository or among the packages kept provides, or a requested package "
	  "does not exist there. The evidence names the capability and libsolv's own "
	  "account of the problem. Add the providing package to the target repository, "
	  "remove the package that needs it before the migration, or map it (--mapping).",
	  NULL },
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
	{ "script.interpreter-missing", AOMS_DIM_APPLICATIONS, AOMS_SEV_HIGH, false,
	  "{subject} runs an interpreter EL8 does not have",
	  "The script's #! line names /usr/bin/python, python2 or env python: EL8 has no unversioned python and ships python2 only as a module stream, so the script fails with \"bad interpreter\". Port it to python3, or install python2 and name /usr/bin/python2.",
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
	  "check, ...) and its code is in the object (Go's always, a C library's in a "
	  "static program only: a shared object's own syscall() has no glibc wrapper "
	  "around it), the finding is low and says so; otherwise the feature that needs "
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

const size_t aoms_n_rules_builtin = ARRAY_SIZE(aoms_rules_builtin);
_Static_assert(ARRAY_SIZE(aoms_rules_builtin) <= AOMS_RULES_BUILTIN_MAX,
	       "raise AOMS_RULES_BUILTIN_MAX (rules-private.h)");
