# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Shared helpers of the end-to-end tests. A test script does:
#
#	. "$(dirname "$0")/lib.sh"
#	e2e_init
#	need_cmd gcc            # exits 77 (skipped) when missing
#	run_aoms scan --format json "$E2E_TMP/tree"
#	expect_status 12
#	expect_finding "$OUT" app-removed elf.symbol-missing symbol=foo_b .inhibitor=true
#	e2e_finish              # exits 1 if any assertion failed, else 0
#
# Environment (set by ctest, see tests/CMakeLists.txt): AOMS (the binary), AOMS_SRC
# (source dir), AOMS_BUILD (build dir). AOMS_E2E_KEEP=1 keeps the temporary directory.
# AOMS_E2E_TIMEOUT (seconds, default 300) bounds each aoms run.
#
# Assertions do not stop the script: they print "FAIL: ..." with the evidence and
# the script goes on, so one run shows every difference. die() stops it.
# JSON is checked with python3's json module (no jq).

set -u -o pipefail

E2E_NAME=$(basename "$0" .sh)
E2E_FAILS=0
E2E_CHECKS=0
E2E_RUNS=0
E2E_TMP=
OUT=
ERR=
STATUS=

e2e_log() { printf '%s: %s\n' "$E2E_NAME" "$*" >&2; }

# Stops the test: it could not even be set up.
die() {
	printf '%s: FATAL: %s\n' "$E2E_NAME" "$*" >&2
	exit 1
}

skip() {
	printf '%s: SKIP: %s\n' "$E2E_NAME" "$*" >&2
	exit 77
}

fail() {
	E2E_FAILS=$((E2E_FAILS + 1))
	printf '%s: FAIL: %s\n' "$E2E_NAME" "$*" >&2
}

pass() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ -n "${AOMS_E2E_VERBOSE:-}" ] && printf '%s: ok: %s\n' "$E2E_NAME" "$*" >&2
	return 0
}

# check DESCRIPTION COMMAND...: runs COMMAND, a failure when it exits non-zero.
check() {
	local what=$1
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if "$@"; then
		pass "$what"
	else
		fail "$what"
		return 1
	fi
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "'$c' not found"
	done
}

# need_bpf_cc: clang, python3 and libbpf's headers for clang -target bpf objects, or
# skip; sets BPF_CFLAGS.
need_bpf_cc() {
	need_cmd clang python3
	[ -e /usr/include/bpf/bpf_helpers.h ] || skip "no libbpf headers (libbpf-dev)"
	BPF_CFLAGS="-target bpf -O2 -g -I/usr/include/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
}

e2e_cleanup() {
	[ -n "$E2E_TMP" ] || return 0
	if [ -n "${AOMS_E2E_KEEP:-}" ]; then
		e2e_log "kept $E2E_TMP"
	else
		chmod -R u+rwX "$E2E_TMP" 2>/dev/null
		rm -rf "$E2E_TMP"
	fi
}

e2e_init() {
	local here
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	: "${AOMS_SRC:=$(cd "$here/../.." && pwd)}"
	: "${AOMS_BUILD:=$AOMS_SRC/build}"
	: "${AOMS:=$AOMS_BUILD/aoms}"
	export AOMS AOMS_SRC AOMS_BUILD
	FIXTURES=$AOMS_SRC/tests/fixtures
	[ -x "$AOMS" ] || die "aoms binary '$AOMS' not found or not executable"
	need_cmd python3
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/aoms-e2e-$E2E_NAME.XXXXXX") ||
		die "cannot create a temporary directory"
	trap e2e_cleanup EXIT
	# A sanitizer report must be told apart from aoms' own exit status 1.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:exitcode=87"
	export LC_ALL=C
	_e2e_write_py
}

e2e_finish() {
	_e2e_check_catalogued
	if [ "$E2E_FAILS" -gt 0 ]; then
		e2e_log "$E2E_FAILS of $E2E_CHECKS checks failed"
		exit 1
	fi
	e2e_log "all $E2E_CHECKS checks passed"
	exit 0
}

# Every rule in the JSON reports this test's aoms runs printed is in the rule
# catalogue (`aoms rules --format json`). aoms_report_add() already refuses an unknown
# rule; this holds the CLI's list to what the scanners emit.
_e2e_check_catalogued() {
	local runs=() f
	for f in "$E2E_TMP"/run-*.out; do
		[ -s "$f" ] && runs+=("$f")
	done
	[ ${#runs[@]} -gt 0 ] || return 0
	"$AOMS" rules --format json >"$E2E_TMP/rules.json" 2>"$E2E_TMP/rules.err" ||
		{ fail "'aoms rules --format json' failed"; show "$E2E_TMP/rules.err"; return 1; }
	_e2e_jcheck "a report uses a rule 'aoms rules' does not list" catalogued \
		"$E2E_TMP/rules.json" "${runs[@]}"
}

# Prints the head of a file, indented, for failure messages.
show() {
	local f=$1 n=${2:-40}
	[ -s "$f" ] || { printf '    (%s is empty)\n' "$(basename "$f")" >&2; return 0; }
	head -n "$n" "$f" | sed 's/^/    | /' >&2
	local total
	total=$(wc -l <"$f")
	[ "$total" -le "$n" ] || printf '    | ... (%d lines in all)\n' "$total" >&2
}

# ---- running aoms ------------------------------------------------------------

# run_aoms ARGS...: runs "$AOMS" ARGS with stdin from /dev/null. Sets STATUS, OUT
# (stdout file) and ERR (stderr file). A crash, a sanitizer report or a timeout
# is a failure by itself.
run_aoms() {
	E2E_RUNS=$((E2E_RUNS + 1))
	OUT=$E2E_TMP/run-$E2E_RUNS.out
	ERR=$E2E_TMP/run-$E2E_RUNS.err
	E2E_LAST_CMD="aoms $*"
	[ -n "${AOMS_E2E_VERBOSE:-}" ] && e2e_log "+ $E2E_LAST_CMD"
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 10 "${AOMS_E2E_TIMEOUT:-300}" "$AOMS" "$@" <"/dev/null" >"$OUT" 2>"$ERR"
	else
		"$AOMS" "$@" </dev/null >"$OUT" 2>"$ERR"
	fi
	STATUS=$?
	_e2e_check_crash
	return 0
}

_e2e_check_crash() {
	local why=
	case $STATUS in
	124) why="timed out after ${AOMS_E2E_TIMEOUT:-300}s" ;;
	86) why="AddressSanitizer/LeakSanitizer report" ;;
	87) why="UndefinedBehaviorSanitizer report" ;;
	*) [ "$STATUS" -ge 128 ] && why="killed by signal $((STATUS - 128))" ;;
	esac
	if [ -z "$why" ] && grep -qE 'Sanitizer|runtime error:' "$ERR"; then
		why="sanitizer output on stderr"
	fi
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ -n "$why" ]; then
		fail "'$E2E_LAST_CMD' crashed: $why (status $STATUS)"
		show "$ERR" 60
		return 1
	fi
}

_e2e_show_run() {
	printf '    command: %s\n    stderr:\n' "$E2E_LAST_CMD" >&2
	show "$ERR" 20
	printf '    stdout:\n' >&2
	show "$OUT" 20
}

# expect_status N: the last run exited with exactly N.
expect_status() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ "$STATUS" -ne "$1" ]; then
		fail "'$E2E_LAST_CMD': exit status $STATUS, expected $1${2:+ ($2)}"
		_e2e_show_run
		return 1
	fi
}

# expect_status_bits SET [CLEAR]: the bits of SET are set and those of CLEAR are not
# in the last exit status; statuses of 32 and more are never valid.
expect_status_bits() {
	local set=$1 clear=${2:-0}
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ "$STATUS" -ge 32 ] || [ $((STATUS & set)) -ne "$set" ] ||
		[ $((STATUS & clear)) -ne 0 ]; then
		fail "'$E2E_LAST_CMD': exit status $STATUS, expected bits $set set and $clear clear"
		_e2e_show_run
		return 1
	fi
}

# ---- plain assertions --------------------------------------------------------

expect_eq() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ "$1" = "$2" ] || { fail "${3:-value}: got '$1', expected '$2'"; return 1; }
}

expect_empty_file() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ ! -s "$1" ] || { fail "${2:-$1} is not empty"; show "$1" 20; return 1; }
}

expect_nonempty_file() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ -s "$1" ] || { fail "${2:-$1} is empty or missing"; return 1; }
}

# expect_contains FILE STRING [what]: fixed-string match.
expect_contains() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	grep -qF -- "$2" "$1" || { fail "${3:-$(basename "$1")} does not mention '$2'"; show "$1" 30; return 1; }
}

expect_not_contains() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if grep -qF -- "$2" "$1"; then
		fail "${3:-$(basename "$1")} mentions '$2'"
		grep -nF -- "$2" "$1" | head -n 10 | sed 's/^/    | /' >&2
		return 1
	fi
}

# expect_same_bytes A B what
expect_same_bytes() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	cmp -s "$1" "$2" && return 0
	fail "${3:-outputs differ}: $(basename "$1") and $(basename "$2") differ"
	diff -u "$1" "$2" | head -n 40 | sed 's/^/    | /' >&2
	return 1
}

# ---- JSON assertions (python3) -----------------------------------------------
# A subject argument matches an entry whose subject.path equals it or ends with
# "/SUBJECT", so tests need not know whether paths keep the scanned directory's name.
# FIELD=VALUE filters: a plain key is an evidence key (a list value matches when it
# contains VALUE); a key starting with "." is a field of the entry (.severity,
# .inhibitor, .confidence, .dimension); booleans compare as true/false.

_e2e_py() { python3 "$E2E_TMP/e2e.py" "$@"; }

# _e2e_jcheck MESSAGE SUBCOMMAND ARGS...: one assertion; the FAIL line comes first,
# then what python found.
_e2e_jcheck() {
	local msg=$1
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	_e2e_py "$@" 2>"$E2E_TMP/py.err" && return 0
	fail "$msg"
	cat "$E2E_TMP/py.err" >&2
	return 1
}

expect_json_valid() {
	_e2e_jcheck "${2:-$(basename "$1")} is not valid JSON" valid "$1" || { show "$1" 20; return 1; }
}

# expect_report_shape FILE [EXIT]: the contracts.md report shape, summary counts,
# sort order, and summary.exit_status == EXIT when given.
expect_report_shape() {
	_e2e_jcheck "report $(basename "$1") breaks the JSON report contract" shape "$@"
}

# expect_finding FILE SUBJECT RULE [FIELD=VALUE...]
expect_finding() {
	_e2e_jcheck "no $3 finding for '$2'${4:+ with ${*:4}}" finding "$@"
}

# expect_no_finding FILE SUBJECT RULE [FIELD=VALUE...]
expect_no_finding() {
	_e2e_jcheck "unexpected $3 finding for '$2'${4:+ with ${*:4}}" no-finding "$@"
}

# expect_rules FILE SUBJECT "RULE RULE...": the subject's findings have exactly
# these rules (a multiset; "" for none).
expect_rules() {
	_e2e_jcheck "findings of '$2' are not exactly [$3]" rules "$@"
}

# expect_mentioned FILE SUBJECT: a finding or an error names the subject.
expect_mentioned() {
	_e2e_jcheck "no finding or error names '$2'" mentioned "$@"
}

# json_eval FILE EXPR: prints a python expression over the document d.
json_eval() { _e2e_py eval "$@"; }

# expect_json FILE EXPR [what]: a python expression over the document d is true.
expect_json() {
	_e2e_jcheck "${3:-$2} does not hold in $(basename "$1")" assert "$1" "$2"
}

_e2e_write_py() {
	cat >"$E2E_TMP/e2e.py" <<'PY'
import json, re, sys

def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))

def subj(e):
    s = e.get("subject")
    return s.get("path") if isinstance(s, dict) else s

def matches_subject(path, want):
    return isinstance(path, str) and (path == want or path.endswith("/" + want))

def text(v):
    if v is True: return "true"
    if v is False: return "false"
    if v is None: return "null"
    return str(v)

def field_ok(e, k, v):
    if k.startswith("."):
        have = e.get(k[1:], "<absent>")
    else:
        have = (e.get("evidence") or {}).get(k, "<absent>")
    if isinstance(have, list):
        return v in [text(x) for x in have]
    return text(have) == v

def entries_of(d, want):
    return [e for e in d.get("entries", []) if matches_subject(subj(e), want)]

def brief(e):
    return "%s %s %s inhibitor=%s evidence=%s" % (subj(e), e.get("rule"), e.get("severity"),
        text(e.get("inhibitor")), json.dumps(e.get("evidence"), sort_keys=True))

def dump_subject(d, want):
    es = entries_of(d, want)
    if not es:
        sys.stderr.write("    findings of %r: none\n" % want)
    for e in es:
        sys.stderr.write("    | " + brief(e) + "\n")

def filters(args):
    out = []
    for a in args:
        k, sep, v = a.partition("=")
        if not sep: raise SystemExit("bad filter %r" % a)
        out.append((k, v))
    return out

def cmd_valid(a):
    try: load(a[0])
    except Exception as ex:
        sys.stderr.write("    %s\n" % ex); return 1
    return 0

def cmd_finding(a, negate=False):
    d = load(a[0]); want, rule, fl = a[1], a[2], filters(a[3:])
    hit = [e for e in entries_of(d, want) if e.get("rule") == rule
           and all(field_ok(e, k, v) for k, v in fl)]
    if bool(hit) != negate: return 0
    dump_subject(d, want)
    return 1

def cmd_rules(a):
    d = load(a[0]); want = a[1]; exp = sorted(a[2].split())
    got = sorted(e.get("rule") for e in entries_of(d, want))
    if got == exp: return 0
    sys.stderr.write("    got %s, expected %s\n" % (got, exp))
    dump_subject(d, want)
    return 1

def cmd_mentioned(a):
    d = load(a[0]); want = a[1]
    if entries_of(d, want): return 0
    for er in d.get("errors", []):
        if matches_subject(er.get("subject"), want): return 0
    sys.stderr.write("    subjects: %s\n    errors: %s\n" % (
        sorted(set(text(subj(e)) for e in d.get("entries", []))),
        [er.get("subject") for er in d.get("errors", [])]))
    return 1

def vkey(e):
    # strverscmp's order for the versions aoms writes (digit runs as numbers); no
    # version first
    v = ((e.get("evidence") or {}).get("version") if isinstance(e, dict) else None)
    if not isinstance(v, str): return (0, "", ())
    return (1, re.match(r"\D*", v).group(0).rstrip("_."), tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.findall(r"\d+|\D+", v)))

G = {"subj": subj, "re": re, "json": json}

def cmd_eval(a):
    d = load(a[0]); v = eval(a[1], dict(G, d=d))
    print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))
    return 0

def cmd_assert(a):
    d = load(a[0])
    if eval(a[1], dict(G, d=d)): return 0
    return 1

SEVS = ["info", "low", "medium", "high"]
DIMS = ["hardware", "kernel", "packages", "applications", "configuration"]

def cmd_shape(a):
    d = load(a[0]); exp_exit = int(a[1]) if len(a) > 1 else None
    bad = []
    def need(cond, msg):
        if not cond: bad.append(msg)
    need(isinstance(d, dict), "document is not an object")
    if bad: return report(bad)
    for k in ["schema_version", "tool", "run", "inputs", "summary", "entries", "errors"]:
        need(k in d, "missing top-level key %r" % k)
    need(d.get("schema_version") == "1.6", "schema_version is %r" % d.get("schema_version"))
    tool = d.get("tool") or {}
    need(tool.get("name") == "aoms" and isinstance(tool.get("version"), str), "tool is %r" % tool)
    need(isinstance(d.get("run"), dict), "run is not an object")
    need(isinstance(d.get("inputs"), list) and all(isinstance(x, str) for x in d.get("inputs", [])),
         "inputs is not a list of strings")
    ents = d.get("entries") if isinstance(d.get("entries"), list) else []
    errs = d.get("errors") if isinstance(d.get("errors"), list) else []
    need(isinstance(d.get("entries"), list), "entries is not a list")
    need(isinstance(d.get("errors"), list), "errors is not a list")
    for i, e in enumerate(ents):
        w = "entries[%d] (%s)" % (i, e.get("rule") if isinstance(e, dict) else "?")
        if not isinstance(e, dict):
            bad.append(w + " is not an object"); continue
        for k in ["key", "rule", "title", "summary", "severity", "inhibitor", "groups", "flags",
                  "audience", "dimension", "confidence", "subject", "evidence", "identity",
                  "actions", "detail"]:
            need(k in e, w + ": missing %r" % k)
        need(isinstance(e.get("key"), str) and re.fullmatch(r"[0-9a-f]{16}", e.get("key")),
             w + ": key %r is not 16 hex digits" % e.get("key"))
        need(isinstance(e.get("rule"), str) and re.fullmatch(r"[a-z0-9]+\.[a-z0-9.-]+", e.get("rule") or ""),
             w + ": rule id %r" % e.get("rule"))
        need(isinstance(e.get("title"), str) and e.get("title"), w + ": empty title")
        need(isinstance(e.get("summary"), str) and e.get("summary"), w + ": empty summary")
        need(e.get("severity") in SEVS, w + ": severity %r" % e.get("severity"))
        need(isinstance(e.get("inhibitor"), bool), w + ": inhibitor is not a boolean")
        need(e.get("dimension") in DIMS, w + ": dimension %r" % e.get("dimension"))
        need(e.get("confidence") in ["certain", "likely", "possible"], w + ": confidence %r" % e.get("confidence"))
        g = e.get("groups")
        need(isinstance(g, list) and g[:1] == [e.get("dimension")], w + ": groups %r do not start with the dimension" % g)
        need(isinstance(g, list) and ("inhibitor" in g) == bool(e.get("inhibitor")), w + ": groups %r vs inhibitor" % g)
        need(e.get("flags") == (["inhibitor"] if e.get("inhibitor") else []), w + ": flags %r" % e.get("flags"))
        need(isinstance(e.get("audience"), str), w + ": audience")
        s = e.get("subject")
        need(isinstance(s, dict) and isinstance(s.get("path"), str) and "package" in s
             and (s.get("package") is None or isinstance(s.get("package"), str)), w + ": subject %r" % s)
        need(isinstance(s, dict) and isinstance(s.get("relative_path"), str), w + ": subject.relative_path")
        need(isinstance(e.get("identity"), list) and all(isinstance(e.get("evidence"), dict) and
             isinstance(e["evidence"].get(k), str) for k in e.get("identity") or []),
             w + ": identity %r names no scalar evidence" % e.get("identity"))
        need(isinstance(e.get("actions"), list) and all(isinstance(x, dict) and isinstance(x.get("kind"), str)
             and isinstance(x.get("args"), dict) for x in e.get("actions") or []), w + ": actions %r" % e.get("actions"))
        ev = e.get("evidence")
        need(isinstance(ev, dict) and all(isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
             for v in (ev or {}).values()), w + ": evidence %r" % ev)
        det = e.get("detail")
        need(isinstance(det, dict) and isinstance(det.get("remediations"), list)
             and isinstance(det.get("related_resources"), list), w + ": detail %r" % det)
        for r in (det or {}).get("remediations", []) if isinstance(det, dict) else []:
            need(isinstance(r, dict) and (r.get("type") == "hint" and isinstance(r.get("context"), str) or
                 r.get("type") == "command" and isinstance(r.get("context"), list)), w + ": remediation %r" % r)
    keys = [e.get("key") for e in ents if isinstance(e, dict)]
    need(len(keys) == len(set(keys)), "duplicate entry keys")
    for i in range(1, len(ents)):
        p, q = ents[i - 1], ents[i]
        if not (isinstance(p, dict) and isinstance(q, dict)): continue
        ps, qs = text(subj(p)), text(subj(q))
        if ps > qs:
            bad.append("entries not sorted by subject: %r before %r" % (ps, qs))
        elif ps == qs and p.get("dimension") == q.get("dimension") and \
                (p.get("rule"), vkey(p), p.get("key")) > (q.get("rule"), vkey(q), q.get("key")):
            bad.append("entries of %r not sorted by rule, version, key: %s/%s before %s/%s" % (
                ps, p.get("rule"), p.get("key"), q.get("rule"), q.get("key")))
    files = d.get("files", [])
    need(isinstance(files, list), "files is not a list")
    for i, f in enumerate(files if isinstance(files, list) else []):
        w = "files[%d]" % i
        need(isinstance(f, dict) and list(f) in (["path", "scanner", "verdict", "needs", "lacks"],
             ["path", "scanner", "verdict", "needs", "lacks", "syscalls"]), w + ": %r" % f)
        if isinstance(f, dict) and "syscalls" in f:
            sc = f["syscalls"]
            need(isinstance(sc, list) and sc and all(isinstance(v, str) for v in sc) and
                 sc == sorted(set(sc)), w + ": syscalls")
        if not isinstance(f, dict): continue
        need(all(isinstance(f.get(k), str) and f.get(k) for k in ["path", "scanner", "verdict"]), w + ": %r" % f)
        need(isinstance(f.get("needs"), dict) and all(isinstance(v, str) for v in f["needs"].values()), w + ": needs")
        need(isinstance(f.get("lacks"), list) and all(isinstance(v, str) for v in f["lacks"]), w + ": lacks")
        if i > 0 and isinstance(files[i - 1], dict):
            pp, qq = (files[i - 1].get("path"), files[i - 1].get("scanner")), (f.get("path"), f.get("scanner"))
            need(text(pp[0]) < text(qq[0]) or (pp[0] == qq[0] and pp[1] < qq[1]), w + ": not sorted after %r" % (pp,))
    for i, er in enumerate(errs):
        w = "errors[%d]" % i
        need(isinstance(er, dict) and isinstance(er.get("subject"), str) and isinstance(er.get("message"), str)
             and (er.get("errno") is None or isinstance(er.get("errno"), int))
             and (er.get("error") is None or isinstance(er.get("error"), str)), w + ": %r" % er)
    sm = d.get("summary") or {}
    dents = [e for e in ents if isinstance(e, dict)]
    need(sm.get("findings") == len(ents), "summary.findings %r != %d entries" % (sm.get("findings"), len(ents)))
    need(sm.get("inhibitors") == sum(1 for e in dents if e.get("inhibitor") is True),
         "summary.inhibitors %r" % sm.get("inhibitors"))
    need(sm.get("errors") == len(errs), "summary.errors %r != %d errors" % (sm.get("errors"), len(errs)))
    bs = sm.get("by_severity") or {}
    for s in SEVS:
        need(bs.get(s) == sum(1 for e in dents if e.get("severity") == s), "summary.by_severity.%s %r" % (s, bs.get(s)))
    bd = sm.get("by_dimension") or {}
    for s in DIMS:
        need(bd.get(s) == sum(1 for e in dents if e.get("dimension") == s), "summary.by_dimension.%s %r" % (s, bd.get(s)))
    need(isinstance(sm.get("exit_status"), int), "summary.exit_status %r" % sm.get("exit_status"))
    if exp_exit is not None:
        need(sm.get("exit_status") == exp_exit, "summary.exit_status %r, process exited %d" % (sm.get("exit_status"), exp_exit))
    return report(bad)

def cmd_catalogued(a):
    known = set(r.get("id") for r in load(a[0]))
    bad = []
    for path in a[1:]:
        try: d = load(path)
        except Exception: continue          # text output, or not JSON at all
        if not isinstance(d, dict) or not isinstance(d.get("entries"), list): continue
        for e in d["entries"]:
            if isinstance(e, dict) and e.get("rule") not in known:
                bad.append("%s: rule %r" % (path.rsplit("/", 1)[-1], e.get("rule")))
    return report(sorted(set(bad)))

def report(bad):
    for b in bad[:30]:
        sys.stderr.write("    " + b + "\n")
    return 1 if bad else 0

cmds = {"valid": cmd_valid, "finding": cmd_finding, "rules": cmd_rules, "shape": cmd_shape,
        "no-finding": lambda a: cmd_finding(a, negate=True), "mentioned": cmd_mentioned,
        "eval": cmd_eval, "assert": cmd_assert, "catalogued": cmd_catalogued}
try:
    sys.exit(cmds[sys.argv[1]](sys.argv[2:]))
except (OSError, ValueError) as ex:
    sys.stderr.write("    %s\n" % ex)
    sys.exit(1)
PY
}

# ---- building fixtures ----------------------------------------------------------

# build_cc OUT ARGS...: gcc -o OUT ARGS, quietly; the compiler's messages on failure.
build_cc() {
	local out=$1
	shift
	local log=$E2E_TMP/cc.log
	if ! gcc -o "$out" "$@" >"$log" 2>&1; then
		printf '%s: gcc -o %s %s\n' "$E2E_NAME" "$out" "$*" >&2
		show "$log" 20
		return 1
	fi
}

# shlib OUT SONAME SRC [MAP] [GCC ARGS...]: a shared library with a soname and an
# optional version script ("" for none).
shlib() {
	local out=$1 soname=$2 src=$3 map=${4:-}
	shift 3
	[ $# -gt 0 ] && shift
	build_cc "$out" -shared -fPIC -Wl,-soname,"$soname" ${map:+-Wl,--version-script="$map"} "$src" "$@"
}

# rpm_build SPEC [rpmbuild args...]: rpmbuild -bb of $FIXTURES/assess/SPEC.spec into
# $E2E_TMP/rpmbuild/RPMS/ARCH/, unstripped, quietly; dies with the log on failure.
rpm_build() {
	local spec=$1; shift
	rpmbuild -bb --nodeps --define "_topdir $E2E_TMP/rpmbuild" --define "_dbpath $E2E_TMP/builddb" \
		--define "debug_package %{nil}" --define "__strip /bin/true" \
		--define "_build_id_links none" "$@" "$FIXTURES/assess/$spec.spec" >"$E2E_TMP/$spec.log" 2>&1 ||
		{ show "$E2E_TMP/$spec.log"; die "rpmbuild $spec"; }
}

# rpm_build_pkg NAME VERSION RELEASE [DEFINE VALUE]...: $FIXTURES/solve/pkg.spec (a
# package for the solver's tests; its defines in the spec's header) into
# $E2E_TMP/rpmbuild/RPMS/x86_64/, quietly; dies with the log on failure.
rpm_build_pkg() {
	local name=$1 ver=$2 rel=$3 args=()
	shift 3
	while [ $# -ge 2 ]; do args+=(--define "$1 $2"); shift 2; done
	rpmbuild -bb --nodeps --define "_topdir $E2E_TMP/rpmbuild" --define "_dbpath $E2E_TMP/builddb" \
		--define "debug_package %{nil}" --define "_build_id_links none" \
		--define "pkgname $name" --define "pkgver $ver" --define "pkgrel $rel" \
		"${args[@]}" "$FIXTURES/solve/pkg.spec" >"$E2E_TMP/build-$name.log" 2>&1 ||
		{ show "$E2E_TMP/build-$name.log"; die "rpmbuild $name"; }
}

# rpm_install_root ROOT RPM...: a new rpmdb in ROOT/var/lib/rpm and the packages in it
# (no dependencies, scripts or signature checks), as a host's root would have them.
rpm_install_root() {
	local root=$1; shift
	mkdir -p "$root" && rpm --root "$root" --dbpath /var/lib/rpm --initdb &&
		rpm --root "$root" --dbpath /var/lib/rpm -i --nodeps --noscripts --nosignature \
			--ignorearch "$@" || die "installing into $root"
}

# centos_root ROOT HOSTNAME MAJOR MINOR: a CentOS MAJOR.MINOR host's root: centos-release
# (fixture) and the packages rpm_build made so far installed into ROOT, its hostname
# HOSTNAME; the built packages are then cleared for the next root.
centos_root() {
	local rpms=$E2E_TMP/rpmbuild/RPMS
	rpm_build centos-release --define "osmajor $3" --define "osminor $4"
	rpm_install_root "$1" "$rpms"/x86_64/*.rpm
	echo "$2" >"$1/etc/hostname"
	rm -rf "$rpms"
}

# elfpatch ARGS...: tests/fixtures/elfpatch.py (ELF64 little-endian patcher).
elfpatch() { python3 "$FIXTURES/elfpatch.py" "$@"; }

# interp_of ELF: its PT_INTERP path, or nothing.
interp_of() {
	readelf -lW "$1" 2>/dev/null | sed -n 's/.*program interpreter: \(.*\)\]$/\1/p'
}

# make_target_root ROOT: a minimal target root holding the host's libc.so.6 and
# program interpreter in ROOT/usr/lib64 (or usr/lib when the interpreter lives in
# /lib), with the merged-/usr symlinks ROOT/lib64 -> usr/lib64, ROOT/lib -> usr/lib.
make_target_root() {
	local root=$1 libc probe interp dest
	mkdir -p "$root/usr/lib64" "$root/usr/lib" || return 1
	ln -s usr/lib64 "$root/lib64" && ln -s usr/lib "$root/lib" || return 1
	libc=$(readlink -f "$(gcc -print-file-name=libc.so.6)")
	[ -f "$libc" ] || { e2e_log "cannot find the host's libc.so.6"; return 1; }
	cp "$libc" "$root/usr/lib64/libc.so.6" || return 1
	probe=$E2E_TMP/interp-probe
	build_cc "$probe" "$FIXTURES/common/hello.c" || return 1
	interp=$(interp_of "$probe")
	[ -n "$interp" ] || { e2e_log "cannot find the program interpreter"; return 1; }
	case $interp in
	/lib64/* | /usr/lib64/*) dest=$root/usr/lib64 ;;
	*) dest=$root/usr/lib ;;
	esac
	cp "$(readlink -f "$interp")" "$dest/$(basename "$interp")"
}

# verneed_nodes ELF SONAME: the version nodes ELF needs from SONAME, one a line.
verneed_nodes() {
	readelf -VW "$1" | awk -v so="$2" '
		/File:/ { cur = ""; for (i = 1; i < NF; i++) if ($i == "File:") cur = $(i + 1) }
		/Name:/ && cur == so { for (i = 1; i < NF; i++) if ($i == "Name:") print $(i + 1) }'
}

# glibc_newer_than_2_28 VERSION...: those GLIBC_x.y nodes above GLIBC_2.28 (the
# glibc of Anolis 8), one a line.
glibc_newer_than_2_28() {
	local v
	for v in "$@"; do
		case $v in GLIBC_[0-9]*) ;; *) continue ;; esac
		[ "$v" != GLIBC_2.28 ] &&
			[ "$(printf '%s\n%s\n' GLIBC_2.28 "$v" | sort -V | tail -n 1)" = "$v" ] && echo "$v"
	done
	return 0
}

# needs_new_glibc ELF: true when ELF needs a libc.so.6 node Anolis 8 lacks, as every
# program built on a glibc >= 2.34 host does (__libc_start_main@GLIBC_2.34).
needs_new_glibc() {
	# shellcheck disable=SC2046
	[ -n "$(glibc_newer_than_2_28 $(verneed_nodes "$1" libc.so.6))" ]
}

# unknown_lib: builds (once) and prints the path of libaoms-e2e-unknown.so.1, a
# library no database knows, kept outside every scanned tree.
unknown_lib() {
	local lib=$E2E_TMP/unknown/libaoms-e2e-unknown.so.1
	if [ ! -f "$lib" ]; then
		mkdir -p "$E2E_TMP/unknown" &&
			shlib "$lib" libaoms-e2e-unknown.so.1 "$FIXTURES/default-db/unknown-lib.c" "" ||
			return 1
	fi
	echo "$lib"
}

# build_user_lib OUT: libaoms-e2e-user.so.1, linked -nostdlib so that its only need
# is libaoms-e2e-unknown.so.1: with the default database, exactly one finding,
# elf.needed-unknown (medium), whatever the host's glibc.
build_user_lib() {
	local lib
	lib=$(unknown_lib) || return 1
	shlib "$1" libaoms-e2e-user.so.1 "$FIXTURES/default-db/user-unknown.c" "" -nostdlib \
		-Wl,--no-as-needed "$lib"
}

# build_app_unknown OUT: a program needing libaoms-e2e-unknown.so.1 (and libc).
build_app_unknown() {
	local lib
	lib=$(unknown_lib) || return 1
	build_cc "$1" "$FIXTURES/default-db/app-unknown.c" -Wl,--no-as-needed "$lib"
}
