//! The MeSH vocabulary as loaded by `medlars mesh load`, kept in `mesh.redb` beside the store, and
//! looked up per query (never loaded whole): entry terms to descriptors, descriptors to their
//! descendants through the tree numbers, pharmacological actions to the substances that have them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mesh::Descriptor;
use redb::{MultimapTableDefinition, ReadOnlyDatabase, ReadableDatabase, TableDefinition};

use crate::error::{EngineError, Result};
use crate::index::normalise;

/// Normalised entry term (or qualifier name) → UI.
const TERMS: TableDefinition<&str, &str> = TableDefinition::new("terms");
/// UI → the descriptor as JSON.
const DESCRIPTORS: TableDefinition<&str, &str> = TableDefinition::new("descriptors");
/// Tree number → UI; a descriptor's descendants are a range of this table.
const TREES: TableDefinition<&str, &str> = TableDefinition::new("trees");
/// Pharmacological action UI → UIs of the descriptors having that action.
const ACTIONS: MultimapTableDefinition<&str, &str> = MultimapTableDefinition::new("actions");

/// A descriptor's record read for its name only.
#[derive(serde::Deserialize)]
struct Named {
    name: String,
}

/// Opened read-only, so that any number of processes (a server, searches) share it.
pub struct MeshStore {
    db: ReadOnlyDatabase,
    path: PathBuf,
    /// Every descriptor's name by UI, read on the first explosion (about 1.5 MB for MeSH's
    /// 30,000 descriptors), so an explosion reads the tree and no descriptor records.
    names: std::sync::OnceLock<HashMap<String, String>>,
}

impl MeshStore {
    fn file(data_dir: &Path) -> PathBuf {
        data_dir.join("mesh.redb")
    }

    /// The loaded vocabulary, or `None` when `medlars mesh load` has not been run.
    pub fn open(data_dir: &Path) -> Result<Option<MeshStore>> {
        let path = Self::file(data_dir);
        if !path.exists() {
            return Ok(None);
        }
        let db = crate::sharing::open_read_only(&path).map_err(|e| EngineError::store(&path, e))?;
        Ok(Some(MeshStore { db, path, names: std::sync::OnceLock::new() }))
    }

    /// Gives the archive in `to` the vocabulary loaded in `from`, unless it has one: a new
    /// year's baseline keeps the MeSH loaded before. The copy is renamed into place once whole.
    /// True if a vocabulary was copied.
    pub fn copy_file(from: &Path, to: &Path) -> Result<bool> {
        let (source, target) = (Self::file(from), Self::file(to));
        if target.exists() || !source.exists() {
            return Ok(false);
        }
        let fresh = target.with_extension("redb.new");
        std::fs::copy(&source, &fresh).map_err(|e| EngineError::io(&fresh, e))?;
        std::fs::rename(&fresh, &target).map_err(|e| EngineError::io(&target, e))?;
        Ok(true)
    }

    /// Replaces the vocabulary with these descriptors and qualifiers, in one transaction.
    pub fn load(data_dir: &Path, descriptors: &[Descriptor], qualifiers: &[Descriptor]) -> Result<MeshStore> {
        std::fs::create_dir_all(data_dir).map_err(|e| EngineError::io(data_dir, e))?;
        let path = Self::file(data_dir);
        let db = crate::sharing::create(&path).map_err(|e| EngineError::store(&path, e))?;
        let err = |e: redb::Error| EngineError::store(&path, e);
        let txn = db.begin_write().map_err(|e| err(e.into()))?;
        for table in [TERMS, DESCRIPTORS, TREES] {
            txn.delete_table(table).map_err(|e| err(e.into()))?;
        }
        txn.delete_multimap_table(ACTIONS).map_err(|e| err(e.into()))?;
        {
            let mut terms = txn.open_table(TERMS).map_err(|e| err(e.into()))?;
            let mut records = txn.open_table(DESCRIPTORS).map_err(|e| err(e.into()))?;
            let mut trees = txn.open_table(TREES).map_err(|e| err(e.into()))?;
            let mut actions = txn.open_multimap_table(ACTIONS).map_err(|e| err(e.into()))?;
            for d in descriptors.iter().chain(qualifiers) {
                let json = serde_json::to_string(d).expect("a descriptor serializes");
                records.insert(d.ui.as_str(), json.as_str()).map_err(|e| err(e.into()))?;
                for t in &d.tree_numbers {
                    trees.insert(t.as_str(), d.ui.as_str()).map_err(|e| err(e.into()))?;
                }
                for pa in &d.pharmacological_actions {
                    actions.insert(pa.as_str(), d.ui.as_str()).map_err(|e| err(e.into()))?;
                }
            }
            // Names win over other descriptors' entry terms, so insert entry terms first.
            for d in descriptors {
                for term in &d.entry_terms {
                    terms.insert(normalise(term).as_str(), d.ui.as_str()).map_err(|e| err(e.into()))?;
                }
            }
            for d in descriptors {
                terms.insert(normalise(&d.name).as_str(), d.ui.as_str()).map_err(|e| err(e.into()))?;
            }
        }
        txn.commit().map_err(|e| err(e.into()))?;
        drop(db);
        Ok(Self::open(data_dir)?.expect("just written"))
    }

    fn err(&self, e: impl Into<redb::Error>) -> EngineError {
        EngineError::store(&self.path, e)
    }

    /// The descriptor with this UI.
    pub fn descriptor(&self, ui: &str) -> Result<Option<Descriptor>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(DESCRIPTORS).map_err(|e| self.err(e))?;
        let Some(json) = table.get(ui).map_err(|e| self.err(e))? else { return Ok(None) };
        serde_json::from_str(json.value())
            .map(Some)
            .map_err(|e| EngineError::Corrupt { what: format!("MeSH {ui}"), detail: e.to_string() })
    }

    /// The descriptor whose name or an entry term is `term` (any case).
    pub fn heading(&self, term: &str) -> Result<Option<Descriptor>> {
        let ui = {
            let txn = self.db.begin_read().map_err(|e| self.err(e))?;
            let table = txn.open_table(TERMS).map_err(|e| self.err(e))?;
            let found = table.get(normalise(term).as_str()).map_err(|e| self.err(e))?;
            match found {
                Some(ui) => ui.value().to_owned(),
                None => return Ok(None),
            }
        };
        self.descriptor(&ui)
    }

    /// The names of `descriptor` and of every descriptor below it in the MeSH trees (Neoplasms
    /// has about a thousand below it), read in one transaction.
    pub fn with_descendants(&self, descriptor: &Descriptor) -> Result<Vec<String>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let trees = txn.open_table(TREES).map_err(|e| self.err(e))?;
        let mut uis = std::collections::BTreeSet::new();
        for tree in &descriptor.tree_numbers {
            // Descendants' tree numbers are this one followed by '.': the range [tree., tree/).
            let (from, to) = (format!("{tree}."), format!("{tree}/"));
            for entry in trees.range(from.as_str()..to.as_str()).map_err(|e| self.err(e))? {
                let (_, ui) = entry.map_err(|e| self.err(e))?;
                uis.insert(ui.value().to_owned());
            }
        }
        uis.remove(&descriptor.ui);
        let names = self.names(&txn)?;
        let mut out = vec![descriptor.name.clone()];
        out.extend(uis.iter().filter_map(|ui| names.get(ui).cloned()));
        Ok(out)
    }

    /// The explosion ([`MeshStore::with_descendants`], the same names) of every descriptor with
    /// more than `least` names in it, from one read of the tree: the broad headings whose
    /// explosions are worth storing (see [`crate::stored_explosions`]).
    pub fn broad_explosions(&self, least: usize) -> Result<Vec<Vec<String>>> {
        use redb::ReadableTable;
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let trees = txn.open_table(TREES).map_err(|e| self.err(e))?;
        let mut sorted: Vec<(String, String)> = Vec::new();
        for entry in trees.iter().map_err(|e| self.err(e))? {
            let (tree, ui) = entry.map_err(|e| self.err(e))?;
            sorted.push((tree.value().to_owned(), ui.value().to_owned()));
        }
        let mut below: HashMap<&str, std::collections::BTreeSet<&str>> = HashMap::new();
        for (at, (tree, ui)) in sorted.iter().enumerate() {
            // The descendants' tree numbers follow this one, as the range [tree., tree/) does.
            let (from, to) = (format!("{tree}."), format!("{tree}/"));
            let start = at + sorted[at..].partition_point(|(t, _)| t.as_str() < from.as_str());
            let end = start + sorted[start..].partition_point(|(t, _)| t.as_str() < to.as_str());
            below.entry(ui).or_default().extend(sorted[start..end].iter().map(|(_, u)| u.as_str()));
        }
        let names = self.names(&txn)?;
        let mut explosions = Vec::new();
        for (ui, mut descendants) in below {
            descendants.remove(ui);
            let Some(name) = names.get(ui) else { continue };
            if descendants.len() + 1 > least {
                let mut exploded = vec![name.clone()];
                exploded.extend(descendants.iter().filter_map(|d| names.get(*d).cloned()));
                if exploded.len() > least {
                    explosions.push(exploded);
                }
            }
        }
        Ok(explosions)
    }

    /// Every descriptor's name by UI, read the first time they are asked for.
    fn names(&self, txn: &redb::ReadTransaction) -> Result<&HashMap<String, String>> {
        if let Some(names) = self.names.get() {
            return Ok(names);
        }
        let read = self.read_names(txn)?;
        Ok(self.names.get_or_init(|| read))
    }

    /// Every descriptor's name by UI, each record read for its name alone.
    fn read_names(&self, txn: &redb::ReadTransaction) -> Result<HashMap<String, String>> {
        use redb::ReadableTable;
        let records = txn.open_table(DESCRIPTORS).map_err(|e| self.err(e))?;
        let mut names = HashMap::new();
        for entry in records.iter().map_err(|e| self.err(e))? {
            let (ui, json) = entry.map_err(|e| self.err(e))?;
            let named: Named = serde_json::from_str(json.value())
                .map_err(|e| EngineError::Corrupt { what: format!("MeSH {}", ui.value()), detail: e.to_string() })?;
            names.insert(ui.value().to_owned(), named.name);
        }
        Ok(names)
    }

    /// The names of the descriptors that have the pharmacological action `action`.
    pub fn substances_with_action(&self, action: &Descriptor) -> Result<Vec<String>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_multimap_table(ACTIONS).map_err(|e| self.err(e))?;
        let values = table.get(action.ui.as_str()).map_err(|e| self.err(e))?;
        let uis: Vec<String> =
            values.map(|v| v.map(|v| v.value().to_owned())).collect::<Result<_, _>>().map_err(|e| self.err(e))?;
        let names = self.names(&txn)?;
        Ok(uis.iter().filter_map(|ui| names.get(ui).cloned()).collect())
    }

    /// How many descriptors are loaded.
    pub fn descriptor_count(&self) -> Result<u64> {
        use redb::ReadableTableMetadata;
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(DESCRIPTORS).map_err(|e| self.err(e))?;
        table.len().map_err(|e| self.err(e))
    }
}
