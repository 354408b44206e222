//! Work on a sliding window of items, run in parallel on the current rayon
//! pool and consumed in order.
//!
//! Synthesis runs sentences side by side, but an article is laid out one
//! sentence after another. Cutting the sentences into fixed chunks would
//! make every thread wait at each chunk's end for the chunk's slowest
//! sentence; here a thread starts another item as soon as it is free, as
//! long as that item is fewer than `window` places past the first one not
//! yet consumed, so the results held at once stay bounded. Of the items it
//! may start, it takes the first unconsumed one if nobody has, since the
//! window waits for it, and else the heaviest: long items early and short
//! ones last, so that at the end no thread is left alone with a long item
//! while the others have nothing to do.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

/// Runs `work` on every item, at most `window` items past the first
/// unconsumed one, on the current rayon pool, the heaviest by `weight`
/// first (after the first unconsumed one), and hands each result to
/// `consume` in the items' order. The first error of `consume` stops the
/// run: no further item is started, and the error is returned.
pub fn for_each_in_order<T, R, E>(
    items: &[T],
    window: usize,
    weight: impl Fn(&T) -> usize + Sync,
    work: impl Fn(&T) -> R + Sync,
    consume: impl FnMut(R) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    let window = window.max(1);
    let state = Mutex::new(State {
        started: vec![false; items.len()],
        spawned: window.min(items.len()),
        consumed: 0,
        done: BTreeMap::new(),
        consume,
        error: None,
    });
    let shared = Shared {
        items,
        window,
        weight: &weight,
        work: &work,
        state: &state,
    };
    rayon::scope_fifo(|scope| {
        for _ in 0..window.min(items.len()) {
            let shared = &shared;
            scope.spawn_fifo(move |scope| shared.run(scope));
        }
    });
    let state = state.into_inner().unwrap_or_else(PoisonError::into_inner);
    state.error.map_or(Ok(()), Err)
}

struct State<R, C, E> {
    /// Which items were started.
    started: Vec<bool>,
    /// Tasks spawned so far, each to start one item: as many as the items
    /// consumed and the window, at most one per item.
    spawned: usize,
    /// Items consumed so far: `0..consumed`.
    consumed: usize,
    /// Results finished out of order, waiting for their turn.
    done: BTreeMap<usize, R>,
    consume: C,
    error: Option<E>,
}

struct Shared<'a, T, G, W, S> {
    items: &'a [T],
    window: usize,
    weight: &'a G,
    work: &'a W,
    state: &'a S,
}

impl<T, R, E, G, W, C> Shared<'_, T, G, W, Mutex<State<R, C, E>>>
where
    T: Sync,
    R: Send,
    E: Send,
    G: Fn(&T) -> usize + Sync,
    W: Fn(&T) -> R + Sync,
    C: FnMut(R) -> Result<(), E> + Send,
{
    /// Starts the window's first item if not yet started, else its
    /// heaviest item not yet started; works it; consumes what is now in
    /// order; and spawns a task for each place the window moved on by.
    fn run<'s>(&'s self, scope: &rayon::ScopeFifo<'s>) {
        let index = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.error.is_some() {
                return;
            }
            let end = (state.consumed + self.window).min(self.items.len());
            // There are as many tasks waiting to start an item as items in
            // the window not yet started, so one is always found.
            let first = state.consumed;
            let Some(index) = (first..end)
                .filter(|&index| !state.started[index])
                .max_by_key(|&index| {
                    let weight = (self.weight)(&self.items[index]);
                    (index == first, weight, std::cmp::Reverse(index))
                })
            else {
                return;
            };
            state.started[index] = true;
            index
        };
        let result = (self.work)(&self.items[index]);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.error.is_some() {
            return;
        }
        state.done.insert(index, result);
        // Consume every result whose turn has come; the lock keeps them in
        // order while another thread finishes its item.
        while let Some(result) = {
            let next = state.consumed;
            state.done.remove(&next)
        } {
            if let Err(error) = (state.consume)(result) {
                state.error = Some(error);
                state.done.clear();
                return;
            }
            state.consumed += 1;
        }
        // The window moved on by as many items as were consumed.
        while state.spawned < self.items.len() && state.spawned < state.consumed + self.window {
            state.spawned += 1;
            scope.spawn_fifo(move |scope| self.run(scope));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn results_arrive_in_order_whatever_order_they_finish_in() {
        let items: Vec<u64> = (0..40).collect();
        let mut seen = Vec::new();
        pool(4)
            .install(|| {
                for_each_in_order(
                    &items,
                    5,
                    |_| 1,
                    |&item| {
                        // Early items take longest, so later ones finish first.
                        std::thread::sleep(Duration::from_millis((40 - item) % 7));
                        item * 10
                    },
                    |result| {
                        seen.push(result);
                        Ok::<(), ()>(())
                    },
                )
            })
            .unwrap();
        assert_eq!(seen, items.iter().map(|item| item * 10).collect::<Vec<_>>());
    }

    #[test]
    fn no_item_starts_a_window_past_the_first_unconsumed_one() {
        let items: Vec<usize> = (0..30).collect();
        let consumed = AtomicUsize::new(0);
        let furthest = AtomicUsize::new(0);
        pool(4)
            .install(|| {
                for_each_in_order(
                    &items,
                    3,
                    |&item| item % 5,
                    |&item| {
                        let ahead = item - consumed.load(Ordering::SeqCst);
                        furthest.fetch_max(ahead, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(if item % 4 == 0 {
                            6
                        } else {
                            1
                        }));
                    },
                    |()| {
                        consumed.fetch_add(1, Ordering::SeqCst);
                        Ok::<(), ()>(())
                    },
                )
            })
            .unwrap();
        assert_eq!(consumed.into_inner(), items.len());
        assert!(furthest.into_inner() < 3);
    }

    #[test]
    fn a_thread_never_waits_for_a_chunk_to_end() {
        // One slow item among fast ones: with two threads, the other
        // thread keeps working past it (up to the window) instead of
        // waiting for it, as fixed chunks would.
        let items: Vec<usize> = (0..9).collect();
        let during_slow = AtomicUsize::new(0);
        let slow_running = std::sync::atomic::AtomicBool::new(false);
        pool(2)
            .install(|| {
                for_each_in_order(
                    &items,
                    8,
                    |_| 1,
                    |&item| {
                        if item == 1 {
                            slow_running.store(true, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(150));
                            slow_running.store(false, Ordering::SeqCst);
                        } else {
                            std::thread::sleep(Duration::from_millis(5));
                            if slow_running.load(Ordering::SeqCst) {
                                during_slow.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                    },
                    |()| Ok::<(), ()>(()),
                )
            })
            .unwrap();
        // Items 2..=8 (the window's reach) all run beside the slow one.
        assert!(during_slow.into_inner() >= 6);
    }

    #[test]
    fn the_first_item_then_the_heaviest_start_first() {
        // The first item holds one thread (and the window) while the other
        // thread takes the rest, heaviest first.
        let weights = [1, 5, 3, 9, 2, 7];
        let order = Mutex::new(Vec::new());
        pool(2)
            .install(|| {
                for_each_in_order(
                    &weights,
                    6,
                    |&weight| weight,
                    |&weight| {
                        order.lock().unwrap().push(weight);
                        let pause = if weight == 1 { 200 } else { 1 };
                        std::thread::sleep(Duration::from_millis(pause));
                    },
                    |()| Ok::<(), ()>(()),
                )
            })
            .unwrap();
        // (Which of the two threads records its start first is a race.)
        let order = order.into_inner().unwrap();
        assert!(order[..2].contains(&1), "{order:?}");
        let rest: Vec<_> = order.into_iter().filter(|&weight| weight != 1).collect();
        assert_eq!(rest, [9, 7, 5, 3, 2]);
    }

    #[test]
    fn the_first_error_stops_the_run_and_is_returned() {
        let items: Vec<usize> = (0..100).collect();
        let worked = AtomicUsize::new(0);
        let error = pool(2).install(|| {
            for_each_in_order(
                &items,
                4,
                |_| 1,
                |&item| {
                    worked.fetch_add(1, Ordering::SeqCst);
                    item
                },
                |item| if item == 10 { Err(item) } else { Ok(()) },
            )
        });
        assert_eq!(error, Err(10));
        // Nothing past the window of the failing item was started.
        assert!(worked.into_inner() <= 10 + 4);
    }

    #[test]
    fn no_items_is_nothing_to_do() {
        let items: [u8; 0] = [];
        let result = for_each_in_order(&items, 4, |_| 1, |_| (), |()| Err::<(), &str>("called"));
        assert_eq!(result, Ok(()));
    }
}
