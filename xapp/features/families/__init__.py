"""The feature families: one module each, holding `FEATURES` (name -> meaning) and `compute(analysis)`.

xapp.features.registry lists them in model-input order; a new family is a new module here plus an entry
there.
"""
