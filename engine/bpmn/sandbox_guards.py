"""The run-time half of the diagram sandbox: budgets, guarded operations and the allowed builtins.

Code compiled by ``sandbox_policy`` calls these guards instead of touching objects directly: every
attribute, subscript, iteration, size-producing operator and loop tick passes through here. Each
evaluation runs on a ``Budget`` (time, steps and size) held in a context variable, so a runaway
expression stops with ``Exhausted`` — a ``BaseException`` diagram code cannot catch — within about a
second, whatever it tried.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from functools import partial, wraps
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

TIME_BUDGET_S = 1.0
STEP_BUDGET = 2_000_000
SIZE_BUDGET = 500_000  # items or characters one evaluation may produce, or walk in one value
RANGE_LIMIT = 100_000
INT_BITS_LIMIT = 10_000
ROUND_DIGITS_LIMIT = 100
TRUSTED_GRACE_S = 0.5  # time spent inside engine functions (a cold calendar cache) not charged, at most

SCALARS = (type(None), bool, int, float, str, Decimal, datetime, date, time_of_day, timedelta)
_SCALAR_TYPES = frozenset(SCALARS)
_LEAVES = frozenset({type(None), bool, int, float})
_SEQUENCES = frozenset({list, tuple, set, frozenset})


class UnsafeExpression(ValueError):
    """The expression uses something the sandbox does not allow."""


class Exhausted(BaseException):  # noqa: N818 - a BaseException on purpose: `except Exception` cannot swallow it
    """An evaluation went over its time or size budget."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind} budget: {detail}")
        self.kind = kind
        self.detail = detail


class Budget:
    """What one evaluation may still spend: a wall-clock deadline, steps and produced items."""

    __slots__ = ("deadline", "grace", "size", "steps")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + TIME_BUDGET_S
        self.grace = TRUSTED_GRACE_S
        self.steps = 0
        self.size = 0

    def excuse(self, seconds: float) -> None:
        """Move the deadline for time spent in engine code, up to the grace left."""
        excused = min(seconds, self.grace)
        self.grace -= excused
        self.deadline += excused

    def tick(self, steps: int = 1) -> None:
        self.steps += steps
        if self.steps > STEP_BUDGET:
            raise Exhausted("time", f"more than {STEP_BUDGET} steps")
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise Exhausted("time", f"ran longer than {TIME_BUDGET_S:g} s")

    def charge(self, items: int, what: str) -> None:
        self.size += max(items, 0)
        if self.size > SIZE_BUDGET:
            raise Exhausted("size", f"{what} would take the evaluation over {SIZE_BUDGET} items")


_budget: ContextVar[Budget | None] = ContextVar("sandbox_budget", default=None)


def current() -> Budget:
    budget = _budget.get()
    if budget is None:
        raise RuntimeError("sandboxed code runs only inside sandbox.evaluate/execute")
    return budget


def trusted(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an engine function diagram code may call: its own running time is not charged, up to a grace."""

    @wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        budget = _budget.get()
        started = time.monotonic()
        try:
            return function(*args, **kwargs)
        finally:
            if budget is not None:
                budget.excuse(time.monotonic() - started)

    return call


def start() -> Any:
    return _budget.set(Budget())


def stop(token: Any) -> None:
    _budget.reset(token)


# -- sizes -------------------------------------------------------------------------------------------------

def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0


def _walk(value: Any, what: str, *, data_only: bool = False) -> int:
    """Items and characters in ``value``, counting shared parts each time they appear; stops at the budget."""
    budget = current()
    total = 0
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        total += 1
        cls = type(item)
        if cls in _LEAVES:
            pass
        elif cls is str:
            total += len(item)
        elif cls is dict or (cls not in _SEQUENCES and isinstance(item, dict)):
            push(item.keys())
            push(item.values())
        elif cls in _SEQUENCES or isinstance(item, (list, tuple, set, frozenset)):
            push(item)
        elif isinstance(item, str):
            total += len(item)
        elif data_only and not isinstance(item, SCALARS):
            raise UnsafeExpression(f"{what} holds a {cls.__name__}, which is not data")
        if total > SIZE_BUDGET or len(stack) > SIZE_BUDGET:
            raise Exhausted("size", f"{what} of more than {SIZE_BUDGET} items")
        if not total & 0xFFF:
            budget.check_time()
    budget.tick(total)
    return total


def weight(value: Any) -> int:
    """Items and characters in ``value``, counting shared parts each time they appear; bounded."""
    if type(value) in _SCALAR_TYPES:
        return 1 + len(value) if isinstance(value, str) else 1
    return _walk(value, "a value")


def check_data(value: Any, what: str) -> None:
    """A value leaving the sandbox must be plain data of a bounded size."""
    _walk(value, what, data_only=True)


# -- operators ---------------------------------------------------------------------------------------------

def _int_bits(value: Any) -> int:
    return abs(int(value)).bit_length() if isinstance(value, int) else 0


def _check_add(a: Any, b: Any) -> None:
    if isinstance(a, (str, list, tuple)) and isinstance(b, (str, list, tuple)):
        current().charge(len(a) + len(b), "joining two sequences")


def _check_mult(a: Any, b: Any) -> None:
    if isinstance(a, int) and not isinstance(b, int):
        a, b = b, a
    if isinstance(a, (str, list, tuple)) and isinstance(b, int):
        unit = len(a) if isinstance(a, str) else weight(a)
        current().charge(unit * max(b, 0), "repeating a sequence")
    elif isinstance(a, int) and isinstance(b, int) and _int_bits(a) + _int_bits(b) > INT_BITS_LIMIT:
        raise Exhausted("size", f"a product of more than {INT_BITS_LIMIT} bits")


def _check_pow(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1 and b * _int_bits(a) > INT_BITS_LIMIT:
        raise Exhausted("size", f"a power of more than {INT_BITS_LIMIT} bits")


def _check_lshift(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int) and a and _int_bits(a) + b > INT_BITS_LIMIT:
        raise Exhausted("size", f"a shift to more than {INT_BITS_LIMIT} bits")


def _check_mod(a: Any, b: Any) -> None:
    if isinstance(a, (str, bytes)):
        raise UnsafeExpression("'%' formatting of text is not allowed; use an f-string")


def _check_union(a: Any, b: Any) -> None:
    if isinstance(a, (dict, set, frozenset)) and isinstance(b, (dict, set, frozenset)):
        current().charge(len(a) + len(b), "a union")


_OPERATORS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any], Callable[[Any, Any], None]]] = {
    # name: (operator, in-place operator, check before computing)
    "add": (operator.add, operator.iadd, _check_add),
    "mult": (operator.mul, operator.imul, _check_mult),
    "pow": (operator.pow, operator.ipow, _check_pow),
    "lshift": (operator.lshift, operator.ilshift, _check_lshift),
    "mod": (operator.mod, operator.imod, _check_mod),
    "bitor": (operator.or_, operator.ior, _check_union),
}
_INPLACE_NAMES = {"+=": "add", "*=": "mult", "**=": "pow", "<<=": "lshift", "%=": "mod", "|=": "bitor"}
_INPLACE_PLAIN = {"-=": operator.isub, "/=": operator.itruediv, "//=": operator.ifloordiv, ">>=": operator.irshift,
                  "&=": operator.iand, "^=": operator.ixor}


def binop(name: str, a: Any, b: Any) -> Any:
    compute, _, check = _OPERATORS[name]
    check(a, b)
    return compute(a, b)


def inplacevar(op: str, a: Any, b: Any) -> Any:
    name = _INPLACE_NAMES.get(op)
    if name is None:
        plain = _INPLACE_PLAIN.get(op)
        if plain is None:
            raise UnsafeExpression(f"the operator {op} is not allowed")
        return plain(a, b)
    _, compute, check = _OPERATORS[name]
    check(a, b)
    return compute(a, b)


# -- attributes, items, iteration ----------------------------------------------------------------------------

_STR_METHODS = frozenset({
    "capitalize", "casefold", "center", "count", "endswith", "expandtabs", "find", "index", "isalnum", "isalpha",
    "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "ljust", "lower",
    "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition",
    "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill",
})
_DATA_METHODS: dict[type, frozenset[str]] = {
    str: _STR_METHODS,
    list: frozenset({"append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
                     "sort"}),
    dict: frozenset({"clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"}),
    set: frozenset({"add", "clear", "copy", "difference", "discard", "intersection", "isdisjoint", "issubset",
                    "issuperset", "pop", "remove", "symmetric_difference", "union", "update"}),
    frozenset: frozenset({"copy", "difference", "intersection", "isdisjoint", "issubset", "issuperset",
                          "symmetric_difference", "union"}),
    tuple: frozenset({"count", "index"}),
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
    type(None): frozenset(),
}
_methods_by_type: dict[type, frozenset[str]] = {}


def allow_methods(cls: type, names: Iterable[str]) -> None:
    """Let diagram code call ``names`` on instances of ``cls`` (a trusted data type the engine passes in)."""
    _DATA_METHODS[cls] = frozenset(names)
    _methods_by_type.clear()


def _methods(value: Any) -> frozenset[str] | None:
    cls = type(value)
    known = _methods_by_type.get(cls)
    if known is None:
        found = [names for klass in cls.__mro__ if (names := _DATA_METHODS.get(klass)) is not None]
        if not found:
            return None
        known = _methods_by_type[cls] = frozenset().union(*found)
    return known


def _width_estimate(s: str, width: Any, *_: Any) -> int:
    return max(int(width), len(s))


def _replace_estimate(s: str, old: str, new: str, count: int = -1) -> int:
    found = s.count(old) if old else len(s) + 1
    if count >= 0:
        found = min(found, count)
    return len(s) + found * (len(new) - len(old))


def _expandtabs_estimate(s: str, tabsize: int = 8) -> int:
    return len(s) + s.count("\t") * max(int(tabsize), 0)


def _sized_argument(_: Any, *values: Any, **named: Any) -> int:
    return sum(_length(v) for v in values) + len(named)


_ESTIMATES: dict[str, Callable[..., int]] = {
    "center": _width_estimate, "ljust": _width_estimate, "rjust": _width_estimate, "zfill": _width_estimate,
    "replace": _replace_estimate, "expandtabs": _expandtabs_estimate,
    "extend": _sized_argument, "update": _sized_argument,
}
_NEW_CONTAINER_RESULTS = (str, list, tuple, dict, set, frozenset)
_RESULT_OF_RECEIVER = frozenset({"get", "pop", "popitem", "setdefault", "index", "count"})


_COMPARING_ITEMS = frozenset({"count", "index", "remove"})


def _call_method(value: Any, name: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    _weigh_all(args)
    if name == "sort" or (name in _COMPARING_ITEMS and not isinstance(value, str) and args
                          and type(args[0]) not in _SCALAR_TYPES):
        weight(value)  # the items are compared with each other, or with a container
    estimate = _ESTIMATES.get(name)
    if estimate is not None:
        current().charge(estimate(value, *args, **kwargs), f"'{name}'")
    if name == "join":
        items = list(guarded_iter(args[0])) if args else []
        current().charge(sum(_length(i) for i in items) + len(value) * max(len(items) - 1, 0), "'join'")
        return method(items)
    result = method(*args, **kwargs)
    if estimate is None and name not in _RESULT_OF_RECEIVER and isinstance(result, _NEW_CONTAINER_RESULTS):
        current().charge(len(result), f"'{name}'")
    return result


def guarded_getattr(value: Any, name: str) -> Any:
    allowed = _methods(value)
    if allowed is None or name not in allowed:
        raise UnsafeExpression(f"'{type(value).__name__}.{name}' is not allowed in diagram expressions")
    return partial(_call_method, value, name, getattr(value, name))


def _is_data(value: Any) -> bool:
    return _methods(value) is not None or isinstance(value, range)


def guarded_getitem(value: Any, key: Any) -> Any:
    if not _is_data(value):
        raise UnsafeExpression(f"indexing a {type(value).__name__} is not allowed in diagram expressions")
    if isinstance(key, tuple):
        weight(key)
    item = value[key]
    if isinstance(key, slice):
        current().charge(_length(item), "a slice")
    return item


def guarded_write(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        return value
    raise UnsafeExpression(f"changing a {type(value).__name__} is not allowed in diagram expressions")


def guarded_iter(value: Any) -> Iterator[Any]:
    budget = current()
    for item in value:
        budget.tick()
        yield item


def guarded_apply(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


def spread(value: Any) -> Any:
    """``*value`` or ``**value`` copies it: charge what it copies."""
    if isinstance(value, (str, list, tuple, dict, set, frozenset)):
        current().charge(len(value), "unpacking")
    return value


def weighed(value: Any) -> Any:
    """A value about to be walked in C — turned into text, compared, hashed as a key — is weighed first:
    containers that share parts (``[[x] * 1000] * 1000``) are far bigger to walk than to build."""
    if type(value) not in _SCALAR_TYPES:
        weight(value)
    return value


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}


def compare(op: str, a: Any, b: Any) -> bool:
    """``a op b``, after weighing what the comparison will walk: two containers compared item by item,
    or a container hashed into a dict or set, or compared with each item of a list."""
    a_plain, b_plain = type(a) in _SCALAR_TYPES, type(b) in _SCALAR_TYPES
    if op in ("in", "not in"):
        if not a_plain:
            weight(a)
            if not b_plain and not isinstance(b, (dict, set, frozenset)):
                weight(b)
    elif not a_plain and not b_plain:
        weight(a)
        weight(b)
    return _COMPARISONS[op](a, b)


def _weigh_all(values: Iterable[Any]) -> None:
    for value in values:
        if type(value) not in _SCALAR_TYPES:
            weight(value)


def comparing(function: Callable[..., Any]) -> Callable[..., Any]:
    """A builtin that compares or hashes the items of its arguments: weigh them first."""

    @wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        _weigh_all(args)
        return function(*args, **kwargs)

    return call


def tick() -> None:
    current().tick()


# -- builtins ----------------------------------------------------------------------------------------------

class DataType:
    """One of the plain data types, callable as a constructor whose result is charged to the budget."""

    __slots__ = ("type",)

    def __init__(self, cls: type) -> None:
        self.type = cls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.type in (str, set, dict) and args:
            weighed(args[0])
        result = self.type(*args, **kwargs)
        if isinstance(result, _NEW_CONTAINER_RESULTS):
            current().charge(len(result), f"'{self.type.__name__}()'")
        return result

    def __repr__(self) -> str:
        return f"<data type {self.type.__name__}>"


def _bounded_range(*args: Any) -> range:
    numbers = range(*args)
    try:
        length = len(numbers)
    except OverflowError:
        length = RANGE_LIMIT + 1
    if length > RANGE_LIMIT:
        raise Exhausted("size", f"a range of {length if length <= 10**18 else 'too many'} items "
                                f"(limit {RANGE_LIMIT})")
    return numbers


def _numeric_sum(values: Iterable[Any], start: Any = 0) -> Any:
    if not isinstance(start, (int, float, Decimal)):
        raise UnsafeExpression("sum() adds numbers only")
    return sum(values, start)


def _bounded_round(number: Any, ndigits: Any = None) -> Any:
    if ndigits is not None and abs(int(ndigits)) > ROUND_DIGITS_LIMIT:
        raise UnsafeExpression(f"round() to more than {ROUND_DIGITS_LIMIT} digits is not allowed")
    return round(number, ndigits)


def _sorted(values: Iterable[Any], *, key: Any = None, reverse: bool = False) -> list[Any]:
    weighed(values)
    result = sorted(values, key=key, reverse=reverse)
    current().charge(len(result), "'sorted()'")
    return result


_DATA_TYPES = {cls.__name__: DataType(cls) for cls in (bool, dict, float, int, list, set, str, tuple)}


def _data_isinstance(value: Any, types: Any) -> bool:
    wanted = types if isinstance(types, tuple) else (types,)
    if not all(isinstance(t, DataType) for t in wanted):
        raise UnsafeExpression("isinstance() checks data types only (str, int, float, bool, list, dict, tuple, set)")
    return isinstance(value, tuple(t.type for t in wanted))


BUILTINS: dict[str, Any] = {
    **_DATA_TYPES,
    "abs": abs, "all": all, "any": any, "enumerate": enumerate, "len": len, "reversed": reversed, "zip": zip,
    "max": comparing(max), "min": comparing(min),
    "range": _bounded_range, "round": _bounded_round, "sorted": _sorted, "sum": _numeric_sum,
    "isinstance": _data_isinstance,
    "ValueError": ValueError, "KeyError": KeyError, "TypeError": TypeError, "Exception": Exception,
}

GUARDS: dict[str, Any] = {
    "__builtins__": BUILTINS,
    "_getattr_": guarded_getattr,
    "_getitem_": guarded_getitem,
    "_write_": guarded_write,
    "_getiter_": guarded_iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_apply_": guarded_apply,
    "_inplacevar_": inplacevar,
    "_binop_": binop,
    "_spread_": spread,
    "_weighed_": weighed,
    "_compare_": compare,
    "_tick_": tick,
}
