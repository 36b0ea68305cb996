"""Talking to an endpoint: the HTTP client, retries, credentials and the API dialects."""
