"""Finding passages: the index (its layout on disk, building it, loading it), dense and keyword search, and the hybrid retriever."""
