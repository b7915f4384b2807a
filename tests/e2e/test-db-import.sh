#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `aoms db import` and `aoms db info` on the shipped fact tables (abi-db/data/): a
# database imported from them judges like the embedded default one (built from the
# same tables); a malformed or missing table is a runtime error naming the file.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
TABLES=("$AOMS_SRC"/abi-db/data/*.tsv)
[ -f "${TABLES[0]}" ] || skip "no fact tables in abi-db/data"
mkdir -p "$T/tree" || die "mkdir"
build_cc "$T/tree/hello" "$FIXTURES/common/hello.c" || die "building hello"
build_app_unknown "$T/tree/app-unknown" || die "building app-unknown"
build_user_lib "$T/tree/libaoms-e2e-user.so.1" || die "building libaoms-e2e-user"

# ---- import -------------------------------------------------------------------------
run_aoms db import -o "$T/new.db" "${TABLES[@]}"
expect_status 0 "db import of the shipped tables"
expect_empty_file "$OUT" "stdout of db import"
expect_nonempty_file "$T/new.db" "the imported database"

run_aoms db info --db "$T/new.db" --format json
expect_status 0 "db info --db"
expect_json_valid "$OUT" "db info --format json"
expect_json "$OUT" 're.search(r"\"coverage\": \"partial\"", json.dumps(d))' "coverage partial"
run_aoms db info --db "$T/new.db"
expect_status 0 "db info --db (text)"
check "db info (text) says coverage partial" grep -qiE 'coverage.*partial' "$OUT" || show "$OUT"

# ---- same verdicts as the embedded database ---------------------------------------
run_aoms scan --format json "$T/tree"
EMB=$OUT
EMB_STATUS=$STATUS
expect_json_valid "$EMB"
run_aoms scan --format json --db "$T/new.db" "$T/tree"
expect_status "$EMB_STATUS" "the same exit status as with the embedded database"
expect_json_valid "$OUT"
check "the imported database gives the embedded database's entries" \
	python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if a["entries"] != b["entries"] or a["summary"] != b["summary"]:
    ra = sorted((e["subject"]["path"], e["rule"], e["key"]) for e in a["entries"])
    rb = sorted((e["subject"]["path"], e["rule"], e["key"]) for e in b["entries"])
    sys.stderr.write("    embedded: %s\n    imported: %s\n" % (ra, rb))
    sys.exit(1)' "$EMB" "$OUT"
expect_finding "$OUT" libaoms-e2e-user.so.1 elf.needed-unknown soname=libaoms-e2e-unknown.so.1

# ---- bad tables -------------------------------------------------------------------------
printf '#!table no-such-table\nx\ty\n' >"$T/bad.tsv"
run_aoms db import -o "$T/bad.db" "$T/bad.tsv"
expect_status_bits 1 2
check "stderr names the malformed table" grep -qF "$T/bad.tsv" "$ERR" || show "$ERR"

run_aoms db import -o "$T/missing.db" "$T/no-such-table.tsv"
expect_status_bits 1 2
check "stderr names the missing table" grep -qF "$T/no-such-table.tsv" "$ERR" || show "$ERR"

# ---- usage ----------------------------------------------------------------------------
run_aoms db import "${TABLES[0]}"
expect_status 2 "db import without -o or --db"
run_aoms db import -o "$T/x.db"
expect_status 2 "db import without a table"

# A malformed table: status 1, a message naming the file and line, no half-built file.
printf '#!table meta\n#key\tvalue\nonly-one-column\n' >"$E2E_TMP/bad.tsv"
run_aoms db import -o "$E2E_TMP/bad.db" "$E2E_TMP/bad.tsv"
expect_status 1
expect_contains "$ERR" "bad.tsv:3: " "the malformed line is named"
[ ! -e "$E2E_TMP/bad.db" ] || fail "a half-built database was left behind"

e2e_finish
