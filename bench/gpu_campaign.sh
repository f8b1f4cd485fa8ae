#!/usr/bin/env bash
# The GPU campaign of issue 11, prepared as one command for a lent NVIDIA machine (10 minutes at most).
#
# Here (where xapp is installed), first:
#   xapp label --generate all --out gen                      # 2,072 pairs + 33 batches of ports
#   xapp label gen/manifest.toml --plan-only --out ship/gen-plan.json
#   xapp label data/labels/polybench-cuda.toml --plan-only --sizes mini,small,standard --out ship/pb-plan.json
# (carry gen/ and ship/ to the device; PolyBench-ACC must be under shared/ there, or pass PB=DIR)
# On the device:
#   bash bench/gpu_campaign.sh                               # writes $OUT/{gen,pb}-results.json, versions.txt
# Back here:
#   xapp label --ingest OUT/gen-results.json --sources gen --out data/labels/h200-generated.csv
#   xapp label --ingest OUT/pb-results.json --out data/labels/h200-polybench.csv
#   xapp evaluate data/labels/h200-generated.csv --cv grouped
#
# Budget: the ports compile in batches, all batches at once on every core; each pair is one serial and
# one port process, each repeating its region in-process (1 warm-up + REPS timed). GEN_JOBS pairs run
# at once: their serial baselines share the cores, their ports (exclusive runs) take the GPU one at a
# time. The deadlines stop starting new jobs so that the results are written inside the device's window
# whatever happens. Not measured yet: each port process pays CUDA context creation (recorded apart as
# startup_s, outside the label), which bounds how many of the 2,072 pairs fit in the window.
set -u
OUT=${OUT:-/tmp/xapp-gpu-out}
PB=${PB:-shared/data/polybench-acc}
mkdir -p "$OUT"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; nvcc --version | tail -2; cc --version | head -1; } \
  > "$OUT/versions.txt" 2>&1
python3 ship/runner.py ship/gen-plan.json --sources gen --work /tmp/xapp-gen-work --deadline "${GEN_DEADLINE:-400}" \
  --jobs "${GEN_JOBS:-8}" \
  --out "$OUT/gen-results.json"
python3 ship/runner.py ship/pb-plan.json --sources "$PB" --work /tmp/xapp-pb-work --deadline "${PB_DEADLINE:-100}" \
  --out "$OUT/pb-results.json"
