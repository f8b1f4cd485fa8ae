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


# A mini-app whose headers lean on what the program included before them: mesh.h uses Box, which only
# main.cpp includes (before solver.h, which includes mesh.h).
CHAIN = {
    "app/box.h": "#ifndef BOX_H\n#define BOX_H\nstruct Box { int lo[3], hi[3]; };\n#endif\n",
    "app/main.cpp": "#include \"box.h\"\n#include \"solver.h\"\nint main() { Box b = {{0, 0, 0}, {4, 4, 4}};\n"
                    "  double u[64];\n  return solve(b, u);\n}\n",
    "app/solver.h": "#ifndef SOLVER_H\n#define SOLVER_H\n#include \"mesh.h\"\n"
                    "inline int solve(const Box &b, double *u) { return count_nodes(b) + (u[0] > 0); }\n#endif\n",
    "app/mesh.h": "#ifndef MESH_H\n#define MESH_H\ninline int count_nodes(const Box &b) {\n  int n = 1;\n"
                  "  for (int d = 0; d < 3; ++d) n *= b.hi[d] - b.lo[d];\n  return n;\n}\n#endif\n",
}


def test_a_header_is_parsed_after_its_includers_own_includer(tmp_path):
    """mesh.h's includer is solver.h, itself a header: mesh.h is parsed after main.cpp up to its
    `#include "solver.h"` and solver.h up to its `#include "mesh.h"`, so Box is declared."""
    root = write(tmp_path, CHAIN)
    targets = {t.path.name: t for t in discover([root / "app"], ParseOptions())}
    mesh = targets["mesh.h"]
    assert mesh.options.context[0].endswith("app/solver.h")
    assert [c[0].rsplit("/", 1)[-1] for c in mesh.options.outer_contexts] == ["main.cpp"]
    assert any("main.cpp -> " in n and "solver.h:3" in n for n in mesh.notes)
    unit = parse((root / "app/mesh.h").read_text(), str(mesh.path), mesh.options)
    assert unit.diagnostics.counts.get("error", 0) == 0 and unit.diagnostics.guessed_types == {}
    assert "main.cpp -> " in unit.diagnostics.header_note
    features = extract_source((root / "app/mesh.h").read_text(), str(mesh.path), mesh.options)
    assert [(r.function, r.line) for r in features.regions] == [("count_nodes", 5)]


# A back end that only builds with its library: its own #error, and a header that includes its lock.
BACK_ENDS = {
    "mini/main.cpp": "#include \"serial_node.h\"\nint main() { double x[8]; return run(x, 8); }\n",
    "mini/serial_node.h": "inline int run(double *x, int n) {\n  for (int i = 0; i < n; ++i) x[i] = 0;\n"
                          "  return 0;\n}\n",
    "mini/threads_node.h": "#ifdef MINI_HAVE_THREADS\n#include <threads/pool.h>\nstruct ThreadsNode { int n; };\n"
                           "#else\n#error \"threads_node.h needs MINI_HAVE_THREADS\"\n#endif\n",
    "mini/locked_vector.h": "#include \"threads_node.h\"\ntemplate <class T> struct LockedVector { T *v; };\n",
}


def test_a_file_whose_own_error_directive_fires_is_skipped_with_its_words(tmp_path):
    """threads_node.h says it is not built without MINI_HAVE_THREADS, and locked_vector.h includes it: both
    are `skipped` with the #error's words and where it is (never `ok`, never `partial`); the rest is ok."""
    from xapp.scan import extract_all
    write(tmp_path, BACK_ENDS)
    outcomes = {o.target.path.name: o for o in extract_all(discover([tmp_path / "mini"], ParseOptions()))}
    assert {n: o.status for n, o in outcomes.items()} == {
        "main.cpp": "ok", "serial_node.h": "ok", "threads_node.h": "skipped", "locked_vector.h": "skipped"}
    own = outcomes["threads_node.h"].message
    assert "not built in this configuration: its #error at line 5 says" in own and "MINI_HAVE_THREADS" in own
    included = outcomes["locked_vector.h"].message
    assert "threads_node.h:5 that it includes" in included and "with -D" in included


def test_a_header_nobody_includes_is_parsed_where_its_first_project_header_is(tmp_path):
    """boundary.h (included by no scanned file) starts with mesh.h and uses Box like it: it is parsed where
    the program first includes mesh.h (main.cpp -> solver.h:3), after box.h, and says so."""
    root = write(tmp_path, {**CHAIN, "app/boundary.h": "#include \"mesh.h\"\ninline int faces(const Box &b) {\n"
                                                     "  int f = 0;\n  for (int d = 0; d < 3; ++d) f += 2 * (b.hi[d] - b.lo[d]);\n"
                                                     "  return f;\n}\n"})
    boundary = {t.path.name: t for t in discover([root / "app"], ParseOptions())}["boundary.h"]
    assert any("no scanned file includes it" in n and "solver.h:3" in n for n in boundary.notes)
    unit = parse((root / "app/boundary.h").read_text(), str(boundary.path), boundary.options)
    assert unit.diagnostics.counts.get("error", 0) == 0 and unit.diagnostics.guessed_types == {}
    alone = parse((root / "app/boundary.h").read_text(), str(boundary.path), ParseOptions(language="c++"))
    # Box is what the program declared first: alone, only a reported stand-in of the members used
    assert alone.diagnostics.guessed_types == {"Box": "struct { __xapp_any hi; __xapp_any lo; }"}


def test_words_in_comments_do_not_make_a_c_file_cpp(tmp_path):
    write(tmp_path, {"phylo/model.c": "/* Models of evolution.\n class of rates used below\n*/\n"
                                      "// template <k> of the tree\nint rates(int k) { int class = k; return class; }\n"})
    targets = {t.path.name: t for t in discover([tmp_path / "phylo"], ParseOptions())}
    assert targets["model.c"].options.language in (None, "c")


def test_a_cpp_header_nobody_includes_beside_c_sources_is_parsed_alone_as_cpp(tmp_path):
    """A C library with a C++ wrapper header that no scanned file includes: borrowing the C sources'
    context for it would parse its classes as C."""
    write(tmp_path, {"lib/core.h": "int transform(double *a, int n);\n",
                     "lib/core.c": "#include \"core.h\"\nint transform(double *a, int n) {\n"
                                   "  for (int i = 0; i < n; i++) a[i] *= 2;\n  return n;\n}\n",
                     "lib/core_cxx.h": "#include \"core.h\"\nclass Transformer {\n public:\n"
                                       "  int run(double *a, int n) { return transform(a, n); }\n};\n"})
    targets = {t.path.name: t for t in discover([tmp_path / "lib"], ParseOptions())}
    wrapper = targets["core_cxx.h"]
    assert wrapper.options.language == "c++" and wrapper.options.context is None
    unit = parse((tmp_path / "lib/core_cxx.h").read_text(), str(wrapper.path), wrapper.options)
    assert unit.diagnostics.counts.get("error", 0) == 0


# A GNU-style library: a page break (form feed) in the source, an umbrella header that brings the others.
UMBRELLA = {
    "lib/types.h": "#ifndef TYPES_H\n#define TYPES_H\ntypedef struct _Image { int w, h; float *px; } Image;\n"
                   "#define LibExport\n#endif\n",
    "lib/list.h": "#ifndef LIST_H\n#define LIST_H\nextern LibExport Image *FirstImage(const Image *);\n"
                  "static inline void Clear(Image *im) {\n  for (int i = 0; i < im->w * im->h; i++) im->px[i] = 0;\n}\n"
                  "#endif\n",
    "lib/studio.h": "#ifndef STUDIO_H\n#define STUDIO_H\n#include <stdio.h>\n#include \"lib/types.h\"\n"
                    "#include \"lib/list.h\"\n#endif\n",
    "lib/blur.c": "/*\n  Blur an image.\n*/\n\f\n/*\n  Include declarations.\n*/\n#include \"lib/studio.h\"\n"
                  "#include \"lib/list.h\"\n\f\nvoid Blur(Image *im) {\n  Clear(im);\n}\n",
}


def test_a_header_its_source_brought_already_is_parsed_where_the_umbrella_brought_it(tmp_path):
    """blur.c includes list.h after studio.h brought it (its guard hides it at blur.c's own line): list.h is
    parsed where studio.h includes it, after types.h, not alone; the form feeds of the source do not shift
    the line the context ends at."""
    write(tmp_path, UMBRELLA)
    targets = {t.path.name: t for t in discover([tmp_path], ParseOptions())}
    header = targets["list.h"]
    assert header.options.context[0].endswith("lib/studio.h")
    assert [c for c, _ in header.options.outer_contexts] == [str((tmp_path / "lib/blur.c").resolve())]
    assert header.options.outer_contexts[0][1].endswith("  Include declarations.\n*/\n")   # up to line 8
    unit = parse(UMBRELLA["lib/list.h"], str(header.path), header.options)
    assert unit.diagnostics.counts.get("error", 0) == 0, unit.diagnostics.messages
    assert unit.diagnostics.guessed_types == {} and unit.diagnostics.header_note.startswith("parsed after")


def test_includes_after_an_extern_c_guard_are_at_file_scope(tmp_path):
    """studio.h opens `extern "C" {` for C++ before its includes: list.h, which it includes after that, is
    still reached through studio.h at file scope, so it is parsed after it, not alone."""
    guarded = {**UMBRELLA, "lib/studio.h": "#ifndef STUDIO_H\n#define STUDIO_H\n#if defined(__cplusplus)\n"
                                           "extern \"C\" {\n#endif\n#include <stdio.h>\n#include \"lib/types.h\"\n"
                                           "#include \"lib/list.h\"\n#if defined(__cplusplus)\n}\n#endif\n#endif\n"}
    write(tmp_path, guarded)
    header = {t.path.name: t for t in discover([tmp_path], ParseOptions())}["list.h"]
    assert header.options.context[0].endswith("lib/studio.h")
    unit = parse(guarded["lib/list.h"], str(header.path), header.options)
    assert unit.diagnostics.counts.get("error", 0) == 0, unit.diagnostics.messages


def test_a_header_included_inside_a_cpp_sources_extern_c_block_parses_after_it(tmp_path):
    """main.cpp wraps its C headers in extern "C" { ... }: mymain.h, parsed after main.cpp up to its
    include line, gets that block closed after the context (no "expected '}'" at its end)."""
    root = write(tmp_path, {
        "app/mymain.h": "#ifndef MYMAIN_H\n#define MYMAIN_H\nextern int MyMain(int argc, char **argv);\n"
                        "static inline double norm1(const double *x, int n) {\n  double s = 0;\n"
                        "  for (int i = 0; i < n; i++) s += x[i] < 0 ? -x[i] : x[i];\n  return s;\n}\n#endif\n",
        "app/mymain.c": "#include \"mymain.h\"\nint MyMain(int argc, char **argv) { return argc > 1; }\n",
        "app/main.cpp": "#include <cstdio>\nextern \"C\" {\n#include \"mymain.h\"\n}\n"
                        "int main(int argc, char **argv) { return MyMain(argc, argv); }\n"})
    header = {t.path.name: t for t in discover([root / "app"], ParseOptions())}["mymain.h"]
    assert header.options.context[0].endswith("main.cpp") and header.options.language == "c++"
    assert header.options.context[1].endswith("extern \"C\" {\n#ifdef __cplusplus\n}\n#endif\n")
    unit = parse((root / "app/mymain.h").read_text(), str(header.path), header.options)
    assert unit.diagnostics.counts.get("error", 0) == 0, unit.diagnostics.messages
