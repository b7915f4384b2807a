#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Finding keys hash the finding's identity only (docs/report-schema.md "The key"), so
# they survive what does not change the finding:
#   - another input path on the command line (subjects then carry the input prefix;
#     subject.relative_path and the key do not);
#   - another database (one imported from the shipped tables with libc.so.6's package
#     renamed: the provider evidence changes, the key does not);
#   - one more imported symbol at the same version node (the symbols list changes).
# And the same finding under another rule or path gets another key.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf python3

T=$E2E_TMP
mkdir -p "$T/s1/bin" "$T/s2/bin" "$T/other" "$T/data" || die "mkdir"
build_cc "$T/s1/bin/app" "$FIXTURES/default-db/glibc-new.c" -pthread || die "building app"
printf '#include <pthread.h>\nvoid aoms_extra(void) { pthread_detach(pthread_self()); }\n' \
	>"$T/extra.c"
build_cc "$T/s2/bin/app" "$FIXTURES/default-db/glibc-new.c" "$T/extra.c" -pthread ||
	die "building app with one more import"
build_app_unknown "$T/s1/bin/app-unknown" || die "building app-unknown"
cp "$T/s1/bin/app-unknown" "$T/s2/bin/app-unknown" || die "cp"
build_cc "$T/other/hello" "$FIXTURES/common/hello.c" || die "building hello"
needs_new_glibc "$T/s1/bin/app" || skip "this host's glibc is not newer than 2.28"

# keys FILE: "relative_path rule key" of each entry, sorted.
keys() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for e in sorted(d["entries"], key=lambda e: (e["subject"]["relative_path"], e["rule"], e["key"])):
    print(e["subject"]["relative_path"], e["rule"], e["key"])' "$1"
}

run_aoms scan --format json "$T/s1"
A=$OUT
expect_report_shape "$A" "$STATUS"
keys "$A" >"$T/keys-a"
expect_nonempty_file "$T/keys-a" "keys of the first scan"
check "app has a version-node-missing finding" grep -q '^bin/app elf.version-node-missing ' "$T/keys-a"
check "app-unknown has a needed-unknown finding" grep -q '^bin/app-unknown elf.needed-unknown ' "$T/keys-a"

# ---- another input path -----------------------------------------------------------
run_aoms scan --format json "$T/s1" "$T/other"
B=$OUT
expect_report_shape "$B" "$STATUS"
keys "$B" | grep -v '^hello ' >"$T/keys-b"
expect_same_bytes "$T/keys-a" "$T/keys-b" "keys with one more input path"
expect_json "$B" "any(e['subject']['path'] == '$T/s1/bin/app' for e in d['entries'])" \
	"subjects carry the input prefix with two inputs"

# ---- another database --------------------------------------------------------------
cp "$AOMS_SRC"/abi-db/data/*.tsv "$T/data/" || die "cp tables"
# (the RHEL 8.3 root's libc.so.6 row, libc-2.28.so, names the package too)
sed -i 's#^\(libc\.so\.6\t/usr/lib64/libc[-.][^\t]*\t\)glibc$#\1glibc-alt#' "$T"/data/glibc-*.tsv \
	"$T"/data/rhel-8.3-libraries-*.tsv
run_aoms db import -o "$T/alt.db" "$T"/data/*.tsv
expect_status 0 "db import of the edited tables"
run_aoms scan --format json --db "$T/alt.db" "$T/s1"
C=$OUT
expect_report_shape "$C" "$STATUS"
keys "$C" >"$T/keys-c"
expect_same_bytes "$T/keys-a" "$T/keys-c" "keys with another database"
expect_json "$C" 'any("glibc-alt" in e["evidence"].get("provider", "") for e in d["entries"])' \
	"the other database shows in the provider evidence"

# ---- one more imported symbol ---------------------------------------------------------
run_aoms scan --format json "$T/s2"
D=$OUT
expect_report_shape "$D" "$STATUS"
keys "$D" >"$T/keys-d"
expect_same_bytes "$T/keys-a" "$T/keys-d" "keys with one more imported symbol"
check "the symbols list did change" python3 -c '
import json, sys
a, d = (json.load(open(p)) for p in sys.argv[1:3])
sa = [e["evidence"].get("symbols") for e in a["entries"] if e["subject"]["path"] == "bin/app"]
sd = [e["evidence"].get("symbols") for e in d["entries"] if e["subject"]["path"] == "bin/app"]
sys.exit(0 if sa != sd else 1)' "$A" "$D"

# ---- identity still tells findings apart -----------------------------------------------
check "no two entries share a key" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
k = [e["key"] for e in d["entries"]]
sys.exit(0 if len(k) == len(set(k)) else 1)' "$B"

e2e_finish
