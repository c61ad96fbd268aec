//! The openspf conformance suites as data.
