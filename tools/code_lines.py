"""Count the code lines of Python modules: no blank lines, comments or docstrings.

    python tools/code_lines.py overrides/iscctl/core.py overrides/iscctl/api.py
    python tools/code_lines.py --rev 71338e4 overrides/iscctl/core.py ...
    python tools/code_lines.py overrides/iscctl/errors.py::status_error,read_error_model

Why a script and not `wc -l`: the wire code's docstrings grew while its code
shrank, and "measurably smaller" (#11) is about code. A line counts when a
token other than a comment, a newline or indentation starts or continues on it,
and it is not part of a docstring (the string statement first in a module,
class or function body). `--rev` reads the files as they were at a git revision
(a file missing there counts 0), so a before/after compare needs no checkout.
`PATH::NAME,...` counts only the module-level functions, classes and assignments of
those names (names a revision lacks count 0), to measure one job inside a module.
"""

from __future__ import annotations

import argparse
import ast
import io
import subprocess
import sys
import tokenize

_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def docstring_lines(tree: ast.AST) -> set[int]:
    """The line numbers taken by docstrings of the module, its classes and functions."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = node.body[0] if node.body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if first is not None and isinstance(value, ast.Constant) and isinstance(value.value, str):
            lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def code_lines(source: str, names: set[str] | None = None) -> int:
    """How many lines of `source` carry code (only in the top-level `names`, if given)."""
    tree = ast.parse(source)
    docstrings = docstring_lines(tree)
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in _NOT_CODE:
            continue
        lines.update(range(token.start[0], token.end[0] + 1))
    if names is not None:
        lines &= {line for node in tree.body if _name_of(node) in names for line in _span(node)}
    return len(lines - docstrings)


def _name_of(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    first = targets[0] if len(targets) == 1 else None
    return first.id if isinstance(first, ast.Name) else None


def _span(node: ast.stmt) -> range:
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    return range(start, (node.end_lineno or node.lineno) + 1)


def read(path: str, rev: str | None) -> str:
    if rev is None:
        with open(path, encoding="utf-8") as file:
            return file.read()
    shown = subprocess.run(
        ["git", "show", f"{rev}:{path}"], capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="Python files (paths in the repository)")
    parser.add_argument("--rev", help="count the files as they are at this git revision")
    args = parser.parse_args(argv)
    total = 0
    for given in args.paths:
        path, _, selected = given.partition("::")
        names = set(selected.split(",")) if selected else None
        count = code_lines(read(path, args.rev), names)
        total += count
        print(f"{count:6d}  {given}")
    print(f"{total:6d}  total" + (f" at {args.rev}" if args.rev else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
