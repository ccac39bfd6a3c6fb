#!/usr/bin/env python3
"""Every relative link in the project's Markdown resolves: the file or folder exists, and a #fragment names a
heading of the target (GitHub's anchors) or an explicit <a id>/<a name>.

Usage: check-doc-links.py [FILE.md ...]   (default: every *.md that git tracks or would add)
Prints one line per broken link (file:line: link: why) and exits 1 when there is one. Links inside code
(fenced blocks and `inline code`) are text, not links; http(s) and mailto links are not fetched.
"""
import os
import re
import subprocess
import sys

LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
INLINE_CODE = re.compile(r"(`+).*?\1")
FENCE = re.compile(r"^\s*(```|~~~)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def markdown_files() -> list:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
                            capture_output=True, text=True, check=True).stdout.split()
    return sorted(f for f in listed if os.path.isfile(f) and not f.startswith("node_modules/"))


def prose_lines(path: str):
    """(line number, line) outside fenced code, with inline code blanked out."""
    fenced = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                fenced = not fenced
                continue
            if not fenced:
                yield number, INLINE_CODE.sub("", line)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup and punctuation dropped, lower case, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text stays
    text = re.sub(r"<[^>]+>", "", text).replace("`", "")
    text = text.replace("&lt;", "").replace("&gt;", "").replace("&amp;", "")
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: str, cache: dict) -> set:
    if path not in cache:
        found, seen = set(), {}
        for _, line in prose_lines(path):
            found.update(EXPLICIT_ANCHOR.findall(line))
            match = HEADING.match(line)
            if match:
                base = slug(match.group(2))
                count = seen.get(base, 0)
                seen[base] = count + 1
                found.add(base if count == 0 else f"{base}-{count}")
        cache[path] = found
    return cache[path]


def problems(path: str, cache: dict):
    for number, line in prose_lines(path):
        targets = LINK.findall(line) + REFERENCE.findall(line)
        for target in targets:
            if EXTERNAL.match(target):
                continue
            file_part, _, fragment = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not os.path.exists(resolved):
                yield f"{path}:{number}: {target}: {resolved} does not exist"
            elif fragment and resolved.endswith(".md") and fragment not in anchors(resolved, cache):
                yield f"{path}:{number}: {target}: {resolved} has no heading or anchor #{fragment}"


def main() -> int:
    files = sys.argv[1:] or markdown_files()
    cache = {}
    broken = [problem for path in files for problem in problems(path, cache)]
    for problem in broken:
        print(problem)
    if broken:
        print(f"check-doc-links: {len(broken)} broken link(s) in {len(files)} Markdown file(s)", file=sys.stderr)
        return 1
    print(f"check-doc-links: every relative link in {len(files)} Markdown file(s) resolves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
