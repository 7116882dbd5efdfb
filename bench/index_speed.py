"""Index and ingest speed against issue 20's targets. Not a test.

    python bench/index_speed.py                          all phases
    python bench/index_speed.py --oruk PATH              North Lincolnshire's ORUK file (read, never copied)
    python bench/index_speed.py --phases corpus,bank     some phases

Each phase runs the real command line (`python -m assistant.cli`) in a temporary data folder
of its own, timed from process start to exit (model load, parsing, embedding, the vector
store write, the ONNX export when there is none yet):

- export:   `send-assistant index` on a fresh data folder: the ONNX export of the model, then
            the corpus build (what a first `make run` does);
- corpus:   `send-assistant index --rebuild` of the shipped corpus without its answer bank
            (corpus/answers/), the export already made (target 30 s);
- bank:     the same with the answer bank: corpus/answers/ when the corpus has one, else a
            synthetic bank of 550 explainers with 9 ways of asking each (target 60 s);
- oruk:     `send-assistant ingest <file> --status local --local-authority "North Lincolnshire"`
            into a data folder whose corpus index is built: parse, store, embed, swap (target 90 s);
- again:    the same ingest of the unchanged file (target 10 s).

Beside each wall-clock figure: the command's CPU seconds (user + system, all its threads) and
the 1-minute load average. On a shared machine the wall clock mostly measures the other work;
the CPU seconds are the work this command did.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]
DEFAULT_ORUK = ROOT.parent / "shared" / "sources" / "oruk" / "oruk-v1-services-north-lincolnshire-council-2024-12.json"
TARGETS = {"corpus": 30.0, "bank": 60.0, "oruk": 90.0, "again": 10.0}


CPU: dict[str, float] = {}  # each phase's CPU seconds (user + system, all threads of the child)


def run(args: list[str], data_dir: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall-clock seconds of one command, and the last line it printed; its CPU seconds go to CPU[last]."""
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*CLI, "--data-dir", str(data_dir), *args], env=environment, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    lines = [line for line in (done.stdout + "\n" + done.stderr).splitlines() if line.strip()]
    return seconds, " | ".join(lines[-3:])


def synthetic_bank(corpus: Path, target: Path, entries: int = 550, questions: int = 9) -> None:
    """A corpus copy with an answer bank of `entries` explainers, shaped like the real ones
    (a 40-word answer, three next steps, a few paragraphs, `questions` ways of asking each)."""
    shutil.copytree(corpus, target)
    folder = target / "answers" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    topics = ["an EHC needs assessment", "an EHC plan", "a tribunal appeal", "school transport", "a personal budget",
              "an annual review", "mediation", "SEN support", "a school place", "a college place", "short breaks"]
    for n in range(entries):
        topic = f"{topics[n % len(topics)]} (case {n})"
        asked = "\n".join(f"  - question {q} about {topic}: what can we do and how long does it take {n * questions + q}" for q in range(questions))
        body = "\n\n".join(
            f"Paragraph {p} on {topic}. The council must act within the time limits the law sets, and the family can ask "
            f"for advice from their local information service (SEND Regulations 2014, reg {p + 3}). Entry {n} says more here."
            for p in range(4)
        )
        (folder / f"entry-{n:03d}.md").write_text(
            "---\nkind: explainer\nsource: SEND Assistant answers\n"
            f"ref: bench/entry-{n:03d}\ntitle: What happens with {topic}?\nstatus: law\nstage: bench\n"
            f"questions:\n{asked}\n"
            f"answer: >-\n  Yes. For {topic} the council must decide within 6 weeks and tell you in writing, with your right to appeal.\n"
            "next_steps:\n  - Write to the council's SEN team.\n  - Keep a copy of every letter.\n  - Ask your local information service for help.\n"
            "basis:\n  - Children and Families Act 2014, s.36(1)\n---\n" + body + "\n",
            encoding="utf-8",
        )


def load() -> str:
    return f"cpu {CPU.get('last', 0.0):5.1f} s, load {os.getloadavg()[0]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phases", default="export,corpus,bank,oruk,again")
    parser.add_argument("--oruk", type=Path, default=DEFAULT_ORUK, help="an ORUK services file (read in place)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    work = Path(tempfile.mkdtemp(prefix="send-index-bench-"))
    data = work / "data"
    figures: dict[str, float] = {}
    try:
        seconds, last = run(["index"], data)
        if "export" in phases:
            figures["export"] = seconds
            print(f"first index (ONNX export + corpus build): {seconds:6.1f} s   [{load()}]  {last}")
        if "corpus" in phases:  # the shipped corpus without its answer bank (corpus/answers/)
            alone = work / "corpus-alone"
            shutil.copytree(ROOT / "corpus", alone, ignore=lambda folder, names: ["answers"] if Path(folder) == ROOT / "corpus" else [])
            alone_data = work / "data-alone"
            shutil.copytree(data / "models", alone_data / "models")
            figures["corpus"], last = run(["index", "--rebuild"], alone_data, env={"SEND_ASSISTANT_CORPUS_DIR": str(alone)})
            print(f"corpus index build (no answer bank):      {figures['corpus']:6.1f} s   [{load()}]  {last}")
        if "bank" in phases:
            corpus = ROOT / "corpus"
            bank_corpus = work / "corpus-bank"
            if (corpus / "answers").is_dir():
                shutil.copytree(corpus, bank_corpus)
                what = "corpus/answers"
            else:
                synthetic_bank(corpus, bank_corpus)
                what = "synthetic bank of 550 x 9"
            bank_data = work / "data-bank"
            shutil.copytree(data / "models", bank_data / "models")
            figures["bank"], last = run(["index", "--rebuild"], bank_data, env={"SEND_ASSISTANT_CORPUS_DIR": str(bank_corpus)})
            print(f"corpus + answer bank ({what}): {figures['bank']:6.1f} s   [{load()}]  {last}")
        if phases & {"oruk", "again"}:
            if not args.oruk.is_file():
                print(f"no ORUK file at {args.oruk}: ingest phases skipped")
            else:
                ingest = ["ingest", str(args.oruk), "--status", "local", "--local-authority", "North Lincolnshire"]
                figures["oruk"], last = run(ingest, data)
                print(f"ORUK ingest + index ({args.oruk.name}): {figures['oruk']:6.1f} s   [{load()}]  {last}")
                figures["again"], last = run(ingest, data)
                print(f"ORUK re-ingest, unchanged:                {figures['again']:6.1f} s   [{load()}]  {last}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for name, target in TARGETS.items():
        if name in figures:
            print(f"{name:7} {figures[name]:6.1f} s  target {target:4.0f} s  {'ok' if figures[name] <= target else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
