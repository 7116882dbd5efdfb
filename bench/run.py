"""Benchmarks for SEND Assistant: prints figures against the targets. Not a test.

    python bench/run.py                       everything (builds the full index: ~2-3 minutes)
    python bench/run.py --skip-build          serve the index in --data-dir (make bench builds it)
    python bench/run.py --duration 10 --requests 50 --skip-build      a quick look

Measures, all on 127.0.0.1 against a real `send-assistant serve` process:

- index build time and peak memory for the full corpus (`send-assistant index --rebuild`);
- cold start: process start to the first 200 from /api/chat, with a built index;
- warm single-user latency of /api/chat (p50/p95 over --requests sequential questions);
- throughput and p95 at 10 and 50 concurrent clients, --duration seconds each (httpx.AsyncClient);
- the server's RSS under load (psutil: the process and its children);
- nothing lost: every request answered, and afterwards the stored turns (and feedback, when
  the API has a feedback route) counted in the database and compared with what was sent.

Every loop is bounded by a count or a deadline. Other load on the machine skews the figures:
the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]
TARGETS = {"p95_one_client_ms": 60.0, "answers_per_s_50": 40.0, "p95_50_clients_s": 1.0, "cold_start_s": 8.0, "rss_per_worker_mb": 1024.0}

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


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


def env_for(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEND_ASSISTANT_") or k == "SEND_ASSISTANT_CORPUS_DIR"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env.update(SEND_ASSISTANT_DATA_DIR=str(data_dir), SEND_ASSISTANT_RATE_LIMIT="none")
    if database_url:
        env["SEND_ASSISTANT_DATABASE_URL"] = database_url
    return env


# --- index build ------------------------------------------------------------------------------


def bench_index_build(data_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.Popen([*CLI, "index", "--rebuild"], env=env_for(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0.0
    while proc.poll() is None and time.perf_counter() - started < 1800:
        peak = max(peak, tree_rss_mb(proc.pid)[0])
        time.sleep(0.2)
    output = proc.communicate(timeout=60)[0]
    seconds = time.perf_counter() - started
    summary = next((line for line in output.splitlines() if line.startswith("Indexed")), output[-300:])
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak), "exit": proc.returncode, "summary": summary.strip()}


# --- the server -------------------------------------------------------------------------------


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    cold_start_s: float


def start_server(data_dir: Path, database_url: str, *, workers: int, log: Path) -> Served:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env_for(data_dir, database_url),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    with httpx.Client(timeout=30) as client:
        while time.perf_counter() - started < 300:
            if process.poll() is not None:
                raise SystemExit(f"the server exited with {process.returncode}; see {log}")
            try:
                if client.post(url + "/api/chat", json={"message": QUESTIONS[0]}).status_code == 200:
                    return Served(process, url, time.perf_counter() - started)
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"no answer from the server within 300 s; see {log}")


def stop_server(served: Served) -> None:
    served.process.send_signal(signal.SIGTERM)
    try:
        served.process.wait(30)
    except subprocess.TimeoutExpired:
        served.process.kill()


# --- load -------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    attempts: int = 0
    answered: int = 0  # 200s from /api/chat: each stores one turn
    feedback_sent: int = 0

    def add(self, status: int, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(seconds)
        if status == 200:
            self.answered += 1
        else:
            self.errors.append(f"HTTP {status}")


async def _client_loop(client: httpx.AsyncClient, n: int, deadline: float, tally: Tally, feedback_path: str | None) -> None:
    i, last = n, None
    while time.perf_counter() < deadline:
        payload: dict[str, Any] = {"message": QUESTIONS[i % len(QUESTIONS)]}
        if last and i % 4 == 0:
            payload = {"message": FOLLOW_UPS[i % len(FOLLOW_UPS)], "conversation_id": last}
        started = time.perf_counter()
        tally.attempts += 1
        i += 1
        try:
            response = await client.post("/api/chat", json=payload)
        except httpx.HTTPError as exc:
            tally.errors.append(f"{exc.__class__.__name__}: {exc}")
            continue
        tally.add(response.status_code, time.perf_counter() - started)
        if response.status_code == 200:
            last = response.json()["conversation_id"]
            if feedback_path:
                sent = await client.post(feedback_path, json={"conversation_id": last, "helpful": i % 2 == 0})
                if sent.status_code < 300:
                    tally.feedback_sent += 1
                else:
                    tally.errors.append(f"feedback HTTP {sent.status_code}")


async def _load(url: str, clients: int, seconds: float, feedback_path: str | None, pid: int) -> tuple[Tally, float, float, float]:
    tally = Tally()
    peak_rss, peak_worker = 0.0, 0.0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds
        tasks = [asyncio.create_task(_client_loop(client, n, deadline, tally, feedback_path)) for n in range(clients)]
        while not all(t.done() for t in tasks):
            total, each = tree_rss_mb(pid)
            peak_rss, peak_worker = max(peak_rss, total), max([peak_worker, *each])
            await asyncio.sleep(0.5)
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return tally, elapsed, peak_rss, peak_worker


def run_load(url: str, clients: int, seconds: float, feedback_path: str | None, pid: int) -> dict[str, Any]:
    tally, elapsed, peak_rss, peak_worker = asyncio.run(_load(url, clients, seconds, feedback_path, pid))
    lat = tally.latencies
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": tally.attempts,
        "answered": tally.answered,
        "errors": len(tally.errors),
        "error_samples": sorted(set(tally.errors))[:5],
        "answers_per_s": round(tally.answered / elapsed, 1),
        "p50_ms": round(pct(lat, 50) * 1000, 1),
        "p95_ms": round(pct(lat, 95) * 1000, 1),
        "max_ms": round(max(lat) * 1000, 1) if lat else None,
        "peak_rss_mb": round(peak_rss),
        "peak_worker_rss_mb": round(peak_worker),
        "feedback_sent": tally.feedback_sent,
    }


def warm_latency(url: str, requests: int) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=60) as client:
        warm = sum(client.post("/api/chat", json={"message": q}).status_code == 200 for q in QUESTIONS)  # each path once
        lat, statuses = [], {}
        for i in range(requests):
            started = time.perf_counter()
            status = client.post("/api/chat", json={"message": QUESTIONS[i % len(QUESTIONS)]}).status_code
            lat.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    return {
        "requests": requests,
        "statuses": statuses,
        "p50_ms": round(pct(lat, 50) * 1000, 1),
        "p95_ms": round(pct(lat, 95) * 1000, 1),
        "mean_ms": round(statistics.mean(lat) * 1000, 1),
        "answered": statuses.get(200, 0),
        "warm_up_answered": warm,
    }


def count_rows(database_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        counts = {t: int(connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in ("turns", "feedback") if t in tables}
    engine.dispose()
    return counts


def feedback_route(url: str) -> str | None:
    """A public POST route for feedback, if another part of the API offers one."""
    paths = httpx.get(url + "/openapi.json", timeout=30).json().get("paths", {})
    for path, item in paths.items():
        if "feedback" in path and "post" in item and "/admin/" not in path and "{" not in path:
            return str(path)
    return None


# --- report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("SEND_ASSISTANT_DATA_DIR", "data")))
    parser.add_argument("--skip-build", action="store_true", help="do not time a full rebuild; serve the index in --data-dir")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests for the single-user latency")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load at each concurrency")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.duration > 600 or args.requests > 10_000:
        parser.error("keep runs bounded: --duration <= 600, --requests <= 10000")

    work = Path(tempfile.mkdtemp(prefix="send-assistant-bench-"))
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "load_before": os.getloadavg()}}
    data_dir = args.data_dir.resolve()
    if not args.skip_build:
        data_dir = work / "data"
        print("Building the full index (send-assistant index --rebuild) ...", flush=True)
        results["index_build"] = bench_index_build(data_dir)
        print(f"  {results['index_build']}", flush=True)
    if not (data_dir / "index" / "CURRENT").exists():
        raise SystemExit(f"no index in {data_dir}: run `send-assistant index` first, or drop --skip-build")

    database_url = f"sqlite:///{work / 'bench.db'}"
    served = start_server(data_dir, database_url, workers=args.workers, log=work / "server.log")
    try:
        results["cold_start_s"] = round(served.cold_start_s, 2)
        results["rss_idle_mb"] = round(tree_rss_mb(served.process.pid)[0])
        print(f"Cold start to first answer: {results['cold_start_s']} s; idle RSS {results['rss_idle_mb']} MB", flush=True)
        feedback_path = feedback_route(served.url)
        results["feedback_route"] = feedback_path
        results["single_user"] = warm_latency(served.url, args.requests)
        print(f"One client: {results['single_user']}", flush=True)
        results["load"] = []
        for clients in args.clients:
            figures = run_load(served.url, clients, args.duration, feedback_path, served.process.pid)
            results["load"].append(figures)
            print(f"{clients} clients: {figures}", flush=True)
        results["rows"] = count_rows(database_url)
    finally:
        stop_server(served)
    results["machine"]["load_after"] = os.getloadavg()

    one = results["single_user"]
    answered = 1 + one["warm_up_answered"] + one["answered"] + sum(x["answered"] for x in results["load"])
    feedback = sum(x["feedback_sent"] for x in results["load"])
    results["lost"] = {
        "unanswered_requests": len(QUESTIONS) - one["warm_up_answered"] + one["requests"] - one["answered"]
        + sum(x["requests"] - x["answered"] for x in results["load"]),
        "turns_missing": answered - results["rows"].get("turns", 0),
        "feedback_missing": feedback - results["rows"].get("feedback", 0) if feedback_path else None,
    }
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def print_report(r: dict[str, Any]) -> None:
    one = r["single_user"]
    by_clients = {x["clients"]: x for x in r["load"]}
    worker_rss = max([x["peak_worker_rss_mb"] for x in r["load"]] or [r["rss_idle_mb"]])
    print("\n== SEND Assistant benchmark ==")
    print(f"machine: {r['machine']['cores']} cores; load average before {r['machine']['load_before'][0]:.2f}, after {r['machine']['load_after'][0]:.2f}")
    if "index_build" in r:
        b = r["index_build"]
        print(f"index build (full corpus, --rebuild): {b['seconds']} s, peak RSS {b['peak_rss_mb']} MB  [{b['summary']}]")
    print(f"cold start to first answer:  {r['cold_start_s']} s   target <= {TARGETS['cold_start_s']} s   {verdict(r['cold_start_s'] <= TARGETS['cold_start_s'])}")
    print(f"one client, {one['requests']} requests: p50 {one['p50_ms']} ms, p95 {one['p95_ms']} ms   target p95 <= {TARGETS['p95_one_client_ms']} ms   {verdict(one['p95_ms'] <= TARGETS['p95_one_client_ms'])}")
    for clients, x in by_clients.items():
        line = f"{clients} clients, {x['seconds']} s: {x['answers_per_s']} answers/s, p50 {x['p50_ms']} ms, p95 {x['p95_ms']} ms, errors {x['errors']}"
        if clients == 50:
            ok = x["answers_per_s"] >= TARGETS["answers_per_s_50"] and x["p95_ms"] <= TARGETS["p95_50_clients_s"] * 1000
            line += f"   target >= {TARGETS['answers_per_s_50']}/s with p95 <= 1 s   {verdict(ok)}"
        print(line)
    print(f"RSS per worker under load: {worker_rss} MB (server total {max([x['peak_rss_mb'] for x in r['load']] or [0])} MB)   target <= 1024 MB   {verdict(worker_rss <= TARGETS['rss_per_worker_mb'])}")
    lost = r["lost"]
    print(f"nothing lost: unanswered {lost['unanswered_requests']}, stored turns missing {lost['turns_missing']}, "
          f"feedback missing {lost['feedback_missing'] if lost['feedback_missing'] is not None else 'n/a (no public feedback route)'}; rows {r['rows']}")


if __name__ == "__main__":
    sys.exit(main())
