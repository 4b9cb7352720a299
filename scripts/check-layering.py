#!/usr/bin/env python3
"""Checks that every module under src/ includes only the modules it declares.

A module is a folder src/<name>. Its declaration is its line in CMakeLists.txt:
    aih_module(<name> aih_<dep> ... <system libraries>)
(the program folder src/cli is declared by `target_link_libraries(aihistory PRIVATE aih_<dep> ...)`).
A module may include its own headers and those of every module it declares, directly or through
them (the libraries link PUBLIC, so a dependency's dependencies are there too). The declared graph
must have no cycle, so no module includes one above it.

A known violation kept until the code is restructured is declared where the modules are:
    aih_layering_exception(<name> <other module>)
and an exception that no include needs any more is an error too, so the list only shrinks.

Usage: scripts/check-layering.py [repository root]   (default: this script's repository)
Exit status 0 when the layering holds; otherwise 1, with one line per problem naming the file.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.MULTILINE)
SOURCE_SUFFIXES = (".h", ".hh", ".hpp", ".cc", ".cpp", ".inc")


def strip_cmake_comments(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def read_declarations(root):
    """Returns ({module: [declared modules]}, {(module, other)}) from CMakeLists.txt."""
    with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
        text = strip_cmake_comments(f.read())
    declared = {}
    for name, args in re.findall(r"\baih_module\(\s*(\w+)([^)]*)\)", text):
        declared[name] = [a[len("aih_"):] for a in args.split() if a.startswith("aih_")]
    for args in re.findall(r"\btarget_link_libraries\(\s*aihistory\b([^)]*)\)", text):
        declared.setdefault("cli", []).extend(a[len("aih_"):] for a in args.split() if a.startswith("aih_"))
    exceptions = set(re.findall(r"\baih_layering_exception\(\s*(\w+)\s+(\w+)\s*\)", text))
    return declared, exceptions


def find_cycle(declared):
    """Returns one cycle of the declared graph as a list of modules, or None."""
    state = {}  # module -> "open" while on the path, "done" after

    def visit(m, path):
        state[m] = "open"
        for d in declared.get(m, []):
            if state.get(d) == "open":
                return path[path.index(d):] + [d]
            if d not in state:
                cycle = visit(d, path + [d])
                if cycle:
                    return cycle
        state[m] = "done"
        return None

    for m in sorted(declared):
        if m not in state:
            cycle = visit(m, [m])
            if cycle:
                return cycle
    return None


def closure(declared, module):
    seen, todo = set(), list(declared.get(module, []))
    while todo:
        d = todo.pop()
        if d not in seen:
            seen.add(d)
            todo.extend(declared.get(d, []))
    return seen


def check(root):
    """Returns the list of problems (empty when the layering holds)."""
    src = os.path.join(root, "src")
    modules = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    declared, exceptions = read_declarations(root)
    problems = []

    for m in modules:
        if m not in declared:
            problems.append(f"src/{m}: module without a declaration: add aih_module({m} ...) to CMakeLists.txt")
    for m, deps in sorted(declared.items()):
        for d in deps:
            if d not in modules:
                problems.append(f"CMakeLists.txt: {m} declares aih_{d}, which is not a folder of src/")
    for m, d in sorted(exceptions):
        if m not in modules or d not in modules:
            problems.append(f"CMakeLists.txt: aih_layering_exception({m} {d}) names a module that does not exist")
    cycle = find_cycle(declared)
    if cycle:
        problems.append("CMakeLists.txt: the declared modules form a cycle: " + " -> ".join(cycle))

    used_exceptions = set()
    for m in modules:
        allowed = closure(declared, m) | {m}
        for dirpath, _, files in os.walk(os.path.join(src, m)):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for match in INCLUDE.finditer(text):
                    target = match.group(1).split("/", 1)[0]
                    if "/" not in match.group(1) or target not in modules or target in allowed:
                        continue
                    if (m, target) in exceptions:
                        used_exceptions.add((m, target))
                        continue
                    line = text.count("\n", 0, match.start()) + 1
                    rel = os.path.relpath(path, root)
                    why = (f"{target} is above {m} (it uses {m})" if m in closure(declared, target)
                           else f"{m} does not declare {target}")
                    problems.append(f'{rel}:{line}: includes "{match.group(1)}": {why}; '
                                    f"{m} may use: {', '.join(sorted(allowed - {m})) or 'no other module'}")
    for m, d in sorted(exceptions - used_exceptions):
        problems.append(f"CMakeLists.txt: aih_layering_exception({m} {d}) is no longer needed: remove it")
    return problems


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = check(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"layering: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("layering: every module includes only the modules it declares")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
