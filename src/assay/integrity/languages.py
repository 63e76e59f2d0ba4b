"""Per-language tree-sitter grammars and the node-type tables the normaliser needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_python
from tree_sitter import Language, Parser

LanguageName = Literal["python", "node", "java"]
LANGUAGES: tuple[LanguageName, ...] = ("python", "node", "java")


@dataclass(frozen=True)
class LanguageSpec:
    """What the normaliser must know about one grammar's node types."""

    name: LanguageName
    extensions: tuple[str, ...]
    identifiers: frozenset[str]
    strings: frozenset[str]  # whole subtree collapses to one STR token
    numbers: frozenset[str]
    booleans: frozenset[str]
    comments: frozenset[str]
    # Nodes whose named children are statements that may be reordered (blocks, class bodies).
    blocks: frozenset[str]
    # Nodes that open a new scope: their body runs later, so it does not make the enclosing
    # statement read or write anything.
    functions: frozenset[str]
    # Statements after which nothing in the same block runs; they also pin statement order.
    terminators: frozenset[str]
    # Node types that transfer control and so may not be reordered across (yield, await, ...).
    barriers: frozenset[str]
    # Assignment-like nodes: the subtree in `target_field` is written.
    assignments: dict[str, str]
    augmented_assignments: frozenset[str]
    parenthesized: frozenset[str]
    calls: frozenset[str]
    # A member access whose object is mutated when it is called: obj.append(x) writes obj.
    member_access: dict[str, str]
    if_statements: frozenset[str]
    while_statements: frozenset[str]
    expression_statements: frozenset[str]
    empty_statements: frozenset[str]
    # Single-variable declarations: node type -> declarator child type (JS let/const, Java locals).
    declarations: dict[str, str] = field(default_factory=dict)
    # Which of `functions` are classes: names stored in their bodies are attributes, not locals.
    classes: frozenset[str] = frozenset()
    # Anonymous tokens that carry no meaning in this language (JavaScript's optional `;`).
    ignored_tokens: frozenset[str] = frozenset()
    # Member and keyword names (obj.NAME, f(NAME=...)): node type -> field holding the name.
    # They are not variables: never inlined into, never counted as reads.
    member_names: dict[str, str] = field(default_factory=dict)
    false_literals: frozenset[str] = frozenset({"false"})


PYTHON = LanguageSpec(
    name="python",
    extensions=(".py",),
    identifiers=frozenset({"identifier"}),
    strings=frozenset({"string", "concatenated_string"}),
    numbers=frozenset({"integer", "float"}),
    booleans=frozenset({"true", "false"}),
    comments=frozenset({"comment"}),
    blocks=frozenset({"module", "block"}),
    functions=frozenset({"function_definition", "lambda", "class_definition"}),
    terminators=frozenset(
        {"return_statement", "raise_statement", "break_statement", "continue_statement"}
    ),
    barriers=frozenset(
        {
            "return_statement",
            "raise_statement",
            "break_statement",
            "continue_statement",
            "yield",
            "await",
            "global_statement",
            "nonlocal_statement",
        }
    ),
    assignments={"assignment": "left", "for_statement": "left", "as_pattern_target": ""},
    augmented_assignments=frozenset({"augmented_assignment"}),
    # `t = a, b` and `t = (a, b)` are the same tuple; unparse and formatters add the parentheses.
    parenthesized=frozenset({"parenthesized_expression", "tuple", "tuple_pattern"}),
    calls=frozenset({"call"}),
    member_access={"attribute": "object"},
    if_statements=frozenset({"if_statement"}),
    while_statements=frozenset({"while_statement"}),
    expression_statements=frozenset({"expression_statement"}),
    empty_statements=frozenset({"pass_statement"}),
    member_names={"attribute": "attribute", "keyword_argument": "name"},
    classes=frozenset({"class_definition"}),
)

JAVASCRIPT = LanguageSpec(
    name="node",
    extensions=(".js", ".mjs", ".cjs"),
    identifiers=frozenset(
        {
            "identifier",
            "property_identifier",
            "shorthand_property_identifier",
            "shorthand_property_identifier_pattern",
            "private_property_identifier",
            "statement_identifier",
        }
    ),
    strings=frozenset({"string", "template_string", "regex"}),
    numbers=frozenset({"number"}),
    booleans=frozenset({"true", "false"}),
    comments=frozenset({"comment", "html_comment"}),
    blocks=frozenset({"program", "statement_block", "class_body"}),
    functions=frozenset(
        {
            "function_declaration",
            "function_expression",
            "generator_function_declaration",
            "generator_function",
            "arrow_function",
            "method_definition",
            "class_declaration",
            "class",
        }
    ),
    terminators=frozenset(
        {"return_statement", "throw_statement", "break_statement", "continue_statement"}
    ),
    barriers=frozenset(
        {
            "return_statement",
            "throw_statement",
            "break_statement",
            "continue_statement",
            "yield_expression",
            "await_expression",
        }
    ),
    assignments={
        "assignment_expression": "left",
        "variable_declarator": "name",
        "for_in_statement": "left",
    },
    augmented_assignments=frozenset({"augmented_assignment_expression", "update_expression"}),
    parenthesized=frozenset({"parenthesized_expression"}),
    calls=frozenset({"call_expression", "new_expression"}),
    member_access={"member_expression": "object"},
    if_statements=frozenset({"if_statement"}),
    while_statements=frozenset({"while_statement"}),
    expression_statements=frozenset({"expression_statement"}),
    empty_statements=frozenset({"empty_statement"}),
    declarations={
        "lexical_declaration": "variable_declarator",
        "variable_declaration": "variable_declarator",
    },
    member_names={"member_expression": "property", "pair": "key"},
    classes=frozenset({"class_declaration", "class"}),
    ignored_tokens=frozenset({";"}),
)

JAVA = LanguageSpec(
    name="java",
    extensions=(".java",),
    identifiers=frozenset({"identifier", "type_identifier"}),
    strings=frozenset({"string_literal", "character_literal", "text_block"}),
    numbers=frozenset(
        {
            "decimal_integer_literal",
            "hex_integer_literal",
            "octal_integer_literal",
            "binary_integer_literal",
            "decimal_floating_point_literal",
            "hex_floating_point_literal",
        }
    ),
    booleans=frozenset({"true", "false"}),
    comments=frozenset({"line_comment", "block_comment"}),
    blocks=frozenset(
        {"program", "block", "class_body", "interface_body", "enum_body_declarations"}
    ),
    functions=frozenset(
        {
            "method_declaration",
            "constructor_declaration",
            "lambda_expression",
            "class_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
        }
    ),
    terminators=frozenset(
        {"return_statement", "throw_statement", "break_statement", "continue_statement"}
    ),
    barriers=frozenset(
        {
            "return_statement",
            "throw_statement",
            "break_statement",
            "continue_statement",
            "yield_statement",
            "synchronized_statement",
        }
    ),
    assignments={
        "assignment_expression": "left",
        "variable_declarator": "name",
        "enhanced_for_statement": "name",
    },
    augmented_assignments=frozenset({"update_expression"}),
    parenthesized=frozenset({"parenthesized_expression"}),
    calls=frozenset({"method_invocation", "object_creation_expression"}),
    member_access={"method_invocation": "object", "field_access": "object"},
    if_statements=frozenset({"if_statement"}),
    while_statements=frozenset({"while_statement"}),
    expression_statements=frozenset({"expression_statement"}),
    empty_statements=frozenset({";"}),
    declarations={"local_variable_declaration": "variable_declarator"},
    member_names={"field_access": "field", "method_invocation": "name"},
    classes=frozenset(
        {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}
    ),
)

SPECS: dict[LanguageName, LanguageSpec] = {"python": PYTHON, "node": JAVASCRIPT, "java": JAVA}


def spec_for(language: str) -> LanguageSpec:
    """The table for a language name; ValueError names the supported ones."""
    try:
        return SPECS[language]  # type: ignore[index]
    except KeyError:
        raise ValueError(
            f"unsupported language {language!r}; expected one of {', '.join(LANGUAGES)}"
        ) from None


@cache
def grammar_for(language: LanguageName) -> Language:
    """The grammar compiled into the language's own wheel: nothing is downloaded at run time."""
    grammars = {
        "python": tree_sitter_python.language,
        "node": tree_sitter_javascript.language,
        "java": tree_sitter_java.language,
    }
    return Language(grammars[language]())


@cache
def parser_for(language: LanguageName) -> Parser:
    """A parser for the language (one per process; parsers are not shared across threads)."""
    return Parser(grammar_for(language))
