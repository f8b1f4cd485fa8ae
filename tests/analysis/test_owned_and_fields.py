"""Issue 22, dependences: memory an iteration declares for itself (a struct copy and its arrays),
each proof next to a look-alike that must stay serial."""
from __future__ import annotations

from xapp.features import ParseOptions, extract_source


def loops_in(text: str, filename: str = "t.cpp") -> dict[int, dict]:
    doc = extract_source(text, filename, ParseOptions())
    return {l["line"]: l for r in doc.regions for l in r.loops}


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


# ---- arrays inside a struct the iteration declares (HeCBench nbody's second kernel) ----------------
STRUCT_COPY = """
struct P { float pos[3]; float vel[3]; float acc[3]; float *hist; };
void step(P *p, float *e, int n, float dt) {
  for (int i = 0; i < n; i++) {            // OWN
    P pi = p[i];
    pi.vel[0] += pi.acc[0] * dt;
    pi.pos[0] += pi.vel[0] * dt;
    pi.acc[0] = 0.f;
    p[i] = pi;
    e[i] = pi.vel[0] * pi.vel[0];
  }
  for (int i = 0; i < n; i++) {            // REF
    P &pi = p[0];
    pi.vel[0] += pi.acc[0] * dt;
    e[i] = pi.vel[0];
  }
  for (int i = 0; i < n; i++) {            // PTR
    P pi = p[i];
    pi.hist[0] += dt;
    e[i] = pi.hist[0];
  }
}
"""


def test_arrays_inside_a_struct_declared_in_the_body_are_the_iterations_own():
    loops = loops_in(STRUCT_COPY)
    own = loops[line_of(STRUCT_COPY, "OWN")]
    assert own["verdict"] == "parallel", own["reason"]


def test_a_reference_or_a_pointer_member_reaches_shared_memory():
    loops = loops_in(STRUCT_COPY)
    ref = loops[line_of(STRUCT_COPY, "REF")]
    # `P &pi = p[0]` names one shared element: every iteration updates its vel[0]
    assert ref["verdict"] == "serial"
    assert "vel" in ref["reason"]
    ptr = loops[line_of(STRUCT_COPY, "PTR")]
    # the struct is a copy, but `hist` points to memory every copy shares
    assert ptr["verdict"] == "serial"
    assert "hist" in ptr["reason"]


# ---- different fields of an array of structs (HeCBench sph's density update) ----------------------
FIELDS = """
struct Q { double pos; double v; double density; double pressure; };
union U { double pos; double density; };
struct B { unsigned pos : 4; unsigned density : 4; };
union V { struct { double pos; double density; }; double both[2]; };
void update(Q *q, U *u, B *b, V *w, int n) {
  for (int i = 0; i < n; i++) {            // FIELDS
    double d = q[i].density;
    for (int j = 0; j < n; j++) d += q[j].pos * q[j].v;
    q[i].density = d;
    q[i].pressure = 2.0 * d;
  }
  for (int i = 0; i < n; i++) {            // SAME
    double d = 0;
    for (int j = 0; j < n; j++) d += q[j].density;
    q[i].density = d;
  }
  for (int i = 0; i < n; i++) {            // UNION
    double d = 0;
    for (int j = 0; j < n; j++) d += u[j].pos;
    u[i].density = d;
  }
  for (int i = 0; i < n; i++) {            // BITS
    unsigned d = 0;
    for (int j = 0; j < n; j++) d += b[j].pos;
    b[i].density = d;
  }
  for (int i = 0; i < n; i++) {            // ANON
    double d = 0;
    for (int j = 0; j < n; j++) d += w[j].pos;
    w[i].density = d;
  }
  for (int i = 0; i < n; i++) {            // WHOLE
    double d = 0;
    for (int j = 0; j < n; j++) d += q[j].pos;
    q[i] = q[0];
    q[i].density = d;
  }
}
"""


def test_different_fields_of_an_array_of_structs_do_not_meet():
    loops = loops_in(FIELDS)
    fields = loops[line_of(FIELDS, "FIELDS")]
    assert fields["verdict"] == "parallel", fields["reason"]


def test_one_field_a_union_a_bit_field_or_the_whole_struct_still_meet():
    loops = loops_in(FIELDS)
    # (ANON: fields of an anonymous struct inside a union are all taken to overlap, `both` among them)
    for marker, base in (("SAME", "q"), ("UNION", "u"), ("BITS", "b"), ("ANON", "w"), ("WHOLE", "q")):
        loop = loops[line_of(FIELDS, marker)]
        assert loop["verdict"] == "serial", marker
        assert f"dependence on {base}" in loop["reason"], (marker, loop["reason"])


# ---- a row pointer loaded from memory the loop does not change (HeCBench hmm's path[t-1][s]) -------
ROWS = """
void viterbi(int **path, float *best, const float *p, int n, int t) {
  for (int s = 0; s < n; s++) {            // ROW
    best[s] = p[s];
    path[t - 1][s] = s;
  }
  for (int s = 0; s < n; s++) {            // FIXED
    path[t - 1][0] = s;
  }
  for (int s = 1; s < n; s++) {            // MOVING
    path[s - 1][s] = s;
    path[s][s] = 0;
  }
  for (int s = 0; s < n; s++) {            // REWRITTEN
    path[t] = path[s];
    path[t - 1][s] = s;
  }
}
"""


def test_stores_through_a_row_pointer_the_loop_does_not_change_are_tested_as_one_array():
    loops = loops_in(ROWS, "t.c")
    row = loops[line_of(ROWS, "ROW")]
    assert row["verdict"] == "parallel", row["reason"]
    assert any("path[t - 1]" in x for x in row["assumptions"]), row["assumptions"]
    strict = extract_source(ROWS, "t.c", ParseOptions(alias_assumption=False))
    row_strict = next(l for r in strict.regions for l in r.loops if l["line"] == line_of(ROWS, "ROW"))
    assert row_strict["verdict"] == "serial" and "overlap" in row_strict["reason"]
    fixed = loops[line_of(ROWS, "FIXED")]
    assert fixed["verdict"] == "serial"
    assert "output dependence on path[t - 1]" in fixed["reason"], fixed["reason"]


def test_a_row_pointer_that_changes_in_the_loop_stays_unnamed():
    loops = loops_in(ROWS, "t.c")
    for marker in ("MOVING", "REWRITTEN"):
        loop = loops[line_of(ROWS, marker)]
        assert loop["verdict"] == "serial", marker
        assert "has no name" in loop["reason"], (marker, loop["reason"])


# ---- a pointer that is an offset into an array or null (HeCBench kalman's b_fc) --------------------
CHOICE = """
void forecast(double *fc, double *other, int batch, int steps) {
  for (int b = 0; b < batch; b++) {        // NULLABLE
    double *row = steps ? fc + b * steps : nullptr;
    for (int t = 0; t < steps; t++) row[t] = 1.0 * t;
  }
  for (int b = 0; b < batch; b++) {        // ZERO
    double *row = steps ? fc + b * steps : 0;
    for (int t = 0; t < steps; t++) row[t] = 1.0 * t;
  }
  for (int b = 0; b < batch; b++) {        // EITHER
    double *row = steps ? fc + b * steps : other;
    for (int t = 0; t < steps; t++) row[t] = 1.0 * t;
  }
  for (int b = 0; b < batch; b++) {        // OVERLAP
    double *row = steps ? fc + b : nullptr;
    for (int t = 0; t < steps; t++) row[t] = 1.0 * t;
  }
}
"""


def test_a_pointer_into_an_array_or_null_is_an_offset_into_that_array():
    loops = loops_in(CHOICE)
    for marker in ("NULLABLE", "ZERO"):
        loop = loops[line_of(CHOICE, marker)]
        assert loop["verdict"] == "parallel", (marker, loop["reason"])


def test_a_pointer_chosen_between_two_arrays_or_rows_that_overlap_stays_serial():
    loops = loops_in(CHOICE)
    either = loops[line_of(CHOICE, "EITHER")]
    assert either["verdict"] == "serial" and "changes inside the loop" in either["reason"]
    overlap = loops[line_of(CHOICE, "OVERLAP")]
    assert overlap["verdict"] == "serial" and "output dependence on fc" in overlap["reason"], overlap["reason"]


# ---- a pointer member of an own struct set to an own array (HeCBench bonds' cashFlows.legs) --------
LEGS = """
struct Leg { double amount; int date; };
struct Flows { Leg *legs; int n; };
void take(Flows *f);
void flows(Leg *shared, double *out, int n) {
  for (int b = 0; b < n; b++) {            // OWNLEGS
    Flows f; Leg legs[9];
    f.legs = legs;
    for (int k = 0; k < 9; k++) f.legs[k].amount = b * k;
    out[b] = b;
  }
  for (int b = 0; b < n; b++) {            // SHAREDLEGS
    Flows f; Leg legs[9];
    f.legs = legs;
    if (b > 2) f.legs = shared;
    for (int k = 0; k < 9; k++) f.legs[k].amount = b * k;
    out[b] = b;
  }
  for (int b = 0; b < n; b++) {            // ESCAPES
    Flows f; Leg legs[9];
    f.legs = legs;
    take(&f);
    for (int k = 0; k < 9; k++) f.legs[k].amount = b * k;
    out[b] = b;
  }
}
"""


def test_a_pointer_member_set_to_the_iterations_own_array_reaches_that_array():
    loops = loops_in(LEGS)
    own = loops[line_of(LEGS, "OWNLEGS")]
    assert own["verdict"] == "parallel", own["reason"]


def test_a_pointer_member_set_twice_or_whose_struct_escapes_stays_shared():
    loops = loops_in(LEGS)
    for marker in ("SHAREDLEGS", "ESCAPES"):
        loop = loops[line_of(LEGS, marker)]
        assert loop["verdict"] == "serial", marker
        # (the field `legs` is not the local array of that name)
        assert "output dependence on f.legs" in loop["reason"], (marker, loop["reason"])


# ---- row pointers with a stride the code does not state (HeCBench cross) ---------------------------
ROWPTR = """
void cross(float *out, const float *x, int n, int os, int xs) {
  for (int i = 0; i < n; i++) {            // STRIDED
    float *out_row = out + 3 * i;
    const float *x_row = x + 3 * i;
    out_row[0 * os] = x_row[1 * xs];
    out_row[1 * os] = x_row[2 * xs];
    out_row[2 * os] = x_row[0 * xs];
  }
  for (int i = 0; i < n; i++) {            // PASTROW
    float *p = out + i;
    p[0] = x[i];
    p[1] = x[i];
  }
  for (int i = 0; i < n; i++) {            // DIRECT
    float *out_row = out + 3 * i;
    out_row[os] = x[i];
    out[0] = x[i];
  }
  for (int i = 0; i < n; i++) {            // MOVING
    float *out_row = out + 3 * i;
    out_row[i * os] = x[i];
  }
}
"""


def test_row_pointers_with_a_stride_work_in_their_own_rows_stated():
    loops = loops_in(ROWPTR, "t.c")
    loop = loops[line_of(ROWPTR, "STRIDED")]
    assert loop["verdict"] == "parallel", loop["reason"]
    assert "accesses through out_row stay within its row of 3 elements" in loop["assumptions"]


def test_a_row_pointer_past_its_row_beside_a_direct_access_or_with_a_moving_subscript_stays_serial():
    loops = loops_in(ROWPTR, "t.c")
    for marker in ("PASTROW", "DIRECT", "MOVING"):
        loop = loops[line_of(ROWPTR, marker)]
        assert loop["verdict"] == "serial", marker
        assert "out" in loop["reason"], (marker, loop["reason"])


# ---- elements of unknown size beside known ones (adamw's template `T *p` read as float2) -----------
UNITS = """
struct float2 { float x, y; };
template <typename T>
void update(T *p, int n) {
  for (int i = 0; i < n; i++) {            // PAIRS
    float2 v = reinterpret_cast<float2 *>(p)[i];
    p[i * 2] = v.x * 2;
    p[i * 2 + 1] = v.y * 2;
  }
  for (int i = 0; i < n; i++) {            // HIDDEN
    float2 v = reinterpret_cast<float2 *>(p)[i];
    p[i] = v.x;
  }
}
"""


def test_elements_of_unknown_size_beside_known_ones_are_not_proven_either_way():
    loops = loops_in(UNITS)
    for marker in ("PAIRS", "HIDDEN"):
        loop = loops[line_of(UNITS, marker)]
        # HIDDEN (T = float: iteration 2i reads what iteration i wrote) was called parallel
        assert loop["verdict"] == "serial", marker
        assert loop["reason"].startswith("could not prove that iterations of i touch distinct elements of p"), loop["reason"]


# ---- fields through a pointer: a union's members overlap ---------------------------------------------
ARROWS = """
struct S { double x; double y; };
union W { double x; double y; };
void touch(struct S *s, union W *w, double *a, int n) {
  for (int i = 0; i < n; i++) {            // STRUCT
    if (i == 0) s->x = 1.0;
    a[i] = s->y;
  }
  for (int i = 0; i < n; i++) {            // UNIONW
    if (i == 0) w->x = 1.0;
    a[i] = w->y;
  }
}
"""


def test_fields_through_a_pointer_are_apart_in_a_struct_and_not_in_a_union():
    loops = loops_in(ARROWS, "t.c")
    struct = loops[line_of(ARROWS, "STRUCT")]
    assert struct["verdict"] == "parallel", struct["reason"]
    union = loops[line_of(ARROWS, "UNIONW")]
    assert union["verdict"] == "serial" and "flow dependence on w" in union["reason"], union["reason"]
