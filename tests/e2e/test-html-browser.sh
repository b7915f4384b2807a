#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The HTML report in a real browser (issue 13): headless Chromium loads the page
# from a file URL with no network, it logs no console message (an uncaught error
# would be one), the table shows every finding, the filter driven by the query
# string the page honours (?q=, ?severity=) shows the matching rows only, and a
# screenshot is kept as a test artifact: $AOMS_BUILD/test-artifacts/report.png.
# tools/install-deps.sh --tests installs Debian's chromium (EPEL's on EL), so CI runs
# it; skipped (77) only where no chromium is installed.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc python3
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROMIUM" ] || skip "chromium not installed (apt-get install chromium) - HTML not checked in a browser"

T=$E2E_TMP
mkdir -p "$T/tree"
printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >"$T/app.c"
build_cc "$T/tree/app" "$T/app.c" -pthread || die "cannot build app"
needs_new_glibc "$T/tree/app" || skip "the host glibc is older than 2.34"
build_user_lib "$T/tree/libuser.so.1" || die "cannot build libuser.so.1"
SOURCE_DATE_EPOCH=1700000000 run_aoms scan --run-id browser --format html -o "$T/report.html" "$T/tree"
expect_status 12 "html"
SOURCE_DATE_EPOCH=1700000000 run_aoms scan --format json "$T/tree"
total=$(json_eval "$OUT" 'len(d["entries"])')
high=$(json_eval "$OUT" 'sum(e["severity"] == "high" for e in d["entries"])')
[ "$total" -ge 2 ] && [ "$high" -ge 1 ] && [ "$high" -lt "$total" ] || die "want a high and a lower finding, got $total/$high"

# chromium NAME URL ARGS...: runs headless on the page, the DOM after scripts in
# $T/NAME.dom, its log (console messages at INFO) in $T/NAME.log.
chromium() {
	local name=$1 url=$2
	shift 2
	timeout -k 5 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-dev-shm-usage --user-data-dir="$T/profile" --enable-logging=stderr --v=0 \
		--virtual-time-budget=3000 "$@" "$url" >"$T/$name.dom" 2>"$T/$name.log"
}
shown() { sed -n 's/.*<body data-shown="\([0-9]*\)".*/\1/p' "$T/$1.dom" | head -n 1; }

URL="file://$T/report.html"
chromium all "$URL" --dump-dom || fail "chromium failed on the page"
expect_eq "$(shown all)" "$total" "rows shown unfiltered"
check "no console message (errors included) while rendering" \
	bash -c '! grep -E "CONSOLE|Uncaught" "$1"' _ "$T/all.log"
check "the table has one row per finding" \
	bash -c '[ "$(grep -o "<tr class=\"sev-" "$1" | wc -l)" = "$2" ]' _ "$T/all.dom" "$total"
chromium app "$URL?q=app" --dump-dom
check "no console message with ?q=" bash -c '! grep -E "CONSOLE|Uncaught" "$1"' _ "$T/app.log"
expect_eq "$(shown app)" "$(json_eval "$OUT" 'sum("app" in (e["subject"]["path"] + e["rule"] + e["title"] + e["key"]).lower() for e in d["entries"])')" \
	"rows shown filtered by text"
chromium high "$URL?severity=high" --dump-dom
expect_eq "$(shown high)" "$high" "rows shown filtered by severity"
chromium none "$URL?q=no-such-thing-anywhere" --dump-dom
expect_eq "$(shown none)" 0 "rows shown for a filter nothing matches"

ART=${AOMS_BUILD:-$T}/test-artifacts
mkdir -p "$ART"
chromium shot "$URL" --window-size=1280,1600 --screenshot="$ART/report.png"
check "a screenshot is saved ($ART/report.png)" test -s "$ART/report.png"
cp "$T/report.html" "$ART/report.html"
e2e_finish
