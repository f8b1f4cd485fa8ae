"""The prediction pipeline: source -> regions and features -> per-threshold probabilities -> reasons.

Every front end (the CLI, the service, the batch scan) calls `Predictor`; none
repeats a step of it. A region with no parallel loop is not offered as a GPU
candidate: the public training data holds only data-parallel kernels, so the
classifiers cannot judge serial code, and the result says so instead.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Mapping, Sequence

import numpy as np

from .errors import ModelError
from .estimate import region_cpu_seconds, region_estimate
from .estimate.payoff import break_even, run_cost
from .estimate.region import is_resident, workload_from_dict
from .features import FEATURE_NAMES, FileFeatures, ParseOptions, RegionFeatures
from .inputs import check_thresholds, parse_hint, parse_sweep   # re-exported: the input rules live there
from .extraction import Extractor
from .isolation import WorkerPool
from .models import Bundle, feature_row, load_bundle, load_default_bundle, speedup_band
from .models.combine import ESTIMATE_SIGMA, combine, trained_for
from .models.featurization import hint_column
from .targets import Baseline, Target, get_baseline, get_target

__all__ = ["PredictOptions", "ThresholdProbability", "Reason", "RegionPrediction", "FilePrediction",
           "SweepPoint", "RegionSweep", "Predictor", "parse_hint", "parse_sweep", "rank_key", "ranked",
           "program_summary"]

SWEEP_POINTS = 25


@dataclass(frozen=True)
class PredictOptions:
    parse: ParseOptions = field(default_factory=ParseOptions)
    hints: tuple[tuple[str, float], ...] = ()
    thresholds: tuple[float, ...] | None = None     # None: every threshold of the model
    top_reasons: int = 3
    target: Target | None = None                    # None: the default target (targets.DEFAULT_TARGET)
    baseline: Baseline | None = None                # None: the target's own, else the reference core


def _doc(text: str, **kw):
    """A dataclass field with its meaning: the service's OpenAPI schema is derived from these classes."""
    return field(metadata={"description": text}, **kw)


@dataclass
class ThresholdProbability:
    threshold: float
    probability: float = _doc("P(speed-up > threshold)")
    exceeds: bool = _doc("probability > 0.5")


@dataclass
class Reason:
    feature: str
    value: float | None
    contribution: float = _doc("signed log-odds contribution at the first requested threshold")


@dataclass
class RegionPrediction:
    file: str
    function: str
    kind: str = _doc("'loop' for a loop nest, 'kernel' for an OpenCL kernel")
    line: int
    end_line: int
    offloadable: bool = _doc("false: no parallel loop, so not offered as a GPU candidate")
    predictions: list[ThresholdProbability]
    speedup_band: str | None
    reasons: list[Reason]
    not_offloadable_because: str | None = None
    estimated_hints: dict[str, float] = _doc("hints xapp derived itself where the client gave none, e.g. "
                                             "transfer from the loop's static data footprint",
                                             default_factory=dict)
    features: dict[str, float] = field(default_factory=dict)
    loops: list[dict] = _doc("every loop of the region with its own verdict", default_factory=list)
    parallel_level: str | None = _doc("`line:var` of the outermost loop that can run in parallel", default=None)
    findings: list[dict] = _doc("possible data races under OpenMP pragmas", default_factory=list)
    omp_unchecked: list[str] = _doc("OpenMP constructs in the region whose effect on races xapp does not judge "
                                    "(task, barrier, nowait, lock, ...)", default_factory=list)
    target: str | None = _doc("the hardware target the probabilities are for", default=None)
    probability_source: str | None = _doc("estimate, classifier or estimate+classifier (models/combine.py)",
                                          default=None)
    estimate: dict | None = _doc("the cost model's estimate on the target; null if sizes are unknown",
                                 default=None)
    launch: dict | None = _doc("kernels, launches and work-items of a GPU port", default=None)
    plan: dict | None = _doc("the port plan a GPU compiler would generate (ISL schedule mapped to kernels, "
                             "grid, host loops), or why there is none", default=None)
    warnings: list[str] = field(default_factory=list)
    time_saved_seconds: float | None = _doc("estimated seconds a port saves per program run (CPU - GPU, never "
                                            "below zero; calls per run from main); null if sizes are unknown",
                                            default=None)
    size_unknown: dict | None = _doc("sizes a loop bound reads that the program does not fix: names (with "
                                     "where each comes from), the break-even size on the target and its "
                                     "sentence; null when the sizes are known", default=None)
    size_sources: dict[str, str] = _doc("sizes bound from other files of a scan: name (or entry:name for a "
                                        "size of the function that calls this one) -> 'VALUE from FILE:LINE'",
                                        default_factory=dict)

    def as_dict(self, with_features: bool = False) -> dict:
        d = asdict(self)
        if not with_features:
            d.pop("features")
        return d

    def probability(self, threshold: float) -> float | None:
        return next((p.probability for p in self.predictions if p.threshold == threshold), None)


@dataclass
class FilePrediction:
    file: str
    results: list[RegionPrediction]
    diagnostics: dict | None = None
    suppressed: list[dict] = field(default_factory=list)   # regions an `xapp: ignore` comment took out
    findings: list[dict] = field(default_factory=list)     # races in parallel blocks outside every region


@dataclass
class SweepPoint:
    value: float
    probability: float


@dataclass
class RegionSweep:
    file: str
    function: str
    line: int
    name: str
    threshold: float
    points: list[SweepPoint]
    crossing: float | None      # where P(speed-up > threshold) first crosses 0.5, interpolated in log space
    direction: str | None       # 'above': the GPU pays off above `crossing`; 'below': below it
    crossings: list[dict] = field(default_factory=list)   # every crossing: {value, direction}
    warnings: list[str] = field(default_factory=list)     # sizes that overflow the source's int type

    @property
    def flat(self) -> bool:
        """The answer is the same at every point of the range (the value may not reach the code: see warnings)."""
        return len(self.points) > 1 and len({p.probability for p in self.points}) == 1

    def sentence(self) -> str:
        t = f"{self.threshold:g}x"
        if self.flat:
            return (f"P(speed-up > {t}) does not change as {self.name} runs from {self.points[0].value:g} to "
                    f"{self.points[-1].value:g}: it is {self.points[0].probability:.2f} over the whole range")
        if self.crossing is None:
            side = "above" if self.points and self.points[0].probability > 0.5 else "below"
            return (f"P(speed-up > {t}) stays {side} 0.5 for {self.name} from {self.points[0].value:g} "
                    f"to {self.points[-1].value:g}") if self.points else "no points"
        parts = [("starts to pay off above" if c["direction"] == "above" else "stops paying off above")
                 + f" {self.name} of about {c['value']:,.0f}" for c in self.crossings]
        return f"the GPU {' and '.join(parts)} (P(speed-up > {t}) crosses 0.5)"


def offload_verdict(features: Mapping[str, float], serial_reasons: Sequence[str]) -> str | None:
    """None when the region has a parallel level; else why it is not a GPU candidate."""
    if features["outer_parallel"] or features["parallel_loops"]:
        return None
    why = "; ".join(serial_reasons) if serial_reasons else "no loop level is free of loop-carried dependences"
    return f"no parallel loop ({why}); the model is trained on data-parallel kernels only"


class Predictor:
    """Holds one loaded model bundle; stateless per call, safe to share between requests."""

    def __init__(self, bundle: Bundle | None = None, pool: Extractor | WorkerPool | None = None):
        self.bundle = bundle if bundle is not None else load_default_bundle()
        self.pool = pool
        self.extractor = Extractor.of(pool)     # the one extraction path (xapp.extraction)
        expected = FEATURE_NAMES + tuple(hint_column(h) for h in self.bundle.hint_names)
        if tuple(self.bundle.feature_names) != expected:
            raise ModelError(f"model bundle {self.bundle.path} was trained on other features than this "
                             "xapp extracts; retrain it with this version")

    @classmethod
    def from_path(cls, path: str | None, pool: Extractor | WorkerPool | None = None) -> "Predictor":
        return cls(load_bundle(path) if path else None, pool)

    # ---- the model card, for front ends -----------------------------------------------------
    def model_summary(self, target: Target | None = None, baseline: Baseline | None = None) -> dict:
        """The model card for front ends, with the target and the CPU baseline the speed-ups are against."""
        card = self.bundle.card
        target = target or get_target()
        baseline = baseline or get_baseline(None, target)
        training = card.get("training", {})
        # No filesystem path: the service must not tell clients where it is installed.
        return {"name": card.get("name", self.bundle.path.name),
                "thresholds": list(self.bundle.thresholds), "hints": list(self.bundle.hint_names),
                "platform": training.get("platform"), "corpus": training.get("corpus"),
                "rows": training.get("rows"), "cv": _cv_summary(card.get("metrics")),
                "target": self.target_summary(target, baseline),
                "baseline": {"name": baseline.name, "description": baseline.cpu.name,
                             "about": baseline.description, "measured": baseline.measured}}

    def target_summary(self, target: Target, baseline: Baseline | None = None) -> dict:
        """The target and which measured corpus, if any, its probabilities are calibrated on."""
        baseline = baseline or get_baseline(None, target)
        training = self.bundle.card.get("training", {})
        if trained_for(training.get("platform"), target.measured_corpus):
            calibrated = (f"classifier trained on {training.get('corpus')} ({training.get('platform')}), "
                          "blended in log-odds with the cost model's estimate where one exists")
        else:
            calibrated = (f"no measured corpus for this target: P(>T) = Phi((log2 estimate - log2 T) / "
                          f"{ESTIMATE_SIGMA:g}), sigma stated, not fitted; the classifier "
                          f"({training.get('corpus')}, {training.get('platform')}) answers only where "
                          "the estimate cannot be made")
        return {"name": target.name, "description": target.description, "cpu": baseline.cpu.name,
                "baseline": {"name": baseline.name, "description": baseline.cpu.name},
                "calibration": calibrated}

    def thresholds_for(self, requested: Sequence[float] | None) -> tuple[float, ...]:
        return check_thresholds(requested, self.bundle.thresholds)

    # ---- pipeline ---------------------------------------------------------------------------
    def extract(self, text: str, filename: str, options: PredictOptions,
                display_name: str | None = None) -> FileFeatures:
        return self.extractor.extract(text, filename, options.parse, display_name)

    def predict_source(self, text: str, filename: str, options: PredictOptions | None = None,
                       display_name: str | None = None) -> FilePrediction:
        options = options or PredictOptions()
        features = self.extract(text, filename, options, display_name)
        return self.predict_features(features, options)

    def predict_features(self, features: FileFeatures, options: PredictOptions | None = None) -> FilePrediction:
        options = options or PredictOptions()
        results = self.predict_regions(features.regions, options)
        return FilePrediction(features.file, results, features.diagnostics.as_dict(), list(features.suppressed),
                              list(features.findings))

    def region_hints(self, region: RegionFeatures, hints: Mapping[str, float]) -> tuple[dict, dict]:
        """(hints for this region's classifier row, those of them xapp estimated). A loop nest with known
        bounds has a static data footprint that stands in for `transfer` when the user gives none.
        `transfer=0` means "resident on the device" to the estimate; to the classifier, trained on
        devmap's buffer sizes, it is no byte count: the row gets the footprint (or nothing) instead."""
        estimated = {}
        given = {k: v for k, v in hints.items() if not (k == "transfer" and is_resident(hints))}
        if "transfer" in self.bundle.hint_names and "transfer" not in given and region.footprint_bytes:
            estimated["transfer"] = float(region.footprint_bytes)
        return {**given, **estimated}, estimated

    def predict_many(self, files: Sequence[FileFeatures], options: PredictOptions | None = None) -> list[FilePrediction]:
        """`predict_features` of many files in one model call (an XGBoost call costs ~20 ms whatever
        its row count, which dominates a scan of many small files)."""
        options = options or PredictOptions()
        results = iter(self.predict_regions([r for f in files for r in f.regions], options))
        return [FilePrediction(f.file, [next(results) for _ in f.regions], f.diagnostics.as_dict(), list(f.suppressed),
                               list(f.findings))
                for f in files]

    def predict_regions(self, regions: Sequence[RegionFeatures], options: PredictOptions) -> list[RegionPrediction]:
        thresholds = self.thresholds_for(options.thresholds)
        hints = dict(options.hints)
        target = options.target or get_target()
        baseline = options.baseline or get_baseline(None, target)
        matches = trained_for(self.bundle.card.get("training", {}).get("platform"), target.measured_corpus)
        verdicts = [offload_verdict(r.features, r.serial_reasons) for r in regions]
        candidates = [r for r, why in zip(regions, verdicts) if why is None]
        region_hints = [self.region_hints(r, hints) for r in candidates]    # (used, estimated) each
        model_t = self.bundle.thresholds
        cols = [model_t.index(t) for t in thresholds]
        proba, contribs = self._score(candidates, [used for used, _ in region_hints], cols[0])
        out, k = [], 0
        for r, why in zip(regions, verdicts):
            if why is not None:
                out.append(RegionPrediction(r.file, r.function, r.kind, r.line, r.end_line, offloadable=False,
                                            predictions=[], speedup_band=None, reasons=[],
                                            not_offloadable_because=why, features=dict(r.features),
                                            loops=list(r.loops), parallel_level=r.parallel_level,
                                            findings=list(r.findings), omp_unchecked=list(r.omp_unchecked),
                                            target=target.name, launch=r.launch, plan=r.plan,
                                            estimate=_cpu_only(r, baseline),
                                            time_saved_seconds=0.0 if r.workload else None,
                                            warnings=_sanity(r, _cpu_only(r, baseline)),
                                            size_sources=dict(r.size_sources)))
                continue
            est = region_estimate(r.workload, hints, target, r.plan, baseline)
            row, source = combine(proba[k], est.speedup if est else None, model_t, matches)
            preds = [ThresholdProbability(t, round(float(row[c]), 4), bool(row[c] > 0.5))
                     for t, c in zip(thresholds, cols)]
            band = speedup_band(np.asarray(row)[None, :], model_t)[0]
            used, estimated = region_hints[k]
            reasons = self._reasons(contribs[k], r.features, used, options.top_reasons)
            est_doc, saved = _per_run(r, est, hints)
            out.append(RegionPrediction(r.file, r.function, r.kind, r.line, r.end_line, offloadable=True,
                                        predictions=preds, speedup_band=band, reasons=reasons,
                                        estimated_hints=estimated, features=dict(r.features),
                                        loops=list(r.loops), parallel_level=r.parallel_level,
                                        findings=list(r.findings), omp_unchecked=list(r.omp_unchecked),
                                        target=target.name, probability_source=source, estimate=est_doc,
                                        launch=r.launch, plan=r.plan, warnings=_warnings(r) + _sanity(r, est_doc),
                                        time_saved_seconds=saved,
                                        size_unknown=_size_unknown(r, est, hints, target, baseline),
                                        size_sources=dict(r.size_sources)))
            k += 1
        return out

    def _rows(self, regions: Sequence[RegionFeatures], hints: Sequence[Mapping[str, float]]) -> np.ndarray:
        rows = [feature_row(r.features, h, self.bundle.hint_names) for r, h in zip(regions, hints)]
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(self.bundle.feature_names))

    def _score(self, regions, hints, explain: int) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities per threshold, contributions at the threshold index `explain`)."""
        X = self._rows(regions, hints)
        if not len(regions):
            return np.zeros((0, len(self.bundle.thresholds))), np.zeros((0, X.shape[1] + 1))
        return self.bundle.model.predict_proba(X), self.bundle.model.contribution(X, explain)

    def _reasons(self, contrib_row: np.ndarray, features: Mapping[str, float], hints: Mapping[str, float],
                 top: int) -> list[Reason]:
        names = self.bundle.feature_names
        values = feature_row(features, hints, self.bundle.hint_names)
        order = np.argsort(-np.abs(contrib_row[:-1]))[:top]
        return [Reason(names[i], None if math.isnan(values[i]) else round(float(values[i]), 4),
                       round(float(contrib_row[i]), 4)) for i in order if contrib_row[i] != 0]

    # ---- what-if over a problem size --------------------------------------------------------
    def sweep(self, text: str, filename: str, name: str, low: float, high: float,
              options: PredictOptions | None = None, points: int = SWEEP_POINTS,
              display_name: str | None = None) -> list[RegionSweep]:
        """P(speed-up > T) of each offloadable region as `name` (a -D macro or a hint) runs from low to high."""
        options = options or PredictOptions()
        threshold = self.thresholds_for(options.thresholds)[0]
        values = sorted({round(v) if v >= 1 else v for v in np.geomspace(low, high, points)})
        is_hint = name in self.bundle.hint_names
        base_regions = None if not is_hint else self.extract(text, filename, options, display_name).regions
        curves: dict[tuple[str, int], list[SweepPoint]] = {}
        warned: dict[tuple[str, int], list[str]] = {}
        meta: dict[tuple[str, int], RegionFeatures] = {}
        overrides: list[str] = []      # `#define NAME` in the code, which the sweep's -D NAME cannot change
        for v in values:
            if is_hint:
                opts = PredictOptions(options.parse, tuple({**dict(options.hints), name: float(v)}.items()),
                                      (threshold,), 0, options.target)
                regions = base_regions
            else:
                parse = options.parse.with_defines({name: str(int(v)) if float(v).is_integer() else str(v)})
                opts = PredictOptions(parse, options.hints, (threshold,), 0, options.target)
                extracted = self.extract(text, filename, opts, display_name)
                regions = extracted.regions
                overrides = overrides or _overrides_of(name, extracted, filename, display_name)
            for pred, feats in zip(self.predict_regions(regions, opts), regions):
                if not pred.offloadable:
                    continue
                key = (pred.function, pred.line)
                meta[key] = feats
                curves.setdefault(key, []).append(SweepPoint(float(v), pred.predictions[0].probability))
                if pred.warnings and not warned.get(key):     # from the first size that overflows on
                    warned[key] = list(pred.warnings)
        out = []
        for key, pts in curves.items():
            crossings = _crossings(pts)
            first = crossings[0] if crossings else {"value": None, "direction": None}
            r = meta[key]
            out.append(RegionSweep(r.file, r.function, r.line, name, threshold, pts, first["value"],
                                   first["direction"], crossings, overrides + warned.get(key, [])))
        return out


def _overrides_of(name: str, features: FileFeatures, filename: str, shown: str | None) -> list[str]:
    """Warnings for each `#define NAME` of the code that overrides the sweep's -D NAME."""
    found = [o for o in features.diagnostics.overridden_defines if o["name"] == name]
    return [f"`#define {name}` at {shown or filename if o['file'] == filename else o['file']}:{o['line']} "
            f"overrides the sweep's -D {name}: its values never reach the code" for o in found]


def _cv_summary(metrics: dict | None) -> dict | None:
    """The card's cross-validation, reduced to what a client shows: accuracy per threshold."""
    if not metrics:
        return None
    return {"cv": metrics.get("cv"), "folds": metrics.get("folds"), "seed": metrics.get("seed"),
            "accuracy": {f"{m['threshold']:g}": round(m["accuracy"], 4) for m in metrics.get("thresholds", [])}}


def _crossings(points: Sequence[SweepPoint]) -> list[dict]:
    """Every place the curve crosses 0.5 (a curve may rise, then fall as transfer takes over)."""
    out = []
    for a, b in zip(points, points[1:]):
        if (a.probability > 0.5) != (b.probability > 0.5):
            la, lb = math.log(a.value), math.log(b.value)
            frac = (0.5 - a.probability) / (b.probability - a.probability)
            out.append({"value": math.exp(la + frac * (lb - la)),
                        "direction": "above" if b.probability > 0.5 else "below"})
    return out


def _warnings(region: RegionFeatures) -> list[str]:
    return list(region.warnings) + list((region.workload or {}).get("warnings", ()))


def _per_run(r: RegionFeatures, est, hints: Mapping[str, float]) -> tuple[dict | None, float | None]:
    """The estimate's JSON with its per-run figures, and the seconds a port saves per run."""
    if est is None:
        return None, None
    work = workload_from_dict(r.workload) or workload_from_dict((r.plan or {}).get("base_workload"))
    run = run_cost(est, work, r.calls_per_run, hints)
    doc = {**est.as_dict(), **run.as_dict()}
    return doc, max(0.0, doc["cpu_seconds_per_run"] - doc["gpu_seconds_per_run"])


def _cpu_only(r: RegionFeatures, baseline: Baseline) -> dict | None:
    """A region not offered as a GPU candidate still takes CPU time: its seconds on the baseline."""
    cpu = region_cpu_seconds(r.workload, baseline)
    if cpu is None:
        return None
    calls = r.calls_per_run
    return {"cpu_seconds": round(cpu, 9), "baseline": baseline.name, "calls_per_run": calls or 1.0,
            "calls_known": calls is not None, "cpu_seconds_per_run": round(cpu * (calls or 1.0), 9)}


def _size_unknown(r: RegionFeatures, est, hints, target: Target, baseline: Baseline) -> dict | None:
    if est is not None or not r.unknown_sizes:
        return None
    names = list(r.unknown_sizes)
    found = break_even(r.size_curve, names, hints, target, baseline) if r.size_curve else None
    said = ", ".join(f"{n} ({origin})" for n, origin in r.unknown_sizes.items())
    text = f"size unknown: {said}"
    if found is not None:
        text += f"; {found.sentence(target.name)}"
    return {"names": dict(r.unknown_sizes), "break_even": found.as_dict(target.name) if found else None,
            "text": text}


# Beyond physical sense: an hour of one core on a region whose data is under a gigabyte.
_SANE_SECONDS, _SANE_BYTES = 3600.0, 1e9


def _sanity(r: RegionFeatures, est: dict | None) -> list[str]:
    if not est or not r.workload:
        return []
    cpu, footprint = est.get("cpu_seconds") or 0.0, r.workload.get("footprint_bytes") or 0.0
    if cpu > _SANE_SECONDS and footprint < _SANE_BYTES:
        return [f"estimate beyond physical sense: {r.function} at line {r.line} takes {cpu:,.0f} CPU seconds "
                f"per call on {footprint / 1e6:,.1f} MB of data; check the loop bounds and element sizes"]
    return []


def rank_key(r: RegionPrediction, threshold: float | None = None) -> tuple:
    """Best first: regions whose sizes are known by time saved per run; then those with unknown sizes
    (apart: no time to compare), then the rest; P(>threshold) and place break ties."""
    group = 0 if r.time_saved_seconds is not None else 1 if r.size_unknown else 2
    p = r.probability(threshold) if threshold is not None else (r.predictions[0].probability if r.predictions else None)
    return (group, -(r.time_saved_seconds or 0.0), -(p if p is not None else -1.0), r.file, r.line)


def ranked(regions: Sequence[RegionPrediction], threshold: float | None = None) -> list[RegionPrediction]:
    """GPU candidates in rank_key order."""
    return sorted((r for r in regions if r.offloadable), key=lambda r: rank_key(r, threshold))


def program_summary(regions: Sequence[RegionPrediction]) -> dict:
    """What porting every region that saves time does to the time the program spends in its regions
    with known sizes (per run; the regions left on the CPU at CPU speed: Amdahl's law)."""
    sized = [r for r in regions if r.estimate and r.estimate.get("cpu_seconds_per_run") is not None]
    ported = [r for r in sized if r.offloadable and (r.time_saved_seconds or 0.0) > 0.0]
    before = sum(r.estimate["cpu_seconds_per_run"] for r in sized)
    after = before - sum(r.time_saved_seconds for r in ported)
    unknown = [r for r in regions if r.estimate is None]
    speedup = before / after if after > 0 else None
    text = (f"porting these {len(ported)} regions: {_secs(before)} -> {_secs(after)}, "
            f"{speedup:.3g}x for the regions with known sizes (the rest at CPU speed)" if ported and speedup
            else f"no region with known sizes saves time on the GPU ({_secs(before)} on the CPU per run)")
    if unknown:
        text += f"; {len(unknown)} regions with unknown sizes not counted"
    return {"ported": [f"{r.file}:{r.line}" for r in ported], "regions_counted": len(sized),
            "regions_unknown": len(unknown), "cpu_seconds": round(before, 9), "seconds_after": round(after, 9),
            "speedup": speedup, "text": text}


def _secs(s: float) -> str:
    return f"{s * 1e6:.3g} us" if s < 1e-3 else f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"
