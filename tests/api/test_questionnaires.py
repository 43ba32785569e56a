"""Questionnaire endpoints through a real uvicorn server: listing, localisation, ETag, caching."""

import httpx
import pytest

from app.engine.ruleset import RuleSet
from tests.support.servers import Server

QUESTIONNAIRE = "/v1/questionnaires/hip-pelvic-floor"


def test_list_names_each_questionnaire_with_version_and_languages(server: Server, ruleset: RuleSet) -> None:
    response = httpx.get(f"{server.base_url}/v1/questionnaires")
    assert response.status_code == 200
    assert response.json() == {
        "questionnaires": [
            {
                "id": "hip-pelvic-floor",
                "version": ruleset.version,
                "title": "Hip and pelvic floor check",
                "languages": ["en", "fr"],
            }
        ]
    }


def test_questionnaire_items_follow_the_rule_set(server: Server, ruleset: RuleSet) -> None:
    response = httpx.get(f"{server.base_url}{QUESTIONNAIRE}")
    assert response.status_code == 200
    body = response.json()
    assert body["ruleset"] == {"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256}
    items = {item["id"]: item for section in body["sections"] for item in section["items"]}
    assert list(items) == list(ruleset.questions)
    saddle = items["rf_saddle_numbness"]
    assert saddle["type"] == "single_choice"
    assert saddle["required"] is True
    assert [o["value"] for o in saddle["options"]] == [
        "no",
        "yes_new_or_worsening",
        "yes_longstanding_unchanged",
        "not_sure",
    ]
    assert all(option["label"] for option in saddle["options"])
    assert items["hip_pain_duration"]["enable_when"] == {"question": "hip_pain_present", "op": "equals", "value": True}
    assert items["ctx_age_years"]["min"] == 0 and items["ctx_age_years"]["max"] == 120
    assert items["hip_pain_worst_week"]["type"] == "scale"
    assert body["disclaimer"].startswith("This is not a diagnosis.")


@pytest.mark.parametrize(
    ("query", "accept_language", "expected"),
    [
        ("", None, "en"),
        ("", "fr-CA,fr;q=0.9,en;q=0.5", "fr"),
        ("?lang=en", "fr", "en"),  # ?lang= beats Accept-Language
        ("?lang=fr", "en", "fr"),
        ("?lang=de", None, "en"),  # unsupported: falls back to the default
        ("", "de, *;q=0.1", "en"),
    ],
)
def test_language_negotiation(server: Server, query: str, accept_language: str | None, expected: str) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = httpx.get(f"{server.base_url}{QUESTIONNAIRE}{query}", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-language"] == expected
    assert response.json()["language"] == expected
    assert "Accept-Language" in response.headers["vary"]


def test_french_texts_differ_from_english(server: Server) -> None:
    english = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?lang=en").json()
    french = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?lang=fr").json()
    assert english["title"] != french["title"]
    assert english["sections"][1]["items"][1]["text"] != french["sections"][1]["items"][1]["text"]


def test_strong_etag_and_304(server: Server) -> None:
    first = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?lang=fr")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "max-age" in first.headers["cache-control"]
    again = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?lang=fr", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other_language = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?lang=en", headers={"If-None-Match": etag})
    assert other_language.status_code == 200
    assert other_language.headers["etag"] != etag
    stale = httpx.get(f"{server.base_url}{QUESTIONNAIRE}", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200


def test_unknown_questionnaire_is_a_404_problem(server: Server) -> None:
    response = httpx.get(f"{server.base_url}/v1/questionnaires/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/v1/questionnaires/no-such-thing"


def test_malformed_lang_is_a_422_naming_the_parameter(server: Server) -> None:
    response = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?lang=<script>")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["pointer"] == "#/query/lang"
    assert "<script>" not in response.text


def test_country_changes_the_document_and_its_etag(server: Server, ruleset: RuleSet) -> None:
    generic = httpx.get(f"{server.base_url}{QUESTIONNAIRE}")
    british = httpx.get(f"{server.base_url}{QUESTIONNAIRE}?country=gb")
    assert generic.json()["country"] == ruleset.default_country
    assert british.json()["country"] == "gb"
    assert set(british.json()["countries"]) == set(ruleset.countries)
    if generic.content != british.content:
        assert generic.headers["etag"] != british.headers["etag"]
