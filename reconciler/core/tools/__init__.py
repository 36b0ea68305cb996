"""Agent tool types as plug-ins: base.py draws the protocol, registry.py lists the types."""
