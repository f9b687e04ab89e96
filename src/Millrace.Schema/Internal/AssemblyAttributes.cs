// The validator's stackalloc'd decode buffers are always written before they are read, so zeroing them on every
// call (hundreds of bytes per string keyword on the fast path) is pure cost.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
