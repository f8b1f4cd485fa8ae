"""Project include folders and header contexts of a scan without a compile database (xapp.scan.includes)."""
from __future__ import annotations

import json
from pathlib import Path

from xapp.features import ParseOptions, extract_source
from xapp.frontend.parse import parse
from xapp.scan import discover
from xapp.scan.includes import build_flags, project_roots


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


# A HeCBench-like pair: the OpenMP program finds its reference code through its Makefile's -I../prog-cuda.
PROGRAM = {
    "prog-omp/Makefile": "INC = ../common\nCFLAGS := -std=c++17 -Wall -I../prog-cuda/ -I$(INC) -Dreal_t=double\n"
                         "main: main.cpp\n\t$(CC) $(CFLAGS) main.cpp\n",
    "prog-cuda/reference.h": "#include <vector>\ntemplate <typename T> void reference(std::vector<T> &v) {\n"
                             "  for (size_t i = 0; i < v.size(); i++) v[i] = 2 * v[i];\n}\n",
    "common/pixel.h": "typedef struct { unsigned char x, y, z, w; } uchar4;\n",
    "prog-omp/kernels.h": "void scale(Vec *v, int n) {\n  for (int i = 0; i < n; i++) v[i].a *= 2;\n}\n",
    "prog-omp/main.cpp": "#include <vector>\n#include \"pixel.h\"\n#include \"reference.h\"\n"
                         "struct Vec { real_t a; };\n#include \"kernels.h\"\n"
                         "int main() {\n  std::vector<real_t> v(8);\n  reference<real_t>(v);\n"
                         "  uchar4 p;\n  Vec w[4];\n  scale(w, 4);\n  return p.x;\n}\n",
    "prog-omp/body.inc.h": "for (int k = 0; k < n; k++) out[k] = 0;\n",
    "prog-omp/inner.cpp": "void zero(float *out, int n) {\n#include \"body.inc.h\"\n}\n",
}


def targets_by_name(root: Path, **kw):
    return {t.path.relative_to(root.resolve()).as_posix(): t for t in discover([root / "prog-omp"], ParseOptions(), **kw)}


def test_build_file_folders_and_macros(tmp_path):
    root = write(tmp_path, PROGRAM)
    flags = build_flags((root / "prog-omp").resolve(), (root / "prog-omp").resolve())
    assert flags.path == (root / "prog-omp" / "Makefile").resolve()
    assert [d.name for d in flags.dirs] == ["prog-cuda", "common"]
    assert flags.defines == (("real_t", "double"),)


def test_makefile_folders_outside_the_tree_need_trust(tmp_path):
    """An untrusted checkout's Makefile cannot show the host's folders to clang (-I/etc): folders outside the
    scanned tree are named in a warning with the fix, and used with --trust-compile-db."""
    write(tmp_path, PROGRAM)
    main = targets_by_name(tmp_path)["prog-omp/main.cpp"]
    assert main.options.include_dirs == ()
    [warning] = [n for n in main.notes if n.startswith("warning:")]
    assert "outside the scanned tree, not used" in warning and "prog-cuda" in warning and "--trust-compile-db" in warning
    assert any(n.endswith("-Dreal_t=double") for n in main.notes)    # macros are no path: used


def test_source_parses_cleanly_with_the_makefile_folders(tmp_path):
    root = write(tmp_path, PROGRAM)
    main = targets_by_name(tmp_path, trust_compile_db=True)["prog-omp/main.cpp"]
    assert any("include folders from" in n and "prog-cuda" in n for n in main.notes)
    assert any(n.endswith("-Dreal_t=double") for n in main.notes)
    unit = parse((root / "prog-omp/main.cpp").read_text(), str(main.path), main.options)
    assert unit.diagnostics.counts.get("error", 0) == 0 and unit.diagnostics.stubbed_includes == []
    assert project_roots([_facts_of(main)], [root / "prog-omp"]) == [(root / "prog-cuda").resolve(),
                                                                    (root / "common").resolve()]


def _facts_of(target):
    from xapp.scan.includes import IncludeFacts
    return IncludeFacts(include_dirs=list(target.options.include_dirs))


def test_header_is_analysed_through_its_includer(tmp_path):
    root = write(tmp_path, PROGRAM)
    header = targets_by_name(tmp_path)["prog-omp/kernels.h"]
    assert header.options.language == "c++"
    assert header.options.context[0].endswith("prog-omp/main.cpp")
    assert "struct Vec" in header.options.context[1] and "scale(w" not in header.options.context[1]
    text = (root / "prog-omp/kernels.h").read_text()
    features = extract_source(text, str(header.path), header.options)
    assert features.diagnostics.counts.get("error", 0) == 0
    assert [(r.function, r.line) for r in features.regions] == [("scale", 2)]     # the header's own line
    assert features.diagnostics.guessed_types == {}
    alone = extract_source(text, str(header.path), ParseOptions())
    # parsed alone as C, Vec is unknown: only a stand-in of the members used, reported as a guess
    assert alone.diagnostics.guessed_types == {"Vec": "struct { long a; }"}


def test_header_included_inside_a_function_is_analysed_there(tmp_path):
    write(tmp_path, PROGRAM)
    body = targets_by_name(tmp_path)["prog-omp/body.inc.h"]
    assert body.through is not None and body.through.endswith("prog-omp/inner.cpp:2")


def test_unique_suffix_match_is_used_and_ambiguous_one_is_a_warning(tmp_path):
    write(tmp_path, {
        "app/src/main.c": '#include "util/math_util.h"\n#include "config.h"\nint main(void) { return twice(1) + C; }\n',
        "app/lib/util/math_util.h": "static int twice(int x) { return 2 * x; }\n",
        "app/a/config.h": "#define C 1\n", "app/b/config.h": "#define C 2\n",
    })
    [main] = [t for t in discover([tmp_path / "app"], ParseOptions()) if t.path.name == "main.c"]
    lib = str((tmp_path / "app" / "lib").resolve())
    assert lib in main.options.include_dirs
    assert any("util/math_util.h" in n and f"added -I {lib}" in n for n in main.notes)
    [warning] = [n for n in main.notes if n.startswith("warning:")]
    assert "config.h matches 2 files" in warning and "pass -I" in warning


def test_compile_database_keeps_priority(tmp_path):
    root = write(tmp_path, PROGRAM)
    db = [{"directory": str(root / "prog-omp"), "file": "main.cpp", "command": "c++ -Dreal_t=float -c main.cpp"}]
    (root / "compile_commands.json").write_text(json.dumps(db))
    targets = {t.path.name: t for t in discover([root / "prog-omp"], ParseOptions(), build_dir=root)}
    assert targets["main.cpp"].flags_from == "compile_commands.json"
    assert targets["main.cpp"].notes == () and targets["main.cpp"].options.defines == (("real_t", "float"),)


def test_c_header_nobody_includes_is_cpp_when_its_text_is(tmp_path):
    write(tmp_path, {"lib/tools.h": "namespace tools {\ntemplate <class T> T sq(T x) { return x * x; }\n}\n",
                     "lib/plain.h": "int add(int a, int b);\n", "lib/plain.c": "int add(int a, int b) { return a + b; }\n"})
    targets = {t.path.name: t for t in discover([tmp_path / "lib"], ParseOptions())}
    assert targets["tools.h"].options.language == "c++"
    assert targets["plain.h"].options.language in (None, "c")


def test_c_file_that_includes_a_cpp_standard_header_is_cpp(tmp_path):
    """HeCBench's hybridsort.c is built by icpx as C++: its `#include <chrono>` says so."""
    write(tmp_path, {"sort/hybridsort.c": "#include <stdio.h>\n#include <chrono>\n"
                                          "int main() { auto t = std::chrono::steady_clock::now(); return 0; }\n",
                     "sort/bucket.c": "#include <stdio.h>\nint b(int x) { return x; }\n"})
    targets = {t.path.name: t for t in discover([tmp_path / "sort"], ParseOptions())}
    assert targets["hybridsort.c"].options.language == "c++"
    assert targets["bucket.c"].options.language in (None, "c")


def test_includes_are_looked_up_in_the_files_own_project_only(tmp_path):
    """Two programs scanned together: one's missing reference.h is never the other's (a unique match there)."""
    write(tmp_path, {"p1/main.cpp": '#include "reference.h"\nint main() { return 0; }\n',
                     "p2/main.cpp": '#include "reference.h"\nint main() { return ref(); }\n',
                     "p2/reference.h": "inline int ref() { return 1; }\n"})
    targets = {t.path.parent.name: t for t in discover([tmp_path / "p1", tmp_path / "p2"], ParseOptions())
               if t.path.name == "main.cpp"}
    assert targets["p1"].options.include_dirs == () and not any("reference.h" in n for n in targets["p1"].notes)


# A miniFE-like tree without a build file: src/ and its variant basic/ hold the same headers; utils/ and fem/
# are the libraries src/ uses, and a header that src/driver.hpp includes is found for main.cpp's parse too.
VARIANTS = {
    "fe/src/main.cpp": "#include <driver.hpp>\nint main() { return drive(); }\n",
    "fe/src/driver.hpp": "#include <Box.hpp>\n#include <verify.hpp>\n#include <Vector.hpp>\n"
                         "inline int drive() { Box b; Vector v; return verify(b) + v.n; }\n",
    "fe/src/Vector.hpp": "struct Vector { int n; };\n",
    "fe/basic/main.cpp": "int main() { return 0; }\n",
    "fe/basic/driver.hpp": "#error this variant needs TBB\n",
    "fe/basic/Vector.hpp": "#error this variant needs TBB\n",
    "fe/basic/verify.hpp": "#error this variant needs TBB\n",
    "fe/basic/Box.hpp": "#error this variant needs TBB\n",
    "fe/utils/Box.hpp": "struct Box { int lo[3], hi[3]; };\n",
    "fe/fem/verify.hpp": "inline int verify(const Box &b) { return b.lo[0]; }\n",
}


def test_a_copy_of_the_includers_folder_is_not_where_its_headers_are(tmp_path):
    write(tmp_path, VARIANTS)
    targets = {t.path.relative_to(tmp_path.resolve()).as_posix(): t for t in discover([tmp_path / "fe"], ParseOptions())}
    main = targets["fe/src/main.cpp"]
    dirs = {Path(d).name for d in main.options.include_dirs}
    assert {"utils", "fem"} <= dirs and "basic" not in dirs
    unit = parse((tmp_path / "fe/src/main.cpp").read_text(), str((tmp_path / "fe/src/main.cpp").resolve()), main.options)
    assert unit.diagnostics.counts.get("error", 0) == 0, unit.diagnostics.messages
    assert unit.diagnostics.stubbed_includes == []
