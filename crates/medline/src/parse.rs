//! Builds the record model from XML events, one function per element of the DTD.
//!
//! [`Cursor`] turns quick-xml's events into owned tags and resolved text, and tracks positions for
//! errors. The element functions below walk a record top-down; elements they do not know (from
//! DTDs older or newer than the model) are skipped, so their bytes survive only in the record's
//! original XML.

use std::borrow::Cow;
use std::io::Read;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::error::{ErrorKind, Oversized, ParseError, Position};
use crate::input::Tee;
use crate::model::*;
use crate::text::{Rich, push_escaped};

type Result<T> = std::result::Result<T, ParseError>;

/// A start tag with its attributes, owned so the parser can read on while holding it.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub name: String,
    attrs: Vec<(String, String)>,
    /// `<Tag/>`: there is no content and no end tag to read.
    pub empty: bool,
}

impl Tag {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn attr_owned(&self, key: &str) -> Option<String> {
        self.attr(key).map(str::to_owned)
    }

    /// A `Y`/`N` attribute, `default` when absent.
    fn yes(&self, key: &str, default: bool) -> bool {
        match self.attr(key) {
            Some(v) => v.eq_ignore_ascii_case("y") || v.eq_ignore_ascii_case("yes"),
            None => default,
        }
    }

    fn write_markup(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            push_escaped(out, v);
            out.push('"');
        }
        out.push_str(if self.empty { "/>" } else { ">" });
    }
}

/// One XML event, reduced to what the record parser needs.
pub(crate) enum Ev<'a> {
    Open(Tag),
    Close,
    Text(Cow<'a, str>),
    /// A character or entity reference, resolved.
    Char(char),
    /// The XML declaration, with its encoding if it names one.
    Decl(Option<String>),
    Eof,
    /// Comments, processing instructions, the DOCTYPE.
    Other,
}

pub(crate) struct Cursor<R: Read> {
    reader: quick_xml::Reader<Tee<R>>,
    buf: Vec<u8>,
}

impl<R: Read> Cursor<R> {
    pub(crate) fn new(tee: Tee<R>) -> Cursor<R> {
        Cursor { reader: quick_xml::Reader::from_reader(tee), buf: Vec::with_capacity(1024) }
    }

    pub(crate) fn get_mut(&mut self) -> &mut Tee<R> {
        self.reader.get_mut()
    }

    pub(crate) fn error(&self, kind: ErrorKind) -> ParseError {
        ParseError { position: self.reader.get_ref().position(), kind }
    }

    pub(crate) fn read(&mut self) -> Result<Ev<'_>> {
        self.buf.clear();
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => event,
            Err(e) => {
                return Err(ParseError { position: self.reader.get_ref().position(), kind: xml_error(e) });
            }
        };
        let position = || self.reader.get_ref().position();
        let ev = match event {
            Event::Start(e) => Ev::Open(tag(&e, false).map_err(|kind| ParseError { position: position(), kind })?),
            Event::Empty(e) => Ev::Open(tag(&e, true).map_err(|kind| ParseError { position: position(), kind })?),
            Event::End(_) => Ev::Close,
            Event::Text(t) => Ev::Text(t.xml10_content()),
            Event::CData(t) => Ev::Text(t.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|e| ParseError { position: position(), kind: ErrorKind::Xml(e) })?
                } else {
                    match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    }
                };
                match resolved {
                    Some(c) => Ev::Char(c),
                    None => {
                        let kind = ErrorKind::UndefinedEntity(r.to_string());
                        return Err(ParseError { position: position(), kind });
                    }
                }
            }
            Event::Decl(d) => Ev::Decl(d.encoding().and_then(|e| e.ok()).map(|e| e.into_owned())),
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => Ev::Other,
            Event::Eof => Ev::Eof,
        };
        Ok(ev)
    }

    /// The next child element of `parent`, or `None` at `parent`'s end tag. Text between children
    /// (indentation) is passed over.
    pub(crate) fn next_child(&mut self, parent: &Tag) -> Result<Option<Tag>> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            match self.read()? {
                Ev::Open(tag) => return Ok(Some(tag)),
                Ev::Close => return Ok(None),
                Ev::Eof => return Err(self.error(ErrorKind::UnexpectedEof(parent.name.clone()))),
                _ => {}
            }
        }
    }

    /// Reads past the end of `tag`.
    pub(crate) fn skip(&mut self, tag: &Tag) -> Result<()> {
        if tag.empty {
            return Ok(());
        }
        let mut depth = 0usize;
        loop {
            match self.read()? {
                Ev::Open(child) if !child.empty => depth += 1,
                Ev::Close if depth == 0 => return Ok(()),
                Ev::Close => depth -= 1,
                Ev::Eof => return Err(self.error(ErrorKind::UnexpectedEof(tag.name.clone()))),
                _ => {}
            }
        }
    }

    /// The text content of `tag` with any child elements flattened, trimmed.
    pub(crate) fn text(&mut self, tag: &Tag) -> Result<String> {
        Ok(self.content(tag, false)?.text)
    }

    /// The content of `tag`, keeping child elements as markup.
    pub(crate) fn rich(&mut self, tag: &Tag) -> Result<Rich> {
        self.content(tag, true)
    }

    fn content(&mut self, tag: &Tag, keep_markup: bool) -> Result<Rich> {
        let mut content = self.content_as_written(tag, keep_markup)?;
        trim_in_place(&mut content.text);
        if let Some(m) = &mut content.markup {
            trim_in_place(m);
        }
        Ok(content)
    }

    /// A name part as NLM wrote it, spaces and all (PubMed's `FAU` keeps `An , H S`); `None`
    /// when it is empty or only spaces.
    pub(crate) fn name_as_written(&mut self, tag: &Tag) -> Result<Option<String>> {
        let text = self.content_as_written(tag, false)?.text;
        Ok(if text.trim().is_empty() { None } else { Some(text) })
    }

    fn content_as_written(&mut self, tag: &Tag, keep_markup: bool) -> Result<Rich> {
        if tag.empty {
            return Ok(Rich::default());
        }
        let mut text = String::new();
        let mut markup: Option<String> = None;
        let mut open: Vec<String> = Vec::new();
        loop {
            match self.read()? {
                Ev::Text(t) => {
                    text.push_str(&t);
                    if let Some(m) = &mut markup {
                        push_escaped(m, &t);
                    }
                }
                Ev::Char(c) => {
                    text.push(c);
                    if let Some(m) = &mut markup {
                        push_escaped(m, c.encode_utf8(&mut [0; 4]));
                    }
                }
                Ev::Open(child) => {
                    if keep_markup {
                        let m = markup.get_or_insert_with(|| crate::text::escape(&text).into_owned());
                        child.write_markup(m);
                    }
                    if !child.empty {
                        open.push(child.name);
                    }
                }
                Ev::Close => match open.pop() {
                    None => break,
                    Some(name) => {
                        if let Some(m) = &mut markup {
                            m.push_str("</");
                            m.push_str(&name);
                            m.push('>');
                        }
                    }
                },
                Ev::Eof => return Err(self.error(ErrorKind::UnexpectedEof(tag.name.clone()))),
                Ev::Decl(_) | Ev::Other => {}
            }
        }
        Ok(Rich { text, markup })
    }

    fn opt_text(&mut self, tag: &Tag) -> Result<Option<String>> {
        let text = self.text(tag)?;
        Ok(if text.is_empty() { None } else { Some(text) })
    }
}

fn tag(e: &BytesStart<'_>, empty: bool) -> std::result::Result<Tag, ErrorKind> {
    let name = String::from_utf8_lossy(e.name().as_ref().as_bytes()).into_owned();
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| ErrorKind::Xml(err.into()))?;
        let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(ErrorKind::Xml)?;
        attrs.push((attr.key.as_ref().to_owned(), value.into_owned()));
    }
    Ok(Tag { name, attrs, empty })
}

fn xml_error(e: quick_xml::Error) -> ErrorKind {
    match e {
        quick_xml::Error::Io(io) => match io.kind() {
            _ if let Some(oversized) = io.get_ref().and_then(|e| e.downcast_ref::<Oversized>()) => {
                ErrorKind::Oversized(*oversized)
            }
            std::io::ErrorKind::UnexpectedEof => ErrorKind::TruncatedGzip,
            _ => ErrorKind::Io(std::io::Error::new(io.kind(), io.to_string())),
        },
        other => ErrorKind::Xml(other),
    }
}

fn trim_in_place(s: &mut String) {
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    if start > 0 {
        s.drain(..start);
    }
}

// ---- records ----

pub(crate) fn record<R: Read>(c: &mut Cursor<R>, tag: &Tag, start: Position) -> Result<Record> {
    let missing = || ParseError { position: start, kind: ErrorKind::MissingPmid(tag.name.clone()) };
    match tag.name.as_str() {
        "MedlineCitation" => {
            let medline = medline_citation(c, tag)?;
            if medline.pmid.id == 0 {
                return Err(missing());
            }
            Ok(Record::Article(Box::new(PubmedArticle { medline, pubmed: None })))
        }
        "PubmedBookArticle" => {
            let mut article = PubmedBookArticle::default();
            while let Some(child) = c.next_child(tag)? {
                match child.name.as_str() {
                    "BookDocument" => article.book = book_document(c, &child)?,
                    "PubmedBookData" => article.pubmed = Some(pubmed_data(c, &child)?),
                    _ => c.skip(&child)?,
                }
            }
            if article.book.pmid.id == 0 {
                return Err(missing());
            }
            Ok(Record::Book(Box::new(article)))
        }
        "BookDocument" => {
            let book = book_document(c, tag)?;
            if book.pmid.id == 0 {
                return Err(missing());
            }
            Ok(Record::Book(Box::new(PubmedBookArticle { book, pubmed: None })))
        }
        _ => {
            let mut article = PubmedArticle::default();
            // `NCBIArticle` (DTD 2002) carried no PMID element: its PMID is the `pubmed` article ID.
            let mut ncbi_article = false;
            while let Some(child) = c.next_child(tag)? {
                match child.name.as_str() {
                    "MedlineCitation" => article.medline = medline_citation(c, &child)?,
                    "NCBIArticle" => {
                        ncbi_article = true;
                        article.medline = medline_citation(c, &child)?;
                    }
                    "PubmedData" => article.pubmed = Some(pubmed_data(c, &child)?),
                    _ => c.skip(&child)?,
                }
            }
            if article.medline.pmid.id == 0 && ncbi_article {
                let id = article.pubmed.as_ref().and_then(|p| p.article_id("pubmed")).and_then(|v| v.parse().ok());
                if let Some(id) = id {
                    article.medline.pmid = Pmid { id, version: 1 };
                }
            }
            if article.medline.pmid.id == 0 {
                return Err(missing());
            }
            Ok(Record::Article(Box::new(article)))
        }
    }
}

pub(crate) fn delete_list<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<Pmid>> {
    let mut pmids = Vec::new();
    while let Some(child) = c.next_child(tag)? {
        match child.name.as_str() {
            "PMID" => pmids.push(pmid(c, &child)?),
            _ => c.skip(&child)?,
        }
    }
    Ok(pmids)
}

fn pmid<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Pmid> {
    let version = match tag.attr("Version") {
        None => 1,
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| c.error(ErrorKind::BadNumber { element: "PMID Version".into(), value: v.to_owned() }))?,
    };
    let text = c.text(tag)?;
    match text.parse::<u32>() {
        Ok(id) if id > 0 => Ok(Pmid { id, version }),
        _ => Err(c.error(ErrorKind::BadPmid(text))),
    }
}

fn medline_citation<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<MedlineCitation> {
    let mut m = MedlineCitation {
        owner: tag.attr_owned("Owner"),
        status: tag.attr_owned("Status"),
        version_id: tag.attr_owned("VersionID"),
        version_date: tag.attr_owned("VersionDate"),
        indexing_method: tag.attr_owned("IndexingMethod"),
        pmid: Pmid { id: 0, version: 1 },
        ..Default::default()
    };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "PMID" => m.pmid = pmid(c, &t)?,
            "MedlineID" => m.medline_id = c.opt_text(&t)?,
            "DateCreated" => m.date_created = Some(date(c, &t)?),
            "DateCompleted" => m.date_completed = Some(date(c, &t)?),
            "DateRevised" => m.date_revised = Some(date(c, &t)?),
            "Article" => m.article = article(c, &t)?,
            "MedlineJournalInfo" => m.journal_info = journal_info(c, &t)?,
            "ChemicalList" => m.chemicals = chemicals(c, &t)?,
            "SupplMeshList" => m.suppl_mesh = suppl_mesh(c, &t)?,
            "CitationSubset" => m.citation_subsets.extend(c.opt_text(&t)?),
            "CommentsCorrectionsList" => m.comments_corrections = comments_corrections(c, &t)?,
            "GeneSymbolList" => m.gene_symbols = texts(c, &t, "GeneSymbol")?,
            "MeshHeadingList" => m.mesh_headings = mesh_headings(c, &t)?,
            "NumberOfReferences" => m.number_of_references = c.opt_text(&t)?,
            "PersonalNameSubjectList" => m.personal_name_subjects = person_names(c, &t)?,
            "OtherID" => {
                let source = t.attr_owned("Source").unwrap_or_default();
                m.other_ids.push(OtherId { source, value: c.text(&t)? });
            }
            "OtherAbstract" => m.other_abstracts.push(abstract_(c, &t)?),
            "KeywordList" => m.keyword_lists.push(keyword_list(c, &t)?),
            "CoiStatement" => m.coi_statement = Some(c.rich(&t)?),
            "SpaceFlightMission" => m.space_flight_missions.extend(c.opt_text(&t)?),
            "InvestigatorList" => m.investigator_lists.push(investigator_list(c, &t)?),
            "GeneralNote" => {
                let owner = t.attr_owned("Owner").unwrap_or_else(|| "NLM".into());
                m.general_notes.push(GeneralNote { owner, text: c.text(&t)? });
            }
            _ => c.skip(&t)?,
        }
    }
    Ok(m)
}

fn month_number(text: &str) -> Option<u8> {
    if let Ok(n) = text.parse::<u8>() {
        return Some(n);
    }
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let prefix = text.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == prefix).map(|i| i as u8 + 1)
}

/// A numeric date. Empty parts (`<Month/>`, seen in real files) count as absent.
fn date<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Date> {
    let mut d = Date::default();
    while let Some(t) = c.next_child(tag)? {
        let text = c.text(&t)?;
        if text.is_empty() {
            continue;
        }
        let bad = |c: &Cursor<R>, text: String| c.error(ErrorKind::BadNumber { element: t.name.clone(), value: text });
        match t.name.as_str() {
            "Year" => d.year = text.parse().map_err(|_| bad(c, text))?,
            "Month" => d.month = month_number(&text).ok_or_else(|| bad(c, text))?,
            "Day" => d.day = text.parse().map_err(|_| bad(c, text))?,
            "Hour" => d.hour = Some(text.parse().map_err(|_| bad(c, text))?),
            "Minute" => d.minute = Some(text.parse().map_err(|_| bad(c, text))?),
            "Second" => d.second = Some(text.parse().map_err(|_| bad(c, text))?),
            _ => {}
        }
    }
    Ok(d)
}

fn pub_date<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<PubDate> {
    let mut d = PubDate::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Year" => d.year = c.opt_text(&t)?,
            "Month" => d.month = c.opt_text(&t)?,
            "Day" => d.day = c.opt_text(&t)?,
            "Season" => d.season = c.opt_text(&t)?,
            "MedlineDate" => d.medline_date = c.opt_text(&t)?,
            _ => c.skip(&t)?,
        }
    }
    Ok(d)
}

fn article<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Article> {
    let mut a = Article { pub_model: tag.attr_owned("PubModel"), ..Default::default() };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Journal" => a.journal = journal(c, &t)?,
            "ArticleTitle" => {
                a.title_link = book_link(&t);
                a.title = c.rich(&t)?;
            }
            "Pagination" => a.pagination = Some(pagination(c, &t)?),
            "ELocationID" => a.elocation_ids.push(elocation_id(c, &t)?),
            "Abstract" => a.abstract_ = Some(abstract_(c, &t)?),
            "Affiliation" => a.affiliation = Some(c.rich(&t)?),
            "AuthorList" => a.authors = Some(author_list(c, &t)?),
            "Language" => a.languages.extend(c.opt_text(&t)?),
            "DataBankList" => a.databanks = Some(databanks(c, &t)?),
            "GrantList" => a.grants = Some(grants(c, &t)?),
            "PublicationTypeList" => a.publication_types = publication_types(c, &t)?,
            "VernacularTitle" => a.vernacular_title = Some(c.rich(&t)?),
            "ArticleDate" => a.article_dates.push(ArticleDate { date: date(c, &t)? }),
            _ => c.skip(&t)?,
        }
    }
    Ok(a)
}

fn journal<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Journal> {
    let mut j = Journal::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "ISSN" => {
                let issn_type = t.attr_owned("IssnType");
                j.issn = Some(Issn { value: c.text(&t)?, issn_type });
            }
            "JournalIssue" => {
                j.cited_medium = t.attr_owned("CitedMedium");
                while let Some(u) = c.next_child(&t)? {
                    match u.name.as_str() {
                        "Volume" => j.volume = c.opt_text(&u)?,
                        "Issue" => j.issue = c.opt_text(&u)?,
                        "PubDate" => j.pub_date = pub_date(c, &u)?,
                        _ => c.skip(&u)?,
                    }
                }
            }
            "Title" => j.title = c.opt_text(&t)?,
            "ISOAbbreviation" => j.iso_abbreviation = c.opt_text(&t)?,
            _ => c.skip(&t)?,
        }
    }
    Ok(j)
}

fn pagination<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Pagination> {
    let mut p = Pagination::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "StartPage" => p.start_page = c.opt_text(&t)?,
            "EndPage" => p.end_page = c.opt_text(&t)?,
            "MedlinePgn" => p.medline_pgn = c.opt_text(&t)?,
            _ => c.skip(&t)?,
        }
    }
    Ok(p)
}

fn elocation_id<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<ELocationId> {
    Ok(ELocationId {
        id_type: tag.attr_owned("EIdType").unwrap_or_default(),
        valid: tag.yes("ValidYN", true),
        value: c.text(tag)?,
    })
}

fn abstract_<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Abstract> {
    let mut a =
        Abstract { abstract_type: tag.attr_owned("Type"), language: tag.attr_owned("Language"), ..Default::default() };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "AbstractText" => a.texts.push(AbstractText {
                label: t.attr_owned("Label"),
                nlm_category: t.attr_owned("NlmCategory"),
                text: c.rich(&t)?,
            }),
            "CopyrightInformation" => a.copyright = c.opt_text(&t)?,
            _ => c.skip(&t)?,
        }
    }
    Ok(a)
}

/// `AuthorList`, `InvestigatorList`.
fn author_list<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<AuthorList> {
    let mut list =
        AuthorList { complete: tag.yes("CompleteYN", true), list_type: tag.attr_owned("Type"), authors: Vec::new() };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Author" | "Investigator" => list.authors.push(author(c, &t)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(list)
}

fn investigator_list<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<InvestigatorList> {
    Ok(InvestigatorList { id: tag.attr_owned("ID"), investigators: author_list(c, tag)?.authors })
}

/// The `book`/`part`/`sec` attributes of a title, if it has any.
fn book_link(tag: &Tag) -> Option<BookLink> {
    let link = BookLink { book: tag.attr_owned("book"), part: tag.attr_owned("part"), sec: tag.attr_owned("sec") };
    (link != BookLink::default()).then_some(link)
}

fn author<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Author> {
    let mut a = Author {
        valid: tag.yes("ValidYN", true),
        equal_contrib: tag.attr("EqualContrib").map(|_| tag.yes("EqualContrib", false)),
        ..Default::default()
    };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "LastName" => a.last_name = c.name_as_written(&t)?,
            // `FirstName` and `MiddleName` are the pre-2002 spelling of `ForeName`.
            "ForeName" | "FirstName" => a.fore_name = c.name_as_written(&t)?,
            "MiddleName" => {
                if let Some(middle) = c.opt_text(&t)? {
                    a.fore_name = Some(match a.fore_name.take() {
                        Some(first) => format!("{first} {middle}"),
                        None => middle,
                    });
                }
            }
            "Initials" => a.initials = c.opt_text(&t)?,
            "Suffix" => a.suffix = c.opt_text(&t)?,
            "CollectiveName" => {
                a.investigators_ref = t.attr_owned("Investigators");
                a.collective_name = Some(c.rich(&t)?);
            }
            "Identifier" => a.identifiers.push(identifier(c, &t)?),
            "AffiliationInfo" => a.affiliations.push(affiliation_info(c, &t)?),
            "Affiliation" => a.affiliations.push(Affiliation { text: c.rich(&t)?, identifiers: Vec::new() }),
            _ => c.skip(&t)?,
        }
    }
    Ok(a)
}

fn identifier<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Identifier> {
    Ok(Identifier { source: tag.attr_owned("Source").unwrap_or_default(), value: c.text(tag)? })
}

fn affiliation_info<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Affiliation> {
    let mut a = Affiliation::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Affiliation" => a.text = c.rich(&t)?,
            "Identifier" => a.identifiers.push(identifier(c, &t)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(a)
}

fn databanks<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<DataBankList> {
    let mut list = DataBankList { complete: tag.yes("CompleteYN", true), databanks: Vec::new() };
    while let Some(t) = c.next_child(tag)? {
        if t.name != "DataBank" {
            c.skip(&t)?;
            continue;
        }
        let mut bank = DataBank::default();
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "DataBankName" => bank.name = c.text(&u)?,
                "AccessionNumberList" => bank.accession_numbers = texts(c, &u, "AccessionNumber")?,
                _ => c.skip(&u)?,
            }
        }
        list.databanks.push(bank);
    }
    Ok(list)
}

fn grants<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<GrantList> {
    let mut list = GrantList { complete: tag.yes("CompleteYN", true), grants: Vec::new() };
    while let Some(t) = c.next_child(tag)? {
        if t.name != "Grant" {
            c.skip(&t)?;
            continue;
        }
        let mut g = Grant::default();
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "GrantID" => g.grant_id = c.opt_text(&u)?,
                "Acronym" => g.acronym = c.opt_text(&u)?,
                "Agency" => g.agency = c.opt_text(&u)?,
                "Country" => g.country = c.opt_text(&u)?,
                _ => c.skip(&u)?,
            }
        }
        list.grants.push(g);
    }
    Ok(list)
}

fn publication_types<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<PublicationType>> {
    let mut types = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "PublicationType" => types.push(publication_type(c, &t)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(types)
}

fn publication_type<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<PublicationType> {
    Ok(PublicationType { ui: tag.attr_owned("UI"), name: c.text(tag)? })
}

/// The text of every `child` element of `tag`.
fn texts<R: Read>(c: &mut Cursor<R>, tag: &Tag, child: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        if t.name == child {
            out.extend(c.opt_text(&t)?);
        } else {
            c.skip(&t)?;
        }
    }
    Ok(out)
}

fn journal_info<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<MedlineJournalInfo> {
    let mut j = MedlineJournalInfo::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Country" => j.country = c.opt_text(&t)?,
            "MedlineTA" => j.medline_ta = c.opt_text(&t)?,
            "NlmUniqueID" => j.nlm_unique_id = c.opt_text(&t)?,
            "ISSNLinking" => j.issn_linking = c.opt_text(&t)?,
            _ => c.skip(&t)?,
        }
    }
    Ok(j)
}

fn chemicals<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<Chemical>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        if t.name != "Chemical" {
            c.skip(&t)?;
            continue;
        }
        let mut chem = Chemical::default();
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "RegistryNumber" => chem.registry_number = c.text(&u)?,
                "NameOfSubstance" => {
                    chem.ui = u.attr_owned("UI");
                    chem.name = c.text(&u)?;
                }
                _ => c.skip(&u)?,
            }
        }
        out.push(chem);
    }
    Ok(out)
}

fn suppl_mesh<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<SupplMeshName>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "SupplMeshName" => {
                out.push(SupplMeshName { ui: t.attr_owned("UI"), suppl_type: t.attr_owned("Type"), name: c.text(&t)? })
            }
            _ => c.skip(&t)?,
        }
    }
    Ok(out)
}

fn comments_corrections<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<CommentsCorrections>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        // Before 2005 the reference type was the element name (`<CommentOn>`, `<ErratumIn>`, ...).
        let ref_type = match t.attr("RefType") {
            Some(r) => r.to_owned(),
            None if t.name == "CommentsCorrections" => String::new(),
            None => t.name.clone(),
        };
        let mut cc = CommentsCorrections { ref_type, ..Default::default() };
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "RefSource" => cc.ref_source = c.text(&u)?,
                "PMID" => cc.pmid = Some(pmid(c, &u)?),
                "Note" => cc.note = c.opt_text(&u)?,
                _ => c.skip(&u)?,
            }
        }
        out.push(cc);
    }
    Ok(out)
}

fn mesh_headings<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<MeshHeading>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        if t.name != "MeshHeading" {
            c.skip(&t)?;
            continue;
        }
        let mut heading = MeshHeading::default();
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "DescriptorName" => heading.descriptor = mesh_term(c, &u)?,
                // `SubHeading` is the pre-2002 name of `QualifierName`.
                "QualifierName" | "SubHeading" => heading.qualifiers.push(mesh_term(c, &u)?),
                _ => c.skip(&u)?,
            }
        }
        out.push(heading);
    }
    Ok(out)
}

fn mesh_term<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<MeshTerm> {
    Ok(MeshTerm {
        ui: tag.attr_owned("UI"),
        major: tag.yes("MajorTopicYN", false),
        descriptor_type: tag.attr_owned("Type"),
        auto_hm: tag.yes("AutoHM", false),
        name: c.text(tag)?,
    })
}

fn person_names<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<PersonName>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        if t.name != "PersonalNameSubject" {
            c.skip(&t)?;
            continue;
        }
        let mut p = PersonName::default();
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "LastName" => p.last_name = c.text(&u)?,
                "ForeName" => p.fore_name = c.opt_text(&u)?,
                "Initials" => p.initials = c.opt_text(&u)?,
                "Suffix" => p.suffix = c.opt_text(&u)?,
                _ => c.skip(&u)?,
            }
        }
        out.push(p);
    }
    Ok(out)
}

fn keyword_list<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<KeywordList> {
    let mut list = KeywordList { owner: tag.attr_owned("Owner").unwrap_or_else(|| "NLM".into()), keywords: Vec::new() };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Keyword" => list.keywords.push(Keyword { major: t.yes("MajorTopicYN", false), text: c.rich(&t)? }),
            _ => c.skip(&t)?,
        }
    }
    Ok(list)
}

fn pubmed_data<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<PubmedData> {
    let mut p = PubmedData::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "History" => {
                while let Some(u) = c.next_child(&t)? {
                    match u.name.as_str() {
                        "PubMedPubDate" => {
                            let status = u.attr_owned("PubStatus").unwrap_or_default();
                            p.history.push(HistoryDate { status, date: date(c, &u)? });
                        }
                        _ => c.skip(&u)?,
                    }
                }
            }
            "PublicationStatus" => p.publication_status = c.opt_text(&t)?,
            "ArticleIdList" => p.article_ids = article_ids(c, &t)?,
            "ObjectList" => p.objects = objects(c, &t)?,
            "ReferenceList" => p.reference_lists.push(reference_list(c, &t, 0)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(p)
}

fn article_ids<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<ArticleId>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "ArticleId" => {
                let id_type = t.attr_owned("IdType").unwrap_or_else(|| "pubmed".into());
                out.push(ArticleId { id_type, value: c.text(&t)? });
            }
            _ => c.skip(&t)?,
        }
    }
    Ok(out)
}

fn objects<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<Object>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        if t.name != "Object" {
            c.skip(&t)?;
            continue;
        }
        let mut object = Object { object_type: t.attr_owned("Type").unwrap_or_default(), params: Vec::new() };
        while let Some(u) = c.next_child(&t)? {
            match u.name.as_str() {
                "Param" => {
                    let name = u.attr_owned("Name").unwrap_or_default();
                    object.params.push(Param { name, value: c.rich(&u)? });
                }
                _ => c.skip(&u)?,
            }
        }
        out.push(object);
    }
    Ok(out)
}

/// How deep nested reference lists and book sections are modelled; deeper ones (never seen in
/// NLM's data) stay in the original XML only, so hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 16;

fn reference_list<R: Read>(c: &mut Cursor<R>, tag: &Tag, depth: usize) -> Result<ReferenceList> {
    let mut list = ReferenceList::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Title" => list.title = c.opt_text(&t)?,
            "Reference" => {
                let mut r = Reference::default();
                while let Some(u) = c.next_child(&t)? {
                    match u.name.as_str() {
                        "Citation" => r.citation = c.rich(&u)?,
                        "ArticleIdList" => r.article_ids = article_ids(c, &u)?,
                        _ => c.skip(&u)?,
                    }
                }
                list.references.push(r);
            }
            "ReferenceList" if depth < MAX_NESTING => list.lists.push(reference_list(c, &t, depth + 1)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(list)
}

// ---- books ----

fn book_document<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<BookDocument> {
    let mut d = BookDocument { pmid: Pmid { id: 0, version: 1 }, ..Default::default() };
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "PMID" => d.pmid = pmid(c, &t)?,
            "ArticleIdList" => d.article_ids = article_ids(c, &t)?,
            "Book" => d.book = book(c, &t)?,
            "LocationLabel" => d.location_labels.push(location_label(c, &t)?),
            "ArticleTitle" => {
                d.article_title_link = book_link(&t);
                d.article_title = Some(c.rich(&t)?);
            }
            "VernacularTitle" => d.vernacular_title = Some(c.rich(&t)?),
            "Pagination" => d.pagination = Some(pagination(c, &t)?),
            "Language" => d.languages.extend(c.opt_text(&t)?),
            "AuthorList" => d.author_lists.push(author_list(c, &t)?),
            "InvestigatorList" => d.investigator_list = Some(investigator_list(c, &t)?),
            "PublicationType" => d.publication_types.push(publication_type(c, &t)?),
            "Abstract" => d.abstract_ = Some(abstract_(c, &t)?),
            "Sections" => d.sections = sections(c, &t)?,
            "KeywordList" => d.keyword_lists.push(keyword_list(c, &t)?),
            "ContributionDate" => d.contribution_date = Some(pub_date(c, &t)?),
            "DateRevised" => d.date_revised = Some(date(c, &t)?),
            "GrantList" => d.grants = Some(grants(c, &t)?),
            "ItemList" => {
                let list_type = t.attr_owned("ListType").unwrap_or_default();
                d.item_lists.push(ItemList { list_type, items: texts(c, &t, "Item")? });
            }
            "ReferenceList" => d.reference_lists.push(reference_list(c, &t, 0)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(d)
}

fn book<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Book> {
    let mut b = Book::default();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Publisher" => {
                while let Some(u) = c.next_child(&t)? {
                    match u.name.as_str() {
                        "PublisherName" => b.publisher_name = Some(c.rich(&u)?),
                        "PublisherLocation" => b.publisher_location = c.opt_text(&u)?,
                        _ => c.skip(&u)?,
                    }
                }
            }
            "BookTitle" => {
                b.title_link = book_link(&t);
                b.title = c.rich(&t)?;
            }
            "PubDate" => b.pub_date = pub_date(c, &t)?,
            "BeginningDate" => b.beginning_date = Some(pub_date(c, &t)?),
            "EndingDate" => b.ending_date = Some(pub_date(c, &t)?),
            "AuthorList" => b.author_lists.push(author_list(c, &t)?),
            "InvestigatorList" => b.investigator_list = Some(investigator_list(c, &t)?),
            "Volume" => b.volume = c.opt_text(&t)?,
            "VolumeTitle" => b.volume_title = Some(c.rich(&t)?),
            "Edition" => b.edition = c.opt_text(&t)?,
            "CollectionTitle" => {
                b.collection_title_link = book_link(&t);
                b.collection_title = Some(c.rich(&t)?);
            }
            "Isbn" => b.isbns.extend(c.opt_text(&t)?),
            "ELocationID" => b.elocation_ids.push(elocation_id(c, &t)?),
            "Medium" => b.medium = c.opt_text(&t)?,
            "ReportNumber" => b.report_number = c.opt_text(&t)?,
            _ => c.skip(&t)?,
        }
    }
    Ok(b)
}

fn location_label<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<LocationLabel> {
    Ok(LocationLabel { label_type: tag.attr_owned("Type"), value: c.text(tag)? })
}

fn sections<R: Read>(c: &mut Cursor<R>, tag: &Tag) -> Result<Vec<Section>> {
    let mut out = Vec::new();
    while let Some(t) = c.next_child(tag)? {
        match t.name.as_str() {
            "Section" => out.push(section(c, &t, 0)?),
            _ => c.skip(&t)?,
        }
    }
    Ok(out)
}

fn section<R: Read>(c: &mut Cursor<R>, tag: &Tag, depth: usize) -> Result<Section> {
    let mut s = Section::default();
    while let Some(u) = c.next_child(tag)? {
        match u.name.as_str() {
            "LocationLabel" => s.location_label = Some(location_label(c, &u)?),
            "SectionTitle" => {
                s.title_link = book_link(&u);
                s.title = c.rich(&u)?;
            }
            "Section" if depth < MAX_NESTING => s.sections.push(section(c, &u, depth + 1)?),
            _ => c.skip(&u)?,
        }
    }
    Ok(s)
}
