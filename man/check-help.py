#!/usr/bin/env python3
"""Checks that a man page and a program's --help agree: every option (and, for a program with subcommands, every
subcommand and its arguments) that --help names is documented in the page, and the page documents nothing that
--help does not know.

Usage: man/check-help.py PROGRAM PAGE.scd

For a program with subcommands (its --help has a SUBCOMMANDS list), the page must have one `## name …` subsection
per subcommand under `# COMMANDS`, naming the subcommand's positional arguments as `_argument_` in its title and its
own options as `*--option*` in its body; the options every subcommand shares go in `# OPTIONS`. For a program
without subcommands, every option goes in `# OPTIONS`. Exits 0 when they agree, 1 with a list of differences.
"""

from __future__ import annotations

import re
import subprocess
import sys

SHARED = {"--version", "--help", "-h"}


def help_text(program: str, *args: str) -> str:
    result = subprocess.run([program, *args, "--help"], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise SystemExit(f"check-help: {program} {' '.join(args)} --help exited {result.returncode}")
    return result.stdout


def help_section(text: str, title: str) -> str:
    match = re.search(rf"^{title}:\n(.*?)(?=^\S|\Z)", text, re.S | re.M)
    return match.group(1) if match else ""


def help_options(text: str) -> set[str]:
    section = help_section(text, "OPTIONS")
    return set(re.findall(r"^  (?:-\w, )?(--[a-z][a-z0-9-]*)", section, re.M)) | (
        {"-h"} if re.search(r"^  -h, --help", section, re.M) else set())


def help_arguments(text: str) -> set[str]:
    return set(re.findall(r"^  <([a-z][a-z0-9-]*)>", help_section(text, "ARGUMENTS"), re.M))


def help_subcommands(text: str) -> list[str]:
    return re.findall(r"^  ([a-z][a-z0-9-]*)\s", help_section(text, "SUBCOMMANDS"), re.M)


def page_sections(page: str) -> dict[str, str]:
    parts = re.split(r"^# (.+)$", page, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def page_options(text: str) -> set[str]:
    # `*--name*` or `*-h*`; a value such as `*-inf*` is not an option.
    return set(re.findall(r"\*(--[a-z][a-z0-9-]*|-[a-zA-Z](?![a-zA-Z0-9]))", text))


def compare(what: str, documented: set[str], known: set[str], problems: list[str]) -> None:
    for name in sorted(known - documented):
        problems.append(f"{what}: {name} is in --help but not in the man page")
    for name in sorted(documented - known):
        problems.append(f"{what}: {name} is in the man page but not in --help")


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    program, page_path = sys.argv[1], sys.argv[2]
    with open(page_path, encoding="utf-8") as file:
        sections = page_sections(file.read())
    top = help_text(program)
    subcommands = help_subcommands(top)
    problems: list[str] = []
    if not subcommands:
        compare("OPTIONS", page_options(sections.get("OPTIONS", "")), help_options(top), problems)
    else:
        shared = set.intersection(*(help_options(help_text(program, name)) for name in subcommands))
        compare("OPTIONS (shared)", page_options(sections.get("OPTIONS", "")), shared | SHARED, problems)
        documented = {}
        for block in re.split(r"^## ", sections.get("COMMANDS", ""), flags=re.M)[1:]:
            title, _, body = block.partition("\n")
            documented[title.split()[0]] = (title, body)
        compare("COMMANDS", set(documented), set(subcommands), problems)
        for name in subcommands:
            if name not in documented:
                continue
            text = help_text(program, name)
            title, body = documented[name]
            compare(f"{name} options", page_options(body) - shared - SHARED, help_options(text) - shared - SHARED,
                    problems)
            arguments = set(re.findall(r"_([a-z][a-z0-9-]*)_", title))
            for argument in sorted(help_arguments(text) - arguments):
                problems.append(f"{name}: argument <{argument}> is not in the title `## {title}`")
    for problem in problems:
        print(f"check-help: {page_path}: {problem}", file=sys.stderr)
    if not problems:
        kind = f"{len(subcommands)} commands and their options" if subcommands else "every option"
        print(f"check-help: {page_path} documents {kind} of {program} --help")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
