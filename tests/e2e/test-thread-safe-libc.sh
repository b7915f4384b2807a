#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The scan's read and check phases run the scanners, the access layers, the database
# and the report on several threads at once, so none of the project's code may use a
# libc function that keeps hidden state between calls: strtok's one cursor, shared
# by every thread, once made a wheel's tags vanish from one /usr scan in five. The
# _r forms (strtok_r, localtime_r, gmtime_r, ...) are the ones to use.

set -u
src=${AOMS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
pattern='(^|[^_[:alnum:]])(strtok|localtime|gmtime|asctime|ctime|rand|strsignal|getpwnam|getpwuid|getgrnam|getgrgid|readdir_r|ttyname|ecvt|fcvt|gcvt|l64a|mblen|mbtowc|wctomb|setlocale)[[:space:]]*\('
hits=$(cd "$src" && grep -rnE "$pattern" --include='*.c' --include='*.h' \
	common elfio kmod abi-db report rpmsetup scanners planner executor tools |
	grep -vE ':[[:space:]]*(/?\*|//)')
if [ -n "$hits" ]; then
	printf 'FAIL: a libc function with hidden state (use its _r form):\n%s\n' "$hits" >&2
	exit 1
fi
echo "PASS: no libc function with hidden state in the threaded code"
