# SPDX-License-Identifier: LGPL-2.1-or-later
"""The EL8 facts of tools/gen-abidb-data.py: a real RHEL 8.3 x86_64 server root
(shared/data/el8/rhel-8.3/: libraries, symbols, packages, provides, kernel) and the
EL8 package lists (shared/data/el8/packages/). Deterministic, no network."""
import gzip
import os

ROOT = "el8/rhel-8.3"
LIBRARIES = f"{ROOT}/rhel-8.3-libraries-x86_64.tsv"
SYMBOLS = f"{ROOT}/rhel-8.3-symbols-x86_64.tsv"
PACKAGES = f"{ROOT}/rhel-8.3-packages-x86_64.tsv"
PROVIDES = f"{ROOT}/rhel-8.3-provides-x86_64.tsv"
KERNEL = "4.18.0-240.15.1.el8_3"
KERNEL_DIR = f"{ROOT}/kernel-{KERNEL}.x86_64"
BY_REPO = "el8/packages/el8-packages-by-repo.tsv"
MANYLINUX = "el8/packages/manylinux_2_28-allowed-libraries.tsv"
# The tables tools/gen-abidb-data.py already ships for x86_64: their rows are not
# repeated (the lookup merges all sources of a soname).
SHIPPED_X86_64 = ("glibc-2.28-el8-x86_64.tsv", "libstdcxx-gcc-8-x86_64.tsv",
                  "libgcc_s-gcc-8-x86_64.tsv", "openssl-1.1.1k-el8-x86_64.tsv")
# The EL8 package of each manylinux_2_28 library (EL8 package naming; each checked
# against the package lists).
MANYLINUX_PACKAGE = {
    "libatomic.so.1": "libatomic", "libgcc_s.so.1": "libgcc", "libstdc++.so.6": "libstdc++",
    "libnsl.so.1": "libnsl", "libX11.so.6": "libX11", "libXext.so.6": "libXext",
    "libXrender.so.1": "libXrender", "libICE.so.6": "libICE", "libSM.so.6": "libSM",
    "libGL.so.1": "libglvnd-glx", "libgobject-2.0.so.0": "glib2",
    "libgthread-2.0.so.0": "glib2", "libglib-2.0.so.0": "glib2", "libexpat.so.1": "expat",
    "libz.so.1": "zlib",
}
GLIBC_PACKAGE_SONAMES = ("libc.so.6", "libm.so.6", "libmvec.so.1", "libanl.so.1", "libdl.so.2",
                         "librt.so.1", "libutil.so.1", "libpthread.so.0", "libresolv.so.2")


def read_plain_tsv(path, error):
    """A TSV whose first line is its header (no '#'): (column names, rows as dicts)."""
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    cols = lines[0].lstrip("#").split("\t")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != len(cols):
            raise error(f"{path}:{n}: {len(fields)} fields, want {len(cols)}")
        rows.append(dict(zip(cols, fields)))
    return rows


def split_nevra(nevra, error):
    """name-[epoch:]version-release.arch -> (name, epoch or "-", version, release, arch)."""
    head, dot, arch = nevra.rpartition(".")
    parts = head.rsplit("-", 2)
    if not dot or len(parts) != 3 or not all(parts):
        raise error(f"bad NEVRA '{nevra}'")
    name, ver, rel = parts
    epoch = "-"
    if ":" in ver:
        epoch, ver = ver.split(":", 1)
    return name, epoch, ver, rel, arch


def shipped_symbols(outdir):
    """(soname, version, symbol) of the symbols sections of the shipped x86_64 tables."""
    seen = set()
    for name in SHIPPED_X86_64:
        table = None
        with open(os.path.join(outdir, name), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("#!table "):
                    table = line[8:]
                elif table == "symbols" and line and not line.startswith("#"):
                    soname, version, symbol = line.split("\t")[:3]
                    seen.add((soname, version, symbol))
    return seen


def symbol_type(t, error):
    """readelf's "D 28" (hex size) -> the table format's "D 0x28"."""
    kind, _, size = t.partition(" ")
    if kind in ("D", "T") and size:
        int(size, 16)
        return f"{kind} 0x{size}"
    if kind in ("F", "O", "A") and not size:
        return kind
    raise error(f"bad symbol type '{t}'")


def gen_libraries(shared, outdir, ctx):
    Output, source_header, read_tsv, error = ctx
    lcomments, _, libs = read_tsv(os.path.join(shared, LIBRARIES))
    scomments, _, syms = read_tsv(os.path.join(shared, SYMBOLS))
    sonames = {r["soname"] for r in libs}
    verdefs = {(r["soname"], v) for r in libs for v in r["verdefs"].split()}
    shipped = shipped_symbols(outdir)
    rows, seen = [], set()
    for r in syms:
        if r["soname"] not in sonames:
            raise error(f"{SYMBOLS}: symbols of {r['soname']}, which {LIBRARIES} lacks")
        key = (r["soname"], r["version"], r["symbol"])
        if key in shipped or key in seen:
            continue
        if not r["version"] and (r["soname"], r["symbol"]) in verdefs:
            continue  # the absolute symbol naming a version node, not an export to bind
        seen.add(key)
        rows.append((r["soname"], r["version"], r["symbol"], r["binding"],
                     symbol_type(r["type"], error)))
    out = Output(outdir, "rhel-8.3-libraries-x86_64.tsv")
    source_header(out, "rhel-8.3-libraries-x86_64", LIBRARIES, lcomments + scomments[-2:],
                  ["all libraries with path and owning package (- = unowned); symbols only "
                   "of those on ld.so's default path (the source reads no others)",
                   "symbol rows that the shipped glibc, libstdc++, libgcc_s and OpenSSL 1.1.1k "
                   "tables already hold are left out (the lookup merges sources); GLIBC_PRIVATE "
                   "and the other real-only rows stay; the absolute symbols naming version "
                   "nodes are dropped; readelf's hex sizes are written 0x..."])
    out.directive("arch", "x86_64")
    out.table("libraries", ("soname", "path", "package"),
              sorted((r["soname"], r["path"], r["package"]) for r in libs))
    out.table("symbols", ("soname", "version", "symbol", "binding", "type"), sorted(rows))
    return out.write()


def gen_packages(shared, outdir, ctx):
    Output, source_header, read_tsv, error = ctx
    pcomments, _, pkgs = read_tsv(os.path.join(shared, PACKAGES))
    vcomments, _, provs = read_tsv(os.path.join(shared, PROVIDES))
    nevra_of, rows = {}, []
    for r in pkgs:
        n = split_nevra(r["nevra"], error)
        nevra_of.setdefault(n[0], r["nevra"])
        rows.append(n + (r["nevra"],))
    out = Output(outdir, "rhel-8.3-packages-x86_64.tsv")
    source_header(out, "rhel-8.3-packages-x86_64", PACKAGES, pcomments + vcomments[-1:],
                  ["every package is installed (1): the server root is the base install",
                   "the gpg-pubkey entries (imported signing keys) are left out",
                   "provides are unversioned (the source's index has names only); a provide "
                   "goes to the package's NEVRA"])
    out.directive("default", "installed 1")
    out.table("packages", ("name", "epoch", "version", "release", "arch", "nevra"),
              sorted(rows))
    prow = set()
    for r in provs:
        if r["package"] == "gpg-pubkey":
            continue  # the imported signing keys: rpmdb entries, not packages
        if r["package"] not in nevra_of:
            raise error(f"{PROVIDES}: provides of unknown package {r['package']}")
        prow.add((nevra_of[r["package"]], r["provide"]))
    out.directive("default", "op -")
    out.directive("default", "evr -")
    out.table("provides", ("nevra", "capability"), sorted(prow))
    return out.write()


def read_symvers(path, error):
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) not in (4, 5):
                raise error(f"{path}:{n}: {len(fields)} fields")
            crc, sym, module, etype = fields[:4]
            rows.append((sym, crc, module, etype, fields[4] if len(fields) == 5 and fields[4]
                         else "-"))
    return sorted(rows)


def read_config(path, error):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("# CONFIG_") and line.endswith(" is not set"):
                rows[line[2:-len(" is not set")]] = "n"
            elif line.startswith("CONFIG_"):
                key, _, value = line.partition("=")
                rows[key] = value
    return sorted(rows.items())


def kernel_output(outdir, ctx, stem, notes):
    """The Output of table file STEM-KERNEL-x86_64.tsv of the server root's kernel:
    source header, arch and default release directives."""
    Output, source_header = ctx[:2]
    out = Output(outdir, f"{stem}-{KERNEL}-x86_64.tsv")
    source_header(out, f"{stem}-{KERNEL}-x86_64", KERNEL_DIR + "/", [],
                  [f"the kernel of the RHEL 8.3 server root (shared/data/{ROOT}/README.md): "
                   + notes[0]] + notes[1:])
    out.directive("arch", "x86_64")
    out.directive("default", f"release {KERNEL}")
    return out


def gen_kernel(shared, outdir, ctx):
    error = ctx[3]
    kdir = os.path.join(shared, KERNEL_DIR)
    out = kernel_output(outdir, ctx, "kernel",
                        ["Module.symvers.gz (every export with CRC, module, export type) and "
                         "config, as the kernel package installed them",
                         "the default kernel for x86_64 (meta default_kernel_x86_64)"])
    out.table("kernels", ("vermagic",), [(f"{KERNEL}.x86_64 SMP mod_unload modversions ",)])
    out.table("kernel-symbols", ("symbol", "crc", "module", "export_type", "namespace"),
              read_symvers(os.path.join(kdir, "Module.symvers.gz"), error))
    out.table("kernel-config", ("key", "value"), read_config(os.path.join(kdir, "config"), error))
    return out.write()


def module_rows(kdir, error):
    """(module, path, builtin) of every module the kernel ships (modules.dep) or builds
    in (modules.builtin): name normalized as the kernel does ('-' -> '_'), path under
    kernel/ without the .ko[.xz] suffix."""
    rows = {}
    for fname, builtin in (("modules.dep", "0"), ("modules.builtin", "1")):
        with open(os.path.join(kdir, fname), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                path = line.split(":", 1)[0].strip()
                if not path:
                    continue
                if not path.startswith("kernel/") or ".ko" not in path:
                    raise error(f"{fname}:{n}: not a kernel/*.ko path: {path}")
                path = path[len("kernel/"):path.rindex(".ko")]
                name = os.path.basename(path).replace("-", "_")
                if name in rows and rows[name][1] != path:
                    raise error(f"{fname}:{n}: module {name} twice ({rows[name][1]}, {path})")
                rows[name] = (name, path, builtin if name not in rows else max(builtin, rows[name][2]))
    return sorted(rows.values())


def gen_kernel_modules(shared, outdir, ctx):
    error = ctx[3]
    kdir = os.path.join(shared, KERNEL_DIR)
    out = kernel_output(outdir, ctx, "kernel-modules",
                        ["modules.dep (every module the kernel package ships) and "
                         "modules.builtin (built into vmlinux) as depmod wrote them",
                         "table kernel-modules (schema 2.3): module name as the kernel "
                         "normalizes it ('-' -> '_'), path under kernel/ without .ko.xz, "
                         "builtin 1 for modules.builtin; a driver a host uses that is absent "
                         "here is one EL8 removed"])
    out.table("kernel-modules", ("module", "path", "builtin"), module_rows(kdir, error))
    return out.write()


def gen_manylinux(shared, outdir, ctx, base, repos):
    Output, source_header, read_tsv, error = ctx
    allowed = read_plain_tsv(os.path.join(shared, MANYLINUX), error)
    repo_of = {}
    for r in repos:
        repo_of.setdefault(r["package"], []).append(r["repo"])
    rows = []
    for r in allowed:
        soname = r["provide"].split("(")[0]
        if r["provide"].startswith("#") or soname in GLIBC_PACKAGE_SONAMES:
            continue  # symbol versions; glibc's own objects have their tables
        pkg = MANYLINUX_PACKAGE.get(soname)
        if pkg is None:
            raise error(f"{MANYLINUX}: no EL8 package known for {soname}")
        rows.append((r["arch"], soname, "-", pkg, "1" if pkg in base else "0",
                     ",".join(sorted(repo_of.get(pkg, ["-"])))))
    out = Output(outdir, "el8-manylinux_2_28-libraries.tsv")
    source_header(out, "el8-manylinux_2_28-libraries", MANYLINUX,
                  ["the libraries the manylinux_2_28 policy allows: pypa/auditwheel @ "
                   "86154d15d6a53a85aab6187032e86348a3a15df1 "
                   "src/auditwheel/policy/manylinux-policy.json",
                   f"repositories from shared/data/{BY_REPO}: rocky-linux/testing comps "
                   "(RHEL/Rocky 8.4-era) and AlmaLinux/leapp-data PES events (EL8 side); "
                   "see shared/data/el8/README.md"],
                  ["presence only (path and symbols unknown): the libraries that the "
                   "manylinux_2_28 policy (AlmaLinux 8) lets a wheel link against, x86_64 and "
                   "aarch64; glibc's own sonames are left to the glibc tables",
                   "package: EL8 package naming (repository - when el8-packages-by-repo.tsv does "
                   "not list it); installed = 1 when the root has it, else 0 "
                   "(available from the repository named in the comment)"])
    out.lines.append("#!table libraries")
    out.lines.append("#arch\tsoname\tpath\tpackage\tinstalled")
    for row in sorted(set(rows)):
        out.comment(f"{row[1]} ({row[0]}): package {row[3]}, repository {row[5]}")
        out.lines.append("\t".join(row[:5]))
        out.rows += 1
    return out.write()


def gen_repo_packages(outdir, ctx, repos):
    Output, source_header = ctx[:2]
    rows = sorted({(r["package"], r["repo"]) for r in repos if r["package"] and r["repo"]})
    out = Output(outdir, "el8-packages-by-repo.tsv")
    source_header(out, "el8-packages-by-repo", BY_REPO,
                  ["which packages EL8 has in which repository: rocky-linux/testing comps "
                   "(RHEL/Rocky 8.4-era) and AlmaLinux/leapp-data PES events (EL8 side); see "
                   "shared/data/el8/README.md"],
                  ["names and repositories only (table repo-packages, schema 2.5): for a "
                   "library no other table knows, the package whose name says it ships it "
                   "(libXi.so.6: libXi, here by its libXi-devel)"])
    out.table("repo-packages", ("name", "repo"), rows)
    return out.write()


def generate(shared, outdir, Output, source_header, read_tsv, error):
    ctx = (Output, source_header, read_tsv, error)
    _, _, pkgs = read_tsv(os.path.join(shared, PACKAGES))
    base = {split_nevra(r["nevra"], error)[0] for r in pkgs}
    repos = read_plain_tsv(os.path.join(shared, BY_REPO), error)   # both tables use it
    return [gen_libraries(shared, outdir, ctx), gen_packages(shared, outdir, ctx),
            gen_kernel(shared, outdir, ctx), gen_kernel_modules(shared, outdir, ctx),
            gen_manylinux(shared, outdir, ctx, base, repos), gen_repo_packages(outdir, ctx, repos)]
