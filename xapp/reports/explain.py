"""What every report says beside a region's probability, decided here once for all the writers.

- The target and its CPU baseline (`target_name`, `baseline`): P(speed-up > T) is a speed-up of the
  target's GPU over that CPU, so a report that names one names the other.
- Where P came from (`probability_source`, SOURCES): the cost model's estimate, the classifier, or
  the two blended (xapp/models/combine.py decides which).
- The estimate, the resource that bounds it, and the time a port saves per run of the program
  (`time_saved_seconds`).
- The reasons, which explain P by its own source (`reasons`): the estimate's time split (GPU time,
  its largest part, CPU time) where the estimate produced P; the classifier's strongest feature
  contributions where the classifier did; both, each labelled, where the two were blended. A
  classifier's contributions never stand beside a probability the classifier did not compute.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Why", "SOURCES", "reasons", "reasons_text", "for_people", "time_saved_seconds", "baseline", "target_name",
           "seconds_text", "speedup_text", "estimate_split", "source_text", "estimated_features"]

SOURCES = {"estimate": "the cost model's estimate", "classifier": "the classifier",
           "estimate+classifier": "the estimate and the classifier, blended"}
_ESTIMATE_PARTS = ("transfer", "launch", "kernel")


@dataclass(frozen=True)
class Why:
    """One reason: `source` is 'estimate' or 'classifier'; `text` says it for people.

    estimate: `gpu_seconds`, `cpu_seconds`, the GPU time's largest part (`part`, `part_seconds`);
    classifier: `feature`, its `value`, `contribution` (signed log-odds) and whether the value is a
    runtime hint xapp `estimated` (no --hint gave it)."""

    source: str
    text: str
    gpu_seconds: float | None = None
    cpu_seconds: float | None = None
    part: str | None = None
    part_seconds: float | None = None
    feature: str | None = None
    value: float | None = None
    contribution: float | None = None
    estimated: bool | None = None     # classifier only

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


# ---- the numbers -------------------------------------------------------------------------------
def time_saved_seconds(region) -> float | None:
    """CPU minus GPU seconds per run of the program, never below zero; None without an estimate.
    The prediction's own `time_saved_seconds` when it has one (the payoff of a port), else the same
    from its estimate."""
    if hasattr(region, "time_saved_seconds"):
        return region.time_saved_seconds
    est = region.estimate
    if not est:
        return None
    return max(0.0, est["cpu_seconds"] - est["gpu_seconds"])


def speedup_text(s: float) -> str:
    """`0.011x`, `2.1x`, `1,593x`."""
    return f"{s:.2g}x" if s < 10 else f"{s:,.0f}x"


def seconds_text(s: float | None) -> str:
    """`12.5 us`, `3.1 ms`, `2.04 s`; `-` for None."""
    if s is None:
        return "-"
    return f"{s * 1e6:.3g} us" if s < 1e-3 else f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def baseline(model: dict) -> dict | None:
    """{name, description} of the CPU the speed-ups are relative to: the model summary's `baseline`
    when it has one, else the target's own CPU."""
    found = model.get("baseline") or (model.get("target") or {}).get("baseline")
    if found:
        return found
    cpu = (model.get("target") or {}).get("cpu")
    return {"name": cpu, "description": cpu} if cpu else None


def target_name(model: dict) -> str:
    target = model.get("target") or {}
    return target.get("name") or "target not stated"


def baseline_text(model: dict) -> str:
    b = baseline(model)
    return (b.get("description") or b.get("name") or "") if b else "baseline not stated"


def source_text(region) -> str:
    return SOURCES.get(region.probability_source or "", "-")


# ---- the reasons -------------------------------------------------------------------------------
def estimate_split(estimate: dict) -> Why:
    """GPU time, its largest part (transfer, launch or kernel) and CPU time."""
    gpu, cpu = estimate["gpu_seconds"], estimate["cpu_seconds"]
    part, part_s = max(((p, estimate.get(f"{p}_seconds") or 0.0) for p in _ESTIMATE_PARTS), key=lambda x: x[1])
    return Why("estimate", f"GPU {seconds_text(gpu)} ({part} {seconds_text(part_s)}) vs CPU {seconds_text(cpu)}",
               gpu_seconds=gpu, cpu_seconds=cpu, part=part, part_seconds=part_s)


def _contribution_text(name: str, value: float | None, contribution: float, hinted: bool, sep: str = "=") -> str:
    shown = "-" if value is None else f"{value:g}"
    sign = "+" if contribution > 0 else "-"
    return f"{sign}{name}{sep}{shown}{' (estimated)' if hinted else ''} ({contribution:+.2f})"


def _contribution(reason, estimated: frozenset[str]) -> Why:
    hinted = reason.feature in estimated
    return Why("classifier", _contribution_text(reason.feature, reason.value, reason.contribution, hinted),
               feature=reason.feature, value=reason.value, contribution=reason.contribution, estimated=hinted)


def for_people(why: Why) -> str:
    """A reason as tables and the HTML page show it: a classifier's feature by its human name (JSON, CSV
    and SARIF keep the model's names in `text`)."""
    if why.source != "classifier":
        return why.text
    from ..models.featurization import column_label     # the model stage is loaded once reasons exist

    return _contribution_text(column_label(why.feature), why.value, why.contribution, bool(why.estimated), " = ")


def estimated_features(region) -> frozenset[str]:
    """The classifier's feature names of the runtime hints xapp estimated for `region`."""
    from ..models.featurization import hint_column     # the model stage is loaded once regions exist

    return frozenset(hint_column(h) for h in region.estimated_hints)


def reasons(region, estimated: frozenset[str] | None = None) -> list[Why]:
    """What explains the region's P, by the source that produced it (none for a region not offloadable)."""
    source = region.probability_source or ""
    out = []
    if "estimate" in source and region.estimate:
        out.append(estimate_split(region.estimate))
    if "classifier" in source or (source == "estimate" and not region.estimate):
        hinted = estimated_features(region) if estimated is None else estimated
        out.extend(_contribution(r, hinted) for r in region.reasons)
    return out


def reasons_text(region, estimated: frozenset[str] | None = None, sep: str = "; ", people: bool = False) -> str:
    """The reasons on one line, each labelled with its source when P blends the two; `people`: features
    by their human names (`for_people`)."""
    whys = reasons(region, estimated)
    both = len({w.source for w in whys}) > 1
    texts = [(for_people(w) if people else w.text) for w in whys]
    return sep.join(f"{w.source}: {t}" if both else t for w, t in zip(whys, texts))
