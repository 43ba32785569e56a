"""FHIR R4 views of the screener: pure conversions between our rule sets and FHIR resources
(plain JSON dicts); the HTTP side lives in app.api.fhir."""
