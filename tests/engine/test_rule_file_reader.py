"""Rule files are read by libyaml with the line of every node kept for messages; the data and
the lines must be what ruamel's round-trip reader (a YAML 1.2 reader of its own) gives."""

from pathlib import Path

import pytest

from app.engine.yaml_files import YamlReadError, parse_yaml
from tests.support.yaml_oracle import ruamel_read

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = sorted(
    path
    for pattern in ("app/rules/*/*.yaml", "app/rules/*/locales/*.yaml", "tests/fixtures/minimal/**/*.yaml")
    for path in ROOT.glob(pattern)
)


@pytest.mark.parametrize("path", RULE_FILES, ids=[str(p.relative_to(ROOT)) for p in RULE_FILES])
def test_every_rule_file_reads_as_ruamel_reads_it_lines_included(path: Path) -> None:
    content = path.read_bytes()
    document = parse_yaml(path, content)
    data, lines = ruamel_read(content)
    assert document.data == data
    assert document.lines == lines


TRICKY = b"""\
# a comment
meta: &shared
  id: x   # trailing comment
  when: {question: a, op: equals, value: "no"}
list:
  - one
  - *shared
  -
    nested: [1, 2, 0x1f, 012, 1e3, .inf]
  - |
    a block
    of text
  - >-
    folded
    text
flags: {a: no, b: yes, c: true, d: off, e: ~, f: 1:30}
"""


def test_anchors_flow_and_block_scalars_read_as_ruamel_reads_them(tmp_path: Path) -> None:
    document = parse_yaml(tmp_path / "tricky.yaml", TRICKY)
    data, lines = ruamel_read(TRICKY)
    assert document.data == data
    assert document.lines == lines
    assert document.data["flags"]["a"] == "no" and document.data["flags"]["c"] is True


@pytest.mark.parametrize(
    ("content", "line"),
    [(b"a: 1\nb:\n  c: 2\n  c: 3\n", 4), (b"a: [1,\n", 2), (b"? [a, b]\n: 1\n", 1)],
    ids=["duplicate key", "unclosed flow", "key not a plain value"],
)
def test_an_unreadable_file_names_its_line(tmp_path: Path, content: bytes, line: int) -> None:
    with pytest.raises(YamlReadError) as excinfo:
        parse_yaml(tmp_path / "bad.yaml", content)
    assert excinfo.value.line == line
