//! A request's parameters, read one way by every page and E-utility: decoded by axum's `Query`
//! (serde) from the query string, and from an E-utilities POST's form, in order with repeated
//! keys kept (`filter=`, `id=`). A value is trimmed, and an empty one is no value, as NCBI
//! reads its parameters.

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

/// The parameters of one request; as an extractor, its query string's.
pub struct Parameters(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Parameters {
    type Rejection = QueryRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state).await?;
        Ok(Parameters(pairs))
    }
}

impl Parameters {
    /// More parameters after these (a POST's form after the query string).
    pub fn extend(&mut self, more: Vec<(String, String)>) {
        self.0.extend(more);
    }

    /// The first value of `key` that is not empty, trimmed.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).find(|v| !v.is_empty())
    }

    /// Every value of `key` that is not empty, trimmed, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
    }

    /// Whether `key` was given at all, even empty (a form's field left blank).
    pub fn given(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_no_values_and_repeated_keys_stay_in_order() {
        let decoded = serde_urlencoded::from_str("term=+&term=a+b+&filter=x&filter=&filter=y&from=").unwrap();
        let p = Parameters(decoded);
        assert_eq!(p.get("term"), Some("a b"));
        assert_eq!(p.all("filter"), ["x", "y"]);
        assert_eq!((p.get("from"), p.given("from"), p.given("to")), (None, true, false));
    }
}
