"""Training: data → batches, losses, and one readable loop (nanoGPT-style) with exact resume."""
