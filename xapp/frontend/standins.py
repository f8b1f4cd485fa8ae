"""Stand-ins for types and names that a missing header declares, shaped by how the file uses them.

mend.py first guesses an unknown type as `int` (or `double`) and an undeclared name as `extern int`.
When clang then shows that the file uses the thing as something an `int` cannot be, these stand-ins
take its place, each reported in the file's diagnostics:

* a type used with `.` or `->` (`SDKBitMap image; image.getWidth()`) becomes a struct whose members are
  the names the file uses on it, learnt one clang round at a time from "no member named 'm' in 'X'";
* in C++ every such member, and a guessed type or stand-in variable that the file subscripts, calls,
  assigns a call of, or passes where no overload takes an int (`fArray m; m[i][j]`, `fact_table[n]`,
  `aqsmtemp(n1, ig) = x`), is `__xapp_any`: a struct that converts to numbers and pointers, indexes,
  calls and does arithmetic like the real thing would, so the code around it parses and its loops are
  analysed. A member used as a struct in turn (`A.row_ptr.data()`) is a struct derived from it, and a
  member of a stand-in namespace (`parser::add_argument`) is one;
* a `struct X` that the file only names (its header defines it) is a struct of the members used;
* in C (no operators to overload) a member's type follows its use: `s->a[i]` a `double *`, `s->f(x)` a
  function pointer, anything else an arithmetic type guessed from its name.

lower.py folds the stand-in's operator calls into plain IR operators and its conversions into the value
converted, and types its values `ptr`: an unknown value may be a pointer, so a call given one, or a store
through what its call returns, is a dependence, never silently nothing. The stand-ins never declare what
the file does not use, and a use that no stand-in can serve (a guessed type subscripted in C, a struct
used before the file's own definition, a conversion of any to a class) keeps its error: the file stays
`partial`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clang import cindex

__all__ = ["ANY", "ANY_DEFINITION", "Round", "StandIns"]

ANY = "__xapp_any"
_BINARY = ("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>")
_COMPARE = ("<", ">", "<=", ">=", "==", "!=", "&&", "||")
_MATH = ("abs", "fabs", "sqrt", "exp", "log", "floor", "ceil", "round", "isnan", "isinf", "isfinite")


def _binary(op: str, result: str) -> str:
    """Both operand orders, and any with any, so that neither is ambiguous."""
    return (f"template <class _T> {result} operator{op}(const {ANY} &, const _T &);\n"
            f"template <class _T> {result} operator{op}(const _T &, const {ANY} &);\n"
            f"{result} operator{op}(const {ANY} &, const {ANY} &);\n")


# In a namespace of its own, found by argument-dependent lookup only: an operator declared at global scope
# makes clang build every dependent `&row` or `row - first` in the file's templates as a call to an
# unresolved operator, not as the unary or binary operator it is (the analysis would lose `&row`).
ANY_DEFINITION = (
    "namespace __xapp_ns {\n"
    "template <bool, class _R = int> struct __xapp_if {};\n"
    "template <class _R> struct __xapp_if<true, _R> { typedef _R type; };\n"
    f"struct {ANY} {{\n"
    f"  {ANY}() = default;\n"
    f"  template <class _T> {ANY}(const _T &);\n"
    f"  template <class _T> {ANY} &operator=(const _T &);\n"
    # to numbers and pointers only: a conversion to every class would make `std::vector<float> v(s.n)`
    # ambiguous between the vector's constructors
    f"  template <class _T, class = typename __xapp_if<!__is_class(_T)>::type> operator _T &() const;\n"
    f"  template <class... _A> {ANY} &operator()(_A &&...) const;\n"
    f"  template <class _T> {ANY} &operator[](const _T &) const;\n"
    f"  {ANY} &operator*() const;\n  {ANY} *operator->() const;\n"
    f"  {ANY} *begin() const;\n  {ANY} *end() const;\n"
    f"  {ANY} &operator++();\n  {ANY} &operator--();\n  {ANY} operator++(int);\n  {ANY} operator--(int);\n"
    f"  {ANY} operator-() const;\n  {ANY} operator+() const;\n  {ANY} operator~() const;\n"
    f"  bool operator!() const;\n  {ANY} operator&() const;\n"
    + "".join(f"  template <class _T> {ANY} &operator{op}=(const _T &);\n" for op in _BINARY)
    + "};\n"
    + "".join(f"template <class _T, class = typename __xapp_if<!__is_base_of({ANY}, _T)>::type> "
              f"_T &operator{op}=(_T &, const {ANY} &);\n" for op in _BINARY)
    # `std::cout << s.n << std::endl`: the stream comes back, and no member of ostream is as good
    + "".join(f"template <class _T, class = typename __xapp_if<!__is_base_of({ANY}, _T)>::type> "
              f"_T &operator{op}(_T &, const {ANY} &);\n" for op in ("<<", ">>"))
    + "".join(_binary(op, ANY) for op in _BINARY)
    + "".join(_binary(op, "bool") for op in _COMPARE)
    # `abs(s.x)` would be ambiguous between the int, long and double overloads
    + "".join(f"{ANY} {f}(const {ANY} &);\n" for f in _MATH)
    + "}\n"
    + f"using __xapp_ns::{ANY};\n"
    + "namespace std { " + "".join(f"using __xapp_ns::{f}; " for f in _MATH) + "}\n")

# what follows a member's name decides its type in C
_C_MEMBER_SHAPES = ((re.compile(rb"\s*\["), "double *{}"), (re.compile(rb"\s*\("), "double (*{})()"))
_MEMBER_BASE = re.compile(r"^member reference (?:base )?type '(?:const |volatile )*([A-Za-z_][A-Za-z0-9_]*)"
                          r"(?: \*)?(?: const)?' (?:\(aka '[^']*'\) )?is not a (?:structure or union|pointer)")
_NO_MEMBER = re.compile(r"^no member named '([A-Za-z_][A-Za-z0-9_]*)' in '(?:struct )?(?:const )?"
                        r"([A-Za-z_][A-Za-z0-9_]*)'")
_NOT_INDEXED = re.compile(r"^subscripted value is not an array, pointer, or vector|"
                          r"^called object type '[^']*' is not a function|^expression is not assignable")
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_CONSTRUCTED = re.compile(r"^(?:no matching constructor for initialization of|"
                          r"no viable conversion from '(?!int')[^']*' to) '(?:const )?([A-Za-z_][A-Za-z0-9_]*)'")
# a stand-in variable (`extern int bases32`) used where an int cannot be: the value after `=`, a call's arguments
_INT_LVALUE = re.compile(r"^cannot initialize a variable of type '[^']*'(?: \(aka '[^']*'\))? with an lvalue "
                         r"of type 'int'|^no matching function for call to")
_STATEMENT_REST = re.compile(rb"[^;{}]*")
_NAMESPACE_MEMBER = re.compile(r"^no (?:member|type|template) named '([A-Za-z_][A-Za-z0-9_]*)' in namespace "
                               r"'([A-Za-z_][A-Za-z0-9_]*)'$")
_INCOMPLETE = re.compile(r"incomplete (?:result |definition of )?type '(?:const )?struct ([A-Za-z_][A-Za-z0-9_]*)'")
_MEMBER_BEFORE = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\.|->)\s*$")
_PLAIN_INT_BASE = re.compile(r"^member reference base type '(?:const )?int' is not a structure or union")
_NAME_BEFORE = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)\s*$")
_FLOATY = re.compile(r"real|float|flt|double|dbl|scalar|fp", re.I)


@dataclass
class Round:
    """What one clang round gives the stand-ins: the texts, mend.py's guesses and stand-ins (`declared`
    is updated in place when a stand-in variable changes its type)."""

    texts: Any
    guessed: dict[str, str]
    declared: dict[str, str]


class StandIns:
    """The shaped stand-ins of one file: struct types with their members, and types that are `__xapp_any`."""

    def __init__(self, language: str):
        self.language = language
        self.structs: dict[str, dict[str, str]] = {}   # type -> member -> its declaration, in order learnt
        self.anys: list[str] = []                        # guessed types that are any
        self.any_variables = False                       # a stand-in variable was made any
        self.constructed: set[str] = set()               # struct stand-ins built from values (`T x(a, b)`)
        self.tagged: set[str] = set()                    # structs the file names `struct X` (no typedef in C)
        self.nested: set[str] = set()                    # a member's struct (it is also any: it derives from it)

    def shaped(self, name: str) -> bool:
        return name in self.structs or name in self.anys

    def forget(self, name: str) -> None:
        """The file defines the type itself after all (mend.py's retyped guesses): no stand-in shape for it."""
        self.structs.pop(name, None)
        self.anys = [n for n in self.anys if n != name]

    def prelude(self) -> str:
        """The definitions, after the guessed typedefs (mend.py leaves the names shaped here out of them)."""
        any_def = ANY_DEFINITION if self.language == "c++" and self.used_any() else ""
        # newest first: a member's struct is learnt after the struct that holds it
        return any_def + "".join(f"typedef {ANY} {name};\n" for name in self.anys) + \
            "".join(self._struct(name, members) for name, members in reversed(self.structs.items()))

    def used_any(self) -> bool:
        return bool(self.structs or self.anys or self.any_variables)

    def _struct(self, name: str, members: dict[str, str]) -> str:
        fields = "".join(f" {decl};" for decl in members.values())
        if name in self.nested:
            return f"struct {name} : {ANY} {{ using {ANY}::{ANY}; using {ANY}::operator=;{fields} }};\n"
        if self.language == "c++":
            made = f" {name}() = default; template <class... _A> {name}(_A &&...);" if name in self.constructed else ""
            return f"struct {name} {{{made}{fields} }};\n"
        if name in self.tagged:
            return f"struct {name} {{{fields} }};\n"
        return f"typedef struct {name} {{{fields} }} {name};\n"

    def reported(self) -> dict[str, str]:
        """For diagnostics.guessed_types: what each name stands in as."""
        shown = {name: f"struct {{ {'; '.join(members.values()) or 'no members used'}; }}"
                 for name, members in self.structs.items()}
        return shown | {name: ANY for name in self.anys}

    def learn(self, d: cindex.Diagnostic, r: Round) -> bool:
        """One diagnostic: a guessed type or stand-in variable used as a struct, a struct's member, a
        guessed type or variable subscripted or called (C++). True when something new was learnt."""
        return any(step(self, d, r) for step in _STEPS)

    def _struct_type(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'member reference base type 'X' (aka 'int')': the guessed type X is a struct."""
        m = _MEMBER_BASE.match(d.spelling)
        name = m.group(1) if m else None
        if name is None or name not in r.guessed or self.shaped(name):
            return False
        self.structs[name] = {}
        return True

    def _struct_variable(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'member reference base type 'int'' on a stand-in variable (`refdata.n`): its type is a struct."""
        if not _PLAIN_INT_BASE.match(d.spelling):
            return False
        text, off = r.texts.at(d)
        m = _NAME_BEFORE.search(text[max(0, off - 80):off])
        name = m.group(1).decode() if m else ""
        if not r.declared.get(name, "").startswith("extern int "):
            return False
        self.structs[f"__xapp_type_of_{name}"] = {}
        r.declared[name] = f"extern __xapp_type_of_{name} {name};\n"
        return True

    def _member(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'no member named 'm' in 'X'': X's stand-in gets m, typed by its use."""
        m = _NO_MEMBER.match(d.spelling)
        if not m or m.group(2) not in self.structs or m.group(1) in self.structs[m.group(2)]:
            return False
        text, off = r.texts.at(d)
        member = m.group(1)
        self.structs[m.group(2)][member] = self._member_decl(member, text[off + len(member):off + len(member) + 16])
        return True

    def _member_decl(self, member: str, after: bytes) -> str:
        """`__xapp_any m` in C++; in C by what follows the member's name in the text."""
        if self.language == "c++":
            return f"{ANY} {member}"
        shape = next((fmt for pattern, fmt in _C_MEMBER_SHAPES if pattern.match(after)), None)
        return (shape or ("double {}" if _FLOATY.search(member) else "long {}")).format(member)

    def _indexed(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'subscripted value is not an array' / 'called object type': the guessed type of the variable
        there, or the stand-in variable itself, is any (C++)."""
        if self.language != "c++" or not _NOT_INDEXED.match(d.spelling):
            return False
        text, off = r.texts.at(d)
        start = _base_start(text, off)
        m = _IDENT.match(text, start) if start is not None else None
        name = m.group(0).decode() if m else ""
        if r.declared.get(name, "").startswith(("extern int ", "int ")):   # `aqsmtemp(n1, ig) = x` too
            r.declared[name] = f"extern {ANY} {name};\n"
            self.any_variables = True
            return True
        typename = _declared_type(text, name, r.guessed) if name else ""
        if typename in r.guessed and not self.shaped(typename):
            self.anys.append(typename)
            return True
        return False

    def _incomplete_struct(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'variable has incomplete type 'struct pair_r'': a struct the missing header defines, unless the
        file's own text defines it (then the use before the definition is the file's error)."""
        m = _INCOMPLETE.search(d.spelling)
        name = m.group(1) if m else None
        if name is None or name in self.structs:
            return False
        text, _ = r.texts.at(d)
        if re.search(rb"\bstruct\s+" + name.encode() + rb"\s*\{", text):
            return False
        self.structs[name] = {}
        self.tagged.add(name)
        return True

    def _nested_member(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'no member named 'data' in '__xapp_any'' after `A.row_ptr.`: the member row_ptr of the struct
        stand-ins that have it is a struct of its own (C++)."""
        if self.language != "c++" or not d.spelling.endswith((f"in '{ANY}'", f"in '__xapp_ns::{ANY}'")):
            return False
        text, off = r.texts.at(d)
        m = _MEMBER_BEFORE.search(text[max(0, off - 80):off])
        member = m.group(1).decode() if m else ""
        holders = [name for name, members in self.structs.items() if members.get(member) == f"{ANY} {member}"]
        for holder in holders:
            nested = f"__xapp_any_{holder}_{member}"
            self.structs[nested] = {}
            self.nested.add(nested)
            self.structs[holder][member] = f"{nested} {member}"
        return bool(holders)

    def _namespace_member(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'no member named 'add_argument' in namespace 'parser'', parser a stand-in namespace: the member is
        any (a variable, a callable) in it (C++)."""
        m = _NAMESPACE_MEMBER.match(d.spelling)
        if not m or not r.declared.get(m.group(2), "").startswith(f"namespace {m.group(2)} {{"):
            return False
        member, space = m.group(1), m.group(2)
        stand_in = f"extern {ANY} {member};"
        if stand_in in r.declared[space]:
            return False
        r.declared[space] = r.declared[space].replace("}\n", f" {stand_in} }}\n")
        self.any_variables = True
        return True

    def _constructor(self, d: cindex.Diagnostic, r: Round) -> bool:
        """'no matching constructor for initialization of 'X'': the struct stand-in takes any arguments
        (only then: a constructor would make `params p = {1, 2}` no longer an aggregate)."""
        m = _CONSTRUCTED.match(d.spelling)
        name = m.group(1) if m else None
        if self.language != "c++" or name not in self.structs or name in self.constructed:
            return False
        self.constructed.add(name)
        return True

    def _any_variable(self, d: cindex.Diagnostic, r: Round) -> bool:
        """A stand-in variable initialising a pointer, or passed where no overload takes an int: any (C++)."""
        if self.language != "c++" or not _INT_LVALUE.match(d.spelling):
            return False
        text, off = r.texts.at(d)
        rest = _STATEMENT_REST.match(text, off).group(0)
        if d.spelling.startswith("cannot"):
            rest = rest.partition(b"=")[2]
        names = {m.group(0).decode() for m in _IDENT.finditer(rest)}
        found = [n for n in sorted(names) if r.declared.get(n, "").startswith("extern int ")]
        for name in found:
            r.declared[name] = f"extern {ANY} {name};\n"
        self.any_variables |= bool(found)
        return bool(found)


def _base_start(text: bytes, off: int) -> int | None:
    """Where the name starts whose `[` or `(` the diagnostic points at: `emissions[i][j]` from the
    second `[` back over `[i]` to `emissions`; None when the base is not a name."""
    i = off
    while True:
        while i > 0 and text[i - 1:i].isspace():
            i -= 1
        close = text[i - 1:i]
        if close not in (b"]", b")"):
            break
        pair = {close: 1, b"[" if close == b"]" else b"(": -1}
        depth, i = 0, i - 1
        while i > 0:
            depth += pair.get(text[i:i + 1], 0)
            if depth == 0:
                break
            i -= 1
    m = _NAME_BEFORE.search(text[max(0, i - 80):i])
    return i - len(m.group(1)) if m else None


def _declared_type(text: bytes, name: str, guessed: dict[str, str]) -> str:
    """The guessed type that a declaration in the text gives the variable `name` (`const fArray *__restrict
    emissions,`), '' when none does. Read from the text: clang drops the invalid expression from the AST."""
    pattern = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)[\s*&]*(?:(?:__restrict__|__restrict|restrict|const)[\s*&]+)*"
                         + re.escape(name.encode()) + rb"\s*[,;)=\[]")
    return next((m.group(1).decode() for m in pattern.finditer(text) if m.group(1).decode() in guessed), "")


_STEPS = (StandIns._struct_type, StandIns._struct_variable, StandIns._member, StandIns._indexed,
          StandIns._constructor, StandIns._any_variable, StandIns._incomplete_struct, StandIns._nested_member,
          StandIns._namespace_member)
