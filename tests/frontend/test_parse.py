"""Parsing: header modes, missing includes, fatal errors, untrusted code, deep trees."""
from __future__ import annotations

import pytest
from clang import cindex

from xapp.errors import BinarySource, InputError, ParseError, SourceTooLarge
from xapp.features import ParseOptions, decode_source, extract_source, language_for
from xapp.frontend.headers import find_resource_dir, stub_header_names
from xapp.frontend.sanitize import blank_foreign_includes


def test_wheel_has_no_builtin_headers_but_stubs_parse():
    # The premise of hermetic mode: plain libclang cannot find stddef.h.
    tu = cindex.Index.create().parse("p.c", args=["-xc"], unsaved_files=[("p.c", "#include <stddef.h>\n")])
    assert any(d.severity == 4 and "stddef.h" in d.spelling for d in tu.diagnostics)
    src = ("#include <stddef.h>\n#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
           "void f(size_t n, float *a) { for (size_t i = 0; i < n; i++) a[i] = sqrtf(a[i]); }\n")
    r = extract_source(src, "p.c")
    assert r.diagnostics.counts.get("error", 0) == 0 and r.diagnostics.header_mode == "hermetic"
    assert r.regions[0].features["sqrt_calls"] == 1 and r.regions[0].features["fp64_frac"] == 0


def test_opencl_base_header_types():
    src = ("__kernel void k(__global float4 *a, __global uint *b) { uint i = get_global_id(0);\n"
           "  float4 v = a[i] * 2.0f; a[i] = v; b[i] = as_uint(v.x); barrier(CLK_GLOBAL_MEM_FENCE); }")
    r = extract_source(src, "k.cl")
    assert r.diagnostics.counts.get("error", 0) == 0
    f = r.regions[0].features
    assert f["flops"] == 4 and f["vector_ops"] == 1 and f["barriers"] == 1


def test_language_by_suffix_and_override():
    assert language_for("a.cpp", ParseOptions()) == "c++"
    assert language_for("a.cl", ParseOptions()) == "opencl"
    assert language_for("a.c", ParseOptions()) == "c"
    assert language_for("a.c", ParseOptions(language="c++")) == "c++"
    with pytest.raises(InputError):
        ParseOptions(language="fortran")
    with pytest.raises(InputError):
        ParseOptions(defines=(("1BAD", "2"),))


def test_system_mode_falls_back_to_stubs_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("XAPP_CLANG_RESOURCE_DIR", str(tmp_path / "nowhere"))
    find_resource_dir.cache_clear()
    r = extract_source("#include <stddef.h>\nsize_t n;\n", "s.c", ParseOptions(header_mode="system"))
    assert r.diagnostics.header_mode == "hermetic"
    assert "fell back to stubs" in r.diagnostics.header_note and "nowhere" in r.diagnostics.header_note


def test_system_mode_uses_a_resource_dir(monkeypatch, tmp_path):
    inc = tmp_path / "res" / "include"
    inc.mkdir(parents=True)
    (inc / "stddef.h").write_text("typedef unsigned long size_t;\n#define XAPP_REAL_RESOURCE 1\n")
    monkeypatch.setenv("XAPP_CLANG_RESOURCE_DIR", str(tmp_path / "res"))
    find_resource_dir.cache_clear()
    src = "#include <stddef.h>\n#if XAPP_REAL_RESOURCE\nvoid f(float *a) { for (int i = 0; i < 8; i++) a[i] = 0; }\n#endif\n"
    r = extract_source(src, "s.c", ParseOptions(header_mode="system"))
    assert r.diagnostics.header_mode == "system" and r.diagnostics.resource_dir == str(tmp_path / "res")
    assert len(r.regions) == 1 and r.regions[0].features["trip_count_log2"] == 3


def test_missing_includes_are_stubbed_and_reported():
    src = '#include "config/project.h"\n#include "../common/util.h"\n#include <mpi.h>\nint f(int *a) { for (int i = 0; i < 4; i++) a[i] = i; return 0; }\n'
    r = extract_source(src, "/src/proj/m.c")
    assert r.diagnostics.stubbed_includes == ["../common/util.h", "config/project.h", "mpi.h"]
    assert len(r.regions) == 1


def test_fatal_error_is_a_clear_parse_error():
    src = "int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n"
    with pytest.raises(ParseError, match=r"b\.c:1: fatal error: bracket nesting level exceeded"):
        extract_source(src, "b.c")


def test_deep_tree_is_walked_completely():
    n = 5000   # a left-leaning chain 5000 deep: recursive walkers stop at Python's recursion limit
    src = "float f(float *a, int m) { float s = 0; for (int i = 0; i < m; i++) { s += " + " + ".join(["a[i]"] * n) + "; } return s; }"
    (region,) = extract_source(src, "deep.c").regions
    assert region.features["mem_loads"] == n
    assert region.features["flops"] == n        # n-1 additions plus the += into s
    assert region.features["reductions"] == 1


def test_untrusted_code_reads_no_host_file(tmp_path):
    secret = tmp_path / "secret.h"
    secret.write_text("void leak(float *a) { for (int i = 0; i < 8; i++) a[i] = 7; }\n#define SECRET_TOKEN 12345\n")
    src = (f'#include "{secret}"\n#include "../../secret.h"\n#include <math.h>\n'
           "int g(void) { return SECRET_TOKEN; }\n"
           "void f(float *a, int n) { for (int i = 0; i < n; i++) a[i] = sqrtf(a[i]); }\n")
    r = extract_source(src, "upload.c", ParseOptions(untrusted=True))
    assert [x.function for x in r.regions] == ["f"]          # nothing from secret.h
    assert r.diagnostics.blanked_includes == 2
    shown = str(r.as_dict())
    assert "12345" not in shown and str(secret) not in shown and "leak" not in shown


def test_untrusted_ignores_include_dirs(tmp_path):
    (tmp_path / "h.h").write_text("#define N 64\n")
    opts = ParseOptions(untrusted=True, include_dirs=(str(tmp_path),), defines=(("M", "32"),))
    r = extract_source('#include "h.h"\nvoid f(int *a) { for (int i = 0; i < M; i++) a[i] = N; }\n', "u.c", opts)
    assert r.regions[0].features["trip_count_log2"] == 5       # -D honoured, the include was not read


@pytest.mark.parametrize("text, blanked", [
    ('#include "/etc/passwd"\n', 1),
    ("  #  /* c\n */ include <../../x.h>\n", 1),
    ("%:include </etc/shadow>\n", 1),
    ('#inc\\\nlude "x.h"\n', 1),
    ("#define H </etc/passwd>\n#include H\n", 1),
    ('#import "a.h"\n#include_next <b.h>\n', 2),
    ("#include <math.h> // fine\n#include \"stdio.h\"\n", 0),
    ('const char *s = "#include <x.h>";\n', 0),
])
def test_sanitizer_blanks_foreign_includes(text, blanked):
    out, n = blank_foreign_includes(text, stub_header_names())
    assert n == blanked
    assert out.count("\n") == text.count("\n")          # line numbers stay put
    if blanked:
        assert "include" not in out and "import" not in out


def test_decode_source_refuses_binary_and_oversized():
    with pytest.raises(BinarySource, match="NUL"):
        decode_source(b"int x;\x00\x01", "b.c")
    with pytest.raises(BinarySource, match="not text"):
        decode_source(bytes(range(0x80, 0x100)) + b"\x7fELF\x01\x02int x;", "b.c")
    with pytest.raises(SourceTooLarge, match="limit"):
        decode_source(b"x" * 2000, "big.c", max_bytes=1000)
    assert decode_source("int é;".encode(), "ok.c") == "int é;"


def test_untrusted_has_include_reveals_nothing(tmp_path):
    secret = tmp_path / "present.h"
    secret.write_text("int x;\n")
    src = (f'#if __has_include("{secret}") || __has_include_next(<{secret}>)\n'
           "void seen(int *a) { for (int i = 0; i < 4; i++) a[i] = 0; }\n#endif\n"
           "void mine(int *a) { for (int i = 0; i < 4; i++) a[i] = 1; }\n")
    trusted = extract_source(src, "t.c")
    assert [r.function for r in trusted.regions] == ["seen", "mine"]        # the probe works locally
    untrusted = extract_source(src, "u.c", ParseOptions(untrusted=True))
    assert [r.function for r in untrusted.regions] == ["mine"]              # and says nothing to uploads
    assert untrusted.diagnostics.counts.get("error", 0) == 0


def test_untrusted_pragma_dependency_probes_nothing(tmp_path):
    missing = tmp_path / "absent.h"
    src = (f'#pragma GCC dependency "{missing}"\n_Pragma("GCC dependency \\"{missing}\\"")\n'
           "void mine(int *a) { for (int i = 0; i < 4; i++) a[i] = 1; }\n")
    with pytest.raises(ParseError):
        extract_source(src, "t.c")                      # trusted: the probe reaches the file system
    r = extract_source(src, "u.c", ParseOptions(untrusted=True))
    assert [x.function for x in r.regions] == ["mine"] and r.diagnostics.counts.get("error", 0) == 0


def test_untrusted_macro_values_cannot_probe_either(tmp_path):
    present = tmp_path / "present.h"
    present.write_text("int x;\n")
    src = "#if PROBE\nvoid seen(int *a) { for (int i = 0; i < 4; i++) a[i] = 0; }\n#endif\nDEP\n" \
          "void mine(int *a) { for (int i = 0; i < 4; i++) a[i] = 1; }\n"
    defines = (("PROBE", f'__has_include("{present}")'),
               ("DEP", f'_Pragma("GCC dependency \\"{tmp_path / "absent.h"}\\"")'))
    r = extract_source(src, "u.c", ParseOptions(untrusted=True, defines=defines))
    assert [x.function for x in r.regions] == ["mine"] and r.diagnostics.counts.get("error", 0) == 0


@pytest.mark.parametrize("data, codec, text", [
    ("/* Fonction écrite à Genève */\nint x = 1;\n".encode("latin-1"), "cp1252", "écrite à Genève"),
    (b"/* \x93quoted\x94 \x80 5 */ int y;\n", "cp1252", "\u201cquoted\u201d \u20ac 5"),
    (b"/* \x81\x8d odd */ int z;\n", "latin-1", "\x81\x8d odd"),
])
def test_legacy_8_bit_source_is_decoded_with_a_note(data, codec, text):
    notes: list[str] = []
    decoded = decode_source(data, "old.c", notes=notes)
    assert text in decoded
    assert notes == [f"old.c: not UTF-8 (first invalid byte at offset {data.index(next(b for b in data if b > 127).to_bytes(1, 'big'))}); decoded as {codec}"]


def test_latin1_file_yields_its_loops():
    src = "/* Multiplie le vecteur par deux (pr\u00e9cision simple) */\nvoid f(float *a, int n) {\n" \
          "  for (int i = 0; i < n; i++) a[i] = 2.0f * a[i];   /* \u00e9l\u00e9ment */\n}\n"
    text = decode_source(src.encode("latin-1"), "f.c")
    (region,) = extract_source(text, "f.c").regions
    assert region.function == "f" and region.line == 3


SECRET_HEADER = "#define SEEN 1\nint leaked_secret_9c;\n"
PROBE_BODY = "#ifdef SEEN\nvoid leaked(void) {}\n#else\nvoid mine(float *y) { for (int i = 0; i < 4; i++) y[i] = 0; }\n#endif\n"


@pytest.fixture()
def no_text_rewriting(monkeypatch):
    """The overlay alone: the second layer (sanitize.py's text rewriting) switched off."""
    import xapp.frontend.parse as parse_module
    monkeypatch.setattr(parse_module, "blank_foreign_includes", lambda text, allowed: (text, 0))
    monkeypatch.setattr(parse_module, "neutralise_probes", lambda text: (text, 0))


@pytest.mark.parametrize("probe", [
    '#include "{path}"\n',
    '??=include "{path}"\n',
    '#define CAT(a,b) a##b\n#if CAT(__has_,include)("{path}")\n#define SEEN 1\n#endif\n',
    '#if __has_include("{path}")\n#define SEEN 1\n#endif\n',
    '#define P(x) _Pragma(#x)\nP(GCC dependency "{path}")\n',
    '#pragma GCC dependency "{path}"\n',
])
@pytest.mark.parametrize("std", [None, "c11", "gnu89"])
def test_the_overlay_alone_keeps_host_files_out(no_text_rewriting, tmp_path, probe, std):
    secret = tmp_path / "secret.h"
    secret.write_text(SECRET_HEADER)
    options = ParseOptions(untrusted=True, std=std)
    text = probe.format(path=secret) + PROBE_BODY
    # Control: the same text, trusted, reads the header where the probe is an include.
    if probe.startswith("#include"):
        assert extract_source(text, str(tmp_path / "x.c"), ParseOptions()).regions == []
    try:
        result = extract_source(text, "x.c", options)
    except ParseError as exc:
        assert "leaked_secret" not in str(exc) and "not found" in str(exc)
        return
    # A trigraph line is no directive under -fno-trigraphs: junk that swallows the next declaration.
    expected = [] if probe.startswith("??=") else ["mine"]
    assert [r.function for r in result.regions] == expected
    assert not any("leaked_secret" in m for m in result.diagnostics.messages)


def test_untrusted_messages_name_the_upload_only():
    fatal = "int g(void) { return " + "(" * 300 + "1" + ")" * 300 + "; }\n"
    with pytest.raises(ParseError) as info:
        extract_source(fatal, "/home/someone/project/deep.c", ParseOptions(untrusted=True))
    assert str(info.value).startswith("deep.c:1: fatal error") and "/home" not in str(info.value)
