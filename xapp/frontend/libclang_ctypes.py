"""Raw ctypes access to the bundled libclang, for the hot lowering pass.

The Python bindings wrap every call in result converters and build a `Cursor`
object per node; lowering a translation unit that way costs more than parsing
it. Here we declare our own prototypes on a second handle of the very library
the bindings loaded, so both agree on one libclang, and we read struct fields
(cursor kind, type kind) directly instead of calling into C for them.
"""
from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_char_p, c_int, c_longlong, c_uint, c_void_p

from clang import cindex

__all__ = ["Cursor", "from_bindings", "CXType", "lib", "visit", "spelling", "type_spelling", "start", "extent_lines",
           "evaluate_int", "is_from_main_file", "separate_field", "project_file"]

class Cursor(ctypes.Structure):
    """CXCursor with its data pointers as separate fields: reading `d1` builds no array object."""
    _fields_ = [("kind", c_int), ("xdata", c_int), ("d0", c_void_p), ("d1", c_void_p), ("d2", c_void_p)]


def from_bindings(cursor: cindex.Cursor) -> Cursor:
    return Cursor.from_buffer_copy(cursor)


class CXType(ctypes.Structure):
    _fields_ = [("kind", c_int), ("data", c_void_p * 2)]


class CXString(ctypes.Structure):
    _fields_ = [("data", c_void_p), ("flags", c_uint)]


class CXSourceLocation(ctypes.Structure):
    _fields_ = [("ptr_data", c_void_p * 2), ("int_data", c_uint)]


class CXSourceRange(ctypes.Structure):
    _fields_ = [("ptr_data", c_void_p * 2), ("begin_int_data", c_uint), ("end_int_data", c_uint)]


VISITOR = ctypes.CFUNCTYPE(c_int, Cursor, Cursor, ctypes.py_object)

lib = ctypes.CDLL(cindex.conf.lib._name)


def _proto(name: str, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


visit_children = _proto("clang_visitChildren", c_uint, Cursor, VISITOR, ctypes.py_object)
binary_op_kind = _proto("clang_getCursorBinaryOperatorKind", c_int, Cursor)
unary_op_kind = _proto("clang_getCursorUnaryOperatorKind", c_int, Cursor)
cursor_type = _proto("clang_getCursorType", CXType, Cursor)
canonical_type = _proto("clang_getCanonicalType", CXType, CXType)
pointee_type = _proto("clang_getPointeeType", CXType, CXType)
element_type = _proto("clang_getElementType", CXType, CXType)
num_elements = _proto("clang_getNumElements", c_longlong, CXType)
type_size = _proto("clang_Type_getSizeOf", c_longlong, CXType)
is_restrict = _proto("clang_isRestrictQualifiedType", c_uint, CXType)
_cursor_spelling = _proto("clang_getCursorSpelling", CXString, Cursor)
_type_spelling = _proto("clang_getTypeSpelling", CXString, CXType)
_get_cstring = _proto("clang_getCString", c_char_p, CXString)
_dispose_string = _proto("clang_disposeString", None, CXString)
cursor_location = _proto("clang_getCursorLocation", CXSourceLocation, Cursor)
cursor_extent = _proto("clang_getCursorExtent", CXSourceRange, Cursor)
range_start = _proto("clang_getRangeStart", CXSourceLocation, CXSourceRange)
range_end = _proto("clang_getRangeEnd", CXSourceLocation, CXSourceRange)
_expansion_location = _proto("clang_getExpansionLocation", None, CXSourceLocation, POINTER(c_void_p),
                             POINTER(c_uint), POINTER(c_uint), POINTER(c_uint))
_from_main_file = _proto("clang_Location_isFromMainFile", c_int, CXSourceLocation)
is_definition = _proto("clang_isCursorDefinition", c_uint, Cursor)
_evaluate = _proto("clang_Cursor_Evaluate", c_void_p, Cursor)
_eval_kind = _proto("clang_EvalResult_getKind", c_int, c_void_p)
_eval_ll = _proto("clang_EvalResult_getAsLongLong", c_longlong, c_void_p)
_eval_is_unsigned = _proto("clang_EvalResult_isUnsignedInt", c_uint, c_void_p)
_eval_ull = _proto("clang_EvalResult_getAsUnsigned", ctypes.c_ulonglong, c_void_p)
_eval_dispose = _proto("clang_EvalResult_dispose", None, c_void_p)

_in_system_header = _proto("clang_Location_isInSystemHeader", c_int, CXSourceLocation)
_file_name = _proto("clang_getFileName", CXString, c_void_p)
_referenced = _proto("clang_getCursorReferenced", Cursor, Cursor)
_semantic_parent = _proto("clang_getCursorSemanticParent", Cursor, Cursor)
_is_bit_field = _proto("clang_Cursor_isBitField", c_uint, Cursor)

_CXEVAL_INT = 1
_FIELD_DECL, _UNION_DECL = 6, 3
_RECORDS = frozenset({2, 3, 4, 31, 32})     # struct, union, class, class template (partial specialisation)


def _take(s: CXString) -> str:
    raw = _get_cstring(s)
    _dispose_string(s)
    return raw.decode("utf-8", "replace") if raw else ""


def spelling(c: Cursor) -> str:
    return _take(_cursor_spelling(c))


def type_spelling(t: CXType) -> str:
    return _take(_type_spelling(t))


def _expansion(loc: CXSourceLocation) -> tuple[int, int]:
    """(line, offset) where the location lands after macro expansion."""
    f, line, col, off = c_void_p(), c_uint(), c_uint(), c_uint()
    _expansion_location(loc, byref(f), byref(line), byref(col), byref(off))
    return line.value, off.value


def start(c: Cursor) -> tuple[int, int]:
    """(line, offset) of a cursor's first character."""
    return _expansion(cursor_location(c))


def extent_lines(c: Cursor) -> tuple[int, int, int, int]:
    """(first line, last line, start offset, end offset) of a cursor's extent."""
    rng = cursor_extent(c)
    l0, o0 = _expansion(range_start(rng))
    l1, o1 = _expansion(range_end(rng))
    return l0, l1, o0, o1


def is_from_main_file(c: Cursor) -> bool:
    return bool(_from_main_file(cursor_location(c)))


def separate_field(member: Cursor) -> bool:
    """Whether a member expression names a field with storage of its own: a field of a struct or
    class that is not a bit-field (neighbouring bit-fields share a memory location) and sits in no
    union, anonymous members included (`union { struct { float x, y; }; float v[2]; }`). An
    unresolved member (a template's dependent `s.x`) is not known to be one."""
    field = _referenced(member)
    if field.kind != _FIELD_DECL or _is_bit_field(field):
        return False
    record = _semantic_parent(field)
    while record.kind in _RECORDS:
        if record.kind == _UNION_DECL:
            return False
        record = _semantic_parent(record)
    return True


def project_file(c: Cursor) -> str:
    """The path of the file a cursor outside the main file is written in, '' for a system header
    (the hermetic stubs are included as system headers) or a location in no file."""
    loc = cursor_location(c)
    if _in_system_header(loc):
        return ""
    f = c_void_p()
    _expansion_location(loc, byref(f), None, None, None)
    return _take(_file_name(f)) if f.value else ""


def evaluate_int(c: Cursor) -> int | None:
    """Constant-fold an integer expression (macros, enums, const variables); None if not constant."""
    res = _evaluate(c)
    if not res:
        return None
    try:
        if _eval_kind(res) != _CXEVAL_INT:
            return None
        return int(_eval_ull(res)) if _eval_is_unsigned(res) else int(_eval_ll(res))
    finally:
        _eval_dispose(res)


def visit(root: Cursor, callback, client) -> None:
    """One recursive clang_visitChildren pass; callback(cursor, parent, client) -> 0 break, 1 continue, 2 recurse."""
    visit_children(root, VISITOR(callback), client)
