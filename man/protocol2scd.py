#!/usr/bin/env python3
"""Builds the scdoc source of optunad-protocol(7) from the normative protocol document, protocol/README.md, so the
man page carries exactly the same text and tables and can never drift from it.

Usage: man/protocol2scd.py protocol/README.md man/optunad-protocol.7.scd > optunad-protocol.7.full.scd

The template (man/optunad-protocol.7.scd) holds the man-page-only parts (NAME, EXAMPLES, FILES, ENVIRONMENT, EXIT
STATUS, SEE ALSO) and the line `; @PROTOCOL@` where the converted document goes. The converter knows the Markdown
that the protocol document uses: `##`/`###` headings, paragraphs, `-` lists with two-space continuation lines,
pipe tables, fenced code blocks, inline code, **bold** and links. Anything else is an error, so a new construct in
the document is noticed instead of being rendered wrongly.
"""

from __future__ import annotations

import posixpath
import re
import sys

MARKER = "; @PROTOCOL@"


def escape(text: str) -> str:
    """Escapes the characters scdoc gives a meaning to inside running text."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def link_target(url: str) -> str:
    """A relative link becomes the path in the source tree (the document lives in protocol/)."""
    if re.match(r"^[a-z]+://", url):
        return url
    path = posixpath.normpath(posixpath.join("protocol", url))
    return path + ("/" if url.endswith("/") else "")


def inline(text: str) -> str:
    """Converts inline Markdown (code, bold, links) to scdoc; code and bold become bold."""
    out = []
    pattern = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)]+)\)")
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position:match.start()]))
        code, bold, label, url = match.groups()
        if code is not None:
            out.append("*" + escape(code) + "*")
        elif bold is not None:
            out.append("*" + escape(bold) + "*")
        else:
            target = link_target(url)
            if target.startswith(("http://", "https://")):
                out.append(f"{inline(label)} ({escape(target)})")
            else:
                out.append("*" + escape(target) + "*")
        position = match.end()
    out.append(escape(text[position:]))
    result = "".join(out)
    if "`" in result:
        raise ValueError(f"unbalanced inline code in: {text}")
    return result


def paragraph_line(text: str) -> str:
    """A line of running text; a leading character that scdoc would read as markup is escaped."""
    converted = inline(text.strip())
    if converted[:1] in ("-", ".", "[", "]", "|", ":", "#", ";"):
        converted = "\\" + converted
    return converted


def split_cells(row: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", row.strip())
    if cells[0] != "" or cells[-1] != "":
        raise ValueError(f"table row must start and end with |: {row}")
    return [cell.strip().replace("\\|", "|") for cell in cells[1:-1]]


def table(rows: list[str]) -> list[str]:
    header, separator, *body = rows
    if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", separator.strip()):
        raise ValueError(f"not a table separator: {separator}")
    heads = split_cells(header)
    out = []
    for index, cell in enumerate(heads):
        lead = "[[" if index == 0 else (":<" if index == len(heads) - 1 else ":[")
        out.append(f"{lead} *{inline(cell)}*")
    for row in body:
        cells = split_cells(row)
        if len(cells) != len(heads):
            raise ValueError(f"row has {len(cells)} cells, the header {len(heads)}: {row}")
        for index, cell in enumerate(cells):
            out.append(("|  " if index == 0 else ":  ") + inline(cell))
    return out


def convert(markdown: str) -> list[str]:
    lines = markdown.split("\n")
    out: list[str] = []
    index = 0
    seen_title = False

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    while index < len(lines):
        line = lines[index]
        if line.startswith("# "):
            if seen_title:
                raise ValueError("a second level-1 heading")
            seen_title = True
            index += 1
        elif line.startswith("## ") or line.startswith("### "):
            level, title = line.split(" ", 1)
            blank()
            out.append(("# " + title.upper()) if level == "##" else ("## " + title))
            out.append("")
            index += 1
        elif line.startswith("```"):
            blank()
            out.append("```")
            index += 1
            while not lines[index].startswith("```"):
                out.append(lines[index].replace("\\", "\\\\"))
                index += 1
            out.append("```")
            out.append("")
            index += 1
        elif line.startswith("|"):
            rows = []
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(lines[index])
                index += 1
            blank()
            out.extend(table(rows))
            out.append("")
        elif line.startswith("- "):
            blank()
            while index < len(lines) and (lines[index].startswith("- ") or lines[index].startswith("  ")):
                item = lines[index]
                if item.startswith("- "):
                    out.append("- " + inline(item[2:].strip()))
                else:
                    out.append("  " + inline(item.strip()))
                index += 1
            out.append("")
        elif line.strip() == "":
            blank()
            index += 1
        else:
            if line.startswith((" ", "\t", ">", "*", "+")) or re.match(r"^\d+\. ", line):
                raise ValueError(f"unsupported Markdown: {line}")
            out.append(paragraph_line(line))
            index += 1
    while out and out[-1] == "":
        out.pop()
    return out


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    document, template_path = sys.argv[1], sys.argv[2]
    with open(document, encoding="utf-8") as file:
        body = convert(file.read())
    with open(template_path, encoding="utf-8") as file:
        template = file.read().split("\n")
    if template.count(MARKER) != 1:
        print(f"{template_path}: needs exactly one line `{MARKER}`", file=sys.stderr)
        return 65
    at = template.index(MARKER)
    sys.stdout.write("\n".join(template[:at] + body + template[at + 1:]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ValueError as error:
        print(f"protocol2scd: {error}", file=sys.stderr)
        sys.exit(65)
