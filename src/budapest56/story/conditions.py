"""The condition language: parsed by hand, type-checked, compiled to closures. Never eval.

    expr    := and_ ('or' and_)*
    and_    := not_ ('and' not_)*
    not_    := 'not' not_ | compare
    compare := atom (('=='|'!='|'<'|'<='|'>'|'>=') atom)?
    atom    := NUMBER | 'true' | 'false' | NAME | FUNC '(' NAME ')' | '(' expr ')'
    FUNC    := 'unlocked' | 'visited' | 'visits'

A NAME is a declared flag (yes/no) or counter (number). The tree is plain tuples, e.g.
('and', ('flag', 'hid_radio'), ('cmp', '>=', ('counter', 'courage'), ('num', 2))).
"""
from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from ..errors import suggest

MAX_LENGTH = 500
MAX_DEPTH = 32
KEYWORDS = {"and", "or", "not", "true", "false"}
FUNCTIONS = {"unlocked": "fact", "visited": "node", "visits": "node"}
# A condition tree (see the docstring): a tag, then operands whose types depend on the tag
# (a name, a number, a boolean, an operator or sub-trees), which a tuple type cannot say.
Tree: TypeAlias = tuple[Any, ...]
# Operands are ints or bools (bool is an int): the type checker has already refused the rest.
COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|<|>|\(|\)))")


@dataclass
class ConditionError(Exception):
    message: str
    offset: int  # 0-based position in the condition text
    hint: str = ""


@dataclass(frozen=True)
class Names:
    """What a condition may refer to."""

    flags: Collection[str]
    counters: Mapping[str, int]  # name -> index in State.counters
    facts: Collection[str]
    nodes: Collection[str]


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            at = len(text) - len(text[pos:].lstrip())
            raise ConditionError(f"unexpected character {text[at]!r}", at,
                                 "conditions use names, numbers, comparisons, and/or/not and parentheses")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str, names: Names):
        self.text, self.names = text, names
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, got, at = self.take()
        if got != value:
            raise ConditionError(f"expected '{value}' but found {_describe(kind, got)}", at)

    def nested(self, at: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"condition is nested more than {MAX_DEPTH} levels deep", at,
                                 "split it into simpler conditions")

    def parse(self) -> Tree:
        tree = self.expr()
        kind, got, at = self.peek()
        if kind != "end":
            hint = "a ')' has no matching '('" if got == ")" else "join conditions with 'and' or 'or'"
            raise ConditionError(f"unexpected {_describe(kind, got)}", at, hint)
        return tree

    def expr(self) -> Tree:
        return self._chain("or", self.and_)

    def and_(self) -> Tree:
        return self._chain("and", self.not_)

    def _chain(self, word: str, part: Callable[[], Tree]) -> Tree:
        left = self.boolean(part)
        while self.peek()[1] == word:
            self.take()
            left = (word, left, self.boolean(part))
        return left

    def boolean(self, part: Callable[[], Tree]) -> Tree:
        at = self.peek()[2]
        tree = part()
        if _type(tree) != "bool":
            raise ConditionError(f"{_what(tree)} is a number, not a yes/no", at,
                                 f"compare it, e.g. '{self.text[at:].split()[0]} > 0'")
        return tree

    def not_(self) -> Tree:
        _, got, at = self.peek()
        if got == "not":
            self.take()
            self.nested(at)
            inner = self.boolean(self.not_)
            self.depth -= 1
            return ("not", inner)
        return self.compare()

    def compare(self) -> Tree:
        left = self.atom()
        _, op, op_at = self.peek()
        if op not in COMPARISONS:
            return left
        self.take()
        right = self.atom()
        lt, rt = _type(left), _type(right)
        if lt != rt:
            raise ConditionError(f"cannot compare {_what(left)} with {_what(right)}", op_at)
        if lt == "bool" and op not in ("==", "!="):
            raise ConditionError(f"'{op}' compares numbers, but {_what(left)} is a yes/no", op_at)
        return ("cmp", op, left, right)

    def atom(self) -> Tree:
        kind, got, at = self.take()
        if kind == "num":
            if len(got) > 9:
                raise ConditionError(f"number {got[:12]}… is too large", at)
            return ("num", int(got))
        if got == "(":
            self.nested(at)
            tree = self.expr()
            self.depth -= 1
            if self.peek()[1] != ")":
                k, g, a = self.peek()
                raise ConditionError(f"expected ')' but found {_describe(k, g)}", a,
                                     f"the '(' at column {at + 1} is never closed")
            self.take()
            return tree
        if kind == "name" and got in ("true", "false"):
            return ("bool", got == "true")
        if kind == "name" and got not in KEYWORDS:
            if got in FUNCTIONS:
                return self.call(got, at)
            return self.name(got, at)
        raise ConditionError(f"expected a name, number or '(' but found {_describe(kind, got)}", at)

    def call(self, func: str, at: int) -> Tree:
        self.expect("(")
        kind, arg, arg_at = self.take()
        if kind != "name":
            raise ConditionError(f"{func}() takes a {FUNCTIONS[func]} id", arg_at)
        known = self.names.facts if FUNCTIONS[func] == "fact" else self.names.nodes
        if arg not in known:
            raise ConditionError(f"unknown {FUNCTIONS[func]} '{arg}' in {func}()", arg_at, suggest(arg, known))
        self.expect(")")
        return (func, arg)

    def name(self, word: str, at: int) -> Tree:
        if word in self.names.flags:
            return ("flag", word)
        if word in self.names.counters:
            return ("counter", word)
        known = [*self.names.flags, *self.names.counters]
        hint = suggest(word, known) or "declare it under 'flags' or 'counters' in story.yaml"
        if word.startswith("__") or word in ("import", "eval", "exec", "open"):
            hint = "conditions can only read the story's flags, counters, facts and nodes"
        raise ConditionError(f"unknown flag or counter '{word}'", at, hint)


def _type(tree: Tree) -> str:
    return "int" if tree[0] in ("num", "counter", "visits") else "bool"


def _what(tree: Tree) -> str:
    if tree[0] in ("flag", "counter"):
        return f"{tree[0]} '{tree[1]}'"
    if tree[0] in ("num", "bool"):
        return f"'{str(tree[1]).lower()}'"
    if tree[0] in FUNCTIONS:
        return f"{tree[0]}({tree[1]})"
    return "this expression"


def _describe(kind: str, value: str) -> str:
    return "the end of the condition" if kind == "end" else f"'{value}'"


def parse(text: str, names: Names) -> Tree:
    """Parse and type-check a condition; raise ConditionError with the offset of the problem."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition is {len(text)} characters long (at most {MAX_LENGTH})", MAX_LENGTH,
                             "split it, or use a flag set earlier in the story")
    if not text.strip():
        raise ConditionError("condition is empty", 0, "remove 'if:' to make the choice always available")
    return _Parser(text, names).parse()


def compile_tree(tree: Tree, names: Names) -> Callable[..., bool]:
    """Turn a tree into a closure over a State. Built once at load time, so play pays no parsing."""
    kind = tree[0]
    if kind == "bool":
        value = tree[1]
        return lambda s: value
    if kind == "num":
        number = tree[1]
        return lambda s: number
    if kind == "flag":
        flag = tree[1]
        return lambda s: flag in s.flags
    if kind == "counter":
        index = names.counters[tree[1]]
        return lambda s: s.counters[index]
    if kind == "unlocked":
        fact = tree[1]
        return lambda s: fact in s.facts
    if kind == "visited":
        node = tree[1]
        return lambda s: node in s.trail
    if kind == "visits":
        node = tree[1]
        return lambda s: s.trail.count(node)
    if kind == "not":
        inner = compile_tree(tree[1], names)
        return lambda s: not inner(s)
    if kind == "and":
        a, b = compile_tree(tree[1], names), compile_tree(tree[2], names)
        return lambda s: a(s) and b(s)
    if kind == "or":
        a, b = compile_tree(tree[1], names), compile_tree(tree[2], names)
        return lambda s: a(s) or b(s)
    if kind == "cmp":
        op = COMPARISONS[tree[1]]
        a, b = compile_tree(tree[2], names), compile_tree(tree[3], names)
        return lambda s: op(a(s), b(s))
    raise ValueError(f"not a condition tree: {tree!r}")


def names_read(tree: Tree) -> set[tuple[str, str]]:
    """Every (kind, name) a condition reads: ('flag', x), ('counter', x), ('unlocked', f), ('visited', n)…"""
    kind = tree[0]
    if kind in ("not",):
        return names_read(tree[1])
    if kind in ("and", "or"):
        return names_read(tree[1]) | names_read(tree[2])
    if kind == "cmp":
        return names_read(tree[2]) | names_read(tree[3])
    if kind in ("num", "bool"):
        return set()
    return {(kind, tree[1])}
