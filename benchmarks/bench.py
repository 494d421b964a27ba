"""Speed and memory of the shipped pipelines: chars/s, peak RSS, scaling, processes.

Usage (from the repository root)::

    python benchmarks/bench.py                       # every shipped pipeline, all sizes
    python benchmarks/bench.py --pipelines rules --sizes 10KB,1MB --n-process 1

For each pipeline it measures, every configuration in a fresh Python process (so one
run's memory never pollutes another's):

* ``seeds``: the five seed documents, each as its own Doc, processed repeatedly;
* ``doc``: ONE document of 10 KB … 10 MB (UTF-8 bytes of text) built by concatenating
  the seeds, run as one Doc (``nlp.pipe``), to show how time and memory grow with
  document length;
* ``extract``: the same document through :func:`minsheng_nlp.extract`, which runs a text
  longer than 500,000 characters in sections (:mod:`minsheng_nlp.sections`) with the same
  records, so that memory stays flat (what ``minsheng extract`` does with a file);
* ``batch``: seed documents totalling the largest size, written as ``.txt`` files and run
  through :func:`minsheng_nlp.extract_files` (what ``minsheng extract DIR --n-process N``
  does: read, extract, collect records) with ``--n-process`` 1 and 2.

Trained pipelines are about 20 times slower than the rules, so they run the sizes of
``--trained-sizes`` (default up to 1 MB) rather than ``--sizes``.

It prints a table and writes ``benchmarks/results.json``. Peak RSS is the child's own
``ru_maxrss``; with ``n_process > 1`` the largest worker's peak is reported too.
"chars per CPU-second" divides by the CPU time of the process and its workers: on a busy
shared machine it is the per-process throughput that wall time no longer shows. For the
``seeds`` workload (at least 10 passes and 3 s) "best pass" is the fastest pass in chars
per CPU-second: as with :mod:`timeit`, slower passes are other processes interfering,
not the code, and the gap between the two columns shows how noisy the machine was.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEFAULT_SIZES = ("10KB", "100KB", "1MB", "10MB")
UNITS = {"KB": 1_000, "MB": 1_000_000}


@dataclass(frozen=True)
class Config:
    """One measurement: ``pipeline`` on ``workload`` (seeds | doc | extract | batch) of ``size`` bytes."""

    pipeline: str
    workload: str
    size: int
    n_process: int = 1


@dataclass(frozen=True)
class Result:
    """What a child process measured for one :class:`Config`."""

    pipeline: str
    workload: str
    size_bytes: int
    n_process: int
    docs: int
    chars: int
    seconds: float
    cpu_seconds: float
    chars_per_s: float
    chars_per_cpu_s: float
    peak_rss_mb: float
    worker_peak_rss_mb: float | None
    commitments: int
    passes: int = 1
    best_pass_chars_per_cpu_s: float | None = None  # seeds: the fastest pass (timeit's convention)


def parse_size(text: str) -> int:
    """``"10KB"`` → 10,000; ``"1MB"`` → 1,000,000; a plain number is bytes."""
    text = text.strip().upper()
    for suffix, factor in UNITS.items():
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def size_label(n: int) -> str:
    """10,000 → ``"10KB"``; 10,000,000 → ``"10MB"``."""
    if n >= UNITS["MB"] and n % UNITS["MB"] == 0:
        return f"{n // UNITS['MB']}MB"
    if n >= UNITS["KB"] and n % UNITS["KB"] == 0:
        return f"{n // UNITS['KB']}KB"
    return f"{n}B"


def seed_texts() -> list[str]:
    """The seed documents, in file-name order."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def text_of_size(n_bytes: int, texts: list[str]) -> str:
    """The seeds concatenated (blank line between) until the text is ``n_bytes`` of UTF-8."""
    parts: list[str] = []
    total = 0
    while total < n_bytes:
        for t in texts:
            parts.append(t + "\n\n")
            total += len(parts[-1].encode("utf-8"))
            if total >= n_bytes:
                break
    data = "".join(parts).encode("utf-8")[:n_bytes]
    return data.decode("utf-8", errors="ignore")


def batch_of_size(n_bytes: int, texts: list[str]) -> list[str]:
    """Whole seed documents, cycled, until they total at least ``n_bytes`` of UTF-8."""
    out: list[str] = []
    total = 0
    while total < n_bytes:
        for t in texts:
            out.append(t)
            total += len(t.encode("utf-8"))
            if total >= n_bytes:
                break
    return out


def shipped_pipelines() -> list[str]:
    """``rules`` and every trained pipeline shipped in ``minsheng_nlp/models/*/``."""
    from minsheng_nlp.pipelines import shipped_models

    return ["rules", *shipped_models()]


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the pipe's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _max_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def measure(config: Config, min_seconds: float = 3.0, min_passes: int = 10) -> Result:
    """Run ``config`` in this process (call it in a fresh one) and measure it."""
    import minsheng_nlp

    nlp = minsheng_nlp.load(config.pipeline)
    nlp.max_length = 10**9  # measure the pipeline itself; extract()/make_doc() have their own limit
    texts = seed_texts()
    if config.workload == "seeds":
        docs = texts
    elif config.workload in ("doc", "extract"):
        docs = [text_of_size(config.size, texts)]
    else:
        docs = batch_of_size(config.size, texts)
    nlp(texts[0][:2000])  # warm-up: lexicons, OpenCC, lazy models
    chars = sum(map(len, docs))
    if config.workload == "batch":
        return _measure_batch(config, nlp, docs)
    runs, commitments, passes = 0, 0, []
    cpu_start = _cpu_seconds()
    start = time.perf_counter()
    while True:
        pass_start = _cpu_seconds()
        if config.workload == "extract":
            commitments = len(minsheng_nlp.extract(docs[0], model=nlp, max_chars=None))
        else:
            commitments = sum(len(doc._.commitments) for doc in nlp.pipe(docs, batch_size=1))
        passes.append(_cpu_seconds() - pass_start)
        runs += 1
        elapsed = time.perf_counter() - start
        if config.workload != "seeds" or (elapsed >= min_seconds and runs >= min_passes):
            break
    seconds = elapsed / runs
    cpu = (_cpu_seconds() - cpu_start) / runs
    workers = _max_rss_mb(resource.RUSAGE_CHILDREN) if config.n_process > 1 else None
    best = round(chars / min(passes)) if config.workload == "seeds" else None
    return Result(config.pipeline, config.workload, config.size, config.n_process, len(docs), chars,
                  round(seconds, 3), round(cpu, 3), round(chars / seconds), round(chars / cpu),
                  round(_max_rss_mb(resource.RUSAGE_SELF), 1),
                  round(workers, 1) if workers is not None else None, commitments, runs, best)


def _measure_batch(config: Config, nlp, texts: list[str]) -> Result:
    """``extract_files`` over ``texts`` written as files, with ``config.n_process`` processes."""
    import tempfile

    from minsheng_nlp import extract_files

    chars = sum(map(len, texts))
    with tempfile.TemporaryDirectory(prefix="minsheng-bench-") as folder:
        for i, text in enumerate(texts):
            (Path(folder) / f"doc_{i:05d}.txt").write_text(text, encoding="utf-8")
        cpu_start = _cpu_seconds()
        start = time.perf_counter()
        result = extract_files([folder], model=nlp, year=2024, n_process=config.n_process)
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu_start
    if result.failures or result.chars_read != chars:
        raise RuntimeError(f"{config}: the batch lost documents: {result.failures[:3]}")
    workers = _max_rss_mb(resource.RUSAGE_CHILDREN) if config.n_process > 1 else None
    return Result(config.pipeline, config.workload, config.size, config.n_process, len(texts), chars,
                  round(seconds, 3), round(cpu, 3), round(chars / seconds), round(chars / cpu),
                  round(_max_rss_mb(resource.RUSAGE_SELF), 1),
                  round(workers, 1) if workers is not None else None, len(result.records))


def run_child(config: Config) -> Result:
    """Measure ``config`` in a fresh Python process."""
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(asdict(config))],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{config}: child failed\n{proc.stderr[-2000:]}")
    return Result(**json.loads(proc.stdout.strip().splitlines()[-1]))


def plan(pipelines: list[str], sizes: list[int], n_processes: list[int],
         trained_sizes: list[int] | None = None) -> list[Config]:
    """Every configuration to measure, in order (trained pipelines use ``trained_sizes``)."""
    configs: list[Config] = []
    for name in pipelines:
        these = sizes if name == "rules" or not trained_sizes else trained_sizes
        configs.append(Config(name, "seeds", sum(len(t.encode("utf-8")) for t in seed_texts())))
        configs += [Config(name, "doc", size) for size in these]
        configs += [Config(name, "extract", size) for size in these]
        configs += [Config(name, "batch", max(these), n) for n in n_processes]
    return configs


def machine() -> dict[str, object]:
    """Cores, CPU model and Python of this machine."""
    import os

    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform()}


def table(results: list[Result]) -> str:
    """A Markdown table of the results."""
    lines = ["| pipeline | workload | size | docs | chars | n_process | wall s | chars/s (wall) "
             "| chars per CPU-second | best pass | peak RSS MB |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        rss = f"{r.peak_rss_mb:,.0f}" + (f" (+ worker {r.worker_peak_rss_mb:,.0f})" if r.worker_peak_rss_mb else "")
        best = f"{r.best_pass_chars_per_cpu_s:,.0f} (of {r.passes})" if r.best_pass_chars_per_cpu_s else ""
        lines.append(f"| {r.pipeline} | {r.workload} | {size_label(r.size_bytes)} | {r.docs} | {r.chars:,} | "
                     f"{r.n_process} | {r.seconds:,.2f} | {r.chars_per_s:,.0f} | {r.chars_per_cpu_s:,.0f} | {best} | {rss} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipelines", default=None,
                        help="comma-separated pipeline names (default: rules + every shipped model)")
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES), help="document sizes, e.g. 10KB,1MB")
    parser.add_argument("--trained-sizes", default="10KB,100KB,1MB",
                        help="document sizes for trained pipelines (about 20x slower than the rules)")
    parser.add_argument("--n-process", default="1,2", help="process counts for the batch runs")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asdict(measure(Config(**json.loads(args.child))))))
        return 0
    pipelines = args.pipelines.split(",") if args.pipelines else shipped_pipelines()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    trained_sizes = [parse_size(s) for s in args.trained_sizes.split(",")]
    n_processes = [int(n) for n in args.n_process.split(",")]
    results: list[Result] = []
    for config in plan(pipelines, sizes, n_processes, trained_sizes):
        print(f"running {config} …", file=sys.stderr, flush=True)
        results.append(run_child(config))
    info = machine()
    print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}")
    print(table(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"machine": info, "command": " ".join(["python", "benchmarks/bench.py", *(argv or sys.argv[1:])]),
                                       "results": [asdict(r) for r in results]}, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
