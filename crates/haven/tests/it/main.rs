//! Haven's integration tests: one binary (see Cargo.toml), real servers on random ports,
//! real SQLite files and real PostgreSQL databases.
// A panic is how a test or benchmark reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod audit;
mod authz;
mod canary;
mod charts;
mod cli;
mod durability;
mod jobs;
mod live;
mod measures;
mod messaging;
mod mfa;
mod outage;
mod outsider;
mod pages;
mod people;
mod queries;
mod reminders;
mod scheduling;
mod sign_in;
mod store;
mod trail;
mod visits;
