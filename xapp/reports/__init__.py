"""Report writers, one module per output format. Each takes plain result objects and returns text."""
