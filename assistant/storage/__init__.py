"""What is kept between requests: conversations and feedback (SQLAlchemy), the Chroma vector store, ingested documents, quarantined records and conversation tokens."""
