"""The 200 seeded messages (tests/seeded_pii.py) through every route of a running server, then a
search of the SQLite file, its WAL and the server's log for every seeded identifier (issue 18, target 3).

Run the server with SEND_ASSISTANT_LOG_MESSAGE_TEXT=true, rate limits off and its stderr in a file.
ANALYSE_ONLY=1 searches without sending.

    python bench/live_drill/seeded.py http://127.0.0.1:8000 ./data server.log
"""
import json, os, re, sys, time
from pathlib import Path
import httpx
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from seeded_pii import messages, survivors, Haystack

BASE, DATA, LOG = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
SEEDED = messages()
c = httpx.Client(base_url=BASE, timeout=120, headers={"X-Forwarded-For": "10.9.9.9"})
counts = {}
def hit(name, r):
    counts.setdefault(name, {}).setdefault(r.status_code, 0)
    counts[name][r.status_code] += 1

start = time.time()
for n, s in enumerate([] if os.environ.get("ANALYSE_ONLY") else SEEDED):
    t = s.text
    # 1. /api/chat as a first question, then as a follow-up in the same conversation (token)
    r = c.post("/api/chat", json={"message": t}); hit("api/chat", r); j = r.json()
    r = c.post("/api/chat", json={"message": "and what happens next? " + t, "conversation_id": j["conversation_id"],
                                  "conversation_token": j["conversation_token"]}); hit("api/chat follow-up", r)
    # 2. stream
    with c.stream("POST", "/api/chat/stream", json={"message": t}) as r:
        r.read(); hit("api/chat/stream", r)
    # 3. /v1 as an earlier turn and as the question
    r = c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": t},
                                                          {"role": "assistant", "content": "ok"},
                                                          {"role": "user", "content": "what happens next?"}]}); hit("v1 earlier", r)
    r = c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": t}], "stream": n % 2 == 0}); hit("v1 question", r)
    # 4. no-JS pages (and a follow-up on the page with its cookie)
    c.cookies.clear()
    r = c.post("/", data={"message": t}); hit("POST /", r)
    cid = re.findall(r'name="conversation_id" value="([^"]*)"', r.text)
    if cid:
        r = c.post("/", data={"message": "and then? " + t, "conversation_id": cid[0]}); hit("POST / follow-up", r)
    c.cookies.clear()
    r = c.post("/embed", data={"message": t, "fixed_local_authority": "Demoshire"}); hit("POST /embed", r)
    # 5. feedback: API comment with consent, and the no-JS form comment
    r = c.post("/api/feedback", json={"conversation_id": j["conversation_id"], "conversation_token": j["conversation_token"],
                                      "helpful": False, "comment": t[:500], "keep_question": True}); hit("api/feedback", r)
    c.cookies.clear()
    r = c.post("/", data={"message": "What is the LGSCO?"})
    cid = re.findall(r'name="conversation_id" value="([^"]*)"', r.text)[0]
    r = c.post("/feedback", data={"conversation_id": cid, "turn": "1", "helpful": "no", "keep_question": "yes",
                                  "comment": t[:500]}); hit("feedback form", r)
    c.cookies.clear()
elapsed = time.time() - start
time.sleep(1)

files = sorted(p for p in DATA.glob("assistant.db*") if p.is_file())
def text_of(p):
    return p.read_bytes().decode("utf-8", "replace")
hay = {p.name: Haystack(text_of(p)) for p in files}
log_text = LOG.read_text("utf-8", "replace")
hay["server log"] = Haystack(log_text)
# Per-row check (db rows), as the test does, so digit runs can be matched without binary noise.
import sqlite3
con = sqlite3.connect(f"file:{DATA/'assistant.db'}?mode=ro", uri=True)
rows = []
for table in ("turns", "feedback"):
    text_cols = {"turns": "question, query, facts", "feedback": "reasons, message_text"}[table]
    for row in con.execute(f"SELECT {text_cols} FROM {table}"):
        rows.append(" | ".join(str(v) for v in row if v is not None))
con.close()
rowhay = [Haystack(r) for r in rows]
loglines = [Haystack(l) for l in log_text.splitlines()]
survived = {"db rows": [], "log lines": []}
for name, h in hay.items():
    survived[name] = []
for s in SEEDED:
    for h in rowhay:
        survived["db rows"] += [(s.kind, x) for x in survivors(s, h)]
    for h in loglines:
        survived["log lines"] += [(s.kind, x) for x in survivors(s, h)]
    for name, h in hay.items():
        # whole files: words and the separator-kept digit forms (binary pages make a digits-only haystack meaningless)
        found = [x for x in survivors(s, h) if not x.isdigit()]
        for d in s.digits:
            if len(d) >= 9:
                forms = {d, " ".join([d[:3], d[3:6], d[6:]]), "-".join([d[:3], d[3:6], d[6:]]), d[:4] + " " + d[4:]}
            else:  # 6-digit NI middles: as written in the messages (the lettered form is a word needle)
                forms = {" ".join([d[:2], d[2:4], d[4:]])}
            if any(f in h.text for f in forms):
                found.append(d)
        survived[name] += [(s.kind, x) for x in found]
needles = sum(len(s.words) + len(s.digits) for s in SEEDED)
print(json.dumps({"seeded_messages": len(SEEDED), "seeded_identifiers": needles,
                  "kinds": sorted({s.kind for s in SEEDED}), "requests": counts, "seconds": round(elapsed),
                  "db_rows_searched": len(rows), "log_lines_searched": len(loglines),
                  "files": {p.name: p.stat().st_size for p in files},
                  "survivors": {k: v for k, v in survived.items()}}, indent=1))
