"""Request-scoped lookups shared by the v1 routes: the catalog, a rule set, the language."""

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from app.api.catalog import Catalog
from app.api.problems import ProblemError
from app.engine.languages import negotiate
from app.engine.ruleset import RuleSet


# Dependencies and routes are async: plain ``def`` ones run in a worker thread, and those
# hand-offs cost more than all of our own work per request (measured with make bench).
async def get_catalog(request: Request) -> Catalog:
    catalog: Catalog | None = getattr(request.app.state, "catalog", None)
    if catalog is None:
        raise ProblemError(503, "The service is starting; try again shortly.", headers={"Retry-After": "1"})
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]

LangQuery = Annotated[
    str | None,
    Query(
        max_length=35,
        pattern=r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$",
        description="Language of the texts; beats Accept-Language. Unsupported languages fall back "
        "to the questionnaire's default, and Content-Language says which was used.",
        examples=["fr"],
    ),
]

CountryQuery = Annotated[
    str | None,
    Query(
        pattern=r"^([A-Za-z]{2}|generic)$",
        description="ISO 3166 country code whose emergency numbers and service names the texts use. "
        "Countries the rule set does not know fall back to its default; the response says which was used.",
        examples=["gb"],
    ),
]

QuestionnaireId = Annotated[str, Path(max_length=64, description="Questionnaire id.", examples=["hip-pelvic-floor"])]


async def get_ruleset(catalog: CatalogDep, questionnaire_id: QuestionnaireId) -> RuleSet:
    ruleset = catalog.rulesets.get(questionnaire_id)
    if ruleset is None:
        raise ProblemError(404, "There is no questionnaire with this id. GET /v1/questionnaires lists them.")
    return ruleset


RuleSetDep = Annotated[RuleSet, Depends(get_ruleset)]


def choose_language(request: Request, ruleset: RuleSet, lang: str | None) -> str:
    return negotiate(lang, request.headers.get("accept-language"), ruleset.languages, ruleset.default_language)


def choose_country(request: Request, ruleset: RuleSet, country: str | None) -> str:
    """The request's country if the rule set knows it, else the configured or built-in default."""
    for candidate in (country.lower() if country else None, request.app.state.settings.default_country):
        if candidate in ruleset.countries:
            return candidate
    return ruleset.default_country
