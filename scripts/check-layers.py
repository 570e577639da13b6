#!/usr/bin/env python3
"""Checks Haven's layering, as the test script's style step:

1. each crate depends only on the crates below it (domain, crypto < store < app < web, jobs
   < haven), so a rule can't reach for the web layer, nor storage for a service;
2. no two source files of one crate import each other, directly or round a circle: a file
   that needs another's insides and is needed by it is one design split in two, and the
   next change to either breaks both.

Imports are read from `use` statements and from `crate::`/`super::`/`self::` paths in code,
and each imported name is followed to the file that defines it (through `pub use`
re-exports), so a `mod.rs` that re-exports its children is not a circle by itself.
Prints every circle with the names that tie it and exits 1 when there is one.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lower crates first; a crate may depend only on crates of a lower rank.
RANK = {"haven-domain": 0, "haven-crypto": 0, "haven-store": 1, "haven-app": 2, "haven-web": 3, "haven-jobs": 3, "haven": 4}


def strip_comments_and_strings(text: str) -> str:
    """Source text without comments and with string and char literals emptied, so that
    `use` inside a doc comment or a URL in a string can't be read as an import."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + 2 + len(hashes))
            out.append('""')
            i = n if end < 0 else end + 1 + len(hashes)
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            out.append('""')
            i += 1
        elif c == "'" and (re.match(r"'\\", text[i:i + 2]) or re.match(r"'.'", text[i:i + 3], re.S)):
            end = text.find("'", i + 2 if text[i + 1] == "\\" else i + 2)
            out.append("' '")
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_top(text: str) -> list[str]:
    """Splits `a, b::{c, d}, e` at the commas outside braces."""
    parts, depth, cur = [], 0, []
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def expand_use(tree: str, prefix: list[str]) -> list[tuple[list[str], str | None]]:
    """`a::{b, c::d as e}` → [(['a','b'], None), (['a','c','d'], 'e')]."""
    # Spaces go except the ones around `as`, which marks an alias (a name may contain "as").
    tree = re.sub(r"\s*(::|\{|\}|,)\s*", r"\1", re.sub(r"\s+", " ", tree).strip())
    out = []
    if "{" in tree and tree.endswith("}"):
        head, _, body = tree.partition("{")
        head_parts = [p for p in head.split("::") if p]
        for part in split_top(body[:-1]):
            out.extend(expand_use(part, prefix + head_parts))
        return out
    alias = None
    m = re.fullmatch(r"(.+?) as (\w+)", tree)
    if m:
        tree, alias = m.group(1), m.group(2)
    segments = prefix + [p for p in tree.split("::") if p]
    if segments and segments[-1] == "self":
        segments = segments[:-1]
    return [(segments, alias)]


class Crate:
    def __init__(self, name: str, src: Path):
        self.name = name
        self.src = src
        self.modules: dict[tuple[str, ...], Path] = {}
        root = src / "lib.rs" if (src / "lib.rs").exists() else src / "main.rs"
        for f in sorted(src.rglob("*.rs")):
            rel = f.relative_to(src).with_suffix("")
            parts = list(rel.parts)
            if f == root:
                parts = []
            elif parts[-1] == "mod":
                parts = parts[:-1]
            elif f.name == "main.rs" and root.name == "lib.rs":
                continue  # the binary reaches the library through its crate name
            self.modules[tuple(parts)] = f
        self.path_of = {f: m for m, f in self.modules.items()}
        self.text = {f: strip_comments_and_strings(f.read_text()) for f in self.modules.values()}
        self.defined: dict[Path, set[str]] = {}
        self.reexports: dict[Path, dict[str, list[str]]] = {}
        self.uses: dict[Path, list[tuple[list[str], str | None]]] = {}
        # Where each inline `mod name { … }` of a file starts and ends, so that a `use super::*`
        # in a file's test module names the file itself, not its parent.
        self.inline: dict[Path, list[tuple[int, int, str]]] = {}
        for f, text in self.text.items():
            self.defined[f] = set(
                re.findall(r"(?m)^(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe)\s+)*(?:fn|struct|enum|trait|type|const|static|union)\s+(\w+)", text)
            ) | set(re.findall(r"(?m)^macro_rules!\s*(\w+)", text)) | set(re.findall(r"(?m)^(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*\{", text))
            self.inline[f] = []
            for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
                depth, i = 1, m.end()
                while i < len(text) and depth:
                    depth += {"{": 1, "}": -1}.get(text[i], 0)
                    i += 1
                self.inline[f].append((m.start(), i, m.group(1)))
            self.uses[f] = []
            self.reexports[f] = {}
            for m in re.finditer(r"(?m)^([ \t]*)(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", text):
                here = self.here(f, m.start())
                for segments, alias in expand_use(m.group(3), []):
                    self.uses[f].append((segments, alias, here))
                    if m.group(2) and not m.group(1) and segments:
                        self.reexports[f][alias or segments[-1]] = segments

    def here(self, f: Path, at: int) -> list[str]:
        """The module path at offset `at` of file `f`, inline modules included."""
        return list(self.path_of[f]) + [name for start, end, name in self.inline[f] if start <= at < end]

    def absolute(self, here: list[str], segments: list[str]) -> list[str] | None:
        """The path from the crate root, seen from module `here`, or None for another crate's."""
        if not segments:
            return None
        head = segments[0]
        if head == "crate":
            return segments[1:]
        if head in ("super", "self"):
            base = here
            rest = segments
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    base = base[:-1]
                rest = rest[1:]
            return base + rest
        if tuple(here + [head]) in self.modules:
            return here + segments
        return None

    def resolve(self, here: list[str], segments: list[str], seen: int = 0) -> tuple[Path, str] | None:
        """The file that defines what `segments` names, seen from module `here`, and the name."""
        path = self.absolute(here, segments)
        if path is None or seen > 8:
            return None
        depth = 0
        while depth < len(path) and tuple(path[: depth + 1]) in self.modules:
            depth += 1
        target = self.modules[tuple(path[:depth])]
        rest = path[depth:]
        if not rest or rest[0] == "*":
            return (target, "*")
        name = rest[0]
        if name in self.defined[target]:
            return (target, name)
        if name in self.reexports[target]:
            found = self.resolve(list(self.path_of[target]), self.reexports[target][name], seen + 1)
            if found:
                return found
        return (target, name)

    def edges(self) -> dict[Path, dict[Path, set[str]]]:
        graph: dict[Path, dict[Path, set[str]]] = {f: {} for f in self.modules.values()}

        def add(f: Path, found: tuple[Path, str] | None) -> None:
            if found and found[0] != f:
                graph[f].setdefault(found[0], set()).add(found[1])

        for f, text in self.text.items():
            aliases = {}
            for segments, alias, here in self.uses[f]:
                add(f, self.resolve(here, segments))
                path = self.absolute(here, segments)
                if path is not None and tuple(path) in self.modules and segments[-1] != "*":
                    aliases[alias or segments[-1]] = segments
            # Blank out the `use` statements (keeping offsets) and read the paths in code.
            body = re.sub(r"(?m)^\s*(pub(\([^)]*\))?\s+)?use\s+[^;]+;", lambda m: " " * len(m.group(0)), text)
            for m in re.finditer(r"\b(crate|super|self)((?:::\w+)+)", body):
                add(f, self.resolve(self.here(f, m.start()), [m.group(1)] + m.group(2).split("::")[1:]))
            # Paths through a child module without `self::` (`booking::Booking` in lib.rs).
            here = list(self.path_of[f])
            for child in [m[-1] for m in self.modules if len(m) == len(here) + 1 and list(m[:-1]) == here]:
                aliases.setdefault(child, ["self", child])
            for alias, segments in aliases.items():
                for m in re.finditer(rf"(?<![\w:]){re.escape(alias)}((?:::\w+)+)", body):
                    add(f, self.resolve(self.here(f, m.start()), segments + m.group(1).split("::")[1:]))
        return graph


def circles(graph: dict[Path, dict[Path, set[str]]]) -> list[list[Path]]:
    """Strongly connected components of more than one file (Tarjan)."""
    index: dict[Path, int] = {}
    low: dict[Path, int] = {}
    stack: list[Path] = []
    on_stack: set[Path] = set()
    found: list[list[Path]] = []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v: Path) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def main() -> int:
    failed = False
    for manifest in sorted(ROOT.glob("crates/*/Cargo.toml")):
        meta = tomllib.loads(manifest.read_text())
        name = meta["package"]["name"]
        deps = [d for d in meta.get("dependencies", {}) if d in RANK]
        for d in deps:
            if RANK[d] >= RANK.get(name, 99):
                print(f"{name} depends on {d}, which is not below it (see RANK in {Path(__file__).name})")
                failed = True
        crate = Crate(name, manifest.parent / "src")
        graph = crate.edges()
        for component in circles(graph):
            failed = True
            members = set(component)
            print(f"{name}: these files import each other round a circle:")
            for f in component:
                for g, names in sorted(graph[f].items()):
                    if g in members:
                        print(f"  {f.relative_to(ROOT)} -> {g.relative_to(ROOT)}: {', '.join(sorted(names))}")
        edges = sum(len(v) for v in graph.values())
        print(f"{name}: {len(graph)} files, {edges} imports between them, no circle" if not circles(graph) else "", end="\n" if not circles(graph) else "")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
