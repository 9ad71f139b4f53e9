//! glibc malloc's settings for a long-running server (issue 14, finding 13).
//!
//! Each password hash takes 19 MiB (argon2id). glibc serves blocks that big
//! with mmap and gives them back on free, but after the first such free it
//! raises its mmap threshold to the block's size, so later hashes come from
//! the heap of whichever thread ran them; with a heap per thread (up to
//! eight per core) every blocking-pool thread that ever hashed keeps its
//! 19 MiB. A fixed threshold keeps big blocks on mmap, returned at once, and
//! fewer heaps bound what small allocations can fragment.

/// Blocks from this size up are mapped and unmapped by themselves.
const MMAP_THRESHOLD: i32 = 1 << 20;

/// Applies the settings; call before any thread starts.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let heaps = std::thread::available_parallelism().map_or(2, |n| n.get());
        let heaps = i32::try_from(heaps).unwrap_or(i32::MAX);
        // SAFETY: mallopt only changes allocator parameters; called before
        // the runtime starts any thread.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_ARENA_MAX, heaps);
        }
    }
}
