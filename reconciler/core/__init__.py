"""The pure core: resource kinds, essence and diff, the planner, Plan types, fingerprints and
renderers. It imports no YAML, HTTP, CLI or server library."""
