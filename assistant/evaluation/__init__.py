"""Scoring question sets, and the naive LangChain baseline our retrieval is measured against."""
