//! The MeSH trees held in memory, read once from `mesh.redb`: every tree number in byte order, so
//! that a descriptor's explosion is a binary search per tree number and a sort of small integers,
//! and every name normalised once, as the index holds headings. Exploding Neoplasms per query by
//! walking the tree table and normalising its thousand names was 42% of a cold esearch of
//! `cancer` at 1M records.

use std::collections::HashMap;
use std::sync::Arc;

pub(crate) struct Hierarchy {
    /// Tree numbers in byte order, each with its descriptor's place.
    trees: Vec<(Box<str>, u32)>,
    /// Each descriptor's positions in `trees`, by place.
    positions: Vec<Vec<u32>>,
    /// Each descriptor's place: places follow the UIs' order, so sorted places are sorted UIs.
    place_of: HashMap<Box<str>, u32>,
    /// Each descriptor's name as MeSH writes it, by place.
    names: Vec<String>,
    /// Each descriptor's name as the index holds it, by place.
    normalised: Vec<Arc<str>>,
}

impl Hierarchy {
    /// From every descriptor's UI and name, and every tree number with its descriptor's UI.
    pub fn new(mut descriptors: Vec<(String, String)>, mut trees: Vec<(String, String)>) -> Hierarchy {
        descriptors.sort_unstable();
        trees.sort_unstable();
        let place_of: HashMap<Box<str>, u32> =
            descriptors.iter().enumerate().map(|(place, (ui, _))| (ui.as_str().into(), place as u32)).collect();
        let names: Vec<String> = descriptors.into_iter().map(|(_, name)| name).collect();
        let normalised = names.iter().map(|name| Arc::from(crate::index::normalise(name))).collect();
        let trees: Vec<(Box<str>, u32)> = trees
            .into_iter()
            .filter_map(|(tree, ui)| place_of.get(ui.as_str()).map(|&place| (tree.into_boxed_str(), place)))
            .collect();
        let mut positions = vec![Vec::new(); names.len()];
        for (position, (_, place)) in trees.iter().enumerate() {
            positions[*place as usize].push(position as u32);
        }
        Hierarchy { trees, positions, place_of, names, normalised }
    }

    /// The name of the descriptor with this UI, as MeSH writes it.
    pub fn name(&self, ui: &str) -> Option<&str> {
        self.place_of.get(ui).map(|&place| self.names[place as usize].as_str())
    }

    /// The normalised names of the descriptor with this UI and of every descriptor below it in
    /// the trees: its own first, then the others in the order of their UIs.
    pub fn explosion(&self, ui: &str) -> Option<Vec<Arc<str>>> {
        self.place_of.get(ui).map(|&place| self.explosion_at(place))
    }

    /// The explosion of every descriptor with more than `least` names in it.
    pub fn broad_explosions(&self, least: usize) -> Vec<Vec<Arc<str>>> {
        (0..self.names.len() as u32)
            .filter(|&place| !self.positions[place as usize].is_empty())
            .map(|place| self.explosion_at(place))
            .filter(|explosion| explosion.len() > least)
            .collect()
    }

    fn explosion_at(&self, place: u32) -> Vec<Arc<str>> {
        let mut below: Vec<u32> = Vec::new();
        for &position in &self.positions[place as usize] {
            let position = position as usize;
            // Descendants' tree numbers are this one followed by '.': the range [tree., tree/).
            let tree = &self.trees[position].0;
            let (from, to) = (format!("{tree}."), format!("{tree}/"));
            let after = &self.trees[position + 1..];
            let start = after.partition_point(|(t, _)| **t < *from);
            let end = start + after[start..].partition_point(|(t, _)| **t < *to);
            below.extend(after[start..end].iter().map(|(_, below)| *below));
        }
        below.sort_unstable();
        below.dedup();
        let mut explosion = Vec::with_capacity(below.len() + 1);
        explosion.push(self.normalised[place as usize].clone());
        explosion
            .extend(below.into_iter().filter(|&b| b != place).map(|below| self.normalised[below as usize].clone()));
        explosion
    }
}

#[cfg(test)]
mod tests {
    use super::Hierarchy;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    /// A small tree with a descriptor in two places, one under the other's branch, a tree
    /// number that only shares a prefix (`C04.5880` is not below `C04.588`), and a descriptor
    /// without tree numbers.
    fn hierarchy() -> Hierarchy {
        let descriptors = owned(&[
            ("D4", "Neoplasms"),
            ("D2", "Neoplasms by Site"),
            ("D3", "Breast Neoplasms"),
            ("D1", "Carcinoma, Ductal"),
            ("D5", "Prefix Only"),
            ("D6", "Humans"),
        ]);
        let trees = owned(&[
            ("C04", "D4"),
            ("C04.588", "D2"),
            ("C04.588.180", "D3"),
            ("C04.588.180.100", "D1"),
            ("C04.5880", "D5"),
            ("C17.800.090", "D3"),
            ("C04.557.470", "D1"),
        ]);
        Hierarchy::new(descriptors, trees)
    }

    fn names(explosion: Option<Vec<std::sync::Arc<str>>>) -> Vec<String> {
        explosion.unwrap().iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn an_explosion_is_the_heading_then_everything_below_it_in_ui_order_each_once() {
        let h = hierarchy();
        assert_eq!(
            names(h.explosion("D4")),
            ["neoplasms", "carcinoma, ductal", "neoplasms by site", "breast neoplasms", "prefix only"]
        );
        assert_eq!(names(h.explosion("D2")), ["neoplasms by site", "carcinoma, ductal", "breast neoplasms"]);
        assert_eq!(names(h.explosion("D3")), ["breast neoplasms", "carcinoma, ductal"]);
        assert_eq!(names(h.explosion("D5")), ["prefix only"]);
        assert_eq!(names(h.explosion("D6")), ["humans"]);
        assert!(h.explosion("D9").is_none());
        assert_eq!(h.name("D1"), Some("Carcinoma, Ductal"));
    }

    #[test]
    fn broad_explosions_are_those_of_more_than_the_least_names_of_descriptors_in_the_trees() {
        let h = hierarchy();
        let mut sizes: Vec<usize> = h.broad_explosions(2).iter().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [3, 5]);
        assert_eq!(h.broad_explosions(0).len(), 5, "the descriptor with no tree number is left out");
    }
}
