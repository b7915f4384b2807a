#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The rule catalogue: `aoms rules` and `aoms explain` (exit status, text and JSON),
# and a scan of a tree of built fixtures whose every finding's rule is in the
# catalogue with the catalogue's dimension. (lib.sh's e2e_finish checks the rules of
# every e2e test's JSON reports against the catalogue as well.)
#
#   tree/libaoms-e2e-kernel.so.1   .note.ABI-tag 5.10.0        elf.kernel-too-old
#   tree/libaoms-e2e-sparc.so.1    e_machine EM_SPARCV9        elf.machine-unsupported
#   tree/bin/app, tree/libaoms-e2e-user.so.1 + tree/other/libaoms-e2e-unknown.so.1
#                                  a need off the loader's path  elf.needed-off-path
#   tree/trunc                     a truncated ELF             elf.malformed
#   tree/fifo                      a FIFO                      scan.file-skipped

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc mkfifo

# ---- aoms rules ---------------------------------------------------------------------
run_aoms rules
expect_status 0 "aoms rules"
expect_empty_file "$ERR" "stderr of aoms rules"
expect_contains "$OUT" "elf.needed-missing" "aoms rules"
TEXT=$OUT
run_aoms rules --format json
expect_status 0 "aoms rules --format json"
RULES=$OUT
expect_json_valid "$RULES"
expect_json "$RULES" 'isinstance(d, list) and len(d) > 0' "a non-empty array"
expect_json "$RULES" '[r["id"] for r in d] == sorted(set(r["id"] for r in d))' "sorted unique ids"
expect_json "$RULES" 'all(set(r) == {"id", "dimension", "severity", "inhibitor", "title", "doc", "link"} for r in d)' \
	"every rule has exactly the documented members"
expect_json "$RULES" 'all(r["dimension"] in ["hardware", "kernel", "packages", "applications", "configuration"] and r["severity"] in ["info", "low", "medium", "high"] and isinstance(r["inhibitor"], bool) and r["title"] and len(r["doc"]) > 100 for r in d)' \
	"dimension, severity, inhibitor, title and doc are filled in"
expect_json "$RULES" '{r["id"] for r in d} >= {"elf.needed-missing", "elf.version-node-missing", "rpm.requires-missing", "scan.file-skipped", "scan.not-judged"}' \
	"the catalogue holds the rules the scanners emit"
n_text=$(($(wc -l <"$TEXT") - 1))
expect_eq "$n_text" "$(json_eval "$RULES" 'len(d)')" "text lines (less the header) vs JSON rules"
run_aoms rules --format json
expect_same_bytes "$RULES" "$OUT" "aoms rules --format json twice"

# docs/report-schema.md's table of rules says what the catalogue says
cat >"$E2E_TMP/doc-table.py" <<'PY'
import json, re, sys
rules = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
section = text.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
rows = []
for line in section.splitlines():
    m = re.match(r"\| `([^`]+)` \| ([a-z]+)[^|]* \| ([a-z]+)[^|]* \|", line)
    if m:
        rows.append((m.group(1), m.group(2), m.group(3) == "yes"))
want = [(r["id"], r["severity"], r["inhibitor"]) for r in rules]
if rows == want:
    sys.exit(0)
for x in sorted(set(rows) ^ set(want)):
    print("    %s %r" % ("doc" if x in rows else "aoms rules", x), file=sys.stderr)
if set(rows) == set(want):
    print("    same rows, another order", file=sys.stderr)
sys.exit(1)
PY
check "docs/report-schema.md's rules table matches aoms rules" \
	python3 "$E2E_TMP/doc-table.py" "$RULES" "$AOMS_SRC/docs/report-schema.md"

# ---- aoms explain -------------------------------------------------------------------
for id in $(json_eval "$RULES" '" ".join(r["id"] for r in d)'); do
	run_aoms explain "$id"
	expect_status 0 "aoms explain $id"
	expect_contains "$OUT" "rule:       $id" "aoms explain $id"
	long=$(awk 'length > 80' "$OUT" | grep -cv '^link:')
	expect_eq "$long" 0 "lines over 80 columns in 'aoms explain $id'"
	run_aoms explain --format json "$id"
	expect_status 0 "aoms explain --format json $id"
	expect_eq "$(json_eval "$OUT" 'json.dumps(d, sort_keys=True)')" \
		"$(json_eval "$RULES" "json.dumps([r for r in d if r['id'] == '$id'][0], sort_keys=True)")" \
		"explain --format json $id is its entry of aoms rules"
done
run_aoms explain elf.version-node-missing
expect_contains "$OUT" "version \`GLIBC_2.34' not found" "the doc paragraph"
expect_contains "$OUT" "inhibitor:  yes" "explain elf.version-node-missing"

# usage errors: status 2, nothing on stdout, one line on stderr
for args in "explain elf.no-such-rule" "explain" "explain a b" "rules extra" \
	"rules --format bogus" "explain --format bogus elf.malformed"; do
	# shellcheck disable=SC2086
	run_aoms $args
	expect_status 2 "aoms $args"
	expect_empty_file "$OUT" "stdout of 'aoms $args'"
	expect_eq "$(wc -l <"$ERR")" 1 "stderr lines of 'aoms $args'"
done
run_aoms explain elf.no-such-rule
expect_contains "$ERR" "unknown rule 'elf.no-such-rule'" "the unknown rule is named"
run_aoms --help
expect_contains "$OUT" "aoms explain" "--help"

# ---- a scan of built fixtures ------------------------------------------------------
T=$E2E_TMP
F=$FIXTURES/elf-rules
mkdir -p "$T/tree/bin" "$T/tree/other" || die "mkdir"
shlib "$T/tree/libaoms-e2e-kernel.so.1" libaoms-e2e-kernel.so.1 "$F/kernel-note.c" "" -nostdlib ||
	die "building the kernel-note library"
shlib "$T/tree/libaoms-e2e-sparc.so.1" libaoms-e2e-sparc.so.1 "$F/plain.c" "" -nostdlib ||
	die "building the sparc library"
elfpatch ehdr "$T/tree/libaoms-e2e-sparc.so.1" e_machine 43 || die "patching e_machine"
build_user_lib "$T/tree/libaoms-e2e-user.so.1" || die "building libaoms-e2e-user"
build_app_unknown "$T/tree/bin/app" || die "building app"
cp "$(unknown_lib)" "$T/tree/other/" || die "cp"
head -c 200 "$T/tree/bin/app" >"$T/tree/trunc" || die "truncating"
mkfifo "$T/tree/fifo" || die "mkfifo"

run_aoms scan --format json --fail-on never "$T/tree"
expect_status 0 "scan --fail-on never"
J=$OUT
expect_report_shape "$J" 0
for rule in elf.kernel-too-old elf.machine-unsupported elf.needed-off-path elf.malformed \
	scan.file-skipped; do
	expect_json "$J" "any(e['rule'] == '$rule' for e in d['entries'])" "a $rule finding"
done
cat >"$T/dims.py" <<'PY'
import json, sys
rules = {r["id"]: r for r in json.load(open(sys.argv[1]))}
bad = [e["rule"] for e in json.load(open(sys.argv[2]))["entries"]
       if e["rule"] not in rules or rules[e["rule"]]["dimension"] != e["dimension"]]
for b in sorted(set(bad)):
    print("    rule %r: not in the catalogue, or another dimension" % b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
check "every finding's rule is catalogued with its dimension" python3 "$T/dims.py" "$RULES" "$J"

e2e_finish
