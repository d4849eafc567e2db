"""The synthetic document engine: layouts, text, degradations, exact labels, datasets."""
