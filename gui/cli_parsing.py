"""Command-line parsing that answers a mistake in one line that says how to fix it (no Qt: the window uses it too).

:class:`FriendlyParser` is an ``argparse.ArgumentParser`` whose errors

* suggest the nearest command, option or choice ("'rac' is not a command; did you mean race?"),
* come from the sub-command they belong to ("modelrace race: error: unknown option --presets; did
  you mean --preset?"), not from the top level with its usage,
* put a value's problem in words, with an example when the option has one ("--rows: 'abc' is not
  a whole number; e.g. --rows 4000"),

and end with exit status 2. ``add_argument(..., example="4000")`` gives an option its example (in
argument groups too). Descriptions and epilogs are filled to the width paragraph by paragraph,
except blocks with indented lines (examples, tables), which are kept as written. The type checkers
below (``positive_int``, ``accuracy``, ``sizes``) raise ``ArgumentTypeError`` with a message in the
same words. (Python 3.14's ``suggest_on_error`` does the first part only, and only from 3.14.)
"""

from __future__ import annotations

import argparse
import difflib
import math
import re
import shutil
import sys
import textwrap
from typing import Any, NoReturn

#: argparse's own words for a value its ``type`` refused, by the type's name.
_KINDS = {"int": "a whole number", "float": "a number"}
_INVALID_CHOICE = re.compile(r"^argument (?P<name>[^:]+): invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.*)\)$")
_INVALID_TYPE = re.compile(r"^argument (?P<name>[^:]+): invalid (?P<kind>\S+) value: '(?P<value>.*)'$")
_ARGUMENT = re.compile(r"^argument (?P<name>[^:]+): (?P<rest>.*)$", re.S)
_UNRECOGNISED = re.compile(r"^unrecognized arguments: (?P<args>.*)$")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs: a paragraph of prose is filled to the width; a block with indented lines
    (examples, a table) is kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in text.strip("\n").split("\n\n"):
            if any(line.startswith(" ") for line in block.splitlines()):
                blocks.append("\n".join(indent + line for line in block.splitlines()))
            else:
                blocks.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                            subsequent_indent=indent, break_on_hyphens=False))
        return "\n\n".join(blocks)


class FriendlyParser(argparse.ArgumentParser):
    """An ArgumentParser whose every error is one line with the fix (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self.examples: dict[str, str] = {}

    def add_argument(self, *args: Any, example: str | None = None, **kwargs: Any) -> argparse.Action:
        """``ArgumentParser.add_argument``, plus ``example``: a value to show when the one given is refused."""
        return self._noted(super().add_argument(*args, **kwargs), example)

    def add_argument_group(self, *args: Any, **kwargs: Any) -> argparse._ArgumentGroup:
        """A group whose ``add_argument`` takes ``example`` too."""
        return self._taking_examples(super().add_argument_group(*args, **kwargs))

    def add_mutually_exclusive_group(self, **kwargs: Any) -> argparse._MutuallyExclusiveGroup:
        """A group of options that exclude each other, whose ``add_argument`` takes ``example`` too."""
        return self._taking_examples(super().add_mutually_exclusive_group(**kwargs))

    def _noted(self, action: argparse.Action, example: str | None) -> argparse.Action:
        if example is not None:
            for name in action.option_strings or [action.dest]:
                self.examples[name] = example
        return action

    def _taking_examples(self, group: Any) -> Any:
        plain_add = group.add_argument

        def add(*names: Any, example: str | None = None, **options: Any) -> argparse.Action:
            return self._noted(plain_add(*names, **options), example)

        group.add_argument = add
        return group

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        """Parse; an argument no option of *this* parser takes is refused here, so the message names this command."""
        args = list(sys.argv[1:] if args is None else args)
        first = args[0].split("=", 1)[0] if args else ""
        if self._sub_commands() and first.startswith("-") and first not in self._option_string_actions:
            self.error(f"unrecognized arguments: {' '.join(args)}")  # an option before the command it belongs to
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: <what is wrong and how to fix it>`` (cut to a terminal's width) and exit with 2."""
        line = f"{self.prog}: error: {self.explain(message)}"
        self.exit(2, wrapped(line) + "\n")

    # ----------------------------------------------------------------------------------------------
    def explain(self, message: str) -> str:
        """argparse's ``message`` in plain words, with a suggestion or an example where there is one."""
        match = _INVALID_CHOICE.match(message)
        if match:
            return self._invalid_choice(match["name"], match["value"], _choices(match["choices"]))
        match = _INVALID_TYPE.match(message)
        if match:
            what = _KINDS.get(match["kind"], "a valid value")
            return self._with_example(match["name"], f"{match['name']}: '{match['value']}' is not {what}")
        match = _UNRECOGNISED.match(message)
        if match:
            return self._unrecognised(match["args"].split())
        if message.startswith("the following arguments are required: "):
            missing = message.split(": ", 1)[1]
            if missing == self._commands_name():
                return f"{missing} is missing: choose from {', '.join(self._sub_commands())}; see `{self.prog} --help`"
            return f"{missing} {'is' if ',' not in missing else 'are'} missing; see `{self.prog} --help`"
        match = _ARGUMENT.match(message)
        if match:
            name, rest = match["name"], match["rest"]
            if rest == "expected one argument":
                return self._with_example(name, f"{name} needs a value")
            return self._with_example(name, f"{name}: {rest}")
        return f"{message}; see `{self.prog} --help`"

    def _with_example(self, name: str, text: str) -> str:
        option = name.split("/")[0]
        example = self.examples.get(option)
        if "e.g." in text:  # the checker gave its own example
            return text
        return f"{text}; e.g. {option} {example}" if example else f"{text}; see `{self.prog} --help`"

    def _invalid_choice(self, name: str, value: str, choices: list[str]) -> str:
        near = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
        listed = ", ".join(choices)
        if name == self._commands_name():
            hint = f"did you mean {near[0]}? Or " if near else ""
            return f"'{value}' is not a command; {hint}choose from {listed} (`{self.prog} --help` says more)"
        return f"{name}: '{value}' is not one of {listed}" + (f"; did you mean {near[0]}?" if near else "")

    def _unrecognised(self, extras: list[str]) -> str:
        options = [arg for arg in extras if arg.startswith("-")]
        if not options:
            return f"unexpected '{extras[0]}'; see `{self.prog} --help`"
        option = options[0].split("=", 1)[0]
        here = [name for name in self._option_string_actions if name.startswith("--")]
        near = difflib.get_close_matches(option, here, n=1, cutoff=0.6)
        if near:
            return f"unknown option {option}; did you mean {near[0]}? (`{self.prog} --help` lists them all)"
        owners = [name for name, parser in self._sub_commands().items() if option in parser._option_string_actions]
        if owners:
            return (f"{option} goes after a command: {self.prog} {owners[0]} {option} … "
                    f"(`{self.prog} {owners[0]} --help` lists its options)")
        return f"unknown option {option}; `{self.prog} --help` lists them all"

    def _sub_commands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}

    def _commands_name(self) -> str | None:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action.metavar or action.dest
        return None


def _choices(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


def wrapped(line: str) -> str:
    """A message cut at spaces to a terminal's width (into a file or a pipe it stays one line)."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return line
    return "\n".join(textwrap.wrap(line, max(40, shutil.get_terminal_size((80, 24)).columns), subsequent_indent="  ",
                                   break_on_hyphens=False, break_long_words=False))


# --------------------------------------------------------------------------------------------------
# Value checkers for ``type=``: each says what is wrong with the value (the parser adds the option's name).

def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def whole_number(text: str) -> int:
    """Any whole number (0 and below too)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def accuracy(text: str) -> float:
    """A target accuracy, written as a fraction between 0 and 1 (0.85) or a percentage (85%); nothing in between."""
    forms = "write a fraction between 0 and 1 (e.g. 0.85) or a percentage (e.g. 85%)"
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw.removesuffix("%").strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an accuracy; {forms}") from None
    if not percent and math.isfinite(value) and 1 < value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is ambiguous: a fraction cannot be above 1, and a percentage needs "
                                         f"its % sign (did you mean {raw}%?); {forms}")
    if not math.isfinite(value) or value <= 0 or value > (100 if percent else 1):
        raise argparse.ArgumentTypeError(f"'{text}' is not an accuracy between 0 and 1 (or 0% and 100%); {forms}")
    if not percent and value == 1:
        raise argparse.ArgumentTypeError(f"'{text}' is ambiguous (100% or 1%?); {forms}")
    return value / 100 if percent else value


def sizes(text: str) -> list[int]:
    """A comma list of training-set sizes, each at least 1: '1000,2000,4000'."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma list of whole numbers, e.g. 1000,2000,4000") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must list training-set sizes of at least 1 row")
    return values
