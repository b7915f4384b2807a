#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --exclude GLOB (repeatable; fnmatch on the path relative to the input, '*' matching
# '/' too; a matching directory is not entered; excluded files are neither read nor
# counted in summary.files) and --summary (text: verdicts and totals only; JSON whole).
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc mkfifo

T=$E2E_TMP
mkdir -p "$T/tree/bin" "$T/tree/vendor/old" "$T/tree/logs/2024"
printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >"$T/app.c"
build_cc "$T/tree/bin/app" "$T/app.c" -pthread || die "cannot build app"
needs_new_glibc "$T/tree/bin/app" || skip "the host glibc is older than 2.34"
cp "$T/tree/bin/app" "$T/tree/vendor/old/app"
cp "$T/tree/bin/app" "$T/tree/logs/2024/app.log"
echo text >"$T/tree/logs/2024/run.log"
mkfifo "$T/tree/vendor/old/fifo"

run_aoms scan --format json "$T/tree"
all_seen=$(json_eval "$OUT" 'd["summary"]["files"]["seen"]')
expect_json "$OUT" 'sorted({e["subject"]["path"] for e in d["entries"]}) == ["bin/app", "logs/2024/app.log", "vendor/old/app", "vendor/old/fifo"]'

run_aoms scan --exclude vendor --exclude '*.log' --format json "$T/tree"
expect_status 12 "bin/app still judged"
expect_json "$OUT" '{e["subject"]["path"] for e in d["entries"]} == {"bin/app"}'
expect_json "$OUT" 'd["summary"]["files"]["seen"] == 1 and [f["path"] for f in d["files"]] == ["bin/app"]'
expect_eq "$all_seen" 4 "four regular files seen without --exclude (the FIFO is a finding)"
# a pattern matches the whole relative path: 'old' alone is not 'vendor/old'
run_aoms scan --exclude old --format json "$T/tree"
expect_json "$OUT" '"vendor/old/app" in {e["subject"]["path"] for e in d["entries"]}'
run_aoms scan --exclude 'vendor/*' --exclude 'logs' --format json "$T/tree"
expect_json "$OUT" 'd["summary"]["files"]["seen"] == 1'
# a file given as input is matched by its base name
run_aoms scan --exclude 'app' --allow-empty "$T/tree/bin/app"
expect_status 0 "an excluded input file"
run_aoms scan --exclude '' "$T/tree"
expect_status 2 "an empty pattern"

# ---- --summary ------------------------------------------------------------------------
run_aoms scan --summary "$T/tree"
expect_status 12 "--summary keeps the exit status"
expect_contains "$OUT" "Verdicts"
expect_contains "$OUT" "bin/app: incompatible"
expect_contains "$OUT" "files: 4 seen"
expect_contains "$OUT" "exit status 12"
expect_not_contains "$OUT" "[high"
expect_not_contains "$OUT" "target:"
run_aoms scan --summary --format json "$T/tree"
expect_json "$OUT" 'len(d["entries"]) >= 4'
e2e_finish
