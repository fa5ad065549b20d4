"""Which BPMN elements implement each clause of chapters 2–3 and Appendix 3 of the Rules.

A clause no element cites is a gap; where the law is carried out outside the diagrams (forms, the
register, the calendar) or has nothing to execute, the reason says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from engine import legal_time
from engine.bpmn import loader
from engine.bpmn.elements import read_process

# clause -> (title, where it lives when no diagram element cites it)
CLAUSES: dict[str, tuple[str, str]] = {
    "R3": ("Licence subtypes I and II", "forms/application_issue (subtype) and the licence register"),
    "R4": ("Application through the portal with A1/A2 and A11", ""),
    "R5": ("Receipt notice with result date; after-hours rule", ""),
    "R6": ("Registration on the day of receipt", ""),
    "R7": ("Completeness check in 2 working days; motivated refusal", ""),
    "R8": ("Qualification check in 13 working days", ""),
    "R9": ("Licence / annex as an EDS-signed document to the cabinet", ""),
    "R10": ("Preliminary decision and hearing", ""),
    "R10.2": ("Hearing notice by 18:30 of working day 12 (3 working days before the end of A3.4's 15); hearing "
              "within 2 working days of the notice, at a lawful moment", ""),
    "R11": ("Reissue on the grounds of LPN arts. 33–34", ""),
    "R12": ("Reissue application through the portal (A9/A10)", ""),
    "R13": ("Reissue registration on the day of receipt", ""),
    "R14": ("Reissue completeness and its motivated refusal of further consideration in 1 working day", ""),
    "R15": ("Reissue review within 2 working days of registration", ""),
    "R16": ("Pool-change notice within 2 working days",
            "POST /api/v1/licences/{number}/pool-notices (engine/licensing/service.py): a notice, not a procedure"),
    "R17": ("Licence issued in Kazakh and Russian", ""),
    "R18": ("Stage data to the monitoring system", "every completed element writes a monitoring-feed event "
                                                   "(engine/runtime/step.py); no element needs to cite it"),
    "R18-1": ("Suspension for 1–6 months, restoration on a reported and confirmed remedy, deprivation also on "
              "its own ground (LDA.9, LPN.45)", ""),
    "R19": ("Complaint bodies", ""),
    "R20": ("Forwarding a complaint within 3 working days of the day it is received", ""),
    "R21": ("Complaint to the provider reviewed in 5 working days", ""),
    "R22": ("Complaint to the quality authority reviewed by that authority in 15 working days", ""),
    "R23": ("Court after the pre-trial complaint; the body's reasoned position, recorded when the claim arrives "
            "(the Rules set no term)", ""),
    "A3.1": ("Name of the service", "descriptive: shown on documents"),
    "A3.2": ("Service provider", "descriptive: shown on documents"),
    "A3.3": ("Ways of provision: the portal", "the portal API (CONTRACT.md §2)"),
    "A3.4": ("Terms: 15 working days issue; reissue '2 (үш)'", ""),
    "A3.5": ("Form of the service: electronic", "descriptive"),
    "A3.6": ("Result: licence, reissue or motivated refusal", ""),
    "A3.7": ("Licence fee", ""),
    "A3.7.1": ("Fee for subtype I: 2000 MCI", ""),
    "A3.7.2": ("Fee for subtype II: 5 MCI", ""),
    "A3.7.3": ("Reissue fee: 10 % of the issue rate", ""),
    "A3.8": ("Working schedule", "engine/legal_time (calendar, after-hours rule)"),
    "A3.8.1": ("Provider's schedule 09:00–18:30, lunch 13:00–14:30", "engine/legal_time"),
    "A3.8.2": ("Portal 24/7; after hours accepted the next working day", ""),
    "A3.9": ("Documents and gateway data", ""),
    "A3.9.1": ("Documents for a licence: A1/A2 and A11", ""),
    "A3.9.2": ("Documents for a reissue: A9/A10 and documents of the change", ""),
    "A3.9.3": ("Fee payment learned from the gateway", ""),
    "A3.10": ("Grounds for refusal", ""),
    **{f"A3.10.{i}": (title, "") for i, title in enumerate((
        "Activity banned by law for this category", "Licence fee not paid", "Qualification requirements not met",
        "Court decision banning the activity", "Bailiff's temporary ban", "Documents or data unreliable",
        "Applicant or materials not meeting normative acts", "No consent to access personal data"), start=1)},
    "A3.11": ("Other requirements (electronic form, status via portal)",
              "the personal-cabinet notices and GET /api/v1/applications/{id}"),
}

DEFECTS = [
    {"clause": "A3.4", "text": "The reissue term reads \"2 (үш)\": the digit says two, the word says three. R15 says "
                               "two working days; the system uses 2 and says so wherever the term is shown: the "
                               "R15 deadline's name, the applicant's receipt notice and receipt document "
                               "(engine/licensing/notices.py, REISSUE_TERM_NOTE)."},
]


def _matches(cited: str, clause: str) -> bool:
    """An element citing R10.2 serves R10; one citing A3.10 (all grounds) serves each A3.10.n."""
    return cited == clause or cited.startswith(clause + ".") or (cited == "A3.10" and clause.startswith("A3.10."))


def coverage_report(processes_dir: Path) -> dict[str, Any]:
    elements: list[dict[str, str]] = []
    for path in sorted(processes_dir.glob("*/*.bpmn")):
        tree = loader.parse_xml(path.read_bytes(), path.name)
        for process in tree.findall("bpmn:process", loader.NS):
            info = read_process(tree, process.get("id"))
            for el in info.elements.values():
                for cited in re.split(r"\s*,\s*", el.clause):
                    if cited:
                        elements.append({"process": info.id, "element": el.id, "name": el.name, "clause": cited})
    rows = []
    for clause, (title, outside) in CLAUSES.items():
        hits = [e for e in elements if _matches(e["clause"], clause)]
        seen: set[tuple[str, str]] = set()
        unique = []
        for e in hits:
            if (e["process"], e["element"]) not in seen:
                seen.add((e["process"], e["element"]))
                unique.append({"process": e["process"], "element": e["element"], "name": e["name"],
                               "cites": e["clause"]})
        gap = "" if unique else (outside or "no diagram element cites it yet")
        terms = [{"days": t.days, "unit": t.unit, "counted_from": t.counted_from, "source": t.source}
                 for t in legal_time.effective_terms() if t.clause == clause]
        rows.append({"clause": clause, "title": title, "elements": unique, "gap": gap, "terms": terms,
                     "outside_diagrams": bool(outside) and not unique})
    return {"clauses": rows, "defects": DEFECTS,
            "gaps": [r["clause"] for r in rows if not r["elements"] and not r["outside_diagrams"]]}
