"""The vendors behind the ports: the embedding model, the LangChain writing model and the LangChain retriever wrapper."""
