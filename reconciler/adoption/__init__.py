"""Bringing objects under a project, without the console: `import` (live assistants and agents
drafted and written as manifests that adopt them) and `migrate` (a v1 project rewritten as a
Foundry project). The commands and their output are cli's."""
