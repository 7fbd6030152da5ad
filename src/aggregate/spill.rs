//! Respondent rows as they come, kept out of memory until the output is written.
//!
//! The statistics come before the respondents in every output format, and they are known only
//! once every file is read; so each row is encoded (a few dozen bytes, floats bit for bit) as it
//! comes and kept in memory up to [`IN_MEMORY`], then in an anonymous temporary file (removed by
//! the system when it is closed). Writing the output reads the rows back in order.

use super::Respondent;
use crate::report::BandRef;
use crate::scoring::Coverage;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Bytes of rows kept in memory before they go to a temporary file.
const IN_MEMORY: usize = 1 << 20;

/// Bytes put aside: in memory up to a limit, then in an anonymous temporary file; read back
/// from the start as often as needed, more can be added after a reading.
#[derive(Debug, Default)]
pub(super) struct Aside {
    mem: Vec<u8>,
    file: Option<BufWriter<File>>,
}

impl Aside {
    pub(super) fn write(&mut self, b: &[u8], limit: usize) -> io::Result<()> {
        if let Some(f) = &mut self.file {
            return f.write_all(b);
        }
        self.mem.extend_from_slice(b);
        if self.mem.len() > limit {
            let mut f = BufWriter::with_capacity(8 * 1024, tempfile::tempfile()?);
            f.write_all(&self.mem)?;
            self.mem = Vec::new();
            self.file = Some(f);
        }
        Ok(())
    }

    #[cfg(test)]
    pub(super) fn in_file(&self) -> bool {
        self.file.is_some()
    }

    /// Calls `read` with a reader from the first byte.
    pub(super) fn read(
        &mut self,
        read: &mut dyn FnMut(&mut dyn Read) -> io::Result<()>,
    ) -> io::Result<()> {
        match &mut self.file {
            None => read(&mut BufReader::with_capacity(64 * 1024, &self.mem[..])),
            Some(w) => {
                w.flush()?;
                let mut f = w.get_ref().try_clone()?;
                f.rewind()?;
                read(&mut BufReader::with_capacity(64 * 1024, f))?;
                // The clone shares the position: new bytes go after the last ones.
                w.get_mut().seek(io::SeekFrom::End(0))?;
                Ok(())
            }
        }
    }
}

/// One questionnaire's respondent rows, in input order.
#[derive(Debug, Default)]
pub(super) struct Spill {
    aside: Aside,
    pub(super) rows: usize,
}

/// A row as it is kept: the band by index (its id and label come from the questionnaire).
pub(super) struct Row<'a> {
    pub file: &'a str,
    pub organisation: &'a str,
    pub group: &'a str,
    pub headline: Option<f64>,
    pub band: Option<usize>,
    pub evidenced: Option<f64>,
    pub coverage: Coverage,
    pub coverage_percent: f64,
    pub dimensions: &'a [Option<f64>],
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u64).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

fn put_opt(b: &mut Vec<u8>, x: Option<f64>) {
    match x {
        None => b.push(0),
        Some(v) => {
            b.push(1);
            b.extend_from_slice(&v.to_bits().to_le_bytes());
        }
    }
}

fn put_u64(b: &mut Vec<u8>, x: u64) {
    b.extend_from_slice(&x.to_le_bytes());
}

impl Spill {
    pub(super) fn push(&mut self, r: &Row) -> io::Result<()> {
        let mut b = Vec::with_capacity(128);
        put_str(&mut b, r.file);
        put_str(&mut b, r.organisation);
        put_str(&mut b, r.group);
        put_opt(&mut b, r.headline);
        put_opt(&mut b, r.band.map(|i| f64::from_bits(i as u64)));
        put_opt(&mut b, r.evidenced);
        for x in [
            r.coverage.applicable,
            r.coverage.answered,
            r.coverage.dont_know,
            r.coverage.not_applicable,
        ] {
            put_u64(&mut b, x as u64);
        }
        put_u64(&mut b, r.coverage_percent.to_bits());
        put_u64(&mut b, r.dimensions.len() as u64);
        for d in r.dimensions {
            put_opt(&mut b, *d);
        }
        self.rows += 1;
        self.aside.write(&b, IN_MEMORY)
    }

    /// Calls `each` with every row in order; `band` turns a band index into its reference.
    pub(super) fn for_each(
        &mut self,
        band: &dyn Fn(usize) -> Option<BandRef>,
        each: &mut dyn FnMut(Respondent) -> io::Result<()>,
    ) -> io::Result<()> {
        let rows = self.rows;
        self.aside.read(&mut |r| {
            for _ in 0..rows {
                let mut r = &mut *r;
                let row = Respondent {
                    file: get_str(&mut r)?,
                    organisation: get_str(&mut r)?,
                    group: get_str(&mut r)?,
                    headline: get_opt(&mut r)?,
                    band: get_opt(&mut r)?.and_then(|b| band(b.to_bits() as usize)),
                    evidenced: get_opt(&mut r)?,
                    coverage: Coverage {
                        applicable: get_u64(&mut r)? as usize,
                        answered: get_u64(&mut r)? as usize,
                        dont_know: get_u64(&mut r)? as usize,
                        not_applicable: get_u64(&mut r)? as usize,
                    },
                    coverage_percent: f64::from_bits(get_u64(&mut r)?),
                    dimensions: {
                        let n = get_u64(&mut r)? as usize;
                        (0..n).map(|_| get_opt(&mut r)).collect::<io::Result<_>>()?
                    },
                };
                each(row)?;
            }
            Ok(())
        })
    }
}

fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn get_str(r: &mut impl Read) -> io::Result<String> {
    let n = get_u64(r)? as usize;
    let mut b = vec![0u8; n];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn get_opt(r: &mut impl Read) -> io::Result<Option<f64>> {
    let mut tag = [0u8; 1];
    r.read_exact(&mut tag)?;
    Ok(match tag[0] {
        0 => None,
        _ => Some(f64::from_bits(get_u64(r)?)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the memory part the rows go to a temporary file; they come back whole, in order,
    /// as often as they are read, and rows added after a reading follow the others.
    #[test]
    fn rows_past_the_memory_part_come_back_from_the_file() {
        let mut s = Spill::default();
        let dims = [Some(1.5), None, Some(f64::from_bits(0x4059_0000_0000_0001))];
        let push = |s: &mut Spill, i: usize| {
            let file = format!("tệp-{i}.json");
            s.push(&Row {
                file: &file,
                organisation: "Sở A",
                group: "",
                headline: Some(i as f64 / 7.0),
                band: (!i.is_multiple_of(3)).then_some(i % 5),
                evidenced: None,
                coverage: Coverage {
                    applicable: i,
                    answered: 1,
                    dont_know: 2,
                    not_applicable: 3,
                },
                coverage_percent: 12.5,
                dimensions: &dims,
            })
            .unwrap();
        };
        for i in 0..20_000 {
            push(&mut s, i);
        }
        assert!(
            s.aside.in_file(),
            "past {IN_MEMORY} bytes the rows are in a file"
        );
        let band = |i: usize| {
            Some(BandRef {
                id: format!("b{i}"),
                label: String::new(),
                index: i,
            })
        };
        for round in 0..2 {
            let mut n: usize = 0;
            s.for_each(&band, &mut |r| {
                assert_eq!(r.file, format!("tệp-{n}.json"));
                assert_eq!(r.headline, Some(n as f64 / 7.0));
                assert_eq!(
                    r.band.map(|b| b.index),
                    (!n.is_multiple_of(3)).then_some(n % 5)
                );
                assert_eq!(r.coverage.applicable, n);
                assert_eq!(r.dimensions, dims);
                n += 1;
                Ok(())
            })
            .unwrap();
            assert_eq!(n, 20_000 + round);
            push(&mut s, 20_000 + round);
        }
    }
}
