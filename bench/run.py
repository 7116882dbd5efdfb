"""Benchmarks for SEND Assistant: prints figures against the targets (issue 9). Not a test.

    python bench/run.py                        everything (builds the full index: a few minutes)
    python bench/run.py --skip-build           copy the index built in --data-dir instead of building one
    python bench/run.py --duration 10 --requests 50 --skip-build --cold-starts 1      a quick look

Everything runs in a temporary directory of its own (index, database, server logs); --data-dir
(default ./data) is only read: its ingested sources are copied in for the build, or with
--skip-build its current index build is copied in. Measures, on 127.0.0.1 against a real
`send-assistant serve` process (extractive engine, rate limit off):

- index build time and peak memory for the full corpus (corpus/ plus the deployment's ingested
  sources): `send-assistant index --rebuild` timed from process start, peak RSS sampled and
  the kernel's own high-water mark (wait4 ru_maxrss);
- cold start: process start to the first 200 from /api/chat, with a built index (--cold-starts
  separate processes, median and worst reported);
- warm single-user latency of /api/chat: p50/p95 over --requests sequential questions;
- throughput and p50/p95 at 10 and 50 concurrent clients for --duration seconds each
  (bench/loadgen.py, cheap on CPU so the server keeps the cores; by default each request on a
  new connection, as a chat user's browser makes them, or --keep-alive); every answered chat is followed by POST /api/feedback;
- the server's RSS under load (psutil: the process and its children, each worker's peak);
- nothing lost: every request answered, and afterwards the stored turns and feedback rows
  counted in the database and compared with what was sent and acknowledged.

Question texts are variants of a fixed set that repeat only every 960 requests (the embedder
caches the last 64 query vectors), so the cache of query embeddings cannot flatter the figures. Other load on
the machine skews them: the 1-minute load average is recorded before and after each phase, and
--max-load makes the script wait (bounded by --load-wait) for a quieter machine first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Connection, HTTPFailure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]
TARGETS = {"p95_one_client_ms": 60.0, "answers_per_s_50": 40.0, "p95_50_clients_s": 1.0, "cold_start_s": 8.0, "rss_per_worker_mb": 1024.0}
FEEDBACK_PATH = "/api/feedback"

QUESTIONS = [
    "How long does the council have to decide whether to do an EHC needs assessment?",
    "Can I request an EHC needs assessment myself?",
    "What must be in section F of an EHC plan?",
    "How long does the council have to issue a final EHC plan?",
    "Can the school refuse to admit my child if they are named in the EHC plan?",
    "What is the LGSCO?",
    "reg 13?",
    "CoP 9.14",
    "What happens at an annual review?",
    "Do I have to go to mediation before appealing to the tribunal?",
    "Who pays for school transport for a child with an EHC plan?",
    "Can my child's school exclude them because of their disability?",
    "What is a personal budget?",
    "What is SEN support in a mainstream school?",
    "My child is 17, can they still have an EHC plan?",
    "What are reasonable adjustments under the Equality Act?",
    "Can the council cease an EHC plan when my son goes to college?",
    "What does the SENCO do?",
    "What can I do if the council misses the 20 week deadline?",
    "What is the difference between SEN support and an EHC plan?",
]
FOLLOW_UPS = ["and how long do they have for that?", "and who can help me with that?", "what if they refuse?"]
# Neutral openings and closings: with QUESTIONS they make 20 x 8 x 6 = 960 distinct texts.
OPENINGS = ["", "Hello. ", "Hi, ", "Please can you tell me: ", "Quick question. ", "I am a parent. ", "Good morning. ", "Could you help? "]
CLOSINGS = ["", " Thanks.", " Thank you.", " Many thanks.", " Thanks in advance.", " Cheers."]


def variant(texts: list[str], n: int) -> str:
    """The n-th distinct wording: each text, then each opening, then each closing."""
    base = texts[n % len(texts)]
    n //= len(texts)
    opening = OPENINGS[n % len(OPENINGS)]
    closing = CLOSINGS[(n // len(OPENINGS)) % len(CLOSINGS)]
    if base[0].islower() and opening:
        base = base[0].upper() + base[1:]
    return f"{opening}{base}{closing}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def tree_rss_mb(pid: int) -> tuple[float, list[float]]:
    """Total RSS of a process and its children, and each process's own, in MB."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0, []
    each = []
    for proc in procs:
        try:
            each.append(proc.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            pass
    return sum(each), each


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its live children."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def env_for(data_dir: Path, database_url: str | None = None, *, threads: int | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEND_ASSISTANT_") or k == "SEND_ASSISTANT_CORPUS_DIR"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    if threads:  # torch's intra-op threads (it reads OMP_NUM_THREADS at start); default: one per core
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    env.update(SEND_ASSISTANT_DATA_DIR=str(data_dir), SEND_ASSISTANT_RATE_LIMIT="none",
               SEND_ASSISTANT_WRITE_RATE_LIMIT="none", SEND_ASSISTANT_LLM_BACKEND="none")
    if database_url:
        env["SEND_ASSISTANT_DATABASE_URL"] = database_url
    return env


def wait_for_quiet(max_load: float | None, budget: float) -> dict[str, Any]:
    """Wait (at most `budget` seconds) until the 1-minute load average is below `max_load`."""
    started, first = time.perf_counter(), load1()
    if max_load is not None:
        while load1() > max_load and time.perf_counter() - started < budget:
            time.sleep(10)
    return {"load_at_call": first, "waited_s": round(time.perf_counter() - started), "load_now": load1(),
            "quiet": max_load is None or load1() <= max_load}


# --- index ------------------------------------------------------------------------------------


def bench_index_build(data_dir: Path, log: Path) -> dict[str, Any]:
    """`send-assistant index --rebuild` in its own process: wall time and peak memory."""
    load_before = load1()
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen([*CLI, "index", "--rebuild"], env=env_for(data_dir), stdout=out, stderr=subprocess.STDOUT)
    sampled, status, usage = 0.0, 0, None
    while time.perf_counter() - started < 1800:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        sampled = max(sampled, tree_rss_mb(proc.pid)[0])
        time.sleep(0.1)
    else:
        proc.kill()
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    output = log.read_text(errors="replace")
    summary = next((line for line in output.splitlines() if line.startswith("Indexed")), output[-300:])
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(max(sampled, usage.ru_maxrss / 1024 if usage else 0.0)),
        "peak_rss_sampled_mb": round(sampled),
        "exit": proc.returncode,
        "summary": summary.strip(),
        "load_before": load_before,
        "load_after": load1(),
    }


def copy_current_index(source: Path, data_dir: Path) -> str:
    """Copy only the current build of `source`'s index into `data_dir` (read-only use of source),
    with what `send-assistant index` leaves beside it for serving (the safeguarding exemplars'
    vectors, the ONNX export of the model) when they are there."""
    current = (source / "index" / "CURRENT").read_text().strip()
    build = Path(current).name
    target = data_dir / "index"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "index" / build, target / build)
    shutil.copy2(source / "index" / "CURRENT", target / "CURRENT")
    for cache in (source / "index").glob("*.npz"):
        shutil.copy2(cache, target / cache.name)
    if (source / "models").is_dir():
        shutil.copytree(source / "models", data_dir / "models")
    return build


# --- the server -------------------------------------------------------------------------------


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    cold_start_s: float


def start_server(data_dir: Path, database_url: str, *, workers: int, log: Path, question: str, threads: int | None) -> Served:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         *(["--threads", str(threads)] if threads else [])],
        env=env_for(data_dir, database_url, threads=threads),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    with httpx.Client(timeout=30) as client:
        while time.perf_counter() - started < 300:
            if process.poll() is not None:
                raise SystemExit(f"the server exited with {process.returncode}; see {log}")
            try:
                if client.post(url + "/api/chat", json={"message": question}).status_code == 200:
                    return Served(process, url, time.perf_counter() - started)
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
    process.kill()
    raise SystemExit(f"no answer from the server within 300 s; see {log}")


def stop_server(served: Served) -> None:
    served.process.send_signal(signal.SIGTERM)
    try:
        served.process.wait(30)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait(30)


# --- load -------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    feedback_latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    answer_status: Counter[str] = field(default_factory=Counter)
    engines: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    attempts: int = 0
    answered: int = 0  # 200s from /api/chat: each stores one turn
    feedback_attempts: int = 0
    feedback_stored: int = 0  # 201s from /api/feedback: each stores one row

    def chat(self, status: int, body: bytes, seconds: float) -> tuple[str, str] | None:
        self.statuses[status] += 1
        self.latencies.append(seconds)
        if status != 200:
            self.errors.append(f"chat HTTP {status}")
            return None
        self.answered += 1
        reply = json.loads(body)
        self.answer_status[reply["status"]] += 1
        self.engines[reply.get("engine", "?")] += 1
        return str(reply["conversation_id"]), str(reply["conversation_token"])


async def _client_loop(conn: Connection, n: int, clients: int, deadline: float, tally: Tally, offset: int) -> None:
    i, last = 0, None
    try:
        while time.perf_counter() < deadline:
            number = offset + n + i * clients  # distinct across all clients of this run
            payload: dict[str, Any] = {"message": variant(QUESTIONS, number)}
            if last and i % 4 == 3:
                payload = {"message": variant(FOLLOW_UPS, number), "conversation_id": last[0], "conversation_token": last[1]}
            i += 1
            tally.attempts += 1
            started = time.perf_counter()
            try:
                status, body = await conn.post_json("/api/chat", payload)
            except HTTPFailure as exc:
                tally.errors.append(f"chat {exc}")
                continue
            mine = tally.chat(status, body, time.perf_counter() - started)
            if mine is None:
                continue
            last = mine
            tally.feedback_attempts += 1
            started = time.perf_counter()
            try:
                status, _ = await conn.post_json(FEEDBACK_PATH, {"conversation_id": mine[0], "conversation_token": mine[1],
                                                                 "helpful": i % 2 == 0})
            except HTTPFailure as exc:
                tally.errors.append(f"feedback {exc}")
                continue
            tally.feedback_latencies.append(time.perf_counter() - started)
            if status == 201:
                tally.feedback_stored += 1
            else:
                tally.errors.append(f"feedback HTTP {status}")
    finally:
        await conn.close()


async def _load(
    url: str, clients: int, seconds: float, pid: int, offset: int, *, keep_alive: bool = False
) -> tuple[Tally, float, float, float]:
    tally = Tally()
    peak_rss, peak_worker = 0.0, 0.0
    address = urlsplit(url)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    started = time.perf_counter()
    deadline = started + seconds
    tasks = [
        asyncio.create_task(_client_loop(Connection(host, port, keep_alive=keep_alive), n, clients, deadline, tally, offset))
        for n in range(clients)
    ]
    while not all(t.done() for t in tasks):
        total, each = tree_rss_mb(pid)
        peak_rss, peak_worker = max(peak_rss, total), max([peak_worker, *each])
        await asyncio.sleep(0.25)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    return tally, elapsed, peak_rss, peak_worker


def run_load(url: str, clients: int, seconds: float, pid: int, offset: int, *, keep_alive: bool = False) -> dict[str, Any]:
    load_before = load1()
    server_cpu, own_cpu = tree_cpu_s(pid), time.process_time()
    tally, elapsed, peak_rss, peak_worker = asyncio.run(_load(url, clients, seconds, pid, offset, keep_alive=keep_alive))
    server_cpu, own_cpu = tree_cpu_s(pid) - server_cpu, time.process_time() - own_cpu
    lat = tally.latencies
    return {
        "clients": clients,
        "connections": "keep-alive" if keep_alive else "one per request",
        "seconds": round(elapsed, 1),
        "requests": tally.attempts,
        "answered": tally.answered,
        "errors": len(tally.errors),
        "error_samples": sorted(set(tally.errors))[:5],
        "answers_per_s": round(tally.answered / elapsed, 1),
        "p50_ms": round(pct(lat, 50) * 1000, 1),
        "p95_ms": round(pct(lat, 95) * 1000, 1),
        "p99_ms": round(pct(lat, 99) * 1000, 1),
        "max_ms": round(max(lat) * 1000, 1) if lat else None,
        "feedback_sent": tally.feedback_attempts,
        "feedback_acknowledged": tally.feedback_stored,
        "feedback_p95_ms": round(pct(tally.feedback_latencies, 95) * 1000, 1),
        "answer_status": dict(tally.answer_status),
        "engines": dict(tally.engines),
        "peak_rss_mb": round(peak_rss),
        "peak_worker_rss_mb": round(peak_worker),
        # CPU the server spent per answer (its feedback request included), and the load generator's own share
        "server_cpu_ms_per_answer": round(server_cpu / max(tally.answered, 1) * 1000, 1),
        "server_cpu_cores_busy": round(server_cpu / elapsed, 2),
        "client_cpu_cores_busy": round(own_cpu / elapsed, 2),
        "load_before": load_before,
        "load_after": load1(),
    }


def warm_latency(url: str, requests: int) -> dict[str, Any]:
    """One client, one question at a time, after one warm-up question of each kind."""
    load_before = load1()
    tally = Tally()
    with httpx.Client(base_url=url, timeout=60) as client:
        warm = sum(client.post("/api/chat", json={"message": q}).status_code == 200 for q in QUESTIONS)
        for i in range(requests):
            message = variant(QUESTIONS, len(QUESTIONS) * len(OPENINGS) * len(CLOSINGS) - 1 - i)  # not sent under load
            started = time.perf_counter()
            response = client.post("/api/chat", json={"message": message})
            tally.chat(response.status_code, response.content, time.perf_counter() - started)
    lat = tally.latencies
    return {
        "requests": requests,
        "statuses": dict(tally.statuses),
        "p50_ms": round(pct(lat, 50) * 1000, 1),
        "p95_ms": round(pct(lat, 95) * 1000, 1),
        "p99_ms": round(pct(lat, 99) * 1000, 1),
        "mean_ms": round(statistics.mean(lat) * 1000, 1),
        "answered": tally.answered,
        "answer_status": dict(tally.answer_status),
        "engines": dict(tally.engines),
        "warm_up": len(QUESTIONS),
        "warm_up_answered": warm,
        "load_before": load_before,
        "load_after": load1(),
    }


def count_rows(database_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        counts = {t: int(connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in ("turns", "feedback") if t in tables}
    engine.dispose()
    return counts


def has_feedback_route(url: str) -> bool:
    paths = httpx.get(url + "/openapi.json", timeout=30).json().get("paths", {})
    return "post" in paths.get(FEEDBACK_PATH, {})


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("SEND_ASSISTANT_DATA_DIR", "data")),
                        help="read only: its ingested sources (for the build) or, with --skip-build, its current index")
    parser.add_argument("--skip-build", action="store_true", help="do not time a full rebuild; copy the index in --data-dir")
    parser.add_argument("--no-sources", action="store_true", help="build from corpus/ alone, without the ingested sources")
    parser.add_argument("--requests", type=int, default=300, help="sequential requests for the single-user latency")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load at each concurrency")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument(
        "--keep-alive", action="store_true",
        help="each client keeps one connection for all its requests (default: a new connection for each request, as "
        "a chat user's browser makes: the next message or feedback click comes after the server's 5 s keep-alive)",
    )
    parser.add_argument("--cold-starts", type=int, default=3, help="separate server processes timed to their first answer")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server workers (default: one per core, as the README advises)")
    parser.add_argument("--torch-threads", "--threads", dest="torch_threads", type=int, default=None,
                        help="threads per worker for the model and numpy (serve --threads, and OMP_NUM_THREADS); default: serve's own (1)")
    parser.add_argument("--max-load", type=float, default=None, help="wait until the 1-minute load average is below this")
    parser.add_argument("--load-wait", type=float, default=600, help="longest wait for --max-load, in seconds")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database, index)")
    args = parser.parse_args(argv)
    if args.duration > 600 or args.requests > 10_000 or not 1 <= args.cold_starts <= 10:
        parser.error("keep runs bounded: --duration <= 600, --requests <= 10000, 1 <= --cold-starts <= 10")

    work = Path(tempfile.mkdtemp(prefix="send-assistant-bench-"))
    data_dir = work / "data"
    data_dir.mkdir()
    source = args.data_dir.resolve()
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "workers": args.workers, "torch_threads": args.torch_threads or "serve's default"},
                               "work_dir": str(work)}
    results["machine"]["quiet_wait"] = wait_for_quiet(args.max_load, args.load_wait)
    results["machine"]["load_before"] = os.getloadavg()
    print(f"Working in {work}; load average {results['machine']['load_before']}", flush=True)
    try:
        if args.skip_build:
            results["index_copied"] = copy_current_index(source, data_dir)
        else:
            if not args.no_sources and (source / "sources").is_dir():
                shutil.copytree(source / "sources", data_dir / "sources")
                results["ingested_sources"] = sorted(p.name for p in (data_dir / "sources").glob("*.jsonl"))
            print("Building the full index (send-assistant index --rebuild) ...", flush=True)
            results["index_build"] = bench_index_build(data_dir, work / "index.log")
            print(f"  {results['index_build']}", flush=True)
            if results["index_build"]["exit"] != 0:
                raise SystemExit(f"the index build failed; see {work / 'index.log'}")
        if not (data_dir / "index" / "CURRENT").exists():
            raise SystemExit(f"no index in {source}: run `send-assistant index` first, or drop --skip-build")
        # `serve` embeds with the ONNX export when `send-assistant index` made one, else with torch
        results["machine"]["embedding"] = "onnx" if any((data_dir / "models").glob("*.onnx")) else "torch"

        database_url = f"sqlite:///{work / 'bench.db'}"
        log = work / "server.log"
        cold = []
        for n in range(args.cold_starts - 1):
            served = start_server(data_dir, database_url, workers=args.workers, log=log, question=QUESTIONS[n % len(QUESTIONS)],
                                  threads=args.torch_threads)
            cold.append(served.cold_start_s)
            stop_server(served)
        served = start_server(data_dir, database_url, workers=args.workers, log=log, question=QUESTIONS[-1], threads=args.torch_threads)
        cold.append(served.cold_start_s)
        try:
            results["cold_start"] = {"each_s": [round(c, 2) for c in cold], "median_s": round(statistics.median(cold), 2),
                                     "max_s": round(max(cold), 2), "load": load1()}
            results["rss_idle_mb"] = round(tree_rss_mb(served.process.pid)[0])
            print(f"Cold start to first answer: {results['cold_start']}; idle RSS {results['rss_idle_mb']} MB", flush=True)
            if not has_feedback_route(served.url):
                raise SystemExit(f"the server has no POST {FEEDBACK_PATH}")
            results["single_user"] = warm_latency(served.url, args.requests)
            print(f"One client: {results['single_user']}", flush=True)
            results["load"] = []
            offset = 0
            for clients in args.clients:
                figures = run_load(served.url, clients, args.duration, served.process.pid, offset, keep_alive=args.keep_alive)
                offset += figures["requests"] + clients
                results["load"].append(figures)
                print(f"{clients} clients: {figures}", flush=True)
            results["rss_after_mb"] = round(tree_rss_mb(served.process.pid)[0])
        finally:
            stop_server(served)
        results["rows"] = count_rows(database_url)
        results["machine"]["load_after"] = os.getloadavg()

        one = results["single_user"]
        answered = args.cold_starts + one["warm_up_answered"] + one["answered"] + sum(x["answered"] for x in results["load"])
        results["lost"] = {
            "unanswered_requests": one["warm_up"] - one["warm_up_answered"] + one["requests"] - one["answered"]
            + sum(x["requests"] - x["answered"] for x in results["load"]),
            "turns_answered": answered,
            "turns_missing": answered - results["rows"].get("turns", 0),
            "feedback_sent": sum(x["feedback_sent"] for x in results["load"]),
            "feedback_unacknowledged": sum(x["feedback_sent"] - x["feedback_acknowledged"] for x in results["load"]),
            "feedback_missing": sum(x["feedback_acknowledged"] for x in results["load"]) - results["rows"].get("feedback", 0),
        }
        print_report(results)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_report(r: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str, str]] = []
    if "index_build" in r:
        b = r["index_build"]
        rows.append(("index build, full corpus (--rebuild)", f"{b['seconds']} s", "-", f"load {b['load_before']}->{b['load_after']}"))
        rows.append(("index build peak RSS", f"{b['peak_rss_mb']} MB", "-", ""))
    c = r["cold_start"]
    rows.append((f"cold start to first answer ({len(c['each_s'])} starts)", f"median {c['median_s']} s, max {c['max_s']} s",
                 f"<= {TARGETS['cold_start_s']:g} s", verdict(c["max_s"] <= TARGETS["cold_start_s"])))
    one = r["single_user"]
    rows.append((f"1 client, {one['requests']} sequential: p50 / p95", f"{one['p50_ms']} / {one['p95_ms']} ms",
                 f"p95 <= {TARGETS['p95_one_client_ms']:g} ms", verdict(one["p95_ms"] <= TARGETS["p95_one_client_ms"])))
    for x in r["load"]:
        label = f"{x['clients']} clients, {x['seconds']} s, {x.get('connections', 'keep-alive')}"
        rows.append((f"{label}: answers/s", f"{x['answers_per_s']}", f">= {TARGETS['answers_per_s_50']:g}/s" if x["clients"] == 50 else "-",
                     verdict(x["answers_per_s"] >= TARGETS["answers_per_s_50"]) if x["clients"] == 50 else ""))
        rows.append((f"{label}: p50 / p95 / max", f"{x['p50_ms']} / {x['p95_ms']} / {x['max_ms']} ms",
                     f"p95 <= {TARGETS['p95_50_clients_s']:g} s" if x["clients"] == 50 else "-",
                     verdict(x["p95_ms"] <= TARGETS["p95_50_clients_s"] * 1000) if x["clients"] == 50 else ""))
        rows.append((f"{label}: server CPU per answer; cores busy server / client",
                     f"{x['server_cpu_ms_per_answer']} ms; {x['server_cpu_cores_busy']} / {x['client_cpu_cores_busy']}", "-", ""))
        rows.append((f"{label}: errors; answered/sent", f"{x['errors']}; {x['answered']}/{x['requests']}", "0 errors", verdict(x["errors"] == 0)))
    worker = max([x["peak_worker_rss_mb"] for x in r["load"]] or [r["rss_idle_mb"]])
    total = max([x["peak_rss_mb"] for x in r["load"]] or [r["rss_idle_mb"]])
    rows.append(("server RSS idle", f"{r['rss_idle_mb']} MB", "-", ""))
    rows.append((f"server RSS under load, per worker ({r['machine']['workers']} worker(s))", f"{worker} MB (total {total} MB)",
                 f"<= {TARGETS['rss_per_worker_mb']:g} MB", verdict(worker <= TARGETS["rss_per_worker_mb"])))
    lost = r["lost"]
    nothing_lost = lost["unanswered_requests"] == 0 and lost["turns_missing"] == 0 and lost["feedback_unacknowledged"] == 0 and lost["feedback_missing"] == 0
    rows.append(("lost: unanswered / turns missing", f"{lost['unanswered_requests']} / {lost['turns_missing']} of {lost['turns_answered']}", "0", ""))
    rows.append(("lost: feedback unacknowledged / not stored", f"{lost['feedback_unacknowledged']} / {lost['feedback_missing']} of {lost['feedback_sent']}",
                  "0", verdict(nothing_lost)))

    width = [max(len(row[i]) for row in rows) for i in range(4)]
    m = r["machine"]
    print("\n== SEND Assistant benchmark (extractive engine, 127.0.0.1) ==")
    print(f"server: {m['workers']} worker(s), threads per worker {m['torch_threads']}, embedding with {m.get('embedding', '?')}")
    print(f"machine: {m['cores']} cores; load average (1/5/15 min) before {tuple(round(v, 2) for v in m['load_before'])}, "
          f"after {tuple(round(v, 2) for v in m['load_after'])}")
    if "index_build" in r:
        print(f"index: {r['index_build']['summary']}")
    header = ("figure", "measured", "target", "result")
    print("  ".join(h.ljust(w) for h, w in zip(header, width, strict=True)))
    print("  ".join("-" * w for w in width))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)).rstrip())
    phases = [("1 client", one)] + [(f"{x['clients']} clients", x) for x in r["load"]]
    print("load average (1 min) per phase: " + "; ".join(f"{name} {x['load_before']}->{x['load_after']}" for name, x in phases))
    print("answer status mix: " + "; ".join(f"{name} {x['answer_status']} engines {x['engines']}" for name, x in phases))
    samples = [s for x in r["load"] for s in x["error_samples"]]
    if samples:
        print("error samples: " + "; ".join(samples))


if __name__ == "__main__":
    sys.exit(main())
