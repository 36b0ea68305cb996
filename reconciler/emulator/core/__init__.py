"""What every API family of the emulator shares: the store, the gateway in front, faults,
listing, request-body validation, the fake models' function-call arguments, the JSON helpers of
route handlers and TLS.

It imports no family: a family package (assistants/, foundry/) imports from here, and the
assembly (app.py) puts the families behind the one gateway.
"""
