"""Golden-case files are read by libyaml's own constructor (no line numbers, so a reload's
safety gate stays cheap); the data must be what ruamel's round-trip reader gives, YAML 1.2 rules."""

from pathlib import Path

import pytest

from app.engine.yaml_files import YamlReadError, parse_yaml
from tests.support.yaml_oracle import ruamel_read

RULES = Path(__file__).resolve().parents[2] / "app" / "rules"
CASE_FILES = sorted(RULES.glob("*/cases/*.yaml"))


@pytest.mark.parametrize("path", CASE_FILES, ids=[f"{p.parent.parent.name}/{p.name}" for p in CASE_FILES])
def test_every_shipped_case_file_reads_the_same_both_ways(path: Path) -> None:
    content = path.read_bytes()
    assert parse_yaml(path, content, lines=False).data == ruamel_read(content)[0]


def test_yes_and_no_stay_strings_as_in_yaml_1_2(tmp_path: Path) -> None:
    content = b"a: no\nb: yes\nc: true\nd: off\ne: 012\nf: 1e3\ng: 0x1f\nh: 1:30\ni: -7\n"
    fast = parse_yaml(tmp_path / "x.yaml", content, lines=False).data
    assert fast == ruamel_read(content)[0] == parse_yaml(tmp_path / "x.yaml", content).data
    assert fast["a"] == "no" and fast["b"] == "yes" and fast["c"] is True and fast["d"] == "off"


def test_a_duplicate_key_is_refused_both_ways(tmp_path: Path) -> None:
    content = b"cases:\n  - name: a\n    name: b\n"
    for lines in (True, False):
        with pytest.raises(YamlReadError):
            parse_yaml(tmp_path / "dup.yaml", content, lines=lines)
