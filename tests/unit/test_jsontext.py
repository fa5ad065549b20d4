"""The engine's JSON text (engine/store/jsontext.py) holds and reads back the values the standard library would,
written by orjson where it writes the same."""

from __future__ import annotations

import json
import math
from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from engine.store import jsontext

ALMATY = timezone(timedelta(hours=5))


@pytest.mark.parametrize("value", [
    {"name": "ТОО «Digital Mining KZ»", "quote": "\"\\/\n\t\u2028", "n": 1, "x": 0.1, "big": 2**70, "none": None},
    {"deep": [[{"a": [1, 2.5e-7, True, False]}]], "empty": {}, "list": []},
    {"lone": "\ud800 surrogate"},
    {1: "an int key", "2": "a str key"},
])
def test_json_holds_what_the_standard_library_would_write_and_reads_back_the_same(value):
    text = jsontext.dumps(value)
    standard = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    assert json.loads(text) == json.loads(standard)  # the same values (orjson writes 2.5e-7 for 2.5e-07)
    assert jsontext.loads(text) == json.loads(standard)
    assert jsontext.loads(standard) == json.loads(standard)


def test_what_json_cannot_hold_is_refused_or_written_as_null_as_before():
    with pytest.raises(TypeError):
        jsontext.dumps({"at": datetime(2025, 3, 20, tzinfo=UTC)})  # as json.dumps refuses it
    assert jsontext.dumps({"x": math.nan}) == '{"x":null}'
    assert math.isnan(jsontext.loads('{"x":NaN}')["x"])  # a state written by an earlier release reads back


@dataclass
class Fee:
    amount: int


Point = namedtuple("Point", "x y")


def test_normalized_data_is_what_a_round_trip_through_the_standard_library_gives():
    value = {
        "at": datetime(2025, 6, 5, 10, 0, tzinfo=ALMATY),
        "on": date(2025, 6, 27),
        "amount": Decimal("7864000.50"),
        "id": UUID("b0cba37b-0a76-4fb8-b252-84ce3050e0a7"),
        "pair": (1, "two"),
        "point": Point(3, 4),
        "fee": Fee(2000),
        "tags": {"single"},
        7: "an int key",
        "nan": math.nan,
        "text": "Қазақстан «кавычки»\n",
    }
    assert jsontext.normalized(value) == {
        "at": "2025-06-05 10:00:00+05:00",
        "on": "2025-06-27",
        "amount": "7864000.50",
        "id": "b0cba37b-0a76-4fb8-b252-84ce3050e0a7",
        "pair": [1, "two"],
        "point": [3, 4],
        "fee": "Fee(amount=2000)",
        "tags": "{'single'}",
        "7": "an int key",
        "nan": None,  # JSON has no NaN: a stored event holds null
        "text": "Қазақстан «кавычки»\n",
    }


def test_a_number_orjson_cannot_write_is_normalized_by_the_standard_library_the_same_way():
    value = {"big": 2**70, "nan": math.inf, "at": datetime(2025, 6, 5, 10, 0, tzinfo=ALMATY)}
    assert jsontext.normalized(value) == {"big": 2**70, "nan": None, "at": "2025-06-05 10:00:00+05:00"}


@pytest.mark.parametrize("number", [2**70 + 1, 2**64 - 1, 2**63, -(2**63) - 1, 12345678901234567890123])
def test_an_integer_beyond_64_bits_reads_back_exact_not_as_a_float(number):
    text = f'{{"amount": {number}, "note": "as an applicant may type it"}}'
    for given in (text, text.encode(), memoryview(text.encode())):
        read = jsontext.loads(given)
        assert read == {"amount": number, "note": "as an applicant may type it"}
        assert isinstance(read["amount"], int)
    assert jsontext.loads(jsontext.dumps({"amount": number})) == {"amount": number}
    assert jsontext.normalized({"amount": number}) == {"amount": number}


def test_a_long_run_of_digits_inside_a_string_reads_back_as_the_string_it_is():
    text = '{"iban": "KZ12345678901234567890", "n": 1.5}'
    assert jsontext.loads(text) == {"iban": "KZ12345678901234567890", "n": 1.5}
