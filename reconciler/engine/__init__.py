"""The pipelines: read the live state, plan, apply with bounded parallelism."""
