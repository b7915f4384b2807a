#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Packaging: cmake --install lays out bin/aoms, the man pages, the bash completion and
# the documentation (DESTDIR and --prefix); packaging/aoms.spec's BuildRequires are
# tools/install-deps.sh's dnf list and its Version the project's; rpmbuild -bb builds
# the package from a tarball of the source tree (a Release build without tests) and
# rpm -qlp lists the same files. Skipped (77) without rpmbuild only for the RPM part.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd cmake python3

version=$(sed -n 's/^project(aoms VERSION \([0-9.]*\).*/\1/p' "$AOMS_SRC/CMakeLists.txt")
[ -n "$version" ] || die "no project version in CMakeLists.txt"

# expected PREFIX: the files, relative to the prefix
expected() {
	{
		echo bin/aoms
		echo share/bash-completion/completions/aoms
		echo share/doc/aoms/README.md
		echo share/doc/aoms/ARCHITECTURE.md
		(cd "$AOMS_SRC/docs" && find . -type f | sed 's|^\./|share/doc/aoms/docs/|')
		(cd "$AOMS_BUILD/man" && ls -- *.1 | sed 's|^|share/man/man1/|')
	} | sed "s|^|$1/|" | sort
}

# cmake --install into a DESTDIR
DESTDIR=$E2E_TMP/dest cmake --install "$AOMS_BUILD" --prefix /usr >"$E2E_TMP/install.log" 2>&1
check "cmake --install with DESTDIR" test $? = 0
(cd "$E2E_TMP/dest" && find . -type f | sed 's|^\.||' | sort) >"$E2E_TMP/dest.list"
expected /usr >"$E2E_TMP/want.list"
check "DESTDIR file list: $(diff "$E2E_TMP/want.list" "$E2E_TMP/dest.list" | tr '\n' ' ')" \
	cmp -s "$E2E_TMP/want.list" "$E2E_TMP/dest.list"
# and --prefix P
cmake --install "$AOMS_BUILD" --prefix "$E2E_TMP/p" >>"$E2E_TMP/install.log" 2>&1
check "cmake --install --prefix" test $? = 0
(cd "$E2E_TMP/p" && find . -type f | sed 's|^\.||' | sort) >"$E2E_TMP/p.list"
expected "" >"$E2E_TMP/want-p.list"
check "--prefix file list" cmp -s "$E2E_TMP/want-p.list" "$E2E_TMP/p.list"
out=$("$E2E_TMP/p/bin/aoms" --version 2>&1)
check "installed aoms --version: $out" test "$out" = "aoms $version"

# the spec: the project's version, install-deps.sh's dnf build dependencies
SPEC=$AOMS_SRC/packaging/aoms.spec
check "spec Version $version" grep -qE "^Version: +$version\$" "$SPEC"
python3 - "$AOMS_SRC/tools/install-deps.sh" "$SPEC" >"$E2E_TMP/deps.diff" <<'PY'
import re, sys
deps = open(sys.argv[1]).read()
dnf = re.search(r'elif command -v dnf.*?\n\s*pkgs="([^"]*)"', deps, re.S).group(1).split()
spec = re.findall(r'^BuildRequires:\s*(\S+)', open(sys.argv[2]).read(), re.M)
if sorted(dnf) != sorted(spec):
    print("install-deps.sh only:", sorted(set(dnf) - set(spec)), "spec only:", sorted(set(spec) - set(dnf)))
PY
check "BuildRequires = install-deps.sh's dnf list $(cat "$E2E_TMP/deps.diff")" test ! -s "$E2E_TMP/deps.diff"

if ! command -v rpmbuild >/dev/null 2>&1; then
	e2e_log "SKIP: rpmbuild not found: the RPM is not built"
	[ "$E2E_FAILS" = 0 ] && exit 77
	e2e_finish
fi

# the source tarball: the tree as it is, without build directories or .git
top=$E2E_TMP/rpmbuild
mkdir -p "$top/SOURCES"
tar -C "$AOMS_SRC" --exclude=./.git --exclude='./build*' --exclude=./bench/out \
	--transform "s|^\.|aoms-$version|" -czf "$top/SOURCES/aoms-$version.tar.gz" .
check "source tarball" test -s "$top/SOURCES/aoms-$version.tar.gz"
# Debian's rpm: no debuginfo tooling (find-debuginfo); two jobs at most
timeout -k 10 900 rpmbuild -bb --nodeps -D "_topdir $top" -D "debug_package %{nil}" \
	-D "_smp_mflags -j2" "$SPEC" >"$E2E_TMP/rpmbuild.log" 2>&1
status=$?
check "rpmbuild -bb (exit $status; $(tail -n 5 "$E2E_TMP/rpmbuild.log" | tr '\n' ' '))" test $status = 0
rpm=$(ls "$top"/RPMS/*/aoms-"$version"-1*.rpm 2>/dev/null | head -n 1)
check "the binary package" test -n "$rpm"
if [ -n "$rpm" ]; then
	# brp-compress may gzip the man pages; %doc owns the directory too; rpm adds
	# the build-id links of the binary
	rpm -qlp "$rpm" 2>/dev/null | sed 's/\.gz$//' | grep -v '^/usr/lib/\.build-id' |
		grep -vx /usr/share/doc/aoms |
		grep -vx /usr/share/doc/aoms/docs | sort >"$E2E_TMP/rpm.list"
	check "rpm -qlp file list: $(diff "$E2E_TMP/want.list" "$E2E_TMP/rpm.list" | tr '\n' ' ')" \
		cmp -s "$E2E_TMP/want.list" "$E2E_TMP/rpm.list"
	name=$(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm" 2>/dev/null)
	check "package $name" test "$name" = "aoms $version"
fi
e2e_finish
