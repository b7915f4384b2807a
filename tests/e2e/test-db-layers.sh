#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Databases that layer: `--db` given more than once, a later one overriding or
# extending the earlier ones, `--db embedded` the embedded one. A site imports its own
# library with `db import` and layers it over the embedded target: a library needing
# it is unknown without the layer and judged with it; a later layer's library hides
# an earlier one's (no merge), also one the embedded target knows (libz.so.1); a bad
# layer file is a clear error naming it; db info, db query and the report's run name
# every layer.
#
# The libraries judged are linked -nostdlib, so that their only needs are the ones
# below, whatever the host's glibc.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
mkdir -p "$T/site" "$T/tree" || die "mkdir"

# libaoms-site.so.1: SITE_1.0 site_one, SITE_2.0 site_two.
cat >"$T/site/site.c" <<'EOF'
int site_one(void) { return 1; }
int site_two(void) { return 2; }
EOF
printf 'SITE_1.0 { global: site_one; local: *; };\nSITE_2.0 { global: site_two; } SITE_1.0;\n' \
	>"$T/site/site.map"
shlib "$T/site/libaoms-site.so.1" libaoms-site.so.1 "$T/site/site.c" "$T/site/site.map" -nostdlib ||
	die "building libaoms-site.so.1"
# libz.so.1 with a version node the target's zlib does not have.
printf 'int zsite(void) { return 3; }\n' >"$T/site/z.c"
printf 'ZLIB_AOMS_9.9 { global: zsite; local: *; };\n' >"$T/site/z.map"
shlib "$T/site/libz.so.1" libz.so.1 "$T/site/z.c" "$T/site/z.map" -nostdlib || die "building libz.so.1"

# The libraries judged: one needs site_two@SITE_2.0, one zsite@ZLIB_AOMS_9.9.
printf 'int site_two(void);\nint user(void) { return site_two(); }\n' >"$T/site/user.c"
shlib "$T/tree/libaoms-user.so.1" libaoms-user.so.1 "$T/site/user.c" "" -nostdlib \
	-Wl,--no-as-needed "$T/site/libaoms-site.so.1" || die "building libaoms-user.so.1"
printf 'int zsite(void);\nint zuser(void) { return zsite(); }\n' >"$T/site/zuser.c"
shlib "$T/tree/libaoms-zuser.so.1" libaoms-zuser.so.1 "$T/site/zuser.c" "" -nostdlib \
	-Wl,--no-as-needed "$T/site/libz.so.1" || die "building libaoms-zuser.so.1"

# ---- the site's fact tables and databases ------------------------------------------
cat >"$T/site.tsv" <<'EOF'
#!source site-libraries
#!provenance the site's own build of libaoms-site and its zlib
#!table libraries
#arch	soname	path	package
x86_64	libaoms-site.so.1	/opt/site/lib/libaoms-site.so.1	site-libs
x86_64	libz.so.1	/opt/site/lib/libz.so.1	site-zlib
#!table symbols
#arch	soname	version	symbol	binding	type
x86_64	libaoms-site.so.1	SITE_1.0	site_one	@@	F
x86_64	libaoms-site.so.1	SITE_2.0	site_two	@@	F
x86_64	libz.so.1	ZLIB_AOMS_9.9	zsite	@@	F
EOF
# an older build of the site library: SITE_1.0 only
cat >"$T/site-old.tsv" <<'EOF'
#!source site-libraries-old
#!table libraries
#arch	soname	path	package
x86_64	libaoms-site.so.1	/opt/site/lib/libaoms-site.so.1	site-libs
#!table symbols
#arch	soname	version	symbol	binding	type
x86_64	libaoms-site.so.1	SITE_1.0	site_one	@@	F
EOF
run_aoms db import -o "$T/site.db" "$T/site.tsv"
expect_status 0 "db import of the site's table"
run_aoms db import -o "$T/site-old.db" "$T/site-old.tsv"
expect_status 0 "db import of the older site table"

# ---- without the layer: unknown; with it: judged ---------------------------------------
run_aoms scan --format json "$T/tree"
expect_finding "$OUT" libaoms-user.so.1 elf.needed-unknown soname=libaoms-site.so.1
expect_finding "$OUT" libaoms-zuser.so.1 elf.version-node-missing soname=libz.so.1 \
	version=ZLIB_AOMS_9.9
expect_json "$OUT" 'd["run"]["database"] == "embedded" and "database_layers" not in d["run"]' \
	"one database: run.database is 'embedded', no database_layers"

run_aoms scan --format json --db embedded --db "$T/site.db" "$T/tree"
expect_status 0 "the site layer knows every need"
expect_rules "$OUT" libaoms-user.so.1 ""
expect_rules "$OUT" libaoms-zuser.so.1 ""
expect_json "$OUT" "d['run']['database'] == 'embedded + $T/site.db'" "run.database names both layers"
expect_json "$OUT" 'd["run"]["database_layers"] == "2"' "run.database_layers"
expect_json "$OUT" 'd["run"]["target_glibc"] == "2.28" and d["run"]["target"] == "anolis8"' \
	"the target facts fall through to the embedded layer"
expect_json "$OUT" 'd["schema_version"] == "1.6"' "report schema 1.6"

# the site layer alone is not the target: its glibc facts are missing
run_aoms scan --format json --db "$T/site.db" "$T/tree"
expect_json "$OUT" 'd["run"]["database"].endswith("/site.db") and d["run"]["target"] == "unknown"' \
	"the site database alone names no target"

# ---- a later layer overrides, it is not merged -------------------------------------
run_aoms scan --format json --db embedded --db "$T/site.db" --db "$T/site-old.db" "$T/tree"
expect_finding "$OUT" libaoms-user.so.1 elf.version-node-missing soname=libaoms-site.so.1 \
	version=SITE_2.0
expect_rules "$OUT" libaoms-zuser.so.1 ""
run_aoms scan --format json --db embedded --db "$T/site-old.db" --db "$T/site.db" "$T/tree"
expect_rules "$OUT" libaoms-user.so.1 ""
# the embedded layer given last hides the site's libz.so.1 again
run_aoms scan --format json --db "$T/site.db" --db embedded "$T/tree"
expect_finding "$OUT" libaoms-zuser.so.1 elf.version-node-missing soname=libz.so.1
expect_rules "$OUT" libaoms-user.so.1 ""

# ---- db query and db info over layers --------------------------------------------------
run_aoms db query --db embedded --db "$T/site.db" --format json --soname libz.so.1 --arch x86_64
expect_status 0 "db query finds libz.so.1"
expect_json "$OUT" 'd["libraries"][0]["package"] == "site-zlib"' "db query answers from the later layer"
run_aoms db query --format json --soname libz.so.1 --arch x86_64
expect_json "$OUT" 'd["libraries"][0]["package"] == "zlib"' "without the layer, the target's zlib"

run_aoms db info --db embedded --db "$T/site.db" --format json
expect_status 0 "db info over two layers"
expect_json "$OUT" '[l["database"] for l in d["layers"]] == ["embedded", "'"$T"'/site.db"]' \
	"db info lists the layers in order"
expect_json "$OUT" 'd["layers"][1]["stats"]["libraries"] == 2 and d["layers"][1]["sources"][0]["name"] == "site-libraries"' \
	"each layer's own figures"
expect_json "$OUT" 'd["target"]["glibc"] == "2.28"' "the target facts of all layers"
run_aoms db info --db embedded --db "$T/site.db"
expect_status 0 "db info (text) over two layers"
expect_contains "$OUT" "layer 2 of 2:" "db info (text) shows each layer"

# ---- bad layers ------------------------------------------------------------------------
printf 'this is not a database\n' >"$T/garbage.db"
run_aoms scan --format json --db embedded --db "$T/garbage.db" "$T/tree"
expect_status_bits 1
expect_contains "$ERR" "$T/garbage.db" "the bad layer is named"
expect_contains "$ERR" "not an aoms database" "why it is refused"
check "one line on stderr" test "$(wc -l <"$ERR")" -eq 1 || show "$ERR"
expect_json_valid "$OUT" "the JSON report holds the error"
expect_json "$OUT" 'any("garbage.db" in e["message"] for e in d["errors"])' "the report's error names the layer"

run_aoms scan --db embedded --db "$T/no-such.db" "$T/tree"
expect_status_bits 1
expect_contains "$ERR" "cannot open database '$T/no-such.db': No such file or directory"

run_aoms db info --db "$T/site.db" --db "$T/garbage.db"
expect_status 1 "db info with a bad layer"
expect_contains "$ERR" "$T/garbage.db"

run_aoms db import --db embedded "$T/site.tsv"
expect_status 2 "the embedded database is not written"
expect_contains "$ERR" "read-only"
run_aoms db import --db "$T/site.db" --db "$T/site-old.db" "$T/site.tsv"
expect_status 2 "db import writes one database"

e2e_finish
