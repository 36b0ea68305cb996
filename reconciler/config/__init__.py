"""The project as users write it: reconciler.yaml, manifests, YAML with positions,
interpolation, limits and declared files, resolved into a desired state."""
