"""Another client tries every route on a victim's conversations, on a running server (issue 18, target 2).

The victim starts conversations on the page (cookie), over the API (token) and in the embed
(hidden field). The attacker, from another address, sends each victim id, a made-up id ("1",
32 zeros) with no token, its own valid token and a wrong one, to /api/chat, the stream, /v1,
feedback (JSON and form), DELETE, and the no-JavaScript pages POST / and /embed. An attempt
succeeds if it reads the victim's text, continues the victim's id, or is accepted (feedback,
delete). Afterwards the owner checks nothing was attached, deleted or continued.

    SEND_ASSISTANT_ADMIN_TOKEN=... python bench/live_drill/owners.py http://127.0.0.1:8000
"""
import json, os, re, sys, httpx

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8318"
ADMIN = os.environ["SEND_ASSISTANT_ADMIN_TOKEN"]
SECRET = "quokkaplanner"

def cid_of(html):
    m = re.findall(r'name="conversation_id" value="([^"]*)"', html)
    return m[0] if m else ""

def stream(client, body, headers=None):
    with client.stream("POST", "/api/chat/stream", json=body, headers=headers or {}) as r:
        text = r.read().decode()
    meta = json.loads(text.split("\n\n")[0].split("data: ", 1)[1]) if "data: " in text else {}
    return r.status_code, meta, text

victim = httpx.Client(base_url=BASE, headers={"X-Forwarded-For": "10.1.1.1"}, timeout=60)
attacker = httpx.Client(base_url=BASE, headers={"X-Forwarded-For": "10.2.2.2"}, timeout=60)

# The victim: two turns on the no-JS page (cookie), one over the API with the token, one in the embed.
p1 = victim.post("/", data={"message": f"What is the LGSCO? ({SECRET} one)"})
vid = cid_of(p1.text)
p2 = victim.post("/", data={"message": f"and when can I complain to them? ({SECRET} two)", "conversation_id": vid})
assert 'id="turn-2"' in p2.text, "victim's own follow-up failed"
vtoken = victim.cookies["send_conversation"].split(".", 1)[1]
api = victim.post("/api/chat", json={"message": f"What is reg 13? ({SECRET} three)"}).json()
aid, atok = api["conversation_id"], api["conversation_token"]
e1 = victim.post("/embed", data={"message": f"What is the LGSCO? ({SECRET} four)", "fixed_local_authority": ""})
eid = cid_of(e1.text)
etok = re.findall(r'name="conversation_token" value="([^"]+)"', e1.text)[0]
victims = {"page": (vid, vtoken), "api": (aid, atok), "embed": (eid, etok)}

# The attacker's own conversation (its own valid token, wrong for the victim's id).
own = attacker.post("/api/chat", json={"message": "What is an EHC plan?"}).json()
own_tok = own["conversation_token"]
attacker_cookie = {"send_conversation": f"{own['conversation_id']}.{own_tok}"}

attempts, successes = [], []
def attempt(route, kind, ok, detail=""):
    attempts.append((route, kind))
    if ok:
        successes.append((route, kind, detail))

def tokens_for(kind):
    return {"foreign-token": own_tok, "no-token": None, "wrong-token": "x" * 43}[kind]

ids = [(name, cid) for name, (cid, _) in victims.items()] + [("made-up", "1"), ("made-up", "0" * 32)]
for name, cid in ids:
    for tk in ("no-token", "foreign-token", "wrong-token"):
        token = tokens_for(tk)
        kind = f"{name}-id/{tk}"
        # POST /api/chat, token in body; and in header
        for where in ("body", "header"):
            body = {"message": "and then what?", "conversation_id": cid}
            headers = {}
            if token and where == "body":
                body["conversation_token"] = token
            if token and where == "header":
                headers["X-Conversation-Token"] = token
            r = attacker.post("/api/chat", json=body, headers=headers)
            j = r.json()
            attempt(f"POST /api/chat ({where})", kind, j.get("conversation_id") == cid or SECRET in r.text, r.status_code)
            status, meta, text = stream(attacker, body, headers)
            attempt(f"POST /api/chat/stream ({where})", kind,
                    meta.get("conversation_id") == cid or SECRET in text or (meta.get("turn") or 1) > 1, status)
            v1 = {"messages": [{"role": "user", "content": "and then what?"}], "metadata": {"conversation_id": cid}}
            if token and where == "body":
                v1["metadata"]["conversation_token"] = token
            r = attacker.post("/v1/chat/completions", json=v1, headers=headers)
            attempt(f"POST /v1/chat/completions ({where})", kind,
                    r.json().get("send_conversation_id") == cid or SECRET in r.text, r.status_code)
            # feedback API
            fb = {"conversation_id": cid, "helpful": False, "keep_question": True, "turn": 1,
                  "comment": "attacker feedback"}
            if token and where == "body":
                fb["conversation_token"] = token
            r = attacker.post("/api/feedback", json=fb, headers=headers)
            attempt(f"POST /api/feedback ({where})", kind, r.status_code < 400 or SECRET in r.text, r.status_code)
            # DELETE
            dh = {"X-Conversation-Token": token} if token else {}
            r = attacker.delete(f"/api/conversations/{cid}", headers=dh)
            if where == "header":
                attempt("DELETE /api/conversations/{id}", kind, r.status_code < 400, r.status_code)
        # no-JS page: transcript read + continue; with no cookie and with the attacker's own cookie
        for cookies in ({}, attacker_cookie, {"send_conversation": f"{cid}.{token or 'x'*43}"}):
            attacker.cookies.clear()
            r = attacker.post("/", data={"message": "and what about transport?", "conversation_id": cid}, cookies=cookies)
            attempt("POST / (page)", kind + f"/cookie={bool(cookies)}", SECRET in r.text or cid_of(r.text) == cid, r.status_code)
            r = attacker.post("/embed", data={"message": "hello", "conversation_id": cid, "conversation_token": token or ""},
                              cookies=cookies)
            attempt("POST /embed", kind + f"/cookie={bool(cookies)}", SECRET in r.text or cid_of(r.text) == cid, r.status_code)
            r = attacker.post("/feedback", data={"conversation_id": cid, "conversation_token": token or "", "turn": "1",
                                                 "helpful": "no", "keep_question": "yes", "comment": "attacker form"},
                              cookies=cookies)
            attempt("POST /feedback (form)", kind + f"/cookie={bool(cookies)}", r.status_code < 400 or SECRET in r.text, r.status_code)
        attacker.cookies.clear()

# Verify with the admin view and the owner: nothing attached, nothing deleted, nothing continued.
fb = httpx.get(f"{BASE}/api/admin/feedback", headers={"Authorization": f"Bearer {ADMIN}", "X-Forwarded-For": "10.3.3.3"}).json()
ours = [f for f in fb["feedback"] if f["conversation_id"] in {c for c, _ in victims.values()} | {"1", "0" * 32}]
attempt("admin check: feedback on victims", "all", bool(ours), len(ours))
for name, (cid, tok) in victims.items():
    r = victim.post("/api/chat", json={"message": "and then?", "conversation_id": cid, "conversation_token": tok}, cookies={}).json()
    victim.cookies.clear()
    expected = {"page": 2, "api": 1, "embed": 1}[name]
    status, meta, _ = stream(victim, {"message": "and after that?", "conversation_id": cid, "conversation_token": tok})
    attempt(f"owner check: {name} intact", "all", r["conversation_id"] != cid or meta.get("turn") != expected + 2,
            (r["conversation_id"] == cid, meta.get("turn")))
real = [a for a in attempts if not a[0].startswith(("admin check", "owner check"))]
print(json.dumps({"attempts": len(real), "successes": len([s for s in successes if not s[0].startswith(("admin", "owner"))]),
                  "integrity_checks": len(attempts) - len(real),
                  "integrity_failures": [s for s in successes if s[0].startswith(("admin", "owner"))],
                  "successes_detail": successes[:20],
                  "routes": sorted({a[0] for a in real})}, indent=1))
