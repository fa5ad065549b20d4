"""Reading BPMN safely: hardened XML parsing, the BPMN 2.0 schema, and SpiffWorkflow's parser.

This is the only module that parses BPMN text. Entity expansion, DTDs and network access are off, so
an entity bomb or an external entity is refused without being expanded.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.errors import DefinitionInvalid, DefinitionProblem

MAX_BPMN_BYTES = 2 * 1024 * 1024
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}


def _hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    import SpiffWorkflow.bpmn.parser as bpmn_parser_pkg

    xsd = os.path.join(os.path.dirname(bpmn_parser_pkg.__file__), "schema", "BPMN20.xsd")
    return etree.XMLSchema(etree.parse(xsd))


@dataclass
class ParsedDiagram:
    """A BPMN file that passed the schema and SpiffWorkflow's parser."""

    name: str
    text: str
    sha256: str
    tree: Any
    process_ids: list[str]
    parser: SpiffBpmnParser
    problems: list[DefinitionProblem] = field(default_factory=list)

    def spec(self, process_id: str) -> Any:
        return self.parser.get_spec(process_id)

    def subprocess_specs(self, process_id: str) -> dict[str, Any]:
        return self.parser.get_subprocess_specs(process_id)


def parse_xml(data: bytes, name: str) -> Any:
    """Parse BPMN bytes with the hardened parser; raise DefinitionInvalid on anything odd."""
    if len(data) > MAX_BPMN_BYTES:
        raise DefinitionInvalid([DefinitionProblem(name, None, f"file is larger than {MAX_BPMN_BYTES} bytes")])
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise DefinitionInvalid(
            [DefinitionProblem(name, 1, "DOCTYPE and ENTITY declarations are not allowed in BPMN files")]
        )
    try:
        return etree.fromstring(data, _hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise DefinitionInvalid([DefinitionProblem(name, exc.lineno, f"not well-formed XML: {exc.msg}")]) from exc


def parse(data: bytes | str, name: str) -> ParsedDiagram:
    """Parse and schema-validate one BPMN document; the result can build SpiffWorkflow specs."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    root = parse_xml(raw, name)
    if etree.QName(root).namespace != BPMN_NS or etree.QName(root).localname != "definitions":
        raise DefinitionInvalid([DefinitionProblem(name, root.sourceline, "the root element must be bpmn:definitions")])
    schema = _schema()
    if not schema.validate(root):
        problems = [
            DefinitionProblem(name, err.line, f"BPMN 2.0 schema: {err.message}") for err in schema.error_log
        ]
        raise DefinitionInvalid(problems[:50])
    clashes = _id_clashes(root)
    if clashes:
        raise DefinitionInvalid([DefinitionProblem(name, line, message) for line, message in clashes])
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_xml(root, filename=name)
        process_ids = parser.get_process_ids()
        for process_id in process_ids:
            parser.get_spec(process_id)
    except ValidationException as exc:
        line = getattr(exc, "line_number", None) or getattr(exc, "sourceline", None)
        element = getattr(exc, "id", None)
        raise DefinitionInvalid([DefinitionProblem(name, _int(line), str(exc).split("\n")[0], element)]) from exc
    except Exception as exc:  # SpiffWorkflow raises many kinds of errors on odd diagrams
        raise DefinitionInvalid([DefinitionProblem(name, None, f"cannot be executed: {exc}")]) from exc
    if not process_ids:
        raise DefinitionInvalid([DefinitionProblem(name, root.sourceline, "no executable bpmn:process")])
    return ParsedDiagram(
        name=name,
        text=raw.decode("utf-8"),
        sha256=hashlib.sha256(raw).hexdigest(),
        tree=root,
        process_ids=process_ids,
        parser=parser,
    )


def _id_clashes(root: Any) -> list[tuple[int, str]]:
    """SpiffWorkflow resolves flow targets by id across namespaces, so an extension element (e.g. a service-task
    operator) whose id equals a BPMN element's id breaks the diagram: refuse it with a clear message."""
    bpmn_ids: dict[str, int] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).namespace == BPMN_NS and el.get("id"):
            bpmn_ids.setdefault(el.get("id"), el.sourceline)
    clashes = []
    for el in root.iter():
        if not isinstance(el.tag, str) or etree.QName(el).namespace == BPMN_NS:
            continue
        ident = el.get("id")
        if ident in bpmn_ids and etree.QName(el).localname in ("serviceTaskOperator",):
            clashes.append((el.sourceline, f"the operation '{ident}' has the same name as the element on line "
                                           f"{bpmn_ids[ident]}; give the service task another id"))
    return clashes


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

