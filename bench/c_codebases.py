"""How cleanly real C codebases parse: `xapp scan --format json` over a folder of C packages.

A benchmark, not a test: it prints figures, and it downloads nothing. It runs the
installed `xapp scan` (hermetic headers, no compile database, no cache) over each
package folder directly under ROOT (or over ROOT itself with --flat), and prints
for each package and for all of them: the files whose parse reported clang errors
(or that were not ok), their share, and each such file with its first error; then
the error classes (messages with names and numbers blanked out), most frequent first.

It stands in for the hidden C OpenMP application suite of issue 22 (at most 3% of
files with clang errors). The packages measured in docs/parsing.md are Debian
bookworm sources with C and OpenMP code nobody here wrote, fetched into /tmp only
(never into the repository), as root:

    cat > /etc/apt/sources.list.d/debsrc.sources <<EOF
    Types: deb-src
    URIs: http://deb.debian.org/debian
    Suites: bookworm
    Components: main
    Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
    EOF
    apt-get update
    mkdir -p /tmp/debsrc && cd /tmp/debsrc
    for p in velvet libsharp fasttree minimap2 phyml mafft; do apt-get source --download-only $p; done
    # (the .orig tarball is enough: a 404 on a .debian.tar.xz does not matter)
    mkdir -p /tmp/csuite
    for p in velvet libsharp fasttree minimap2 phyml mafft; do
        mkdir -p x/$p && tar -xf ${p}_*.orig.tar.* -C x/$p && mv x/$p/*/ /tmp/csuite/$p
    done

The wider proxy (docs/parsing.md, 8 Dec 2026) adds eight more bookworm packages in
/tmp/h7suite, one folder each (`apt-get source --download-only P`; where the
.debian.tar.xz is a 404 on the mirror, `apt-get source --print-uris P` names the
.orig tarball, fetched alone), sundials, fftw3 and gsl cut to the subfolders below:

    for p in graphicsmagick sundials fftw3 gsl hmmer cfitsio clustalo metis; do
        apt-get source --download-only $p; done
    mkdir -p x /tmp/h7suite; S=/tmp/h7suite
    for f in *.orig.tar.*[zx]; do p=${f%%_*}; mkdir -p x/$p && tar -xf $f -C x/$p; done
    for p in graphicsmagick hmmer cfitsio clustalo metis; do cp -a x/$p/*/ $S/$p; done
    mkdir $S/sundials && cp -a x/sundials/*/src x/sundials/*/include $S/sundials/
    cp -a x/fftw3/*/ $S/fftw3 && rm -rf $S/fftw3/{dft/scalar/codelets,dft/simd,rdft/simd,mpi} \
        $S/fftw3/rdft/scalar/{r2cb,r2cf,r2r}          # the generated codelets
    cp -a x/gsl/*/ $S/gsl && find $S/gsl -name '*.c' | grep -vE \
        "^$S/gsl/(linalg|integration|ode-initval2|multimin|roots|eigen|interpolation)/" | xargs rm -f
    find $S/gsl -mindepth 2 -name '*.h' ! -name 'gsl_*.h' | grep -vE \
        "^$S/gsl/(linalg|integration|ode-initval2|multimin|roots|eigen|interpolation)/" | xargs rm -f
        # the internal headers of the folders left out (cblas/source_*.h), which only their sources include

    python bench/c_codebases.py /tmp/csuite [-j 2] [--json OUT] [-- EXTRA SCAN FLAGS]
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hecbench_parse import error_class, error_files, scan_json  # noqa: E402  (a sibling script, not a package)


def package_of(path: str, packages: list[Path]) -> str:
    """The package folder a scanned file lies in (its name), or '?'."""
    for pkg in packages:
        if Path(path).resolve().is_relative_to(pkg.resolve()):
            return pkg.name
    return "?"


def first_message(entry: dict) -> str:
    diag = entry.get("diagnostics") or {}
    messages = diag.get("messages") or [entry.get("message") or entry["status"]]
    return messages[0]


def share(bad: int, total: int) -> str:
    return f"{bad} of {total} ({100 * bad / max(1, total):.1f}%)"


def report(doc: dict, packages: list[Path], top: int) -> None:
    totals = collections.Counter(package_of(f["file"], packages) for f in doc["files"])
    bad, _, _ = error_files(doc)
    classes, first = collections.Counter(), {}
    for entry in bad:        # a crash's message names its file: blank it, so that crashes form one class
        cls = error_class(first_message(entry).replace(entry["file"], "FILE"))
        classes[cls] += 1
        first.setdefault(cls, f"{entry['file']}: {first_message(entry)}")
    by_package = collections.defaultdict(list)
    for entry in bad:
        by_package[package_of(entry["file"], packages)].append(entry)
    print("package: files with clang errors (or not ok)")
    for name in sorted(totals):
        print(f"  {name:12s} {share(len(by_package[name]), totals[name])}")
    print(f"  {'all':12s} {share(len(bad), len(doc['files']))}")
    print(f"statuses: {dict(collections.Counter(f['status'] for f in doc['files']))}")
    print("\nfiles with errors, first error:")
    for entry in sorted(bad, key=lambda e: e["file"]):
        print(f"  {entry['file']}: {entry['status']}: {first_message(entry)[:160]}")
    print(f"\nerror classes (files whose first error is of the class; {len(classes)} classes):")
    for cls, n in classes.most_common(top):
        print(f"{n:5d}  {cls[:100]}\n       e.g. {first[cls][:200]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path, help="a folder holding one folder per package")
    ap.add_argument("--flat", action="store_true", help="scan ROOT as one package")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--top", type=int, default=20, help="error classes to print")
    ap.add_argument("--json", type=Path, help="also write the scan's JSON here")
    ap.add_argument("extra", nargs="*", help="further `xapp scan` flags (after --)")
    args = ap.parse_args(argv)
    if not args.root.is_dir():
        sys.exit(f"{args.root} is not a folder")
    packages = [args.root] if args.flat else sorted(p for p in args.root.iterdir() if p.is_dir())
    if not packages:
        sys.exit(f"no package folders under {args.root}")
    doc, seconds = scan_json([*args.extra, *map(str, packages)], args.j)
    if args.json:
        args.json.write_text(json.dumps(doc))
    report(doc, packages, args.top)
    print(f"\nscan wall time: {seconds:.1f} s (-j {args.j})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
