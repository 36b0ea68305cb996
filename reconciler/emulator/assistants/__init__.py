"""The Azure OpenAI Assistants v1 family under ``/openai``: assistants, files, threads, messages,
runs and their steps, each a store module (state and rules) with its routes beside them.
"""
