#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Regenerates the seed corpora corpus/NAME/ of the fuzz targets from real inputs made
# with the system toolchain (gcc, rpmbuild) and small fact snippets. The output is
# committed (keep it small: a few kB a file, under 1 MB in all); run this again when a
# format grows a feature worth seeding, and commit the difference.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
fix=$src/tests/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
c=$here/corpus
rm -rf "$c"
mkdir -p "$c"/{elf,elfio,rpm,rpmhdr,import,kfacts,report,bpf}

# ---- ELF: a versioned shared library, a program, a stripped one, a relocatable object
# -z noseparate-code: no page-aligned padding, so the files stay a few kB
cc="gcc -Os -fno-asynchronous-unwind-tables -Wl,-z,noseparate-code"
$cc -shared -fPIC -o "$tmp/libfoo.so.1" -Wl,-soname,libfoo.so.1 \
	-Wl,--version-script="$fix/elf-versions/foo-v1.map" "$fix/elf-versions/foo.c"
$cc -o "$tmp/hello" "$fix/common/hello.c"
$cc -s -Wl,-z,now -o "$tmp/hello-stripped-now" "$fix/common/hello.c"
$cc -c -fPIC -o "$tmp/foo-reloc" "$fix/elf-versions/foo.c"
$cc -o "$tmp/app-needs-foo" "$fix/elf-versions/app-ok.c" -L"$tmp" -l:libfoo.so.1 \
	-Wl,-rpath,'$ORIGIN'
for f in libfoo.so.1 hello hello-stripped-now foo-reloc app-needs-foo; do
	cp "$tmp/$f" "$c/elf/$f"
	cp "$tmp/$f" "$c/elfio/$f"
done
# objects whose code the syscall pass decodes: a static one with raw syscall sites, a
# shared one calling syscall() through its PLT and GOT
gcc -nostdlib -static -Wl,-z,noseparate-code -o "$tmp/syscall-static" "$fix/syscall/nolibc-x86_64.S"
$cc -shared -fPIC -O2 -o "$tmp/syscall-wrappers.so" "$fix/syscall/wrappers.c"
$cc -shared -fPIC -O2 -fno-plt -o "$tmp/syscall-wrappers-noplt.so" "$fix/syscall/wrappers.c"
# and a Go-like one without .symtab: the static one stripped, with a .gopclntab of the
# Go 1.18 layout naming two functions, main.main and the stub syscall.Syscall6
python3 - "$tmp/pcln.bin" "$(readelf -SW "$tmp/syscall-static" | awk '{ for (i = 1; i < NF; i++) if ($i == ".text") print $(i + 2) }')" <<'PY'
import struct, sys
text = int(sys.argv[2], 16)
names, N, P = b"main.main\0syscall.Syscall6\0", 72, 104
body = struct.pack("<IBBBB", 0xfffffff0, 0, 0, 1, 8) + struct.pack("<8Q", 2, 0, text, N, 99, 99, 99, P)
body = (body + names).ljust(P, b"\0")
body += struct.pack("<6I", 0, 24, 0x10, 32, 0x1f, 0) + struct.pack("<Ii", 0, 0) + struct.pack("<Ii", 0x10, 10)
open(sys.argv[1], "wb").write(body)
PY
objcopy --strip-all "$tmp/syscall-static" "$tmp/stripped"
objcopy --add-section .gopclntab="$tmp/pcln.bin" --set-section-flags .gopclntab=alloc,readonly \
	"$tmp/stripped" "$tmp/syscall-gopclntab" 2>/dev/null
for f in syscall-static syscall-wrappers.so syscall-wrappers-noplt.so syscall-gopclntab; do
	cp "$tmp/$f" "$c/elf/$f"
done

# ---- eBPF: CO-RE objects (clang -target bpf), one with a CO-RE record of an unknown
# kind; the CO-RE one for elfio too
if command -v clang >/dev/null && [ -e /usr/include/bpf/bpf_helpers.h ]; then
	bcflags="-target bpf -O2 -g -I/usr/include/$(gcc -print-multiarch)"
	clang $bcflags -c -o "$tmp/core-target.bpf.o" "$fix/bpf-core/core-target.c"
	clang $bcflags -c -o "$tmp/core.bpf.o" "$fix/bpf/core.c"
	python3 "$fix/bpf/bpfpatch.py" "$tmp/core-target.bpf.o" "$tmp/core-badkind.bpf.o" core kind 99
	# seeds lose ".o", which .gitignore keeps out of the tree
	for f in core core-target core-badkind; do cp "$tmp/$f.bpf.o" "$c/bpf/$f.bpf"; done
	cp "$tmp/core-target.bpf.o" "$c/elfio/core-target.bpf"
fi

# ---- RPM: the aomsfoo test package (versioned library, symlink, text file), gzip
# and xz payloads
if command -v rpmbuild >/dev/null; then
	for io in w9.gzdio w2.xzdio; do
		rpmbuild -bb --quiet --define "_topdir $tmp/top" --define "_dbpath $tmp/db" \
			--define "_tmppath $tmp" --define "_sourcedir $fix/rpm" \
			--define "_rpmdir $tmp/rpm-${io#*.}" --define '_build_name_fmt %%{NAME}.rpm' \
			--define "_binary_payload $io" "$fix/rpm/aomsfoo.spec" >/dev/null
		cp "$tmp/rpm-${io#*.}/aomsfoo.rpm" "$c/rpm/aomsfoo-${io#*.}.rpm"
		cp "$tmp/rpm-${io#*.}/aomsfoo.rpm" "$c/rpmhdr/aomsfoo-${io#*.}.rpm"
	done
else
	echo "make-seeds: rpmbuild not found, corpus/rpm left empty" >&2
fi

# ---- fact tables: the head of each shipped table (every table kind there), plus
# the kinds only builders write
for t in "$src"/abi-db/data/*.tsv; do
	awk '!/^#!provenance/ && n++ < 24' "$t" >"$c/import/$(basename "$t")"
done
cat >"$c/import/packages.tsv" <<'T'
#!source seed-packages
#!table packages
#name	epoch	version	release	arch	nevra	installed
compat-openssl10	1	1.0.2o	4.el8_6	x86_64	-	0
glibc	-	2.28	236.el8	x86_64	glibc-2.28-236.el8.x86_64	1
#!table provides
#nevra	capability	op	evr
compat-openssl10-1:1.0.2o-4.el8_6.x86_64	libcrypto.so.10()(64bit)	-	-
glibc-2.28-236.el8.x86_64	libc.so.6(GLIBC_2.14)(64bit)	>=	2.28-1
#!table interpreters
#arch	path	package
x86_64	/lib64/ld-linux-x86-64.so.2	glibc
T
cat >"$c/import/kernel.tsv" <<'T'
#!source seed-kernel
#!table kernels
#release	arch	vermagic
4.18.0-408.el8	x86_64	4.18.0-408.el8.x86_64 SMP mod_unload modversions 
#!default release 4.18.0-408.el8
#!default crc -
#!default namespace -
#!default export_type EXPORT_SYMBOL
#!table kernel-symbols
#symbol	module
#!arch aarch64 x86_64
printk	vmlinux
#!table kabi
#list	arch	symbol	crc	module	export_type
rhel8	x86_64	printk	0x27E1A049	vmlinux	EXPORT_SYMBOL
rhel8	aarch64	names_only	-	-	-
#!table kernel-config
#release	arch	key	value
4.18.0-408.el8	x86_64	CONFIG_MODVERSIONS	y
T

# ---- kernel facts: Module.symvers (both layouts, CRLF, comments), kABI lists, .config
cat >"$c/kfacts/Module.symvers" <<'T'
0x27e1a049	printk	vmlinux	EXPORT_SYMBOL
0x0b1c2d3e	raid_class_attach	drivers/scsi/raid_class	EXPORT_SYMBOL_GPL
# comment

0xdeadbeef	old_three	vmlinux
T
printf '0x12345678\tusb_stor_x\tdrivers/usb/storage/usb-storage\tEXPORT_SYMBOL_GPL\tUSB_STORAGE\r\n' \
	>>"$c/kfacts/Module.symvers"
echo '0x27e1a049 printk USB_STORAGE drivers/usb/storage/usb-storage EXPORT_SYMBOL_GPL' \
	>"$c/kfacts/symvers-5.4"
printf '[rhel8_x86_64_stablelist]\n  kfree\n  kmalloc\n\tprintk\n' >"$c/kfacts/kabi_stablelist_x86_64"
cat >"$c/kfacts/Module.kabi_x86_64" <<'T'
0x27e1a049	printk	vmlinux	EXPORT_SYMBOL
0x8d1a4b2e	kfree	vmlinux	EXPORT_SYMBOL
T
cat >"$c/kfacts/config-4.18.0" <<'T'
#
# Automatically generated file; DO NOT EDIT.
CONFIG_MODVERSIONS=y
CONFIG_MODULES=y
CONFIG_NR_CPUS=8192
CONFIG_LOCALVERSION=""
CONFIG_DEFAULT_HOSTNAME="(none) \"q\" \\"
# CONFIG_MODULE_SIG is not set
CONFIG_EXT4_FS=m
CONFIG_HZ=0x3e8
T

du -sh "$c"
# report: JSON reports aoms wrote (corpus/report/*.json are committed, made with
# `aoms scan --format json` of a small tree: an object file, a kernel module, a BPF
# object and a program needing a newer glibc; regenerate by hand when the schema grows)
