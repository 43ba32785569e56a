"""Clinic themes: each property checked by its type, text drawn with enough contrast, nothing
that loads a resource or breaks the stylesheet; a broken profiles file stops a real server's
start-up with one line naming the file, the clinic and the field."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.clinic_theme import COLOURS, CONTRASTS, contrast
from app.clinics import ClinicProfileError, Clinics
from tests.support.servers import ROOT, free_port

_CLINIC = {"id": "north", "name": "North Clinic", "allowed_origins": ["https://north.example"]}


def _profiles(tmp_path: Path, theme: dict[str, str]) -> Path:
    path = tmp_path / "clinics.yaml"
    path.write_text(json.dumps({"clinics": [{**_CLINIC, "theme": theme}]}))  # JSON is YAML
    return path


@pytest.mark.parametrize(
    ("theme", "message"),
    [
        ({"--hps-text": "transparent"}, "--hps-text must be a colour"),
        ({"--hps-bg": "currentcolor"}, "--hps-bg must be a colour"),
        ({"--hps-accent": "#0b5fff80"}, "--hps-accent must be a colour"),
        ({"--hps-bg": "image-set('https://tracker.example/a.png' 1x)"}, "--hps-bg must be a colour"),
        ({"--hps-accent": "url(https://tracker.example/x.png)"}, "--hps-accent must be a colour"),
        ({"--hps-accent": "rgb(0, 0, 0"}, "--hps-accent must be a colour"),
        ({"--hps-radius": "calc(100vw)"}, "--hps-radius must be a length"),
        ({"--hps-radius": "red"}, "--hps-radius must be a length"),
        ({"--hps-font": '"Segoe UI, sans-serif'}, "--hps-font must be a comma-separated list"),
        ({"--hps-font": "Roboto)"}, "--hps-font must be a comma-separated list"),
        ({"--hps-font": "(Roboto"}, "--hps-font must be a comma-separated list"),
        ({"--hps-font": "image-set(x)"}, "--hps-font must be a comma-separated list"),
        ({"--hps-font": "Roboto; color: red"}, "--hps-font must be a comma-separated list"),
        ({"--hps-shadow": "#000000"}, "--hps-shadow is not a theme property"),
        ({"--hps-text": "#ffffff"}, "--hps-text on --hps-bg has a contrast of 1.00:1; it needs at least 4.5:1"),
        ({"--hps-text": "#777777"}, "--hps-text on --hps-bg has a contrast of 4.48:1"),
        ({"--hps-bg": "#000000"}, "on --hps-bg has a contrast"),
        ({"--hps-accent": "#ffff00"}, "--hps-on-accent on --hps-accent has a contrast"),
        ({"--hps-danger": "#ff8080"}, "--hps-danger on --hps-bg has a contrast"),
    ],
)
def test_a_theme_value_of_the_wrong_type_or_contrast_is_refused(
    tmp_path: Path, theme: dict[str, str], message: str
) -> None:
    path = _profiles(tmp_path, theme)
    with pytest.raises(ClinicProfileError) as refused:
        Clinics.load(path)
    assert str(refused.value).startswith(f"{path}: invalid clinic profiles: clinic 'north', field theme: ")
    assert message in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "theme",
    [
        {"--hps-accent": "#0b5fff", "--hps-radius": "8px"},
        {"--hps-text": "#000", "--hps-bg": "#fff", "--hps-muted": "#595959"},
        {"--hps-radius": "0", "--hps-font": "Atkinson Hyperlegible, \"Segoe UI\", 'Noto Sans', sans-serif"},
        {"--hps-bg": "#fdfdf8", "--hps-text": "#222", "--hps-accent": "#005a9c", "--hps-danger": "#a4001d"},
    ],
)
def test_themes_of_the_right_types_and_contrast_load(tmp_path: Path, theme: dict[str, str]) -> None:
    clinic = Clinics.load(_profiles(tmp_path, theme)).get("north")
    assert clinic is not None and clinic.theme == theme


def test_the_widget_defaults_pass_the_contrast_check() -> None:
    colours = {**COLOURS, "#ffffff": "#ffffff"}
    assert all(contrast(colours[a], colours[b]) >= minimum for a, b, minimum in CONTRASTS)


@pytest.mark.server
def test_a_broken_clinic_file_stops_start_up_with_one_line(tmp_path: Path) -> None:
    path = _profiles(tmp_path, {"--hps-text": "transparent"})
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(free_port())]
    env: dict[str, Any] = {"SCREENER_CLINICS_FILE": str(path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert done.stdout == ""
    reason = "clinic 'north', field theme: --hps-text must be a colour written #rgb or #rrggbb"
    assert done.stderr.splitlines() == [f"{path}: invalid clinic profiles: {reason}"]
