"""The front end: source text to xapp's IR. Header modes and stub headers, sanitising of untrusted text,
the libclang parse (the only package of xapp that imports clang.cindex) and the lowering to the small
IR of dataclasses (ir.py) that everything downstream reads."""
