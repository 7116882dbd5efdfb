"""SEND Assistant: retrieval-backed, cited guidance on SEND law and guidance in England."""

__version__ = "0.1.0"
