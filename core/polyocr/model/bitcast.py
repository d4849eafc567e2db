"""Bit casts between 32-bit integers and float32 inside numba kernels, in registers.

A bfloat16 is the upper half of a float32, so kernels on bfloat16 maps widen a value by shifting its
bits left by 16 and reading them as a float32. Done through an integer array and a float32 view of it
(numpy's way), every value makes a round trip through memory and the loops vectorize poorly
(docs/benchmarks.md, stop 31); LLVM's ``bitcast`` costs nothing.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import errors
from numba.extending import intrinsic


@intrinsic
def float_of_bits(typingctx, bits):
    """The float32 whose bit pattern is the low 32 bits of the integer ``bits`` (numba widens integer
    arithmetic to 64 bits; the low half is what a store to an int32 array would keep)."""
    if not (isinstance(bits, types.Integer) and bits.bitwidth >= 32):
        raise errors.TypingError("float_of_bits takes an integer of 32 bits or more")

    def codegen(context, builder, signature, args):
        low = builder.trunc(args[0], ir.IntType(32)) if bits.bitwidth > 32 else args[0]
        return builder.bitcast(low, context.get_value_type(types.float32))
    return types.float32(bits), codegen


@intrinsic
def bits_of_float(typingctx, value):
    """The bit pattern (uint32) of the float32 ``value``."""
    if value != types.float32:
        raise errors.TypingError("bits_of_float takes a float32")

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.uint32))
    return types.uint32(types.float32), codegen
