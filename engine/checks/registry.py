"""Is the applicant registered as submitted? (A3.9, gateway item 2: registration of the legal entity or
entrepreneur; the finding's clause is "A3.9" because "A3.9.2" names the reissue documents elsewhere.)

Grounds the finding suggests (the officer decides):

* not registered → ``A3.10.7``: only a legal entity or an individual entrepreneur registered in Kazakhstan
  may apply (R2.4); an unregistered applicant does not meet the requirements of normative legal acts.
  A3.10.6 (unreliable data) would blame the documents, whereas the defect is the applicant's status.
* registered, but the name or the kind (legal entity vs entrepreneur) differs from what was submitted →
  ``A3.10.6``: the data the applicant gave are found unreliable against the state registry.

No record from the gateway (``None``) means "registered, as submitted" (the simulated gateway's default).
Names are compared after normalisation: case, quotes, punctuation, whitespace and legal-form words
(ТОО/ЖШС/LLP, АО/АҚ/JSC, ИП/ЖК, …) do not count as a difference.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from engine.gateway import RegistryRecord

from .common import texts

GROUND_NOT_REGISTERED = "A3.10.7"
GROUND_MISMATCH = "A3.10.6"

# Longest first, so a full form is removed before its abbreviation could split it.
_LEGAL_FORMS = sorted([
    "товарищество с ограниченной ответственностью", "жауапкершілігі шектеулі серіктестік",
    "limited liability partnership", "limited liability company", "акционерное общество",
    "акционерлік қоғам", "joint stock company", "joint-stock company", "индивидуальный предприниматель",
    "дара кәсіпкер", "жеке кәсіпкер", "individual entrepreneur", "частная компания", "жеке компания",
    "private company", "тоо", "жшс", "llp", "llc", "ао", "ақ", "jsc", "ип", "жк", "чк", "ltd",
    "inc", "corp", "ооо",
], key=len, reverse=True)
_QUOTES = "\"'«»„“”‘’‚`´"
_KIND_NAMES = {
    "legal_entity": ("заңды тұлға", "юридическое лицо", "legal entity"),
    "entrepreneur": ("дара кәсіпкер", "индивидуальный предприниматель", "individual entrepreneur"),
}


def normalize_name(name: str) -> str:
    """A registered name reduced to what identifies it: no case, quotes, punctuation or legal-form words."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(" " if ch in _QUOTES else ch for ch in text)
    text = re.sub(r"[.,;:()\[\]\-–—/\\]+", " ", text)
    text = " " + re.sub(r"\s+", " ", text).strip() + " "
    previous = None
    while previous != text:
        previous = text
        for form in _LEGAL_FORMS:
            text = text.replace(f" {form} ", " ")
    return re.sub(r"\s+", " ", text).strip()


def check_business_registry(*, applicant: dict[str, Any], record: RegistryRecord | None) -> dict[str, Any]:
    """Compare the applicant block with the gateway's registration record; the officer decides."""
    submitted = {"name": applicant.get("name"), "kind": applicant.get("kind"),
                 "bin_iin": applicant.get("bin_iin")}
    result: dict[str, Any] = {
        "clause": "A3.9", "source": "default" if record is None else "gateway",
        "registered": True, "name_matches": True, "kind_matches": True,
        "submitted": submitted, "record": record.as_dict() if record is not None else None,
        "ground": None, "grounds": [],
    }
    if record is None:
        result.update(texts(
            "Тіркеу туралы мәліметтер өтініште көрсетілгендей (шлюзде айырмашылық жоқ).",
            "Сведения о регистрации — как указано в заявлении (шлюз расхождений не показал).",
            "Registration as submitted (the gateway shows no difference)."))
        return result
    if not record.registered:
        result.update(registered=False, name_matches=None, kind_matches=None, ground=GROUND_NOT_REGISTERED,
                      grounds=[GROUND_NOT_REGISTERED])
        number = submitted["bin_iin"]
        result.update(texts(
            f"{number} БСН/ЖСН бойынша заңды тұлға немесе дара кәсіпкер тіркелмеген — "
            f"бас тарту негізі A3.10.7.",
            f"По БИН/ИИН {number} юридическое лицо или ИП не зарегистрированы — "
            f"основание для отказа A3.10.7.",
            f"No legal entity or entrepreneur is registered under BIN/IIN {number} — "
            f"refusal ground A3.10.7."))
        return result
    submitted_name = normalize_name(str(submitted["name"] or ""))
    name_ok = bool(record.name) and normalize_name(record.name or "") == submitted_name
    kind_ok = record.kind is None or record.kind == submitted["kind"]
    result.update(name_matches=name_ok, kind_matches=kind_ok)
    if name_ok and kind_ok:
        result.update(texts(
            f"Тіркелген: «{record.name}» — өтініштегі деректермен сәйкес.",
            f"Зарегистрирован: «{record.name}» — совпадает с заявлением.",
            f"Registered: \"{record.name}\" — matches the application."))
        return result
    result.update(ground=GROUND_MISMATCH, grounds=[GROUND_MISMATCH])
    kk, ru, en = [], [], []
    if not name_ok:
        kk.append(f"атауы тізілімде «{record.name}», өтініште «{submitted['name']}»")
        ru.append(f"наименование в реестре «{record.name}», в заявлении «{submitted['name']}»")
        en.append(f"name in the registry \"{record.name}\", in the application \"{submitted['name']}\"")
    if not kind_ok:
        registered_kind = _KIND_NAMES.get(str(record.kind), (str(record.kind),) * 3)
        submitted_kind = _KIND_NAMES.get(str(submitted["kind"]), (str(submitted["kind"]),) * 3)
        kk.append(f"тізілімде {registered_kind[0]}, өтініште {submitted_kind[0]}")
        ru.append(f"в реестре {registered_kind[1]}, в заявлении {submitted_kind[1]}")
        en.append(f"registered as {registered_kind[2]}, applied as {submitted_kind[2]}")
    result.update(texts(
        "Тіркеу деректері сәйкес келмейді: " + "; ".join(kk) + " — бас тарту негізі A3.10.6.",
        "Сведения о регистрации расходятся: " + "; ".join(ru) + " — основание для отказа A3.10.6.",
        "Registration data differ: " + "; ".join(en) + " — refusal ground A3.10.6."))
    return result
