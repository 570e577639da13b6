//! Haven's integration tests: one binary (see Cargo.toml), real servers on random ports,
//! real SQLite files and real PostgreSQL databases.

mod support;

mod audit;
mod reminders;
mod scheduling;
mod authz;
mod canary;
mod charts;
mod cli;
mod durability;
mod jobs;
mod live;
mod messaging;
mod mfa;
mod outage;
mod pages;
mod people;
mod sign_in;
mod store;
mod trail;
mod visits;
