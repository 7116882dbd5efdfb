"""The tools router, mounted on a throwaway FastAPI app."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.schemas import InvalidRequestOut
from assistant.api.tools_routes import router
from assistant.tools.letters import DOCX_MEDIA_TYPE


@pytest.fixture()
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


@pytest.fixture()
def app_client() -> TestClient:
    """The whole app (with its own 422 handler), without any index: the tools need none."""
    from assistant.api.app import create_app
    from assistant.config import Settings
    from assistant.services import Services

    services = Services(settings=Settings(rate_limit="none"), embedder=object(), conversations=object())  # type: ignore[arg-type]
    return TestClient(create_app(services=services))


def _invalid_input(response: Any) -> InvalidRequestOut:
    """A 422 from a tool: the documented body, with the tool's own sentence as the detail."""
    assert response.status_code == 422
    assert set(response.json()) <= set(InvalidRequestOut.model_fields)
    return InvalidRequestOut.model_validate(response.json())


def test_deadlines_and_lateness(client: TestClient) -> None:
    response = client.post("/api/deadlines", json={"events": {"request_received": "2026-03-03"}, "today": "2026-11-23"})
    assert response.status_code == 200
    body = response.json()
    assert [(d["key"], d["date"], d["state"]) for d in body["deadlines"]] == [
        ("assessment_decision", "2026-04-14", "passed"),
        ("no_plan_decision", "2026-06-23", "passed"),
        ("final_plan", "2026-07-21", "passed"),
    ]
    first = body["deadlines"][0]
    assert first["actor"] == "local authority" and first["hard_limit"] is True and first["status"] == "law"
    assert first["citations"][0]["ref"] == "reg 5(1)"
    assert first["citations"][0]["url"] == "https://www.legislation.gov.uk/uksi/2014/1530/regulation/5"
    assert body["council_late"] is True
    assert [r["key"] for r in body["remedies"]] == ["chase", "complain", "ombudsman", "pre_action_letter"]


def test_deadlines_whichever_later(client: TestClient) -> None:
    events = {"decision_notice": "2026-10-01", "certificate_issued": "2026-11-20"}
    body = client.post("/api/deadlines", json={"events": events, "today": "2026-11-23"}).json()
    assert {d["key"]: d["date"] for d in body["deadlines"]}["appeal"] == "2026-12-21"
    assert body["council_late"] is False


@pytest.mark.parametrize(("payload", "message"), [
    ({"events": {"decision_notice": "2026-12-01"}, "today": "2026-11-23"}, "after today"),
    ({"events": {"request_received": "2026-05-01", "draft_plan_served": "2026-04-01"}, "today": "2026-11-23"},
     "draft plan served (2026-04-01) is before request received"),
    ({"events": {"decision_notice": "2026-10-01", "certificate_issued": "2026-09-01"}, "today": "2026-11-23"},
     "certificate issued"),
    ({"events": {"tribunal_order": "2026-10-01"}, "today": "2026-11-23"}, "order_type"),
])
def test_deadlines_impossible_input_is_422(client: TestClient, payload: dict, message: str) -> None:
    assert message in _invalid_input(client.post("/api/deadlines", json=payload)).detail


def test_unknown_event_field_is_422(client: TestClient) -> None:
    response = client.post("/api/deadlines", json={"events": {"birthday": "2026-01-01"}})
    assert response.status_code == 422


def test_appeal_route(client: TestClient) -> None:
    payload = {"decision": "plan_contents", "sections": ["I"], "decision_date": "2026-10-20", "today": "2026-11-23"}
    body = client.post("/api/appeal-route", json=payload).json()
    assert body["routes"][0] == "First-tier Tribunal (SEND)"
    assert body["mediation_required"] is False and body["deadline"] == "2026-12-21"
    assert any(c["ref"] == "s.55" for c in body["citations"])
    transport = client.post("/api/appeal-route", json={"decision": "transport", "today": "2026-11-23"}).json()
    assert transport["tribunal"] is False and transport["routes"][0] == "Local authority travel review"


@pytest.mark.parametrize(("payload", "message"), [
    ({"decision": "refuse_plan", "decision_date": "2026-12-01", "today": "2026-11-23"}, "after today"),
    ({"decision": "refuse_plan", "decision_date": "2026-10-01", "certificate_date": "2026-09-01", "today": "2026-11-23"},
     "cannot come before"),
])
def test_appeal_route_422(client: TestClient, payload: dict, message: str) -> None:
    assert message in _invalid_input(client.post("/api/appeal-route", json=payload)).detail


def test_appeal_route_unknown_decision_is_422(client: TestClient) -> None:
    assert client.post("/api/appeal-route", json={"decision": "parking_fine"}).status_code == 422


@pytest.mark.parametrize(("path", "payload", "message"), [
    ("/api/appeal-route", {"decision": "parking_fine"}, "decision: Input should be"),
    ("/api/appeal-route", {"decision": "refuse_plan", "decision_date": "2026-12-01", "today": "2026-11-23"}, "after today"),
    ("/api/deadlines", {"events": {"request_received": "2026-05-01", "draft_plan_served": "2026-04-01"}}, "is before request"),
    ("/api/letters", {"template": "nope"}, "template: must be one of 'request_assessment', 'chase_deadline'"),
    ("/api/letters", {"template": "request_assessment", "fields": {"shoe_size": "9"}}, "shoe_size: Extra inputs are not permitted"),
    ("/api/appeal-route", {"decision": "plan_contents", "sections": ["G"]}, "sections.0: Input should be 'B', 'F' or 'I'"),
    ("/api/deadlines", {"events": {"request_received": "9999-12-01"}, "today": "9999-12-31"},
     "events.request_received: must be between 2000-01-01 and 2099-12-31; got 9999-12-01"),
    ("/api/deadlines", {"events": {"review_meeting": 0.0}}, "must be a date written YYYY-MM-DD"),
    ("/api/appeal-route", {"decision": "refuse_assessment", "young_person": 0}, "young_person: Input should be a valid boolean"),
])
def test_every_422_in_the_app_has_the_documented_body(app_client: TestClient, path: str, payload: dict, message: str) -> None:
    response = app_client.post(path, json=payload)
    assert response.status_code == 422
    assert set(response.json()) <= set(InvalidRequestOut.model_fields)
    assert message in InvalidRequestOut.model_validate(response.json()).detail
    declared = app_client.get("/openapi.json").json()["paths"][path]["post"]["responses"]["422"]
    assert declared["content"]["application/json"]["schema"]["$ref"].endswith("/InvalidRequestOut")


def test_letter_templates_list(client: TestClient) -> None:
    body = client.get("/api/letters").json()
    ids = [t["id"] for t in body]
    assert "request_assessment" in ids and "decision_not_to_assess" in ids
    refusal = next(t for t in body if t["id"] == "decision_not_to_assess")
    assert refusal["draft"] is True and refusal["audience"] == "caseworker"
    assert {"name": "request_date", "placeholder": "[date the request was received]", "kind": "date", "options": []} in refusal["fields"]


def test_letter_as_json(client: TestClient) -> None:
    payload = {"template": "draft_plan_response", "fields": {"child_name": "Sam", "draft_served_date": "2026-11-10"},
               "today": "2026-11-23"}
    body = client.post("/api/letters", json=payload).json()
    assert "24 November 2026" in body["text"] and "[Your name]" in body["text"]
    assert "parent_name" in body["missing"] and body["draft"] is False


@pytest.mark.parametrize("how", ["query", "accept"])
def test_letter_as_docx(client: TestClient, how: str) -> None:
    payload = {"template": "decision_not_to_assess", "fields": {"child_name": "Sam"}, "today": "2026-11-23"}
    if how == "query":
        response = client.post("/api/letters?format=docx", json=payload)
    else:
        response = client.post("/api/letters", json=payload, headers={"Accept": DOCX_MEDIA_TYPE})
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX_MEDIA_TYPE
    assert "decision_not_to_assess.docx" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "DRAFT — for officer review"


@pytest.mark.parametrize(("payload", "message"), [
    ({"template": "chase_deadline", "fields": {"deadline": "final_plan", "event_date": "2026-11-01"}, "today": "2026-11-23"},
     "has not passed yet"),
])
def test_letter_422(client: TestClient, payload: dict, message: str) -> None:
    assert message in _invalid_input(client.post("/api/letters", json=payload)).detail


def test_openapi_documents_the_models(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert {"DeadlinesRequest", "DeadlinesResponse", "AppealRequest", "AppealResponse",
            "RequestAssessmentLetter", "RequestAssessmentFields", "LetterResponse", "LetterTemplateOut"} <= names
    assert set(schema["paths"]) == {"/api/deadlines", "/api/appeal-route", "/api/letters"}
