"""The allocator setting makes a process reuse freed large blocks instead of faulting in new pages."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

PROBE = r"""
import resource, sys
import numpy as np
from polyocr.allocator import keep_freed_memory
on = keep_freed_memory() if sys.argv[1] == "on" else False
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(64 << 18, np.float32)  # 64 MiB, written
del a
before = faults()
b = np.ones(64 << 18, np.float32)
print(on, faults() - before)
"""


def _faults(mode: str, env: dict[str, str]) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True, env=env)
    on, count = out.stdout.split()
    return on, int(count)


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_a_second_large_block_reuses_the_first_ones_memory():
    env = {k: v for k, v in os.environ.items() if k != "POLYOCR_SYSTEM_MALLOC"}
    on, reused = _faults("on", env)
    off, fresh = _faults("off", env)
    assert (on, off) == ("True", "False")
    assert fresh >= 32  # 64 MiB of fresh pages: 16,384 of 4 KiB, or 32 huge pages of 2 MiB
    assert reused <= fresh // 10


def test_the_environment_can_leave_the_allocator_alone():
    env = {**os.environ, "POLYOCR_SYSTEM_MALLOC": "1"}
    on, _ = _faults("on", env)
    assert on == "False"
