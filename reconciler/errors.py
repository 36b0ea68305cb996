"""The reconciler's errors: each knows its exit code and says what happened, then what to do.

Every error the reconciler raises past the module that raises it is here, in one tree. The
command line (cli/console.py) prints `Error: <message>` and exits with the code shown; a
ProjectError prints each Diagnostic instead, and an ApplyInterruptedError what was done.

ReconcilerError                 exit 1   base of every error reported without a traceback
+-- UsageError                  exit 1   a command was given something it cannot use
+-- ProjectError                exit 1   the project could not be loaded or failed validation;
|                                        carries every Diagnostic, each with its file:line:column
+-- PlanError                   exit 1   a plan cannot be made as asked
+-- StalePlanError              exit 1   a saved plan no longer matches; nothing was changed
+-- ApiError                    exit 1   the Azure OpenAI / Foundry API answered with an error
|   +-- AccessDeniedError       exit 1   ... a 401 or 403, with what to do about it
+-- ConnectionFailedError       exit 1   the endpoint could not be reached or dropped the connection
+-- ResponseError               exit 1   the endpoint's answer does not match the API
+-- CredentialError             exit 1   no Entra ID token could be had
+-- IngestionError              exit 1   a new vector store's file was not ingested; store deleted
+-- ReadAbandonedError          exit 1   a read asked for after the command stopped wanting it
+-- GitHubError                 exit 1   the GitHub API refused a request or could not be reached
+-- ApplyInterruptedError       exit 130 Ctrl-C during apply; carries the plan and what was done

A message is one line: what failed, where (the method and URL, the Entra ID authority and
tenant, the file) and what to do. `permanent` says whether the same command, run again as it
is, fails the same way: apply's closing advice reads it, so that a refusal no retry can fix
(a rejected body, a file the service cannot ingest) never ends "Run apply again to finish".

Private signals that never leave their module stay there: api/calls.py `_Recovered`,
api/paging.py `_UnreliableError`, config/source.py `_TooManyValues`, api/github.py
`_TransientError` (a GitHubError once retries give up). config/content.py `FileProblem` is a
finding, not an error: every caller turns it into a Diagnostic or a refusal.

This module imports nothing from the rest of the reconciler (the layers contract keeps it so):
what an error carries from an upper layer (the plan of an interrupted apply) is a type
parameter, filled in by who raises and who catches it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from reconciler.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

PlanT = TypeVar("PlanT")
OutcomeT = TypeVar("OutcomeT")


class ReconcilerError(Exception):
    """Base of every error the command line reports without a traceback."""

    exit_code = EXIT_ERROR

    @property
    def permanent(self) -> bool:
        """Whether the same command, run again unchanged, fails the same way (apply's advice)."""
        return False


class UsageError(ReconcilerError):
    """A command was given an argument or option it cannot use."""


class ProjectError(ReconcilerError):
    """The project failed to load or validate; every problem found is attached."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = sum(1 for d in diagnostics if d.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the project")


class ApiError(ReconcilerError):
    """The Azure OpenAI API answered with an error. Keeps status, code and message, never the key;
    `where` is the method and URL (no query), `advice` what to do, both ending the message."""

    def __init__(
        self,
        status: int,
        code: str | None,
        message: str,
        operation: str,
        *,
        where: str = "",
        advice: str = "",
    ) -> None:
        self.status, self.code, self.api_message, self.operation = status, code, message, operation
        self.where, self.advice = where, advice
        text = f"{operation} failed: HTTP {status}{f' ({code})' if code else ''}: {message}"
        if where:
            text = f"{text.rstrip('.')} ({where})."
        super().__init__(f"{text.rstrip('.')}. {advice}" if advice else text)

    @property
    def permanent(self) -> bool:
        """The request itself was refused (a bad body, no access, too large): planned and sent
        again, it fails again. A 404 is not: the next plan sees the object gone and acts on
        that; nor are timeouts, conflicts and throttling (408, 409, 429)."""
        return self.status in (400, 401, 403, 413, 415, 422)


class AccessDeniedError(ApiError):
    """The endpoint refused the credential; the message ends with what to do (`hint`)."""

    def __init__(
        self,
        status: int,
        code: str | None,
        message: str,
        operation: str,
        hint: str,
        where: str = "",
    ) -> None:
        super().__init__(status, code, message, operation, where=where, advice=hint)
        self.hint = hint


class ConnectionFailedError(ReconcilerError):
    """The endpoint could not be reached or dropped the connection."""


class PlanError(ReconcilerError):
    """A plan cannot be made as asked (a protected deletion, an empty manifest set, a bad target)."""


class ResponseError(ReconcilerError):
    """The endpoint answered with something that does not match the API: not trusted, reported."""


class StalePlanError(ReconcilerError):
    """A saved plan no longer matches the manifests or the live state; nothing was changed."""


class CredentialError(ReconcilerError):
    """No Entra ID token could be had: sign-in failed, or no credential is set up."""


class IngestionError(ReconcilerError):
    """A file of a new vector store could not be ingested; the store was deleted. The service
    refused the file's content: applying it again fails again until the file changes."""

    @property
    def permanent(self) -> bool:
        return True


class ReadAbandonedError(ReconcilerError):
    """A request was asked for after the command stopped wanting its answer: never sent."""


class GitHubError(ReconcilerError):
    """The GitHub API refused a request or could not be reached."""


class ApplyInterruptedError(ReconcilerError, Generic[PlanT, OutcomeT]):
    """Ctrl-C during apply: what was done so far travels with it (engine/apply.py raises it
    with its Plan and Outcomes; errors.py cannot name those types without importing upward)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, plan: PlanT, outcomes: list[OutcomeT]) -> None:
        super().__init__("apply interrupted")
        self.plan, self.outcomes = plan, outcomes
