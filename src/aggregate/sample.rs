//! One score of every respondent (the headline, or a dimension's claimed score…), kept for the
//! statistics: each value with its respondent's group, in memory up to [`IN_MEMORY`] bytes and
//! then in an anonymous temporary file, so memory stays flat however many files are read. When
//! the statistics are made the column is read back whole (12 bytes a respondent, one column at a
//! time) and [`super::stats`] runs over the very values it would have had in memory.

use super::spill::Aside;
use super::{Stats, stats};
use std::io;

/// Bytes of a column kept in memory before it goes to a temporary file (about 2,700 values).
const IN_MEMORY: usize = 32 * 1024;

#[derive(Debug, Default)]
pub(super) struct Column {
    aside: Aside,
    n: usize,
}

impl Column {
    /// Adds a respondent's value (none: nothing to add) in group `slot`.
    pub(super) fn push(&mut self, slot: u32, x: Option<f64>) -> io::Result<()> {
        let Some(x) = x else { return Ok(()) };
        let mut b = [0u8; 12];
        b[..4].copy_from_slice(&slot.to_le_bytes());
        b[4..].copy_from_slice(&x.to_bits().to_le_bytes());
        self.n += 1;
        self.aside.write(&b, IN_MEMORY)
    }

    /// The statistics of everyone, and of each group slot (`slots` of them), unrounded.
    pub(super) fn stats(
        &mut self,
        slots: usize,
    ) -> io::Result<(Option<Stats>, Vec<Option<Stats>>)> {
        let mut pairs: Vec<(u32, f64)> = Vec::with_capacity(self.n);
        let n = self.n;
        self.aside.read(&mut |r| {
            let mut b = [0u8; 12];
            for _ in 0..n {
                r.read_exact(&mut b)?;
                let slot = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                let bits = u64::from_le_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]]);
                pairs.push((slot, f64::from_bits(bits)));
            }
            Ok(())
        })?;
        let all: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        let everyone = stats(&all);
        drop(all);
        // Each group's values, in input order as the group's members came.
        pairs.sort_by_key(|p| p.0);
        let mut per = vec![None; slots];
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let values: Vec<f64> = run.iter().map(|p| p.1).collect();
            if let Some(s) = per.get_mut(run[0].0 as usize) {
                *s = stats(&values);
            }
        }
        Ok((everyone, per))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the memory part the values go to a file; the statistics are those of the arrays, for
    /// everyone and per group, bit for bit.
    #[test]
    fn a_column_gives_the_statistics_of_its_arrays() {
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in [0usize, 1, 5, 2_000, 20_000] {
            let mut c = Column::default();
            let mut all = Vec::new();
            let mut groups = vec![Vec::new(); 3];
            for _ in 0..n {
                let g = (next() % 3) as u32;
                let v = (next() % 10_000) as f64 / 7.0;
                let v = (next() % 5 != 0).then_some(v);
                c.push(g, v).unwrap();
                if let Some(v) = v {
                    all.push(v);
                    groups[g as usize].push(v);
                }
            }
            assert_eq!(c.aside.in_file(), n * 12 * 4 / 5 > IN_MEMORY, "{n}");
            for _ in 0..2 {
                let (everyone, per) = c.stats(3).unwrap();
                assert_eq!(everyone, stats(&all));
                for (g, values) in groups.iter().enumerate() {
                    assert_eq!(per[g], stats(values));
                }
            }
        }
    }
}
