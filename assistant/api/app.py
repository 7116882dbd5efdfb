"""The FastAPI application: create_app(settings=None, services=None).

    uvicorn --factory assistant.api.app:create_app
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant import __version__
from assistant.config import Settings, get_settings
from assistant.services import Services, build_services



def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or (services.settings if services else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "services", None) is None:
            app.state.services = build_services(settings)
        yield

    app = FastAPI(
        title="SEND Assistant",
        version=__version__,
        description="Cited answers about special educational needs and disabilities (SEND) law and guidance in England.",
        lifespan=lifespan,
        # The docs pages load their scripts from a CDN: off unless SEND_ASSISTANT_API_DOCS=true.
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    app.state.services = services
    app.state.settings = settings

    from assistant.api.rendering import make_templates

    app.state.templates = make_templates(settings.web_dir)
    from assistant.api import errors, openapi

    errors.install(app)
    openapi.install(app, settings)

    from assistant.api import chat, feedback, pages, stream
    from assistant.api.embedding_policy import install_embed_policy

    install_embed_policy(app, settings)
    app.include_router(chat.router)
    app.include_router(stream.router)
    app.include_router(feedback.router)
    from assistant.api import openai_compat

    app.include_router(openai_compat.router)
    try:
        from assistant.api import tools_routes
    except ImportError:
        pass
    else:
        app.include_router(tools_routes.router)
        from assistant.api import tools_pages

        tools_pages.install(app)
    from assistant.api import admin, security

    admin.install(app, settings)
    security.install(app, settings)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(settings.web_dir / "static")), name="static")
    return app
