#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compact copy of Leapp's package-evolution events (PES) for `aoms assess`.

Reads ../shared/data/userspace/leapp/pes-events-centos7-to-el8.almalinux-leapp-data.json
(ELevate / AlmaLinux leapp-data, 2,289 events) and writes
abi-db/data/pes/pes-events-centos7-to-el8.tsv: the events whose release is 8.x (what a
7 -> 8 upgrade applies), one row each:

  id  action  arches  from  to  in  out

action is Leapp's Action number (0 PRESENT .. 7 RENAMED), arches a comma list (empty:
all), from/to MAJOR.MINOR of initial_release/release, in a space-separated list of
package names (name[:module:stream]), out the same as name@pesid. abi-db/pes.c reads
it; usage: tools/gen-pes-data.py [SHARED_DATA_DIR] [OUTDIR]
"""
import json
import os
import sys

SRC = "userspace/leapp/pes-events-centos7-to-el8.almalinux-leapp-data.json"


def pkg(p, with_repo):
    name = p["name"]
    ms = p.get("modulestream") or p.get("module_stream")
    if ms:
        name += ":%s:%s" % (ms["name"], ms["stream"])
    if with_repo and p.get("repository"):
        name += "@" + p["repository"]
    return name


def rel(r):
    if not r:
        return ""
    return "%d.%d" % (r["major_version"], r["minor_version"])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../shared/data")
    outdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "../abi-db/data/pes")
    with open(os.path.join(shared, SRC)) as f:
        doc = json.load(f)
    rows = []
    for e in doc["packageinfo"]:
        if e["release"]["major_version"] != 8:
            continue
        ins = " ".join(pkg(p, False) for p in (e.get("in_packageset") or {}).get("package", []))
        outs = " ".join(pkg(p, True) for p in (e.get("out_packageset") or {}).get("package", []))
        rows.append((e.get("id", 0), e["action"], ",".join(e.get("architectures") or []),
                     rel(e.get("initial_release")), rel(e["release"]), ins, outs))
    rows.sort()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "pes-events-centos7-to-el8.tsv"), "w") as out:
        out.write("# aoms PES events (tools/gen-pes-data.py); provenance: ../shared/data/%s\n" % SRC)
        out.write("# upstream: https://github.com/AlmaLinux/leapp-data (timestamp %s); events with release 8.x\n"
                  % doc.get("timestamp", "?"))
        out.write("#id\taction\tarches\tfrom\tto\tin\tout\n")
        for r in rows:
            out.write("\t".join(str(x) for x in r) + "\n")


if __name__ == "__main__":
    main()
