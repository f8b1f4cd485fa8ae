"""The analysis of lowered code: regions, loops and accesses (nest.py), dependences and per-loop
verdicts, OpenMP pragma checks, launch structure and workload. Reads the front end's IR; knows neither
the feature families nor any model."""
