"""Source code to a canonical token stream that common disguises of a copy do not change.

The stream is built from the tree-sitter syntax tree, so comments, whitespace and formatting
never reach it. On top of that:

* identifiers become one symbol, literals become one symbol per type (string, number, bool);
* redundant parentheses and trailing commas are dropped (formatters add and remove them);
* ``x += e``, ``x = x + e`` and ``x++`` lower to the same tokens;
* tuple assignments and multi-variable declarations are split into one statement per variable;
* a variable assigned once and read once is inlined into its use (undoes "split a statement");
* dead code that needs no reasoning is dropped: statements after return/raise/break/continue,
  ``if False:`` / ``while false`` bodies, ``pass``, bare literals (docstrings) and stores into
  variables that are never read, when the stored value calls nothing;
* the statements of every block (module, function body, class body) are put in a canonical
  order: a topological order of their def-use dependencies, ties broken by the statements' own
  tokens. Two orders of the same statements that respect the same dependencies therefore yield
  the same stream, which defeats reordering of independent statements, methods and functions.

Every token keeps the source line it came from, so matches map back to line ranges.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from assay.integrity.languages import (
    LanguageName,
    LanguageSpec,
    grammar_for,
    parser_for,
    spec_for,
)

# Blocks with more statements than this keep their order: the pairwise dependency check is
# quadratic and such blocks are generated tables, not hand-written logic.
MAX_REORDERED_STATEMENTS = 300
CLOSING_BRACKETS = frozenset({")", "]", "}"})
INTERPOLATIONS = frozenset({"interpolation", "template_substitution"})
AUGMENTED_OPERATORS = frozenset(
    {"+=", "-=", "*=", "/=", "%=", "**=", "//=", "@=", "&=", "|=", "^=", "<<=", ">>=", ">>>="}
    | {"&&=", "||=", "??="}
)


@cache
def symbol(name: str) -> int:
    """A stable 63-bit id for a token symbol (the same in every process and organisation)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


IDENTIFIER = symbol("<id>")
STRING = symbol("<str>")
NUMBER = symbol("<num>")
BOOLEAN = symbol("<bool>")
ASSIGN = symbol("=")
BLOCK_OPEN = symbol("<block>")
BLOCK_CLOSE = symbol("</block>")
STATEMENT_END = symbol(";")
# Marks a seam in the stream while it is being built (symbols are never negative).
SEAM = -1


@dataclass(frozen=True)
class TokenStream:
    """Normalised token symbols, the 1-based source line of each, and the seams: offsets where
    canonical ordering put a statement that does not follow its predecessor in the source."""

    symbols: list[int]
    lines: list[int]
    seams: list[int] = field(default_factory=list)


@dataclass
class _Statement:
    """One statement of a block while its block is being put in canonical order."""

    tokens: list[tuple[int, int]] = field(default_factory=list)
    reads: set[bytes] = field(default_factory=set)
    writes: set[bytes] = field(default_factory=set)
    barrier: bool = False
    calls: bool = False

    def absorb(self, other: _Statement) -> None:
        self.reads |= other.reads
        self.writes |= other.writes
        self.barrier = self.barrier or other.barrier
        self.calls = self.calls or other.calls

    def conflicts_with(self, other: _Statement) -> bool:
        if self.barrier or other.barrier:
            return True
        return bool(self.writes & (other.reads | other.writes) or other.writes & self.reads)


@cache
def _identifier_query(language: LanguageName) -> Query:
    spec = spec_for(language)
    alternatives = " ".join(f"({kind})" for kind in sorted(spec.identifiers))
    members = " ".join(
        f"({kind} {field_name}: (_) @member)" for kind, field_name in spec.member_names.items()
    )
    return Query(grammar_for(language), f"[{alternatives}] @name {members}")


def normalise(source: str | bytes, language: str) -> TokenStream:
    """The canonical token stream of one source file; never raises on broken code."""
    spec = spec_for(language)
    data = source.encode("utf-8", errors="replace") if isinstance(source, str) else source
    tree = parser_for(spec.name).parse(data)
    captures = QueryCursor(_identifier_query(spec.name)).captures(tree.root_node)
    counts: Counter[bytes] = Counter()
    first_seen: dict[bytes, int] = {}
    members = {node.id for node in captures.get("member", [])}
    for node in captures.get("name", []):
        if node.id in members:
            continue  # obj.name and f(name=...) are not uses of a variable called name
        name = node.text or b""
        counts[name] += 1
        if name not in first_seen or node.start_byte < first_seen[name]:
            first_seen[name] = node.start_byte
    lowering = _Lowering(spec, counts, first_seen)
    root = _Statement()
    tokens: list[tuple[int, int]] = []
    try:
        lowering.lower(tree.root_node, tokens, root, writing=False)
    except RecursionError:
        # Nesting deeper than Python's stack (hostile or generated code): fall back to the
        # plain leaf sequence, still comments-free and with identifiers and literals erased.
        tokens = _flat_tokens(tree.root_node, spec)
    stream = TokenStream([], [], [])
    for sym, line in tokens:
        if sym == SEAM:
            stream.seams.append(len(stream.symbols))
        else:
            stream.symbols.append(sym)
            stream.lines.append(line)
    return stream


class _Lowering:
    """Walks one syntax tree and emits canonical tokens (see the module docstring)."""

    def __init__(self, spec: LanguageSpec, counts: Counter[bytes], first_seen: dict[bytes, int]):
        self.spec = spec
        self.literals = dict.fromkeys(spec.strings, STRING)
        self.literals.update(dict.fromkeys(spec.numbers, NUMBER))
        self.literals.update(dict.fromkeys(spec.booleans, BOOLEAN))
        self.counts = counts
        self.first_seen = first_seen
        # name -> tokens of the value it was assigned, spliced in at its single read.
        self.pending: dict[bytes, _Statement] = {}
        # Enclosing definitions, innermost last: True for a function, False for a class.
        self.scopes: list[bool] = []

    # -- expressions and generic nodes -------------------------------------------------------

    def lower(self, node: Node, out: list[tuple[int, int]], st: _Statement, writing: bool) -> None:
        spec = self.spec
        kind = node.type
        if node.is_missing or kind in spec.comments:
            return
        line = node.start_point[0] + 1
        literal = self.literals.get(kind)
        if literal is not None:
            out.append((literal, line))
            for child in node.named_children:
                # f"{x}" and `${x}` still read x, which orders the statement; the text is gone.
                if child.type in INTERPOLATIONS:
                    self.lower(child, [], st, writing=False)
        elif kind in spec.identifiers:
            self._identifier(node, out, st, writing, line)
        elif kind in spec.blocks:
            self._block(node, out, st)
        elif kind in spec.functions:
            self._function(node, out, st)
        elif kind in spec.augmented_assignments:
            self._augmented(node, out, st)
        elif kind in spec.assignments:
            self._assignment(node, out, st, writing)
        elif node.child_count == 0:
            st.barrier = st.barrier or kind in spec.barriers
            if kind not in spec.ignored_tokens:
                out.append((symbol(kind), line))
        else:
            self._compound(node, out, st, writing)

    def _compound(
        self, node: Node, out: list[tuple[int, int]], st: _Statement, writing: bool
    ) -> None:
        spec = self.spec
        kind = node.type
        if kind in spec.barriers:
            st.barrier = True
        if kind in spec.calls:
            st.calls = True
            self._mark_mutation(node, st)
        member_field = spec.member_names.get(kind)
        member = node.child_by_field_name(member_field) if member_field else None
        self._children(
            node,
            out,
            st,
            writing,
            drop_parentheses=kind in spec.parenthesized or _only_generator(node),
            member_id=member.id if member is not None else None,
        )

    def _children(
        self,
        node: Node,
        out: list[tuple[int, int]],
        st: _Statement,
        writing: bool,
        *,
        drop_parentheses: bool = False,
        member_id: int | None = None,
    ) -> None:
        children = node.children
        last = len(children) - 1
        for index, child in enumerate(children):
            kind = child.type
            if drop_parentheses and kind in {"(", ")"}:
                continue
            # A trailing comma before a closing bracket is formatting, not code.
            if kind == "," and index < last and children[index + 1].type in CLOSING_BRACKETS:
                continue
            if child.id == member_id and kind in self.spec.identifiers:
                out.append((IDENTIFIER, child.start_point[0] + 1))
                continue
            self.lower(child, out, st, writing)

    def _identifier(
        self, node: Node, out: list[tuple[int, int]], st: _Statement, writing: bool, line: int
    ) -> None:
        name = node.text or b""
        if writing:
            st.writes.add(name)
            out.append((IDENTIFIER, line))
            return
        inlined = self.pending.pop(name, None)
        if inlined is not None:
            out.extend(inlined.tokens)
            st.absorb(inlined)
            return
        st.reads.add(name)
        out.append((IDENTIFIER, line))

    def _mark_mutation(self, call: Node, st: _Statement) -> None:
        # obj.append(x) changes obj: count it as a write so it is not reordered past readers.
        callee = call.child_by_field_name("function") or call
        field_name = self.spec.member_access.get(callee.type)
        if field_name is None:
            return
        target = callee.child_by_field_name(field_name)
        if target is not None and target.type in self.spec.identifiers:
            st.writes.add(target.text or b"")

    def _assignment(
        self, node: Node, out: list[tuple[int, int]], st: _Statement, writing: bool
    ) -> None:
        field_name = self.spec.assignments[node.type]
        target = node.child_by_field_name(field_name) if field_name else None
        operator = node.child_by_field_name("operator")
        if target is not None and operator is not None and operator.type in AUGMENTED_OPERATORS:
            self._augmented(node, out, st)
            return
        target_id = target.id if target is not None else None
        for child in node.children:
            is_target = field_name == "" or child.id == target_id
            self.lower(child, out, st, writing or is_target)

    def _augmented(self, node: Node, out: list[tuple[int, int]], st: _Statement) -> None:
        # x += e, x = x + e and x++ all lower to: x = x + e (with x++ as x = x + <num>).
        target = node.child_by_field_name("left") or node.child_by_field_name("argument")
        operator = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        if node.type == "update_expression" and (target is None or operator is None):
            # Java's grammar gives x++ no fields: the operand is the named child.
            named = node.named_children
            target = named[0] if len(named) == 1 else None
            operator = next((c for c in node.children if c.type in {"++", "--"}), None)
        line = node.start_point[0] + 1
        if target is None or operator is None:
            self._children(node, out, st, writing=False)
            return
        op = operator.type
        self.lower(target, out, st, writing=True)
        out.append((ASSIGN, line))
        self.lower(target, out, st, writing=False)
        if op in {"++", "--"}:
            out.append((symbol(op[0]), line))
            out.append((NUMBER, line))
            return
        out.append((symbol(op[:-1]), line))
        if right is not None:
            self.lower(right, out, st, writing=False)

    def _function(self, node: Node, out: list[tuple[int, int]], st: _Statement) -> None:
        # A definition only binds its name; its body runs later, so its reads and writes do
        # not order it against its neighbours.
        name = node.child_by_field_name("name")
        if name is not None and name.type in self.spec.identifiers:
            st.writes.add(name.text or b"")
        body = _Statement()
        self.scopes.append(node.type not in self.spec.classes)
        self._children(node, out, body, writing=False)
        self.scopes.pop()

    # -- blocks and statements ---------------------------------------------------------------

    def _block(self, node: Node, out: list[tuple[int, int]], st: _Statement) -> None:
        children = node.children
        line = node.start_point[0] + 1
        opens = bool(children) and children[0].type == "{"
        closes = len(children) > 1 and children[-1].type == "}"
        root = node.parent is None
        statements: list[_Statement] = []
        for child in children:
            if not child.is_named or child.type in self.spec.comments:
                continue
            if self._is_dead(child):
                continue
            for part in self._statement(child):
                statements.append(part)
            if child.type in self.spec.terminators:
                break  # anything after it in this block never runs
        if opens:
            out.append((symbol("{"), line))
        elif not root:
            out.append((BLOCK_OPEN, line))
        order = _canonical_order(statements)
        for place, index in enumerate(order):
            if place and index != order[place - 1] + 1:
                out.append((SEAM, 0))
            out.extend(statements[index].tokens)
            st.absorb(statements[index])
        end_line = node.end_point[0] + 1
        if closes:
            out.append((symbol("}"), end_line))
        elif not opens and not root:
            out.append((BLOCK_CLOSE, end_line))

    def _statement(self, node: Node) -> list[_Statement]:
        """One statement of a block as zero (dead or inlined), one or several statements."""
        parts = self._split(node)
        if parts is not None:
            return parts
        definition = self._single_definition(node)
        if definition is None:
            statement = _Statement()
            self.lower(node, statement.tokens, statement, writing=False)
            return [statement]
        target, value = definition
        return self._define(
            target, value, lambda st: self.lower(node, st.tokens, st, writing=False)
        )

    def _define(
        self, target: Node, value: Node | None, emit: Callable[[_Statement], None]
    ) -> list[_Statement]:
        """A store into a plain variable: inlined when read once later, dropped when never
        read and computing nothing with side effects, else kept. Only inside functions:
        module and class level names are read from outside the file."""
        local = bool(self.scopes) and self.scopes[-1] and target.type in self.spec.identifiers
        name = target.text or b""
        count = self.counts.get(name, 0)
        if (
            local
            and count == 2
            and value is not None
            and self.first_seen.get(name) == target.start_byte
        ):
            held = _Statement()
            self.lower(value, held.tokens, held, writing=False)
            self.pending[name] = held
            return []
        statement = _Statement()
        emit(statement)
        if local and count == 1 and not statement.calls:
            return []
        return [statement]

    def _split(self, node: Node) -> list[_Statement] | None:
        """`a, b = x, y` and `let a = x, b = y` as one statement per variable, else None."""
        if node.type in self.spec.declarations:
            return self._split_declaration(node)
        assignment = self._only_assignment(node)
        if assignment is None or assignment.type != "assignment" or self.spec.name != "python":
            return None
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None or assignment.child_by_field_name("type") is not None:
            return None
        targets = left.named_children if left.type in {"pattern_list", "tuple_pattern"} else []
        values = right.named_children if right.type in {"expression_list", "tuple"} else []
        if len(targets) != len(values) or len(targets) < 2:
            return None
        parts = []
        for target, value in zip(targets, values, strict=True):
            parts.extend(self._define(target, value, self._emit_store(target, value)))
        return parts

    def _emit_store(self, target: Node, value: Node) -> Callable[[_Statement], None]:
        def emit(part: _Statement) -> None:
            self.lower(target, part.tokens, part, writing=True)
            part.tokens.append((ASSIGN, target.start_point[0] + 1))
            self.lower(value, part.tokens, part, writing=False)

        return emit

    def _split_declaration(self, node: Node) -> list[_Statement] | None:
        declarator_type = self.spec.declarations[node.type]
        declarators = [c for c in node.children if c.type == declarator_type]
        if len(declarators) < 2:
            return None
        first_id = declarators[0].id
        prefix_nodes: list[Node] = []
        for child in node.children:
            if child.id == first_id:
                break
            prefix_nodes.append(child)
        parts = []
        for declarator in declarators:
            target = declarator.child_by_field_name("name") or declarator
            value = declarator.child_by_field_name("value")
            parts.extend(
                self._define(target, value, self._emit_declaration(prefix_nodes, declarator))
            )
        return parts

    def _emit_declaration(
        self, prefix_nodes: list[Node], declarator: Node
    ) -> Callable[[_Statement], None]:
        def emit(part: _Statement) -> None:
            for prefix in prefix_nodes:
                self.lower(prefix, part.tokens, part, writing=False)
            self.lower(declarator, part.tokens, part, writing=False)
            if ";" not in self.spec.ignored_tokens:
                part.tokens.append((STATEMENT_END, declarator.end_point[0] + 1))

        return emit

    def _only_assignment(self, node: Node) -> Node | None:
        """The assignment an expression statement consists of, if that is all it is."""
        if node.type not in self.spec.expression_statements or node.named_child_count != 1:
            return None
        inner = node.named_children[0]
        return inner if inner.type in self.spec.assignments else None

    def _single_definition(self, node: Node) -> tuple[Node, Node | None] | None:
        """(target, value) when a statement only stores a value into a plain variable."""
        identifiers = self.spec.identifiers
        if node.type in self.spec.declarations:
            declarator_type = self.spec.declarations[node.type]
            declarators = [c for c in node.children if c.type == declarator_type]
            if len(declarators) != 1:
                return None
            target = declarators[0].child_by_field_name("name")
            value = declarators[0].child_by_field_name("value")
        else:
            assignment = self._only_assignment(node)
            if assignment is None or assignment.child_by_field_name("type") is not None:
                return None
            operator = assignment.child_by_field_name("operator")
            if operator is not None and operator.type != "=":
                return None
            target = assignment.child_by_field_name("left")
            value = assignment.child_by_field_name("right")
            if value is None:
                return None
        if target is None or target.type not in identifiers:
            return None
        return target, value

    def _is_dead(self, node: Node) -> bool:
        """Statements that cannot change what the program does, recognisable without analysis."""
        spec = self.spec
        kind = node.type
        if kind in spec.empty_statements:
            return True
        if kind in spec.expression_statements:
            named = node.named_children
            return len(named) == 1 and (
                named[0].type in spec.strings
                or named[0].type in spec.numbers
                or named[0].type in spec.booleans
                or named[0].type in spec.identifiers
            )
        if kind in spec.while_statements:
            return self._is_false(node.child_by_field_name("condition"))
        if kind in spec.if_statements:
            has_else = node.child_by_field_name("alternative") is not None
            return not has_else and self._is_false(node.child_by_field_name("condition"))
        return False

    def _is_false(self, condition: Node | None) -> bool:
        while condition is not None and condition.type in self.spec.parenthesized:
            inner = condition.named_children
            condition = inner[0] if len(inner) == 1 else None
        if condition is None:
            return False
        if condition.type in self.spec.false_literals:
            return True
        return condition.type in self.spec.numbers and (condition.text or b"").strip() == b"0"


def _flat_tokens(root: Node, spec: LanguageSpec) -> list[tuple[int, int]]:
    """Leaves in source order, iteratively: the normalisation that needs no recursion."""
    literals = dict.fromkeys(spec.strings, STRING)
    literals.update(dict.fromkeys(spec.numbers, NUMBER))
    literals.update(dict.fromkeys(spec.booleans, BOOLEAN))
    tokens: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.type
        line = node.start_point[0] + 1
        if kind in spec.comments or node.is_missing:
            continue
        if kind in literals:
            tokens.append((literals[kind], line))
        elif kind in spec.identifiers:
            tokens.append((IDENTIFIER, line))
        elif node.child_count == 0:
            if kind not in spec.ignored_tokens:
                tokens.append((symbol(kind), line))
        else:
            stack.extend(reversed(node.children))
    return tokens


def _only_generator(node: Node) -> bool:
    # f((x for x in y)) is f(x for x in y): keep only the generator's own parentheses.
    return (
        node.type == "argument_list"
        and node.named_child_count == 1
        and node.named_children[0].type == "generator_expression"
    )


def _canonical_order(statements: list[_Statement]) -> list[int]:
    """Topological order of the statements' dependencies, smallest token sequence first, as
    indexes into ``statements``."""
    count = len(statements)
    if count < 2 or count > MAX_REORDERED_STATEMENTS:
        return list(range(count))
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for i in range(count):
        for j in range(i + 1, count):
            if statements[i].conflicts_with(statements[j]):
                successors[i].append(j)
                indegree[j] += 1
    # Seams inside a statement depend on how its body was ordered in the source: not a key.
    keys = [tuple(sym for sym, _ in st.tokens if sym != SEAM) for st in statements]
    ready = [(keys[i], i) for i in range(count) if indegree[i] == 0]
    heapq.heapify(ready)
    ordered: list[int] = []
    while ready:
        _, index = heapq.heappop(ready)
        ordered.append(index)
        for successor in successors[index]:
            indegree[successor] -= 1
            if indegree[successor] == 0:
                heapq.heappush(ready, (keys[successor], successor))
    return ordered
