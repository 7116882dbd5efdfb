"""Every kind of response a client can get from a running server, checked for the security
headers and Cache-Control (issue 18, target 5): pages, static files, 304, HEAD, 400, 401, 404,
405, 413, 422, CORS preflights, uvicorn's own 400 and an upgrade request; with N > 0 the answers
bucket is spent from one address to reach 429; BREAK_DB=<data>/assistant.db renames the turns
table for a moment to reach real 500s.

    BREAK_DB=./data/assistant.db python bench/live_drill/headers.py http://127.0.0.1:8000 10.7.7.7 80
"""
import json, os, sys, socket, httpx
BASE = sys.argv[1]
REQUIRED = ("x-content-type-options", "referrer-policy", "permissions-policy", "content-security-policy")
NO_STORE_EXEMPT = ("/static/", "/embed/theme.css")
c = httpx.Client(base_url=BASE, timeout=60, headers={"X-Forwarded-For": sys.argv[2] if len(sys.argv) > 2 else "10.7.7.7"})
results = []
def check(label, r):
    missing = [h for h in REQUIRED if h not in r.headers]
    if "cache-control" not in r.headers:
        missing.append("cache-control")
    results.append((label, r.status_code, missing, r.headers.get("cache-control")))

pages = ["/", "/about", "/embed", "/embed?local_authority=Demoshire&colour=1d70b8", "/tools", "/tools/deadlines",
         "/tools/appeal", "/tools/letters", "/embed/theme.css?colour=1d70b8", "/static/app.js", "/static/app.css",
         "/static/embed.js", "/static/nope.js", "/static/../assistant/config.py", "/openapi.json", "/docs", "/redoc",
         "/api/health", "/v1/models", "/api/letters", "/nope", "/api/nope", "/v1/nope", "/api/admin/feedback"]
for p in pages:
    check(f"GET {p}", c.get(p))
for m, p in [("PUT", "/api/chat"), ("DELETE", "/"), ("PATCH", "/v1/chat/completions"), ("OPTIONS", "/api/letters"),
             ("GET", "/api/chat"), ("POST", "/api/health"), ("TRACE", "/")]:
    check(f"{m} {p}", c.request(m, p))
big = b'{"message":"' + b"a" * 70000 + b'"}'
check("POST /api/chat 413 (length)", c.post("/api/chat", content=big, headers={"content-type": "application/json"}))
def gen():
    for _ in range(70):
        yield b"a" * 1024
check("POST /api/chat 413 (chunked)", c.post("/api/chat", content=gen(), headers={"content-type": "application/json"}))
check("POST / 413", c.post("/", content=b"message=" + b"a" * 70000, headers={"content-type": "application/x-www-form-urlencoded"}))
check("POST /api/chat 400 (not utf-8)", c.post("/api/chat", content=b'{"message":"\xff\xfe"}', headers={"content-type": "application/json"}))
check("POST /api/chat 400 (deep)", c.post("/api/chat", content=b'{"message":"hi","x":' + b"[" * 20000 + b"]" * 20000 + b"}", headers={"content-type": "application/json"}))
check("POST /api/chat 422", c.post("/api/chat", json={"message": ""}))
check("POST /v1/chat/completions 422", c.post("/v1/chat/completions", json={"messages": []}))
check("POST / 422", c.post("/", data={"message": ""}))
check("POST /api/deadlines 9999", c.post("/api/deadlines", json={"events": {"request_received": "9999-12-01"}, "today": "9999-12-31"}))
check("POST /api/appeal-route 9999", c.post("/api/appeal-route", json={"decision": "refuse_assessment", "decision_date": "9999-12-31", "today": "9999-12-31"}))
check("POST /api/letters docx NUL", c.post("/api/letters?format=docx", json={"template": "request_assessment", "fields": {"parent_name": "Kim\u0000", "child_name": "Sam"}}))
check("POST /tools/letters NUL", c.post("/tools/letters", data={"template": "request_assessment", "parent_name": "Kim\x00", "child_name": "Sam", "format": "docx"}))
check("DELETE 404", c.delete("/api/conversations/1"))
check("POST /api/feedback 404", c.post("/api/feedback", json={"conversation_id": "1", "helpful": True}))
check("POST /api/admin/purge 401", c.post("/api/admin/purge", json={}))
r = c.post("/api/chat", json={"message": "What is reg 13?"}); check("POST /api/chat 200", r)
with c.stream("POST", "/api/chat/stream", json={"message": "What is reg 13?"}) as s:
    s.read(); check("POST /api/chat/stream 200", s)
check("POST / 200", c.post("/", data={"message": "What is reg 13?"}))
check("POST /embed 200", c.post("/embed", data={"message": "What is reg 13?"}))
check("POST /v1 200", c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "What is reg 13?"}]}))
with c.stream("POST", "/v1/chat/completions", json={"messages": [{"role": "user", "content": "What is reg 13?"}], "stream": True}) as s:
    s.read(); check("POST /v1 stream 200", s)
check("POST /api/letters docx 200", c.post("/api/letters?format=docx", json={"template": "request_assessment", "fields": {"parent_name": "Kim", "child_name": "Sam"}}))
# 429: spend the answers bucket from one address (only meaningful when the server limits)
statuses = []
for i in range(int(sys.argv[3]) if len(sys.argv) > 3 else 0):
    r = c.post("/api/chat", json={"message": ""})
    statuses.append(r.status_code)
    if r.status_code == 429:
        check("POST /api/chat 429", r)
        check("POST / 429", c.post("/", data={"message": "What is reg 13?"}))
        check("POST /embed 429", c.post("/embed", data={"message": "What is reg 13?"}))
        check("POST /v1 429", c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}))
        check("GET /v1/models 429?", c.get("/v1/models"))
        break
check("HEAD /", c.head("/"))
check("HEAD /static/app.css", c.head("/static/app.css"))
etag = c.get("/static/app.css").headers.get("etag", "")
check("GET /static/app.css 304", c.get("/static/app.css", headers={"If-None-Match": etag}))
for origin in ("https://www.council.example", "https://evil.example"):
    check(f"OPTIONS /api/chat preflight {origin}", c.options("/api/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}))
    check(f"POST /api/chat cross-origin {origin}", c.post("/api/chat", json={"message": "What is reg 13?"}, headers={"Origin": origin}))
class Raw:
    def __init__(self, head):
        lines = head.split("\r\n")
        self.status_code = int(lines[0].split()[1])
        self.headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
def raw(data):
    s = socket.create_connection(("127.0.0.1", int(BASE.rsplit(":", 1)[1])), timeout=10); s.sendall(data); out = b""
    while b"\r\n\r\n" not in out:
        b = s.recv(65536)
        if not b: break
        out += b
    s.close(); return Raw(out.decode("latin-1").split("\r\n\r\n")[0])
check("raw: header line without colon", raw(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"))
check("raw: garbage", raw(b"GARBAGE\r\n\r\n"))
check("raw: headers past the limit", raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70000))
check("raw: websocket upgrade", raw(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
check("raw: HTTP/1.0", raw(b"GET /api/health HTTP/1.0\r\n\r\n"))
if os.environ.get("BREAK_DB"):  # a real 500: the conversation table taken away under the running server
    import sqlite3
    c = httpx.Client(base_url=BASE, timeout=60, headers={"X-Forwarded-For": "10.7.99.99"})
    db = sqlite3.connect(os.environ["BREAK_DB"]); db.execute("ALTER TABLE turns RENAME TO turns_away"); db.commit()
    try:
        check("500 POST /api/chat", c.post("/api/chat", json={"message": "What is reg 13?"}))
        check("500 POST /", c.post("/", data={"message": "What is reg 13?"}))
        check("500 POST /embed", c.post("/embed", data={"message": "What is reg 13?"}))
        check("500 POST /v1", c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "What is reg 13?"}]}))
        check("500 POST /api/chat/stream", c.post("/api/chat/stream", json={"message": "What is reg 13?"}))
    finally:
        db.execute("ALTER TABLE turns_away RENAME TO turns"); db.commit()
bad = [r for r in results if r[2]]
print(json.dumps({"responses": len(results), "without_headers": len(bad), "bad": bad,
                  "statuses": sorted({r[1] for r in results}),
                  "not_no_store": [(r[0], r[3]) for r in results if r[3] != "no-store"]}, indent=1))
