#!/usr/bin/env python3
"""Holds every reader of the resolved-settings file (gpu-host-settings.json) to its JSON Schema.

The file is written and read in Java through one type (ToolSettings); the readers outside Java are jq filters
(scripts/ci/settings.sh and its callers, the workflows, the emulator scripts) and Python. Each key they read
must be one the schema names, so a renamed or misspelt key fails here instead of yielding null in CI:

  python3 scripts/check-settings-readers.py              every reader in the repository
  python3 scripts/check-settings-readers.py --self-test  first proves it finds a bogus key in each kind of read
  python3 scripts/check-settings-readers.py --validate FILE...  validates synthesized files against the schema

What counts as a read:
  - the filter given to scripts/ci/settings.sh, or to a shell function that passes "$1" to it;
  - the filter of a jq command whose input is the file (a path ending in gpu-host-settings.json, or a
    variable assigned one); `jq -n` reads no file;
  - in Python, subscripts and .get() of the variable SETTINGS (bound to json.load of the file) and of names
    assigned from those.
A jq path is resolved from the file's root, through `X as $v |` bindings and `PATH | ...`; a key read after a
computed value (say `[...] | .x`) cannot be resolved and fails: write it as a path from the root. A computed
key (`.variants[$v]`, `pipeline[variant]`) resolves to the entries of a map; on an object of named keys it
cannot be checked, and is counted apart.
"""
import ast
import json
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "src/main/resources/com/fractal/gpuhost/settings/gpu-host-settings.schema.json"
FILE_NAME = "gpu-host-settings.json"
SHELL_SOURCES = [".github/workflows/*.yml", "scripts/**/*.sh", "scripts/**/*.bats", "bench/**/*.sh"]
PYTHON_SOURCES = ["scripts/**/*.py"]
PYTHON_ROOT = "SETTINGS"
# jq options that take one or two arguments of their own.
JQ_OPTION_ARGS = {"--arg": 2, "--argjson": 2, "--slurpfile": 2, "--rawfile": 2, "--indent": 1, "-L": 1}
# jq functions whose arguments are evaluated against the same input as the call.
JQ_SAME_INPUT = {"join", "has", "test", "startswith", "endswith", "split", "ltrimstr", "rtrimstr", "contains",
                 "index", "getpath"}

KEY, ANY, EACH = "key", "any", "each"


class Schema:
    def __init__(self, document):
        self.document = document
        self.unchecked = 0

    def resolve(self, path):
        """None when every step of the path is named by the schema, else what is wrong."""
        node, where = self.document, "."
        for kind, name in path:
            node = self.follow_refs(node)
            properties = node.get("properties", {})
            extra = node.get("additionalProperties", True)
            if kind == KEY:
                if name in properties:
                    node = properties[name]
                elif isinstance(extra, dict):
                    node = extra
                else:
                    return f"the schema names no key \"{name}\" under {where} (it names: {', '.join(properties)})"
                where = (where.rstrip(".") + "." + name) if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) \
                    else where + f"[\"{name}\"]"
            else:
                if node.get("type") == "array":
                    node = node.get("items", {})
                elif isinstance(extra, dict):
                    node = extra
                elif kind == ANY and properties:
                    self.unchecked += 1
                    return None
                else:
                    return f"{where} is not a list or a map in the schema, so it has no entries to read"
                where += "[]"
        return None

    def follow_refs(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node


# --- jq -----------------------------------------------------------------------------------------------
TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\$[A-Za-z_0-9]+|\.\.|\.[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*'
                   r'|==|!=|<=|>=|//|\?//|[.\[\](){}|,+\-*/<>=?:;]|\s+|.')


def jq_tokens(text):
    return [token for token in TOKEN.findall(text) if not token.isspace()]


def split_top(tokens, separator):
    parts, depth, current = [], 0, []
    for token in tokens:
        if token in "([{" and len(token) == 1:
            depth += 1
        elif token in ")]}" and len(token) == 1:
            depth -= 1
        if token == separator and depth == 0:
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def jq_paths(text):
    """Each path the filter reads, as (base, steps): base None when it follows a computed value."""
    found = []
    read_pipeline(jq_tokens(text), (), found)
    return found


def read_pipeline(tokens, base, found):
    segment_base = base
    for segment in split_top(tokens, "|"):
        chain_end = read_expression(segment, segment_base, found)
        if len(segment) >= 3 and segment[-2] == "as" and segment[-1].startswith("$"):
            continue  # `X as $v | ...`: the next segment reads the same input
        segment_base = chain_end


def read_expression(tokens, base, found):
    """Records the paths of an expression; returns the path it evaluates to when it is one path, else None."""
    i, whole = 0, None
    chains = 0
    while i < len(tokens):
        token = tokens[i]
        starts_chain = token.startswith(".") and token != ".." and (i == 0 or not ends_value(tokens[i - 1]))
        if starts_chain:
            steps, i = read_chain(tokens, i, base, found)
            chains += 1
            whole = steps if (chains == 1 and i == len(tokens) or (i < len(tokens) and tokens[i] == "as")) else None
            if base is None:
                if any(kind == KEY for kind, _ in steps):
                    found.append((None, steps))
            else:
                found.append((base, steps))
            continue
        if token == "(" or token == "[":
            close = matching(tokens, i)
            inner_base = base
            if token == "(" and i > 0 and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", tokens[i - 1]) \
                    and tokens[i - 1] not in JQ_SAME_INPUT:
                inner_base = None  # map(.x), select(.x): the argument reads each element, not this input
            for part in split_top(tokens[i + 1:close], ";"):
                read_pipeline(part, inner_base, found)
            i = close + 1
            continue
        i += 1
    if chains == 1 and whole is not None and base is not None:
        return base + tuple(whole)
    return None


def ends_value(token):
    return token in (")", "]", "}") or token.startswith('"') or token.startswith("$") or \
        re.fullmatch(r"\.?[A-Za-z_][A-Za-z0-9_]*", token) is not None and token not in (
            "and", "or", "not", "as", "if", "then", "else", "elif", "end", "reduce", "foreach")


def read_chain(tokens, i, base, found):
    steps = []
    token = tokens[i]
    if token != ".":
        steps.append((KEY, token[1:]))
    i += 1
    while i < len(tokens):
        token = tokens[i]
        if token.startswith(".") and token not in (".", ".."):
            steps.append((KEY, token[1:]))
            i += 1
        elif token == "." and i + 1 < len(tokens) and tokens[i + 1] == "[":
            i += 1
        elif token == "[":
            close = matching(tokens, i)
            inner = tokens[i + 1:close]
            if not inner:
                steps.append((EACH, None))
            elif len(inner) == 1 and inner[0].startswith('"') and "$" not in inner[0]:
                steps.append((KEY, json.loads(inner[0])))
            else:
                steps.append((ANY, None))
                read_pipeline(inner, base, found)
            i = close + 1
        elif token == "?":
            i += 1
        else:
            break
    return steps, i


def matching(tokens, i):
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j] == tokens[i]:
            depth += 1
        elif tokens[j] == pairs[tokens[i]]:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced " + tokens[i])


# --- shell: where filters are given ---------------------------------------------------------------------
def shell_commands(text, mentions):
    """The commands that mention one of the words: from that line on, continuations and quotes left open joined."""
    lines = text.splitlines()
    commands, number = [], 0
    while number < len(lines):
        line = lines[number]
        if line.lstrip().startswith("#") or not any(word in line for word in mentions):
            number += 1
            continue
        start, command = number + 1, ""
        while number < len(lines):
            command += without_comment(lines[number]) + "\n"
            number += 1
            if command.rstrip().endswith("\\"):
                command = command.rstrip()[:-1] + " "
                continue
            try:
                parse_command(command)
                break
            except ValueError:
                if number - start >= 60:
                    break
        commands.append((start, command))
    return commands


def without_comment(line):
    """The line without a trailing `# comment` (a '#' that starts a word, outside quotes)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line


def parse_command(text):
    """The words of a command and, as separate word lists, of each $(...) in it (bash nests quotes there)."""
    outer, inner, i, quote = [], [], 0, None
    while i < len(text):
        char = text[i]
        if quote == "'":
            quote = None if char == "'" else quote
        elif char in "'\"" and (quote is None or quote == char):
            quote = None if quote else char
        elif text.startswith("$(", i):
            end = closing_parenthesis(text, i + 2)
            inner.extend(parse_command(text[i + 2:end]))
            outer.append("SUBSTITUTION")
            i = end + 1
            continue
        outer.append(char)
        i += 1
    return [shell_words("".join(outer))] + inner


def closing_parenthesis(text, i):
    depth, quote = 1, None
    while i < len(text):
        char = text[i]
        if quote == "'":
            quote = None if char == "'" else quote
        elif quote == '"':
            if char == '"':
                quote = None
            elif text.startswith("$(", i):
                i = closing_parenthesis(text, i + 2)
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("a $( is not closed")


def shell_words(line):
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def shell_reads(path, text):
    """(line, filter) for every filter read from the settings file in one shell or workflow file."""
    wrappers = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\(\)\s*\{[^}]*?settings\.sh \"\$1\"", text, re.M | re.S))
    holders = set(re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)=\"?[^\s\"]*" + re.escape(FILE_NAME) + r"\"?(?:\s|$)", text))
    reads = []
    for number, line in shell_commands(text, {"jq", "settings.sh", *wrappers}):
        if path.name == "settings.sh" and "$1" in line:
            continue  # the reader itself: its filter is its caller's
        try:
            commands = parse_command(line)
        except ValueError as error:
            if FILE_NAME in line or "settings.sh" in line or any("$" + h in line or "${" + h in line for h in holders):
                reads.append((number, None, f"cannot be parsed as shell ({error})"))
            continue
        for words in commands:
            for filter_text in command_reads(words, wrappers, holders):
                if filter_text != "$1":  # a wrapper passing its argument on: its callers are the reads
                    reads.append((number, filter_text, None))
    return reads


def command_reads(words, wrappers, holders):
    """The filters read from the settings file in one command."""
    found = []
    for index, word in enumerate(words):
        if (word.endswith("settings.sh") or word in wrappers) and index + 1 < len(words) \
                and not is_punctuation(words[index + 1]):
            found.append(words[index + 1])
        elif word == "jq":
            jq_read = jq_filter(words[index + 1:], holders)
            if jq_read:
                found.append(jq_read)
    return found


def is_punctuation(word):
    return word and all(char in "();<>|&" for char in word)


def jq_filter(args, holders):
    """The filter of a jq command whose input is the settings file, or None."""
    filter_text, files, no_input, i = None, [], False, 0
    while i < len(args) and not is_punctuation(args[i]):
        arg = args[i]
        if filter_text is None and arg in JQ_OPTION_ARGS:
            i += 1 + JQ_OPTION_ARGS[arg]
            continue
        if filter_text is None and arg.startswith("-") and len(arg) > 1:
            no_input = no_input or arg == "-n" or (not arg.startswith("--") and "n" in arg[1:])
        elif filter_text is None:
            filter_text = arg
        else:
            files.append(arg)
        i += 1
    reads_file = any(f.endswith(FILE_NAME) or f.lstrip("$").strip("{}") in holders for f in files)
    return filter_text if reads_file and not no_input and filter_text else None


# --- Python ---------------------------------------------------------------------------------------------
def python_reads(path, text):
    """(line, steps) for every key read from SETTINGS (and names assigned from it) in one Python file."""
    tree = ast.parse(text, str(path))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            # SETTINGS = json.load(...), or json.load(...) if <the file is given> else {}
            loaded = node.value.body if isinstance(node.value, ast.IfExp) else node.value
            if name == PYTHON_ROOT and isinstance(loaded, ast.Call) and call_name(loaded) == "json.load":
                aliases[name] = ()
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                steps = python_chain(node.value, aliases)
                name = node.targets[0].id
                if steps is not None and name not in aliases:
                    aliases[name] = steps
                    changed = True
    reads, inner = [], set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Subscript, ast.Call)) and id(node) not in inner:
            steps = python_chain(node, aliases)
            if steps:
                reads.append((node.lineno, steps))
                mark_inner(node, inner)
    return aliases, reads


def call_name(call):
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id + "." + func.attr
    return ""


def python_chain(node, aliases):
    """The steps from SETTINGS that the expression reads, or None when it is not a read of the file."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Subscript):
        base = python_chain(node.value, aliases)
        if base is None:
            return None
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return base + ((KEY, key.value),)
        if isinstance(key, ast.Constant) and isinstance(key.value, int):
            return base + ((EACH, None),)
        return base + ((ANY, None),)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        base = python_chain(node.func.value, aliases)
        return None if base is None else base + ((KEY, node.args[0].value),)
    return None


def mark_inner(node, inner):
    """Marks the chain's own spine (what it subscripts), not its index expressions, which are reads too."""
    while True:
        node = node.value if isinstance(node, ast.Subscript) else node.func.value \
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
        if node is None:
            return
        inner.add(id(node))


# --- the check ------------------------------------------------------------------------------------------
def check(schema, shell_files, python_files):
    problems, counts = [], {"jq": 0, "python": 0}
    for path in shell_files:
        for number, text, error in shell_reads(path, path.read_text()):
            where = f"{shown(path)}:{number}"
            if error:
                problems.append(f"{where}: {error}")
                continue
            counts["jq"] += 1
            try:
                paths = jq_paths(text)
            except ValueError as failure:
                problems.append(f"{where}: jq filter '{text}' cannot be read ({failure})")
                continue
            for base, steps in paths:
                if base is None:
                    problems.append(f"{where}: jq filter '{text}' reads {render(steps)} after a computed value; "
                                    "write it as a path from the file's root")
                    continue
                wrong = schema.resolve(tuple(base) + tuple(steps))
                if wrong:
                    problems.append(f"{where}: jq filter '{text}': {wrong}")
    for path in python_files:
        text = path.read_text()
        aliases, reads = python_reads(path, text)
        if FILE_NAME in text and PYTHON_ROOT not in aliases:
            problems.append(f"{shown(path)}: names {FILE_NAME} but does not load it as {PYTHON_ROOT} "
                            f"= json.load(...), so its reads cannot be checked")
        for number, steps in reads:
            counts["python"] += 1
            wrong = schema.resolve(steps)
            if wrong:
                problems.append(f"{shown(path)}:{number}: {PYTHON_ROOT}{render(steps)}: {wrong}")
    return problems, counts


def shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def render(steps):
    return "".join(f".{name}" if kind == KEY else "[]" if kind == EACH else "[*]" for kind, name in steps) or "."


def files(patterns):
    found = set()
    for pattern in patterns:
        found.update(path for path in ROOT.glob(pattern)
                     if "node_modules" not in path.parts and path.is_file() and path != Path(__file__).resolve())
    return sorted(found)


def self_test(schema, scratch):
    """Each kind of read, with a key the schema does not name, must fail; the same reads without it pass."""
    scratch.mkdir(parents=True, exist_ok=True)
    cases = {
        "wrapper.sh": 'setting() {\n  bash scripts/ci/settings.sh "$1"\n}\nX=$(setting .buildRegion)\n'
                      'Y=$(setting ".variants[\\"$V\\"].amiId")\n',
        "direct.yml": "      run: echo \"$(jq -r '.release.variants[].gridDriverSha256s' cdk.out/gpu-host-settings.json)\"\n",
        "held.sh": 'settings="$dir/gpu-host-settings.json"\njq -r \'.buildRegion as $b | .stacks.networks[$b]\' '
                   '"$settings"\n',
        "after.sh": "bash scripts/ci/settings.sh '[.activeRegions[]] | .buildRegion'\n",
        "reader.py": 'import json, sys\nSETTINGS = json.load(open(sys.argv[1]))\nRELEASE = SETTINGS["release"]\n'
                     'pipeline = RELEASE["variants"]["x"]\nprint(pipeline["latestAmiID"])\n',
    }
    expected = {"wrapper.sh": "amiId", "direct.yml": "gridDriverSha256s", "held.sh": "networks",
                "after.sh": "computed value", "reader.py": "latestAmiID"}
    failures = []
    for name, text in cases.items():
        path = scratch / name
        path.write_text(text)
        shell, python = ([], [path]) if name.endswith(".py") else ([path], [])
        problems, counts = check(schema, shell, python)
        if len(problems) != 1 or expected[name] not in problems[0]:
            failures.append(f"{name}: expected one problem naming {expected[name]}, got {problems}")
    return failures


def validate(schema_document, paths):
    try:
        import jsonschema
    except ImportError:
        sys.exit("check-settings-readers: Python's jsonschema is missing (it comes with cfn-lint: "
                 "pip install cfn-lint)")
    validator = jsonschema.Draft202012Validator(schema_document)
    problems = []
    for path in paths:
        for error in validator.iter_errors(json.loads(Path(path).read_text())):
            problems.append(f"{path}: {'/'.join(map(str, error.absolute_path)) or '.'}: {error.message}")
    return problems


def main(argv):
    document = json.loads(SCHEMA_FILE.read_text())
    if argv[:1] == ["--validate"]:
        problems = validate(document, argv[1:])
        for problem in problems:
            print(f"check-settings-readers: {problem}", file=sys.stderr)
        if problems or not argv[1:]:
            return 1
        print(f"ok: {len(argv) - 1} settings file(s) match {SCHEMA_FILE.relative_to(ROOT)}")
        return 0
    schema = Schema(document)
    if argv[:1] == ["--self-test"]:
        import tempfile
        with tempfile.TemporaryDirectory() as scratch:
            failures = self_test(Schema(document), Path(scratch))
        for failure in failures:
            print(f"check-settings-readers: self-test: {failure}", file=sys.stderr)
        if failures:
            return 1
        print("ok: the reader check finds a key the schema does not name in each kind of read")
        return 0
    problems, counts = check(schema, files(SHELL_SOURCES), files(PYTHON_SOURCES))
    for problem in problems:
        print(f"check-settings-readers: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"ok: {counts['jq']} jq filters and {counts['python']} Python reads of {FILE_NAME} use only keys its "
          f"schema names ({schema.unchecked} computed keys on objects of named keys cannot be checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
