//! The schema as the database itself reports it after migrations: tables, columns (name,
//! nullability, a type family both dialects share), unique keys and foreign keys. The
//! schema-parity test compares SQLite's with PostgreSQL's, so the two migration folders
//! can't drift apart unnoticed.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::{Pools, Store};
use crate::error::StoreResult;

/// What a column holds, in terms both databases share: SQLite's INTEGER stores PostgreSQL's
/// BIGINT and BOOLEAN, its BLOB stores UUID and BYTEA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeFamily {
    Integer,
    Real,
    Text,
    Bytes,
    Other,
}

impl TypeFamily {
    fn of_sqlite(declared: &str) -> Self {
        match declared.to_ascii_uppercase().as_str() {
            "INTEGER" | "INT" | "BIGINT" => Self::Integer,
            "REAL" => Self::Real,
            "TEXT" => Self::Text,
            "BLOB" => Self::Bytes,
            _ => Self::Other,
        }
    }

    fn of_postgres(data_type: &str) -> Self {
        match data_type {
            "bigint" | "integer" | "smallint" | "boolean" => Self::Integer,
            "double precision" | "real" => Self::Real,
            "text" | "character varying" => Self::Text,
            "bytea" | "uuid" => Self::Bytes,
            _ => Self::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub name: String,
    pub nullable: bool,
    pub family: TypeFamily,
}

/// A foreign key: these columns refer to that table's columns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub columns: BTreeSet<Column>,
    /// Every unique column set: the primary key, UNIQUE constraints and unique indexes
    /// (partial ones included; the test reads their names only as column sets).
    pub unique: BTreeSet<Vec<String>>,
    pub foreign_keys: BTreeSet<ForeignKey>,
}

pub type Schema = BTreeMap<String, Table>;

/// Tables that belong to the migration machinery, not to Haven's data.
fn is_bookkeeping(table: &str) -> bool {
    table == "haven_migrations" || table.starts_with("sqlite_")
}

impl Store {
    /// The schema as the database reports it.
    pub async fn schema(&self) -> StoreResult<Schema> {
        match self.pools() {
            Pools::Sqlite { write, .. } => sqlite_schema(write).await,
            Pools::Postgres(pool) => postgres_schema(pool).await,
        }
    }
}

async fn sqlite_schema(pool: &sqlx::SqlitePool) -> StoreResult<Schema> {
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetch_all(pool).await?;
    let mut schema = Schema::new();
    for name in tables.into_iter().filter(|t| !is_bookkeeping(t)) {
        let mut table = Table::default();
        // cid, name, type, notnull, default, pk
        let columns: Vec<(i64, String, String, bool, Option<String>, i64)> =
            sqlx::query_as("SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1)").bind(&name).fetch_all(pool).await?;
        let mut primary: Vec<(i64, String)> = Vec::new();
        for (_, column, declared, not_null, _, pk) in columns {
            if pk > 0 {
                primary.push((pk, column.clone()));
            }
            table.columns.insert(Column { name: column, nullable: !not_null && pk == 0, family: TypeFamily::of_sqlite(&declared) });
        }
        primary.sort();
        if !primary.is_empty() {
            table.unique.insert(primary.into_iter().map(|(_, c)| c).collect());
        }
        // seq, name, unique, origin, partial
        let indexes: Vec<(i64, String, bool, String, bool)> =
            sqlx::query_as("SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list($1)").bind(&name).fetch_all(pool).await?;
        for (_, index, unique, origin, _) in indexes {
            if !unique || origin == "pk" {
                continue;
            }
            let mut cols: Vec<(i64, String)> = sqlx::query_as("SELECT seqno, name FROM pragma_index_info($1)").bind(&index).fetch_all(pool).await?;
            cols.sort();
            table.unique.insert(cols.into_iter().map(|(_, c)| c).collect());
        }
        // id, seq, table, from, to
        let keys: Vec<(i64, i64, String, String, Option<String>)> =
            sqlx::query_as("SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1) ORDER BY id, seq")
                .bind(&name)
                .fetch_all(pool)
                .await?;
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, _, target, from, to) in keys {
            let key = by_id.entry(id).or_insert_with(|| ForeignKey { columns: Vec::new(), table: target, references: Vec::new() });
            key.columns.push(from);
            key.references.push(to.unwrap_or_default());
        }
        table.foreign_keys = by_id.into_values().collect();
        schema.insert(name, table);
    }
    // A reference that names no column means the other table's primary key.
    let primary_keys: BTreeMap<String, Vec<String>> =
        schema.iter().map(|(name, t)| (name.clone(), t.unique.iter().next().cloned().unwrap_or_default())).collect();
    for table in schema.values_mut() {
        table.foreign_keys = std::mem::take(&mut table.foreign_keys)
            .into_iter()
            .map(|mut key| {
                if key.references.iter().all(String::is_empty) {
                    key.references = primary_keys.get(&key.table).cloned().unwrap_or_default();
                }
                key
            })
            .collect();
    }
    Ok(schema)
}

async fn postgres_schema(pool: &sqlx::PgPool) -> StoreResult<Schema> {
    let mut schema = Schema::new();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
    )
    .fetch_all(pool)
    .await?;
    for (table, column, nullable, data_type) in columns {
        if is_bookkeeping(&table) {
            continue;
        }
        schema.entry(table).or_default().columns.insert(Column {
            name: column,
            nullable: nullable == "YES",
            family: TypeFamily::of_postgres(&data_type),
        });
    }
    // Unique column sets from every unique index (primary keys and UNIQUE constraints have one).
    let unique: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         WHERE ix.indisunique AND ns.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    for (table, _, cols) in unique {
        if let Some(t) = schema.get_mut(&table) {
            t.unique.insert(cols);
        }
    }
    let keys: Vec<(String, String, Vec<String>, Vec<String>)> = sqlx::query_as(
        "SELECT src.relname::text, dst.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n),
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n)
         FROM pg_constraint c JOIN pg_class src ON src.oid = c.conrelid JOIN pg_class dst ON dst.oid = c.confrelid
         JOIN pg_namespace ns ON ns.oid = src.relnamespace
         WHERE c.contype = 'f' AND ns.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    for (table, target, columns, references) in keys {
        if let Some(t) = schema.get_mut(&table) {
            t.foreign_keys.insert(ForeignKey { columns, table: target, references });
        }
    }
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_families_line_up() {
        assert_eq!(TypeFamily::of_sqlite("INTEGER"), TypeFamily::of_postgres("boolean"));
        assert_eq!(TypeFamily::of_sqlite("INTEGER"), TypeFamily::of_postgres("bigint"));
        assert_eq!(TypeFamily::of_sqlite("BLOB"), TypeFamily::of_postgres("uuid"));
        assert_eq!(TypeFamily::of_sqlite("BLOB"), TypeFamily::of_postgres("bytea"));
        assert_eq!(TypeFamily::of_sqlite("TEXT"), TypeFamily::of_postgres("text"));
        assert_eq!(TypeFamily::of_sqlite("REAL"), TypeFamily::of_postgres("double precision"));
        assert_ne!(TypeFamily::of_sqlite("TEXT"), TypeFamily::of_postgres("bigint"));
        assert_eq!(TypeFamily::of_postgres("int8range"), TypeFamily::Other);
    }
}
