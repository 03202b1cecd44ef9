//! The committed schemas are exactly what the types generate; `UPDATE_SCHEMAS=1` rewrites them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::path::PathBuf;

use cce_release::{Kind, schema};

#[test]
fn committed_schemas_match_the_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut drifted = Vec::new();
    for &kind in Kind::ALL {
        let path = dir.join(kind.schema_file());
        let generated = schema::schema_text(kind);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != generated {
            if update {
                std::fs::write(&path, &generated).unwrap();
            } else {
                drifted.push(path.display().to_string());
            }
        }
    }
    assert!(
        drifted.is_empty(),
        "schemas differ from the types: {drifted:?}; run `UPDATE_SCHEMAS=1 cargo test --test schemas` and commit"
    );
}
