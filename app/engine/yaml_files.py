"""Read YAML 1.2 rule files into plain Python through libyaml (PyYAML's C loader), remembering
the line of every node for messages (golden-case files, whose lines no message needs, without)."""

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml

Location = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed file: plain data plus ``lines[path] -> 1-based line`` for error messages."""

    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of ``location`` or of its nearest enclosing node."""
        for end in range(len(location), -1, -1):
            line = self.lines.get(location[:end])
            if line is not None:
                return line
        return None


class YamlReadError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


# Documents parsed lately, by the digest of their bytes (least recently used first). Parsing is
# still the largest part of loading a rule set (about 0.1 s of CPU, the golden cases another
# 0.1 s); a reload usually changes a file or two, so the others are not parsed again. Room for
# about two rule sets' files, so memory stays bounded however many reloads come. Callers treat
# documents as read-only: they are shared.
_PARSED: OrderedDict[bytes, "YamlDocument"] = OrderedDict()
_PARSED_MAX = 40
_PARSED_LOCK = threading.Lock()  # a reload reads in a worker thread


def forget_parsed() -> None:
    """Drop every kept document, so the next read parses again (benchmarks time a cold load)."""
    with _PARSED_LOCK:
        _PARSED.clear()


def read_yaml(path: Path) -> YamlDocument:
    """Parse one file as YAML 1.2 (so ``no``/``yes`` stay strings); duplicate keys are errors."""
    return parse_yaml(path, path.read_bytes())


def parse_yaml(path: Path, content: bytes, lines: bool = True) -> YamlDocument:
    """Parse ``content``, the bytes of ``path`` as read earlier, like read_yaml. Without
    ``lines`` the document holds no line numbers (libyaml constructs the data itself)."""
    digest = hashlib.sha256(content).digest() + (b"" if lines else b"/plain")
    with _PARSED_LOCK:
        document = _PARSED.get(digest)
        if document is not None:
            _PARSED.move_to_end(digest)
            return document
    document = _parse(path, content) if lines else _parse_plain(path, content)
    with _PARSED_LOCK:
        _PARSED[digest] = document
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return document


class _Yaml12Loader(pyyaml.CSafeLoader):
    """libyaml with YAML 1.2's booleans (only true and false: "no" stays a string, as an
    option id must) and duplicate keys refused, as the round-trip reader does."""

    def construct_mapping(self, node: pyyaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        for index, key in enumerate(keys):
            if key in keys[:index]:
                raise pyyaml.constructor.ConstructorError(
                    None, None, f"found duplicate key {key!r}", node.value[index][0].start_mark
                )
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: pyyaml.ScalarNode) -> int:
        # YAML 1.2: "012" is twelve (1.1 read it as octal); 0o and 0x name other bases.
        text = str(self.construct_scalar(node))
        sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
        base = {"0o": 8, "0x": 16}.get(digits[:2], 10)
        return sign * int(digits[2:] if base != 10 else digits, base)


# YAML 1.2 core schema resolvers in place of 1.1's (yes/no/on/off, sexagesimal numbers).
_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in pyyaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Yaml12Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Yaml12Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
_Yaml12Loader.add_constructor(_INT, _Yaml12Loader.construct_yaml_int)


def _parse_plain(path: Path, content: bytes) -> YamlDocument:
    with _read_errors():
        return YamlDocument(path, pyyaml.load(content.decode("utf-8"), Loader=_Yaml12Loader))  # noqa: S506 - a safe loader


def _parse(path: Path, content: bytes) -> YamlDocument:
    """libyaml's node tree, with the line of every mapping, key and item kept as it is read."""
    document = YamlDocument(path, None)
    with _read_errors():
        loader = _Yaml12Loader(content.decode("utf-8"))
        try:
            node = loader.get_single_node()
            if node is not None:
                document.data = _located(loader, node, (), document.lines)
        finally:
            loader.dispose()
    return document


@contextmanager
def _read_errors() -> Iterator[None]:
    """libyaml's errors as YamlReadError, with the line when libyaml gives one."""
    try:
        yield
    except pyyaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlReadError(f"YAML syntax error: {exc.problem or exc.context}", line) from exc
    except (pyyaml.YAMLError, UnicodeDecodeError) as exc:
        raise YamlReadError(f"cannot read YAML: {exc}", None) from exc


def _located(loader: _Yaml12Loader, node: pyyaml.Node, location: Location, lines: dict[Location, int]) -> Any:
    if isinstance(node, pyyaml.MappingNode):
        lines.setdefault(location, node.start_mark.line + 1)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, pyyaml.ScalarNode):
                raise YamlReadError("YAML syntax error: a key must be a plain value", key_node.start_mark.line + 1)
            key = str(loader.construct_object(key_node))
            if key in mapping:
                raise YamlReadError(f"YAML syntax error: found duplicate key {key!r}", key_node.start_mark.line + 1)
            lines[(*location, key)] = key_node.start_mark.line + 1
            mapping[key] = _located(loader, value_node, (*location, key), lines)
        return mapping
    if isinstance(node, pyyaml.SequenceNode):
        lines.setdefault(location, node.start_mark.line + 1)
        items = []
        for index, item in enumerate(node.value):
            lines[(*location, index)] = item.start_mark.line + 1
            items.append(_located(loader, item, (*location, index), lines))
        return items
    return loader.construct_object(node)
