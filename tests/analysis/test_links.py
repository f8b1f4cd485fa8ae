"""What a file exports for the codebase pass of a scan (xapp.analysis.links) and how a scan joins the
exports (xapp.scan.codebase.join), on files parsed here."""
from __future__ import annotations

from xapp.features import extract_source
from xapp.scan.codebase import join

KERNEL = "void kernel(int n, float *a) {\n    for (int i = 0; i < n; i++) a[i] = 2.0f * a[i];\n}\n"


def _links(text: str, name: str = "f.c") -> dict:
    return extract_source(text, name).links


def _call(links: dict, callee: str) -> dict:
    (found,) = [c for c in links["calls"] if c["callee"] == callee]
    return found


def test_a_constant_argument_is_exported_with_its_position_and_calls_per_run():
    links = _links("void kernel(int n, float *a);\nfloat a[100];\nint main(void) {\n"
                   "    for (int t = 0; t < 10; t++)\n        kernel(100, a);\n    printf(\"%d\", 1);\n}\n")
    call = _call(links, "kernel")
    assert call["caller"] == "main" and call["line"] == 5
    assert call["args"][0] == [0, 100, ""]
    assert call["times"] == 10.0 and call["per_run"] == 10.0
    assert [c["callee"] for c in links["calls"]] == ["kernel"]       # printf is a library function


def test_arguments_read_from_input_or_the_command_line_say_so():
    links = _links("int atoi(const char *s);\nint scanf(const char *f, ...);\nvoid k(int n);\n"
                   "int main(int argc, char **argv) {\n    int n = atoi(argv[1]);\n    int m = 0;\n"
                   "    scanf(\"%d\", &m);\n    int p = m * 2;\n    k(n);\n    k(p);\n    k(argc);\n    return 0;\n}\n")
    assert [c["args"][0][1:] for c in links["calls"] if c["callee"] == "k"] == [[None, "read from input"]] * 3


def test_a_parameter_passed_on_is_from_the_caller_and_a_derived_constant_is_known():
    links = _links("void kernel(int n);\nvoid run(int n) {\n    int m = 8 * 4;\n    kernel(n - 1);\n    kernel(m);\n}\n")
    assert [c["args"][0][1:] for c in links["calls"]] == [[None, "from the caller"], [32, ""]]
    assert links["functions"]["run"] == {"params": ["n"], "static": False, "line": 2, "called_here": False,
                                         "defs": 1}


def test_static_functions_overloads_and_functions_called_in_their_file_are_marked():
    c = _links("static void hidden(int n) {}\nvoid open_(int n, float *p) { hidden(n); }\n")
    assert c["functions"]["hidden"]["static"] and c["functions"]["hidden"]["called_here"]
    assert c["functions"]["open_"]["params"] == ["n", ""]
    cpp = _links("void f(int n) {}\nvoid f(int n, int m) {}\n", "f.cpp")
    assert cpp["functions"]["f"]["defs"] == 2


def test_a_file_without_main_exports_how_often_an_entry_runs_each_helper():
    links = _links("void helper(int n, float *a) {\n    for (int i = 0; i < n; i++) a[i] += 1.0f;\n}\n"
                   "void entry(int n, float *a) {\n    for (int t = 0; t < 5; t++)\n        helper(n, a);\n}\n")
    assert links["reach"] == {"entry": {"entry": 1.0, "helper": 5.0}}


def _files(*named: tuple[str, str]) -> dict:
    return {i: (name, extract_source(text, name, display_name=name)) for i, (name, text) in enumerate(named)}


MAIN = "void kernel(int n, float *a);\nfloat a[100];\nint main(void) {\n    kernel(100, a);\n    return 0;\n}\n"


def test_join_binds_a_constant_and_names_its_source():
    linked = join(_files(("p/main.c", MAIN), ("p/kernel.c", KERNEL)))
    assert linked[1].sizes == {"kernel:n": 100}
    assert linked[1].sources == {"kernel:n": "100 from p/main.c:4"}


def test_the_users_size_wins_over_a_size_bound_from_another_file():
    files = _files(("p/main.c", MAIN), ("p/kernel.c", KERNEL))
    assert join(files, {1: {"kernel:n": 7}})[1].sizes == {}
    assert join(files, {1: {"n": 7}})[1].sizes == {}


def test_the_definition_in_the_callers_folder_wins_and_two_there_are_ambiguous():
    linked = join(_files(("p/main.c", MAIN), ("p/kernel.c", KERNEL), ("q/kernel.c", KERNEL)))
    assert linked[1].sizes == {"kernel:n": 100} and 2 not in linked
    linked = join(_files(("p/main.c", MAIN), ("p/k1.c", KERNEL), ("p/k2.c", KERNEL)))
    assert linked[1].sizes == {} and linked[2].sizes == {}
    assert linked[1].reasons["kernel:n"].startswith("kernel is defined in p/k1.c, p/k2.c: ambiguous")


def test_cpp_overloads_are_ambiguous_and_a_function_called_in_its_own_file_is_not_bound():
    overloads = "void kernel(int n, float *a) {}\nvoid kernel(int n, double *a) {}\n"
    linked = join(_files(("p/main.cpp", MAIN), ("p/kernel.cpp", overloads)))
    assert linked[1].sizes == {} and "overloads" in linked[1].reasons["kernel:n"]
    called = KERNEL + "void twice(float *a) { kernel(5, a); }\n"
    assert join(_files(("p/main.c", MAIN), ("p/kernel.c", called)))[1].sizes == {}


def test_a_methods_object_is_not_its_first_argument():
    method = "struct S { void f(int n, int m, float *a); };\nfloat a[100];\n"
    inside = extract_source(method + "void S::f(int n, int m, float *a) {\n"
                            "    for (int i = 0; i < m; i++) a[i] = 0.0f;\n}\n"
                            "int main() {\n    S s;\n    s.f(100, 7, a);\n    return 0;\n}\n", "m.cpp")
    assert [r.loops[0]["trip_count"] for r in inside.regions] == [7]       # m = 7, not the 100 of n
    links = _links(method + "int main() {\n    S s;\n    S *p = &s;\n    p->f(100, 7, a);\n    return 0;\n}\n",
                   "m.cpp")
    assert [a[:2] for a in _call(links, "f")["args"]] == [[0, 100], [1, 7], [2, None]]
