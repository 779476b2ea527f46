"""Assets: reads the bundled static files (scripts/build_frontend), writes them under /static,
the API docs from them at /docs, and HTML not-found pages for the app; nothing from outside."""
from __future__ import annotations

from html import escape
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from observatory.desk.web.layout import page

STATIC = resources.files("observatory.desk") / "static"


def install(app: FastAPI) -> None:
    """Serve /static and /docs, and answer the app's pages with HTML when there is no such
    page (the API keeps its JSON errors). The app is made with ``docs_url=None``."""
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API",
                                   swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg",
                                   swagger_ui_parameters={"validatorUrl": None})


def html_error(request: Request, exc: StarletteHTTPException) -> Response | None:
    """The app's pages answer a missing page or a bad value with HTML (the API keeps its JSON
    errors); None for everything else."""
    if not request.url.path.startswith("/app") or exc.status_code not in (404, 422):
        return None
    title = "Not found" if exc.status_code == 404 else "Cannot show this page"
    body = (f'<p>{escape(str(exc.detail))}.</p><p><a href="/app">Back to the incidents</a>'
            f' · <a href="/app/disputes">Disputes</a></p>')
    response = page(title, body)
    response.status_code = exc.status_code
    return response
