"""Error messages in the caller's language (CONTRACT.md §2: ``Accept-Language``, kk by default).

The engine and the forms package speak English and know nothing of the web; their messages are the msgids of
the catalogs in web/translations. A message with variable parts (``unknown licence 'L-1'``) is matched against
the msgids below that have ``%(name)s`` placeholders; the parts are put back into the translation, themselves
translated when they are messages too (``must be %(what)s`` holds a format's description). A message no msgid
matches is answered as it is, in English.
"""

from __future__ import annotations

import re
from functools import cache

from flask import current_app, has_app_context
from flask_babel import get_locale, gettext

from web.ui.i18n import N_

# Messages with variable parts; exact messages need no entry here but their own N_() where they are written
# (or in EXACT below when they come from the engine or the forms package).
PATTERNS = (
    # composed by forms/validation.py from the JSON Schema keyword that failed
    N_("%(message)s when %(condition)s"),
    N_("%(name)s is required"),
    N_("%(name)s is not an allowed field"),
    N_("%(name)s is not allowed"),
    N_("must be one of: %(values)s"),
    N_("must be at least %(count)s characters long"),
    N_("must be at most %(count)s characters long"),
    N_("must contain at least %(count)s items"),
    N_("must contain at most %(count)s items"),
    N_("must be at least %(value)s"),
    N_("must be at most %(value)s"),
    N_("must be more than %(value)s"),
    N_("must be less than %(value)s"),
    N_("must be %(what)s"),
    N_("the data cannot be validated: %(reason)s"),
    N_("an ISO-8601 moment with offset between the years %(first)s and %(last)s, e.g. %(example)s"),
    # the API's input layer (web/api/__init__.py)
    N_("the body is nested deeper than %(levels)s levels"),
    N_("nested deeper than %(levels)s levels"),
    N_("the body is not valid JSON: %(detail)s"),
    N_("the body holds more than %(count)s values"),
    N_("the field name %(problem)s"),
    N_("is longer than %(count)s characters"),
    N_("needs a time zone offset: %(what)s"),
    N_("lies outside the years the system handles: %(what)s"),
    N_("must be between %(minimum)s and %(maximum)s"),
    N_("the body is larger than %(size)s"),
    N_("JSON bodies are UTF-8 only, not %(charset)s"),
    N_("the body is not valid UTF-8 (byte %(position)s)"),
    N_("sort by one of %(values)s (prefix '-' for descending)"),
    N_("one of: %(values)s"),
    N_("this needs one of the roles: %(roles)s"),
    N_("the process could not continue, nothing was changed: %(reason)s"),
    # the engine's answers
    N_("unknown licence '%(number)s'"),
    N_("licence %(number)s does not exist"),
    N_("task %(task)s does not exist"),
    N_("process instance %(instance)s does not exist"),
    N_("application %(application)s does not exist"),
    N_("unknown application '%(application)s'"),
    N_("incident %(incident)s does not exist"),
    N_("incident %(incident)s is already resolved"),
    N_("delivery %(delivery)s does not exist"),
    N_("no act has the number %(number)s"),
    N_("user '%(user)s' does not exist"),
    N_("unknown user '%(user)s'"),
    N_("'%(user)s' does not hold the role '%(role)s' of this task"),
    N_("task %(task)s is no longer open (it is %(status)s)"),
    N_("task %(task)s is no longer open"),
    N_("task is claimed by %(user)s"),
    N_("task is already claimed by %(user)s"),
    N_("task '%(task)s' is claimed by %(user)s"),
    N_("task '%(task)s' belongs to the role '%(role)s'"),
    N_("the process instance is %(status)s"),
    N_("process '%(process)s' is not deployed"),
    N_("process '%(process)s' has no version %(version)s"),
    N_("unknown file id '%(file)s': upload it with POST /api/v1/files"),
    N_("the file is larger than %(size)s MB"),
    N_("this account acts for the applicant %(applicant)s only"),
    N_("licence %(number)s is subtype %(subtype)s"),
    N_("licence %(number)s has no annex %(annex)s"),
    N_("name one of the licence's annexes (%(annexes)s)"),
    N_("the hearing moment %(moment)s is outside the lawful window: it must be %(window)s"),
    N_("'%(value)s' is not an ISO-8601 moment"),
    N_("unknown role(s): %(roles)s"),
    N_("the position's text is required (at most %(count)s characters)"),
    N_("must be a Kazakhstan phone number: %(hint)s"),
    N_("the 7th digit of an IIN (century of birth and sex) must be 1 to 6, not %(digit)s"),
    N_("the birth date the IIN encodes (%(date)s) is in the future"),
    N_("%(grounds)s were not put to the applicant in the preliminary decision (%(put)s): a refusal after the "
       "hearing rests only on grounds the applicant could answer (R10)"),
    N_("the automatic checks found %(grounds)s: decide 'grounds_found', or disprove each finding with a recorded "
       "justification"),
    N_("a suspension lasts at most six months (LDA.9): the deadline may not pass %(moment)s"),
    N_("a term of 1 to %(count)s working days"),
    N_("%(clause)s already has %(days)s %(unit)s from that source"),
    N_("no legal term is bound to clause %(clause)s"),
    N_("clause %(clause)s has no term counted from %(event)s"),
    N_("clause %(clause)s has several terms: name the start_event, one of %(choices)s"),
    N_("no proposed change of the terms %(proposal)s"),
    N_("the change was already %(status)s"),
    N_("grounds %(grounds)s apply to subtype I licences only (licence %(number)s is subtype %(subtype)s)"),
    N_("licence %(number)s is %(status)s: an annex is added only to an active licence"),
    N_("licence %(number)s is %(status)s: it cannot be suspended"),
    N_("licence %(number)s was not yet issued at %(moment)s"),
    N_("delivery %(delivery)s is %(status)s, not dead"),
    N_("process definition %(definition)s does not exist"),
    N_("the change conflicts with stored data: %(detail)s"),
    N_("the complaint is not awaiting a court claim: %(detail)s"),
    N_("the process is not waiting for the message '%(message)s'"),
    N_("unknown registry '%(registry)s'; known: %(known)s"),
    N_("user '%(user)s' exists"),
    N_("the automatic checks found %(grounds)s: decide grounds_found, "
       "or disprove each finding with a recorded justification"),
    # the analysts' diagram validation (engine/bpmn/loader.py, rules.py; engine/legal_time/terms.py)
    N_('file is larger than %(size)s bytes'),
    N_('not well-formed XML: %(detail)s'),
    N_('BPMN 2.0 schema: %(detail)s'),
    N_('cannot be executed: %(detail)s'),
    N_('%(what)s is not a valid expression: %(detail)s in %(source)s'),
    N_('%(what)s is not allowed: %(detail)s'),
    N_("%(what)s uses unknown name(s) %(names)s in %(source)s; "
       "known: process inputs, service results, form keys, completed_at"),
    N_('%(what)s runs away on sample data: %(detail)s'),
    N_("extension property '%(property)s' is given more than once"),
    N_("%(kind)s '%(name)s' has no clause reference (extension property 'clause')"),
    N_('clause reference %(clauses)s is not of the form R7, R10.2, A3.10.2, LPN.45'),
    N_("user task '%(name)s' names no form (extension property 'form')"),
    N_("user task '%(name)s' names form '%(form)s', which is not in forms/"),
    N_("user task '%(name)s' is not in a lane named after a role (%(roles)s)"),
    N_("service task '%(name)s' names no operation (spiffworkflow:serviceTaskOperator)"),
    N_("service task '%(name)s' names operation '%(operation)s', which is not registered"),
    N_('script is not valid Python: %(detail)s (script line %(line)s)'),
    N_('script is not allowed: %(detail)s'),
    N_('script runs away on sample data: %(detail)s'),
    N_("timer '%(name)s' has an empty %(kind)s expression"),
    N_("timer '%(name)s' uses %(kind)s; legal terms are timeDate expressions in working days"),
    N_('timer expression %(source)s does not evaluate to a moment on sample data: %(detail)s'),
    N_('timer expression %(source)s gives a moment without a time zone offset'),
    N_("the timer's label %(label)s says %(days)s working days for %(clause)s, "
       "but the terms table (engine/legal_time/terms.py) says %(allowed)s"),
    N_("the timer counts %(days)s working days for %(clause)s, "
       "but the terms table (engine/legal_time/terms.py) says %(allowed)s"),
    N_("parameter '%(name)s'"),
)

# The condition after "when" in a schema message (forms/validation.py), translated only there.
CONDITIONS = (
    N_("%(name)s is %(value)s"),
    N_("%(name)s is not %(value)s"),
    N_("%(name)s is neither %(values)s"),
    N_("%(name)s include %(value)s"),
    N_("%(name)s do not include %(value)s"),
)

# Exact messages written in the engine and the forms package (engine and forms know nothing of gettext).
EXACT = (
    # forms/validation.py and forms/formats.py
    N_("text"), N_("a whole number"), N_("a number"), N_("true or false"), N_("a list"), N_("an object"),
    N_("must not be empty"), N_("must contain at least one item"), N_("must contain at most one item"),
    N_("must not contain the same item twice"), N_("does not have the expected format"),
    N_("an ISO-8601 date and time with offset, e.g. 2025-03-20T10:00:00+05:00"),
    N_("an ISO-8601 date, e.g. 2025-03-20"), N_("an email address"),
    # the analysts' diagram validation
    N_('DOCTYPE and ENTITY declarations are not allowed in BPMN files'),
    N_('the root element must be bpmn:definitions'),
    N_('no executable bpmn:process'),
    N_('condition'),
    N_('timer expression'),
    # the forms' own x-errors
    N_("a finding is disproved only with a recorded justification (at least 10 characters)"),
    N_("a subtype II application names exactly one data centre: the one hosting the applicant's hardware (A2)"),
    N_("a suspension lasts one to six months (LDA.9)"),
    N_("at least one data centre is required"),
    N_("at least one ground for reissue is required"),
    N_("must be 12 digits as text"),
    N_("must be a file id returned by POST /api/v1/files"),
    N_("must be exactly 12 digits"),
    N_("must not be blank"),
    N_("power_source is not part of a subtype II application (A2)"),
    N_("the application must be a JSON object"),
    N_("procedure is required: issue or reissue"),
    N_("is not a valid IIN/BIN: no check digit exists for its first 11 digits"),
    N_("is not a valid IIN/BIN: the check digit (12th digit) does not match the first 11 digits"),
    # the API's input layer
    N_("a JSON body is required"),
    N_("must be a finite number"),
    N_("must be a whole number"),
    N_("must not contain a NUL character (U+0000)"),
    N_("must not contain a lone surrogate (U+D800..U+DFFF): it is not valid Unicode text"),
    N_("send the body as JSON with Content-Type: application/json"),
    N_("JSON bodies are UTF-8 only, without a byte-order mark (not UTF-16 or UTF-32)"),
    N_("must be true or false"),
    N_("must be csv or json"),
    N_("must be all, mine or queue"),
    N_("a multipart field named 'file' is required"),
    N_("the BPMN XML is the request body"),
    N_("is required"),
    N_("authentication required: send 'Authorization: Bearer <token>'"),
    N_("sign these acts with NCALayer (signXml) and send them again in signed_xml, with signed_at"),
    # web/errors.py and the database
    N_("a value is not acceptable (out of range, too long or not text); check the input"),
    N_("the change conflicts with stored data; reload and retry"),
    N_("the database is not reachable; try again"),
    N_("the database is not reachable"),
    N_("internal error; it has been logged"),
    N_("The requested URL was not found on the server. If you entered the URL manually please check your "
       "spelling and try again."),
    N_("The method is not allowed for the requested URL."),
    # the engine
    N_("the body must be a JSON object"),
    N_("must be an object"),
    N_("is required to start this process"),
    N_("unknown user name or wrong password"),
    N_("too many failed sign-ins from this address: try again later"),
    N_("must have at least 10 characters"),
    N_("the reason is required"),
    N_("at most 2000 characters"),
    N_("the moment needs a time zone offset"),
    N_("an ISO-8601 moment with offset is required"),
    N_("not an ISO-8601 moment"),
    N_("the file is empty"),
    N_("only PDF, PNG and JPEG files are accepted (checked by content)"),
    N_("the Idempotency-Key header is required (at most 200 characters)"),
    N_("this Idempotency-Key was used with a different body"),
    N_("the applicant is not the holder of this licence"),
    N_("the pool's name is required"),
    N_("the change cannot be in the future"),
    N_("must be provider or quality_authority"),
    N_("the complaint's text is required (at most 20 000 characters)"),
    N_("name exactly one of application_id or licence_number"),
    N_("the court is required"),
    N_("a BIN/IIN has 12 digits"),
    N_("must be licensor or court"),
    N_("must be licence or annex"),
    N_("must be text"),
    N_("months is required"),
    N_("describe how the violation was remedied"),
    N_("a list of file ids from POST /api/v1/files"),
    N_("the signer's certificate (PEM, from NCALayer) is required"),
    N_("not a PEM certificate"),
    N_("task is no longer open"),
    N_("the task was claimed by someone else at the same moment"),
    N_("only the head of the unit assigns tasks to colleagues"),
    N_("the instance is busy with another change; retry in a moment"),
    N_("someone else changed this process instance at the same time; reload and retry"),
    N_("the database is busy with a conflicting change; retry"),
    N_("the clock is not simulated"),
    N_("the clock is not simulated (start with --clock simulated)"),
    N_("the simulated clock only moves forward once process instances exist"),
    N_("this incident is being retried right now; reload in a moment"),
    N_("a change of the legal terms needs a second person: the proposer cannot approve it"),
    N_("no hearing is pending for this application: a position is stated after the preliminary decision and "
       "before the hearing is held (R10)"),
    N_("reorganization applies to legal entities only (A9, A10 item 2): the applicant is an individual entrepreneur"),
    N_("the licence is restored only after the holder reports the violation remedied and the officer confirms it "
       "(LPN.45): no remedy was reported"),
    N_("the moment is outside the years the system handles (2023–2100)"),
    N_("the simulated clock accepts moments from 2023 to 2100 only"),
    N_("a list of {template, lang, xml} signed by NCALayer"),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _compiled(msgids: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    """Each pattern msgid as a regular expression, those with the most fixed text first."""
    out = []
    for msgid in msgids:
        parts = _PLACEHOLDER.split(msgid)  # text, name, text, name, …, text
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        fixed = sum(len(part) for part in parts[::2])
        out.append((fixed, re.compile(f"^{regex}$", re.DOTALL), msgid))
    out.sort(key=lambda item: -item[0])
    return [(regex, msgid) for _, regex, msgid in out]


def translate(message: str) -> str:
    """``message`` in the request's language (English stays as it is)."""
    if not message or not has_app_context() or "babel" not in current_app.extensions or str(get_locale()) == "en":
        return message
    return _translate(message, PATTERNS, 0)


def _translate(message: str, patterns: tuple[str, ...], depth: int) -> str:
    found = gettext(message)
    if found != message or depth > 3:
        return found
    for regex, msgid in _compiled(patterns):
        match = regex.match(message)
        if match:
            translated = gettext(msgid)
            if translated == msgid:  # this pattern has no translation: the message as it came
                return message
            parts = {name: _translate(value, CONDITIONS if name == "condition" else PATTERNS, depth + 1)
                     for name, value in match.groupdict().items()}
            return translated % parts
    return message
