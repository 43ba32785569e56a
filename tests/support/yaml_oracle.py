"""The reference the tests read YAML with: ruamel's round-trip reader (YAML 1.2), its data as
plain Python and the line of every node, to hold the service's libyaml reader to."""

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from app.engine.yaml_files import Location


def ruamel_read(content: bytes) -> tuple[Any, dict[Location, int]]:
    """The oracle: ruamel's round-trip nodes, their lines read off ``lc``."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    lines: dict[Location, int] = {}

    def plain(node: Any, location: Location) -> Any:
        if isinstance(node, CommentedMap):
            lines.setdefault(location, node.lc.line + 1)
            result = {}
            for key, value in node.items():
                lines[(*location, str(key))] = node.lc.key(key)[0] + 1
                result[str(key)] = plain(value, (*location, str(key)))
            return result
        if isinstance(node, CommentedSeq):
            lines.setdefault(location, node.lc.line + 1)
            items = []
            for index, value in enumerate(node):
                lines[(*location, index)] = node.lc.item(index)[0] + 1
                items.append(plain(value, (*location, index)))
            return items
        for kind in (bool, int, float, str):  # ruamel's scalars subclass the builtins
            if isinstance(node, kind):
                return kind(node)
        return node

    return plain(yaml.load(content.decode("utf-8")), ()), lines
