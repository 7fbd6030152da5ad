//! The scores of a group kept for its statistics, as a sorted multiset: each distinct value once
//! with its count. Scores are averages of a few levels, so a dimension takes a few hundred
//! distinct values however many respondents there are, and memory stays flat; a score that is
//! different for everyone (the headline) costs 12 bytes a respondent.
//!
//! The statistics are exactly those of [`super::stats`] over the same values: the same sorted
//! order, the mean summed value by value in that order, the same interpolation.

use super::Stats;

/// Values arrive in `pending` and are merged into the sorted distinct values when `pending`
/// grows past a quarter of them (at least [`BATCH`]).
#[derive(Debug, Clone, Default)]
pub(super) struct Sample {
    /// Distinct values, sorted by `f64::total_cmp`.
    values: Vec<f64>,
    counts: Vec<u32>,
    pending: Vec<f64>,
    n: usize,
}

const BATCH: usize = 1024;

impl Sample {
    /// Adds a value; non-finite ones are ignored, as `stats` ignores them.
    pub(super) fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.pending.push(x);
        self.n += 1;
        if self.pending.len() >= BATCH.max(self.values.len() / 4) {
            self.merge();
        }
    }

    pub(super) fn push_opt(&mut self, x: Option<f64>) {
        if let Some(x) = x {
            self.push(x);
        }
    }

    fn merge(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.pending.sort_by(f64::total_cmp);
        let mut values = Vec::with_capacity(self.values.len() + self.pending.len());
        let mut counts = Vec::with_capacity(values.capacity());
        let mut add = |x: f64, c: u32| match values.last() {
            Some(last) if f64::to_bits(*last) == x.to_bits() => {
                if let Some(n) = counts.last_mut() {
                    *n += c;
                }
            }
            _ => {
                values.push(x);
                counts.push(c);
            }
        };
        let (mut i, mut j) = (0, 0);
        while i < self.values.len() || j < self.pending.len() {
            let take_old = j == self.pending.len()
                || (i < self.values.len() && self.values[i].total_cmp(&self.pending[j]).is_le());
            if take_old {
                add(self.values[i], self.counts[i]);
                i += 1;
            } else {
                add(self.pending[j], 1);
                j += 1;
            }
        }
        values.shrink_to_fit();
        counts.shrink_to_fit();
        self.values = values;
        self.counts = counts;
        self.pending.clear();
    }

    /// The `k`-th smallest value (0-based).
    fn nth(&self, k: usize) -> f64 {
        let mut seen = 0usize;
        for (v, c) in self.values.iter().zip(&self.counts) {
            seen += *c as usize;
            if k < seen {
                return *v;
            }
        }
        self.values.last().copied().unwrap_or(f64::NAN)
    }

    /// The `p` quantile, interpolated as [`super::quantile`] does over the sorted values.
    fn quantile(&self, p: f64) -> f64 {
        let n = self.n;
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        let (a, b) = (self.nth(lo), self.nth(hi));
        a + (h - lo as f64) * (b - a)
    }

    /// Count, mean, min, quartiles and max (unrounded), as `stats` gives them for these values.
    pub(super) fn stats(&mut self) -> Option<Stats> {
        self.merge();
        if self.n == 0 {
            return None;
        }
        let mut sum = 0.0;
        for (v, c) in self.values.iter().zip(&self.counts) {
            for _ in 0..*c {
                sum += *v;
            }
        }
        Some(Stats {
            count: self.n,
            mean: sum / self.n as f64,
            min: self.values[0],
            q1: self.quantile(0.25),
            median: self.quantile(0.5),
            q3: self.quantile(0.75),
            max: self.values[self.values.len() - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::stats;
    use super::*;

    /// Bit for bit what `stats` gives over a plain sorted array, for few and many distinct values.
    #[test]
    fn a_sample_gives_the_statistics_of_the_array() {
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (n, distinct) in [(1, 1), (2, 2), (5, 3), (1000, 17), (5000, 5000), (20_000, 400)] {
            let values: Vec<f64> = (0..n)
                .map(|_| 100.0 * (next() % distinct) as f64 / distinct as f64 / 3.0)
                .collect();
            let mut s = Sample::default();
            for v in &values {
                s.push(*v);
            }
            let got = s.stats().unwrap();
            let want = stats(&values).unwrap();
            for (a, b) in [
                (got.mean, want.mean),
                (got.min, want.min),
                (got.q1, want.q1),
                (got.median, want.median),
                (got.q3, want.q3),
                (got.max, want.max),
            ] {
                assert_eq!(a.to_bits(), b.to_bits(), "n {n}: {got:?} vs {want:?}");
            }
            assert_eq!(got.count, want.count);
        }
        let mut empty = Sample::default();
        empty.push(f64::NAN);
        assert_eq!(empty.stats(), None);
    }

    #[test]
    fn repeated_values_take_one_entry() {
        let mut s = Sample::default();
        for i in 0..100_000 {
            s.push(f64::from(i % 50));
        }
        s.merge();
        assert_eq!(s.values.len(), 50);
        assert_eq!(s.stats().unwrap().count, 100_000);
    }
}
