"""Team-defined formula scores, parsed and evaluated without Python's ``eval``.

A team writes an expression over a feature's fields, for example
``(reach * impact * confidence) / effort + 2 * votes``. :func:`parse_formula` tokenizes it, parses
it with a Pratt (precedence-climbing) parser into a small syntax tree, checks every field and
function name, and turns the tree into nested closures, so a formula is parsed once and evaluated
quickly for thousands of features.

The language: numbers (``2``, ``0.5``, ``1e3``), field names, ``+ - * /``, ``^`` or ``**`` (power,
right-associative, binding tighter than unary minus: ``-2^2`` is -4), parentheses, comparisons
``< <= > >= == !=`` (true is 1, false is 0), ``and``, ``or``, ``not``, and the functions ``min``,
``max``, ``abs``, ``sqrt``, ``log`` (natural, or ``log(x, base)``), ``round`` (``round(x)`` or
``round(x, digits)``, halves away from zero), ``if(condition, then, else)`` and
``coalesce(a, b, …)`` (the first value that is present).

A feature without a value for a field it needs has no score: evaluation returns ``None`` instead
of raising, and so does anything undefined (division by zero, the square root of a negative
number, an overflow). A bad formula raises :class:`FormulaError` naming the 1-based column.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from headway.planning.scoring import Score, ScoringInputError, format_number

MAX_FORMULA_LENGTH: Final = 1000
"""Longest formula accepted, in characters."""

MAX_NESTING: Final = 64
"""Deepest nesting of parentheses, calls and operators accepted; it bounds the recursion."""

FUNCTIONS: Final[Mapping[str, tuple[int, int | None]]] = {
    "abs": (1, 1),
    "coalesce": (1, None),
    "if": (3, 3),
    "log": (1, 2),
    "max": (1, None),
    "min": (1, None),
    "round": (1, 2),
    "sqrt": (1, 1),
}
"""Each function's smallest and largest number of arguments (``None``: any number)."""

_KEYWORDS: Final = frozenset({"and", "or", "not"})

_TOKEN_PATTERN: Final = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<operator>\*\*|<=|>=|==|!=|[-+*/^<>(),])
  | (?P<equals>=)
    """,
    re.VERBOSE,
)

_COMPARISON_POWER: Final = 30
_NOT_POWER: Final = 25
_UNARY_POWER: Final = 60
# Left binding powers of the infix operators; a higher power binds tighter.
_INFIX_POWER: Final[Mapping[str, int]] = (
    {"or": 10, "and": 20}
    | dict.fromkeys(("<", "<=", ">", ">=", "==", "!="), _COMPARISON_POWER)
    | {"+": 40, "-": 40, "*": 50, "/": 50, "^": 70}
)

type Value = float | None
type Evaluator = Callable[[Mapping[str, object]], Value]


class FormulaError(ScoringInputError):
    """A formula that cannot be parsed or names an unknown field or function.

    ``position`` is the 1-based column the problem was found at; ``field`` is ``"formula"`` so the
    API reports it like any other bad input.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__("formula", message)
        self.position = position


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", "name", "operator" or "end"
    text: str
    offset: int  # 0-based index into the source

    @property
    def column(self) -> int:
        return self.offset + 1

    def describe(self) -> str:
        return "the end of the formula" if self.kind == "end" else f"'{self.text}'"


@dataclass(frozen=True, slots=True)
class Number:
    """A numeric literal."""

    value: float
    offset: int


@dataclass(frozen=True, slots=True)
class Field:
    """A reference to one of the feature's fields."""

    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x``, ``+x`` or ``not x``."""

    operator: str
    operand: Node
    offset: int


@dataclass(frozen=True, slots=True)
class Binary:
    """An arithmetic, comparison or logical operator between two operands."""

    operator: str
    left: Node
    right: Node
    offset: int


@dataclass(frozen=True, slots=True)
class Call:
    """A call of one of :data:`FUNCTIONS`."""

    function: str
    arguments: tuple[Node, ...]
    offset: int


type Node = Number | Field | Unary | Binary | Call


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    offset = 0
    while offset < len(source):
        match = _TOKEN_PATTERN.match(source, offset)
        if match is None:
            raise FormulaError(
                f"unexpected character '{source[offset]}' at column {offset + 1}", offset + 1
            )
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "equals":
            raise FormulaError(
                f"'=' at column {offset + 1} is not an operator; write '==' to compare",
                offset + 1,
            )
        if kind != "space":
            if text == "**":
                text = "^"
            elif kind == "name" and text.lower() in _KEYWORDS:
                kind, text = "operator", text.lower()
            tokens.append(_Token(kind, text, offset))
        offset = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


class _Parser:
    """Pratt parser over the token list; one instance parses one formula."""

    def __init__(self, tokens: list[_Token], fields: frozenset[str]) -> None:
        self.tokens = tokens
        self.fields = fields
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def at(self, text: str) -> bool:
        token = self.tokens[self.index]
        return token.kind == "operator" and token.text == text

    def expect(self, text: str, opener: _Token | None = None) -> _Token:
        token = self.peek()
        if self.at(text):
            return self.advance()
        context = f" to close the '(' at column {opener.column}" if opener else ""
        raise FormulaError(
            f"expected '{text}'{context} but found {token.describe()} at column {token.column}",
            token.column,
        )

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FormulaError(
                "the formula is empty; write an expression such as reach * impact / effort", 1
            )
        node = self.expression(0)
        token = self.peek()
        if token.kind != "end":
            raise FormulaError(
                f"unexpected {token.describe()} at column {token.column}; "
                "expected an operator or the end of the formula",
                token.column,
            )
        return node

    def expression(self, right_power: int) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            token = self.peek()
            raise FormulaError(
                f"the formula nests more than {MAX_NESTING} levels deep at column "
                f"{token.column}; simplify it",
                token.column,
            )
        left = self.prefix()
        while True:
            token = self.peek()
            power = _INFIX_POWER.get(token.text) if token.kind == "operator" else None
            if power is None or power <= right_power:
                break
            self.advance()
            # One less than its own power makes ^ right-associative: 2^3^2 is 2^(3^2).
            right = self.expression(power - 1 if token.text == "^" else power)
            if power == _COMPARISON_POWER and self._next_is_comparison():
                following = self.peek()
                raise FormulaError(
                    f"comparisons cannot be chained at column {following.column}; "
                    "join them with 'and'",
                    following.column,
                )
            left = Binary(token.text, left, right, token.offset)
        self.depth -= 1
        return left

    def _next_is_comparison(self) -> bool:
        token = self.peek()
        return token.kind == "operator" and _INFIX_POWER.get(token.text) == _COMPARISON_POWER

    def prefix(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            number = float(token.text)
            if not math.isfinite(number):
                raise FormulaError(
                    f"the number at column {token.column} is too large", token.column
                )
            return Number(number, token.offset)
        if token.kind == "name":
            return self.name(token)
        if token.kind == "operator":
            if token.text in ("-", "+"):
                return Unary(token.text, self.expression(_UNARY_POWER), token.offset)
            if token.text == "not":
                return Unary("not", self.expression(_NOT_POWER), token.offset)
            if token.text == "(":
                inner = self.expression(0)
                self.expect(")", opener=token)
                return inner
        found = (
            "the formula ends too early" if token.kind == "end" else f"unexpected '{token.text}'"
        )
        raise FormulaError(
            f"{found} at column {token.column}; expected a number, a field or '('", token.column
        )

    def name(self, token: _Token) -> Node:
        if self.at("("):
            return self.call(token)
        if token.text in self.fields:
            return Field(token.text, token.offset)
        if token.text in FUNCTIONS:
            raise FormulaError(
                f"{token.text} at column {token.column} is a function; "
                f"call it like {token.text}(…)",
                token.column,
            )
        known = ", ".join(sorted(self.fields)) or "none"
        guesses = difflib.get_close_matches(token.text, self.fields, n=1)
        hint = f"; did you mean '{guesses[0]}'?" if guesses else ""
        raise FormulaError(
            f"unknown field '{token.text}' at column {token.column}; known fields: {known}{hint}",
            token.column,
        )

    def call(self, token: _Token) -> Node:
        if token.text not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise FormulaError(
                f"unknown function '{token.text}' at column {token.column}; "
                f"known functions: {known}",
                token.column,
            )
        opener = self.advance()
        arguments: list[Node] = []
        if not self.at(")"):
            arguments.append(self.expression(0))
            while self.at(","):
                self.advance()
                arguments.append(self.expression(0))
        self.expect(")", opener=opener)
        fewest, most = FUNCTIONS[token.text]
        if len(arguments) < fewest or (most is not None and len(arguments) > most):
            if most is None:
                wanted = f"at least {fewest}"
            elif fewest == most:
                wanted = str(fewest)
            else:
                wanted = f"{fewest} or {most}"
            plural = "" if (most if most is not None else fewest) == 1 else "s"
            raise FormulaError(
                f"{token.text} at column {token.column} takes {wanted} argument{plural}; "
                f"got {len(arguments)}",
                token.column,
            )
        return Call(token.text, tuple(arguments), token.offset)


def _finite(number: float) -> Value:
    return number if math.isfinite(number) else None


def _power(base: float, exponent: float) -> Value:
    # A negative base with a fractional exponent has no real value (Python would go complex).
    if base < 0 and not exponent.is_integer():
        return None
    try:
        return _finite(math.pow(base, exponent))
    except (OverflowError, ValueError, ZeroDivisionError):
        return None


_OPERATORS: Final[Mapping[str, Callable[[float, float], Value]]] = {
    "+": lambda a, b: _finite(a + b),
    "-": lambda a, b: _finite(a - b),
    "*": lambda a, b: _finite(a * b),
    "/": lambda a, b: None if b == 0 else _finite(a / b),
    "^": _power,
    "<": lambda a, b: float(a < b),
    "<=": lambda a, b: float(a <= b),
    ">": lambda a, b: float(a > b),
    ">=": lambda a, b: float(a >= b),
    "==": lambda a, b: float(a == b),
    "!=": lambda a, b: float(a != b),
}
_PREFIX_OPERATORS: Final[Mapping[str, Callable[[float], float]]] = {
    "-": lambda a: -a,
    "+": lambda a: a,
    "not": lambda a: float(a == 0),
}


def _numeric(raw: object) -> Value:
    """A field's value as a finite float, or ``None`` when it is absent or not a number."""
    if isinstance(raw, int | float):
        number = float(raw)
        return number if math.isfinite(number) else None
    return None


def _round_half_away(number: float, digits: float) -> Value:
    if not digits.is_integer():
        return None
    if digits > 15:
        # A double holds about 15 significant decimals: rounding further changes nothing.
        return number
    scale = 10.0 ** int(digits)
    if scale == 0:
        return None
    rounded = math.floor(abs(number) * scale + 0.5) / scale
    return _finite(math.copysign(rounded, number))


def _log(number: float, base: float | None) -> Value:
    if number <= 0:
        return None
    if base is None:
        return math.log(number)
    if base <= 0 or base == 1:
        return None
    return math.log(number, base)


# Functions that need every argument: a missing one means no result.
_STRICT_FUNCTIONS: Final[Mapping[str, Callable[[list[float]], Value]]] = {
    "min": min,
    "max": max,
    "abs": lambda numbers: abs(numbers[0]),
    "sqrt": lambda numbers: math.sqrt(numbers[0]) if numbers[0] >= 0 else None,
    "log": lambda numbers: _log(numbers[0], numbers[1] if len(numbers) > 1 else None),
    "round": lambda numbers: _round_half_away(numbers[0], numbers[1] if len(numbers) > 1 else 0.0),
}


def _closure_call(node: Call) -> Evaluator:
    arguments = tuple(_closure(argument) for argument in node.arguments)
    name = node.function
    if name == "if":
        condition, then, otherwise = arguments

        def choose(values: Mapping[str, object]) -> Value:
            # Lazy on purpose: if(effort > 0, reach / effort, 0) must not fail on the unused side.
            test = condition(values)
            if test is None:
                return None
            return then(values) if test != 0 else otherwise(values)

        return choose
    if name == "coalesce":

        def first_present(values: Mapping[str, object]) -> Value:
            for argument in arguments:
                result = argument(values)
                if result is not None:
                    return result
            return None

        return first_present

    strict = _STRICT_FUNCTIONS[name]

    def apply(values: Mapping[str, object]) -> Value:
        numbers = []
        for argument in arguments:
            result = argument(values)
            if result is None:
                return None
            numbers.append(result)
        return strict(numbers)

    return apply


def _closure_unary(node: Unary) -> Evaluator:
    operand, operation = _closure(node.operand), _PREFIX_OPERATORS[node.operator]

    def prefix(values: Mapping[str, object]) -> Value:
        result = operand(values)
        return None if result is None else operation(result)

    return prefix


def _closure_binary(node: Binary) -> Evaluator:
    left, right = _closure(node.left), _closure(node.right)
    operator = node.operator
    if operator in ("and", "or"):
        stop_when_left_is = operator == "or"

        def logical(values: Mapping[str, object]) -> Value:
            first = left(values)
            if first is None:
                return None
            if (first != 0) == stop_when_left_is:
                return float(stop_when_left_is)
            second = right(values)
            return None if second is None else float(second != 0)

        return logical
    operation = _OPERATORS[operator]

    def calculate(values: Mapping[str, object]) -> Value:
        a = left(values)
        if a is None:
            return None
        b = right(values)
        if b is None:
            return None
        return operation(a, b)

    return calculate


def _closure(node: Node) -> Evaluator:
    if isinstance(node, Number):
        constant = node.value
        return lambda values: constant
    if isinstance(node, Field):
        name = node.name
        return lambda values: _numeric(values.get(name))
    if isinstance(node, Unary):
        return _closure_unary(node)
    if isinstance(node, Binary):
        return _closure_binary(node)
    return _closure_call(node)


def _referenced_fields(node: Node) -> list[Field]:
    found: list[Field] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Field):
            found.append(current)
        elif isinstance(current, Unary):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.right, current.left))
        elif isinstance(current, Call):
            stack.extend(reversed(current.arguments))
    return sorted(found, key=lambda reference: reference.offset)


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed formula: evaluate it over a feature's field values, or explain it.

    Build one with :func:`parse_formula`; it is immutable and safe to share between threads.
    """

    source: str
    tree: Node
    fields: frozenset[str]
    _evaluate: Evaluator = field(repr=False, compare=False)
    _references: tuple[Field, ...] = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, object]) -> float | None:
        """The formula's value for one feature, or ``None`` if a field it needs is missing or the
        result is undefined (division by zero, square root of a negative number, overflow)."""
        return self._evaluate(values)

    def missing(self, values: Mapping[str, object]) -> list[str]:
        """The fields the formula uses that have no numeric value in ``values``, sorted."""
        return sorted(name for name in self.fields if _numeric(values.get(name)) is None)

    def explain(self, values: Mapping[str, object]) -> str:
        """The formula with each field replaced by its value, and the result.

        ``(reach * impact * confidence) / effort`` becomes ``(400 * 1 * 0.8) / 2 = 160``; a missing
        value shows as ``?`` and the result as "no score".
        """
        pieces: list[str] = []
        cursor = 0
        for reference in self._references:
            pieces.append(self.source[cursor : reference.offset])
            number = _numeric(values.get(reference.name))
            pieces.append("?" if number is None else format_number(number, places=4))
            cursor = reference.offset + len(reference.name)
        pieces.append(self.source[cursor:])
        substituted = "".join(pieces).strip()
        result = self.evaluate(values)
        if result is not None:
            return f"{substituted} = {format_number(result)}"
        missing = self.missing(values)
        if missing:
            return f"{substituted} = no score (missing {', '.join(missing)})"
        return f"{substituted} = no score (undefined, for example a division by zero)"

    def score(self, values: Mapping[str, object]) -> Score:
        """The formula's result for one feature as a :class:`Score` that explains itself."""
        return Score(
            value=self.evaluate(values),
            label=None,
            explanation=self.explain(values),
            inputs={name: values.get(name) for name in sorted(self.fields)},
        )


def parse_formula(source: str, fields: Iterable[str]) -> Formula:
    """Parse ``source`` into a :class:`Formula` that may use only the given field names.

    Raises :class:`FormulaError` with the 1-based column of a syntax error, an unknown field or an
    unknown function.
    """
    if not isinstance(source, str):
        raise FormulaError("the formula must be text", 1)
    if len(source) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            f"the formula is {len(source):,} characters long; shorten it to at most "
            f"{MAX_FORMULA_LENGTH:,}",
            MAX_FORMULA_LENGTH + 1,
        )
    allowed = frozenset(fields)
    tokens = _tokenize(source)
    tree = _Parser(tokens, allowed).parse()
    references = tuple(_referenced_fields(tree))
    return Formula(
        source=source,
        tree=tree,
        fields=frozenset(reference.name for reference in references),
        _evaluate=_closure(tree),
        _references=references,
    )
