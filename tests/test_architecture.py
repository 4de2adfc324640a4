"""The package's layering: a stage imports only stages below it, at the top of the module.

The order is the pipeline's (docs/architecture.md): a module may import its own sub-package and any
sub-package listed before it, never one after it. Imports inside functions are refused too, except the
CLI's lazy ones, which keep a build with nothing to do from importing Jinja, Markdown and the models.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

LAYERS = [
    "core",  # diagnostics, artifacts, addresses, YAML with line marks, the schema
    "output",  # the output folder: ownership, the writer, its journal and file records, the site's lock
    "models",  # the typed, frozen content model
    "content",  # files -> documents: sources, the kind registry, loader, Markdown, translations, catalogues
    "admin",  # the browser editor: its configuration from the models and kinds, its local backend
    "site",  # documents -> Site: assembly, cross-checks, consent, the program, forms
    "render",  # Site -> artifacts: templates, editions, page plans, feeds, SEO, assets, images, host files
    "checks",  # the rules of `sitegen check` over the Site and its rendered pages
    "incremental",  # the build cache, recorded dependencies, page reuse, quick edits, workers
    "build",  # the pipeline's stages, the writer, build() and check()
    "serve",  # the dev server
    "report",  # the form exports -> referral numbers and the rewards ledger
    "",  # the top: cli.py, scaffold.py, reference.py, __main__.py
]
# Function-level imports of sitegen that are deliberate (module -> reason)
LAZY = {
    "cli": "the no-op build imports only what it needs; each command imports its own stage",
}


def _layer_of(module: str) -> str:
    """The layer of a module, or of a name imported from one (`sitegen.core.errors.Diagnostics`)."""
    parts = module.split(".")
    if module == "sitegen" or parts[1].startswith("__version"):
        return "core"  # the package root holds the version only
    return parts[1] if parts[1] in LAYERS else ""


def _modules() -> list[tuple[str, Path]]:
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), file))
    return found


def _imports(file: Path) -> list[tuple[str, int, bool]]:
    """Every sitegen module `file` imports: (module, line, at module level)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks count as the top
        if isinstance(node, ast.If):
            top_level |= {id(child) for child in node.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            assert node.level == 0, f"{file}:{node.lineno}: relative import"
            for alias in node.names:
                found.append((f"{node.module}.{alias.name}", node.lineno, id(node) in top_level))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sitegen"):
                    found.append((alias.name, node.lineno, id(node) in top_level))
    return found


@pytest.mark.parametrize("module,file", _modules(), ids=[m for m, _ in _modules()])
def test_a_stage_imports_only_the_stages_below_it(module: str, file: Path) -> None:
    own = LAYERS.index(_layer_of(module))
    upward = [
        f"{file.name}:{line}: {target} ({_layer_of(target) or 'top'} is above {LAYERS[own] or 'top'})"
        for target, line, _ in _imports(file)
        if LAYERS.index(_layer_of(target)) > own
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("module,file", _modules(), ids=[m for m, _ in _modules()])
def test_imports_are_at_the_top_of_the_module(module: str, file: Path) -> None:
    if module.split(".")[1:2] and module.split(".")[1] in LAZY:
        return
    inner = [f"{file.name}:{line}: {target}" for target, line, top in _imports(file) if not top]
    assert not inner, "\n".join(inner)


def test_the_layer_rule_catches_an_upward_import(tmp_path: Path) -> None:
    """The rule itself: a core module importing the build is refused."""
    file = tmp_path / "errors.py"
    file.write_text("from sitegen.build.pipeline import build\n")
    (target, _, top) = _imports(file)[0]
    assert top and LAYERS.index(_layer_of(target)) > LAYERS.index(_layer_of("sitegen.core.errors"))


def test_no_module_is_longer_than_400_lines() -> None:
    long = [
        f"{file.relative_to(PACKAGE.parent)}: {n} lines"
        for _, file in _modules()
        if (n := len(file.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert not long, "\n".join(long)
