//! Giving the system back what the allocator keeps after the program freed it.
//!
//! glibc's malloc keeps freed memory in the arena of the thread that allocated it, and returns
//! only the top of each heap: pages freed below a live allocation stay resident. After a burst
//! of large renders the server stayed at its peak. `malloc_trim(0)` walks every arena and
//! gives the free pages back (`madvise`). It has no safe wrapper in a maintained crate, hence
//! the one `unsafe` block of the workspace. Other allocators (musl, macOS) return memory on
//! their own or have no such call: there this does nothing.

/// Asks glibc to give the free pages of every arena back to the system; whether it gave any.
/// It locks each arena in turn, so call it when the work is done, not during it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(unsafe_code, reason = "malloc_trim, glibc's call, has no safe wrapper")]
pub(crate) fn release_freed() -> bool {
    // SAFETY: malloc_trim takes no pointers and has no preconditions; glibc serialises it
    // with every other allocator call by the arenas' locks.
    unsafe { libc::malloc_trim(0) == 1 }
}

/// Elsewhere: nothing to do.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_freed() -> bool {
    false
}
