//! End-to-end tests of Qoltanba: the real `qoltanba` and `qoltanba-server` binaries talking over
//! loopback. The tests live in `tests/`; this library is empty.
