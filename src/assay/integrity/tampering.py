"""Places where a solution refers to the test framework it is graded by: a cue for a person.

Unit-test tasks run the candidate's code in the test framework's own process, so a solution
could patch pytest, node:test or JUnit, end the process early or touch the report file. The
random token on the report channel defeats most of that; this module only points a reviewer at
the lines worth reading. It parses each file with the language's real parser (``ast`` for
Python, tree-sitter for JavaScript and Java), so the same words in comments or ordinary strings
never count. A finding is never a verdict: a solution may have a good reason to name these.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from tree_sitter import Node

from assay.integrity.languages import LANGUAGES, LanguageName, parser_for, spec_for

MAX_EXCERPT = 120
# Paths of the report channel and framework report files (the engine writes under /tmp/report*).
REPORT_PATH = re.compile(r"^/tmp/report|junit", re.IGNORECASE)

PYTHON_FRAMEWORK_MODULES = frozenset({"pytest", "_pytest", "pluggy", "unittest", "builtins"})
# Calls that take a path first: opening, replacing or deleting the report file.
PYTHON_PATH_CALLS = frozenset(
    {"open", "Path", "PosixPath", "PurePath", "remove", "unlink", "rename", "replace"}
    | {"truncate", "chmod", "copy", "copyfile", "move", "rmtree"}
)
SYS_MODULES_MUTATORS = frozenset(
    {"__setitem__", "__delitem__", "update", "setdefault", "pop", "popitem", "clear"}
)
NODE_FRAMEWORK_MODULES = frozenset({"test", "assert", "assert/strict"})
NODE_EXIT_EVENTS = frozenset({"exit", "beforeExit"})
JAVA_FRAMEWORK_PACKAGES = ("org.junit", "org.opentest4j")


@dataclass(frozen=True)
class Finding:
    """One line of a solution that refers to the test framework."""

    file: str
    line: int  # 1-based
    what: str  # what the line does, for the reviewer
    excerpt: str  # the source line, at most MAX_EXCERPT characters


def framework_references(files: Mapping[str, str], language: str) -> list[Finding]:
    """Every reference to the test framework in the solution's source files, in file order.

    Files of other languages (notes, data) and languages without a parser (SQL) give nothing;
    a file that does not parse gives nothing either (it cannot have run the tests).
    """
    if language not in LANGUAGES:
        return []
    name: LanguageName = language  # narrowed by the check above
    extensions = spec_for(name).extensions
    found: list[Finding] = []
    for path in sorted(files):
        if not path.endswith(extensions):
            continue
        source = str(files[path])
        lines = source.splitlines()
        for line, what in sorted(set(_scan(source, name))):
            found.append(Finding(path, line, what, _excerpt(lines, line)))
    return found


def _scan(source: str, language: LanguageName) -> Iterator[tuple[int, str]]:
    if language == "python":
        return _python(source)
    tree = parser_for(language).parse(source.encode())
    if language == "node":
        return _node(tree.root_node)
    return _java(tree.root_node)


def _excerpt(lines: list[str], line: int) -> str:
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1] + "…"


# --- Python --------------------------------------------------------------------------------


def _python(source: str) -> Iterator[tuple[int, str]]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield from _python_import(node)
        elif isinstance(node, ast.Call):
            yield from _python_call(node)
        elif isinstance(node, ast.Attribute):
            yield from _python_attribute(node)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            if _dotted(node.value) == "sys.modules":
                yield node.lineno, "writes to sys.modules"
            elif _is_builtins(node.value):
                yield node.lineno, "patches __builtins__"


def _python_import(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[int, str]]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if _framework_module(alias.name):
                yield node.lineno, f"imports {alias.name}"
        return
    module = node.module or ""
    if node.level > 0:
        return  # the solution's own package
    names = {a.name for a in node.names}
    if _framework_module(module):
        yield node.lineno, f"imports from {module}"
    if module == "os" and "_exit" in names:
        yield node.lineno, "imports os._exit (ends the process without cleanup)"
    if module == "sys" and "modules" in names:
        yield node.lineno, "imports sys.modules"


def _python_attribute(node: ast.Attribute) -> Iterator[tuple[int, str]]:
    writes = isinstance(node.ctx, ast.Store | ast.Del)
    if node.attr == "_exit" and _module_of(node.value) == "os":
        yield node.lineno, "calls os._exit (ends the process without cleanup)"
    elif _dotted(node) == "sys.modules" and writes:
        yield node.lineno, "replaces sys.modules"
    elif _is_builtins(node.value) and writes:
        yield node.lineno, f"patches builtins.{node.attr}"


def _python_call(call: ast.Call) -> Iterator[tuple[int, str]]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = call.args[0] if call.args else None
    if name in {"__import__", "import_module"} and _literal(first) is not None:
        module = _literal(first) or ""
        if _framework_module(module):
            yield call.lineno, f"imports {module} dynamically"
    if name in {"setattr", "delattr"} and first is not None and _is_builtins(first):
        yield call.lineno, "patches builtins"
    if (
        isinstance(func, ast.Attribute)
        and name in SYS_MODULES_MUTATORS
        and _dotted(func.value) == "sys.modules"
    ):
        yield call.lineno, f"writes to sys.modules ({name})"
    if name in PYTHON_PATH_CALLS:
        for arg in call.args:
            path = _literal(arg)
            if path is not None and REPORT_PATH.search(path):
                yield call.lineno, f"opens the test report path {path[:60]}"


def _module_of(node: ast.expr) -> str:
    """The module an expression names: ``os`` or ``__import__("os")`` (empty otherwise)."""
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return (_literal(node.args[0]) or "") if name in {"__import__", "import_module"} else ""
    return _dotted(node)


def _framework_module(module: str) -> bool:
    return module.split(".", maxsplit=1)[0] in PYTHON_FRAMEWORK_MODULES


def _is_builtins(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"builtins", "__builtins__"}


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` for a chain of names and attributes, else an empty string."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _literal(node: ast.expr | None) -> str | None:
    """The text of a string literal, or of an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


# --- tree-sitter (JavaScript and Java) -----------------------------------------------------


def _walk(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _text(node: Node | None) -> str:
    return node.text.decode(errors="replace") if node is not None and node.text else ""


def _line(node: Node) -> int:
    return node.start_point[0] + 1


def _js_string(node: Node | None) -> str | None:
    """The value of a plain JavaScript string literal (no template substitutions)."""
    if node is None or node.type != "string":
        return None
    return "".join(_text(c) for c in node.children if c.type == "string_fragment")


def _node_module(specifier: str) -> bool:
    bare = specifier.removeprefix("node:")
    return bare in NODE_FRAMEWORK_MODULES or bare.startswith(("test/", "internal/"))


def _node(root: Node) -> Iterator[tuple[int, str]]:
    assert_names = {"assert"}  # names bound to the assert module, to spot patching it
    for node in _walk(root):
        if node.type == "import_statement":
            module = _js_string(node.child_by_field_name("source"))
            if module is not None and _node_module(module):
                yield _line(node), f"imports {module}"
                if "assert" in module:
                    assert_names.update(_text(c) for c in _walk(node) if c.type == "identifier")
        elif node.type == "call_expression":
            yield from _node_call(node, assert_names)
        elif node.type in {"assignment_expression", "augmented_assignment_expression"}:
            root_name = _member_root(node.child_by_field_name("left"))
            if root_name in assert_names:
                yield _line(node), f"patches {root_name}"
            elif root_name == "process" and "exit" in _text(node.child_by_field_name("left")):
                yield _line(node), "patches process.exit"


def _node_call(call: Node, assert_names: set[str]) -> Iterator[tuple[int, str]]:
    func = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    args = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    first = _js_string(args[0]) if args else None
    if func is not None and (func.type == "import" or _text(func) == "require"):
        if first is not None and _node_module(first):
            yield _line(call), f"requires {first}"
            parent = call.parent
            if "assert" in first and parent is not None and parent.type == "variable_declarator":
                bound = parent.child_by_field_name("name")
                if bound is not None:
                    assert_names.update(_text(c) for c in _walk(bound) if c.type == "identifier")
        return
    callee = _text(func).replace(" ", "")
    if callee in {"process.exit", "process.reallyExit", "process.abort"}:
        yield _line(call), f"calls {callee} (ends the test run early)"
    elif callee in {"process.on", "process.once", "process.addListener", "process.prependListener"}:
        if first in NODE_EXIT_EVENTS:
            yield _line(call), f"listens for process '{first}'"
    elif callee in {"Object.defineProperty", "Object.assign", "Reflect.set"} and args:
        target = _member_root(args[0])
        if target in assert_names:
            yield _line(call), f"patches {target} through {callee}"


def _member_root(node: Node | None) -> str:
    """The identifier at the root of ``a.b[c].d`` (empty for anything else)."""
    while node is not None and node.type in {"member_expression", "subscript_expression"}:
        node = node.child_by_field_name("object")
    return _text(node) if node is not None and node.type == "identifier" else ""


def _java(root: Node) -> Iterator[tuple[int, str]]:
    for node in _walk(root):
        if node.type in {"scoped_identifier", "scoped_type_identifier", "field_access"}:
            parent = node.parent
            if parent is not None and parent.type == node.type:
                continue  # the outermost name of a chain speaks for it
            name = re.sub(r"\s+", "", _text(node))
            if name.startswith(JAVA_FRAMEWORK_PACKAGES):
                inside_import = parent is not None and parent.type == "import_declaration"
                yield _line(node), ("imports " if inside_import else "refers to ") + name
        elif node.type == "method_invocation":
            obj = re.sub(r"\s+", "", _text(node.child_by_field_name("object")))
            method = _text(node.child_by_field_name("name"))
            if obj in {"System", "java.lang.System"} and method == "exit":
                yield _line(node), "calls System.exit (ends the test run early)"
            elif obj.endswith("Runtime.getRuntime()") and method in {"halt", "exit"}:
                yield _line(node), f"calls Runtime.getRuntime().{method} (ends the test run early)"
