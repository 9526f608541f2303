"""XML read safely, each element with its line: for workout files written elsewhere.

The parser is expat, used directly, so that every element keeps its line and
so that it can be told to refuse what XML allows but a workout never needs: a
DOCTYPE, entity declarations and external entities. Those are how a file makes
a parser read other files (``SYSTEM "file:///etc/passwd"``) or fill the memory
("billion laughs"); a file with one is refused at its line, and nothing outside
the bytes given is ever read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn
from xml.parsers import expat

from retro_tui.tomltext import FileProblem, FileProblemError


@dataclass
class Element:
    """One XML element with its line, its attributes, its children and its text."""

    tag: str
    attributes: dict[str, str]
    """Attribute names lower-cased: Zwift's own files write both ``pace`` and ``Pace``."""
    line: int
    spelling: dict[str, str] = field(default_factory=dict)
    """Each lower-cased attribute name as the file wrote it, for messages."""
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.tag.lower()

    @property
    def text(self) -> str:
        return "".join(self.text_parts).strip()

    def child(self, name: str) -> Element | None:
        return next((child for child in self.children if child.name == name), None)

    def spelt(self, key: str) -> str:
        return self.spelling.get(key, key)


class _Refused(Exception):
    """XML that a workout never needs, with its line: ``(line, what)``."""


def parse_xml(data: bytes, label: str, *, kind: str) -> Element:
    """The document's root element; :class:`FileProblemError` for XML that is broken or unsafe.

    Nothing outside ``data`` is ever read: a DOCTYPE (where entities are declared)
    is refused before its first declaration, parameter entities are never
    parsed, and an external entity reference is refused rather than resolved.
    ``kind`` names what the file should have been ("Zwift workout"), for the message.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    roots: list[Element] = []

    def refuse(what: str) -> NoReturn:
        raise _Refused(parser.CurrentLineNumber, what)

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = Element(tag, {}, parser.CurrentLineNumber)
        for key, value in attributes.items():
            if key.lower() not in element.attributes:
                element.attributes[key.lower()] = value
                element.spelling[key.lower()] = key
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def characters(text: str) -> None:
        if stack:
            stack[-1].text_parts.append(text)

    parser.StartDoctypeDeclHandler = lambda *_: refuse("a DOCTYPE")
    parser.EntityDeclHandler = lambda *_: refuse("an entity declaration")
    parser.UnparsedEntityDeclHandler = lambda *_: refuse("an entity declaration")
    parser.NotationDeclHandler = lambda *_: refuse("a notation declaration")
    parser.ExternalEntityRefHandler = lambda *_: refuse("an external entity")
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        line, what = refused.args
        message = (
            f"{what} is not allowed in a workout file: XML's entities can make a "
            "reader open other files or fill the memory, and no workout needs them"
        )
        raise FileProblemError([FileProblem(label, line, "", message)]) from None
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code) if error.code is not None else str(error)
        message = f"not a {kind}: the XML is broken at column {error.offset + 1} ({reason})"
        raise FileProblemError([FileProblem(label, error.lineno, "", message)]) from None
    return roots[0]
