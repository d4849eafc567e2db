"""Datasets: HDF5 shards in NVIDIA's OCR-Synthetic-Multilingual-v1 schema, their readers and tools.

- :mod:`~polyocr.data.schema`: the fields and the annotation JSON; :mod:`~polyocr.data.shards`: the writer.
- :mod:`~polyocr.data.generate`: ``polyocr generate`` (local process pool or Ray), resumable.
- :mod:`~polyocr.data.reader`: torch-free readers; :mod:`~polyocr.data.torch_data`: torch datasets.
- :mod:`~polyocr.data.verify`, :mod:`~polyocr.data.stats`, :mod:`~polyocr.data.show`: maintainer tools.
"""
