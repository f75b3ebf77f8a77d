//! MeSH's subheadings (qualifiers) and the two-letter abbreviations NLM gives them, which Ovid
//! strategies (`Stomach Neoplasms/pa`, `dt.fs.`) and PubMed's `[sh]` both accept.

/// Each subheading's abbreviation and its name as records carry it. Subheadings NLM retired
/// in 2016 (radiography, ultrasonography, radionuclide imaging) point at the one that replaced
/// them, as NLM re-indexed their records.
const SUBHEADINGS: &[(&str, &str)] = &[
    ("aa", "analogs & derivatives"),
    ("ab", "abnormalities"),
    ("ad", "administration & dosage"),
    ("ae", "adverse effects"),
    ("ag", "agonists"),
    ("ah", "anatomy & histology"),
    ("ai", "antagonists & inhibitors"),
    ("an", "analysis"),
    ("bi", "biosynthesis"),
    ("bl", "blood"),
    ("bs", "blood supply"),
    ("cf", "cerebrospinal fluid"),
    ("ch", "chemistry"),
    ("ci", "chemically induced"),
    ("cl", "classification"),
    ("cn", "congenital"),
    ("co", "complications"),
    ("cs", "chemical synthesis"),
    ("ct", "contraindications"),
    ("cy", "cytology"),
    ("de", "drug effects"),
    ("df", "deficiency"),
    ("dg", "diagnostic imaging"),
    ("dh", "diet therapy"),
    ("di", "diagnosis"),
    ("dt", "drug therapy"),
    ("du", "diagnostic use"),
    ("ec", "economics"),
    ("ed", "education"),
    ("eh", "ethnology"),
    ("em", "embryology"),
    ("en", "enzymology"),
    ("ep", "epidemiology"),
    ("es", "ethics"),
    ("et", "etiology"),
    ("gd", "growth & development"),
    ("ge", "genetics"),
    ("hi", "history"),
    ("im", "immunology"),
    ("in", "injuries"),
    ("ip", "isolation & purification"),
    ("ir", "innervation"),
    ("is", "instrumentation"),
    ("lj", "legislation & jurisprudence"),
    ("ma", "manpower"),
    ("me", "metabolism"),
    ("mi", "microbiology"),
    ("mo", "mortality"),
    ("mt", "methods"),
    ("nu", "nursing"),
    ("og", "organization & administration"),
    ("pa", "pathology"),
    ("pc", "prevention & control"),
    ("pd", "pharmacology"),
    ("ph", "physiology"),
    ("pk", "pharmacokinetics"),
    ("po", "poisoning"),
    ("pp", "physiopathology"),
    ("ps", "parasitology"),
    ("px", "psychology"),
    ("py", "pathogenicity"),
    ("ra", "diagnostic imaging"),
    ("re", "radiation effects"),
    ("rh", "rehabilitation"),
    ("ri", "diagnostic imaging"),
    ("rt", "radiotherapy"),
    ("sc", "secondary"),
    ("sd", "supply & distribution"),
    ("se", "secretion"),
    ("sn", "statistics & numerical data"),
    ("st", "standards"),
    ("su", "surgery"),
    ("td", "trends"),
    ("th", "therapy"),
    ("tm", "transmission"),
    ("to", "toxicity"),
    ("tr", "transplantation"),
    ("tu", "therapeutic use"),
    ("ul", "ultrastructure"),
    ("ur", "urine"),
    ("us", "diagnostic imaging"),
    ("ut", "utilization"),
    ("ve", "veterinary"),
    ("vi", "virology"),
];

/// The subheading an abbreviation names (`dt` is drug therapy), ignoring case.
pub fn by_abbreviation(abbreviation: &str) -> Option<&'static str> {
    let lower = abbreviation.trim().to_ascii_lowercase();
    SUBHEADINGS.iter().find(|(a, _)| *a == lower).map(|(_, name)| *name)
}

/// Every subheading's name.
pub fn names() -> impl Iterator<Item = &'static str> {
    SUBHEADINGS.iter().map(|(_, name)| *name)
}

/// A subheading's name, whether typed as its name or as its abbreviation.
pub fn name(typed: &str) -> Option<&'static str> {
    let lower = typed.trim().to_ascii_lowercase();
    by_abbreviation(&lower).or_else(|| SUBHEADINGS.iter().find(|(_, n)| *n == lower).map(|(_, n)| *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_names() {
        assert_eq!(by_abbreviation("DT"), Some("drug therapy"));
        assert_eq!(name("Drug Therapy"), Some("drug therapy"));
        assert_eq!(name("us"), Some("diagnostic imaging"));
        assert_eq!(name("xx"), None);
        assert!(SUBHEADINGS.windows(2).all(|w| w[0].0 < w[1].0), "sorted, each once");
    }
}
