"""Public API models (the contract): changing them is an API versioning decision."""
