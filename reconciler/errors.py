"""The reconciler's errors: each knows its exit code and says what happened, then what to do.

ReconcilerError (exit 1)
+-- UsageError              a command was given something it cannot use
+-- ProjectError            the project could not be loaded or failed validation;
                            carries every Diagnostic, each with its file:line:column
"""

from __future__ import annotations

from reconciler.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130


class ReconcilerError(Exception):
    """Base of every error the command line reports without a traceback."""

    exit_code = EXIT_ERROR


class UsageError(ReconcilerError):
    """A command was given an argument or option it cannot use."""


class ProjectError(ReconcilerError):
    """The project failed to load or validate; every problem found is attached."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = sum(1 for d in diagnostics if d.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the project")


class ApiError(ReconcilerError):
    """The Azure OpenAI API answered with an error. Keeps status, code and message, never the key."""

    def __init__(self, status: int, code: str | None, message: str, operation: str) -> None:
        self.status, self.code, self.api_message, self.operation = status, code, message, operation
        super().__init__(
            f"{operation} failed: HTTP {status}{f' ({code})' if code else ''}: {message}"
        )

    @property
    def permanent(self) -> bool:
        """The request itself was refused (a bad body, no access, too large): planned and sent
        again, it fails again. A 404 is not: the next plan sees the object gone and acts on
        that; nor are timeouts, conflicts and throttling (408, 409, 429)."""
        return self.status in (400, 401, 403, 413, 415, 422)


class ConnectionFailedError(ReconcilerError):
    """The endpoint could not be reached or dropped the connection."""


class PlanError(ReconcilerError):
    """A plan cannot be made as asked (a protected deletion, an empty manifest set, a bad target)."""


class ResponseError(ReconcilerError):
    """The endpoint answered with something that does not match the API: not trusted, reported."""


class StalePlanError(ReconcilerError):
    """A saved plan no longer matches the manifests or the live state; nothing was changed."""


class ReadAbandoned(ReconcilerError):
    """A request was asked for after the command stopped wanting its answer: never sent."""


class GitHubError(ReconcilerError):
    """The GitHub API refused a request or could not be reached."""
