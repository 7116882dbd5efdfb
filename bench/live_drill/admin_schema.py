"""The OpenAPI document with the admin routes listed (the public one hides them), to fuzz them too:

    PYTHONPATH=. python bench/live_drill/admin_schema.py admin-openapi.json
    SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=tests schemathesis --config-file admin.toml run admin-openapi.json \
        --url http://127.0.0.1:8000 --include-path-regex '^/api/admin' --checks all --max-examples 100 --workers 1

(admin.toml: the repo's schemathesis.toml plus `[auth.openapi.HTTPBearer] bearer = "<admin token>"`;
run the server with SEND_ASSISTANT_ADMIN_RATE_LIMIT=none.)
"""
import json, sys
from fastapi.openapi.utils import get_openapi
from assistant.api.app import create_app
from assistant.api.openapi import refine
from assistant.config import Settings
from assistant.services import Services

from assistant.api import admin
from fastapi import APIRouter

def _shown(*args, **kwargs):
    kwargs["include_in_schema"] = True
    return APIRouter(*args, **kwargs)

admin.APIRouter = _shown  # the admin router, listed

class _Nothing: pass
settings = Settings(admin_token="a" * 40, rate_limit="none", write_rate_limit="none")
app = create_app(services=Services(settings=settings, embedder=_Nothing(), conversations=_Nothing()))
schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
schema = refine(schema, limited_buckets=set())
json.dump(schema, open(sys.argv[1], "w"), indent=1)
print(sorted(f"{m.upper()} {p}" for p, i in schema["paths"].items() for m in i if p.startswith("/api/admin")))
