//! The MeSH vocabulary as loaded by `medlars mesh load`, kept in `mesh.redb` beside the store:
//! entry terms to descriptors and pharmacological actions to the substances that have them,
//! looked up per query; the trees and names, read whole once for explosions
//! ([`crate::mesh_hierarchy`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mesh::Descriptor;
use redb::{MultimapTableDefinition, ReadOnlyDatabase, ReadableDatabase, TableDefinition};

use crate::error::{EngineError, Result};
use crate::index::normalise;
use crate::mesh_hierarchy::Hierarchy;

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
    /// The trees and every descriptor's name, read on the first explosion (about 9 MB counted
    /// from its parts for MeSH 2024's 30,764 descriptors and 64,457 tree numbers), so an
    /// explosion reads neither the tree table nor a descriptor record.
    hierarchy: std::sync::OnceLock<Hierarchy>,
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
        Ok(Some(MeshStore { db, path, hierarchy: std::sync::OnceLock::new() }))
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
        match self.ui_of(term)? {
            Some(ui) => self.descriptor(&ui),
            None => Ok(None),
        }
    }

    /// The UI of the descriptor whose name or an entry term is `term` (any case).
    fn ui_of(&self, term: &str) -> Result<Option<String>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(TERMS).map_err(|e| self.err(e))?;
        let found = table.get(normalise(term).as_str()).map_err(|e| self.err(e))?;
        Ok(found.map(|ui| ui.value().to_owned()))
    }

    /// The normalised names of the descriptor whose name or an entry term is `term` (any case) and
    /// of every descriptor below it in the MeSH trees (Neoplasms has about a thousand below it).
    pub fn explosion(&self, term: &str) -> Result<Option<Vec<Arc<str>>>> {
        let Some(ui) = self.ui_of(term)? else { return Ok(None) };
        Ok(self.hierarchy()?.explosion(&ui))
    }

    /// The explosion ([`MeshStore::explosion`], the same names) of every descriptor with more
    /// than `least` names in it: the broad headings whose explosions are worth storing (see
    /// [`crate::stored_explosions`]).
    pub fn broad_explosions(&self, least: usize) -> Result<Vec<Vec<Arc<str>>>> {
        Ok(self.hierarchy()?.broad_explosions(least))
    }

    /// The trees and names, read the first time they are asked for.
    fn hierarchy(&self) -> Result<&Hierarchy> {
        if let Some(hierarchy) = self.hierarchy.get() {
            return Ok(hierarchy);
        }
        let read = self.read_hierarchy()?;
        Ok(self.hierarchy.get_or_init(|| read))
    }

    /// Every tree number, and every descriptor's name (each record read for its name alone).
    fn read_hierarchy(&self) -> Result<Hierarchy> {
        use redb::ReadableTable;
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let records = txn.open_table(DESCRIPTORS).map_err(|e| self.err(e))?;
        let mut names = Vec::new();
        for entry in records.iter().map_err(|e| self.err(e))? {
            let (ui, json) = entry.map_err(|e| self.err(e))?;
            let named: Named = serde_json::from_str(json.value())
                .map_err(|e| EngineError::Corrupt { what: format!("MeSH {}", ui.value()), detail: e.to_string() })?;
            names.push((ui.value().to_owned(), named.name));
        }
        let table = txn.open_table(TREES).map_err(|e| self.err(e))?;
        let mut trees = Vec::new();
        for entry in table.iter().map_err(|e| self.err(e))? {
            let (tree, ui) = entry.map_err(|e| self.err(e))?;
            trees.push((tree.value().to_owned(), ui.value().to_owned()));
        }
        Ok(Hierarchy::new(names, trees))
    }

    /// The names of the descriptors that have the pharmacological action `action`.
    pub fn substances_with_action(&self, action: &Descriptor) -> Result<Vec<String>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_multimap_table(ACTIONS).map_err(|e| self.err(e))?;
        let values = table.get(action.ui.as_str()).map_err(|e| self.err(e))?;
        let uis: Vec<String> =
            values.map(|v| v.map(|v| v.value().to_owned())).collect::<Result<_, _>>().map_err(|e| self.err(e))?;
        let hierarchy = self.hierarchy()?;
        Ok(uis.iter().filter_map(|ui| hierarchy.name(ui).map(str::to_owned)).collect())
    }

    /// How many descriptors are loaded.
    pub fn descriptor_count(&self) -> Result<u64> {
        use redb::ReadableTableMetadata;
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let table = txn.open_table(DESCRIPTORS).map_err(|e| self.err(e))?;
        table.len().map_err(|e| self.err(e))
    }
}
