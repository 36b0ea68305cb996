"""Agent tests and the evidence they leave on the live endpoint (issue 26): what a test
declares, how its criteria are graded, the verdict, and how plan and apply read it back."""
