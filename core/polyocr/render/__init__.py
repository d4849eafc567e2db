"""Text rendering: harfbuzz shaping, a numba rasterizer, a glyph cache, text runs with exact quads."""
