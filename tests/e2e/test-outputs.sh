#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Outputs are replaced atomically and databases are complete before they appear
# (issue 7, items 3 and 4): a failed import keeps the previous database byte for
# byte; devices and FIFOs given as -o are written to (reports) or refused
# (databases), never replaced; FIFOs and /dev/zero given to `db import` fail at
# once; empty, meta-only and incomplete databases are refused; ENOSPC keeps the
# previous file and says so; `db info` copes without provenance; `db query` JSON
# is valid UTF-8.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd timeout mkfifo

T=$E2E_TMP
printf '#!table libraries\n#arch\tsoname\tpath\tpackage\nx86_64\tlibq.so.1\t/usr/lib64/libq.so.1\tq\n' \
	>"$T/good.tsv"
printf '#!table libraries\n#arch\tsoname\tpath\tpackage\nx86_64\tonly-two\tcolumns\n' >"$T/bad.tsv"

# ---- a failed import keeps the previous good database ------------------------
run_aoms db import -o "$T/x.db" "$T/good.tsv"
expect_status 0 "a good import"
cp "$T/x.db" "$T/x.db.orig"
run_aoms db import -o "$T/x.db" "$T/bad.tsv"
expect_status 1 "a bad import"
expect_contains "$ERR" "bad.tsv:3: " "the bad line is named FILE:LINE"
expect_same_bytes "$T/x.db" "$T/x.db.orig" "the previous database after a failed import"
check "no temporary file is left" test -z "$(find "$T" -name '.x.db.*')"
run_aoms scan --db "$T/x.db" --format json "$AOMS"
expect_status_bits 0 1

# ---- devices, FIFOs --------------------------------------------------------------
run_aoms scan -o /dev/null --format json "$AOMS"
expect_status_bits 0 1
check "/dev/null is still a character device" test -c /dev/null
run_aoms db import -o /dev/null "$T/good.tsv"
expect_status 1 "a device as a database"
expect_contains "$ERR" "not a regular file"
check "/dev/null is still a character device" test -c /dev/null

mkfifo "$T/fifo"
for input in "$T/fifo" /dev/zero; do
	AOMS_E2E_TIMEOUT=10 run_aoms db import -o "$T/in.db" "$input"
	expect_status 1 "db import $input"
	expect_contains "$ERR" "cannot import '$input': not a regular file"
	expect_eq "$(wc -l <"$ERR")" 1 "lines of the error for $input"
	check "no database from $input" test ! -e "$T/in.db"
done
# a line without end in a regular file
head -c 200000 /dev/zero | tr '\0' a >"$T/long.tsv"
run_aoms db import -o "$T/in.db" "$T/long.tsv"
expect_status 1 "an endless line"
expect_contains "$ERR" "long.tsv:1: line too long"

# ---- databases that are not (complete) aoms databases ----------------------------
: >"$T/empty.db"
run_aoms scan --db "$T/empty.db" "$AOMS"
expect_status_bits 1
expect_contains "$ERR" "'$T/empty.db' is empty, not an aoms database"
python3 - "$T/meta.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
c.execute("INSERT INTO meta VALUES ('schema_version', '2.1'), ('build_complete', '1')")
c.commit()
PY
run_aoms scan --db "$T/meta.db" "$AOMS"
expect_status_bits 1
expect_contains "$ERR" "'$T/meta.db' is not an aoms database: no table source"
cp "$T/x.db.orig" "$T/unfinished.db"
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
c.execute(\"DELETE FROM meta WHERE key = 'build_complete'\"); c.commit()" "$T/unfinished.db"
run_aoms scan --db "$T/unfinished.db" "$AOMS"
expect_status_bits 1
expect_contains "$ERR" "incomplete (its build did not finish); rebuild it"
printf 'no database here, only text, long enough to be more than a header ...............%s\n' \
	"$(head -c 200 /dev/zero | tr '\0' .)" >"$T/text.db"
run_aoms db info --db "$T/text.db"
expect_status 1
expect_contains "$ERR" "'$T/text.db' is not an aoms database: file is not a database"

# ---- db info without #!provenance, db query with bytes that are not UTF-8 --------
printf '#!table libraries\n#arch\tsoname\tpath\tpackage\nx86_64\tlib\377\376q.so.1\t/usr/lib64/libz.so.1\tz\n' \
	>"$T/bytes.tsv"
run_aoms db import -o "$T/bytes.db" "$T/bytes.tsv"
expect_status 0 "import without #!provenance"
run_aoms db info --db "$T/bytes.db"
expect_status 0 "db info without provenance"
expect_contains "$OUT" "bytes.tsv: (no provenance)"
run_aoms db info --db "$T/bytes.db" --format json
expect_status 0 "db info --format json without provenance"
expect_json "$OUT" 'd["sources"][0]["provenance"] is None'
run_aoms db query --db "$T/bytes.db" --arch x86_64 --format json --soname "$(printf 'lib\377\376q.so.1')"
expect_status 0 "db query of a soname with bytes that are not UTF-8"
expect_json "$OUT" 'd["libraries"][0]["soname"] == "lib\ufffd\ufffdq.so.1"' "U+FFFD in the soname"

# ---- ENOSPC: the previous file stays, the message says why ----------------------
enospc() {
	local mnt=$T/small
	mkdir -p "$mnt"
	if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=512k tmpfs "$mnt" 2>/dev/null; then
		e2e_log "SKIP: the ENOSPC checks need root and a tmpfs mount"
		return 0
	fi
	run_aoms scan -o "$mnt/report.json" --format json "$AOMS"
	expect_status_bits 0 1
	run_aoms db import -o "$mnt/x.db" "$T/good.tsv"
	expect_status 0 "the first database on the small tmpfs"
	cp "$mnt/report.json" "$T/report.orig"
	cp "$mnt/x.db" "$T/small.orig"
	dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
	run_aoms scan -o "$mnt/report.json" --format json "$AOMS"
	expect_status_bits 1
	expect_contains "$ERR" "cannot write '$mnt/report.json': No space left on device"
	expect_same_bytes "$mnt/report.json" "$T/report.orig" "the previous report after ENOSPC"
	run_aoms db import -o "$mnt/x.db" "$T/good.tsv"
	expect_status 1 "a database on a full file system"
	expect_contains "$ERR" "No space left on device"
	expect_same_bytes "$mnt/x.db" "$T/small.orig" "the previous database after ENOSPC"
	check "no temporary file is left on the full file system" \
		test -z "$(find "$mnt" -name '.*.??????')"
	umount "$mnt"
}
enospc

e2e_finish
