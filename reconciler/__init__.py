"""reconciler: declarative plan/apply/destroy for Azure OpenAI Assistants."""

__version__ = "0.1.0"
