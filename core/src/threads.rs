//! Work spread over one thread or rayon's pool, with the same answer
//! either way: items are mapped in order and chunks of rows are disjoint.

/// Rows handled as one piece of work: a multiple of 64, so that a chunk
/// starts at a word of a [`Bits`](crate::bits::Bits).
pub(crate) const CHUNK: usize = 1 << 16;

/// Where bulk work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threads {
    /// The calling thread.
    One,
    /// rayon's global pool.
    #[cfg(feature = "rayon")]
    Pool,
}

impl Threads {
    /// rayon's pool where the crate has it, else the calling thread.
    pub(crate) fn available() -> Threads {
        #[cfg(feature = "rayon")]
        return Threads::Pool;
        #[cfg(not(feature = "rayon"))]
        return Threads::One;
    }

    /// `f` of each item, in the items' order.
    pub(crate) fn map<T: Sync, R: Send>(
        self,
        items: &[T],
        f: impl Fn(&T) -> R + Sync + Send,
    ) -> Vec<R> {
        match self {
            Threads::One => items.iter().map(f).collect(),
            #[cfg(feature = "rayon")]
            Threads::Pool => {
                use rayon::prelude::*;
                items.par_iter().map(f).collect()
            }
        }
    }

    /// `f(start, rows)` for each chunk of [`CHUNK`] rows of `data`, where
    /// `start` is the first row's position.
    pub(crate) fn chunks<T: Send, R: Send>(
        self,
        data: &mut [T],
        f: impl Fn(usize, &mut [T]) -> R + Sync + Send,
    ) -> Vec<R> {
        match self {
            Threads::One => data
                .chunks_mut(CHUNK)
                .enumerate()
                .map(|(i, rows)| f(i * CHUNK, rows))
                .collect(),
            #[cfg(feature = "rayon")]
            Threads::Pool => {
                use rayon::prelude::*;
                data.par_chunks_mut(CHUNK)
                    .enumerate()
                    .map(|(i, rows)| f(i * CHUNK, rows))
                    .collect()
            }
        }
    }
}
