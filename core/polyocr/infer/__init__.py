"""Inference: images in, a Document › Page › Block › Line › Word (› Char) tree out."""
