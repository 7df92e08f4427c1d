//! Tests of the enrollment machine, by theme.

mod happy;
mod illegal;
mod inputs;
mod mapping;
mod persist;
mod props;
mod support;
