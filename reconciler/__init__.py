"""reconciler: declarative plan/apply/destroy for Azure OpenAI assistants and Microsoft Foundry
agents. The version is released as a git tag v<version> (CHANGELOG.md)."""

__version__ = "0.2.0"
