"""The package's error types: every parser and lab raises one of these, never a bare exception."""

from __future__ import annotations


class InfranotesError(Exception):
    """Root of every error infranotes raises on purpose."""


class ParseError(InfranotesError, ValueError):
    """Input that cannot be parsed: names the source, the line (1-based) and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "<input>",
        line: int | None = None,
        column: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class LabUnavailable(InfranotesError):
    """A live lab cannot run here: not root, a tool is missing, or namespaces are not allowed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
