"""Stand-ins shaped by use (xapp.frontend.standins): a type or name from a missing header that the file uses
as a struct, an array or a function parses with an honest stand-in, reported in diagnostics; code that is
wrong on its own keeps its errors.

The programs are written here, in the way HeCBench's ports use their missing `SDKBitMap.h`, `config.h`,
`constants_types.h` and `tables.h`.
"""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source
from xapp.frontend.parse import parse
from xapp.frontend.standins import ANY


def errors(text: str, name: str = "main.cpp", **kw):
    unit = parse(text, name, ParseOptions(**kw))
    return unit.diagnostics.counts.get("error", 0), unit.diagnostics


def loops(text: str, name: str = "main.cpp") -> dict[int, dict]:
    doc = extract_source(text, name, ParseOptions())
    return {loop["line"]: loop for region in doc.regions for loop in region.loops}


IMAGE = """#include "bitmap.h"
#include <cstdio>
#include <vector>
int main(int argc, char **argv) {
  Bitmap image;
  image.load(argv[1]);
  const int width = image.getWidth();
  const int height = image.getHeight();
  unsigned char *pixels = image.getPixels();
  std::vector<float> gray(width * height);
  for (int i = 0; i < width * height; i++) gray[i] = 0.5f * pixels[i];
  if (!image.isLoaded()) printf("%d x %d\\n", image.width, height);
  return gray[0] > 0;
}
"""


def test_a_guessed_type_used_with_a_dot_is_a_struct_of_the_members_used():
    count, diag = errors(IMAGE)
    assert count == 0, diag.messages
    assert diag.stubbed_includes == ["bitmap.h"]
    members = ["load", "getWidth", "getHeight", "getPixels", "isLoaded", "width"]
    assert diag.guessed_types["Bitmap"] == "struct { " + "; ".join(f"{ANY} {m}" for m in members) + "; }"


def test_a_struct_stand_in_keeps_aggregate_initialisation_and_learns_a_constructor_when_one_is_used():
    """`params p = {1, 2}` needs an aggregate; `Image im("a.bmp")` a constructor: each file gets what it uses."""
    count, diag = errors("""#include "params.h"
int area(const params p) { return p.w * p.h; }
int main() { params p = {640, 480}; return area(p); }
""")
    assert count == 0, diag.messages
    count, diag = errors("""#include "image.h"
int main() { Image a("a.bmp"), b("b.bmp", 3); Image c; return a.w + b.w + c.w; }
""")
    assert count == 0, diag.messages
    assert diag.guessed_types["Image"] == f"struct {{ {ANY} w; }}"


def test_a_stand_in_function_returning_the_struct():
    """`Config cfg = parse_args(argc, argv)`: the stand-in parse_args returns a Config."""
    count, diag = errors("""#include "config.h"
#include <cstdio>
int main(int argc, char **argv) {
  Config cfg = parse_args(argc, argv);
  const int n = cfg.num_tokens;
  printf("%s %d\\n", cfg.op, cfg.repeat);
  return n;
}
""")
    assert count == 0, diag.messages
    assert diag.declared_unknowns == ["parse_args"]


def test_a_guessed_type_or_stand_in_variable_that_is_subscripted_is_any():
    """fArray (a 2-D array typedef in the missing header) and fact_table (a table it defines) are indexed."""
    text = """#include "tables.h"
void forward(const fArray *__restrict in, fArray *__restrict out, int n) {
  for (int b = 0; b < n; b++)
    for (int k = 0; k < 2; k++) out[b][k][0] = in[b][k][0] * fact_table[k] + double_fact_table[k + 1];
}
"""
    count, diag = errors(text)
    assert count == 0, diag.messages
    assert diag.guessed_types == {"fArray": ANY}
    assert diag.declared_unknowns == ["double_fact_table", "fact_table"]


def test_a_stand_in_variable_passed_where_no_overload_takes_an_int():
    count, diag = errors("""#include "code.h"
template <int S> float quantize(const float *table, float x) { return table[S] * x; }
float run(float x) { const unsigned *bases = bases32; return quantize<0>(code, x) + bases[0]; }
""")
    assert count == 0, diag.messages
    assert diag.declared_unknowns == ["bases32", "code"]


def test_c_struct_stand_in_members_are_typed_by_their_use():
    count, diag = errors("""#include "graph.h"
#include <stdlib.h>
long degree_sum(graph g) {
  long s = 0;
  for (int v = 0; v < g.nodes; v++) s += g.nindex[v + 1] - g.nindex[v] + g.weight_of(v);
  return s + (long)g.scalar;
}
""", "g.c")
    assert count == 0, diag.messages
    assert diag.guessed_types["graph"] == "struct { long nodes; double *nindex; double (*weight_of)(); double scalar; }"


def test_loops_over_stand_in_members_keep_their_verdicts():
    """The stand-in's operator calls and conversions are plain IR: a loop that writes its own element stays
    parallel; one that reads the element written by the iteration before stays serial."""
    found = loops("""#include "params.h"
void scale(Params p, float *out, const float *in) {
  for (int i = 0; i < p.n; i++) out[i] = -in[i] * p.scale;
}
void copy(Params p) {
  for (int i = 0; i < p.n; i++) p.out[i] = p.in[i] * 2;
}
void prefix(Params p, float *out) {
  for (int i = 1; i < p.n; i++) out[i] = out[i - 1] + p.scale;
}
void prefix_member(Params p) {
  for (int i = 1; i < p.n; i++) p.out[i] = p.out[i - 1] + 1;
}
""")
    assert found[3]["verdict"] == "parallel" and found[6]["verdict"] == "parallel"
    assert found[9]["verdict"] != "parallel" and found[12]["verdict"] != "parallel"


def test_a_stand_in_value_may_be_a_pointer():
    """bases32 (a table in the missing header) is any: given to an unknown function it may be written through,
    and a stream's `<<` stays I/O; no loop is called parallel or a reduction."""
    found = loops("""#include "benchmark.h"
#include <iostream>
const unsigned *table() { const unsigned *t = bases32; return t; }
long run(const unsigned *n32, int n, Params p) {
  long hits = 0;
  for (int j = 0; j < n; j++) hits += efficient_mr32(bases32, 4, n32[j]);
  for (int j = 0; j < n; j++) std::cout << p.values[j] << " ";
  for (int j = 0; j < n; j++) total(0) = total(0) + n32[j];
  return hits;
}
""")
    assert found[6]["verdict"] == "serial" and "bases32" in found[6]["reason"]
    assert found[7]["verdict"] == "serial", found[7]["reason"]
    # total (an Array1D in the header) is called and the result assigned: the call may write into it
    assert found[8]["verdict"] == "serial" and "total" in found[8]["reason"]


def test_wrong_code_keeps_its_errors():
    """A stand-in is made only for what a missing header would declare: a real struct without the member, a
    real int used as a struct or an array, and a member of a stand-in's member stay errors."""
    wrong = {
        "a real struct lacks the member": "struct P { int x; };\nint f(P p) { return p.z; }\n",
        "a real int used as a struct": "int f() { int n = 5; return n.x; }\n",
        "a real int subscripted": "int f() { int n = 5; return n[2]; }\n",
        "a real double called": "double f(double d) { return d(2); }\n",
    }
    for why, text in wrong.items():
        count, diag = errors(text)
        assert count > 0, why
        assert diag.guessed_types == {} and diag.declared_unknowns == [], why
    # C has no operators to overload: a guessed type subscripted stays an error, and so does a struct used
    # before the file's own definition of it
    count, diag = errors('#include "graph.h"\nint f(graph g) { return g[1]; }\n', "g.c")
    assert count > 0 and diag.guessed_types == {"graph": "int"}
    count, diag = errors("struct pair_r f(void);\nint g(void) { return f().r; }\nstruct pair_r { int r; };\n", "p.c")
    assert count > 0 and diag.guessed_types == {}


def test_a_struct_the_missing_header_defines_is_completed_by_its_uses():
    """`struct pair_r` is only ever named in the file (ccs.h defines it): it is a struct of the members used."""
    count, diag = errors("""#include "ccs.h"
struct pair_r score(const float *a, int n) {
  struct pair_r out;
  out.r = 0;
  for (int i = 0; i < n; i++) out.r += a[i];
  out.n_r = n;
  return out;
}
""")
    assert count == 0, diag.messages
    assert diag.guessed_types == {"pair_r": f"struct {{ {ANY} r; {ANY} n_r; }}"}
    count, diag = errors("""#include "ccs.h"
double score(struct pair_r *p, int n) { double s = 0; for (int i = 0; i < n; i++) s += p->r[i]; return s; }
""", "s.c")
    assert count == 0, diag.messages
    assert diag.guessed_types == {"pair_r": "struct { double *r; }"}


def test_a_member_used_as_a_struct_is_a_struct_that_is_also_any():
    """`A.row_ptr.data()` (a std::vector in the missing header) and `A.row_ptr[i]` in the same file."""
    count, diag = errors("""#include "crs.h"
int nonzeros(Matrix_CRS A) {
  int *rows = A.row_ptr.data();
  int s = 0;
  for (int i = 0; i < A.m; i++) s += A.row_ptr[i + 1] - rows[i] + abs(A.shift);
  return s;
}
""")
    assert count == 0, diag.messages
    nested = "__xapp_any_Matrix_CRS_row_ptr"
    assert diag.guessed_types["Matrix_CRS"] == f"struct {{ {nested} row_ptr; {ANY} m; {ANY} shift; }}"
    assert diag.guessed_types[nested] == f"struct {{ {ANY} data; }}"


def test_a_name_undeclared_inside_a_macro_is_a_variable_not_the_macros_call():
    """`XLCAL(t[k])` expands to `xlv0 - xlv1 * (t[k] - t0c)`: clang points at the macro's use, whose `(` is
    not a call of t0c (declared `int t0c(...)`, `t0c - t[k]` would then be an error)."""
    count, diag = errors("""#include "constants.h"
#define XLCAL(x) (xlv0 - xlv1 * ((x) - t0c))
void k(float *t, float *xl, int n) {
  for (int i = 0; i < n; i++) { float d = t0c - t[i]; xl[i] = XLCAL(t[i]) + d; }
}
""")
    assert count == 0, diag.messages
    assert diag.declared_unknowns == ["t0c", "xlv0", "xlv1"]


def test_std_array_and_vector_compare():
    """std::sort and std::next_permutation over arrays and vectors of them need their comparisons."""
    count, diag = errors("""#include <array>
#include <vector>
#include <algorithm>
int main() {
  std::vector<std::array<signed char, 8>> found(4);
  std::sort(found.begin(), found.end());
  std::vector<std::vector<int>> rows(3, std::vector<int>(2));
  std::sort(rows.begin(), rows.end());
  return (found[0] < found[1]) + (rows[0] <= rows[1]) + (found[2] != found[3]);
}
""")
    assert count == 0, diag.messages


def test_a_member_of_a_stand_in_namespace_is_any():
    """`parser::add_argument(...)`, `parser::get<int>` from a missing parser.hpp: members of the namespace."""
    count, diag = errors("""#include "parser.hpp"
int main(int argc, const char **argv) {
  parser::add_argument("-n", "size");
  parser::parse(argc, argv);
  int n = parser::get("n", true);
  return n;
}
""")
    assert count == 0, diag.messages
    assert diag.declared_unknowns == ["parser"]


def test_a_literal_index_through_operator_brackets_is_part_of_the_subscript():
    """`v[i][0]` on a vector of vectors (and on a stand-in): the literal 0 is an index of the access, so the
    store has a name and its iterations can be told apart."""
    found = loops("""#include <vector>
void f(std::vector<std::vector<float>> &v, int n) {
  for (int i = 0; i < n; i++) v[i][0] = i;
  for (int i = 0; i < n; i++) v[0][0] = v[0][0] * i;
  for (int i = 0; i < n; i++) v[0][1] = i;
}
""")
    assert found[3]["verdict"] == "parallel"
    assert found[4]["verdict"] == "reduction"
    assert found[5]["verdict"] == "serial" and "output dependence" in found[5]["reason"]


def test_the_stand_ins_operators_leave_a_templates_own_operators_alone():
    """The any type's operators are found only through their operands: declared at global scope, they would
    turn a template's dependent `&vals[i]` into a call of an unresolved operator, and the loop that gives
    it to an unknown function would lose its call dependence (miniFE's LockingVector::sum_in)."""
    text = """#include "lock.h"
template <typename V> void sum_in(V &x, const typename V::Ord *idx, const typename V::Sc *vals, int n) {
  Lock guard;
  guard.acquire();
  for (int i = 0; i < n; i++) { typename V::Ord row = idx[i] - x.first; sum_into(1, &row, &vals[i], x); }
}
"""
    count, diag = errors(text)
    assert count == 0 and "Lock" in diag.guessed_types, diag.messages
    found = loops(text)
    assert found[5]["verdict"] == "serial" and "sum_into" in found[5]["reason"]
