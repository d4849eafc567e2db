"""Keep freed memory in the process instead of handing it back to the system after every tensor.

A page's feature maps are tens of megabytes each. glibc serves blocks that large with ``mmap`` and
returns them with ``munmap`` as soon as they are freed, so every layer of every page starts on fresh
pages that the kernel must fault in and zero: on one CPU core that was a fifth of a page's OCR time
(a ReLU6 over a 96 × 512 × 368 map: 42 ms with fresh memory, 15 ms with reused memory;
docs/benchmarks.md "Where a page's time went"). Asking glibc to take large blocks from its heap
and to keep up to ``keep_bytes`` of freed heap makes the next page reuse the same memory.

The setting is process-wide; ``POLYOCR_SYSTEM_MALLOC=1`` in the environment leaves the allocator alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_done = False


def keep_freed_memory(keep_bytes: int = 1 << 30) -> bool:
    """Make glibc's ``malloc`` reuse freed large blocks (at most ``keep_bytes`` kept unused); ``True``
    when the setting is in force (already, or now), ``False`` where it does not apply (not glibc, or
    turned off by ``POLYOCR_SYSTEM_MALLOC=1``)."""
    global _done
    if _done:
        return True
    if os.environ.get("POLYOCR_SYSTEM_MALLOC", "") not in ("", "0") or platform.system() != "Linux":
        return False
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # trim first: once it is set, glibc stops adapting both thresholds on its own
    _done = bool(mallopt(_M_TRIM_THRESHOLD, min(keep_bytes, 2**31 - 1))) and bool(mallopt(_M_MMAP_MAX, 0))
    return _done
