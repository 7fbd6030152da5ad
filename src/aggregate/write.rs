//! Writing an [`Aggregation`] as it streams: the JSON document, the respondents' CSV, Markdown,
//! HTML and Excel, with the respondent rows read back one at a time. The bytes are those of
//! [`super::to_json`], [`super::to_csv_with`], [`super::to_markdown`] and
//! `report::aggregate_html::render` over the whole document, and the workbook has the cells of
//! `report::xlsx::aggregate` (tests compare them).

use super::{AggregateDoc, Aggregation, QuestionnaireAggregate, Respondent, Spill};
use crate::output::CsvOptions;
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;
use std::io::{self, Write};

/// The respondent rows, read back on demand.
struct Rows<'a> {
    spills: &'a mut [Spill],
    bands: &'a [Vec<(String, String)>],
    /// Anonymised: the language and the respondents before each questionnaire.
    labels: Option<(crate::i18n::Lang, &'a [usize])>,
}

impl Rows<'_> {
    fn for_each(
        &mut self,
        qi: usize,
        each: &mut dyn FnMut(Respondent) -> io::Result<()>,
    ) -> io::Result<()> {
        let bands = &self.bands[qi];
        let band = |i: usize| {
            bands.get(i).map(|(id, label)| crate::report::BandRef {
                id: id.clone(),
                label: label.clone(),
                index: i,
            })
        };
        let Some((lang, firsts)) = self.labels else {
            return self.spills[qi].for_each(&band, each);
        };
        // Numbered as written: the same numbers however often the rows are read.
        let mut n = firsts[qi];
        self.spills[qi].for_each(&band, &mut |mut r| {
            n += 1;
            r.file = crate::anonymise::respondent_label(lang, n);
            each(r)
        })
    }
}

impl super::Respondents for Rows<'_> {
    fn each(
        &mut self,
        qi: usize,
        f: &mut dyn FnMut(&Respondent) -> io::Result<()>,
    ) -> io::Result<()> {
        self.for_each(qi, &mut |r| f(&r))
    }
}

impl Aggregation {
    fn parts(&mut self) -> io::Result<(&AggregateDoc, Rows<'_>)> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        Ok((
            &self.doc,
            Rows {
                spills: &mut self.rows,
                bands: &self.bands,
                labels: self.labels.as_deref().map(|f| (self.doc.lang, f)),
            },
        ))
    }

    /// Calls `each` with the respondents of the document's questionnaire `qi`, in input order.
    pub fn for_each_respondent(
        &mut self,
        qi: usize,
        each: &mut dyn FnMut(Respondent) -> io::Result<()>,
    ) -> io::Result<()> {
        let (_, mut rows) = self.parts()?;
        rows.for_each(qi, each)
    }

    /// The JSON document (as [`super::to_json`] writes it), respondents streamed.
    pub fn write_json(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let (doc, rows) = self.parts()?;
        let rows = RefCell::new(rows);
        serde_json::to_writer_pretty(&mut *w, &DocOut { doc, rows: &rows })?;
        w.write_all(b"\n")
    }

    /// The Markdown aggregate (as [`super::to_markdown`] writes it), rows streamed.
    pub fn write_markdown(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let (doc, mut rows) = self.parts()?;
        super::write_markdown(doc, &mut rows, w)
    }

    /// The HTML aggregate (as `report::aggregate_html::render` writes it), rows streamed.
    pub fn write_html(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let (doc, mut rows) = self.parts()?;
        crate::report::aggregate_html::write(doc, &mut rows, w)
    }

    /// The Excel aggregate (the sheets and cells of `report::xlsx::aggregate`), rows streamed.
    pub fn write_xlsx(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let (doc, mut rows) = self.parts()?;
        crate::report::xlsx::write_aggregate(doc, &mut rows, w).map_err(io::Error::other)
    }

    /// The respondents' CSV (as [`super::to_csv_with`] writes it), rows streamed.
    pub fn write_csv(&mut self, w: &mut dyn Write, opts: &CsvOptions) -> io::Result<()> {
        let (doc, mut rows) = self.parts()?;
        if opts.bom {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let mut csv = csv::WriterBuilder::new()
            .delimiter(opts.delimiter)
            .from_writer(w);
        let dim_ids = super::dimension_ids(doc);
        csv.write_record(super::csv_header(doc.lang, &dim_ids))?;
        for (qi, qa) in doc.questionnaires.iter().enumerate() {
            rows.for_each(qi, &mut |r| {
                csv.write_record(super::csv_row(qa, &r, &dim_ids, opts))
                    .map_err(io::Error::from)
            })?;
        }
        csv.flush()
    }
}

struct DocOut<'a, 'r> {
    doc: &'a AggregateDoc,
    rows: &'a RefCell<Rows<'r>>,
}

impl Serialize for DocOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.doc;
        // The fields of `AggregateDoc`, in its order.
        let mut m = s.serialize_struct("AggregateDoc", 11)?;
        m.serialize_field("aggregate_version", &d.aggregate_version)?;
        m.serialize_field("lang", &d.lang)?;
        m.serialize_field("generated_at", &d.generated_at)?;
        m.serialize_field("group_by", &d.group_by)?;
        m.serialize_field("group_by_label", &d.group_by_label)?;
        m.serialize_field("files", &d.files)?;
        m.serialize_field("respondents", &d.respondents)?;
        m.serialize_field("method", &d.method)?;
        m.serialize_field(
            "questionnaires",
            &QasOut {
                qas: &d.questionnaires,
                rows: self.rows,
            },
        )?;
        m.serialize_field("skipped", &d.skipped)?;
        m.serialize_field("notes", &d.notes)?;
        m.end()
    }
}

struct QasOut<'a, 'r> {
    qas: &'a [QuestionnaireAggregate],
    rows: &'a RefCell<Rows<'r>>,
}

impl Serialize for QasOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.qas.len()))?;
        for (qi, qa) in self.qas.iter().enumerate() {
            seq.serialize_element(&QaOut {
                qa,
                qi,
                rows: self.rows,
            })?;
        }
        seq.end()
    }
}

struct QaOut<'a, 'r> {
    qa: &'a QuestionnaireAggregate,
    qi: usize,
    rows: &'a RefCell<Rows<'r>>,
}

impl Serialize for QaOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let q = self.qa;
        // The fields of `QuestionnaireAggregate`, in its order.
        let mut m = s.serialize_struct("QuestionnaireAggregate", 9)?;
        m.serialize_field("id", &q.id)?;
        m.serialize_field("version", &q.version)?;
        m.serialize_field("title", &q.title)?;
        m.serialize_field("group_field", &q.group_field)?;
        m.serialize_field("dimensions", &q.dimensions)?;
        m.serialize_field("bands", &q.bands)?;
        m.serialize_field("all", &q.all)?;
        m.serialize_field("groups", &q.groups)?;
        m.serialize_field(
            "respondents",
            &RespondentsOut {
                qi: self.qi,
                rows: self.rows,
            },
        )?;
        m.end()
    }
}

struct RespondentsOut<'a, 'r> {
    qi: usize,
    rows: &'a RefCell<Rows<'r>>,
}

impl Serialize for RespondentsOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut rows = self.rows.borrow_mut();
        let n = rows.spills[self.qi].rows;
        let mut seq = s.serialize_seq(Some(n))?;
        let mut failed = None;
        let read = rows.for_each(self.qi, &mut |r| {
            seq.serialize_element(&r).map_err(|e| {
                let text = e.to_string();
                failed = Some(e);
                io::Error::other(text)
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(S::Error::custom)?;
        seq.end()
    }
}
