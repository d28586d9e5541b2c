//! A static 2-D k-d layout kept *in* the array being indexed (the kdbush idea): the items
//! are reordered so that every range splits on x, then y, alternately. No separate tree
//! and no per-node allocation, which is what keeps a million-point hierarchy small.
//!
//! Written here rather than taken from a crate: the available ones store their own copy
//! of ids and `f64` coordinates beside the data (24 bytes an item), three times what our
//! `u32` fixed-point nodes need.

/// Something with a position in `u32` fixed-point Web Mercator.
pub trait Positioned {
    fn xy(&self) -> (u32, u32);
}

/// Items per leaf range; below this a range is scanned linearly.
const LEAF: usize = 32;

/// Reorders `items` into k-d order.
pub fn sort<T: Positioned>(items: &mut [T]) {
    sort_range(items, 0);
}

fn sort_range<T: Positioned>(items: &mut [T], axis: usize) {
    if items.len() <= LEAF {
        return;
    }
    let mid = items.len() / 2;
    items.select_nth_unstable_by_key(mid, |item| coordinate(item, axis));
    let (left, right) = items.split_at_mut(mid);
    sort_range(left, 1 - axis);
    sort_range(&mut right[1..], 1 - axis);
}

fn coordinate<T: Positioned>(item: &T, axis: usize) -> u32 {
    let (x, y) = item.xy();
    if axis == 0 {
        x
    } else {
        y
    }
}

/// Calls `visit(index)` for every item of a k-d sorted slice inside the inclusive box.
pub fn range<T: Positioned>(
    items: &[T],
    min: (u32, u32),
    max: (u32, u32),
    mut visit: impl FnMut(usize),
) {
    let mut stack = vec![(0usize, items.len(), 0usize)];
    while let Some((start, end, axis)) = stack.pop() {
        if end - start <= LEAF {
            for (i, item) in items[start..end].iter().enumerate() {
                if inside(item.xy(), min, max) {
                    visit(start + i);
                }
            }
            continue;
        }
        let mid = start + (end - start) / 2;
        let (x, y) = items[mid].xy();
        if inside((x, y), min, max) {
            visit(mid);
        }
        let (value, low, high) = if axis == 0 {
            (x, min.0, max.0)
        } else {
            (y, min.1, max.1)
        };
        if low <= value {
            stack.push((start, mid, 1 - axis));
        }
        if high >= value {
            stack.push((mid + 1, end, 1 - axis));
        }
    }
}

fn inside((x, y): (u32, u32), min: (u32, u32), max: (u32, u32)) -> bool {
    x >= min.0 && x <= max.0 && y >= min.1 && y <= max.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    struct P(u32, u32);
    impl Positioned for P {
        fn xy(&self) -> (u32, u32) {
            (self.0, self.1)
        }
    }

    #[test]
    fn range_finds_exactly_what_a_scan_finds() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut items: Vec<P> = (0..5000)
            .map(|_| P(rng.random_range(0..10_000), rng.random_range(0..10_000)))
            .collect();
        sort(&mut items);
        for _ in 0..50 {
            let (x, y) = (rng.random_range(0..10_000), rng.random_range(0..10_000));
            let (min, max) = (
                (x, y),
                (x + rng.random_range(0..2000), y + rng.random_range(0..2000)),
            );
            let mut found = Vec::new();
            range(&items, min, max, |i| found.push(i));
            found.sort();
            let expected: Vec<usize> = (0..items.len())
                .filter(|&i| inside(items[i].xy(), min, max))
                .collect();
            assert_eq!(found, expected);
        }
    }
}
