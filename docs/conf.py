"""Sphinx configuration of the rmtedge documentation (offline build, warnings are errors in CI).

Build: ``python -m sphinx -W -b html docs docs/_build/html``.

Two small local extensions live here:

* ``rmtedge-api``: documents every name in ``rmtedge.__all__`` (grouped by the module that defines
  it) and the public subpackages, so the API reference follows the code without a hand-kept list;
* ``rmtedge-help``: prints the ``--help`` text of an ``rmtedge`` subcommand, so the command-line
  page cannot drift from the parser.

The page list of ``index.md`` is completed at build time with every other page in this folder
(``{{ other_pages }}`` placeholder), so a page added by another topic is never orphaned.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import rmtedge  # noqa: E402

project = "rmtedge"
author = "rmtedge developers"
copyright = "2026, rmtedge developers"
version = release = rmtedge.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
# Other pages link to repository files (../benchmarks/..., ../validation/...) that are not Sphinx
# documents; headings in pages written by several people may skip a level.
suppress_warnings = ["myst.xref_missing", "myst.header"]

autodoc_default_options = {"members": False}
autodoc_typehints = "none"  # the numpydoc Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False

html_theme = "alabaster"
html_static_path: list[str] = []
html_title = f"rmtedge {release}"

# The main pages, in reading order; every other page in docs/ is appended after them.
MAIN_PAGES = ["tutorial", "theory", "validation", "cli", "api"]


def _other_pages() -> list[str]:
    pages = []
    for p in sorted(HERE.iterdir()):
        if p.suffix in (".md", ".rst") and p.stem not in MAIN_PAGES and p.stem != "index":
            pages.append(p.stem)
    return pages


def _fill_index(app, docname, source):
    if docname == "index":
        source[0] = source[0].replace("{{ other_pages }}", "\n".join(_other_pages()))


class RmtedgeApi(Directive):
    """Autodoc entries for every public name of rmtedge, grouped by defining module."""

    has_content = False

    def run(self):
        groups: dict[str, list[str]] = {}
        for name in rmtedge.__all__:
            if name.startswith("__"):
                continue
            obj = getattr(rmtedge, name)
            mod = getattr(obj, "__module__", None) or "rmtedge"
            if not callable(obj) or not mod.startswith("rmtedge"):
                mod = "rmtedge (constants)"
            groups.setdefault(mod, []).append(name)
        lines: list[str] = []
        for mod in sorted(groups):
            title = mod if mod.startswith("rmtedge (") else f"``{mod}``"
            lines += [title, "-" * len(title), ""]
            if not mod.startswith("rmtedge ("):
                lines += [f".. automodule:: {mod}", "   :no-members:", "   :no-index:", ""]
            for name in groups[mod]:
                obj = getattr(rmtedge, name)
                if isinstance(obj, type):
                    lines += [f".. autoclass:: rmtedge.{name}", "   :members:", ""]
                elif callable(obj):
                    lines += [f".. autofunction:: rmtedge.{name}", ""]
                else:
                    lines += [f".. py:data:: rmtedge.{name}", f"   :value: {obj!r}", ""]
        for sub in ("montecarlo", "mp"):
            try:
                module = __import__(f"rmtedge.{sub}", fromlist=["__all__"])
            except ImportError:
                continue
            names = [n for n in getattr(module, "__all__", []) if callable(getattr(module, n, None))]
            title = f"``rmtedge.{sub}``"
            lines += [title, "-" * len(title), "", f".. automodule:: rmtedge.{sub}", "   :no-members:", ""]
            for name in names:
                obj = getattr(module, name)
                kind = "autoclass" if isinstance(obj, type) else "autofunction"
                lines += [f".. {kind}:: rmtedge.{sub}.{name}", ""]
        from sphinx.util.nodes import nested_parse_with_titles

        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="rmtedge-api"), node)
        return node.children


class RmtedgeHelp(Directive):
    """Literal block with the ``--help`` text of ``rmtedge [SUBCOMMAND]``."""

    optional_arguments = 1
    has_content = False
    option_spec = {"width": directives.positive_int}  # noqa: RUF012 - docutils API

    def run(self):
        from rmtedge.cli import main

        argv = [*self.arguments, "--help"]
        buf = io.StringIO()
        old = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = str(self.options.get("width", 96))
        try:
            with contextlib.redirect_stdout(buf):
                main(argv)
        finally:
            if old is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = old
        text = buf.getvalue().rstrip()
        return [nodes.literal_block(text, text, language="text")]


_SPAN = re.compile(r"(``.+?``|`[^`]+?`)")


def _escape_bars(line: str) -> str:
    """Escape ``|`` outside backtick spans (``|z|``, ``||W||`` are math, not substitutions)."""
    parts = _SPAN.split(line)
    return "".join(p if i % 2 else p.replace("|", "\\|") for i, p in enumerate(parts))


def _plain_text_math(app, what, name, obj, options, lines):
    """Docstrings write |z| and ||W^k x|| in plain text; reST would read them as substitution
    references. Escape the bars everywhere except in literal blocks, doctests and tables."""
    literal_indent = None
    in_doctest = False
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if literal_indent is not None:
            if stripped and indent <= literal_indent:
                literal_indent = None
            else:
                continue
        if in_doctest:
            if not stripped:
                in_doctest = False
            continue
        if stripped.startswith(">>>"):
            in_doctest = True
            continue
        # grid-table rows and line blocks start with "| " (or are a bare "|"); "|z| = ..." is text
        if stripped.startswith(("+-", "+=", "| ", ".. ")) or stripped == "|":
            continue
        lines[i] = _escape_bars(line)
        if stripped.endswith("::"):
            literal_indent = indent


def setup(app):
    app.connect("autodoc-process-docstring", _plain_text_math)
    app.connect("source-read", _fill_index)
    app.add_directive("rmtedge-api", RmtedgeApi)
    app.add_directive("rmtedge-help", RmtedgeHelp)
    return {"parallel_read_safe": True}
